//! Named scenarios: save, load, duplicate, rename, delete, and compare two
//! to four side by side with the sites they decide differently.

use egui_extras::{Column as TableColumn, TableBuilder};

use crate::i18n::Lang;
use crate::outcome::{Evaluator, Outcome};
use crate::plan::Decision;
use crate::project::MAX_SCENARIOS;

use super::cards::{money, pct};
use super::command::{Command, ScenarioCommand};
use super::context::Cx;
use super::strings::{S, ScenStr};

/// A scenario's evaluated plan.
struct Evaluated {
    decisions: Vec<Decision>,
    outcome: Outcome,
}

/// A scenario's headline figures, as its row in the list shows them.
#[derive(Clone, Debug, PartialEq)]
pub struct Headline {
    /// Sites merged.
    pub merged: usize,
    /// Savings per year.
    pub savings: crate::money::Money,
    /// Coverage after the plan.
    pub coverage: Option<f64>,
}

/// Rows of the list worked out per frame at least (each evaluates a plan
/// over the whole inventory); more while the frame has time
/// ([`HEADLINE_TIME`]); the rest follow on the next frames.
const HEADLINES_PER_FRAME: usize = 3;

/// Time a frame may spend working out rows of the list.
const HEADLINE_TIME: std::time::Duration = std::time::Duration::from_millis(12);

/// The scenarios panel's own state.
#[derive(Default)]
pub struct ScenariosPanel {
    /// Headline figures of the scenarios worked out so far, by index.
    headlines: std::collections::HashMap<usize, Headline>,
    /// What `headlines` were worked out for: the inventory's data and the
    /// scenarios' revision.
    headlines_key: Option<(u64, u64)>,
    /// The same, by the plan a scenario holds (copies are worked out once).
    headlines_by_plan: std::collections::HashMap<u64, Headline>,
    new_name: String,
    compare: Vec<usize>,
    renaming: Option<(usize, String)>,
    confirm_load: Option<usize>,
    cache_key: Option<(u64, u64, Vec<usize>)>,
    evaluated: Vec<Evaluated>,
    differ: Vec<usize>,
}

impl ScenariosPanel {
    /// Draws the list and the comparison.
    pub fn ui(&mut self, ui: &mut egui::Ui, cx: &Cx<'_>, out: &mut Vec<Command>) {
        let lang = cx.lang;
        let doc = cx.doc;
        let n = doc.scenarios.len();
        self.compare.retain(|&i| i < n);
        // A project holds at most MAX_SCENARIOS: no more are added here.
        let full = n >= MAX_SCENARIOS;
        ui.horizontal(|ui| {
            let label = ui.label(ScenStr::NewName.get(lang));
            ui.add(egui::TextEdit::singleline(&mut self.new_name).desired_width(200.0))
                .labelled_by(label.id);
            let save = ui.add_enabled(!full, egui::Button::new(ScenStr::SaveCurrent.get(lang)));
            if save.clicked() {
                let name = if self.new_name.trim().is_empty() {
                    format!("{} {}", ScenStr::DefaultName.get(lang), n + 1)
                } else {
                    self.new_name.trim().to_string()
                };
                out.push(Command::Scenario(ScenarioCommand::SaveCurrent(name)));
                self.new_name.clear();
            }
            if full {
                ui.weak(full_text(lang));
            }
        });
        ui.separator();
        if n == 0 {
            ui.weak(ScenStr::NoScenarios.get(lang));
            return;
        }
        ui.weak(ScenStr::CompareHelp.get(lang));
        self.list_ui(ui, cx, full, out);
        if let Some(i) = self.confirm_load {
            ui.separator();
            ui.horizontal_wrapped(|ui| {
                ui.colored_label(
                    egui::Color32::from_rgb(0xd3, 0x6b, 0x00),
                    ScenStr::ConfirmLoad.get(lang),
                );
                if ui.button(ScenStr::Load.get(lang)).clicked() {
                    out.push(Command::Scenario(ScenarioCommand::Load(i)));
                    self.confirm_load = None;
                }
                if ui.button(S::Cancel.get(lang)).clicked() {
                    self.confirm_load = None;
                }
            });
        }
        if self.compare.len() >= 2 {
            ui.separator();
            self.refresh(cx);
            self.compare_ui(ui, cx);
        }
    }

