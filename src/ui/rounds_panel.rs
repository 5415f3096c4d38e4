//! The inspection rounds (MODEL.md §9): the rounds loaded with their pass
//! rates, the pass rate by level in each round (chart), and the sites
//! that newly failed or recovered since the previous round. Round files
//! are added here (one undo step each); a round can be removed.

use crate::charts::{ChartData, ChartKind, render_rgb_for_screen};
use crate::i18n::Lang;
use crate::rounds::Change;

use super::command::{Command, SelectMode};
use super::context::Cx;
use super::file_dialog::FilePurpose;

/// Sites listed in each change list.
const CHANGES_LISTED: usize = 300;

struct Chart {
    key: (u64, Lang, u32),
    texture: egui::TextureHandle,
}

/// The rounds panel's state.
#[derive(Default)]
pub struct RoundsPanel {
    chart: Option<Chart>,
    /// Each round's pass rates and the sites that changed between the
    /// last two, for the document revision they were worked out for.
    figures: Option<Figures>,
    /// What the last round file gave (error or not, the text).
    notice: Option<(bool, String)>,
}

struct Figures {
    revision: u64,
    rates: Vec<crate::rounds::PassRates>,
    changes: Vec<(usize, Change)>,
    /// The score of each changed site in the previous and the last round.
    scores: rustc_hash::FxHashMap<usize, (Option<f64>, Option<f64>)>,
}

/// The scores of `sites` in the last two rounds.
fn scores_of(
    rounds: &crate::rounds::Rounds,
    inv: &crate::inventory::Inventory,
    sites: &[(usize, Change)],
) -> rustc_hash::FxHashMap<usize, (Option<f64>, Option<f64>)> {
    let [.., prev, last] = rounds.rounds.as_slice() else {
        return Default::default();
    };
    let by_site = |r: &crate::rounds::Round| -> rustc_hash::FxHashMap<usize, Option<f64>> {
        r.results
            .iter()
            .filter_map(|x| Some((x.site_in(inv)?, x.score)))
            .collect()
    };
    let (p, l) = (by_site(prev), by_site(last));
    sites
        .iter()
        .map(|&(i, _)| {
            (
                i,
                (p.get(&i).copied().flatten(), l.get(&i).copied().flatten()),
            )
        })
        .collect()
}

fn t(lang: Lang, zh: &'static str, en: &'static str) -> &'static str {
    lang.pick(zh, en)
}

impl RoundsPanel {
    /// Shows what a round file gave.
    pub fn show_notice(&mut self, error: bool, text: String) {
        self.notice = Some((error, text));
    }

    /// What the last round file gave.
    pub fn notice(&self) -> Option<&(bool, String)> {
        self.notice.as_ref()
    }

    /// Draws the panel.
    pub fn ui(&mut self, ui: &mut egui::Ui, cx: &Cx<'_>, out: &mut Vec<Command>) {
        let lang = cx.lang;
        egui::ScrollArea::vertical()
            .id_salt("rounds_scroll")
            .show(ui, |ui| {
                ui.label(
                    egui::RichText::new(t(
                        lang,
                        "每轮检查一个文件（网站标识码、轮次、检查得分或检查结果，其他列作为指标保留）。每个网站以其出现的最近一轮结果为准；未出现在任何一轮的网站沿用清单中的检查结果。规则条件“最近 n 轮中至少 k 轮不合格”据此判断。",
                        "One file per inspection round (site_id, round, inspection_score or inspection_passed; other columns kept as indicators). Each site's latest round it appears in decides whether it passes; a site in no round keeps the inventory's fields. The rule condition \"failed k of the last n rounds\" reads them.",
                    ))
                    .weak(),
                );
                if ui
                    .button(t(lang, "添加检查轮次文件…", "Add inspection round file…"))
                    .clicked()
                {
                    out.push(Command::ChooseFile(FilePurpose::AddRound));
                }
                super::dialogs::notice_box(ui, "rounds_notice", &mut self.notice, lang);
                ui.separator();
                let rounds = &cx.doc.ws.rounds;
                if rounds.is_empty() {
                    ui.weak(t(lang, "还没有载入检查轮次", "No inspection round loaded yet"));
                    return;
                }
                let doc = cx.doc;
                if self.figures.as_ref().is_none_or(|f| f.revision != doc.revision) {
                    let threshold = doc.ws.params.pass_threshold;
                    let changes = rounds.changes(doc.inventory(), threshold);
                    self.figures = Some(Figures {
                        revision: doc.revision,
                        rates: rounds.pass_rates(doc.inventory(), threshold),
                        scores: scores_of(rounds, doc.inventory(), &changes),
                        changes,
                    });
                }
                let Some(figures) = self.figures.take() else {
                    return;
                };
                list_ui(ui, cx, &figures.rates, out);
                ui.add_space(6.0);
                self.chart_ui(ui, cx, &figures.rates);
                ui.add_space(6.0);
                changes_ui(ui, cx, &figures.changes, &figures.scores, out);
                self.figures = Some(figures);
            });
    }

