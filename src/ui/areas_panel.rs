//! The areas tab: cost, savings, coverage and counts per prefecture, with
//! its counties beneath it behind a collapse arrow. Clicking an area's name
//! shows its subtree in the inventory table.
//!
//! The figures are the core's ([`crate::outcome::AreaMap`]), worked out
//! once per document revision (the map of areas once per version of the
//! inventory's data: an edited parent moves a site to another area); the
//! rows shown are recomputed only when the figures, the sort or what is
//! expanded change.

use std::collections::HashSet;

use egui_extras::{Column as TableColumn, TableBuilder};

use crate::i18n::Lang;
use crate::money::Money;
use crate::outcome::{AreaKind, AreaMap, AreaOutcome, percent};

use super::cards::wan;
use super::command::{Command, SelectMode};
use super::context::Cx;
use super::document::Document;
use super::strings::AreasStr;

/// Identifies an area across revisions: what it is and its portal.
type AreaKey = (AreaKind, Option<usize>);

fn key(r: &AreaOutcome) -> AreaKey {
    (r.area, r.site)
}

/// One row shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Shown {
    /// An area (index into the rows).
    Area(usize),
    /// A sub-area of an expanded area.
    Sub(usize, usize),
    /// The total of the areas.
    Total,
}

/// What the shown rows were computed from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct ShownKey {
    revision: u64,
    by_savings: bool,
    expanded: u64,
}

/// The panel's own state.
#[derive(Default)]
pub struct AreasPanel {
    /// Areas shown with their sub-areas.
    expanded: HashSet<AreaKey>,
    /// Changes whenever `expanded` does.
    expanded_version: u64,
    /// Areas (and sub-areas) with the largest savings first; otherwise in
    /// the inventory's order.
    pub by_savings: bool,
    /// The map of areas, for the inventory with this id.
    map: Option<(u64, AreaMap)>,
    /// The figures, for the document revision.
    figures: Option<(u64, Vec<AreaOutcome>, AreaOutcome)>,
    /// Times the figures were worked out (for tests: once per revision).
    computed: u64,
    shown: Vec<Shown>,
    shown_key: Option<ShownKey>,
}

impl AreasPanel {
    /// Works out the figures when the document changed since the last time.
    pub fn refresh(&mut self, doc: &Document) {
        if self
            .figures
            .as_ref()
            .is_some_and(|(rev, _, _)| *rev == doc.revision)
        {
            return;
        }
        let inv = doc.inventory();
        if self
            .map
            .as_ref()
            .is_none_or(|(id, map)| *id != doc.data_version || map.sites() != inv.len())
        {
            self.map = Some((doc.data_version, AreaMap::new(inv)));
            self.expanded.clear();
            self.expanded_version += 1;
        }
        let Some((_, map)) = &self.map else {
            return;
        };
        let rows = map.outcomes(inv, &doc.model, &doc.outcome);
        let total = AreaOutcome::total(&rows);
        self.figures = Some((doc.revision, rows, total));
        self.computed += 1;
    }

    /// The areas, as of the last refresh.
    pub fn rows(&self) -> &[AreaOutcome] {
        self.figures.as_ref().map_or(&[], |(_, rows, _)| rows)
    }

    /// How many times the figures were worked out.
    pub fn computations(&self) -> u64 {
        self.computed
    }

    /// True when the area of this portal (`None`: the province or the
    /// unassigned row) shows its sub-areas.
    pub fn is_expanded(&self, kind: AreaKind, site: Option<usize>) -> bool {
        self.expanded.contains(&(kind, site))
    }

    fn toggle(&mut self, k: AreaKey) {
        if !self.expanded.remove(&k) {
            self.expanded.insert(k);
        }
        self.expanded_version += 1;
    }

    fn set_all(&mut self, open: bool) {
        self.expanded.clear();
        if open {
            self.expanded.extend(
                self.rows()
                    .iter()
                    .filter(|r| !r.sub_areas.is_empty())
                    .map(key)
                    .collect::<Vec<_>>(),
            );
        }
        self.expanded_version += 1;
    }

