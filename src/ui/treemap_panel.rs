//! The hierarchy at a glance: nested rectangles province → prefecture →
//! county → township, sized by budget or own population, coloured by
//! decision or inspection result. Hover names the site; a click selects
//! it in the table and the tree. The layout is the core's
//! ([`crate::outcome::treemap`]), worked out again only when the data, the
//! measure or the size change; colours follow every edit.

use crate::i18n::Lang;
use crate::outcome::treemap::{Cell, cell_at, layout};

use super::command::{Command, SelectMode};
use super::context::Cx;
use super::strings::TreemapStr;

/// What the areas stand for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Measure {
    /// Annual budget.
    #[default]
    Budget,
    /// Own population.
    Population,
}

/// What the colours say.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Colour {
    /// Kept or merged.
    #[default]
    Decision,
    /// Passes or fails inspection.
    Inspection,
}

/// Levels below a top site drawn at most.
const MAX_DEPTH: u32 = 6;
/// Rectangles narrower than this (points) are left out.
const MIN_SIDE: f64 = 1.5;

/// The treemap panel's own state.
#[derive(Default)]
pub struct TreemapPanel {
    /// What the areas stand for.
    pub measure: Measure,
    /// What the colours say.
    pub colour: Colour,
    /// The layout and what it was made for: data version, measure, size.
    cells: Vec<Cell>,
    key: Option<(u64, Measure, u32, u32)>,
    /// Where the map was last drawn (its top-left corner, in points).
    origin: egui::Pos2,
}

impl TreemapPanel {
    /// The rectangles as last laid out (relative to [`Self::origin`]).
    pub fn cells(&self) -> &[Cell] {
        &self.cells
    }

    /// The top-left corner of the map as last drawn.
    pub fn origin(&self) -> egui::Pos2 {
        self.origin
    }

    /// Draws the panel.
    pub fn ui(&mut self, ui: &mut egui::Ui, cx: &Cx<'_>, out: &mut Vec<Command>) {
        let lang = cx.lang;
        ui.horizontal_wrapped(|ui| {
            let label = ui.label(TreemapStr::SizeBy.get(lang));
            egui::ComboBox::from_id_salt("treemap_measure")
                .selected_text(measure_label(self.measure, lang))
                .show_ui(ui, |ui| {
                    for m in [Measure::Budget, Measure::Population] {
                        ui.selectable_value(&mut self.measure, m, measure_label(m, lang));
                    }
                })
                .response
                .labelled_by(label.id);
            let label = ui.label(TreemapStr::ColourBy.get(lang));
            egui::ComboBox::from_id_salt("treemap_colour")
                .selected_text(colour_label(self.colour, lang))
                .show_ui(ui, |ui| {
                    for c in [Colour::Decision, Colour::Inspection] {
                        ui.selectable_value(&mut self.colour, c, colour_label(c, lang));
                    }
                })
                .response
                .labelled_by(label.id);
            self.legend(ui, lang);
            // The map as a chart file, sized and coloured as shown.
            let kind = crate::charts::ChartKind::Treemap(crate::charts::TreemapStyle {
                population: self.measure == Measure::Population,
                inspection: self.colour == Colour::Inspection,
            });
            for (label, svg) in [
                (super::strings::ChartsStr::ExportPng, false),
                (super::strings::ChartsStr::ExportSvg, true),
            ] {
                if ui.small_button(label.get(lang)).clicked() {
                    out.push(Command::ExportChart { kind, svg });
                }
            }
        });
        ui.weak(TreemapStr::Help.get(lang));
        let size = ui.available_size().max(egui::vec2(100.0, 100.0));
        let (rect, response) = ui.allocate_exact_size(size, egui::Sense::click());
        self.origin = rect.min;
        let doc = cx.doc;
        let key = (
            doc.data_version,
            self.measure,
            rect.width().round() as u32,
            rect.height().round() as u32,
        );
        if self.key != Some(key) {
            let inv = doc.inventory();
            let own: Vec<f64> = match self.measure {
                Measure::Budget => inv.sites().iter().map(|s| s.budget.to_f64()).collect(),
                Measure::Population => doc.model.own_pop.iter().map(|&p| p as f64).collect(),
            };
            self.cells = layout(
                inv,
                &own,
                f64::from(rect.width()),
                f64::from(rect.height()),
                MAX_DEPTH,
                MIN_SIDE,
            );
            self.key = Some(key);
        }
        let painter = ui.painter_at(rect);
        if self.cells.is_empty() {
            painter.text(
                rect.center(),
                egui::Align2::CENTER_CENTER,
                TreemapStr::Empty.get(lang),
                egui::FontId::proportional(14.0),
                ui.visuals().weak_text_color(),
            );
            return;
        }
        let at = |c: &Cell| {
            egui::Rect::from_min_max(
                rect.min + egui::vec2(c.rect.x0 as f32, c.rect.y0 as f32),
                rect.min + egui::vec2(c.rect.x1 as f32, c.rect.y1 as f32),
            )
        };
        let inv = doc.inventory();
        let border = ui.visuals().extreme_bg_color;
        let font = egui::FontId::proportional(12.0);
        let text_colour = egui::Color32::from_gray(20);
        for c in &self.cells {
            let r = at(c);
            let fill = self.fill(cx, c.site);
            // A subtree's rectangle shows through where its children leave
            // room (its own share), lighter but of the same hue, so that a
            // failing county with townships reads as red as one without
            // (as the exported chart does).
            let fill = if c.own {
                fill
            } else {
                fill.lerp_to_gamma(egui::Color32::WHITE, 0.45)
            };
            painter.rect_filled(r, 0.0, fill);
            let width = if c.own {
                0.5
            } else {
                (2.0 - c.depth as f32 * 0.4).max(0.5)
            };
            painter.rect_stroke(
                r,
                0.0,
                egui::Stroke::new(width, border),
                egui::StrokeKind::Inside,
            );
        }
        // Names where they fit: the larger subtrees first.
        for c in self.cells.iter().filter(|c| !c.own && c.depth <= 3) {
            let r = at(c);
            if r.width() < 40.0 || r.height() < 16.0 {
                continue;
            }
            let name = &inv.site(c.site).name;
            let galley = painter.layout_no_wrap(name.to_string(), font.clone(), text_colour);
            if galley.size().x + 6.0 <= r.width() {
                painter.galley(r.min + egui::vec2(3.0, 2.0), galley, text_colour);
            }
        }
        if let Some(selected) = cx.selection.focus
            && let Some(c) = self.cells.iter().find(|c| c.site == selected && !c.own)
        {
            painter.rect_stroke(
                at(c),
                0.0,
                egui::Stroke::new(2.5, ui.visuals().selection.stroke.color),
                egui::StrokeKind::Inside,
            );
        }
        if let Some(pos) = response.hover_pos() {
            let p = pos - rect.min;
            if let Some(c) = cell_at(&self.cells, f64::from(p.x), f64::from(p.y)) {
                let s = inv.site(c.site);
                let merged = doc.resolved.decisions[c.site].is_merge() && s.parent.is_some();
                let text = format!(
                    "{}{}\n{} · {}\n{}: {}\n{}: {}",
                    s.name,
                    if c.own {
                        format!(" ({})", TreemapStr::OwnShare.get(lang))
                    } else {
                        String::new()
                    },
                    s.level.label(lang),
                    if merged {
                        TreemapStr::Merged.get(lang)
                    } else {
                        TreemapStr::Kept.get(lang)
                    },
                    TreemapStr::Budget.get(lang),
                    super::cards::money(s.budget, lang),
                    TreemapStr::Population.get(lang),
                    crate::outcome::count(doc.model.own_pop[c.site] as f64),
                );
                response.clone().on_hover_text_at_pointer(text);
                if response.clicked() {
                    out.push(Command::Select {
                        site: c.site,
                        mode: SelectMode::Replace,
                    });
                }
            }
        }
    }

