//! Undo as a log of reversible edits with a cursor (not snapshots of the
//! whole state). A bulk action is one edit; a drag is amended into one edit
//! until the interaction ends. A new edit drops what could be redone.

use crate::execution::{AuditAction, AuditEntry, StatusChange, audit};
use crate::inventory::Site;
use crate::plan::{Decision, Params, RuleSet, TimelineParams};
use crate::project::Scenario;
use crate::timeline::Quarter;
use crate::workspace::Workspace;

/// Most edits kept.
pub const MAX_UNDO: usize = 100;

/// One reversible change to the plan.
#[derive(Clone, Debug, PartialEq)]
pub enum Edit {
    /// Manual decisions changed: (site, before, after).
    Decisions(Vec<(usize, Option<Decision>, Option<Decision>)>),
    /// Decisions of an applied optimizer plan changed: (site, before, after).
    Optimized(Vec<(usize, Option<Decision>, Option<Decision>)>),
    /// The note on a site's decision changed.
    Note {
        /// The site.
        site: usize,
        /// Before (none: no note).
        before: Option<String>,
        /// After.
        after: Option<String>,
    },
    /// The rules changed.
    Rules {
        /// Before.
        before: RuleSet,
        /// After.
        after: RuleSet,
    },
    /// The parameters changed.
    Params {
        /// Before.
        before: Params,
        /// After.
        after: Params,
    },
    /// Sites' cells edited: (site, before, after).
    Sites(Vec<(usize, Box<Site>, Box<Site>)>),
    /// A scenario added (no `before`), removed (no `after`) or replaced,
    /// at its place in the list.
    Scenario {
        /// Its place in the list.
        index: usize,
        /// Before (none: it was added).
        before: Option<Box<Scenario>>,
        /// After (none: it was removed).
        after: Option<Box<Scenario>>,
    },
    /// Closure quarters changed: (site, before, after).
    Schedule(Vec<(usize, Option<Quarter>, Option<Quarter>)>),
    /// The timeline's start, horizon or limits changed.
    Timeline {
        /// Before.
        before: TimelineParams,
        /// After.
        after: TimelineParams,
    },
    /// Status changes recorded (added at the end of the list of changes;
    /// undoing takes them off again).
    Statuses(Vec<StatusChange>),
    /// The inspection rounds changed (a round file added, a round
    /// removed).
    Rounds {
        /// Before.
        before: Box<crate::rounds::Rounds>,
        /// After.
        after: Box<crate::rounds::Rounds>,
    },
    /// The statuses a closure moves through changed.
    Workflow {
        /// Before.
        before: Box<crate::execution::Workflow>,
        /// After.
        after: Box<crate::execution::Workflow>,
    },
    /// The redirect pattern or the notice template changed.
    Text {
        /// The pattern (false) or the template (true).
        template: bool,
        /// Before.
        before: String,
        /// After.
        after: String,
    },
    /// The inventory replaced with one that has more files in it (a
    /// file added to the inventory).
    Inventory {
        /// Before.
        before: Box<InventoryState>,
        /// After.
        after: Box<InventoryState>,
    },
    /// Several edits made as one step (loading a scenario).
    Many(Vec<Edit>),
}

/// An inventory and the files it was read from (see
/// [`Workspace::set_inventory`]).
#[derive(Clone, Debug)]
pub struct InventoryState {
    /// The sites, with their own inspection fields.
    pub imported: std::sync::Arc<crate::inventory::Imported>,
    /// Its files (empty: one, named by its report).
    pub sources: Vec<crate::inventory::SourceFile>,
}

/// Two states are the same when they hold the same inventory (the same
/// shared one) and the same files.
impl PartialEq for InventoryState {
    fn eq(&self, other: &Self) -> bool {
        std::sync::Arc::ptr_eq(&self.imported, &other.imported) && self.files() == other.files()
    }
}

impl InventoryState {
    /// The names of its files.
    fn files(&self) -> String {
        if self.sources.is_empty() {
            return self.imported.report.source.clone();
        }
        let names: Vec<&str> = self.sources.iter().map(|s| s.path.as_str()).collect();
        names.join("; ")
    }
}