    fn chart_ui(&mut self, ui: &mut egui::Ui, cx: &Cx<'_>, rates: &[crate::rounds::PassRates]) {
        let lang = cx.lang;
        let width = ui.available_width().clamp(240.0, 900.0);
        let ppp = ui.ctx().pixels_per_point();
        let px_w = (width * ppp).round() as u32;
        let px_h = (px_w as f32 * 0.5).round() as u32;
        let key = (cx.doc.revision, lang, px_w);
        if self.chart.as_ref().is_none_or(|c| c.key != key) {
            let doc = cx.doc;
            let data = ChartData {
                inventory: doc.inventory(),
                model: &doc.model,
                outcome: &doc.outcome,
                decisions: &doc.resolved.decisions,
                flow: None,
                pass_rates: Some(rates),
            };
            if let Ok((rgb, _)) = render_rgb_for_screen(
                ChartKind::PassRateByRound,
                &data,
                lang,
                px_w,
                px_h,
                f64::from(ppp),
            ) {
                let image = egui::ColorImage::from_rgb([px_w as usize, px_h as usize], &rgb);
                let texture =
                    ui.ctx()
                        .load_texture("rounds-chart", image, egui::TextureOptions::LINEAR);
                self.chart = Some(Chart { key, texture });
            }
        }
        if let Some(c) = &self.chart {
            ui.add(egui::Image::new(&c.texture).fit_to_exact_size(egui::vec2(width, width * 0.5)))
                .on_hover_text(ChartKind::PassRateByRound.title(lang));
        }
    }
}

fn list_ui(
    ui: &mut egui::Ui,
    cx: &Cx<'_>,
    rates: &[crate::rounds::PassRates],
    out: &mut Vec<Command>,
) {
    let lang = cx.lang;
    let doc = cx.doc;
    egui::Grid::new("rounds_list")
        .striped(true)
        .spacing([14.0, 4.0])
        .show(ui, |ui| {
            for h in [
                t(lang, "轮次", "Round"),
                t(lang, "检查网站数", "Sites inspected"),
                t(lang, "合格", "Passing"),
                t(lang, "合格率", "Pass rate"),
                t(lang, "文件", "Files"),
                "",
            ] {
                ui.strong(h);
            }
            ui.end_row();
            for (round, (_, by)) in doc.ws.rounds.rounds.iter().zip(rates) {
                let seen: usize = by.iter().map(|x| x.0).sum();
                let passed: usize = by.iter().map(|x| x.1).sum();
                ui.label(match lang {
                    Lang::Zh => round.quarter.chinese(),
                    Lang::En => round.quarter.to_string(),
                });
                ui.label(seen.to_string());
                ui.label(passed.to_string());
                ui.label(crate::outcome::percent(
                    (seen > 0).then(|| passed as f64 / seen as f64),
                ));
                ui.label(round.sources.join(", "));
                if ui
                    .small_button(t(lang, "移除", "Remove"))
                    .on_hover_text(t(
                        lang,
                        "移除这一轮（可撤销）",
                        "Remove this round (can be undone)",
                    ))
                    .clicked()
                {
                    out.push(Command::RemoveRound(round.quarter));
                }
                ui.end_row();
            }
        });
}

fn changes_ui(
    ui: &mut egui::Ui,
    cx: &Cx<'_>,
    changes: &[(usize, Change)],
    scores: &rustc_hash::FxHashMap<usize, (Option<f64>, Option<f64>)>,
    out: &mut Vec<Command>,
) {
    let lang = cx.lang;
    let doc = cx.doc;
    let [.., prev, last] = doc.ws.rounds.rounds.as_slice() else {
        ui.weak(t(
            lang,
            "载入两轮以上才能比较新增不合格和恢复合格的网站",
            "Load two rounds or more to see the sites that newly failed or recovered",
        ));
        return;
    };
    ui.strong(match lang {
        Lang::Zh => format!(
            "{} 与 {} 相比",
            last.quarter.chinese(),
            prev.quarter.chinese()
        ),
        Lang::En => format!("{} against {}", last.quarter, prev.quarter),
    });
    for (kind, label) in [
        (Change::NewlyFailed, t(lang, "新增不合格", "Newly failed")),
        (Change::Recovered, t(lang, "恢复合格", "Recovered")),
    ] {
        let sites: Vec<usize> = changes
            .iter()
            .filter(|(_, c)| *c == kind)
            .map(|(i, _)| *i)
            .collect();
        egui::CollapsingHeader::new(format!("{label} ({})", sites.len()))
            .id_salt(("rounds_changes", kind == Change::NewlyFailed))
            .default_open(kind == Change::NewlyFailed)
            .show(ui, |ui| {
                if !sites.is_empty()
                    && ui
                        .small_button(t(
                            lang,
                            "在清单中选中这些网站",
                            "Select these sites in the table",
                        ))
                        .clicked()
                {
                    for (k, &i) in sites.iter().enumerate() {
                        out.push(Command::Select {
                            site: i,
                            mode: if k == 0 {
                                SelectMode::Replace
                            } else {
                                SelectMode::Toggle
                            },
                        });
                    }
                }
                let inv = doc.inventory();
                egui::Grid::new(("rounds_changes_grid", kind == Change::NewlyFailed))
                    .striped(true)
                    .spacing([12.0, 3.0])
                    .show(ui, |ui| {
                        for &i in sites.iter().take(CHANGES_LISTED) {
                            let s = inv.site(i);
                            let name = if s.name.is_empty() { &s.id } else { &s.name };
                            if ui
                                .link(name.as_ref())
                                .on_hover_text(s.id.as_str())
                                .clicked()
                            {
                                out.push(Command::Select {
                                    site: i,
                                    mode: SelectMode::Replace,
                                });
                            }
                            ui.label(s.level.label(lang));
                            let shown = |v: Option<f64>| {
                                v.map_or_else(|| "—".to_string(), crate::inventory::fmt_number)
                            };
                            let (before, after) = scores.get(&i).copied().unwrap_or_default();
                            ui.label(format!("{} → {}", shown(before), shown(after)));
                            ui.end_row();
                        }
                    });
                if sites.len() > CHANGES_LISTED {
                    ui.label(format!("… {}", sites.len() - CHANGES_LISTED));
                }
            });
    }
}
