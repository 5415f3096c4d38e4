//! The inventory table: virtualised rows, sort by any column, filters,
//! multi-select and bulk decisions.

use egui_extras::{Column as TableColumn, TableBuilder};

use crate::i18n::Lang;
use crate::inventory::{Column, Kind, Level, edit};
use crate::plan::{Decision, Source};

use super::command::{Command, Decide, SelectMode};
use super::context::Cx;
use super::document::Document;
use super::strings::{S, TableStr};

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

/// A column of the table (and a sort order: [`TableCol::Row`] is the
/// file's order, never shown as a column).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum TableCol {
    /// File order (sorting only).
    Row,
    /// Site id (frozen on the left).
    Id,
    /// Name (frozen on the left).
    Name,
    /// Level.
    Level,
    /// Kind.
    Kind,
    /// The parent's id.
    Parent,
    /// Region.
    Region,
    /// Address.
    Url,
    /// Budget.
    Budget,
    /// Staff.
    Staff,
    /// Population of the jurisdiction (as in the file).
    Population,
    /// Own population (worked out).
    OwnPopulation,
    /// Monthly visits.
    Visits,
    /// Online services.
    Services,
    /// Inspection score.
    Score,
    /// Inspection result (as in the file).
    Result,
    /// Passes (worked out).
    Passes,
    /// Reprint hours.
    Reprint,
    /// Decision.
    Decision,
    /// Serving site.
    Serving,
    /// Reason.
    Reason,
}

/// The sort orders, by the column they sort (kept under its old name).
pub type SortKey = TableCol;

impl TableCol {
    /// The columns that stay on the left when the table scrolls sideways.
    pub const FROZEN: [TableCol; 2] = [TableCol::Id, TableCol::Name];

    /// Every column the chooser offers, in their usual order.
    pub const CHOOSABLE: [TableCol; 18] = [
        TableCol::Level,
        TableCol::Kind,
        TableCol::Parent,
        TableCol::Region,
        TableCol::Url,
        TableCol::Budget,
        TableCol::Staff,
        TableCol::Population,
        TableCol::OwnPopulation,
        TableCol::Visits,
        TableCol::Services,
        TableCol::Score,
        TableCol::Result,
        TableCol::Passes,
        TableCol::Reprint,
        TableCol::Decision,
        TableCol::Serving,
        TableCol::Reason,
    ];

    /// The columns shown at first.
    pub const DEFAULT: [TableCol; 9] = [
        TableCol::Level,
        TableCol::Kind,
        TableCol::Budget,
        TableCol::OwnPopulation,
        TableCol::Score,
        TableCol::Passes,
        TableCol::Decision,
        TableCol::Serving,
        TableCol::Reason,
    ];

