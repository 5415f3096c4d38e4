//! What a project is: the inventory snapshot, the decisions by site id,
//! notes, rules, parameters and named scenarios, and how a project is
//! made from a workspace and turned back into one.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::diag::FileIssue;
use crate::i18n::{Lang, Text};
use crate::inventory::{ColumnMapping, ImportReport, Imported, Inventory, Site};
use crate::plan::{Action, Decision, Params, RuleSet, check_decision};
use crate::workspace::Workspace;

/// One manual decision, keyed by site id.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ManualDecision {
    /// The site decided.
    pub site_id: String,
    /// Keep or merge.
    pub decision: Action,
    /// For a merge: the receiving site, when chosen (a strict ancestor).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_id: Option<String>,
}

/// The planner's note on one site's decision, keyed by site id.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SiteNote {
    /// The site.
    pub site_id: String,
    /// The note.
    pub note: String,
}

/// The closure quarter of one site, keyed by site id (MODEL.md §8).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScheduledSite {
    /// The site.
    pub site_id: String,
    /// When it closes.
    pub quarter: crate::timeline::Quarter,
}

/// A named alternative plan over the same inventory.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Scenario {
    /// The name a planner gave it.
    pub name: String,
    /// Its manual decisions.
    #[serde(default)]
    pub manual: Vec<ManualDecision>,
    /// The decisions of an optimizer plan it holds (not manual ones).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub optimized: Vec<ManualDecision>,
    /// Its rules.
    #[serde(default)]
    pub rules: RuleSet,
    /// Its parameters.
    #[serde(default)]
    pub params: Params,
}

impl Scenario {
    /// The current plan of a workspace, under a name.
    pub fn from_workspace(name: impl Into<String>, ws: &Workspace) -> Scenario {
        Scenario {
            name: name.into(),
            manual: manual_by_id(&ws.imported.inventory, &ws.manual),
            optimized: manual_by_id(&ws.imported.inventory, &ws.optimized),
            rules: ws.rules.clone(),
            params: ws.params.clone(),
        }
    }

    /// Every site's decision under this scenario and the outcome, for an
    /// inventory (the scenario's decisions that no longer fit it are left
    /// out, as loading it would): its manual decisions, its optimizer
    /// plan, its rules and its parameters, as the plan it holds.
    pub fn evaluate(
        &self,
        inv: &Inventory,
        evaluator: &mut crate::outcome::Evaluator,
    ) -> (crate::plan::Resolved, crate::outcome::Outcome) {
        let (manual, _) = manual_by_index(inv, &self.manual, &self.name);
        let (optimized, _) = manual_by_index(inv, &self.optimized, &self.name);
        let resolved =
            crate::plan::resolve_layers(inv, &manual, &optimized, &self.rules, &self.params);
        let model = crate::outcome::Model::new(inv, &self.params);
        let outcome = evaluator.evaluate(inv, &model, &resolved.decisions);
        (resolved, outcome)
    }

    /// Makes this scenario the workspace's plan; returns the decisions that
    /// no longer fit the inventory (dropped).
    pub fn apply_to(&self, ws: &mut Workspace) -> Vec<FileIssue> {
        let (manual, mut issues) =
            manual_by_index(&ws.imported.inventory, &self.manual, &self.name);
        let (optimized, more) =
            manual_by_index(&ws.imported.inventory, &self.optimized, &self.name);
        issues.extend(more);
        ws.manual = manual;
        ws.optimized = optimized;
        ws.rules = self.rules.clone();
        ws.params = self.params.clone();
        issues
    }
}

/// The inventory as imported.
#[derive(Clone, Debug)]
pub struct Snapshot {
    /// The sites, in file order.
    pub sites: Vec<Site>,
    /// The header as found in the original file.
    pub header: Vec<String>,
    /// The column mapping used.
    pub mapping: ColumnMapping,
    /// The import report (its `source` names the original file).
    pub report: ImportReport,
}