    /// The rows shown, in order.
    fn refresh_shown(&mut self) {
        let Some((revision, rows, _)) = &self.figures else {
            self.shown.clear();
            return;
        };
        let k = ShownKey {
            revision: *revision,
            by_savings: self.by_savings,
            expanded: self.expanded_version,
        };
        if self.shown_key == Some(k) {
            return;
        }
        let order = |list: &[AreaOutcome]| {
            let mut idx: Vec<usize> = (0..list.len()).collect();
            if self.by_savings {
                // Stable: equal savings keep the inventory's order.
                idx.sort_by(|&a, &b| list[b].savings.cmp(&list[a].savings));
            }
            idx
        };
        let mut shown = Vec::new();
        for a in order(rows) {
            shown.push(Shown::Area(a));
            if self.expanded.contains(&key(&rows[a])) {
                shown.extend(
                    order(&rows[a].sub_areas)
                        .into_iter()
                        .map(|s| Shown::Sub(a, s)),
                );
            }
        }
        if !rows.is_empty() {
            shown.push(Shown::Total);
        }
        self.shown = shown;
        self.shown_key = Some(k);
    }

    /// Draws the panel.
    pub fn ui(&mut self, ui: &mut egui::Ui, cx: &Cx<'_>, out: &mut Vec<Command>) {
        let lang = cx.lang;
        self.refresh(cx.doc);
        if self.rows().is_empty() {
            ui.weak(AreasStr::Empty.get(lang));
            return;
        }
        ui.horizontal_wrapped(|ui| {
            ui.checkbox(&mut self.by_savings, AreasStr::SortBySavings.get(lang))
                .on_hover_text(AreasStr::SortTip.get(lang));
            if ui.button(AreasStr::ExpandAll.get(lang)).clicked() {
                self.set_all(true);
            }
            if ui.button(AreasStr::CollapseAll.get(lang)).clicked() {
                self.set_all(false);
            }
            ui.separator();
            ui.weak(AreasStr::UnitNote.get(lang));
        });
        ui.weak(AreasStr::Help.get(lang));
        ui.separator();
        self.refresh_shown();
        if let Some(k) = self.table_ui(ui, cx, out) {
            self.toggle(k);
            // The rows were drawn before the click took effect.
            ui.ctx().request_repaint();
        }
    }