    /// A scenario's headline figures, once worked out (see
    /// [`HEADLINES_PER_FRAME`]).
    pub fn headline(&self, i: usize) -> Option<&Headline> {
        self.headlines.get(&i)
    }

    /// The scenarios, one row each with its figures. Only the rows in view
    /// are laid out and worked out (a project may hold thousands), in a
    /// scrolled area of bounded height so that the comparison below stays
    /// in view.
    fn list_ui(&mut self, ui: &mut egui::Ui, cx: &Cx<'_>, full: bool, out: &mut Vec<Command>) {
        let lang = cx.lang;
        let doc = cx.doc;
        let n = doc.scenarios.len();
        let key = (doc.data_version, doc.scenarios_revision);
        if self.headlines_key.is_none_or(|(data, _)| data != key.0) {
            self.headlines_by_plan.clear();
        }
        if self.headlines_key != Some(key) {
            self.headlines.clear();
            self.headlines_key = Some(key);
        }
        let started = std::time::Instant::now();
        let mut budget = HEADLINES_PER_FRAME;
        let mut evaluator = Evaluator::default();
        let mut waiting = false;
        let row_height = ui.spacing().interact_size.y + 4.0;
        let max_height = (ui.available_height() * 0.5).clamp(4.0 * row_height, 360.0);
        TableBuilder::new(ui)
            .id_salt("scenario_list")
            .striped(true)
            .vscroll(true)
            .min_scrolled_height(0.0)
            .max_scroll_height(max_height)
            .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
            .column(TableColumn::auto())
            .column(TableColumn::initial(200.0).at_least(80.0).clip(true))
            .columns(TableColumn::auto().at_least(70.0), 3)
            .columns(TableColumn::auto(), 5)
            .header(row_height, |mut h| {
                h.col(|_| {});
                for label in [
                    ScenStr::ListName,
                    ScenStr::ListMerged,
                    ScenStr::ListSavings,
                    ScenStr::ListCoverage,
                ] {
                    h.col(|ui| {
                        ui.strong(label.get(lang));
                    });
                }
                for _ in 0..5 {
                    h.col(|_| {});
                }
            })
            .body(|body| {
                body.rows(row_height, n, |mut row| {
                    let i = row.index();
                    let Some(sc) = doc.scenarios.get(i) else {
                        return;
                    };
                    row.col(|ui| {
                        let mut ticked = self.compare.contains(&i);
                        if ui
                            .checkbox(&mut ticked, ScenStr::Compare.get(lang))
                            .changed()
                        {
                            if ticked && self.compare.len() < 4 {
                                self.compare.push(i);
                            } else {
                                self.compare.retain(|&c| c != i);
                            }
                        }
                    });
                    row.col(|ui| match &mut self.renaming {
                        Some((r, text)) if *r == i => {
                            let label = ui.label(ScenStr::Rename.get(lang));
                            let resp = ui.text_edit_singleline(text).labelled_by(label.id);
                            let done = resp.lost_focus() || ui.button(S::Ok.get(lang)).clicked();
                            if done {
                                out.push(Command::Scenario(ScenarioCommand::Rename(
                                    i,
                                    text.trim().to_string(),
                                )));
                                self.renaming = None;
                            }
                        }
                        _ => {
                            ui.add(
                                egui::Label::new(egui::RichText::new(&sc.name).strong()).truncate(),
                            );
                        }
                    });
                    if !self.headlines.contains_key(&i)
                        && (budget > 0 || started.elapsed() < HEADLINE_TIME)
                    {
                        let plan = plan_key(sc);
                        let h = match self.headlines_by_plan.get(&plan) {
                            Some(h) => h.clone(),
                            None => {
                                budget = budget.saturating_sub(1);
                                let (_, o) = sc.evaluate(doc.inventory(), &mut evaluator);
                                let h = Headline {
                                    merged: o.merged,
                                    savings: o.annual_cost.savings,
                                    coverage: o.coverage.after,
                                };
                                self.headlines_by_plan.insert(plan, h.clone());
                                h
                            }
                        };
                        self.headlines.insert(i, h);
                    }
                    let h = self.headlines.get(&i);
                    waiting |= h.is_none();
                    let working = || ScenStr::ListWorking.get(lang).to_string();
                    let cells = [
                        h.map_or_else(working, |h| crate::outcome::count(h.merged as f64)),
                        h.map_or_else(working, |h| money(h.savings, lang)),
                        h.map_or_else(working, |h| pct(h.coverage)),
                    ];
                    for text in cells {
                        row.col(|ui| {
                            ui.label(text);
                        });
                    }
                    row.col(|ui| {
                        if ui
                            .button(ScenStr::Load.get(lang))
                            .on_hover_text(ScenStr::LoadTip.get(lang))
                            .clicked()
                        {
                            self.confirm_load = Some(i);
                        }
                    });
                    row.col(|ui| {
                        if ui
                            .button(ScenStr::Overwrite.get(lang))
                            .on_hover_text(ScenStr::OverwriteTip.get(lang))
                            .clicked()
                        {
                            out.push(Command::Scenario(ScenarioCommand::Overwrite(i)));
                        }
                    });
                    row.col(|ui| {
                        let duplicate = ui
                            .add_enabled(!full, egui::Button::new(ScenStr::Duplicate.get(lang)))
                            .on_disabled_hover_text(full_text(lang));
                        if duplicate.clicked() {
                            out.push(Command::Scenario(ScenarioCommand::Duplicate(i)));
                        }
                    });
                    row.col(|ui| {
                        if ui.button(ScenStr::Rename.get(lang)).clicked() {
                            self.renaming = Some((i, sc.name.clone()));
                        }
                    });
                    row.col(|ui| {
                        if ui.button(ScenStr::Delete.get(lang)).clicked() {
                            out.push(Command::Scenario(ScenarioCommand::Delete(i)));
                            self.compare.retain(|&c| c != i);
                            self.compare
                                .iter_mut()
                                .filter(|c| **c > i)
                                .for_each(|c| *c -= 1);
                        }
                    });
                });
            });
        if waiting {
            ui.ctx().request_repaint();
        }
    }