/// A saved piece of work. Build one with [`Project::from_workspace`], save
/// it with [`save_project`](super::save_project), open it with
/// [`open_project`](super::open_project) and work on it with
/// [`Project::into_workspace`].
#[derive(Clone, Debug)]
pub struct Project {
    /// When the project was first saved (RFC 3339, UTC); empty for a new one.
    pub created: String,
    /// When it was last saved (RFC 3339, UTC), as read;
    /// [`save_project`](super::save_project) writes the time of the save.
    pub saved: String,
    /// The program that saved it (`sitefold 0.1.0`).
    pub saved_by: String,
    /// The file it was opened from; `None` for a new project.
    pub path: Option<PathBuf>,
    /// The UI language.
    pub lang: Lang,
    /// The inventory.
    pub inventory: Snapshot,
    /// Manual decisions.
    pub manual: Vec<ManualDecision>,
    /// Decisions of an applied optimizer plan.
    pub optimized: Vec<ManualDecision>,
    /// Notes on decisions.
    pub notes: Vec<SiteNote>,
    /// Rules.
    pub rules: RuleSet,
    /// Parameters.
    pub params: Params,
    /// Plan-file lines that were ignored when the decisions were loaded.
    pub plan_errors: usize,
    /// Problems found in the plan, rules and parameters files.
    pub file_issues: Vec<FileIssue>,
    /// Named scenarios.
    pub scenarios: Vec<Scenario>,
    /// Closure quarters, by site id.
    pub schedule: Vec<ScheduledSite>,
    /// The timeline's start, horizon and limits.
    pub timeline: crate::plan::TimelineParams,
    /// Closure statuses, the audit trail, and the redirect and notice
    /// settings.
    pub execution: crate::execution::Execution,
    /// Inspection rounds (the sites above keep their own inspection
    /// fields).
    pub rounds: crate::rounds::Rounds,
    /// The files an assembled inventory was read from, each with its own
    /// import report (empty: one file, the inventory's report).
    pub sources: Vec<crate::inventory::SourceFile>,
}

impl Project {
    /// A project of a workspace's current state.
    pub fn from_workspace(ws: &Workspace, lang: Lang) -> Project {
        let imported = &ws.imported;
        Project {
            created: String::new(),
            saved: String::new(),
            saved_by: saved_by(),
            path: None,
            lang,
            inventory: Snapshot {
                // The inventory's own inspection fields, not the rounds'.
                sites: if ws.rounds.is_empty() {
                    imported.inventory.sites().to_vec()
                } else {
                    ws.rounds.own_sites(imported.inventory.sites())
                },
                header: imported.header.clone(),
                mapping: imported.mapping.clone(),
                report: imported.report.clone(),
            },
            manual: manual_by_id(&imported.inventory, &ws.manual),
            optimized: manual_by_id(&imported.inventory, &ws.optimized),
            notes: super::view::notes_by_id(ws),
            rules: ws.rules.clone(),
            params: ws.params.clone(),
            plan_errors: ws.plan_errors,
            file_issues: ws.file_issues.clone(),
            scenarios: Vec::new(),
            schedule: schedule_by_id(&imported.inventory, &ws.schedule),
            timeline: ws.timeline.clone(),
            execution: ws.execution.clone(),
            rounds: crate::rounds::Rounds {
                rounds: ws.rounds.rounds.clone(),
                base: Default::default(),
            },
            sources: ws.sources.clone(),
        }
    }

    /// The workspace to work on: the inventory linked again (the same
    /// fixes as at import), the report as it was, and the decisions mapped
    /// back to sites. A decision that no longer fits (an unknown site, a
    /// merge of a top site, a target that is not an ancestor) is dropped
    /// and reported as a plan error.
    pub fn into_workspace(self) -> Workspace {
        let (inventory, _) = Inventory::link(self.inventory.sites);
        let imported = Imported {
            inventory,
            report: self.inventory.report,
            header: self.inventory.header,
            mapping: self.inventory.mapping,
        };
        let mut ws = Workspace::new(imported);
        let source = self
            .path
            .as_ref()
            .map_or_else(|| "project".to_string(), |p| p.display().to_string());
        let (manual, mut issues) = manual_by_index(&ws.imported.inventory, &self.manual, &source);
        let (optimized, more) = manual_by_index(&ws.imported.inventory, &self.optimized, &source);
        issues.extend(more);
        ws.manual = manual;
        ws.optimized = optimized;
        ws.notes = self
            .notes
            .into_iter()
            .filter_map(|n| Some((ws.imported.inventory.find(&n.site_id)?, n.note)))
            .collect();
        ws.rules = self.rules;
        ws.params = self.params;
        let (schedule, more) = schedule_by_index(&ws.imported.inventory, &self.schedule, &source);
        ws.schedule = schedule;
        ws.timeline = self.timeline;
        ws.execution = self.execution;
        ws.sources = self.sources;
        if !self.rounds.is_empty() {
            ws.set_rounds(self.rounds);
        }
        issues.extend(more);
        ws.plan_errors = self.plan_errors + issues.len();
        ws.file_issues = self.file_issues;
        ws.file_issues.extend(issues);
        ws
    }
}

