//! The hierarchy tree: province → prefecture → county → township, any
//! depth, top sites as roots. Each node shows how many sites its subtree
//! holds and how many of them merge; failing sites are red. Departments are
//! grouped under their government so that the tree stays readable.
//!
//! Built for 100,000 sites: subtree counts are one O(n) pass per document
//! revision, the visible rows are flattened only when the data or the
//! expansion changes, only the rows on screen are drawn, and long child
//! lists are shown [`PAGE`] at a time.

use std::collections::{HashMap, HashSet};

use crate::i18n::Lang;
use crate::inventory::{Inventory, Kind};

use super::command::{Command, SelectMode};
use super::context::Cx;
use super::document::Document;
use super::strings::{S, TreeStr};

/// Children shown per list before a "show more" button.
pub const PAGE: usize = 200;
/// Search matches listed at most.
const MAX_MATCHES: usize = 200;
/// Top sites expanded when an inventory is first shown (when there are at
/// most this many).
const EXPAND_ROOTS_UP_TO: usize = 10;

const RED: egui::Color32 = egui::Color32::from_rgb(0xc0, 0x39, 0x2b);

/// Identifies the data a view was computed from: the opened inventory and
/// the document's revision.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DocKey {
    revision: u64,
    inventory: u64,
    data: u64,
}

impl DocKey {
    /// The key of `doc` as it is now.
    pub fn of(doc: &Document) -> DocKey {
        DocKey {
            revision: doc.revision,
            inventory: doc.inventory_id,
            data: doc.data_version,
        }
    }
}

pub use crate::outcome::SubtreeCounts;

/// The subtree counts of a document.
pub fn subtree_counts(doc: &Document) -> SubtreeCounts {
    SubtreeCounts::compute(doc.inventory(), &doc.resolved.decisions, &doc.model.passes)
}

/// The top sites, in file order.
fn roots(inv: &Inventory) -> Vec<u32> {
    inv.sites()
        .iter()
        .enumerate()
        .filter(|(_, s)| s.parent.is_none())
        .map(|(i, _)| i as u32)
        .collect()
}

/// True when the site closes (a top site never does).
fn is_merged(doc: &Document, i: usize) -> bool {
    crate::outcome::is_merged(doc.inventory(), &doc.resolved.decisions, i)
}

/// A node that can be expanded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum NodeKey {
    /// A site.
    Site(u32),
    /// The departments group of a site.
    Departments(u32),
}

/// A list of siblings, shown [`PAGE`] at a time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum ListKey {
    /// The top sites.
    Roots,
    /// The non-department children of a site.
    Children(u32),
    /// The department children of a site.
    Departments(u32),
}

/// One line of the flattened tree.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Row {
    Site {
        site: u32,
        depth: u16,
    },
    Departments {
        parent: u32,
        depth: u16,
        count: u32,
        merged: u32,
        failing: u32,
    },
    More {
        list: ListKey,
        depth: u16,
        shown: u32,
        total: u32,
    },
}

/// What a click in the tree changes in the tree itself.
enum TreeEvent {
    Toggle(NodeKey),
    More(ListKey),
}

/// The hierarchy panel's own state.
#[derive(Default)]
pub struct TreePanel {
    counts: SubtreeCounts,
    counts_key: Option<DocKey>,
    /// Whether each site was merged as of `counts`, and the model it was
    /// counted with: an edit of decisions only adjusts the counts along the
    /// changed sites' ancestors.
    counted_merged: Vec<bool>,
    counted_model: Option<std::sync::Arc<crate::outcome::Model>>,
    /// Figures worked out with a document being opened, for its first frame.
    prepared: Option<Prepared>,
    inventory: Option<u64>,
    /// The inventory's data version the roots and search text are of.
    data: Option<u64>,
    roots: Vec<u32>,
    search_text: Vec<String>,
    expanded: HashSet<NodeKey>,
    limits: HashMap<ListKey, usize>,
    rows: Vec<Row>,
    rows_key: Option<DocKey>,
    rows_dirty: bool,
    query: String,
    matches: Vec<usize>,
    matches_key: Option<(DocKey, String)>,
    scroll_to: Option<usize>,
    viewport_height: Option<f32>,
    rows_shown: Option<usize>,
    row_height: Option<f32>,
}

