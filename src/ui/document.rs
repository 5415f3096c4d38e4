//! The open document: a workspace plus what is derived from it (resolved
//! decisions, outcome) and its undo log. Knows nothing of egui.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::i18n::Text;
use crate::inventory::Inventory;
use crate::outcome::{Evaluator, Model, Outcome};
use crate::plan::{Decision, Params, Resolved, RuleSet, check_decision};
use crate::workspace::Workspace;

use super::undo::{Edit, Editable, UndoLog};

/// An open inventory with its plan.
pub struct Document {
    /// Inventory, decisions, rules, parameters.
    pub ws: Workspace,
    /// Where it came from (`None` for the bundled sample).
    pub path: Option<PathBuf>,
    /// Per-site figures for the current parameters (shared, like the two
    /// below, with work on other threads such as drawing the charts).
    pub model: Arc<Model>,
    /// Every site's decision.
    pub resolved: Arc<Resolved>,
    /// The outcome of the plan.
    pub outcome: Arc<Outcome>,
    /// Grows with every change; views recompute when it moves.
    pub revision: u64,
    /// Identifies the opened inventory (unchanged by edits).
    pub inventory_id: u64,
    /// Identifies the inventory's data: changes when it is opened and
    /// whenever a cell is edited (views of the sites' own fields recompute).
    pub data_version: u64,
    /// Reversible edits.
    pub undo: UndoLog,
    /// Changed outside the undo log since opened or saved (restored from
    /// a recovery file); see [`Document::is_dirty`].
    changed_outside_undo: bool,
    /// The project file this document is saved to, if any.
    pub project_path: Option<PathBuf>,
    /// How that file looked when it was opened or last saved here.
    pub project_stamp: Option<crate::project::FileStamp>,
    /// When the project was first saved (kept across saves).
    pub project_created: String,
    /// The project file held open for writing, locked against other
    /// writers (see `ui::project_io::save_document`).
    pub store: Option<crate::project::ProjectStore>,
    /// Opened read-only (another window has the project open for
    /// writing): Save goes to Save as.
    pub read_only: bool,
    /// Named scenarios (saved in the project file).
    pub scenarios: Vec<crate::project::Scenario>,
    /// Grows with every change to `scenarios`.
    pub scenarios_revision: u64,
    /// Who is making the changes, for the audit trail and status changes
    /// (the account name unless the planner gave another in Settings).
    pub person: String,
    /// Where the audit entries of the open interaction (a drag amended
    /// into one edit) begin, so that each amendment rewrites them.
    audit_group_start: usize,
    evaluator: Evaluator,
    params_changed: bool,
    sites_changed: bool,
    /// What `resolved` was resolved from, so that an edit of a few manual
    /// decisions re-resolves only those sites.
    resolved_from: Option<ResolvedFrom>,
}

/// A revision no document had: revisions are unique across documents, so
/// a view's cache never mistakes a newly opened file for the one it drew.
fn next_revision() -> u64 {
    static NEXT_REVISION: AtomicU64 = AtomicU64::new(1);
    NEXT_REVISION.fetch_add(1, Ordering::Relaxed)
}

/// The inputs of the last resolution.
struct ResolvedFrom {
    manual: Vec<Option<Decision>>,
    optimized: Vec<Option<Decision>>,
    rules: RuleSet,
    params: Params,
}

impl Document {
    /// Opens a workspace.
    pub fn new(ws: Workspace, path: Option<PathBuf>) -> Document {
        let model = Arc::new(ws.model());
        let mut doc = Document {
            ws,
            path,
            model,
            resolved: Arc::default(),
            outcome: Arc::default(),
            revision: 0,
            inventory_id: 0,
            data_version: 0,
            undo: UndoLog::default(),
            changed_outside_undo: false,
            project_path: None,
            project_stamp: None,
            project_created: String::new(),
            store: None,
            read_only: false,
            scenarios: Vec::new(),
            scenarios_revision: 0,
            person: crate::execution::default_person(),
            audit_group_start: 0,
            evaluator: Evaluator::default(),
            params_changed: false,
            sites_changed: false,
            resolved_from: None,
        };
        doc.recompute();
        doc.inventory_id = doc.revision;
        doc.data_version = doc.revision;
        doc
    }

    /// The inventory.
    pub fn inventory(&self) -> &Inventory {
        &self.ws.imported.inventory
    }

    /// Re-resolves and re-evaluates after a change.
    pub fn recompute(&mut self) {
        if self.params_changed || self.sites_changed {
            self.model = Arc::new(self.ws.model());
            self.params_changed = false;
        }
        if self.sites_changed {
            // Rules read the sites' fields: everything is resolved again.
            self.resolved_from = None;
        }
        self.resolve();
        self.outcome = Arc::new(self.evaluator.evaluate(
            &self.ws.imported.inventory,
            &self.model,
            &self.resolved.decisions,
        ));
        self.revision = next_revision();
        if self.sites_changed {
            self.data_version = self.revision;
            self.sites_changed = false;
        }
    }

