//! The inventory table: virtualised rows, sort by any column, filters,
//! multi-select and bulk decisions.

use egui_extras::{Column as TableColumn, TableBuilder};

use crate::i18n::Lang;
use crate::inventory::{Kind, Level};
use crate::plan::{Decision, Source};

use super::app::Cx;
use super::command::{Command, Decide, SelectMode};
use super::document::Document;
use super::strings::S;

/// Which decisions the table shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum DecisionFilter {
    /// Every site.
    #[default]
    All,
    /// Kept sites.
    Kept,
    /// Merged sites.
    Merged,
    /// Sites with a manual decision.
    Manual,
}

/// The table's filters.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Filters {
    /// Text searched in id, name and url.
    pub text: String,
    /// Only this level.
    pub level: Option<Level>,
    /// Only this kind.
    pub kind: Option<Kind>,
    /// Only passing (true) or failing (false) sites.
    pub passing: Option<bool>,
    /// Decision filter.
    pub decision: DecisionFilter,
    /// Only receiving sites over capacity.
    pub over_capacity: bool,
    /// Only the subtree of this site.
    pub subtree: Option<usize>,
}

/// A sortable column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SortKey {
    /// File order.
    Row,
    /// Site id.
    Id,
    /// Name.
    Name,
    /// Level.
    Level,
    /// Kind.
    Kind,
    /// Budget.
    Budget,
    /// Own population.
    Population,
    /// Score.
    Score,
    /// Passes.
    Passes,
    /// Decision.
    Decision,
    /// Serving site.
    Serving,
    /// Reason.
    Reason,
}

/// A sort on a worker thread: the order arrives here.
type SortJob = std::sync::mpsc::Receiver<Vec<usize>>;

/// The table panel's own state.
pub struct TablePanel {
    /// Filters.
    pub filters: Filters,
    /// Sort column and direction.
    pub sort: (SortKey, bool),
    shown: Vec<usize>,
    /// What `shown` was made from: the order's version, the inventory,
    /// the revision (when the filters depend on decisions or figures),
    /// the filters and the direction.
    cache_key: Option<(u64, u64, u64, Filters, bool)>,
    /// Grows whenever `order` changes.
    order_version: u64,
    order: Vec<usize>,
    order_key: Option<(u64, SortKey)>,
    scroll_to: Option<usize>,
    /// A sort running on a worker thread, for the order key it is for.
    sorting: Option<((u64, SortKey), SortJob)>,
    /// Inventories of this many sites or more are sorted on a worker
    /// thread (the table keeps its previous order until the new one is
    /// ready); smaller ones at once.
    pub background_sort_from: usize,
}

impl Default for TablePanel {
    fn default() -> Self {
        TablePanel {
            filters: Filters::default(),
            sort: (SortKey::Row, true),
            shown: Vec::new(),
            cache_key: None,
            order_version: 0,
            order: Vec::new(),
            order_key: None,
            scroll_to: None,
            sorting: None,
            background_sort_from: 200_000,
        }
    }
}

const COLUMNS: [(S, SortKey); 11] = [
    (S::ColId, SortKey::Id),
    (S::ColName, SortKey::Name),
    (S::ColLevel, SortKey::Level),
    (S::ColKind, SortKey::Kind),
    (S::ColBudget, SortKey::Budget),
    (S::ColPopulation, SortKey::Population),
    (S::ColScore, SortKey::Score),
    (S::ColPasses, SortKey::Passes),
    (S::ColDecision, SortKey::Decision),
    (S::ColServing, SortKey::Serving),
    (S::ColReason, SortKey::Reason),
];

impl TablePanel {
    /// The sites shown, in display order (as of the last refresh).
    pub fn shown(&self) -> &[usize] {
        &self.shown
    }

    /// Shows only the subtree of `root` (or everything).
    pub fn set_subtree(&mut self, root: Option<usize>) {
        self.filters.subtree = root;
        self.scroll_to = root;
    }

    /// Makes `site` visible: when the filters hide it they are cleared
    /// (the sort stays), and the table scrolls to its row.
    pub fn reveal(&mut self, site: usize) {
        if !self.shown.contains(&site) {
            self.filters = Filters::default();
        }
        self.scroll_to = Some(site);
    }