/// The hierarchy's figures of a document, worked out away from the UI
/// thread (see [`TreePanel::prepare`]).
pub struct Prepared {
    key: DocKey,
    roots: Vec<u32>,
    counts: SubtreeCounts,
    merged: Vec<bool>,
    model: std::sync::Arc<crate::outcome::Model>,
}

impl TreePanel {
    /// Works out what a new document's first frame needs (the top sites and
    /// the subtree counts), on any thread.
    pub fn prepare(doc: &Document) -> Prepared {
        Prepared {
            key: DocKey::of(doc),
            roots: roots(doc.inventory()),
            counts: subtree_counts(doc),
            merged: (0..doc.inventory().len())
                .map(|i| is_merged(doc, i))
                .collect(),
            model: doc.model.clone(),
        }
    }

    /// Uses figures from [`TreePanel::prepare`] when the document they
    /// were worked out for is shown.
    pub fn adopt(&mut self, prepared: Prepared) {
        self.prepared = Some(prepared);
    }

    /// Subtree figures of the current document (as of the last refresh).
    pub fn counts(&self) -> &SubtreeCounts {
        &self.counts
    }

    /// Recomputes what changed since the last frame: a new inventory resets
    /// the expansion; a new revision recounts the subtrees.
    pub fn refresh(&mut self, doc: &Document) {
        let key = DocKey::of(doc);
        if self.inventory != Some(key.inventory) {
            let prepared = self.prepared.take().filter(|p| p.key == key);
            self.new_inventory(doc.inventory(), prepared.as_ref().map(|p| p.roots.clone()));
            self.inventory = Some(key.inventory);
            self.data = Some(key.data);
            if let Some(p) = prepared {
                self.counts = p.counts;
                self.counted_merged = p.merged;
                self.counted_model = Some(p.model);
                self.counts_key = Some(key);
            }
        }
        if self.data != Some(key.data) {
            // Cells were edited: parents and names may have changed, the
            // expansion stays.
            self.roots = roots(doc.inventory());
            self.search_text = Vec::new();
            self.matches_key = None;
            self.rows_dirty = true;
            self.data = Some(key.data);
        }
        if self.counts_key != Some(key) {
            let n = doc.inventory().len();
            let same_model = self
                .counted_model
                .as_ref()
                .is_some_and(|m| std::sync::Arc::ptr_eq(m, &doc.model));
            let same_inventory = self
                .counts_key
                .is_some_and(|k| k.inventory == key.inventory && k.data == key.data);
            if same_model && same_inventory && self.counted_merged.len() == n {
                self.counts.update_merged(
                    doc.inventory(),
                    &doc.resolved.decisions,
                    &mut self.counted_merged,
                );
            } else {
                self.counts = subtree_counts(doc);
                self.counted_merged = (0..n).map(|i| is_merged(doc, i)).collect();
                self.counted_model = Some(doc.model.clone());
            }
            self.counts_key = Some(key);
        }
        if self.rows_dirty || self.rows_key != Some(key) {
            self.rows = self.flatten(doc);
            self.rows_key = Some(key);
            self.rows_dirty = false;
        }
    }

    fn new_inventory(&mut self, inv: &Inventory, roots_known: Option<Vec<u32>>) {
        self.roots = roots_known.unwrap_or_else(|| roots(inv));
        // Built on the first search (a million names take a while).
        self.search_text = Vec::new();
        self.expanded.clear();
        self.limits.clear();
        if self.roots.len() <= EXPAND_ROOTS_UP_TO {
            self.expanded
                .extend(self.roots.iter().map(|&r| NodeKey::Site(r)));
        }
        self.query.clear();
        self.matches.clear();
        self.matches_key = None;
        self.scroll_to = None;
        self.rows_dirty = true;
    }