    /// Re-resolves the decisions: only the sites whose manual decision
    /// changed when the rules and parameters are those of the last
    /// resolution (a site's decision depends on nothing else), else all.
    fn resolve(&mut self) {
        let ws = &self.ws;
        let n = ws.imported.inventory.len();
        if let Some(from) = self.resolved_from.as_mut()
            && from.rules == ws.rules
            && from.params == ws.params
            && from.manual.len() == n
            && ws.manual.len() == n
            && from.optimized == ws.optimized
            && self.resolved.decisions.len() == n
        {
            // Shared with a drawing in progress: copied once, then changed.
            let resolved = Arc::make_mut(&mut self.resolved);
            for (i, (was, now)) in from.manual.iter_mut().zip(&ws.manual).enumerate() {
                if was != now {
                    let (d, s) = crate::plan::resolve_site(
                        &ws.imported.inventory,
                        i,
                        &ws.manual,
                        &ws.optimized,
                        &ws.rules,
                        &ws.params,
                    );
                    resolved.decisions[i] = d;
                    resolved.sources[i] = s;
                    *was = *now;
                }
            }
            return;
        }
        self.resolved = Arc::new(ws.resolve());
        self.resolved_from = Some(ResolvedFrom {
            manual: ws.manual.clone(),
            optimized: ws.optimized.clone(),
            rules: ws.rules.clone(),
            params: ws.params.clone(),
        });
    }

    /// Sets manual decisions on many sites as one undo step. Invalid
    /// decisions (merging a top site, a target that is not an ancestor)
    /// are skipped; returns how many were skipped with the first reason.
    pub fn decide(
        &mut self,
        sites: &[usize],
        decision: impl Fn(usize) -> Option<Decision>,
    ) -> (usize, Option<Text>) {
        let mut changes = Vec::new();
        let mut skipped = 0;
        let mut why = None;
        for &s in sites {
            let new = decision(s);
            if let Some(d) = new
                && let Err(e) = check_decision(self.inventory(), s, d)
            {
                skipped += 1;
                why.get_or_insert(e);
                continue;
            }
            let old = self.ws.manual[s];
            if old != new {
                changes.push((s, old, new));
            }
        }
        if !changes.is_empty() {
            let edit = Edit::Decisions(changes);
            self.apply_edit(edit, None);
        }
        (skipped, why)
    }

    /// Edits cells of the inventory (one undo step): every cell checked as
    /// the importer checks a file's cell; all applied, or none and every
    /// problem returned. Decisions the new hierarchy no longer allows (a
    /// target that is no longer an ancestor, a merge of a new top site)
    /// are removed in the same step. Returns how many sites changed.
    pub fn edit_cells(
        &mut self,
        cells: &[(usize, crate::inventory::Column, String)],
    ) -> Result<usize, Vec<crate::inventory::edit::CellProblem>> {
        let inv = self.inventory();
        // A site's inspection fields come from its latest round while one
        // stands in for them: the round file is what to correct.
        use crate::inventory::Column;
        let from_rounds: Vec<crate::inventory::edit::CellProblem> = cells
            .iter()
            .filter(|(i, c, _)| {
                matches!(c, Column::InspectionScore | Column::InspectionPassed)
                    && *i < inv.len()
                    && self.ws.rounds.overrides(*i)
            })
            .map(|(i, c, text)| crate::inventory::edit::CellProblem {
                site: *i,
                column: *c,
                text: text.clone(),
                why: Text::new(
                    "该网站的检查结果来自检查轮次文件，请在轮次文件中修改",
                    "this site's inspection comes from an inspection round: correct the round file",
                ),
            })
            .collect();
        if !from_rounds.is_empty() {
            return Err(from_rounds);
        }
        let changed = crate::inventory::edit::edit_cells(inv, cells)?;
        if changed.is_empty() {
            return Ok(0);
        }
        let moved = changed.iter().any(|(i, s)| s.parent != inv.site(*i).parent);
        let mut edits = Vec::new();
        if moved {
            let (after, _) = inv.with_sites(&changed);
            let dropped = |layer: &[Option<Decision>]| -> Vec<_> {
                layer
                    .iter()
                    .enumerate()
                    .filter_map(|(i, d)| {
                        let d = (*d)?;
                        check_decision(&after, i, d)
                            .is_err()
                            .then_some((i, Some(d), None))
                    })
                    .collect()
            };
            let manual = dropped(&self.ws.manual);
            let optimized = dropped(&self.ws.optimized);
            if !manual.is_empty() {
                edits.push(Edit::Decisions(manual));
            }
            if !optimized.is_empty() {
                edits.push(Edit::Optimized(optimized));
            }
        }
        let n = changed.len();
        let sites = Edit::Sites(
            changed
                .into_iter()
                .map(|(i, s)| (i, Box::new(inv.site(i).clone()), Box::new(s)))
                .collect(),
        );
        // The sites first, so that undoing restores them last.
        edits.insert(0, sites);
        let edit = if edits.len() == 1 {
            edits.remove(0)
        } else {
            Edit::Many(edits)
        };
        self.apply_edit(edit, None);
        Ok(n)
    }

