//! The timeline panel (MODEL.md §8): the timeline's start, horizon and
//! limits; the scheduler; closure quarters for the selected sites; cards
//! with the payback quarter and the coming year's budget; the cash flow by
//! year and quarter; the charts; closures per quarter by level and by
//! area; a strip per receiving site; the merged sites left unscheduled.
//!
//! The timeline is worked out again only when the document changes.

use crate::charts::{ChartData, ChartKind, render_rgb_for_screen};
use crate::i18n::Lang;
use crate::inventory::Level;
use crate::money::Money;
use crate::outcome::AreaMap;
use crate::timeline::{Quarter, Timeline};

use super::cards::{Card, cards_grid, money};
use super::command::{Command, ScheduleCommand, SelectMode};
use super::context::Cx;
use super::strings::TimelineStr as T;

/// Receiving sites shown in the strips.
const GANTT_ROWS: usize = 40;
/// Unscheduled sites listed.
const UNSCHEDULED_LISTED: usize = 300;

/// What the panel drew from the document's current revision.
struct Computed {
    revision: u64,
    timeline: Timeline,
    /// Closures per quarter (index in the horizon) by level.
    by_level: Vec<(Level, Vec<usize>)>,
    /// Closures per quarter by area (area label, counts).
    by_area: Vec<(String, Vec<usize>)>,
    /// Closures per quarter into each receiving site: (site, counts),
    /// the busiest first.
    gantt: Vec<(usize, Vec<usize>)>,
}

struct Chart {
    key: (u64, Lang, u32),
    texture: egui::TextureHandle,
}

/// The timeline panel's state.
#[derive(Default)]
pub struct TimelinePanel {
    computed: Option<Computed>,
    charts: Vec<(ChartKind, Chart)>,
    /// The start quarter being typed.
    start_text: Option<String>,
    /// The yearly one-time limit being typed.
    limit_text: Option<String>,
    /// The quarter typed for the selection.
    set_text: String,
    /// How many times the timeline was worked out (tests).
    computations: u64,
}

impl TimelinePanel {
    /// How many times the timeline was worked out.
    pub fn computations(&self) -> u64 {
        self.computations
    }

    /// The timeline shown (after [`Self::refresh`]).
    pub fn timeline(&self) -> Option<&Timeline> {
        self.computed.as_ref().map(|c| &c.timeline)
    }

    /// Works the timeline out again when the document changed.
    pub fn refresh(&mut self, cx: &Cx<'_>) {
        let doc = cx.doc;
        if self
            .computed
            .as_ref()
            .is_some_and(|c| c.revision == doc.revision)
        {
            return;
        }
        self.computations += 1;
        let timeline = doc.timeline_with(false);
        let inv = doc.inventory();
        let h = timeline.horizon;
        let n = h.len();
        let mut by_level: Vec<(Level, Vec<usize>)> =
            Level::ALL.iter().map(|l| (*l, vec![0; n])).collect();
        let areas = AreaMap::new(inv);
        let mut by_area: Vec<Vec<usize>> = vec![vec![0; n]; areas.area_count()];
        let mut into: rustc_hash::FxHashMap<usize, Vec<usize>> = Default::default();
        for (i, q) in timeline.quarters.iter().enumerate() {
            let Some(k) = q.and_then(|q| h.index(q)) else {
                continue;
            };
            if !crate::outcome::is_merged(inv, &doc.resolved.decisions, i) {
                continue;
            }
            let level = inv.site(i).level;
            if let Some(row) = by_level.iter_mut().find(|(l, _)| *l == level) {
                row.1[k] += 1;
            }
            if let Some(a) = areas.area_of(i) {
                by_area[a][k] += 1;
            }
            let target = doc.outcome.serving.get(i).map_or(i, |&t| t as usize);
            into.entry(target).or_insert_with(|| vec![0; n])[k] += 1;
        }
        by_level.retain(|(_, v)| v.iter().any(|&c| c > 0));
        let by_area = by_area
            .into_iter()
            .enumerate()
            .filter(|(_, v)| v.iter().any(|&c| c > 0))
            .map(|(a, v)| (areas.label(inv, a, cx.lang), v))
            .collect();
        let mut gantt: Vec<(usize, Vec<usize>)> = into.into_iter().collect();
        gantt.sort_by_key(|(site, v)| (std::cmp::Reverse(v.iter().sum::<usize>()), *site));
        gantt.truncate(GANTT_ROWS);
        self.computed = Some(Computed {
            revision: doc.revision,
            timeline,
            by_level,
            by_area,
            gantt,
        });
    }