    fn fill(&self, cx: &Cx<'_>, site: usize) -> egui::Color32 {
        let doc = cx.doc;
        match self.colour {
            Colour::Decision => {
                let merged = doc.resolved.decisions[site].is_merge()
                    && doc.inventory().parent(site).is_some();
                if merged { MERGED } else { KEPT }
            }
            Colour::Inspection => {
                if doc.model.passes[site] {
                    PASSES
                } else {
                    FAILS
                }
            }
        }
    }

    fn legend(&self, ui: &mut egui::Ui, lang: Lang) {
        let items: [(egui::Color32, TreemapStr); 2] = match self.colour {
            Colour::Decision => [(KEPT, TreemapStr::Kept), (MERGED, TreemapStr::Merged)],
            Colour::Inspection => [(PASSES, TreemapStr::Passes), (FAILS, TreemapStr::Fails)],
        };
        for (colour, label) in items {
            let (r, _) = ui.allocate_exact_size(egui::vec2(12.0, 12.0), egui::Sense::hover());
            ui.painter().rect_filled(r, 2.0, colour);
            ui.label(label.get(lang));
        }
    }
}

const KEPT: egui::Color32 = egui::Color32::from_rgb(0x8f, 0xa8, 0xc2);
const MERGED: egui::Color32 = egui::Color32::from_rgb(0xf0, 0xa2, 0x4a);
const PASSES: egui::Color32 = egui::Color32::from_rgb(0x7c, 0xc4, 0x9a);
const FAILS: egui::Color32 = egui::Color32::from_rgb(0xe0, 0x7a, 0x6e);

fn measure_label(m: Measure, lang: Lang) -> &'static str {
    match m {
        Measure::Budget => TreemapStr::Budget.get(lang),
        Measure::Population => TreemapStr::Population.get(lang),
    }
}

fn colour_label(c: Colour, lang: Lang) -> &'static str {
    match c {
        Colour::Decision => TreemapStr::Decision.get(lang),
        Colour::Inspection => TreemapStr::Inspection.get(lang),
    }
}
