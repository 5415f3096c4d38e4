//! The dashboard charts, drawn by `crate::charts` (plotters) into textures,
//! redrawn only when the plan, the language or the width changes (for a
//! large inventory on a worker thread, the previous drawing staying until
//! the new one is ready). The scatter is clickable (selects a site) and
//! shows names on hover.

use crate::charts::{ChartData, ChartKind, ChartLayout, hit_test, render_rgb_for_screen};
use crate::i18n::Lang;

use super::command::{Command, SelectMode};
use super::context::Cx;
use super::strings::ChartsStr;

struct Drawn {
    key: (u64, Lang, u32),
    /// The inventory it was drawn from (a drawing of another one is never
    /// shown: its layout names other sites).
    inventory: u64,
    texture: egui::TextureHandle,
    layout: ChartLayout,
}

/// Charts drawn on a worker thread: (kind, pixels or error, layout).
type Drawings = Vec<(ChartKind, Result<(Vec<u8>, ChartLayout), String>)>;

/// The stale charts of a large inventory, being drawn on a worker thread
/// from the document's shared data.
struct RenderJob {
    key: (u64, Lang, u32),
    inventory: u64,
    size: (u32, u32),
    drawings: super::jobs::Task<Drawings>,
}

/// The charts panel's state: one drawn chart per kind.
pub struct ChartsPanel {
    drawn: Vec<(ChartKind, Drawn)>,
    job: Option<RenderJob>,
    /// Charts the worker could not draw, with why.
    failed: Vec<(ChartKind, String)>,
    /// Drawings started on a worker thread so far.
    started: u64,
    /// Inventories of this many sites or more are drawn on a worker thread
    /// (the previous drawing stays until the new one is ready).
    pub background_from: usize,
}

impl Default for ChartsPanel {
    fn default() -> Self {
        ChartsPanel {
            drawn: Vec::new(),
            job: None,
            failed: Vec::new(),
            started: 0,
            background_from: 200_000,
        }
    }
}

impl ChartsPanel {
    /// True while charts are being drawn on a worker thread.
    pub fn drawing(&self) -> bool {
        self.job.is_some()
    }

    /// How many drawings were started on a worker thread.
    pub fn background_drawings(&self) -> u64 {
        self.started
    }

    fn store(
        &mut self,
        ctx: &egui::Context,
        kind: ChartKind,
        key: (u64, Lang, u32),
        inventory: u64,
        (px_w, px_h): (u32, u32),
        (rgb, layout): (Vec<u8>, ChartLayout),
    ) {
        let image = egui::ColorImage::from_rgb([px_w as usize, px_h as usize], &rgb);
        let texture = ctx.load_texture(
            format!("chart-{}", kind.key()),
            image,
            egui::TextureOptions::LINEAR,
        );
        self.drawn.retain(|(k, _)| *k != kind);
        self.drawn.push((
            kind,
            Drawn {
                key,
                inventory,
                texture,
                layout,
            },
        ));
    }

    /// Takes in the worker's drawings once it has finished.
    fn poll(&mut self, ctx: &egui::Context, inventory: u64) {
        let Some(job) = &self.job else {
            return;
        };
        let Some(drawings) = job.drawings.poll() else {
            ctx.request_repaint_after(std::time::Duration::from_millis(30));
            return;
        };
        let Some(job) = self.job.take() else {
            return;
        };
        if job.inventory != inventory {
            return;
        }
        for (kind, drawing) in drawings.unwrap_or_default() {
            // A drawing of an earlier revision is still shown until the
            // current one is ready (its key says it is stale).
            self.failed.retain(|(k, _)| *k != kind);
            match drawing {
                Ok(drawing) => self.store(ctx, kind, job.key, job.inventory, job.size, drawing),
                Err(e) => self.failed.push((kind, e)),
            }
        }
        ctx.request_repaint();
    }