    /// True while a sort runs in the background.
    pub fn sorting(&self) -> bool {
        self.sorting.is_some()
    }

    /// Recomputes the shown rows when the data, filters or sort changed.
    pub fn refresh(&mut self, doc: &Document) {
        // Sorting 100k names takes a while: the order of the columns that
        // edits cannot change is kept until another inventory is opened.
        let order_key = (
            if sort_is_static(self.sort.0) {
                doc.inventory_id
            } else {
                doc.revision
            },
            self.sort.0,
        );
        if let Some((for_key, rx)) = &self.sorting {
            match rx.try_recv() {
                Ok(order) => {
                    if *for_key == order_key {
                        self.order = order;
                        self.order_key = Some(order_key);
                        self.order_version += 1;
                    }
                    self.sorting = None;
                }
                Err(std::sync::mpsc::TryRecvError::Empty) if *for_key == order_key => {}
                // Outdated or lost: sort again below.
                Err(_) => self.sorting = None,
            }
        }
        let n = doc.inventory().len();
        if self.order_key != Some(order_key) && self.sorting.is_none() {
            let input = SortInput::new(doc, self.sort.0);
            if n >= self.background_sort_from {
                let (tx, rx) = std::sync::mpsc::channel();
                let spawned = std::thread::Builder::new()
                    .name("sitefold-sort".into())
                    .spawn(move || {
                        super::jobs::background_priority();
                        let _ = tx.send(input.sorted());
                    });
                match spawned {
                    Ok(_) => self.sorting = Some((order_key, rx)),
                    Err(_) => {
                        self.order = SortInput::new(doc, self.sort.0).sorted();
                        self.order_key = Some(order_key);
                        self.order_version += 1;
                    }
                }
            } else {
                self.order = input.sorted();
                self.order_key = Some(order_key);
                self.order_version += 1;
            }
        }
        if self.order.len() != n {
            // Another inventory, still being sorted: file order meanwhile.
            self.order = (0..n).collect();
            self.order_key = None;
            self.order_version += 1;
        }
        let f = &self.filters;
        let by_revision =
            f.decision != DecisionFilter::All || f.passing.is_some() || f.over_capacity;
        let key = (
            self.order_version,
            doc.inventory_id,
            if by_revision { doc.revision } else { 0 },
            self.filters.clone(),
            self.sort.1,
        );
        if self.cache_key.as_ref() == Some(&key) {
            return;
        }
        // Without filters (the usual case) every row shows: no pass over a
        // million sites on each edit.
        self.shown = if self.filters == Filters::default() {
            self.order.clone()
        } else {
            filtered(doc, &self.filters, &self.order)
        };
        if !self.sort.1 {
            self.shown.reverse();
        }
        self.cache_key = Some(key);
    }