/// The edits that can be applied to a plan (implemented by the document).
pub trait Editable {
    /// Sets a manual decision.
    fn set_manual(&mut self, site: usize, d: Option<Decision>);
    /// Sets an applied optimizer decision.
    fn set_optimized(&mut self, site: usize, d: Option<Decision>);
    /// Sets the note on a site's decision.
    fn set_note(&mut self, site: usize, note: Option<String>);
    /// Replaces the rules.
    fn set_rules(&mut self, rules: RuleSet);
    /// Replaces the parameters.
    fn set_params(&mut self, params: Params);
    /// Replaces sites (their ids unchanged), all at once.
    fn set_sites(&mut self, sites: Vec<(usize, Site)>);
    /// Turns the scenario at `index` from `from` into `to`: adds it (no
    /// `from`), removes it (no `to`) or replaces it.
    fn set_scenario(&mut self, index: usize, from: Option<&Scenario>, to: Option<&Scenario>);
    /// Sets a site's closure quarter.
    fn set_quarter(&mut self, site: usize, q: Option<Quarter>);
    /// Replaces the timeline parameters.
    fn set_timeline(&mut self, params: TimelineParams);
    /// Adds status changes at the end of the list (`forwards`), or takes
    /// these last ones off again.
    fn add_statuses(&mut self, changes: &[StatusChange], forwards: bool);
    /// Replaces the inspection rounds.
    fn set_rounds(&mut self, rounds: &crate::rounds::Rounds);
    /// Replaces the statuses a closure moves through.
    fn set_workflow(&mut self, workflow: &crate::execution::Workflow);
    /// Sets the redirect pattern (`template` false) or the notice template.
    fn set_text(&mut self, template: bool, text: &str);
    /// Replaces the inventory and its list of files.
    fn set_inventory(&mut self, state: &InventoryState);
}

impl Edit {
    /// True when the edit changes what the outcome is worked out from
    /// (anything but the list of scenarios and notes).
    pub fn changes_plan(&self) -> bool {
        match self {
            Edit::Scenario { .. }
            | Edit::Note { .. }
            | Edit::Schedule(_)
            | Edit::Timeline { .. }
            | Edit::Statuses(_)
            | Edit::Workflow { .. }
            | Edit::Text { .. } => false,
            Edit::Many(edits) => edits.iter().any(Edit::changes_plan),
            _ => true,
        }
    }

    /// Applies the edit forwards (`redo`) or backwards.
    pub fn apply(&self, target: &mut dyn Editable, forwards: bool) {
        match self {
            Edit::Decisions(changes) => {
                for &(site, before, after) in changes {
                    target.set_manual(site, if forwards { after } else { before });
                }
            }
            Edit::Optimized(changes) => {
                for &(site, before, after) in changes {
                    target.set_optimized(site, if forwards { after } else { before });
                }
            }
            Edit::Note {
                site,
                before,
                after,
            } => target.set_note(*site, if forwards { after } else { before }.clone()),
            Edit::Rules { before, after } => {
                target.set_rules(if forwards { after } else { before }.clone())
            }
            Edit::Params { before, after } => {
                target.set_params(if forwards { after } else { before }.clone())
            }
            Edit::Sites(changes) => target.set_sites(
                changes
                    .iter()
                    .map(|(i, before, after)| {
                        (*i, if forwards { after } else { before }.as_ref().clone())
                    })
                    .collect(),
            ),
            Edit::Scenario {
                index,
                before,
                after,
            } => {
                let (from, to) = if forwards {
                    (before, after)
                } else {
                    (after, before)
                };
                target.set_scenario(*index, from.as_deref(), to.as_deref());
            }
            Edit::Schedule(changes) => {
                for &(site, before, after) in changes {
                    target.set_quarter(site, if forwards { after } else { before });
                }
            }
            Edit::Timeline { before, after } => {
                target.set_timeline(if forwards { after } else { before }.clone())
            }
            Edit::Statuses(changes) => target.add_statuses(changes, forwards),
            Edit::Rounds { before, after } => {
                target.set_rounds(if forwards { after } else { before })
            }
            Edit::Workflow { before, after } => {
                target.set_workflow(if forwards { after } else { before })
            }
            Edit::Text {
                template,
                before,
                after,
            } => target.set_text(*template, if forwards { after } else { before }),
            Edit::Inventory { before, after } => {
                target.set_inventory(if forwards { after } else { before })
            }
            Edit::Many(edits) => {
                if forwards {
                    edits.iter().for_each(|e| e.apply(target, true));
                } else {
                    edits.iter().rev().for_each(|e| e.apply(target, false));
                }
            }
        }
    }
}

impl Edit {
    /// The audit trail's entries for this edit, made by `person`, with
    /// the workspace as it is after the edit (site ids never change).
    pub fn audit(&self, ws: &Workspace, person: &str) -> Vec<AuditEntry> {
        let mut out = Vec::new();
        self.audit_into(ws, person, &mut out);
        out
    }