    /// Replaces the rules (one undo step, or amended into the open `group`).
    pub fn change_rules(&mut self, rules: RuleSet, group: Option<&str>) {
        if rules == self.ws.rules {
            return;
        }
        let edit = Edit::Rules {
            before: self.ws.rules.clone(),
            after: rules,
        };
        self.apply_edit(edit, group);
    }

    /// Replaces the parameters (one undo step, or amended into the open `group`).
    pub fn change_params(&mut self, params: Params, group: Option<&str>) {
        if params == self.ws.params {
            return;
        }
        let edit = Edit::Params {
            before: self.ws.params.clone(),
            after: params,
        };
        self.apply_edit(edit, group);
    }

    /// Applies a plan the optimizer found (one decision per site) as one
    /// undo step: its decisions are recorded as the optimizer's, under the
    /// planner's manual ones. Returns how many sites' decisions changed.
    pub fn apply_optimized(&mut self, plan: &[Decision]) -> usize {
        if plan.len() != self.ws.optimized.len() {
            return 0;
        }
        let layer = self.ws.optimizer_layer(plan);
        let changes: Vec<_> = layer
            .into_iter()
            .zip(&self.ws.optimized)
            .enumerate()
            .filter(|(_, (new, old))| new != *old)
            .map(|(i, (new, old))| (i, *old, new))
            .collect();
        let changed = changes.len();
        if changed > 0 {
            self.apply_edit(Edit::Optimized(changes), None);
        }
        changed
    }

    /// Sets the note on a site's decision (empty: none), as one undo step.
    pub fn set_note(&mut self, site: usize, note: &str) {
        let note = note.trim();
        let after = (!note.is_empty()).then(|| note.to_string());
        let before = self.ws.notes.get(&site).cloned();
        if before != after && site < self.inventory().len() {
            self.apply_edit(
                Edit::Note {
                    site,
                    before,
                    after,
                },
                None,
            );
        }
    }

    /// Removes an applied optimizer plan (one undo step).
    pub fn clear_optimized(&mut self) -> usize {
        let changes: Vec<_> = self
            .ws
            .optimized
            .iter()
            .enumerate()
            .filter_map(|(i, d)| d.map(|d| (i, Some(d), None)))
            .collect();
        let changed = changes.len();
        if changed > 0 {
            self.apply_edit(Edit::Optimized(changes), None);
        }
        changed
    }

    /// Replaces the whole plan (manual decisions, rules, parameters) as one
    /// undo step, recording only the decisions that change.
    pub fn replace_plan(
        &mut self,
        manual: Vec<Option<Decision>>,
        optimized: Vec<Option<Decision>>,
        rules: RuleSet,
        params: Params,
    ) {
        let changes = |now: &[Option<Decision>], new: &[Option<Decision>]| -> Vec<_> {
            now.iter()
                .zip(new)
                .enumerate()
                .filter(|(_, (a, b))| a != b)
                .map(|(i, (a, b))| (i, *a, *b))
                .collect()
        };
        let mut edits = vec![
            Edit::Decisions(changes(&self.ws.manual, &manual)),
            Edit::Optimized(changes(&self.ws.optimized, &optimized)),
        ];
        if rules != self.ws.rules {
            edits.push(Edit::Rules {
                before: self.ws.rules.clone(),
                after: rules,
            });
        }
        if params != self.ws.params {
            edits.push(Edit::Params {
                before: self.ws.params.clone(),
                after: params,
            });
        }
        self.apply_edit(Edit::Many(edits), None);
    }

    /// A document of an opened project.
    pub fn from_project(project: crate::project::Project, path: PathBuf) -> Document {
        let scenarios = project.scenarios.clone();
        let created = project.created.clone();
        let mut doc = Document::new(project.into_workspace(), Some(path.clone()));
        doc.scenarios = scenarios;
        doc.project_created = created;
        doc.project_stamp = crate::project::FileStamp::of(&path);
        doc.project_path = Some(path);
        doc
    }