    /// Draws the panel.
    pub fn ui(&mut self, ui: &mut egui::Ui, cx: &Cx<'_>, out: &mut Vec<Command>) {
        self.refresh(cx);
        let lang = cx.lang;
        egui::ScrollArea::vertical()
            .id_salt("timeline_scroll")
            .show(ui, |ui| {
                ui.label(egui::RichText::new(T::Help.get(lang)).weak());
                ui.add_space(4.0);
                self.params_ui(ui, cx, out);
                ui.add_space(4.0);
                self.actions_ui(ui, cx, out);
                ui.separator();
                if cx.doc.outcome.merged == 0 {
                    ui.label(T::NoMerged.get(lang));
                    return;
                }
                if let Some(c) = &self.computed {
                    cards(ui, cx, &c.timeline);
                }
                ui.add_space(6.0);
                self.charts_ui(ui, cx);
                ui.add_space(6.0);
                if let Some(c) = &self.computed {
                    years_ui(ui, cx, &c.timeline);
                    egui::CollapsingHeader::new(T::Quarters.get(lang))
                        .id_salt("tl_quarters")
                        .show(ui, |ui| quarters_ui(ui, cx, &c.timeline));
                    egui::CollapsingHeader::new(T::ByLevel.get(lang))
                        .id_salt("tl_by_level")
                        .default_open(true)
                        .show(ui, |ui| {
                            let rows: Vec<(String, &[usize])> = c
                                .by_level
                                .iter()
                                .map(|(l, v)| (l.label(lang).to_string(), v.as_slice()))
                                .collect();
                            matrix_ui(
                                ui,
                                "tl_level_grid",
                                T::Level.get(lang),
                                &c.timeline,
                                &rows,
                                lang,
                            );
                        });
                    egui::CollapsingHeader::new(T::ByArea.get(lang))
                        .id_salt("tl_by_area")
                        .show(ui, |ui| {
                            let rows: Vec<(String, &[usize])> = c
                                .by_area
                                .iter()
                                .map(|(a, v)| (a.clone(), v.as_slice()))
                                .collect();
                            matrix_ui(
                                ui,
                                "tl_area_grid",
                                T::Area.get(lang),
                                &c.timeline,
                                &rows,
                                lang,
                            );
                        });
                    egui::CollapsingHeader::new(T::Gantt.get(lang))
                        .id_salt("tl_gantt")
                        .show(ui, |ui| gantt_ui(ui, cx, c, out));
                    let unscheduled = &c.timeline.flow.unscheduled;
                    egui::CollapsingHeader::new(format!(
                        "{} ({})",
                        T::UnscheduledList.get(lang),
                        unscheduled.len()
                    ))
                    .id_salt("tl_unscheduled")
                    .show(ui, |ui| unscheduled_ui(ui, cx, &c.timeline, out));
                }
            });
    }