    /// Draws the four charts.
    pub fn ui(&mut self, ui: &mut egui::Ui, cx: &Cx<'_>, out: &mut Vec<Command>) {
        let lang = cx.lang;
        let width = (ui.available_width().max(240.0)).round() as u32;
        let ppp = ui.ctx().pixels_per_point();
        let px_w = ((width as f32) * ppp).round() as u32;
        let px_h = (px_w as f32 * 0.6).round() as u32;
        let key = (cx.doc.revision, lang, px_w);
        let inventory = cx.doc.inventory_id;
        self.poll(ui.ctx(), inventory);
        self.drawn
            .retain(|(_, d)| d.inventory == inventory && d.key.1 == lang && d.key.2 == px_w);
        let stale: Vec<ChartKind> = ChartKind::ALL
            .into_iter()
            .filter(|&kind| !self.drawn.iter().any(|(k, d)| *k == kind && d.key == key))
            .collect();
        let mut errors: Vec<(ChartKind, String)> = self.failed.clone();
        if !stale.is_empty() && cx.doc.inventory().len() >= self.background_from {
            if self.job.is_none() {
                self.job = self.start(cx, stale, key, (px_w, px_h), ppp);
                self.started += u64::from(self.job.is_some());
                ui.ctx()
                    .request_repaint_after(std::time::Duration::from_millis(30));
            }
        } else {
            for kind in stale {
                let data = ChartData {
                    inventory: cx.doc.inventory(),
                    model: &cx.doc.model,
                    outcome: &cx.doc.outcome,
                    decisions: &cx.doc.resolved.decisions,
                    flow: None,
                    pass_rates: None,
                };
                match render_rgb_for_screen(kind, &data, lang, px_w, px_h, f64::from(ppp)) {
                    Ok(drawing) => {
                        self.failed.retain(|(k, _)| *k != kind);
                        errors.retain(|(k, _)| *k != kind);
                        self.store(ui.ctx(), kind, key, inventory, (px_w, px_h), drawing)
                    }
                    Err(e) => errors.push((kind, e.message(lang))),
                }
            }
        }
        for kind in ChartKind::ALL {
            if let Some((_, e)) = errors.iter().find(|(k, _)| *k == kind) {
                ui.colored_label(egui::Color32::RED, e);
                continue;
            }
            let Some((_, drawn)) = self.drawn.iter().find(|(k, _)| *k == kind) else {
                // Not drawn yet: a placeholder of the chart's size.
                let size = egui::vec2(width as f32, px_h as f32 / ppp);
                let (rect, _) = ui.allocate_exact_size(size, egui::Sense::hover());
                ui.scope_builder(egui::UiBuilder::new().max_rect(rect.shrink(8.0)), |ui| {
                    ui.horizontal(|ui| {
                        ui.spinner();
                        ui.label(kind.title(lang));
                    });
                });
                ui.add_space(6.0);
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
                if let Some(site) = hit_test(&drawn.layout, local.x, local.y, 6.0 * ppp)
                    .filter(|&site| site < cx.doc.inventory().len())
                {
                    let s = cx.doc.inventory().site(site);
                    let merged = cx.doc.resolved.decisions[site].is_merge() && s.parent.is_some();
                    let text = format!(
                        "{} ({})\n{} {} · {} {}\n{}",
                        s.name,
                        s.id,
                        ChartsStr::Budget.get(lang),
                        s.budget.grouped(),
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

    /// Starts drawing `kinds` on a worker thread from the document's
    /// shared data (nothing is copied).
    fn start(
        &self,
        cx: &Cx<'_>,
        kinds: Vec<ChartKind>,
        key: (u64, Lang, u32),
        (px_w, px_h): (u32, u32),
        ppp: f32,
    ) -> Option<RenderJob> {
        let doc = cx.doc;
        let (imported, model, outcome, resolved) = (
            doc.ws.imported.clone(),
            doc.model.clone(),
            doc.outcome.clone(),
            doc.resolved.clone(),
        );
        let lang = key.1;
        let drawings = super::jobs::Task::spawn("sitefold-charts", move |_| {
            let data = ChartData {
                inventory: &imported.inventory,
                model: &model,
                outcome: &outcome,
                decisions: &resolved.decisions,
                flow: None,
                pass_rates: None,
            };
            kinds
                .into_iter()
                .map(|kind| {
                    let drawn =
                        render_rgb_for_screen(kind, &data, lang, px_w, px_h, f64::from(ppp));
                    (kind, drawn.map_err(|e| e.message(lang)))
                })
                .collect()
        })
        .ok()?;
        Some(RenderJob {
            key,
            inventory: doc.inventory_id,
            size: (px_w, px_h),
            drawings,
        })
    }
}