    /// Changed since opened or saved: undo and redo have not brought it
    /// back to that state (or it holds work restored from elsewhere).
    pub fn is_dirty(&self) -> bool {
        // The audit trail is not counted: undoing back to the saved state
        // clears the mark, and the entries of what was done and undone
        // meanwhile are saved with the next save.
        self.changed_outside_undo || !self.undo.at_saved()
    }

    /// The present state is saved.
    pub fn mark_saved(&mut self) {
        self.undo.mark_saved();
        self.changed_outside_undo = false;
    }

    /// The document holds work that no file has (restored from a
    /// recovery file), whatever undo does.
    pub fn mark_unsaved(&mut self) {
        self.changed_outside_undo = true;
    }

    /// Marks the scenario list changed other than by an edit (it was
    /// replaced as a whole).
    pub fn scenarios_changed(&mut self) {
        self.scenarios_revision += 1;
        self.changed_outside_undo = true;
    }

    /// Adds a scenario at `index` (one undo step).
    pub fn insert_scenario(&mut self, index: usize, scenario: crate::project::Scenario) {
        let index = index.min(self.scenarios.len());
        self.apply_edit(
            Edit::Scenario {
                index,
                before: None,
                after: Some(Box::new(scenario)),
            },
            None,
        );
    }

    /// Replaces the scenario at `index` (one undo step).
    pub fn replace_scenario(&mut self, index: usize, scenario: crate::project::Scenario) {
        let Some(before) = self.scenarios.get(index).cloned() else {
            return;
        };
        if before == scenario {
            return;
        }
        self.apply_edit(
            Edit::Scenario {
                index,
                before: Some(Box::new(before)),
                after: Some(Box::new(scenario)),
            },
            None,
        );
    }

    /// Removes the scenario at `index` (one undo step).
    pub fn remove_scenario(&mut self, index: usize) {
        let Some(before) = self.scenarios.get(index).cloned() else {
            return;
        };
        self.apply_edit(
            Edit::Scenario {
                index,
                before: Some(Box::new(before)),
                after: None,
            },
            None,
        );
    }

    fn apply_edit(&mut self, edit: Edit, group: Option<&str>) {
        edit.apply(self, true);
        let plan = edit.changes_plan();
        let amended = self.undo.record(edit, group);
        // The audit trail: an amended edit (a drag) rewrites its entries,
        // so that it is recorded once, from where it began to where it is.
        let audit = &mut self.ws.execution.audit;
        if amended {
            audit.truncate(self.audit_group_start.min(audit.len()));
        } else {
            self.audit_group_start = audit.len();
        }
        if let Some(last) = self.undo.last() {
            let entries = last.audit(&self.ws, &self.person);
            self.ws.execution.audit.extend(entries);
        }
        self.after_edit(plan);
    }

    /// Works the outcome out again after an edit of the plan; any other
    /// edit (a note, a scenario) only moves the revision, for the views
    /// and the autosave.
    fn after_edit(&mut self, plan: bool) {
        if plan {
            self.recompute();
        } else {
            self.revision = next_revision();
        }
    }

    /// Undoes the last edit; false when there was none.
    pub fn undo(&mut self) -> bool {
        let Some(edit) = self.undo.undo().cloned() else {
            return false;
        };
        edit.apply(self, false);
        let entries = edit.audit_replay(&self.ws, &self.person, false);
        self.record_audit(entries);
        self.after_edit(edit.changes_plan());
        true
    }

    /// Redoes the last undone edit; false when there was none.
    pub fn redo(&mut self) -> bool {
        let Some(edit) = self.undo.redo().cloned() else {
            return false;
        };
        edit.apply(self, true);
        let entries = edit.audit_replay(&self.ws, &self.person, true);
        self.record_audit(entries);
        self.after_edit(edit.changes_plan());
        true
    }

    /// Adds entries to the audit trail (not an edit: never undone).
    pub fn record_audit(&mut self, entries: Vec<crate::execution::AuditEntry>) {
        let audit = &mut self.ws.execution.audit;
        audit.extend(entries);
        // A later amendment must not take these off.
        self.audit_group_start = audit.len();
        self.undo.close_group();
    }

    /// Sets the closure quarter of these sites (`None`: unscheduled), as
    /// one undo step; returns how many changed.
    pub fn set_quarters(&mut self, sites: &[usize], q: Option<crate::timeline::Quarter>) -> usize {
        let changes: Vec<_> = sites
            .iter()
            .filter_map(|&i| {
                let old = *self.ws.schedule.get(i)?;
                (old != q).then_some((i, old, q))
            })
            .collect();
        let n = changes.len();
        if n > 0 {
            self.apply_edit(Edit::Schedule(changes), None);
        }
        n
    }