    fn limit(&self, list: ListKey) -> usize {
        self.limits.get(&list).copied().unwrap_or(PAGE)
    }

    /// The rows of the expanded part of the tree, in display order.
    fn flatten(&self, doc: &Document) -> Vec<Row> {
        let inv = doc.inventory();
        let mut rows = Vec::new();
        // Depth-first with an explicit stack: inventories can be deep.
        let mut stack: Vec<Row> = Vec::new();
        self.push_list(
            &mut stack,
            ListKey::Roots,
            self.roots.iter().copied(),
            self.roots.len(),
            0,
        );
        while let Some(row) = stack.pop() {
            rows.push(row);
            match row {
                Row::Site { site, depth } => {
                    if self.expanded.contains(&NodeKey::Site(site)) {
                        self.push_children(&mut stack, doc, site as usize, depth.saturating_add(1));
                    }
                }
                Row::Departments { parent, depth, .. } => {
                    if self.expanded.contains(&NodeKey::Departments(parent)) {
                        let p = parent as usize;
                        let depts = inv
                            .children(p)
                            .iter()
                            .copied()
                            .filter(|&c| inv.site(c as usize).kind == Kind::Department);
                        let total = depts.clone().count();
                        self.push_list(
                            &mut stack,
                            ListKey::Departments(parent),
                            depts,
                            total,
                            depth.saturating_add(1),
                        );
                    }
                }
                Row::More { .. } => {}
            }
        }
        rows
    }

    /// Pushes the children of `p` (portals, then the departments group).
    fn push_children(&self, stack: &mut Vec<Row>, doc: &Document, p: usize, depth: u16) {
        let inv = doc.inventory();
        let children = inv.children(p);
        let is_dept = |c: u32| inv.site(c as usize).kind == Kind::Department;
        let depts = children.iter().filter(|&&c| is_dept(c)).count();
        let others = children.len() - depts;
        // Departments are grouped only when mixed with lower governments.
        let group = depts > 0 && others > 0;
        let mut items: Vec<Row> = Vec::new();
        // A government with only departments below lists them directly.
        let list = if others == 0 {
            ListKey::Departments(p as u32)
        } else {
            ListKey::Children(p as u32)
        };
        let listed = children.iter().copied().filter(|&c| !group || !is_dept(c));
        let total = if group { others } else { children.len() };
        Self::list_rows(&mut items, list, listed, total, self.limit(list), depth);
        if group {
            let (mut merged, mut failing) = (0u32, 0u32);
            for &c in children.iter().filter(|&&c| is_dept(c)) {
                merged += self.counts.merged.get(c as usize).copied().unwrap_or(0);
                failing += self.counts.failing.get(c as usize).copied().unwrap_or(0);
            }
            items.push(Row::Departments {
                parent: p as u32,
                depth,
                count: depts as u32,
                merged,
                failing,
            });
        }
        stack.extend(items.into_iter().rev());
    }

    fn push_list(
        &self,
        stack: &mut Vec<Row>,
        list: ListKey,
        sites: impl Iterator<Item = u32>,
        total: usize,
        depth: u16,
    ) {
        let mut items = Vec::new();
        Self::list_rows(&mut items, list, sites, total, self.limit(list), depth);
        stack.extend(items.into_iter().rev());
    }

    fn list_rows(
        items: &mut Vec<Row>,
        list: ListKey,
        sites: impl Iterator<Item = u32>,
        total: usize,
        limit: usize,
        depth: u16,
    ) {
        let before = items.len();
        items.extend(sites.take(limit).map(|site| Row::Site { site, depth }));
        let shown = items.len() - before;
        if shown < total {
            items.push(Row::More {
                list,
                depth,
                shown: shown as u32,
                total: total as u32,
            });
        }
    }