    /// The header.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            TableCol::Row => "#",
            TableCol::Id => S::ColId.get(lang),
            TableCol::Name => S::ColName.get(lang),
            TableCol::Level => S::ColLevel.get(lang),
            TableCol::Kind => S::ColKind.get(lang),
            TableCol::Parent => TableStr::ColParent.get(lang),
            TableCol::Region => TableStr::ColRegion.get(lang),
            TableCol::Url => TableStr::ColUrl.get(lang),
            TableCol::Budget => S::ColBudget.get(lang),
            TableCol::Staff => TableStr::ColStaff.get(lang),
            TableCol::Population => TableStr::ColJurisdiction.get(lang),
            TableCol::OwnPopulation => S::ColPopulation.get(lang),
            TableCol::Visits => TableStr::ColVisits.get(lang),
            TableCol::Services => TableStr::ColServices.get(lang),
            TableCol::Score => S::ColScore.get(lang),
            TableCol::Result => TableStr::ColResult.get(lang),
            TableCol::Passes => S::ColPasses.get(lang),
            TableCol::Reprint => TableStr::ColReprint.get(lang),
            TableCol::Decision => S::ColDecision.get(lang),
            TableCol::Serving => S::ColServing.get(lang),
            TableCol::Reason => S::ColReason.get(lang),
        }
    }

    /// The inventory column this shows as it is in the file (what an edit
    /// of the cell changes); `None` for what is worked out.
    pub fn field(self) -> Option<Column> {
        Some(match self {
            TableCol::Id => Column::SiteId,
            TableCol::Name => Column::Name,
            TableCol::Level => Column::Level,
            TableCol::Kind => Column::Kind,
            TableCol::Parent => Column::ParentId,
            TableCol::Region => Column::Region,
            TableCol::Url => Column::Url,
            TableCol::Budget => Column::AnnualBudget,
            TableCol::Staff => Column::Staff,
            TableCol::Population => Column::Population,
            TableCol::Visits => Column::MonthlyVisits,
            TableCol::Services => Column::OnlineServices,
            TableCol::Score => Column::InspectionScore,
            TableCol::Result => Column::InspectionPassed,
            TableCol::Reprint => Column::ReprintHours,
            TableCol::Row
            | TableCol::OwnPopulation
            | TableCol::Passes
            | TableCol::Decision
            | TableCol::Serving
            | TableCol::Reason => return None,
        })
    }

    /// True when the planner may edit this column's cells.
    pub fn editable(self) -> bool {
        self.field().is_some_and(edit::is_editable)
    }

    fn width(self) -> f32 {
        match self {
            TableCol::Id => 110.0,
            TableCol::Name => 200.0,
            TableCol::Level | TableCol::Decision => 60.0,
            // "Department" whole in English.
            TableCol::Kind => 84.0,
            TableCol::Score | TableCol::Passes => 50.0,
            TableCol::Budget | TableCol::OwnPopulation | TableCol::Population => 96.0,
            TableCol::Serving | TableCol::Url => 150.0,
            TableCol::Reason => 140.0,
            TableCol::Parent | TableCol::Region => 110.0,
            _ => 80.0,
        }
    }
}

/// A sort on a worker thread.
type SortJob = super::jobs::Task<Vec<usize>>;

/// The text (and colour) of a cell.
struct CellView {
    text: String,
    color: Option<egui::Color32>,
    /// The value is missing in the file (counted as 0).
    missing: bool,
}

/// What a cell shows.
fn cell_view(doc: &Document, i: usize, col: TableCol, lang: Lang) -> CellView {
    let inv = doc.inventory();
    let s = inv.site(i);
    let plain = |text: String| CellView {
        text,
        color: None,
        missing: false,
    };
    let missing = |c: Column| s.missing.has(c);
    let absent = || CellView {
        text: TableStr::Missing.get(lang).to_string(),
        color: None,
        missing: true,
    };
    let merged = doc.resolved.decisions[i].is_merge() && s.parent.is_some();
    match col {
        TableCol::Row => plain(s.line.to_string()),
        TableCol::Id => plain(s.id.to_string()),
        TableCol::Name => plain(s.name.to_string()),
        TableCol::Level => plain(s.level.label(lang).to_string()),
        TableCol::Kind => plain(s.kind.label(lang).to_string()),
        TableCol::Parent => plain(s.parent_id.to_string()),
        TableCol::Region => plain(s.region.to_string()),
        TableCol::Url => plain(s.url.to_string()),
        TableCol::Budget if missing(Column::AnnualBudget) => absent(),
        TableCol::Budget => plain(s.budget.grouped()),
        TableCol::Staff if missing(Column::Staff) => absent(),
        TableCol::Staff => plain(s.staff.normalize().to_string()),
        TableCol::Population if missing(Column::Population) => absent(),
        TableCol::Population => plain(crate::outcome::count(s.population as f64)),
        TableCol::OwnPopulation if missing(Column::Population) => absent(),
        TableCol::OwnPopulation => plain(crate::outcome::count(doc.model.own_pop[i] as f64)),
        TableCol::Visits => plain(
            s.monthly_visits
                .map_or_else(String::new, |v| crate::outcome::count(v as f64)),
        ),
        TableCol::Services if missing(Column::OnlineServices) => absent(),
        TableCol::Services => plain(s.online_services.to_string()),
        TableCol::Score => plain(
            s.inspection_score
                .map_or_else(String::new, |v| format!("{v:.1}")),
        ),
        TableCol::Result => plain(edit::cell_text(s, Column::InspectionPassed, lang)),
        TableCol::Reprint => plain(s.reprint_hours.map_or_else(String::new, |v| format!("{v}"))),
        TableCol::Passes => {
            let (t, c) = if doc.model.passes[i] {
                (S::Yes.get(lang), egui::Color32::from_rgb(0x1b, 0x8a, 0x5a))
            } else {
                (S::No.get(lang), egui::Color32::from_rgb(0xc0, 0x39, 0x2b))
            };
            CellView {
                text: t.to_string(),
                color: Some(c),
                missing: false,
            }
        }
        TableCol::Decision if merged => CellView {
            text: S::Merged.get(lang).to_string(),
            color: Some(egui::Color32::from_rgb(0xd3, 0x6b, 0x00)),
            missing: false,
        },
        TableCol::Decision => plain(S::Kept.get(lang).to_string()),
        TableCol::Serving if merged => {
            plain(inv.site(doc.outcome.serving[i] as usize).name.to_string())
        }
        TableCol::Serving => plain(String::new()),
        TableCol::Reason => plain(reason(doc, i, lang)),
    }
}