    /// Gives a quarter to every merged site without one, within the
    /// timeline's limits (MODEL.md §8), as one undo step; returns how many
    /// were placed.
    pub fn fill_schedule(&mut self) -> usize {
        let t = self.timeline_with(true);
        let changes: Vec<_> = t
            .quarters
            .iter()
            .zip(&self.ws.schedule)
            .enumerate()
            .filter(|(_, (new, old))| new != old)
            .map(|(i, (new, old))| (i, *old, *new))
            .collect();
        let n = changes.len();
        if n > 0 {
            self.apply_edit(Edit::Schedule(changes), None);
        }
        n
    }

    /// Removes every closure quarter (one undo step); returns how many.
    pub fn clear_schedule(&mut self) -> usize {
        let all: Vec<usize> = (0..self.ws.schedule.len()).collect();
        self.set_quarters(&all, None)
    }

    /// The timeline of the current plan and schedule (`fill`: with the
    /// scheduler's quarters for the sites without one).
    pub fn timeline_with(&self, fill: bool) -> crate::timeline::Timeline {
        self.ws
            .timeline_of(&self.model, &self.resolved, &self.outcome, fill)
    }

    /// Replaces the timeline parameters (one undo step, or amended into the
    /// open `group`).
    pub fn change_timeline(&mut self, params: crate::plan::TimelineParams, group: Option<&str>) {
        if params == self.ws.timeline {
            return;
        }
        let edit = Edit::Timeline {
            before: self.ws.timeline.clone(),
            after: params,
        };
        self.apply_edit(edit, group);
    }

    /// Adds inspection rounds (one undo step).
    pub fn add_rounds(&mut self, rounds: Vec<crate::rounds::Round>) {
        if rounds.is_empty() {
            return;
        }
        let before = Box::new(self.ws.rounds.rounds_only());
        let mut after = self.ws.rounds.rounds_only();
        after.add(rounds);
        self.apply_edit(
            Edit::Rounds {
                before,
                after: Box::new(after),
            },
            None,
        );
    }

    /// Removes the inspection round of `quarter` (one undo step).
    pub fn remove_round(&mut self, quarter: crate::timeline::Quarter) {
        let mut after = self.ws.rounds.rounds_only();
        after.rounds.retain(|r| r.quarter != quarter);
        if after.rounds.len() == self.ws.rounds.rounds.len() {
            return;
        }
        let before = Box::new(self.ws.rounds.rounds_only());
        self.apply_edit(
            Edit::Rounds {
                before,
                after: Box::new(after),
            },
            None,
        );
    }

    /// Replaces the statuses a closure moves through (one undo step);
    /// refused, with why, when the workflow is not usable.
    pub fn set_workflow(&mut self, workflow: crate::execution::Workflow) -> Result<(), String> {
        workflow.check()?;
        if workflow != self.ws.execution.workflow {
            let before = Box::new(self.ws.execution.workflow.clone());
            self.apply_edit(
                Edit::Workflow {
                    before,
                    after: Box::new(workflow),
                },
                None,
            );
        }
        Ok(())
    }

    /// Sets the redirect pattern (`template` false) or the notice
    /// template (one undo step); refused, with why, when it does not read
    /// (an unknown placeholder, an unclosed brace). Empty: the default.
    pub fn set_text(&mut self, template: bool, text: &str) -> Result<(), String> {
        let lang = crate::i18n::Lang::En;
        if !text.trim().is_empty() {
            let checked = if template {
                crate::execution::notices::NoticeTemplate::parse(text, lang).map(|_| ())
            } else {
                crate::execution::redirects::RedirectPattern::parse(text).map(|_| ())
            };
            checked.map_err(|e| e.message(lang))?;
        }
        let ex = &self.ws.execution;
        let before = if template {
            ex.notice_template.clone()
        } else {
            ex.redirect_pattern.clone()
        };
        if before != text {
            self.apply_edit(
                Edit::Text {
                    template,
                    before,
                    after: text.to_string(),
                },
                None,
            );
        }
        Ok(())
    }

    /// Takes an inventory with files added to it (see
    /// [`Workspace::gather_files`]), as one undo step.
    pub fn add_files(&mut self, assembled: crate::inventory::Assembled) {
        use super::undo::InventoryState;
        let before = InventoryState {
            imported: Arc::new(self.ws.own_imported()),
            sources: self.ws.sources.clone(),
        };
        let after = InventoryState {
            imported: Arc::new(assembled.imported),
            sources: assembled.sources,
        };
        self.apply_edit(
            Edit::Inventory {
                before: Box::new(before),
                after: Box::new(after),
            },
            None,
        );
    }