    fn refresh(&mut self, cx: &Cx<'_>) {
        let doc = cx.doc;
        let key = (
            doc.data_version,
            doc.scenarios_revision,
            self.compare.clone(),
        );
        if self.cache_key.as_ref() == Some(&key) {
            return;
        }
        let inv = doc.inventory();
        let mut ev = Evaluator::default();
        self.evaluated = self
            .compare
            .iter()
            .map(|&i| {
                let (resolved, outcome) = doc.scenarios[i].evaluate(inv, &mut ev);
                Evaluated {
                    decisions: resolved.decisions,
                    outcome,
                }
            })
            .collect();
        let merged = |d: &Decision, i: usize| d.is_merge() && inv.parent(i).is_some();
        self.differ = match self.evaluated.first() {
            Some(base) => (0..inv.len())
                .filter(|&s| {
                    self.evaluated[1..].iter().any(|e| {
                        merged(&e.decisions[s], s) != merged(&base.decisions[s], s)
                            || e.outcome.serving[s] != base.outcome.serving[s]
                    })
                })
                .collect(),
            None => Vec::new(),
        };
        self.cache_key = Some(key);
    }

    fn compare_ui(&mut self, ui: &mut egui::Ui, cx: &Cx<'_>) {
        let lang = cx.lang;
        let doc = cx.doc;
        let names: Vec<&str> = self
            .compare
            .iter()
            .map(|&i| doc.scenarios[i].name.as_str())
            .collect();
        type Row = (
            &'static str,
            fn(&Outcome, Lang) -> String,
            fn(&Outcome) -> f64,
            Unit,
        );
        let rows: [Row; 9] = [
            (
                S::Sites.get(lang),
                |o, _| o.sites.after.to_string(),
                |o| o.sites.after as f64,
                Unit::Count,
            ),
            (
                S::AnnualCost.get(lang),
                |o, l| money(o.annual_cost.after, l),
                |o| o.annual_cost.after.to_fen().to_f64(),
                Unit::Money,
            ),
            (
                S::Savings.get(lang),
                |o, l| money(o.annual_cost.savings, l),
                |o| o.annual_cost.savings.to_fen().to_f64(),
                Unit::Money,
            ),
            (
                S::OneTimeCost.get(lang),
                |o, l| money(o.one_time_cost, l),
                |o| o.one_time_cost.to_fen().to_f64(),
                Unit::Money,
            ),
            (
                S::Coverage.get(lang),
                |o, _| pct(o.coverage.after),
                |o| o.coverage.after.unwrap_or(0.0) * 100.0,
                Unit::Points,
            ),
            (
                S::PassRate.get(lang),
                |o, _| pct(o.pass_rate.after),
                |o| o.pass_rate.after.unwrap_or(0.0) * 100.0,
                Unit::Points,
            ),
            (
                S::Services.get(lang),
                |o, _| crate::outcome::count(o.services.after),
                |o| o.services.after,
                Unit::Count,
            ),
            (
                S::StaffFreed.get(lang),
                |o, _| crate::money::staff_text(o.staff_freed),
                |o| crate::money::staff_f64(o.staff_freed),
                Unit::Staff,
            ),
            (
                S::OverCapacity.get(lang),
                |o, _| o.over_capacity().to_string(),
                |o| o.over_capacity() as f64,
                Unit::Count,
            ),
        ];
        egui::Grid::new("scenario_compare")
            .striped(true)
            .show(ui, |ui| {
                ui.strong(ScenStr::Figure.get(lang));
                for (k, name) in names.iter().enumerate() {
                    ui.strong(*name);
                    if k > 0 {
                        ui.strong(ScenStr::Difference.get(lang));
                    }
                }
                ui.end_row();
                for (label, show, value, unit) in rows {
                    ui.label(label);
                    let base = self
                        .evaluated
                        .first()
                        .map(|e| value(&e.outcome))
                        .unwrap_or(0.0);
                    for (k, e) in self.evaluated.iter().enumerate() {
                        ui.label(show(&e.outcome, lang));
                        if k > 0 {
                            let d = value(&e.outcome) - base;
                            ui.label(unit.difference(d, lang));
                        }
                    }
                    ui.end_row();
                }
            });
        ui.add_space(6.0);
        grouped_bars(ui, lang, &names, &self.evaluated);
        ui.add_space(6.0);
        ui.strong(format!(
            "{}: {}",
            ScenStr::DecidedDifferently.get(lang),
            self.differ.len()
        ));
        let inv = doc.inventory();
        let row_h = 20.0;
        egui::ScrollArea::vertical()
            .id_salt("scenario_differ")
            .max_height(240.0)
            .show_rows(ui, row_h, self.differ.len(), |ui, range| {
                for &s in &self.differ[range] {
                    let site = inv.site(s);
                    let parts: Vec<String> = self
                        .evaluated
                        .iter()
                        .map(|e| {
                            if e.decisions[s].is_merge() && site.parent.is_some() {
                                format!(
                                    "{} → {}",
                                    S::Merged.get(lang),
                                    inv.site(e.outcome.serving[s] as usize).name
                                )
                            } else {
                                S::Kept.get(lang).to_string()
                            }
                        })
                        .collect();
                    ui.label(format!("{} {} · {}", site.id, site.name, parts.join(" | ")));
                }
            });
    }
}