    fn params_ui(&mut self, ui: &mut egui::Ui, cx: &Cx<'_>, out: &mut Vec<Command>) {
        let lang = cx.lang;
        let now = &cx.doc.ws.timeline;
        let mut p = now.clone();
        let mut group: Option<&str> = None;
        egui::Grid::new("timeline_params")
            .num_columns(4)
            .spacing([12.0, 6.0])
            .show(ui, |ui| {
                let label = ui
                    .label(T::Start.get(lang))
                    .on_hover_text(T::StartTip.get(lang));
                let shown = now.start_quarter.map(|q| q.to_string()).unwrap_or_default();
                let text = self.start_text.get_or_insert_with(|| shown.clone());
                let r = ui
                    .add_sized(
                        [110.0, 20.0],
                        egui::TextEdit::singleline(text)
                            .hint_text(Quarter::after_today().to_string()),
                    )
                    .labelled_by(label.id);
                let typed = text.trim().to_string();
                let parsed = if typed.is_empty() {
                    Some(None)
                } else {
                    Quarter::parse(&typed).map(Some)
                };
                if parsed.is_none() {
                    ui.colored_label(ui.visuals().error_fg_color, T::BadQuarter.get(lang));
                } else {
                    ui.label("");
                }
                if r.lost_focus() || (r.changed() && parsed.is_some()) {
                    if let Some(q) = parsed {
                        p.start_quarter = q;
                    }
                    if r.lost_focus() {
                        self.start_text = None;
                    }
                } else if !r.has_focus() && typed != shown && parsed.is_some() {
                    self.start_text = None;
                }
                ui.end_row();

                let label = ui.label(T::Horizon.get(lang));
                let mut years = p.horizon_years;
                let r = ui
                    .add(
                        egui::DragValue::new(&mut years)
                            .range(1..=crate::plan::MAX_HORIZON_YEARS)
                            .speed(0.1),
                    )
                    .labelled_by(label.id);
                if r.changed() {
                    p.horizon_years = years;
                    group = Some("horizon");
                }
                ui.end_row();

                limit_u64(
                    ui,
                    lang,
                    T::MaxPerQuarter,
                    &mut p.max_closures_per_quarter,
                    60,
                );
                ui.end_row();
                limit_u64(
                    ui,
                    lang,
                    T::MaxPerTarget,
                    &mut p.max_closures_per_target_per_quarter,
                    5,
                );
                ui.end_row();

                let mut on = p.max_one_time_per_year.is_some();
                if ui.checkbox(&mut on, T::MaxOneTime.get(lang)).changed() {
                    p.max_one_time_per_year =
                        on.then(|| Money::from_decimal(rust_decimal::Decimal::from(10_000_000)));
                    self.limit_text = None;
                }
                ui.horizontal(|ui| {
                    if let Some(limit) = p.max_one_time_per_year {
                        let shown = limit.grouped();
                        let text = self.limit_text.get_or_insert_with(|| shown.clone());
                        let r = ui.add_sized(
                            [140.0, 20.0],
                            egui::TextEdit::singleline(text).hint_text(T::MaxOneTime.get(lang)),
                        );
                        let parsed = Money::parse(text.trim()).ok().flatten();
                        if parsed.is_none() {
                            ui.colored_label(ui.visuals().error_fg_color, T::BadAmount.get(lang));
                        }
                        if r.lost_focus() {
                            if let Some(m) = parsed.filter(|m| !m.is_negative()) {
                                p.max_one_time_per_year = Some(m);
                            }
                            self.limit_text = None;
                        }
                    } else {
                        ui.label(egui::RichText::new(T::NoLimit.get(lang)).weak());
                    }
                });
                ui.end_row();
            });
        if p != *now {
            out.push(Command::Schedule(ScheduleCommand::SetTimeline {
                params: p,
                group: group.map(str::to_string),
            }));
        } else if group.is_none() && ui.input(|i| i.pointer.any_released()) {
            out.push(Command::EndInteraction);
        }
    }

    fn actions_ui(&mut self, ui: &mut egui::Ui, cx: &Cx<'_>, out: &mut Vec<Command>) {
        let lang = cx.lang;
        ui.horizontal_wrapped(|ui| {
            if ui
                .button(T::Fill.get(lang))
                .on_hover_text(T::FillTip.get(lang))
                .clicked()
            {
                out.push(Command::Schedule(ScheduleCommand::Fill));
            }
            if ui.button(T::Clear.get(lang)).clicked() {
                out.push(Command::Schedule(ScheduleCommand::Clear));
            }
        });
        let selected: Vec<usize> = cx.selection.to_vec();
        ui.horizontal_wrapped(|ui| {
            ui.label(format!(
                "{} ({})",
                T::SetForSelection.get(lang),
                selected.len()
            ));
            ui.add(
                egui::TextEdit::singleline(&mut self.set_text)
                    .desired_width(90.0)
                    .hint_text("2027Q1"),
            );
            let q = Quarter::parse(self.set_text.trim());
            let enabled = !selected.is_empty();
            if ui
                .add_enabled(enabled && q.is_some(), egui::Button::new(T::Set.get(lang)))
                .clicked()
            {
                out.push(Command::Schedule(ScheduleCommand::SetQuarter {
                    sites: selected.clone(),
                    quarter: q,
                }));
            }
            if ui
                .add_enabled(enabled, egui::Button::new(T::Unset.get(lang)))
                .clicked()
            {
                out.push(Command::Schedule(ScheduleCommand::SetQuarter {
                    sites: selected.clone(),
                    quarter: None,
                }));
            }
            if !enabled {
                ui.label(egui::RichText::new(T::NoSelection.get(lang)).weak());
            } else if q.is_none() && !self.set_text.trim().is_empty() {
                ui.colored_label(ui.visuals().error_fg_color, T::BadQuarter.get(lang));
            }
        });
    }