/// A cell's text as copied to the clipboard: the value itself for the
/// file's columns (exact, no separators, empty when missing), what the
/// cell shows for the rest.
pub fn copy_text(doc: &Document, i: usize, col: TableCol, lang: Lang) -> String {
    match col.field() {
        Some(c) => edit::cell_text(doc.inventory().site(i), c, lang),
        None => cell_view(doc, i, col, lang).text,
    }
}

/// A cell being typed into.
#[derive(Clone, Debug, PartialEq)]
pub struct CellEditor {
    /// The site.
    pub site: usize,
    /// The column.
    pub col: TableCol,
    /// The text typed so far.
    pub text: String,
    /// Why the last text was refused.
    pub error: Option<String>,
    /// Focus still to be given to the field.
    focus: bool,
}

/// Which table (frozen or scrolling) reports a scroll position.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct ScrollSync {
    /// The position both tables were last at.
    offset: f32,
    /// Set the other table to this next frame.
    pending: Option<(bool, f32)>,
}

/// The table panel's own state.
pub struct TablePanel {
    /// Filters.
    pub filters: Filters,
    /// Sort column and direction.
    pub sort: (SortKey, bool),
    /// The columns shown right of the frozen id and name, in order.
    pub columns: Vec<TableCol>,
    /// The current cell (where F2 edits and Ctrl+V pastes).
    pub cursor: Option<(usize, TableCol)>,
    /// The cell being edited.
    pub editing: Option<CellEditor>,
    shown: Vec<usize>,
    /// What `shown` was made from: the order's version, the inventory's
    /// data, the revision (when the filters depend on decisions or
    /// figures), the filters and the direction.
    cache_key: Option<(u64, u64, u64, Filters, bool)>,
    /// Grows whenever `order` changes.
    order_version: u64,
    order: Vec<usize>,
    order_key: Option<(u64, SortKey)>,
    scroll_to: Option<usize>,
    scroll: ScrollSync,
    /// The row under the pointer last frame (highlighted in both tables).
    hovered: Option<usize>,
    /// The row just clicked in the table (revealing it must not scroll).
    clicked_here: Option<usize>,
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
            columns: TableCol::DEFAULT.to_vec(),
            cursor: None,
            editing: None,
            shown: Vec::new(),
            cache_key: None,
            order_version: 0,
            order: Vec::new(),
            order_key: None,
            scroll_to: None,
            scroll: ScrollSync::default(),
            hovered: None,
            clicked_here: None,
            sorting: None,
            background_sort_from: 200_000,
        }
    }
}