    /// Expands the ancestors of `site` (and pages far enough into each
    /// list) so that it has a row, then scrolls to it.
    pub fn reveal(&mut self, doc: &Document, site: usize) {
        let inv = doc.inventory();
        if site >= inv.len() {
            return;
        }
        let mut child = site;
        for a in inv.ancestors(site) {
            self.expanded.insert(NodeKey::Site(a as u32));
            let children = inv.children(a);
            let dept = |c: usize| inv.site(c).kind == Kind::Department;
            let has_depts = children.iter().any(|&c| dept(c as usize));
            let has_others = children.iter().any(|&c| !dept(c as usize));
            let group = has_depts && has_others;
            let child_is_dept = dept(child);
            let list = if group && child_is_dept {
                self.expanded.insert(NodeKey::Departments(a as u32));
                ListKey::Departments(a as u32)
            } else if !has_others {
                ListKey::Departments(a as u32)
            } else {
                ListKey::Children(a as u32)
            };
            let position = children
                .iter()
                .filter(|&&c| !group || dept(c as usize) == child_is_dept)
                .position(|&c| c as usize == child)
                .unwrap_or(0);
            self.page_to(list, position);
            child = a;
        }
        if let Some(pos) = self.roots.iter().position(|&r| r as usize == child) {
            self.page_to(ListKey::Roots, pos);
        }
        self.rows_dirty = true;
        self.scroll_to = Some(site);
    }

    fn page_to(&mut self, list: ListKey, position: usize) {
        if position >= self.limit(list) {
            let pages = position / PAGE + 1;
            self.limits.insert(list, pages * PAGE);
        }
    }

    /// Draws the panel.
    pub fn ui(&mut self, ui: &mut egui::Ui, cx: &Cx<'_>, out: &mut Vec<Command>) {
        let lang = cx.lang;
        let doc = cx.doc;
        self.refresh(doc);
        ui.heading(S::Hierarchy.get(lang));
        if doc.inventory().is_empty() {
            ui.weak(TreeStr::Empty.get(lang));
            return;
        }
        self.toolbar_ui(ui, cx, out);
        if !self.query.trim().is_empty() {
            self.matches_ui(ui, cx, out);
            return;
        }
        ui.weak(TreeStr::Legend.get(lang))
            .on_hover_text(TreeStr::ClickHint.get(lang));
        ui.separator();
        self.rows_ui(ui, cx, out);
    }

    fn toolbar_ui(&mut self, ui: &mut egui::Ui, cx: &Cx<'_>, out: &mut Vec<Command>) {
        let lang = cx.lang;
        ui.add(
            egui::TextEdit::singleline(&mut self.query)
                .hint_text(TreeStr::FindHint.get(lang))
                .desired_width(f32::INFINITY),
        );
        ui.horizontal_wrapped(|ui| {
            if ui.small_button(TreeStr::CollapseAll.get(lang)).clicked() {
                self.expanded.clear();
                self.limits.clear();
                self.rows_dirty = true;
            }
            let focus = cx.selection.focus.filter(|&f| f < cx.doc.inventory().len());
            let reveal = ui.add_enabled(
                focus.is_some(),
                egui::Button::new(TreeStr::RevealSelected.get(lang)).small(),
            );
            if let Some(f) = focus.filter(|_| reveal.clicked()) {
                self.query.clear();
                self.reveal(cx.doc, f);
            }
            if ui.small_button(TreeStr::ShowAllSites.get(lang)).clicked() {
                out.push(Command::FilterSubtree(None));
            }
        });
        if self.rows_dirty {
            self.refresh(cx.doc);
        }
    }