    fn charts_ui(&mut self, ui: &mut egui::Ui, cx: &Cx<'_>) {
        let Some(c) = &self.computed else {
            return;
        };
        let lang = cx.lang;
        let wide = ui.available_width() >= 900.0;
        let width = if wide {
            (ui.available_width() - 12.0) / 2.0
        } else {
            ui.available_width()
        }
        .max(240.0);
        let ppp = ui.ctx().pixels_per_point();
        let px_w = (width * ppp).round() as u32;
        let px_h = (px_w as f32 * 0.55).round() as u32;
        let key = (cx.doc.revision, lang, px_w);
        let doc = cx.doc;
        for kind in ChartKind::TIMELINE {
            if self
                .charts
                .iter()
                .any(|(k, ch)| *k == kind && ch.key == key)
            {
                continue;
            }
            let data = ChartData {
                inventory: doc.inventory(),
                model: &doc.model,
                outcome: &doc.outcome,
                decisions: &doc.resolved.decisions,
                flow: Some(&c.timeline.flow),
                pass_rates: None,
            };
            if let Ok((rgb, _)) =
                render_rgb_for_screen(kind, &data, lang, px_w, px_h, f64::from(ppp))
            {
                let image = egui::ColorImage::from_rgb([px_w as usize, px_h as usize], &rgb);
                let texture = ui.ctx().load_texture(
                    format!("timeline-{}", kind.key()),
                    image,
                    egui::TextureOptions::LINEAR,
                );
                self.charts.retain(|(k, _)| *k != kind);
                self.charts.push((kind, Chart { key, texture }));
            }
        }
        let size = egui::vec2(width, width * 0.55);
        let show = |ui: &mut egui::Ui, kind: ChartKind| {
            if let Some((_, ch)) = self.charts.iter().find(|(k, _)| *k == kind) {
                ui.add(egui::Image::new(&ch.texture).fit_to_exact_size(size))
                    .on_hover_text(kind.title(lang));
            }
        };
        if wide {
            ui.horizontal(|ui| {
                for kind in ChartKind::TIMELINE {
                    show(ui, kind);
                }
            });
        } else {
            for kind in ChartKind::TIMELINE {
                show(ui, kind);
            }
        }
    }
}

/// An optional count limit: a tick box and a number.
fn limit_u64(ui: &mut egui::Ui, lang: Lang, label: T, value: &mut Option<u64>, default: u64) {
    let mut on = value.is_some();
    let check = ui.checkbox(&mut on, label.get(lang));
    if check.changed() {
        *value = on.then_some(default);
    }
    ui.horizontal(|ui| match value {
        Some(v) => {
            ui.add(egui::DragValue::new(v).range(1..=1_000_000).speed(0.2))
                .labelled_by(check.id);
        }
        None => {
            ui.label(egui::RichText::new(T::NoLimit.get(lang)).weak());
        }
    });
}

/// The budget of the first year of the horizon against today's.
fn budget_change(cx: &Cx<'_>, t: &Timeline) -> Option<(i32, Money, Money)> {
    let year = t.flow.years.first()?;
    let budget: Money = year.budget_by_level.iter().map(|l| l.budget).sum();
    Some((
        year.year,
        budget,
        budget - cx.doc.outcome.annual_cost.before,
    ))
}

fn cards(ui: &mut egui::Ui, cx: &Cx<'_>, t: &Timeline) {
    let lang = cx.lang;
    let flow = &t.flow;
    let merged = cx.doc.outcome.merged;
    let mut list = vec![
        Card {
            title: T::PaybackQuarter.get(lang),
            main: match flow.payback_quarter {
                Some(q) => match lang {
                    Lang::Zh => q.chinese(),
                    Lang::En => q.to_string(),
                },
                None => T::NoPaybackInHorizon.get(lang).to_string(),
            },
            sub: format!("{} – {}", flow.start_quarter, flow.end_quarter),
            good: Some(flow.payback_quarter.is_some()),
        },
        Card {
            title: T::Scheduled.get(lang),
            main: format!("{} / {merged}", flow.scheduled),
            sub: format!("{} {}", T::Unscheduled.get(lang), flow.unscheduled.len()),
            good: flow.unscheduled.is_empty().then_some(true),
        },
        Card {
            title: T::FinalCumulative.get(lang),
            main: money(flow.final_cumulative(), lang),
            sub: format!("{} {}", flow.end_quarter, T::Cumulative.get(lang)),
            good: Some(!flow.final_cumulative().is_negative()),
        },
    ];
    if let Some((year, budget, change)) = budget_change(cx, t) {
        list.push(Card {
            title: T::NextYearBudget.get(lang),
            main: if change.is_positive() {
                format!("+{}", money(change, lang))
            } else {
                money(change, lang)
            },
            sub: format!("{year} {} {}", T::Budget.get(lang), money(budget, lang)),
            good: Some(!change.is_positive()),
        });
    }
    cards_grid(ui, &list);
}