    /// The entries of undoing (`forwards` false) or redoing this edit:
    /// its own entries with the values swapped for an undo, recorded as
    /// an undo or a redo, the reason naming what kind of change it was.
    pub fn audit_replay(&self, ws: &Workspace, person: &str, forwards: bool) -> Vec<AuditEntry> {
        let mut out = self.audit(ws, person);
        for e in &mut out {
            if !forwards {
                std::mem::swap(&mut e.before, &mut e.after);
            }
            e.reason = e.action.key().to_string();
            e.action = if forwards {
                AuditAction::Redo
            } else {
                AuditAction::Undo
            };
        }
        out
    }

    fn audit_into(&self, ws: &Workspace, person: &str, out: &mut Vec<AuditEntry>) {
        let inv = &ws.imported.inventory;
        let id = |i: usize| inv.sites().get(i).map_or("", |s| s.id.as_str());
        let entry = |action| AuditEntry::now(person, action);
        match self {
            Edit::Decisions(changes) | Edit::Optimized(changes) => {
                let action = if matches!(self, Edit::Decisions(_)) {
                    AuditAction::Decision
                } else {
                    AuditAction::Optimizer
                };
                for &(i, before, after) in changes {
                    out.push(
                        entry(action)
                            .site(id(i))
                            .change(
                                audit::decision_text(inv, before),
                                audit::decision_text(inv, after),
                            )
                            .reason(ws.notes.get(&i).cloned().unwrap_or_default()),
                    );
                }
            }
            Edit::Note {
                site,
                before,
                after,
            } => out.push(entry(AuditAction::Note).site(id(*site)).change(
                before.clone().unwrap_or_default(),
                after.clone().unwrap_or_default(),
            )),
            Edit::Rules { before, after } => {
                let names = |r: &RuleSet| {
                    r.rules
                        .iter()
                        .map(|r| r.name.as_str())
                        .collect::<Vec<_>>()
                        .join("; ")
                };
                out.push(entry(AuditAction::Rules).change(names(before), names(after)));
            }
            Edit::Params { before, after } => {
                for (k, b, a) in audit::field_changes(before, after) {
                    out.push(
                        entry(AuditAction::Params)
                            .change(format!("{k} = {b}"), format!("{k} = {a}")),
                    );
                }
            }
            Edit::Timeline { before, after } => {
                for (k, b, a) in audit::field_changes(before, after) {
                    out.push(
                        entry(AuditAction::Params)
                            .change(format!("{k} = {b}"), format!("{k} = {a}")),
                    );
                }
            }
            Edit::Sites(changes) => {
                for (i, before, after) in changes {
                    for c in crate::inventory::edit::EDITABLE {
                        let lang = crate::i18n::Lang::En;
                        let (b, a) = (
                            crate::inventory::edit::cell_text(before, c, lang),
                            crate::inventory::edit::cell_text(after, c, lang),
                        );
                        if b != a {
                            let k = c.key();
                            out.push(
                                entry(AuditAction::Sites)
                                    .site(id(*i))
                                    .change(format!("{k} = {b}"), format!("{k} = {a}")),
                            );
                        }
                    }
                }
            }
            Edit::Scenario { before, after, .. } => {
                let name = |s: &Option<Box<Scenario>>| s.as_ref().map(|s| s.name.clone());
                out.push(entry(AuditAction::Scenario).change(
                    name(before).unwrap_or_default(),
                    name(after).unwrap_or_default(),
                ));
            }
            Edit::Schedule(changes) => {
                let q = |q: Option<Quarter>| q.map(|q| q.to_string()).unwrap_or_default();
                for &(i, before, after) in changes {
                    out.push(
                        entry(AuditAction::Schedule)
                            .site(id(i))
                            .change(q(before), q(after)),
                    );
                }
            }
            Edit::Statuses(changes) => {
                for c in changes {
                    let mut e = AuditEntry::now(&c.person, AuditAction::Status)
                        .site(&c.site_id)
                        .change("", format!("{} {}", c.status, c.date))
                        .reason(c.note.clone());
                    if e.person.is_empty() {
                        e.person = person.to_string();
                    }
                    out.push(e);
                }
            }
            Edit::Rounds { before, after } => {
                let quarters = |r: &crate::rounds::Rounds| {
                    r.rounds
                        .iter()
                        .map(|r| r.quarter.to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                out.push(
                    entry(AuditAction::Import)
                        .change(quarters(before), quarters(after))
                        .reason("inspection rounds"),
                );
            }
            Edit::Workflow { before, after } => {
                out.push(audit::workflow_change(person, before, after))
            }
            Edit::Text {
                template,
                before,
                after,
            } => out.push(
                entry(AuditAction::Params)
                    .change(before.clone(), after.clone())
                    .reason(if *template {
                        "notice_template"
                    } else {
                        "redirect_pattern"
                    }),
            ),
            Edit::Inventory { before, after } => out.push(
                entry(AuditAction::Import)
                    .change(before.files(), after.files())
                    .reason("inventory files"),
            ),
            Edit::Many(edits) => edits.iter().for_each(|e| e.audit_into(ws, person, out)),
        }
    }
}

/// The log of edits.
#[derive(Clone, Debug)]
pub struct UndoLog {
    edits: Vec<Edit>,
    cursor: usize,
    /// While an interaction (a drag, typing in a field) goes on, its edits
    /// are amended into the last one; the key says which interaction.
    open: Option<String>,
    /// The cursor when the document was last saved (or opened); `None`
    /// once that state cannot be reached by undo or redo any more.
    saved: Option<usize>,
}

impl Default for UndoLog {
    fn default() -> Self {
        UndoLog {
            edits: Vec::new(),
            cursor: 0,
            open: None,
            saved: Some(0),
        }
    }
}

impl UndoLog {
    /// Records an edit that was just applied. With `group`, an edit of the
    /// same group as the last one, still open, is merged into it; returns
    /// true when it was (see [`UndoLog::last`]).
    pub fn record(&mut self, edit: Edit, group: Option<&str>) -> bool {
        let merge =
            group.is_some() && self.open.as_deref() == group && self.cursor == self.edits.len();
        if merge && let Some(last) = self.edits.last_mut() {
            // The amended step no longer ends in the saved state.
            if self.saved == Some(self.cursor) {
                self.saved = None;
            }
            match (last, edit) {
                (Edit::Params { after, .. }, Edit::Params { after: new, .. }) => {
                    *after = new;
                    return true;
                }
                (Edit::Rules { after, .. }, Edit::Rules { after: new, .. }) => {
                    *after = new;
                    return true;
                }
                (Edit::Timeline { after, .. }, Edit::Timeline { after: new, .. }) => {
                    *after = new;
                    return true;
                }
                (_, edit) => {
                    self.push(edit, group);
                    return false;
                }
            }
        }
        self.push(edit, group);
        false
    }

    /// The last edit done (not undone).
    pub fn last(&self) -> Option<&Edit> {
        self.cursor.checked_sub(1).and_then(|c| self.edits.get(c))
    }

    fn push(&mut self, edit: Edit, group: Option<&str>) {
        // The saved state was among the steps a new edit drops.
        if self.saved.is_some_and(|s| s > self.cursor) {
            self.saved = None;
        }
        self.edits.truncate(self.cursor);
        self.edits.push(edit);
        if self.edits.len() > MAX_UNDO {
            self.edits.remove(0);
            self.saved = self.saved.and_then(|s| s.checked_sub(1));
        }
        self.cursor = self.edits.len();
        self.open = group.map(str::to_string);
    }

    /// Ends the open interaction: the next edit starts a new step.
    pub fn close_group(&mut self) {
        self.open = None;
    }

    /// The edit to undo, moving the cursor back.
    pub fn undo(&mut self) -> Option<&Edit> {
        self.open = None;
        if self.cursor == 0 {
            return None;
        }
        self.cursor -= 1;
        self.edits.get(self.cursor)
    }

    /// The edit to redo, moving the cursor forward.
    pub fn redo(&mut self) -> Option<&Edit> {
        self.open = None;
        let e = self.edits.get(self.cursor)?;
        self.cursor += 1;
        Some(e)
    }

    /// True when there is something to undo.
    pub fn can_undo(&self) -> bool {
        self.cursor > 0
    }

    /// True when there is something to redo.
    pub fn can_redo(&self) -> bool {
        self.cursor < self.edits.len()
    }

    /// Marks the present state as the saved one.
    pub fn mark_saved(&mut self) {
        self.saved = Some(self.cursor);
    }

    /// True when undo and redo have brought the document back to the state
    /// it was saved (or opened) in.
    pub fn at_saved(&self) -> bool {
        self.saved == Some(self.cursor)
    }

    /// Forgets every edit (a new document).
    pub fn clear(&mut self) {
        *self = UndoLog::default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Default)]
    struct Doc {
        manual: Vec<Option<Decision>>,
        params: Params,
    }

    impl Editable for Doc {
        fn set_manual(&mut self, site: usize, d: Option<Decision>) {
            self.manual[site] = d;
        }
        fn set_optimized(&mut self, _: usize, _: Option<Decision>) {}
        fn set_note(&mut self, _: usize, _: Option<String>) {}
        fn set_rules(&mut self, _: RuleSet) {}
        fn set_params(&mut self, p: Params) {
            self.params = p;
        }
        fn set_sites(&mut self, _: Vec<(usize, Site)>) {}
        fn set_scenario(&mut self, _: usize, _: Option<&Scenario>, _: Option<&Scenario>) {}
        fn set_quarter(&mut self, _: usize, _: Option<Quarter>) {}
        fn set_timeline(&mut self, _: TimelineParams) {}
        fn add_statuses(&mut self, _: &[StatusChange], _: bool) {}
        fn set_rounds(&mut self, _: &crate::rounds::Rounds) {}
        fn set_workflow(&mut self, _: &crate::execution::Workflow) {}
        fn set_text(&mut self, _: bool, _: &str) {}
        fn set_inventory(&mut self, _: &InventoryState) {}
    }

    #[test]
    fn undo_redo_and_new_edit_drops_redo() {
        let mut doc = Doc {
            manual: vec![None; 3],
            ..Default::default()
        };
        let mut log = UndoLog::default();
        let m = Some(Decision::Merge { target: None });
        let e1 = Edit::Decisions(vec![(1, None, m)]);
        e1.apply(&mut doc, true);
        log.record(e1, None);
        let e2 = Edit::Decisions(vec![(2, None, Some(Decision::Keep))]);
        e2.apply(&mut doc, true);
        log.record(e2, None);
        log.undo().cloned().expect("undo").apply(&mut doc, false);
        assert_eq!(doc.manual, vec![None, m, None]);
        log.redo().cloned().expect("redo").apply(&mut doc, true);
        assert_eq!(doc.manual[2], Some(Decision::Keep));
        log.undo().cloned().expect("undo").apply(&mut doc, false);
        let e3 = Edit::Decisions(vec![(0, None, m)]);
        e3.apply(&mut doc, true);
        log.record(e3, None);
        assert!(!log.can_redo());
    }

    #[test]
    fn a_drag_is_one_step() {
        let mut doc = Doc::default();
        let mut log = UndoLog::default();
        let start = doc.params.clone();
        for t in [61.0, 62.0, 65.0] {
            let before = doc.params.clone();
            let mut after = before.clone();
            after.pass_threshold = t;
            let e = Edit::Params { before, after };
            e.apply(&mut doc, true);
            log.record(e, Some("pass_threshold"));
        }
        log.close_group();
        assert_eq!(doc.params.pass_threshold, 65.0);
        log.undo()
            .cloned()
            .expect("one step")
            .apply(&mut doc, false);
        assert_eq!(doc.params, start);
        assert!(!log.can_undo());
    }

    #[test]
    fn the_saved_state_is_where_undo_and_redo_bring_it() {
        let mut log = UndoLog::default();
        assert!(log.at_saved(), "as opened");
        let e = |i| Edit::Decisions(vec![(i, None, Some(Decision::Keep))]);
        log.record(e(0), None);
        assert!(!log.at_saved());
        log.undo();
        assert!(log.at_saved(), "undone back to the opened state");
        log.redo();
        log.record(e(1), None);
        log.mark_saved();
        log.undo();
        assert!(!log.at_saved());
        log.redo();
        assert!(log.at_saved());
        // A new edit after undoing past the save: the saved state is gone.
        log.undo();
        log.record(e(2), None);
        assert!(!log.at_saved());
        log.undo();
        assert!(!log.at_saved(), "the saved step was dropped");
    }

    #[test]
    fn amending_the_saved_step_leaves_the_saved_state() {
        let mut log = UndoLog::default();
        let p = |t: f64| Edit::Params {
            before: Params::default(),
            after: Params {
                pass_threshold: t,
                ..Params::default()
            },
        };
        log.record(p(61.0), Some("drag"));
        log.mark_saved();
        log.record(p(62.0), Some("drag"));
        assert!(!log.at_saved());
    }

    #[test]
    fn the_saved_state_falls_off_the_front_with_old_edits() {
        let mut log = UndoLog::default();
        for i in 0..(MAX_UNDO + 1) {
            log.record(Edit::Decisions(vec![(i, None, None)]), None);
        }
        while log.undo().is_some() {}
        assert!(!log.at_saved(), "the opened state is out of reach");
    }

    #[test]
    fn keeps_at_most_the_limit() {
        let mut log = UndoLog::default();
        for i in 0..(MAX_UNDO + 20) {
            log.record(Edit::Decisions(vec![(i, None, None)]), None);
        }
        let mut n = 0;
        while log.undo().is_some() {
            n += 1;
        }
        assert_eq!(n, MAX_UNDO);
    }
}