    fn matches_ui(&mut self, ui: &mut egui::Ui, cx: &Cx<'_>, out: &mut Vec<Command>) {
        let lang = cx.lang;
        let doc = cx.doc;
        let inv = doc.inventory();
        let needle = self.query.trim().to_lowercase();
        let key = (DocKey::of(doc), needle.clone());
        if self.matches_key.as_ref() != Some(&key) {
            if self.search_text.len() != inv.len() {
                self.search_text = inv
                    .sites()
                    .iter()
                    .map(|s| format!("{}\u{1f}{}", s.id.to_lowercase(), s.name.to_lowercase()))
                    .collect();
            }
            self.matches = self
                .search_text
                .iter()
                .enumerate()
                .filter(|(_, t)| t.contains(&needle))
                .map(|(i, _)| i)
                .take(MAX_MATCHES + 1)
                .collect();
            self.matches_key = Some(key);
        }
        if self.matches.is_empty() {
            ui.weak(TreeStr::NoMatches.get(lang));
            return;
        }
        if self.matches.len() > MAX_MATCHES {
            ui.weak(TreeStr::FirstMatches.get(lang));
        }
        ui.separator();
        let mut picked = None;
        let row_height = self.row_height.unwrap_or_else(|| estimated_row_height(ui));
        let count = self.matches.len().min(MAX_MATCHES);
        egui::ScrollArea::both()
            .id_salt("tree_matches")
            .auto_shrink([false, false])
            .show_rows(ui, row_height, count, |ui, range| {
                for &i in &self.matches[range] {
                    let s = inv.site(i);
                    ui.horizontal(|ui| {
                        let selected = cx.selection.contains(i);
                        if ui.selectable_label(selected, name_text(doc, i)).clicked() {
                            picked = Some(i);
                        }
                        ui.weak(format!("{} · {}", s.level.label(lang), s.id));
                    });
                }
            });
        if let Some(i) = picked {
            self.query.clear();
            self.reveal(doc, i);
            ui.ctx().request_repaint();
            out.push(Command::FilterSubtree(Some(i)));
            out.push(Command::Select {
                site: i,
                mode: SelectMode::Replace,
            });
        }
    }

    fn rows_ui(&mut self, ui: &mut egui::Ui, cx: &Cx<'_>, out: &mut Vec<Command>) {
        let row_height = self.row_height.unwrap_or_else(|| estimated_row_height(ui));
        let mut area = egui::ScrollArea::both()
            .id_salt("tree_scroll")
            .auto_shrink([false, false]);
        // Scroll a frame after the rows changed: the scroll area clamps to
        // the previous frame's content height and would spring back.
        let scroll_now = self.scroll_to.is_some() && self.rows_shown == Some(self.rows.len());
        if self.scroll_to.is_some() && !scroll_now {
            ui.request_repaint();
        }
        if let Some(site) = self.scroll_to.take_if(|_| scroll_now) {
            let pos = self
                .rows
                .iter()
                .position(|r| matches!(r, Row::Site { site: s, .. } if *s as usize == site));
            if let Some(pos) = pos {
                let step = row_height + ui.spacing().item_spacing.y;
                // A few rows of context above the revealed one, but never
                // past the end (that would spring back, animating).
                let viewport = self.viewport_height.unwrap_or_else(|| {
                    ui.available_height() - ui.spacing().scroll.allocated_width()
                });
                let content = self.rows.len() as f32 * step - ui.spacing().item_spacing.y;
                let max = (content - viewport).floor().max(0.0);
                let offset = ((pos as f32 - 3.0).max(0.0) * step).min(max);
                area = area.vertical_scroll_offset(offset);
            }
        }
        let mut events = Vec::new();
        let rows = &self.rows;
        let counts = &self.counts;
        let expanded = &self.expanded;
        let output = area.show_rows(ui, row_height, rows.len(), |ui, range| {
            ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Extend);
            let mut tallest: f32 = 0.0;
            for row in &rows[range] {
                let h = row_ui(ui, cx, counts, expanded, row, row_height, &mut events, out);
                tallest = tallest.max(h);
            }
            tallest
        });
        // show_rows needs every row's height: keep it at what the rows
        // really take (fonts differ), so the last rows stay reachable.
        if output.inner > row_height + 0.5 {
            self.row_height = Some(output.inner.ceil());
            ui.ctx().request_repaint();
        }
        self.viewport_height = Some(output.inner_rect.height());
        self.rows_shown = Some(rows.len());
        for e in events {
            match e {
                TreeEvent::Toggle(node) => {
                    if !self.expanded.remove(&node) {
                        self.expanded.insert(node);
                    }
                }
                TreeEvent::More(list) => {
                    let l = self.limit(list);
                    self.limits.insert(list, l + PAGE);
                }
            }
            self.rows_dirty = true;
        }
        if self.rows_dirty {
            // The rows were drawn before the click took effect: draw again
            // now rather than at the next input.
            ui.ctx().request_repaint();
        }
    }
}

