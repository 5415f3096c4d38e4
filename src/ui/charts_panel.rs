//! The dashboard charts, drawn by `crate::charts` (plotters) into textures,
//! redrawn only when the plan, the language or the width changes. The
//! scatter is clickable (selects a site) and shows names on hover.

use crate::charts::{ChartData, ChartKind, ChartLayout, hit_test, render_rgb};
use crate::i18n::Lang;

use super::app::Cx;
use super::command::{Command, SelectMode};
use super::strings::ChartsStr;

struct Drawn {
    key: (u64, Lang, u32),
    texture: egui::TextureHandle,
    layout: ChartLayout,
}

/// The charts panel's state: one drawn chart per kind.
#[derive(Default)]
pub struct ChartsPanel {
    drawn: Vec<(ChartKind, Drawn)>,
}

impl ChartsPanel {
    /// Draws the four charts.
    pub fn ui(&mut self, ui: &mut egui::Ui, cx: &Cx<'_>, out: &mut Vec<Command>) {
        let lang = cx.lang;
        let width = (ui.available_width().max(240.0)).round() as u32;
        let ppp = ui.ctx().pixels_per_point();
        let px_w = ((width as f32) * ppp).round() as u32;
        let px_h = (px_w as f32 * 0.6).round() as u32;
        for kind in ChartKind::ALL {
            let key = (cx.doc.revision, lang, px_w);
            let stale = !self.drawn.iter().any(|(k, d)| *k == kind && d.key == key);
            if stale {
                let data = ChartData {
                    inventory: cx.doc.inventory(),
                    model: &cx.doc.model,
                    outcome: &cx.doc.outcome,
                    decisions: &cx.doc.resolved.decisions,
                };
                match render_rgb(kind, &data, lang, px_w, px_h) {
                    Ok((rgb, layout)) => {
                        let image =
                            egui::ColorImage::from_rgb([px_w as usize, px_h as usize], &rgb);
                        let texture = ui.ctx().load_texture(
                            format!("chart-{}", kind.key()),
                            image,
                            egui::TextureOptions::LINEAR,
                        );
                        self.drawn.retain(|(k, _)| *k != kind);
                        self.drawn.push((
                            kind,
                            Drawn {
                                key,
                                texture,
                                layout,
                            },
                        ));
                    }
                    Err(e) => {
                        ui.colored_label(egui::Color32::RED, e);
                        continue;
                    }
                }
            }
            let Some((_, drawn)) = self.drawn.iter().find(|(k, _)| *k == kind) else {
                continue;
            };
            let size = egui::vec2(width as f32, px_h as f32 / ppp);
            let response = ui.add(
                egui::Image::new((drawn.texture.id(), size))
                    .sense(egui::Sense::click())
                    .alt_text(kind.title(lang)),
            );
            if kind == ChartKind::BudgetVsScore
                && let Some(pos) = response.hover_pos()
            {
                let local = (pos - response.rect.min) * ppp;
                if let Some(site) = hit_test(&drawn.layout, local.x, local.y, 6.0 * ppp) {
                    let s = cx.doc.inventory().site(site);
                    let merged = cx.doc.resolved.decisions[site].is_merge() && s.parent.is_some();
                    let text = format!(
                        "{} ({})\n{} {} · {} {}\n{}",
                        s.name,
                        s.id,
                        ChartsStr::Budget.get(lang),
                        crate::outcome::yuan(s.budget),
                        ChartsStr::Score.get(lang),
                        s.inspection_score
                            .map_or_else(|| "—".into(), |v| format!("{v:.1}")),
                        if merged {
                            ChartsStr::Merged.get(lang)
                        } else {
                            ChartsStr::Kept.get(lang)
                        }
                    );
                    response.clone().on_hover_text(text);
                    if response.clicked() {
                        out.push(Command::Select {
                            site,
                            mode: SelectMode::Replace,
                        });
                    }
                }
            }
            ui.horizontal(|ui| {
                for (label, svg) in [(ChartsStr::ExportPng, false), (ChartsStr::ExportSvg, true)] {
                    if ui.small_button(label.get(lang)).clicked() {
                        out.push(Command::ExportChart { kind, svg });
                    }
                }
            });
            ui.add_space(6.0);
        }
    }
}