    /// Draws the filters, bulk actions and table.
    pub fn ui(&mut self, ui: &mut egui::Ui, cx: &Cx<'_>, out: &mut Vec<Command>) {
        let lang = cx.lang;
        let doc = cx.doc;
        self.filters_ui(ui, doc, lang);
        self.refresh(doc);
        if self.sorting.is_some() {
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_millis(30));
        }
        self.bulk_ui(ui, cx, out);
        ui.separator();
        // Wide tables scroll sideways rather than squeezing the columns.
        egui::ScrollArea::horizontal()
            .id_salt("inventory_table_h")
            .show(ui, |ui| self.table_ui(ui, cx, out));
    }

    fn filters_ui(&mut self, ui: &mut egui::Ui, doc: &Document, lang: Lang) {
        let f = &mut self.filters;
        ui.horizontal_wrapped(|ui| {
            ui.add(
                egui::TextEdit::singleline(&mut f.text)
                    .hint_text(S::Search.get(lang))
                    .desired_width(180.0),
            );
            // The label first, as forms read (then the choice).
            let label = ui.label(S::ColLevel.get(lang));
            egui::ComboBox::from_id_salt("level_filter")
                .selected_text(f.level.map_or(S::AllLevels.get(lang), |l| l.label(lang)))
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut f.level, None, S::AllLevels.get(lang));
                    for l in Level::ALL {
                        ui.selectable_value(&mut f.level, Some(l), l.label(lang));
                    }
                })
                .response
                .labelled_by(label.id);
            // The label first, as forms read (then the choice).
            let label = ui.label(S::ColKind.get(lang));
            egui::ComboBox::from_id_salt("kind_filter")
                .selected_text(f.kind.map_or(S::AllKinds.get(lang), |k| k.label(lang)))
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut f.kind, None, S::AllKinds.get(lang));
                    for k in Kind::ALL {
                        ui.selectable_value(&mut f.kind, Some(k), k.label(lang));
                    }
                })
                .response
                .labelled_by(label.id);
            // The label first, as forms read (then the choice).
            let label = ui.label(S::FailedInspection.get(lang));
            egui::ComboBox::from_id_salt("pass_filter")
                .selected_text(match f.passing {
                    None => S::AllResults.get(lang),
                    Some(true) => S::Passing.get(lang),
                    Some(false) => S::Failing.get(lang),
                })
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut f.passing, None, S::AllResults.get(lang));
                    ui.selectable_value(&mut f.passing, Some(true), S::Passing.get(lang));
                    ui.selectable_value(&mut f.passing, Some(false), S::Failing.get(lang));
                })
                .response
                .labelled_by(label.id);
            // The label first, as forms read (then the choice).
            let label = ui.label(S::ColDecision.get(lang));
            egui::ComboBox::from_id_salt("decision_filter")
                .selected_text(decision_filter_label(f.decision, lang))
                .show_ui(ui, |ui| {
                    for d in [
                        DecisionFilter::All,
                        DecisionFilter::Kept,
                        DecisionFilter::Merged,
                        DecisionFilter::Manual,
                    ] {
                        ui.selectable_value(&mut f.decision, d, decision_filter_label(d, lang));
                    }
                })
                .response
                .labelled_by(label.id);
            ui.checkbox(&mut f.over_capacity, S::OverCapacityOnly.get(lang));
            if let Some(root) = f.subtree {
                let site = doc.inventory().site(root);
                if ui
                    .button(format!("{} {} ×", S::SubtreeFilter.get(lang), site.name))
                    .clicked()
                {
                    f.subtree = None;
                }
            }
            if *f != Filters::default() && ui.button(S::ClearFilters.get(lang)).clicked() {
                *f = Filters::default();
            }
        });
    }

    fn bulk_ui(&mut self, ui: &mut egui::Ui, cx: &Cx<'_>, out: &mut Vec<Command>) {
        let lang = cx.lang;
        let selected = cx.selection.to_vec();
        ui.horizontal_wrapped(|ui| {
            if self.sorting.is_some() {
                // In the counts' line, so the table does not move.
                ui.spinner();
                ui.label(S::Sorting.get(lang));
            }
            ui.label(format!(
                "{} {} {} {} · {} {}",
                S::Shown.get(lang),
                self.shown.len(),
                S::Of.get(lang),
                cx.doc.inventory().len(),
                selected.len(),
                S::Selected.get(lang)
            ));
            ui.add_enabled_ui(!selected.is_empty(), |ui| {
                let sites = selected.clone();
                if ui.button(S::MergeIntoParent.get(lang)).clicked() {
                    out.push(Command::Decide {
                        sites: sites.clone(),
                        how: Decide::MergeIntoParent,
                    });
                }
                ui.menu_button(S::MergeInto.get(lang), |ui| {
                    merge_into_menu(ui, cx, &sites, out);
                });
                if ui.button(S::KeepSelected.get(lang)).clicked() {
                    out.push(Command::Decide {
                        sites: sites.clone(),
                        how: Decide::Keep,
                    });
                }
                if ui.button(S::ClearManual.get(lang)).clicked() {
                    out.push(Command::Decide {
                        sites,
                        how: Decide::Clear,
                    });
                }
            });
        });
    }

    fn table_ui(&mut self, ui: &mut egui::Ui, cx: &Cx<'_>, out: &mut Vec<Command>) {
        let lang = cx.lang;
        let doc = cx.doc;
        let inv = doc.inventory();
        let row_height = 22.0;
        // Clicks on a cell's text must select the row, not start a text selection.
        ui.style_mut().interaction.selectable_labels = false;
        let mut builder = TableBuilder::new(ui)
            .id_salt("inventory_table")
            .striped(true)
            .resizable(true)
            .sense(egui::Sense::click())
            .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
            .column(TableColumn::initial(110.0).at_least(60.0).clip(true))
            .column(TableColumn::initial(200.0).at_least(80.0).clip(true))
            .column(TableColumn::initial(64.0))
            .column(TableColumn::initial(54.0))
            .column(TableColumn::initial(90.0))
            .column(TableColumn::initial(90.0))
            .column(TableColumn::initial(50.0))
            .column(TableColumn::initial(46.0))
            .column(TableColumn::initial(56.0))
            .column(TableColumn::initial(150.0).clip(true))
            .column(TableColumn::initial(140.0).at_least(80.0).clip(true))
            .min_scrolled_height(0.0);
        if let Some(target) = self.scroll_to.take()
            && let Some(pos) = self.shown.iter().position(|&s| s == target)
        {
            builder = builder.scroll_to_row(pos, Some(egui::Align::TOP));
        }
        let mut clicked: Option<(usize, SelectMode)> = None;
        builder
            .header(24.0, |mut header| {
                for (label, key) in COLUMNS {
                    header.col(|ui| {
                        let arrow = if self.sort.0 == key {
                            if self.sort.1 { " ▲" } else { " ▼" }
                        } else {
                            ""
                        };
                        if ui
                            .add(
                                egui::Button::new(
                                    egui::RichText::new(format!("{}{arrow}", label.get(lang)))
                                        .strong(),
                                )
                                .frame(false),
                            )
                            .clicked()
                        {
                            self.sort = if self.sort.0 == key {
                                (key, !self.sort.1)
                            } else {
                                (key, true)
                            };
                        }
                    });
                }
            })
            .body(|body| {
                body.rows(row_height, self.shown.len(), |mut row| {
                    let i = self.shown[row.index()];
                    let s = inv.site(i);
                    let decision = doc.resolved.decisions[i];
                    let merged = decision.is_merge() && s.parent.is_some();
                    let passes = doc.model.passes[i];
                    row.set_selected(cx.selection.contains(i));
                    row.col(|ui| {
                        ui.label(&s.id);
                    });
                    row.col(|ui| {
                        ui.label(&s.name).on_hover_text(&s.name);
                    });
                    row.col(|ui| {
                        ui.label(s.level.label(lang));
                    });
                    row.col(|ui| {
                        ui.label(s.kind.label(lang));
                    });
                    row.col(|ui| {
                        ui.label(s.budget.grouped());
                    });
                    row.col(|ui| {
                        ui.label(crate::outcome::count(doc.model.own_pop[i] as f64));
                    });
                    row.col(|ui| {
                        ui.label(
                            s.inspection_score
                                .map_or_else(String::new, |v| format!("{v:.1}")),
                        );
                    });
                    row.col(|ui| {
                        let (t, c) = if passes {
                            (S::Yes.get(lang), egui::Color32::from_rgb(0x1b, 0x8a, 0x5a))
                        } else {
                            (S::No.get(lang), egui::Color32::from_rgb(0xc0, 0x39, 0x2b))
                        };
                        ui.colored_label(c, t);
                    });
                    row.col(|ui| {
                        let text = if merged {
                            egui::RichText::new(S::Merged.get(lang))
                                .color(egui::Color32::from_rgb(0xd3, 0x6b, 0x00))
                        } else {
                            egui::RichText::new(S::Kept.get(lang))
                        };
                        ui.label(text);
                    });
                    row.col(|ui| {
                        if merged {
                            let t = doc.outcome.serving[i] as usize;
                            ui.label(&inv.site(t).name);
                        }
                    });
                    row.col(|ui| {
                        ui.label(reason(doc, i, lang));
                    });
                    let response = row.response();
                    if response.clicked() {
                        let m = response.ctx.input(|inp| inp.modifiers);
                        let mode = if m.shift {
                            SelectMode::Range
                        } else if m.command || m.ctrl {
                            SelectMode::Toggle
                        } else {
                            SelectMode::Replace
                        };
                        clicked = Some((i, mode));
                    }
                });
            });
        if let Some((site, mode)) = clicked {
            out.push(Command::Select { site, mode });
        }
    }
}

