//! A project's parts, borrowed: what a save writes, made from a
//! [`Project`] or straight from a workspace, so that saving the work of a
//! window copies neither its sites nor its audit trail.

use std::borrow::Cow;

use crate::diag::FileIssue;
use crate::execution::Execution;
use crate::i18n::Lang;
use crate::inventory::{ColumnMapping, ImportReport, Site};
use crate::plan::{Params, RuleSet, TimelineParams};
use crate::workspace::Workspace;

use super::{ManualDecision, Project, Scenario, ScheduledSite, SiteNote};
use super::{manual_by_id, schedule_by_id};

/// What a save writes, borrowed from a [`Project`]
/// (`ProjectView::from(&project)`) or from a workspace
/// ([`ProjectView::of_workspace`]).
#[derive(Clone, Debug)]
pub struct ProjectView<'a> {
    /// When the project was first saved (empty for a new one).
    pub created: &'a str,
    /// The UI language.
    pub lang: Lang,
    /// The sites, in file order, with their own inspection fields (not
    /// the inspection rounds').
    pub sites: Cow<'a, [Site]>,
    /// Names the state of the sites, when the caller knows it (the app's
    /// document changes it whenever a cell changes): a save whose version
    /// is the one last saved does not compare the sites at all. `None`:
    /// every site is compared.
    pub sites_version: Option<u64>,
    /// The original file's header.
    pub header: &'a [String],
    /// The column mapping used.
    pub mapping: &'a ColumnMapping,
    /// The import report.
    pub report: &'a ImportReport,
    /// Manual decisions.
    pub manual: Cow<'a, [ManualDecision]>,
    /// Decisions of an applied optimizer plan.
    pub optimized: Cow<'a, [ManualDecision]>,
    /// Notes on decisions.
    pub notes: Cow<'a, [SiteNote]>,
    /// Rules.
    pub rules: &'a RuleSet,
    /// Parameters.
    pub params: &'a Params,
    /// Plan-file lines ignored.
    pub plan_errors: usize,
    /// Problems in the plan, rules and parameters files.
    pub file_issues: &'a [FileIssue],
    /// Named scenarios.
    pub scenarios: &'a [Scenario],
    /// Closure quarters.
    pub schedule: Cow<'a, [ScheduledSite]>,
    /// The timeline's start, horizon and limits.
    pub timeline: &'a TimelineParams,
    /// Statuses, the audit trail, redirect and notice settings.
    pub execution: &'a Execution,
    /// The inspection rounds.
    pub rounds: &'a [crate::rounds::Round],
    /// The files of an assembled inventory (empty: one file).
    pub sources: &'a [crate::inventory::SourceFile],
}

impl<'a> From<&'a Project> for ProjectView<'a> {
    fn from(p: &'a Project) -> ProjectView<'a> {
        ProjectView {
            created: &p.created,
            lang: p.lang,
            sites: Cow::Borrowed(&p.inventory.sites),
            sites_version: None,
            header: &p.inventory.header,
            mapping: &p.inventory.mapping,
            report: &p.inventory.report,
            manual: Cow::Borrowed(&p.manual),
            optimized: Cow::Borrowed(&p.optimized),
            notes: Cow::Borrowed(&p.notes),
            rules: &p.rules,
            params: &p.params,
            plan_errors: p.plan_errors,
            file_issues: &p.file_issues,
            scenarios: &p.scenarios,
            schedule: Cow::Borrowed(&p.schedule),
            timeline: &p.timeline,
            execution: &p.execution,
            rounds: &p.rounds.rounds,
            sources: &p.sources,
        }
    }
}

impl<'a> ProjectView<'a> {
    /// The project of a workspace's current state, with its scenarios and
    /// creation time: what [`Project::from_workspace`] holds, borrowed
    /// (only the decisions, notes and quarters are made, by site id).
    pub fn of_workspace(
        ws: &'a Workspace,
        lang: Lang,
        scenarios: &'a [Scenario],
        created: &'a str,
    ) -> ProjectView<'a> {
        let imported = &ws.imported;
        let inv = &imported.inventory;
        ProjectView {
            created,
            lang,
            // The inventory's own inspection fields, not the rounds'.
            sites: if ws.rounds.is_empty() {
                Cow::Borrowed(inv.sites())
            } else {
                Cow::Owned(ws.rounds.own_sites(inv.sites()))
            },
            sites_version: None,
            header: &imported.header,
            mapping: &imported.mapping,
            report: &imported.report,
            manual: Cow::Owned(manual_by_id(inv, &ws.manual)),
            optimized: Cow::Owned(manual_by_id(inv, &ws.optimized)),
            notes: Cow::Owned(notes_by_id(ws)),
            rules: &ws.rules,
            params: &ws.params,
            plan_errors: ws.plan_errors,
            file_issues: &ws.file_issues,
            scenarios,
            schedule: Cow::Owned(schedule_by_id(inv, &ws.schedule)),
            timeline: &ws.timeline,
            execution: &ws.execution,
            rounds: &ws.rounds.rounds,
            sources: &ws.sources,
        }
    }
}

/// A workspace's notes by site id, in site order.
pub(super) fn notes_by_id(ws: &Workspace) -> Vec<SiteNote> {
    let sites = ws.imported.inventory.sites();
    ws.notes
        .iter()
        .filter_map(|(&i, n)| {
            Some(SiteNote {
                site_id: sites.get(i)?.id.to_string(),
                note: n.clone(),
            })
        })
        .collect()
}
