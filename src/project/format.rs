//! Version 1 both ways: a project written as one compact JSON object, and
//! such an object read back into a project. Projects are saved as SQLite
//! files now (version 2, [`super::store`]); this reads the projects saved
//! before, and [`to_bytes`] still gives a project as JSON text.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize};

use crate::diag::FileIssue;
use crate::i18n::Lang;
use crate::inventory::{ColumnMapping, ImportReport, detect_columns};
use crate::plan::{Params, RuleSet, TimelineParams};

use super::model::saved_by;
use super::recheck::{fresh_report, recheck_sites};
use super::site_columns::{SitesIn, SitesOut};
use super::{
    FORMAT, MAX_SCENARIOS, ManualDecision, Project, ProjectError, Scenario, ScheduledSite,
    SiteNote, Snapshot,
};

/// The version of the JSON form.
pub const JSON_VERSION: u32 = 1;
use crate::time::now_rfc3339;

/// A project as a version 1 (JSON) file, stamped now: what Sitefold
/// saved before version 2, which [`super::open_project`] still opens.
pub fn to_bytes(project: &Project) -> Vec<u8> {
    let mut out = Vec::with_capacity(256 + project.inventory.sites.len() * 200);
    match write_project(project, &mut out) {
        Ok(()) => out,
        // Writing to memory fails only for maps with non-string keys, which
        // the project has none of.
        Err(e) => unreachable!("a project serialises: {e}"),
    }
}

/// Writes a project file, stamped now, to `out`.
pub(super) fn write_project(
    project: &Project,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let now = now_rfc3339();
    let created = if project.created.is_empty() {
        now.as_str()
    } else {
        project.created.as_str()
    };
    let file = FileOut {
        format: FORMAT,
        version: JSON_VERSION,
        saved_by: saved_by(),
        created,
        saved: &now,
        lang: project.lang.code(),
        inventory: InventoryOut {
            header: &project.inventory.header,
            mapping: &project.inventory.mapping,
            report: &project.inventory.report,
            sites: SitesOut(&project.inventory.sites),
        },
        manual: &project.manual,
        optimized: &project.optimized,
        notes: &project.notes,
        rules: &project.rules,
        params: &project.params,
        plan_errors: project.plan_errors,
        file_issues: project.file_issues.iter().map(IssueRec::from).collect(),
        scenarios: &project.scenarios,
        schedule: &project.schedule,
        timeline: &project.timeline,
        execution: &project.execution,
        rounds: &project.rounds.rounds,
        sources: &project.sources,
    };
    serde_json::to_writer(out, &file).map_err(std::io::Error::from)
}

#[derive(Serialize)]
struct FileOut<'a> {
    format: &'static str,
    version: u32,
    saved_by: String,
    created: &'a str,
    saved: &'a str,
    lang: &'static str,
    inventory: InventoryOut<'a>,
    manual: &'a [ManualDecision],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    optimized: &'a [ManualDecision],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    notes: &'a [SiteNote],
    rules: &'a RuleSet,
    params: &'a Params,
    plan_errors: usize,
    file_issues: Vec<IssueRec>,
    scenarios: &'a [Scenario],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    schedule: &'a [ScheduledSite],
    #[serde(skip_serializing_if = "TimelineParams::is_default")]
    timeline: &'a TimelineParams,
    #[serde(skip_serializing_if = "is_default_execution")]
    execution: &'a crate::execution::Execution,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    rounds: &'a [crate::rounds::Round],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    sources: &'a [crate::inventory::SourceFile],
}

fn is_default_execution(e: &&crate::execution::Execution) -> bool {
    **e == crate::execution::Execution::default()
}

#[derive(Serialize)]
struct InventoryOut<'a> {
    header: &'a [String],
    mapping: &'a ColumnMapping,
    report: &'a ImportReport,
    sites: SitesOut<'a>,
}

/// A plan, rules or parameters file problem, as stored.
#[derive(Serialize, Deserialize)]
pub(super) struct IssueRec {
    source: String,
    line: u64,
    #[serde(default)]
    column: Option<usize>,
    zh: String,
    en: String,
    is_error: bool,
}

impl From<&FileIssue> for IssueRec {
    fn from(f: &FileIssue) -> Self {
        IssueRec {
            source: f.source.clone(),
            line: f.line,
            column: f.column,
            zh: f.zh.clone(),
            en: f.en.clone(),
            is_error: f.is_error,
        }
    }
}

impl From<IssueRec> for FileIssue {
    fn from(r: IssueRec) -> Self {
        FileIssue {
            source: r.source,
            line: r.line,
            column: r.column,
            zh: r.zh,
            en: r.en,
            is_error: r.is_error,
        }
    }
}

/// Version 1, as read.
#[derive(Deserialize)]
pub(super) struct FileV1 {
    #[serde(default)]
    saved_by: String,
    #[serde(default)]
    created: String,
    #[serde(default)]
    saved: String,
    #[serde(default)]
    lang: String,
    inventory: InventoryIn,
    #[serde(default)]
    manual: Vec<ManualDecision>,
    #[serde(default)]
    optimized: Vec<ManualDecision>,
    #[serde(default)]
    notes: Vec<SiteNote>,
    #[serde(default)]
    rules: RuleSet,
    #[serde(default)]
    params: Params,
    #[serde(default)]
    plan_errors: usize,
    #[serde(default)]
    file_issues: Vec<IssueRec>,
    #[serde(default)]
    scenarios: ScenariosIn,
    #[serde(default)]
    schedule: Vec<ScheduledIn>,
    #[serde(default)]
    timeline: TimelineParams,
    #[serde(default)]
    execution: crate::execution::Execution,
    #[serde(default)]
    rounds: Vec<crate::rounds::Round>,
    #[serde(default)]
    sources: Vec<crate::inventory::SourceFile>,
}