fn decision_filter_label(d: DecisionFilter, lang: Lang) -> &'static str {
    match d {
        DecisionFilter::All => S::AllDecisions.get(lang),
        DecisionFilter::Kept => S::Kept.get(lang),
        DecisionFilter::Merged => S::Merged.get(lang),
        DecisionFilter::Manual => S::ManualOnly.get(lang),
    }
}

/// Why a site has its decision, as the planner reads it.
pub fn reason(doc: &Document, i: usize, lang: Lang) -> String {
    doc.resolved.sources[i].label(&doc.ws.rules, lang)
}

/// True for the columns whose order no edit can change.
fn sort_is_static(key: SortKey) -> bool {
    matches!(
        key,
        SortKey::Row
            | SortKey::Id
            | SortKey::Name
            | SortKey::Level
            | SortKey::Kind
            | SortKey::Budget
            | SortKey::Population
            | SortKey::Score
    )
}

/// The rows of `order` the filters let through, in that order.
fn filtered(doc: &Document, f: &Filters, order: &[usize]) -> Vec<usize> {
    let inv = doc.inventory();
    let n = inv.len();
    let in_subtree: Option<Vec<bool>> = f.subtree.filter(|&r| r < n).map(|root| {
        let mut mark = vec![false; n];
        for s in inv.subtree(root) {
            mark[s] = true;
        }
        mark
    });
    let over: Option<Vec<bool>> = f.over_capacity.then(|| {
        let mut mark = vec![false; n];
        for t in doc.outcome.targets.iter().filter(|t| t.over_capacity) {
            mark[t.site] = true;
        }
        mark
    });
    let needle = f.text.trim().to_lowercase();
    order
        .iter()
        .copied()
        .filter(|&i| {
            let s = inv.site(i);
            let d = doc.resolved.decisions[i];
            let merged = d.is_merge() && s.parent.is_some();
            in_subtree.as_ref().is_none_or(|m| m[i])
                && over.as_ref().is_none_or(|m| m[i])
                && f.level.is_none_or(|l| s.level == l)
                && f.kind.is_none_or(|k| s.kind == k)
                && f.passing.is_none_or(|p| doc.model.passes[i] == p)
                && match f.decision {
                    DecisionFilter::All => true,
                    DecisionFilter::Kept => !merged,
                    DecisionFilter::Merged => merged,
                    DecisionFilter::Manual => doc.resolved.sources[i] == Source::Manual,
                }
                && (needle.is_empty()
                    || s.id.to_lowercase().contains(&needle)
                    || s.name.to_lowercase().contains(&needle)
                    || s.url.to_lowercase().contains(&needle))
        })
        .collect()
}