    /// Records status changes (one undo step).
    pub fn add_statuses(&mut self, changes: Vec<crate::execution::StatusChange>) {
        if !changes.is_empty() {
            self.apply_edit(Edit::Statuses(changes), None);
        }
    }
}

impl Editable for Document {
    fn set_manual(&mut self, site: usize, d: Option<Decision>) {
        if let Some(slot) = self.ws.manual.get_mut(site) {
            *slot = d;
        }
    }

    fn set_optimized(&mut self, site: usize, d: Option<Decision>) {
        if let Some(slot) = self.ws.optimized.get_mut(site) {
            *slot = d;
        }
    }

    fn set_note(&mut self, site: usize, note: Option<String>) {
        match note {
            Some(n) => self.ws.notes.insert(site, n),
            None => self.ws.notes.remove(&site),
        };
    }

    fn set_rules(&mut self, rules: RuleSet) {
        self.ws.rules = rules;
    }

    fn set_params(&mut self, params: Params) {
        let threshold = self.ws.params.pass_threshold;
        self.ws.params = params;
        self.params_changed = true;
        // A round giving only a score passes by the threshold.
        if !self.ws.rounds.is_empty() && self.ws.params.pass_threshold != threshold {
            self.ws.apply_rounds();
            self.sites_changed = true;
        }
    }

    fn set_text(&mut self, template: bool, text: &str) {
        let ex = &mut self.ws.execution;
        if template {
            ex.notice_template = text.to_string();
        } else {
            ex.redirect_pattern = text.to_string();
        }
    }

    fn set_workflow(&mut self, workflow: &crate::execution::Workflow) {
        self.ws.execution.workflow = workflow.clone();
    }

    fn set_rounds(&mut self, rounds: &crate::rounds::Rounds) {
        self.ws.set_rounds(rounds.clone());
        self.sites_changed = true;
    }

    fn set_inventory(&mut self, state: &super::undo::InventoryState) {
        self.ws
            .set_inventory(state.imported.clone(), state.sources.clone());
        self.sites_changed = true;
    }

    fn set_scenario(
        &mut self,
        index: usize,
        from: Option<&crate::project::Scenario>,
        to: Option<&crate::project::Scenario>,
    ) {
        let list = &mut self.scenarios;
        match (from, to) {
            (None, Some(s)) => list.insert(index.min(list.len()), s.clone()),
            (Some(_), None) if index < list.len() => {
                list.remove(index);
            }
            (Some(_), Some(s)) if index < list.len() => list[index] = s.clone(),
            _ => {}
        }
        self.scenarios_revision += 1;
    }

    fn set_quarter(&mut self, site: usize, q: Option<crate::timeline::Quarter>) {
        if let Some(slot) = self.ws.schedule.get_mut(site) {
            *slot = q;
        }
    }

    fn set_timeline(&mut self, params: crate::plan::TimelineParams) {
        self.ws.timeline = params;
    }

    fn add_statuses(&mut self, changes: &[crate::execution::StatusChange], forwards: bool) {
        let list = &mut self.ws.execution.statuses;
        if forwards {
            list.extend_from_slice(changes);
        } else if list.ends_with(changes) {
            list.truncate(list.len() - changes.len());
        }
    }