/// Identifies the plan a scenario holds (not its name).
fn plan_key(sc: &crate::project::Scenario) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    let plan = (&sc.manual, &sc.optimized, &sc.rules, &sc.params);
    serde_json::to_string(&plan)
        .unwrap_or_default()
        .hash(&mut h);
    h.finish()
}

/// Why no scenario can be added.
fn full_text(lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("已有 {MAX_SCENARIOS} 个情景（项目最多保存这么多），请先删除一些"),
        Lang::En => {
            format!("{MAX_SCENARIOS} scenarios, the most a project holds: delete some to add more")
        }
    }
}

/// Savings and coverage per scenario as grouped bars.
fn grouped_bars(ui: &mut egui::Ui, lang: Lang, names: &[&str], evaluated: &[Evaluated]) {
    let width = ui.available_width().min(640.0);
    let height = 150.0;
    let (rect, _) = ui.allocate_exact_size(egui::vec2(width, height), egui::Sense::hover());
    let painter = ui.painter_at(rect);
    let colors = [
        egui::Color32::from_rgb(0x5b, 0x7a, 0x99),
        egui::Color32::from_rgb(0x1f, 0x9e, 0x89),
        egui::Color32::from_rgb(0xe0, 0x8a, 0x1e),
        egui::Color32::from_rgb(0x8e, 0x5e, 0xa2),
    ];
    let groups: [(&str, Vec<f64>); 2] = [
        (
            S::Savings.get(lang),
            evaluated
                .iter()
                .map(|e| e.outcome.annual_cost.savings.to_f64().max(0.0))
                .collect(),
        ),
        (
            S::Coverage.get(lang),
            evaluated
                .iter()
                .map(|e| e.outcome.coverage.after.unwrap_or(0.0))
                .collect(),
        ),
    ];
    let text = ui.visuals().text_color();
    let group_w = rect.width() / 2.0;
    for (g, (label, values)) in groups.iter().enumerate() {
        let max = values.iter().cloned().fold(0.0, f64::max).max(1e-9);
        let x0 = rect.left() + g as f32 * group_w + 10.0;
        let bar_w = ((group_w - 20.0) / values.len().max(1) as f32).min(60.0);
        let base = rect.bottom() - 18.0;
        for (k, v) in values.iter().enumerate() {
            let h = ((v / max) as f32 * (height - 40.0)).max(1.0);
            let x = x0 + k as f32 * bar_w;
            let bar = egui::Rect::from_min_max(
                egui::pos2(x + 2.0, base - h),
                egui::pos2(x + bar_w - 2.0, base),
            );
            painter.rect_filled(bar, 2.0, colors[k % colors.len()]);
            let value = if g == 0 {
                super::cards::money_f64(*v, lang)
            } else {
                pct(Some(*v))
            };
            painter.text(
                bar.center_top(),
                egui::Align2::CENTER_BOTTOM,
                value,
                egui::FontId::proportional(10.0),
                text,
            );
        }
        painter.text(
            egui::pos2(x0, rect.bottom()),
            egui::Align2::LEFT_BOTTOM,
            *label,
            egui::FontId::proportional(12.0),
            text,
        );
    }
    let mut x = rect.left();
    for (k, name) in names.iter().enumerate() {
        let swatch =
            egui::Rect::from_min_size(egui::pos2(x, rect.top() + 2.0), egui::vec2(10.0, 10.0));
        painter.rect_filled(swatch, 1.0, colors[k % colors.len()]);
        let r = painter.text(
            egui::pos2(x + 14.0, rect.top()),
            egui::Align2::LEFT_TOP,
            *name,
            egui::FontId::proportional(11.0),
            text,
        );
        x = r.right() + 12.0;
    }
}

/// What a compared figure counts, for writing its difference.
#[derive(Clone, Copy)]
enum Unit {
    /// Money, in the view's unit.
    Money,
    /// A whole number.
    Count,
    /// Percentage points.
    Points,
    /// Staff, one place.
    Staff,
}

impl Unit {
    /// The difference `d` with its sign and unit: `+1,234.50 万元`,
    /// `-1,787`, `+0.4 个百分点`, `+12.5`.
    fn difference(self, d: f64, lang: Lang) -> String {
        match self {
            Unit::Money => super::detail::signed_money(
                crate::money::Money::from_f64(d).unwrap_or_default(),
                lang,
            ),
            Unit::Count => format!("{:+}", d.round() as i64),
            Unit::Points => format!("{d:+.1} {}", lang.pick("个百分点", "pp")),
            Unit::Staff => format!("{d:+.1} {}", lang.pick("人", "staff")),
        }
    }
}