/// What sorting by one column needs, owned, so that it can run on a
/// worker thread: the shared inventory, or one key per site.
enum SortInput {
    /// File order.
    Row(usize),
    /// By a field of the sites.
    Sites(std::sync::Arc<crate::inventory::Imported>, SortKey),
    /// By the name of each site's serving site.
    Serving(std::sync::Arc<crate::inventory::Imported>, Vec<u32>),
    /// By a number per site.
    Keys(Vec<u64>),
}

impl SortInput {
    fn new(doc: &Document, key: SortKey) -> SortInput {
        let n = doc.inventory().len();
        let imported = || doc.ws.imported.clone();
        let keys = |f: &dyn Fn(usize) -> u64| SortInput::Keys((0..n).map(f).collect());
        match key {
            SortKey::Row => SortInput::Row(n),
            SortKey::Id
            | SortKey::Name
            | SortKey::Level
            | SortKey::Kind
            | SortKey::Budget
            | SortKey::Score => SortInput::Sites(imported(), key),
            SortKey::Population => keys(&|i| doc.model.own_pop[i]),
            SortKey::Passes => keys(&|i| u64::from(doc.model.passes[i])),
            SortKey::Decision => {
                keys(&|i| u64::from(matches!(doc.resolved.decisions[i], Decision::Merge { .. })))
            }
            SortKey::Reason => keys(&|i| match doc.resolved.sources[i] {
                Source::Manual => 0,
                Source::Optimizer => 1,
                Source::Rule(r) => 2 + r as u64,
                Source::Default => u64::MAX - 1,
                Source::Top => u64::MAX,
            }),
            SortKey::Serving => SortInput::Serving(imported(), doc.outcome.serving.clone()),
        }
    }