pub(super) fn saved_by() -> String {
    format!("sitefold {}", env!("CARGO_PKG_VERSION"))
}

/// Closure quarters by site id, in site order.
pub fn schedule_by_id(
    inv: &Inventory,
    schedule: &[Option<crate::timeline::Quarter>],
) -> Vec<ScheduledSite> {
    schedule
        .iter()
        .enumerate()
        .filter_map(|(i, q)| {
            Some(ScheduledSite {
                site_id: inv.sites().get(i)?.id.to_string(),
                quarter: (*q)?,
            })
        })
        .collect()
}

/// Closure quarters by site index; a quarter for a site the inventory
/// does not have is left out and returned as an error located in `source`.
pub fn schedule_by_index(
    inv: &Inventory,
    schedule: &[ScheduledSite],
    source: &str,
) -> (Vec<Option<crate::timeline::Quarter>>, Vec<FileIssue>) {
    let mut out = vec![None; inv.len()];
    let mut issues = Vec::new();
    for s in schedule {
        match inv.find(&s.site_id) {
            Some(i) => out[i] = Some(s.quarter),
            None => {
                let id = crate::inventory::excerpt(&s.site_id);
                issues.push(FileIssue::error(
                    source,
                    0,
                    Text::new(
                        format!("时间表中的网站“{id}”不在清单中，已忽略"),
                        format!("the schedule names site \"{id}\", which is not in the inventory; ignored"),
                    ),
                ));
            }
        }
    }
    (out, issues)
}

/// Manual decisions by site id, in site order.
pub fn manual_by_id(inv: &Inventory, manual: &[Option<Decision>]) -> Vec<ManualDecision> {
    manual
        .iter()
        .enumerate()
        .filter_map(|(i, d)| {
            let d = (*d)?;
            let site = inv.sites().get(i)?;
            Some(match d {
                Decision::Keep => ManualDecision {
                    site_id: site.id.to_string(),
                    decision: Action::Keep,
                    target_id: None,
                },
                Decision::Merge { target } => ManualDecision {
                    site_id: site.id.to_string(),
                    decision: Action::Merge,
                    target_id: target
                        .and_then(|t| inv.sites().get(t as usize))
                        .map(|t| t.id.to_string()),
                },
            })
        })
        .collect()
}

/// Manual decisions by site index; decisions that do not fit the
/// inventory are left out and returned as errors located in `source`.
/// When two decisions name the same site, the later one stands.
pub fn manual_by_index(
    inv: &Inventory,
    manual: &[ManualDecision],
    source: &str,
) -> (Vec<Option<Decision>>, Vec<FileIssue>) {
    let mut out = vec![None; inv.len()];
    let mut issues = Vec::new();
    let q = crate::inventory::excerpt;
    for m in manual {
        let Some(i) = inv.find(&m.site_id) else {
            issues.push(FileIssue::error(
                source,
                0,
                Text::new(
                    format!("人工决定中的网站“{}”不在清单中，已忽略", q(&m.site_id)),
                    format!(
                        "the manual decision for site \"{}\" names no site of the inventory; ignored",
                        q(&m.site_id)
                    ),
                ),
            ));
            continue;
        };
        let decision = match m.decision {
            Action::Keep => Decision::Keep,
            Action::Merge => {
                let target = match &m.target_id {
                    None => None,
                    Some(t) => match inv.find(t) {
                        Some(t) => Some(t),
                        None => {
                            issues.push(FileIssue::error(
                                source,
                                0,
                                Text::new(
                                    format!(
                                        "网站“{}”的并入目标“{}”不在清单中，该决定已忽略",
                                        q(&m.site_id),
                                        q(t)
                                    ),
                                    format!(
                                        "the target \"{}\" of site \"{}\" names no site of the inventory; decision ignored",
                                        q(t),
                                        q(&m.site_id)
                                    ),
                                ),
                            ));
                            continue;
                        }
                    },
                };
                Decision::merge_into(target)
            }
        };
        if let Err(why) = check_decision(inv, i, decision) {
            issues.push(FileIssue::error(
                source,
                0,
                Text::new(
                    format!("网站“{}”的人工决定已忽略：{}", q(&m.site_id), why.zh),
                    format!(
                        "the manual decision for site \"{}\" is ignored: {}",
                        q(&m.site_id),
                        why.en
                    ),
                ),
            ));
            continue;
        }
        out[i] = Some(decision);
    }
    (out, issues)
}