/// A site's name as the tree shows it: red when it fails, struck out when
/// it merges.
fn name_text(doc: &Document, i: usize) -> egui::RichText {
    let mut t = egui::RichText::new(doc.inventory().site(i).name.as_str());
    if !doc.model.passes.get(i).copied().unwrap_or(false) {
        t = t.color(RED);
    }
    if is_merged(doc, i) {
        t = t.strikethrough();
    }
    t
}

#[allow(clippy::too_many_arguments)]
fn row_ui(
    ui: &mut egui::Ui,
    cx: &Cx<'_>,
    counts: &SubtreeCounts,
    expanded: &HashSet<NodeKey>,
    row: &Row,
    row_height: f32,
    events: &mut Vec<TreeEvent>,
    out: &mut Vec<Command>,
) -> f32 {
    let lang = cx.lang;
    let doc = cx.doc;
    let inv = doc.inventory();
    let indent = ui.spacing().indent;
    let response = ui.horizontal(|ui| {
        ui.set_min_height(row_height);
        match *row {
            Row::Site { site, depth } => {
                let i = site as usize;
                if i >= inv.len() {
                    return;
                }
                ui.add_space(f32::from(depth) * indent);
                if inv.children(i).is_empty() {
                    ui.add_space(indent);
                } else {
                    let node = NodeKey::Site(site);
                    if toggle_ui(ui, expanded.contains(&node), lang).clicked() {
                        events.push(TreeEvent::Toggle(node));
                    }
                }
                let failing = counts.failing.get(i).copied().unwrap_or(0);
                dot_ui(ui, failing > 0, row_height);
                let selected = cx.selection.contains(i);
                let response = ui
                    .selectable_label(selected, name_text(doc, i))
                    .on_hover_ui(|ui| site_hover(ui, cx, counts, i));
                if response.clicked() {
                    out.push(Command::FilterSubtree(Some(i)));
                    out.push(Command::Select {
                        site: i,
                        mode: SelectMode::Replace,
                    });
                }
                let n = counts.sites.get(i).copied().unwrap_or(1);
                let merged = counts.merged.get(i).copied().unwrap_or(0);
                if n > 1 {
                    counts_ui(ui, n, merged, lang);
                }
            }
            Row::Departments {
                parent,
                depth,
                count,
                merged,
                failing,
            } => {
                ui.add_space(f32::from(depth) * indent);
                let node = NodeKey::Departments(parent);
                let open = expanded.contains(&node);
                let t = toggle_ui(ui, open, lang);
                dot_ui(ui, failing > 0, row_height);
                let label = ui
                    .add(
                        egui::Button::new(format!("{} ({count})", TreeStr::Departments.get(lang)))
                            .frame(false),
                    )
                    .on_hover_text(format!(
                        "{}: {merged}\n{}: {failing}",
                        TreeStr::SubtreeMerged.get(lang),
                        TreeStr::SubtreeFailing.get(lang)
                    ));
                if t.clicked() || label.clicked() {
                    events.push(TreeEvent::Toggle(node));
                }
                if merged > 0 {
                    ui.weak(format!("{} {merged}", TreeStr::MergedShort.get(lang)));
                }
            }
            Row::More {
                list,
                depth,
                shown,
                total,
            } => {
                ui.add_space(f32::from(depth) * indent + indent);
                if ui
                    .small_button(format!(
                        "{} ({shown} / {total})",
                        TreeStr::ShowMore.get(lang)
                    ))
                    .clicked()
                {
                    events.push(TreeEvent::More(list));
                }
            }
        }
    });
    response.response.rect.height()
}