fn right(ui: &mut egui::Ui, text: String) {
    ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
        ui.label(text);
    });
}

fn years_ui(ui: &mut egui::Ui, cx: &Cx<'_>, t: &Timeline) {
    let lang = cx.lang;
    ui.strong(T::Years.get(lang));
    let levels: Vec<Level> = t
        .flow
        .years
        .first()
        .map(|y| y.budget_by_level.iter().map(|l| l.level).collect())
        .unwrap_or_default();
    egui::ScrollArea::horizontal()
        .id_salt("tl_years_scroll")
        .show(ui, |ui| {
            egui::Grid::new("tl_years")
                .striped(true)
                .spacing([14.0, 4.0])
                .show(ui, |ui| {
                    for h in [
                        T::Year,
                        T::Closures,
                        T::OneTime,
                        T::Savings,
                        T::Net,
                        T::Cumulative,
                    ] {
                        ui.strong(h.get(lang));
                    }
                    for l in &levels {
                        ui.strong(format!("{} {}", l.label(lang), T::Budget.get(lang)));
                    }
                    ui.end_row();
                    for y in &t.flow.years {
                        ui.label(y.year.to_string());
                        right(ui, y.closures.to_string());
                        right(ui, y.one_time.grouped());
                        right(ui, y.savings.grouped());
                        right(ui, y.net.grouped());
                        right(ui, y.cumulative.grouped());
                        for l in &y.budget_by_level {
                            right(ui, l.budget.grouped());
                        }
                        ui.end_row();
                    }
                });
        });
}

fn quarters_ui(ui: &mut egui::Ui, cx: &Cx<'_>, t: &Timeline) {
    let lang = cx.lang;
    egui::Grid::new("tl_quarters_grid")
        .striped(true)
        .spacing([14.0, 4.0])
        .show(ui, |ui| {
            for h in [
                T::Quarter,
                T::Closures,
                T::OneTime,
                T::Savings,
                T::Net,
                T::Cumulative,
            ] {
                ui.strong(h.get(lang));
            }
            ui.end_row();
            for q in &t.flow.quarters {
                let label = if Some(q.quarter) == t.flow.payback_quarter {
                    egui::RichText::new(format!("{} ★", q.quarter)).strong()
                } else {
                    egui::RichText::new(q.quarter.to_string())
                };
                ui.label(label);
                right(ui, q.closures.to_string());
                right(ui, q.one_time.grouped());
                right(ui, q.savings.grouped());
                right(ui, q.net.grouped());
                right(ui, q.cumulative.grouped());
                ui.end_row();
            }
        });
}

/// Closures per quarter, a row per group, the quarters across.
fn matrix_ui(
    ui: &mut egui::Ui,
    id: &str,
    first: &str,
    t: &Timeline,
    rows: &[(String, &[usize])],
    lang: Lang,
) {
    egui::ScrollArea::horizontal().id_salt(id).show(ui, |ui| {
        egui::Grid::new(format!("{id}_grid"))
            .striped(true)
            .spacing([8.0, 3.0])
            .show(ui, |ui| {
                ui.strong(first);
                for q in t.horizon.quarters() {
                    ui.strong(q.to_string());
                }
                ui.strong(T::Total.get(lang));
                ui.end_row();
                for (label, counts) in rows {
                    ui.label(label);
                    for c in counts.iter() {
                        if *c == 0 {
                            right(ui, String::new());
                        } else {
                            right(ui, c.to_string());
                        }
                    }
                    right(ui, counts.iter().sum::<usize>().to_string());
                    ui.end_row();
                }
            });
    });
}