/// What happened in the table this frame.
#[derive(Default)]
struct Events {
    clicked: Option<(usize, SelectMode)>,
    cursor: Option<(usize, TableCol)>,
    edit: Option<(usize, TableCol)>,
    sort: Option<SortKey>,
    hovered: Option<usize>,
    /// The editor's text was confirmed (true) or the edit cancelled (false).
    done: Option<bool>,
}

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
        // A row clicked here is on screen already: the table stays put.
        if self.clicked_here.take() == Some(site) {
            return;
        }
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
                doc.data_version
            } else {
                doc.revision
            },
            self.sort.0,
        );
        if let Some((for_key, task)) = &self.sorting {
            match task.poll() {
                Some(Ok(order)) => {
                    if *for_key == order_key {
                        self.order = order;
                        self.order_key = Some(order_key);
                        self.order_version += 1;
                    }
                    self.sorting = None;
                }
                None if *for_key == order_key => {}
                // Outdated, or the worker died: sort again below.
                _ => self.sorting = None,
            }
        }
        let n = doc.inventory().len();
        if self.order_key != Some(order_key) && self.sorting.is_none() {
            let input = SortInput::new(doc, self.sort.0);
            if n >= self.background_sort_from {
                match super::jobs::Task::spawn("sitefold-sort", move |_| input.sorted()) {
                    Ok(task) => self.sorting = Some((order_key, task)),
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
            doc.data_version,
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
        self.forget_gone(doc);
        self.keys(ui, cx, out);
        self.bulk_ui(ui, cx, out);
        ui.separator();
        self.tables_ui(ui, cx, out);
    }

    /// The cursor and the editor name sites of this inventory only.
    fn forget_gone(&mut self, doc: &Document) {
        let n = doc.inventory().len();
        if self.cursor.is_some_and(|(s, _)| s >= n) {
            self.cursor = None;
        }
        if self.editing.as_ref().is_some_and(|e| e.site >= n) {
            self.editing = None;
        }
    }

    /// Keys the table answers when no text field has the keyboard: F2 or
    /// Enter edits the current cell, Ctrl+C copies the selected rows, Ctrl+V
    /// pastes a block at the current cell; Esc cancels an edit anywhere.
    fn keys(&mut self, ui: &mut egui::Ui, cx: &Cx<'_>, out: &mut Vec<Command>) {
        if self.editing.is_some() {
            if ui.input(|i| i.key_pressed(egui::Key::Escape)) {
                self.editing = None;
            }
            return;
        }
        if ui.ctx().egui_wants_keyboard_input() {
            return;
        }
        let (edit, copy, paste) = ui.input(|i| {
            let edit = i.key_pressed(egui::Key::F2) || i.key_pressed(egui::Key::Enter);
            let copy = i.events.iter().any(|e| matches!(e, egui::Event::Copy));
            let paste = i.events.iter().find_map(|e| match e {
                egui::Event::Paste(t) => Some(t.clone()),
                _ => None,
            });
            (edit, copy, paste)
        });
        if edit && let Some((site, col)) = self.cursor {
            self.start_edit(cx.doc, site, col, cx.lang);
        }
        if copy {
            let text = self.copy_block(cx);
            if !text.is_empty() {
                ui.ctx().copy_text(text);
            }
        }
        if let Some(text) = paste {
            self.paste(cx, &text, out);
        }
    }

    /// Opens the editor on a cell (when its column may be edited).
    pub fn start_edit(&mut self, doc: &Document, site: usize, col: TableCol, lang: Lang) {
        let Some(field) = col.field().filter(|_| col.editable()) else {
            return;
        };
        if site >= doc.inventory().len() {
            return;
        }
        self.cursor = Some((site, col));
        self.editing = Some(CellEditor {
            site,
            col,
            text: edit::cell_text(doc.inventory().site(site), field, lang),
            error: None,
            focus: true,
        });
    }

    /// The selected rows (or the current cell) as a block Excel pastes:
    /// the frozen and the shown columns, in the table's order.
    fn copy_block(&self, cx: &Cx<'_>) -> String {
        let cols = self.all_columns();
        let rows: Vec<Vec<String>> = if cx.selection.is_empty() {
            match self.cursor {
                Some((site, col)) => vec![vec![copy_text(cx.doc, site, col, cx.lang)]],
                None => Vec::new(),
            }
        } else {
            self.shown
                .iter()
                .filter(|&&i| cx.selection.contains(i))
                .map(|&i| {
                    cols.iter()
                        .map(|&c| copy_text(cx.doc, i, c, cx.lang))
                        .collect()
                })
                .collect()
        };
        edit::clipboard_block(&rows)
    }

    /// Every shown column: the frozen ones, then the chosen ones.
    pub fn all_columns(&self) -> Vec<TableCol> {
        TableCol::FROZEN
            .iter()
            .chain(&self.columns)
            .copied()
            .collect()
    }

    /// The cells a block pasted at the current cell fills: down the shown
    /// rows and right along the shown columns, as Excel does; one value
    /// pasted on a selection of several rows fills the column for each.
    /// Returns the cells and whether part of the block fell off the table,
    /// or why nothing can be pasted.
    pub fn paste_cells(
        &self,
        selection: &super::selection::Selection,
        text: &str,
        lang: Lang,
    ) -> Result<(edit::CellEdits, bool), Vec<String>> {
        let block = edit::parse_clipboard_block(text);
        let Some((site, col)) = self.cursor else {
            return Err(Vec::new());
        };
        let cols = self.all_columns();
        let (Some(row0), Some(col0)) = (
            self.shown.iter().position(|&s| s == site),
            cols.iter().position(|&c| c == col),
        ) else {
            return Err(Vec::new());
        };
        let single = block.len() == 1 && block[0].len() == 1;
        let mut cells = Vec::new();
        let mut clipped = false;
        let mut refused = Vec::new();
        if single && selection.len() > 1 && selection.contains(site) {
            if let Some(field) = col.field().filter(|_| col.editable()) {
                for &i in self.shown.iter().filter(|&&i| selection.contains(i)) {
                    cells.push((i, field, block[0][0].clone()));
                }
            } else {
                refused.push(col);
            }
        } else {
            for (r, row) in block.iter().enumerate() {
                let Some(&i) = self.shown.get(row0 + r) else {
                    clipped = true;
                    break;
                };
                for (k, value) in row.iter().enumerate() {
                    let Some(&c) = cols.get(col0 + k) else {
                        clipped = true;
                        break;
                    };
                    match c.field().filter(|_| c.editable()) {
                        Some(field) => cells.push((i, field, value.clone())),
                        None if !refused.contains(&c) => refused.push(c),
                        None => {}
                    }
                }
            }
        }
        if refused.is_empty() {
            Ok((cells, clipped))
        } else {
            Err(refused
                .into_iter()
                .map(|c| c.label(lang).to_string())
                .collect())
        }
    }

    fn paste(&mut self, cx: &Cx<'_>, text: &str, out: &mut Vec<Command>) {
        match self.paste_cells(cx.selection, text, cx.lang) {
            Ok((cells, clipped)) if !cells.is_empty() => {
                out.push(Command::EditCells { cells, clipped })
            }
            Ok(_) => {}
            Err(columns) => out.push(Command::TableNotice(if columns.is_empty() {
                TableStr::PasteNoCell.get(cx.lang).to_string()
            } else {
                format!(
                    "{} {}",
                    TableStr::NotEditable.get(cx.lang),
                    columns.join(cx.lang.pick("、", ", "))
                )
            })),
        }
    }

    /// The typed text, checked: sent as an edit, or kept with the reason.
    fn commit(&mut self, doc: &Document, lang: Lang, out: &mut Vec<Command>) {
        let Some(ed) = self.editing.as_mut() else {
            return;
        };
        let Some(field) = ed.col.field() else {
            self.editing = None;
            return;
        };
        match edit::edited_site(doc.inventory(), ed.site, field, &ed.text) {
            Ok(_) => {
                let (site, col) = (ed.site, ed.col);
                out.push(Command::EditCells {
                    cells: vec![(site, field, ed.text.clone())],
                    clipped: false,
                });
                self.editing = None;
                // Enter moves down, as in a spreadsheet.
                if let Some(pos) = self.shown.iter().position(|&s| s == site) {
                    let next = self.shown.get(pos + 1).copied().unwrap_or(site);
                    self.cursor = Some((next, col));
                }
            }
            Err(why) => {
                ed.error = Some(why.get(lang).to_string());
                ed.focus = true;
            }
        }
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
            ui.menu_button(TableStr::Columns.get(lang), |ui| {
                self.columns_menu(ui, lang)
            });
            if let Some(e) = self.editing.as_ref().and_then(|e| e.error.as_ref()) {
                ui.colored_label(
                    ui.visuals().error_fg_color,
                    format!("{}{e}", TableStr::EditRefused.get(lang)),
                );
            }
        });
    }

    /// The column chooser: a tick per column, in the table's order.
    fn columns_menu(&mut self, ui: &mut egui::Ui, lang: Lang) {
        ui.weak(TableStr::ColumnsHint.get(lang));
        for c in TableCol::FROZEN {
            ui.add_enabled(false, egui::Checkbox::new(&mut true, c.label(lang)));
        }
        for c in TableCol::CHOOSABLE {
            let mut on = self.columns.contains(&c);
            if ui.checkbox(&mut on, c.label(lang)).changed() {
                if on {
                    self.columns.push(c);
                    // Kept in the usual order.
                    self.columns.sort_by_key(|x| {
                        TableCol::CHOOSABLE
                            .iter()
                            .position(|y| y == x)
                            .unwrap_or(usize::MAX)
                    });
                } else {
                    self.columns.retain(|&x| x != c);
                }
            }
        }
        ui.separator();
        if ui.button(TableStr::ShowAllColumns.get(lang)).clicked() {
            self.columns = TableCol::CHOOSABLE.to_vec();
        }
        if ui.button(TableStr::DefaultColumns.get(lang)).clicked() {
            self.columns = TableCol::DEFAULT.to_vec();
        }
    }

    /// The frozen id and name on the left, the chosen columns scrolling
    /// sideways on the right; the two scroll up and down together.
    fn tables_ui(&mut self, ui: &mut egui::Ui, cx: &Cx<'_>, out: &mut Vec<Command>) {
        // Clicks on a cell's text must select the row, not start a text selection.
        ui.style_mut().interaction.selectable_labels = false;
        let scroll_to = self
            .scroll_to
            .take()
            .and_then(|t| self.shown.iter().position(|&s| s == t));
        let spacing = ui.spacing().item_spacing.x;
        let frozen_w: f32 = TableCol::FROZEN
            .iter()
            .map(|c| c.width() + spacing)
            .sum::<f32>()
            + spacing;
        // Below the right table runs its sideways scroll bar: the left one
        // is as much shorter, so both scroll as far.
        let bar = ui.spacing().scroll.allocated_width();
        let height = ui.available_height();
        let pending = self.scroll.pending.take();
        let columns = self.columns.clone();
        let mut ev = Events::default();
        let (left, right) = ui
            .horizontal_top(|ui| {
                // Tables lay out top-down: each gets a column of its own.
                let down = egui::Layout::top_down(egui::Align::Min);
                let left = ui
                    .allocate_ui_with_layout(
                        egui::vec2(frozen_w, (height - bar).max(60.0)),
                        down,
                        |ui| {
                            let set = pending.filter(|p| p.0).map(|p| p.1);
                            self.one_table(
                                ui,
                                cx,
                                &TableCol::FROZEN,
                                set,
                                scroll_to,
                                false,
                                &mut ev,
                            )
                        },
                    )
                    .inner;
                let rest = egui::vec2(ui.available_width(), height);
                let right = ui
                    .allocate_ui_with_layout(rest, down, |ui| {
                        egui::ScrollArea::horizontal()
                            .id_salt("inventory_table_h")
                            .show(ui, |ui| {
                                let set = pending.filter(|p| !p.0).map(|p| p.1);
                                self.one_table(ui, cx, &columns, set, scroll_to, true, &mut ev)
                            })
                            .inner
                    })
                    .inner;
                (left, right)
            })
            .inner;
        let was = self.scroll.offset;
        if (left - was).abs() > 0.5 {
            self.scroll.offset = left;
            if (right - left).abs() > 0.5 {
                self.scroll.pending = Some((false, left));
            }
        } else if (right - was).abs() > 0.5 {
            self.scroll.offset = right;
            if (left - right).abs() > 0.5 {
                self.scroll.pending = Some((true, right));
            }
        }
        if self.scroll.pending.is_some() {
            ui.ctx().request_repaint();
        }
        if ev.hovered != self.hovered {
            self.hovered = ev.hovered;
            ui.ctx().request_repaint();
        }
        if let Some(key) = ev.sort {
            self.sort = if self.sort.0 == key {
                (key, !self.sort.1)
            } else {
                (key, true)
            };
        }
        match ev.done {
            Some(true) => self.commit(cx.doc, cx.lang, out),
            Some(false) => self.editing = None,
            None => {}
        }
        if let Some(cell) = ev.cursor {
            self.cursor = Some(cell);
        }
        if let Some((site, col)) = ev.edit {
            self.start_edit(cx.doc, site, col, cx.lang);
        }
        if let Some((site, mode)) = ev.clicked {
            self.clicked_here = Some(site);
            out.push(Command::Select { site, mode });
        }
    }

    /// One of the two tables; returns its scroll position.
    #[allow(clippy::too_many_arguments)]
    fn one_table(
        &mut self,
        ui: &mut egui::Ui,
        cx: &Cx<'_>,
        cols: &[TableCol],
        set_offset: Option<f32>,
        scroll_to: Option<usize>,
        scroll_bar: bool,
        ev: &mut Events,
    ) -> f32 {
        let lang = cx.lang;
        let doc = cx.doc;
        let row_height = 22.0;
        let mut builder = TableBuilder::new(ui)
            .id_salt(("inventory_table", cols))
            .striped(true)
            .resizable(scroll_bar)
            .sense(egui::Sense::click())
            .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
            .min_scrolled_height(0.0);
        if !scroll_bar {
            builder =
                builder.scroll_bar_visibility(egui::scroll_area::ScrollBarVisibility::AlwaysHidden);
        }
        for &c in cols {
            let col = TableColumn::initial(c.width()).at_least(40.0).clip(true);
            builder = builder.column(col);
        }
        if let Some(offset) = set_offset {
            builder = builder.vertical_scroll_offset(offset);
        }
        if let Some(pos) = scroll_to {
            builder = builder.scroll_to_row(pos, Some(egui::Align::TOP));
        }
        let sort = self.sort;
        let hovered = self.hovered;
        let cursor = self.cursor;
        let output = builder
            .header(24.0, |mut header| {
                for &key in cols {
                    header.col(|ui| {
                        let arrow = match (sort.0 == key, sort.1) {
                            (true, true) => " ▲",
                            (true, false) => " ▼",
                            _ => "",
                        };
                        let text =
                            egui::RichText::new(format!("{}{arrow}", key.label(lang))).strong();
                        let r = ui.add(egui::Button::new(text).frame(false));
                        let r = if key.editable() {
                            r.on_hover_text(TableStr::EditHint.get(lang))
                        } else {
                            r
                        };
                        if r.clicked() {
                            ev.sort = Some(key);
                        }
                    });
                }
            })
            .body(|body| {
                body.rows(row_height, self.shown.len(), |mut row| {
                    let i = self.shown[row.index()];
                    row.set_selected(cx.selection.contains(i));
                    row.set_hovered(hovered == Some(i));
                    for &col in cols {
                        let editing = self
                            .editing
                            .as_mut()
                            .filter(|e| e.site == i && e.col == col);
                        let (_, cell) = row.col(|ui| match editing {
                            Some(ed) => {
                                let name =
                                    format!("{} · {}", doc.inventory().site(i).id, col.label(lang));
                                editor_ui(ui, ed, name, ev)
                            }
                            None => {
                                let v = cell_view(doc, i, col, lang);
                                let text = if v.missing {
                                    egui::RichText::new(v.text).weak().italics()
                                } else {
                                    match v.color {
                                        Some(c) => egui::RichText::new(v.text).color(c),
                                        None => egui::RichText::new(v.text),
                                    }
                                };
                                let r = ui.label(text);
                                if v.missing {
                                    r.on_hover_text(TableStr::MissingHint.get(lang));
                                } else if col == TableCol::Name {
                                    r.on_hover_text(doc.inventory().site(i).name.as_str());
                                }
                                if cursor == Some((i, col)) {
                                    ui.painter().rect_stroke(
                                        ui.max_rect().shrink(1.0),
                                        2.0,
                                        ui.visuals().selection.stroke,
                                        egui::StrokeKind::Inside,
                                    );
                                }
                            }
                        });
                        if cell.clicked() {
                            ev.cursor = Some((i, col));
                        }
                        if cell.double_clicked() {
                            ev.edit = Some((i, col));
                        }
                    }
                    let response = row.response();
                    if response.hovered() {
                        ev.hovered = Some(i);
                    }
                    if response.clicked() {
                        let m = response.ctx.input(|inp| inp.modifiers);
                        let mode = if m.shift {
                            SelectMode::Range
                        } else if m.command || m.ctrl {
                            SelectMode::Toggle
                        } else {
                            SelectMode::Replace
                        };
                        ev.clicked = Some((i, mode));
                    }
                });
            });
        output.state.clamped_offset().y
    }
}