    /// The table; returns the area whose arrow was clicked.
    fn table_ui(&self, ui: &mut egui::Ui, cx: &Cx<'_>, out: &mut Vec<Command>) -> Option<AreaKey> {
        let lang = cx.lang;
        let Some((_, rows, total)) = &self.figures else {
            return None;
        };
        let mut toggled = None;
        let row_height = ui.spacing().interact_size.y + 2.0;
        let headers = [
            AreasStr::Area,
            AreasStr::Sites,
            AreasStr::Kept,
            AreasStr::Merged,
            AreasStr::CostBefore,
            AreasStr::CostAfter,
            AreasStr::Savings,
            AreasStr::OneTime,
            AreasStr::CoverageBefore,
            AreasStr::CoverageAfter,
        ];
        TableBuilder::new(ui)
            .id_salt("areas_table")
            .striped(true)
            .resizable(true)
            .min_scrolled_height(0.0)
            .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
            .column(TableColumn::initial(260.0).at_least(120.0).clip(true))
            .columns(TableColumn::initial(64.0).at_least(40.0), 3)
            .columns(TableColumn::initial(120.0).at_least(60.0), 4)
            .columns(TableColumn::initial(96.0).at_least(50.0), 2)
            .header(row_height, |mut header| {
                for (c, h) in headers.iter().enumerate() {
                    header.col(|ui| {
                        if c == 0 {
                            ui.strong(h.get(lang));
                        } else {
                            right(ui, |ui| ui.strong(h.get(lang)));
                        }
                    });
                }
            })
            .body(|body| {
                body.rows(row_height, self.shown.len(), |mut row| {
                    let Some(&shown) = self.shown.get(row.index()) else {
                        return;
                    };
                    let (r, sub) = match shown {
                        Shown::Area(a) => (&rows[a], false),
                        Shown::Sub(a, s) => (&rows[a].sub_areas[s], true),
                        Shown::Total => (total, false),
                    };
                    row.col(|ui| {
                        let indent = ui.spacing().indent;
                        if sub {
                            ui.add_space(2.0 * indent);
                        } else if !r.sub_areas.is_empty() {
                            let open = self.expanded.contains(&key(r));
                            if toggle_ui(ui, open, r.label(lang), lang).clicked() {
                                toggled = Some(key(r));
                            }
                        } else {
                            ui.add_space(indent);
                        }
                        name_ui(ui, r, shown, lang, out);
                    });
                    let money = |m: Money| match lang {
                        Lang::Zh => wan(m),
                        Lang::En => m.grouped_yuan(),
                    };
                    let cells = [
                        r.sites_before.to_string(),
                        r.sites_after.to_string(),
                        r.merged.to_string(),
                        money(r.cost_before),
                        money(r.cost_after),
                        money(r.savings),
                        money(r.one_time_cost),
                        percent(r.coverage.before),
                        percent(r.coverage.after),
                    ];
                    for text in cells {
                        row.col(|ui| {
                            right(ui, |ui| {
                                let t = egui::RichText::new(text);
                                let t = if shown == Shown::Total { t.strong() } else { t };
                                ui.add(egui::Label::new(t).selectable(false))
                            });
                        });
                    }
                });
            });
        toggled
    }
}

/// The area's name: a link to its subtree in the table when it is a
/// portal's area.
fn name_ui(ui: &mut egui::Ui, r: &AreaOutcome, shown: Shown, lang: Lang, out: &mut Vec<Command>) {
    let label = match shown {
        Shown::Total => AreasStr::Total.get(lang),
        _ => r.label(lang),
    };
    let text = egui::RichText::new(label);
    match r.site {
        Some(site) => {
            let text = text.color(ui.visuals().hyperlink_color);
            let text = if shown == Shown::Total || matches!(shown, Shown::Area(_)) {
                text.strong()
            } else {
                text
            };
            let link = ui
                .add(egui::Button::new(text).frame(false).truncate())
                .on_hover_text(AreasStr::ShowInTable.get(lang));
            if link.clicked() {
                out.push(Command::FilterSubtree(Some(site)));
                out.push(Command::Select {
                    site,
                    mode: SelectMode::Replace,
                });
            }
        }
        None => {
            let text = if matches!(shown, Shown::Sub(..)) {
                text.weak()
            } else {
                text.strong()
            };
            ui.add(egui::Label::new(text).selectable(false).truncate());
        }
    }
}

/// Lays out `add` against the cell's right edge (figures line up).
fn right(ui: &mut egui::Ui, add: impl FnOnce(&mut egui::Ui) -> egui::Response) {
    ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
        add(ui);
    });
}

/// The expand/collapse triangle, drawn like egui's collapsing headers;
/// screen readers (and tests) read "展开 甲市" / "Collapse 甲市".
fn toggle_ui(ui: &mut egui::Ui, open: bool, name: &str, lang: Lang) -> egui::Response {
    let size = egui::vec2(ui.spacing().indent, ui.spacing().interact_size.y);
    let (rect, response) = ui.allocate_exact_size(size, egui::Sense::click());
    let what = if open {
        AreasStr::Collapse
    } else {
        AreasStr::Expand
    };
    let label = format!("{} {name}", what.get(lang));
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &label));
    let (mut icon, _) = ui.spacing().icon_rectangles(rect);
    icon.set_center(rect.center());
    egui::collapsing_header::paint_default_icon(
        ui,
        if open { 1.0 } else { 0.0 },
        &response.clone().with_new_rect(icon),
    );
    response.on_hover_text(what.get(lang))
}