/// The height of a tree row before one is measured: a button's text and
/// padding, at least egui's interactive size.
fn estimated_row_height(ui: &egui::Ui) -> f32 {
    let text = ui.text_style_height(&egui::TextStyle::Button);
    ui.spacing()
        .interact_size
        .y
        .max(text + 2.0 * ui.spacing().button_padding.y)
}

/// The subtree's counts after a site's name: "14 · merged 3", or where
/// that does not fit, "14 · 3" (the words in a tooltip), never cut short.
fn counts_ui(ui: &mut egui::Ui, sites: u32, merged: u32, lang: Lang) {
    let full = counts_text(sites, merged, lang);
    let width = |text: &str| {
        let font = egui::TextStyle::Body.resolve(ui.style());
        ui.fonts_mut(|f| f.layout_no_wrap(text.to_string(), font, egui::Color32::WHITE))
            .size()
            .x
    };
    if merged == 0 || width(&full) <= ui.available_width() {
        ui.weak(full);
    } else {
        ui.weak(format!("{sites} · {merged}")).on_hover_text(full);
    }
}

/// "14 · merged 3".
fn counts_text(sites: u32, merged: u32, lang: Lang) -> String {
    if merged > 0 {
        format!("{sites} · {} {merged}", TreeStr::MergedShort.get(lang))
    } else {
        sites.to_string()
    }
}

/// The expand/collapse triangle, drawn like egui's collapsing headers.
fn toggle_ui(ui: &mut egui::Ui, open: bool, lang: Lang) -> egui::Response {
    let size = egui::vec2(ui.spacing().indent, ui.spacing().interact_size.y);
    let (rect, response) = ui.allocate_exact_size(size, egui::Sense::click());
    let label = if open {
        TreeStr::Collapse
    } else {
        TreeStr::Expand
    };
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, label.get(lang)));
    let (mut icon, _) = ui.spacing().icon_rectangles(rect);
    icon.set_center(rect.center());
    let openness = if open { 1.0 } else { 0.0 };
    egui::collapsing_header::paint_default_icon(
        ui,
        openness,
        &response.clone().with_new_rect(icon),
    );
    response
}

/// A red dot when the subtree has failing sites, else the same gap.
fn dot_ui(ui: &mut egui::Ui, failing: bool, row_height: f32) {
    let (rect, _) = ui.allocate_exact_size(egui::vec2(8.0, row_height), egui::Sense::hover());
    if failing {
        ui.painter().circle_filled(rect.center(), 3.5, RED);
    }
}

fn site_hover(ui: &mut egui::Ui, cx: &Cx<'_>, counts: &SubtreeCounts, i: usize) {
    let lang = cx.lang;
    let doc = cx.doc;
    let inv = doc.inventory();
    let s = inv.site(i);
    ui.label(format!(
        "{} · {} · {}",
        s.id,
        s.level.label(lang),
        s.kind.label(lang)
    ));
    if !doc.model.passes.get(i).copied().unwrap_or(false) {
        ui.colored_label(RED, TreeStr::SiteFails.get(lang));
    }
    let serving = doc.outcome.serving.get(i).map(|&t| t as usize);
    if let Some(t) = serving.filter(|&t| is_merged(doc, i) && t < inv.len()) {
        ui.label(format!(
            "{}: {}",
            TreeStr::MergedInto.get(lang),
            inv.site(t).name
        ));
    }
    let n = counts.sites.get(i).copied().unwrap_or(1);
    if n > 1 {
        ui.label(format!("{}: {n}", TreeStr::SubtreeSites.get(lang)));
        ui.label(format!(
            "{}: {}",
            TreeStr::SubtreeMerged.get(lang),
            counts.merged.get(i).copied().unwrap_or(0)
        ));
        ui.label(format!(
            "{}: {}",
            TreeStr::SubtreeFailing.get(lang),
            counts.failing.get(i).copied().unwrap_or(0)
        ));
    }
    ui.weak(TreeStr::ClickHint.get(lang));
}