/// The text field of the cell being edited.
fn editor_ui(ui: &mut egui::Ui, ed: &mut CellEditor, name: String, ev: &mut Events) {
    let id = ui.scope_id().with(("cell_editor", ed.site, ed.col));
    let mut field = egui::TextEdit::singleline(&mut ed.text)
        .id(id)
        .desired_width(f32::INFINITY);
    if ed.error.is_some() {
        field = field.text_color(ui.visuals().error_fg_color);
    }
    let r = ui.add(field).accessible_name(name);
    if ed.focus {
        r.request_focus();
        ed.focus = false;
    }
    if let Some(e) = &ed.error {
        ui.painter().rect_stroke(
            r.rect,
            2.0,
            egui::Stroke::new(1.5, ui.visuals().error_fg_color),
            egui::StrokeKind::Outside,
        );
        r.clone().on_hover_text(e);
    }
    if r.lost_focus() {
        let cancelled = ui.input(|i| i.key_pressed(egui::Key::Escape));
        ev.done = Some(!cancelled);
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

/// True for the columns whose order no plan edit can change (only an
/// edit of the sites' cells can).
fn sort_is_static(key: SortKey) -> bool {
    !matches!(
        key,
        SortKey::Passes | SortKey::Decision | SortKey::Serving | SortKey::Reason
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
            SortKey::OwnPopulation => keys(&|i| doc.model.own_pop[i]),
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
            _ => SortInput::Sites(imported(), key),
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
                let reprint = |i: usize| sites[i].reprint_hours.unwrap_or(-1.0);
                // A missing value sorts before every value (as 0 does).
                let known = |i: usize, c: crate::inventory::Column| !sites[i].missing.has(c);
                use crate::inventory::Column as C;
                match key {
                    SortKey::Id => rows.sort_by(|&a, &b| sites[a].id.cmp(&sites[b].id)),
                    SortKey::Name => rows.sort_by(|&a, &b| sites[a].name.cmp(&sites[b].name)),
                    SortKey::Url => rows.sort_by(|&a, &b| sites[a].url.cmp(&sites[b].url)),
                    SortKey::Region => rows.sort_by(|&a, &b| sites[a].region.cmp(&sites[b].region)),
                    SortKey::Parent => {
                        rows.sort_by(|&a, &b| sites[a].parent_id.cmp(&sites[b].parent_id))
                    }
                    SortKey::Level => rows.sort_by_key(|&i| sites[i].level),
                    SortKey::Kind => rows.sort_by_key(|&i| sites[i].kind as u8),
                    SortKey::Budget => rows.sort_by(|&a, &b| {
                        (known(a, C::AnnualBudget), sites[a].budget)
                            .cmp(&(known(b, C::AnnualBudget), sites[b].budget))
                    }),
                    SortKey::Staff => rows.sort_by(|&a, &b| {
                        (known(a, C::Staff), sites[a].staff)
                            .cmp(&(known(b, C::Staff), sites[b].staff))
                    }),
                    SortKey::Population => {
                        rows.sort_by_key(|&i| (known(i, C::Population), sites[i].population))
                    }
                    SortKey::Services => rows
                        .sort_by_key(|&i| (known(i, C::OnlineServices), sites[i].online_services)),
                    SortKey::Visits => rows.sort_by_key(|&i| sites[i].monthly_visits),
                    SortKey::Result => rows.sort_by_key(|&i| sites[i].inspection_passed),
                    SortKey::Score => rows.sort_by(|&a, &b| score(a).total_cmp(&score(b))),
                    SortKey::Reprint => rows.sort_by(|&a, &b| reprint(a).total_cmp(&reprint(b))),
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