    fn set_sites(&mut self, sites: Vec<(usize, crate::inventory::Site)>) {
        let old = &self.ws.imported;
        let (inventory, _) = old.inventory.with_sites(&sites);
        self.ws.imported = Arc::new(crate::inventory::Imported {
            inventory,
            report: old.report.clone(),
            header: old.header.clone(),
            mapping: old.mapping.clone(),
        });
        self.sites_changed = true;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::Imported;
    use proptest::prelude::*;

    fn document() -> Document {
        let (inventory, _) = Inventory::link(crate::generate::generate(400, 9));
        Document::new(
            Workspace::new(Imported {
                inventory,
                report: Default::default(),
                header: Vec::new(),
                mapping: Vec::new(),
            }),
            None,
        )
    }

    /// A site with a parent (so it may merge).
    fn child(doc: &Document) -> usize {
        (0..doc.inventory().len())
            .find(|&i| doc.inventory().parent(i).is_some())
            .expect("a site with a parent")
    }

    #[test]
    fn every_change_is_audited_and_undo_is_recorded_too() {
        use crate::execution::AuditAction;
        let mut doc = document();
        doc.person = "li.ming".into();
        let s = child(&doc);
        let id = doc.inventory().site(s).id.clone();
        doc.set_note(s, "budget under 20,000");
        doc.decide(&[s], |_| Some(Decision::Merge { target: None }));
        let trail = &doc.ws.execution.audit;
        assert_eq!(trail.len(), 2);
        let e = &trail[1];
        assert_eq!(e.action, AuditAction::Decision);
        assert_eq!(e.site_id, id);
        assert_eq!((e.before.as_str(), e.after.as_str()), ("", "merge"));
        assert_eq!(e.reason, "budget under 20,000");
        assert_eq!(e.person, "li.ming");
        assert!(doc.undo());
        let e = doc.ws.execution.audit.last().expect("an entry").clone();
        assert_eq!(e.action, AuditAction::Undo);
        assert_eq!((e.before.as_str(), e.after.as_str()), ("merge", ""));
        assert_eq!(e.reason, "decision");
        assert!(doc.redo());
        let e = doc.ws.execution.audit.last().expect("an entry");
        assert_eq!(e.action, AuditAction::Redo);
        assert_eq!(e.after, "merge");
        assert_eq!(
            crate::execution::audit::of_site(&doc.ws.execution.audit, &id).len(),
            4
        );
    }

    #[test]
    fn a_drag_is_audited_once_from_start_to_end() {
        use crate::execution::AuditAction;
        let mut doc = document();
        let start = doc.ws.params.pass_threshold;
        for t in [61.0, 63.0, 70.0] {
            let p = Params {
                pass_threshold: t,
                ..doc.ws.params.clone()
            };
            doc.change_params(p, Some("pass_threshold"));
        }
        doc.undo.close_group();
        let trail = &doc.ws.execution.audit;
        assert_eq!(trail.len(), 1, "{trail:?}");
        assert_eq!(trail[0].action, AuditAction::Params);
        assert_eq!(trail[0].before, format!("pass_threshold = {start:?}"));
        assert_eq!(trail[0].after, "pass_threshold = 70.0");
        // A new drag starts new entries.
        let p = Params {
            pass_threshold: 50.0,
            ..doc.ws.params.clone()
        };
        doc.change_params(p, Some("pass_threshold"));
        assert_eq!(doc.ws.execution.audit.len(), 2);
    }

    #[test]
    fn quarters_and_statuses_undo_and_stay_audited() {
        use crate::execution::{AuditAction, Date, StatusChange};
        use crate::timeline::Quarter;
        let mut doc = document();
        let s = child(&doc);
        doc.decide(&[s], |_| Some(Decision::Merge { target: None }));
        doc.mark_saved();
        assert!(!doc.is_dirty());
        let q = Quarter::parse("2027Q2");
        assert_eq!(doc.set_quarters(&[s], q), 1);
        assert_eq!(doc.set_quarters(&[s], q), 0, "no change, no step");
        assert_eq!(doc.ws.schedule[s], q);
        let change = StatusChange {
            site_id: doc.inventory().site(s).id.to_string(),
            status: "approved".into(),
            date: Date::new(2027, 4, 2).expect("a date"),
            person: "wang".into(),
            note: "批复".into(),
        };
        doc.add_statuses(vec![change.clone()]);
        assert_eq!(doc.ws.execution.statuses, vec![change]);
        let e = doc.ws.execution.audit.last().expect("an entry");
        assert_eq!(e.action, AuditAction::Status);
        assert_eq!(e.person, "wang");
        assert_eq!(e.after, "approved 2027-04-02");
        assert!(doc.undo());
        assert!(doc.ws.execution.statuses.is_empty());
        assert!(doc.undo());
        assert_eq!(doc.ws.schedule[s], None);
        // Back where it was saved: saved, the trail keeping what was done
        // and undone for the next save.
        assert!(doc.undo.at_saved());
        assert!(!doc.is_dirty());
        let kinds: Vec<_> = doc.ws.execution.audit.iter().map(|e| e.action).collect();
        assert_eq!(
            kinds,
            [
                AuditAction::Decision,
                AuditAction::Schedule,
                AuditAction::Status,
                AuditAction::Undo,
                AuditAction::Undo
            ]
        );
    }

    #[test]
    fn the_scheduler_fills_within_limits_as_one_step() {
        let mut doc = document();
        let merged: Vec<usize> = (0..doc.inventory().len())
            .filter(|&i| doc.inventory().parent(i).is_some())
            .take(30)
            .collect();
        doc.decide(&merged, |_| Some(Decision::Merge { target: None }));
        let mut t = doc.ws.timeline.clone();
        t.start_quarter = crate::timeline::Quarter::parse("2027Q1");
        t.max_closures_per_quarter = Some(4);
        doc.change_timeline(t, None);
        let placed = doc.fill_schedule();
        assert_eq!(placed, 30);
        let mut per_quarter = std::collections::BTreeMap::new();
        for q in doc.ws.schedule.iter().flatten() {
            *per_quarter.entry(*q).or_insert(0) += 1;
        }
        assert!(per_quarter.values().all(|&n| n <= 4), "{per_quarter:?}");
        assert!(doc.undo());
        assert!(doc.ws.schedule.iter().all(Option::is_none));
        assert!(doc.redo());
        assert_eq!(doc.clear_schedule(), 30);
    }

    #[derive(Clone, Debug)]
    enum Op {
        Decide(Vec<usize>, u8),
        Undo,
        Redo,
        Rules(bool),
        Threshold(f64),
        Share,
        Budget(usize, u32),
        MoveUp(usize),
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            4 => (prop::collection::vec(0usize..400, 1..6), 0u8..4).prop_map(|(s, d)| Op::Decide(s, d)),
            1 => Just(Op::Undo),
            1 => Just(Op::Redo),
            1 => any::<bool>().prop_map(Op::Rules),
            1 => (40.0f64..80.0).prop_map(Op::Threshold),
            1 => Just(Op::Share),
            1 => (0usize..400, 0u32..5_000_000).prop_map(|(s, b)| Op::Budget(s, b)),
            1 => (0usize..400).prop_map(Op::MoveUp),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            cases: 64,
            failure_persistence: None,
            ..ProptestConfig::default()
        })]

        /// However the plan got where it is (edits, undo, redo, rules and
        /// parameter changes, a drawing holding the results), the decisions,
        /// the outcome and the hierarchy's counts are those of working them
        /// out afresh.
        #[test]
        fn partial_resolution_matches_a_fresh_one(ops in prop::collection::vec(op(), 1..25)) {
            let mut doc = document();
            let rules = RuleSet::parse(
                include_str!("../../sample-data/rules-state-council.toml"),
                "rules.toml",
            )
            .0;
            let mut held = Vec::new();
            let mut tree = crate::ui::tree::TreePanel::default();
            tree.refresh(&doc);
            for op in ops {
                match op {
                    Op::Decide(sites, d) => {
                        let inv = doc.inventory();
                        let parents: Vec<Option<usize>> = sites.iter().map(|&s| inv.parent(s)).collect();
                        doc.decide(&sites, |s| match d {
                            0 => Some(Decision::Keep),
                            1 => Some(Decision::Merge { target: None }),
                            2 => sites
                                .iter()
                                .position(|&x| x == s)
                                .and_then(|k| parents[k])
                                .map(|p| Decision::merge_into(Some(p))),
                            _ => None,
                        });
                    }
                    Op::Undo => {
                        doc.undo();
                    }
                    Op::Redo => {
                        doc.redo();
                    }
                    Op::Rules(on) => {
                        let r = if on { rules.clone() } else { RuleSet::default() };
                        doc.change_rules(r, None);
                    }
                    Op::Threshold(t) => {
                        let mut p = doc.ws.params.clone();
                        p.pass_threshold = t;
                        doc.change_params(p, None);
                    }
                    // As a chart drawing on another thread would.
                    Op::Share => held.push((doc.resolved.clone(), doc.ws.resolve())),
                    Op::Budget(s, b) => {
                        let cells = vec![(s, crate::inventory::Column::AnnualBudget, b.to_string())];
                        prop_assert!(doc.edit_cells(&cells).is_ok());
                        prop_assert_eq!(
                            doc.inventory().site(s).budget.decimal(),
                            rust_decimal::Decimal::from(b)
                        );
                    }
                    // The site moves under its grandparent (when it has one).
                    Op::MoveUp(s) => {
                        let inv = doc.inventory();
                        if let Some(g) = inv.parent(s).and_then(|p| inv.parent(p)) {
                            let cells = vec![(
                                s,
                                crate::inventory::Column::ParentId,
                                inv.site(g).id.to_string(),
                            )];
                            prop_assert!(doc.edit_cells(&cells).is_ok());
                            prop_assert_eq!(doc.inventory().parent(s), Some(g));
                        }
                    }
                }
                // Every decision fits the hierarchy as it is now.
                for (i, d) in doc.ws.manual.iter().enumerate() {
                    if let Some(d) = d {
                        prop_assert!(check_decision(doc.inventory(), i, *d).is_ok());
                    }
                }
                let fresh = doc.ws.resolve();
                prop_assert_eq!(&doc.resolved.decisions, &fresh.decisions);
                prop_assert_eq!(&doc.resolved.sources, &fresh.sources);
                let (_, outcome) = doc.ws.evaluate();
                prop_assert_eq!(&*doc.outcome, &outcome);
                // The hierarchy's counts, adjusted or recounted, are exact.
                tree.refresh(&doc);
                prop_assert_eq!(tree.counts(), &crate::ui::tree::subtree_counts(&doc));
            }
            // What was handed out earlier did not change under its holder.
            for (h, then) in &held {
                prop_assert_eq!(&h.decisions, &then.decisions);
                prop_assert_eq!(&h.sources, &then.sources);
            }
        }
    }
}