/// A closure quarter as read: a quarter that does not read (a file edited
/// by hand) is reported, not a reason to refuse the project.
#[derive(Deserialize)]
pub(super) struct ScheduledIn {
    pub(super) site_id: String,
    pub(super) quarter: String,
}

impl ScheduledIn {
    pub(super) fn read(self, name: &str) -> Result<ScheduledSite, FileIssue> {
        match crate::timeline::Quarter::parse(&self.quarter) {
            Some(quarter) => Ok(ScheduledSite {
                site_id: self.site_id,
                quarter,
            }),
            None => {
                let (id, q) = (
                    crate::inventory::excerpt(&self.site_id),
                    crate::inventory::excerpt(&self.quarter),
                );
                Err(FileIssue::error(
                    name,
                    0,
                    crate::i18n::Text::new(
                        format!("时间表中网站“{id}”的关停季度“{q}”无法识别，已忽略"),
                        format!(
                            "the schedule's quarter \"{q}\" for site \"{id}\" is not a quarter; ignored"
                        ),
                    ),
                ))
            }
        }
    }
}

#[derive(Deserialize)]
struct InventoryIn {
    #[serde(default)]
    header: Vec<String>,
    #[serde(default)]
    mapping: Option<ColumnMapping>,
    #[serde(default)]
    report: Option<ImportReport>,
    sites: SitesIn,
}

impl FileV1 {
    pub(super) fn into_project(self, name: &str) -> Result<Project, ProjectError> {
        if self.scenarios.too_many {
            return Err(ProjectError::TooManyScenarios {
                path: name.to_string(),
            });
        }
        let rows = self.inventory.sites.into_rows(name)?;
        let header = self.inventory.header;
        let mapping = self
            .inventory
            .mapping
            .unwrap_or_else(|| detect_columns(&header));
        let mut report = self
            .inventory
            .report
            .unwrap_or_else(|| fresh_report(name, rows.len()));
        let (sites, mut found) = recheck_sites(rows, &mut report, name)?;
        let (params, params_issues) = self.params.checked(name);
        found.extend(params_issues);
        let (timeline, timeline_issues) = self.timeline.checked(name);
        found.extend(timeline_issues);
        let mut schedule = Vec::with_capacity(self.schedule.len());
        for s in self.schedule {
            match s.read(name) {
                Ok(s) => schedule.push(s),
                Err(issue) => found.push(issue),
            }
        }
        Ok(Project {
            created: self.created,
            saved: self.saved,
            saved_by: self.saved_by,
            path: None,
            lang: Lang::parse(&self.lang).unwrap_or_default(),
            inventory: Snapshot {
                sites,
                header,
                mapping,
                report,
            },
            manual: self.manual,
            optimized: self.optimized,
            notes: self.notes,
            rules: self.rules,
            params,
            plan_errors: self.plan_errors,
            file_issues: self
                .file_issues
                .into_iter()
                .map(FileIssue::from)
                .chain(found)
                .collect(),
            scenarios: self.scenarios.list,
            schedule,
            timeline,
            execution: self.execution,
            rounds: crate::rounds::Rounds {
                rounds: self.rounds,
                base: Default::default(),
            },
            sources: self.sources,
        })
    }
}

/// Reads the JSON of a project file, its errors said as a project's.
pub(super) fn parse_json<'a, T: Deserialize<'a>>(
    body: &'a [u8],
    name: &str,
) -> Result<T, ProjectError> {
    serde_json::from_slice(body).map_err(|e| {
        if e.is_eof() {
            ProjectError::Truncated {
                path: name.to_string(),
            }
        } else {
            // The reader quotes values it did not expect: a short excerpt.
            ProjectError::Damaged {
                path: name.to_string(),
                detail: crate::inventory::excerpt_quoted(&e.to_string(), 300),
            }
        }
    })
}

/// The scenarios as read: at most [`MAX_SCENARIOS`], and whether the file
/// holds more. Those past the limit are skipped unread, so a file that
/// claims millions is refused in bounded memory.
#[derive(Default)]
pub(super) struct ScenariosIn {
    list: Vec<Scenario>,
    too_many: bool,
}

impl<'de> Deserialize<'de> for ScenariosIn {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Bounded;
        impl<'de> Visitor<'de> for Bounded {
            type Value = ScenariosIn;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a list of scenarios")
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<ScenariosIn, A::Error> {
                let mut list = Vec::new();
                while list.len() < MAX_SCENARIOS {
                    match seq.next_element::<Scenario>()? {
                        Some(scenario) => list.push(scenario),
                        None => {
                            return Ok(ScenariosIn {
                                list,
                                too_many: false,
                            });
                        }
                    }
                }
                let mut too_many = false;
                while seq.next_element::<de::IgnoredAny>()?.is_some() {
                    too_many = true;
                }
                Ok(ScenariosIn { list, too_many })
            }
        }
        d.deserialize_seq(Bounded)
    }
}