fn gantt_ui(ui: &mut egui::Ui, cx: &Cx<'_>, c: &Computed, out: &mut Vec<Command>) {
    let lang = cx.lang;
    ui.label(egui::RichText::new(T::GanttHelp.get(lang)).weak());
    let inv = cx.doc.inventory();
    let n = c.timeline.horizon.len().max(1);
    let max = c
        .gantt
        .iter()
        .flat_map(|(_, v)| v.iter().copied())
        .max()
        .unwrap_or(1)
        .max(1);
    let label_w = 200.0;
    let row_h = 16.0;
    let avail = (ui.available_width() - label_w - 8.0).max(100.0);
    let cell = avail / n as f32;
    for (site, counts) in &c.gantt {
        ui.horizontal(|ui| {
            let s = inv.site(*site);
            let name = if s.name.is_empty() { &s.id } else { &s.name };
            let r = ui.add_sized(
                [label_w, row_h],
                egui::Label::new(name.as_ref())
                    .truncate()
                    .sense(egui::Sense::click()),
            );
            if r.on_hover_text(s.id.as_str()).clicked() {
                out.push(Command::Select {
                    site: *site,
                    mode: SelectMode::Replace,
                });
            }
            let (rect, resp) =
                ui.allocate_exact_size(egui::vec2(avail, row_h), egui::Sense::hover());
            let painter = ui.painter_at(rect);
            painter.rect_filled(rect, 0.0, ui.visuals().faint_bg_color);
            let mut hovered = None;
            for (k, &count) in counts.iter().enumerate() {
                let x0 = rect.left() + cell * k as f32;
                let r = egui::Rect::from_min_size(
                    egui::pos2(x0 + 0.5, rect.top() + 1.0),
                    egui::vec2((cell - 1.0).max(1.0), row_h - 2.0),
                );
                if count > 0 {
                    let t = 0.25 + 0.75 * (count as f32 / max as f32);
                    let color =
                        egui::Color32::from_rgba_unmultiplied(238, 137, 43, (t * 255.0) as u8);
                    painter.rect_filled(r, 1.0, color);
                }
                if resp.hover_pos().is_some_and(|p| r.contains(p)) {
                    hovered = Some((k, count));
                }
            }
            if let Some((k, count)) = hovered {
                let q = c.timeline.horizon.quarter(k);
                resp.on_hover_text(format!("{q}: {count}"));
            }
        });
    }
    // The quarters under the strips.
    ui.horizontal(|ui| {
        ui.add_space(label_w + ui.spacing().item_spacing.x);
        let (rect, _) = ui.allocate_exact_size(egui::vec2(avail, 14.0), egui::Sense::hover());
        let painter = ui.painter_at(rect);
        let step = (70.0 / cell).ceil().max(1.0) as usize;
        for (k, q) in c.timeline.horizon.quarters().enumerate() {
            if k % step == 0 {
                painter.text(
                    egui::pos2(rect.left() + cell * k as f32, rect.top()),
                    egui::Align2::LEFT_TOP,
                    q.to_string(),
                    egui::FontId::proportional(10.0),
                    ui.visuals().weak_text_color(),
                );
            }
        }
    });
}

fn unscheduled_ui(ui: &mut egui::Ui, cx: &Cx<'_>, t: &Timeline, out: &mut Vec<Command>) {
    let lang = cx.lang;
    let inv = cx.doc.inventory();
    let list = &t.flow.unscheduled;
    egui::Grid::new("tl_unscheduled_grid")
        .striped(true)
        .spacing([12.0, 3.0])
        .show(ui, |ui| {
            ui.strong(T::Site.get(lang));
            ui.strong(T::Level.get(lang));
            ui.strong(T::Reason.get(lang));
            ui.end_row();
            for u in list.iter().take(UNSCHEDULED_LISTED) {
                let s = inv.sites().get(u.site);
                let name = s.map_or(u.site_id.as_str(), |s| {
                    if s.name.is_empty() { &s.id } else { &s.name }
                });
                if ui.link(name).on_hover_text(&u.site_id).clicked() {
                    out.push(Command::Select {
                        site: u.site,
                        mode: SelectMode::Replace,
                    });
                }
                ui.label(s.map_or("", |s| s.level.label(lang)));
                let why = match u.quarter {
                    Some(q) => format!("{} ({q})", u.reason.label(lang)),
                    None => u.reason.label(lang).to_string(),
                };
                ui.label(why);
                ui.end_row();
            }
        });
    if list.len() > UNSCHEDULED_LISTED {
        ui.label(format!(
            "{} {}",
            T::More.get(lang),
            list.len() - UNSCHEDULED_LISTED
        ));
    }
}