    /// Every row, ascending (ties in file order).
    fn sorted(&self) -> Vec<usize> {
        match self {
            SortInput::Row(n) => (0..*n).collect(),
            SortInput::Keys(keys) => {
                let mut rows: Vec<usize> = (0..keys.len()).collect();
                rows.sort_by_key(|&i| keys[i]);
                rows
            }
            SortInput::Serving(imported, serving) => {
                let sites = imported.inventory.sites();
                let mut rows: Vec<usize> = (0..sites.len()).collect();
                rows.sort_by(|&a, &b| {
                    sites[serving[a] as usize]
                        .name
                        .cmp(&sites[serving[b] as usize].name)
                });
                rows
            }
            SortInput::Sites(imported, key) => {
                let sites = imported.inventory.sites();
                let mut rows: Vec<usize> = (0..sites.len()).collect();
                let score = |i: usize| sites[i].inspection_score.unwrap_or(-1.0);
                match key {
                    SortKey::Id => rows.sort_by(|&a, &b| sites[a].id.cmp(&sites[b].id)),
                    SortKey::Name => rows.sort_by(|&a, &b| sites[a].name.cmp(&sites[b].name)),
                    SortKey::Level => rows.sort_by_key(|&i| sites[i].level),
                    SortKey::Kind => rows.sort_by_key(|&i| sites[i].kind as u8),
                    SortKey::Budget => rows.sort_by(|&a, &b| sites[a].budget.cmp(&sites[b].budget)),
                    SortKey::Score => rows.sort_by(|&a, &b| score(a).total_cmp(&score(b))),
                    _ => {}
                }
                rows
            }
        }
    }
}

/// The "Merge into…" menu for a selection: each site into its ancestor at
/// a level (counting the sites that have one), then the ancestors every
/// selected site shares. Each entry says how many sites it changes.
fn merge_into_menu(ui: &mut egui::Ui, cx: &Cx<'_>, sites: &[usize], out: &mut Vec<Command>) {
    let lang = cx.lang;
    let inv = cx.doc.inventory();
    let n = sites.len();
    ui.weak(S::MergeIntoLevel.get(lang));
    for level in Level::ALL {
        let with = sites
            .iter()
            .filter(|&&s| inv.ancestors(s).any(|a| inv.site(a).level == level))
            .count();
        if with == 0 {
            continue;
        }
        let label = format!(
            "{} ({} / {} {})",
            level.label(lang),
            with,
            n,
            S::SitesCount.get(lang)
        );
        if ui.button(label).clicked() {
            out.push(Command::Decide {
                sites: sites.to_vec(),
                how: Decide::MergeIntoLevel(level),
            });
        }
    }
    let Some(&first) = sites.first() else {
        return;
    };
    let common: Vec<usize> = inv
        .ancestors(first)
        .filter(|&a| sites.iter().all(|&s| inv.is_strict_ancestor(a, s)))
        .collect();
    if common.is_empty() {
        return;
    }
    ui.separator();
    ui.weak(S::MergeIntoCommon.get(lang));
    for a in common {
        let s = inv.site(a);
        let label = format!(
            "{} · {} ({}) — {} {}",
            s.level.label(lang),
            s.name,
            s.id,
            n,
            S::SitesCount.get(lang)
        );
        if ui.button(label).clicked() {
            out.push(Command::Decide {
                sites: sites.to_vec(),
                how: Decide::MergeInto(a),
            });
        }
    }
}
