//! Project files (`.sitefold`): a planner's whole work in one
//! self-contained file, to come back to tomorrow or hand to a colleague.
//!
//! A project holds the inventory snapshot (the sites as imported, the
//! original header and column mapping, and the import report, so the
//! report survives without the original file), the manual decisions (by
//! site id, not position), the rules, the parameters, the plan-file
//! problems, the UI language, named scenarios, and when it was created and
//! last saved.
//!
//! # Format (version 1)
//!
//! One compact UTF-8 JSON object whose first two keys are always
//! `"format": "sitefold-project"` and `"version": 1`, so that any file can
//! be recognised (or refused) from its first bytes:
//!
//! ```text
//! {"format":"sitefold-project","version":1,"saved_by":"sitefold 0.1.0",
//!  "created":"2026-01-05T08:00:00Z","saved":"2026-01-06T17:30:12Z","lang":"zh",
//!  "inventory":{"header":[…],"mapping":["site_id",null,…],"report":{…},
//!               "sites":{"count":N,"id":[…],"name":[…],"level":["province",…],…}},
//!  "manual":[{"site_id":"T1","decision":"merge","target_id":"C1"},…],
//!  "rules":{"rules":[…]},"params":{…},"plan_errors":0,"file_issues":[…],
//!  "scenarios":[{"name":"…","manual":[…],"rules":{…},"params":{…}}]}
//! ```
//!
//! Sites are stored column by column (one array per field, all `count`
//! long), which keeps 100,000 sites to about 20 MB and makes a missing
//! column (from an older or newer writer) default cleanly. Fractional
//! numbers that JSON readers might not read back to the same bits (more
//! than 15 significant digits) are written as strings, so a round trip is
//! exact. Unknown keys are ignored, so a later version 1 writer can add
//! fields that this reader skips.
//!
//! # Versions
//!
//! [`VERSION`] is the version written. [`open_project`] reads every
//! version up to it and takes older ones forward ([`migrate`]); a newer
//! one is refused with a message asking for a newer Sitefold. Version 0
//! (early builds) stored sites as objects, manual decisions by position,
//! and no report, mapping, scenarios, language or timestamps.
//!
//! Saves are atomic ([`crate::atomic`]: a temporary file beside the target, then a rename):
//! a failed save leaves the previous file as it was.

use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::de::{self, Deserializer, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};

use crate::diag::FileIssue;
use crate::i18n::{Lang, Text};
use crate::inventory::{
    Column, ColumnMapping, Finding, ImportOptions, ImportReport, Imported, Inventory, Kind, Level,
    Severity, Site, detect_columns, import_table,
};
use crate::plan::{Action, Decision, Params, RuleSet, check_decision};
use crate::workspace::Workspace;

/// The value of the `format` key.
pub const FORMAT: &str = "sitefold-project";
/// The version this build writes, and the newest it reads.
pub const VERSION: u32 = 1;
/// The file extension, without the dot.
pub const EXTENSION: &str = "sitefold";
/// Largest project file opened (2 GiB).
pub const MAX_PROJECT_BYTES: u64 = 2 << 30;
/// How much of a file is read to recognise it.
const PREFIX_BYTES: usize = 4096;
/// Most named scenarios a project holds (each is a whole plan; a planner
/// compares a handful): a file that claims more is refused as it is read.
pub const MAX_SCENARIOS: usize = 10_000;
/// How the reader of the scenarios says there were too many (recognised
/// in the JSON reader's error).
const TOO_MANY_SCENARIOS: &str = "more scenarios than a project may hold";

// ---------------------------------------------------------------------
// The project

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
/// it with [`save_project`], open it with [`open_project`] and work on it
/// with [`Project::into_workspace`].
#[derive(Clone, Debug)]
pub struct Project {
    /// When the project was first saved (RFC 3339, UTC); empty for a new one.
    pub created: String,
    /// When it was last saved (RFC 3339, UTC), as read; [`save_project`]
    /// writes the time of the save.
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
                sites: imported.inventory.sites().to_vec(),
                header: imported.header.clone(),
                mapping: imported.mapping.clone(),
                report: imported.report.clone(),
            },
            manual: manual_by_id(&imported.inventory, &ws.manual),
            optimized: manual_by_id(&imported.inventory, &ws.optimized),
            notes: ws
                .notes
                .iter()
                .filter_map(|(&i, n)| {
                    Some(SiteNote {
                        site_id: imported.inventory.sites().get(i)?.id.clone(),
                        note: n.clone(),
                    })
                })
                .collect(),
            rules: ws.rules.clone(),
            params: ws.params.clone(),
            plan_errors: ws.plan_errors,
            file_issues: ws.file_issues.clone(),
            scenarios: Vec::new(),
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
        ws.plan_errors = self.plan_errors + issues.len();
        ws.file_issues = self.file_issues;
        ws.file_issues.extend(issues);
        ws
    }
}

/// What a file looked like when it was opened or saved: its size and the
/// time it was last written. A different stamp at the next save means
/// someone else (another window, another program) wrote it meanwhile.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FileStamp {
    len: u64,
    modified: Option<std::time::SystemTime>,
}

impl FileStamp {
    /// The stamp of the file at `path` now; `None` when it is not there.
    pub fn of(path: &Path) -> Option<FileStamp> {
        let m = std::fs::metadata(path).ok()?;
        Some(FileStamp {
            len: m.len(),
            modified: m.modified().ok(),
        })
    }
}

fn saved_by() -> String {
    format!("sitefold {}", env!("CARGO_PKG_VERSION"))
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
                    site_id: site.id.clone(),
                    decision: Action::Keep,
                    target_id: None,
                },
                Decision::Merge { target } => ManualDecision {
                    site_id: site.id.clone(),
                    decision: Action::Merge,
                    target_id: target
                        .and_then(|t| inv.sites().get(t))
                        .map(|t| t.id.clone()),
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
                Decision::Merge { target }
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

// ---------------------------------------------------------------------
// Errors

/// Why a project could not be opened or saved.
#[derive(Debug)]
pub enum ProjectError {
    /// The file could not be read.
    Io {
        /// The file.
        path: String,
        /// What the system said.
        source: std::io::Error,
    },
    /// The file could not be written.
    Write {
        /// The file.
        path: String,
        /// What the system said.
        source: std::io::Error,
    },
    /// The file is larger than any project.
    TooLarge {
        /// The file.
        path: String,
        /// Its size.
        bytes: u64,
    },
    /// The file is not a Sitefold project.
    NotAProject {
        /// The file.
        path: String,
    },
    /// The file was written by a newer Sitefold.
    TooNew {
        /// The file.
        path: String,
        /// Its format version.
        version: u64,
    },
    /// The file ends early (an interrupted copy or download).
    Truncated {
        /// The file.
        path: String,
    },
    /// The file is a project but its content is broken.
    Damaged {
        /// The file.
        path: String,
        /// Where and what (English, for a bug report).
        detail: String,
    },
    /// The file claims more than [`MAX_SCENARIOS`] scenarios.
    TooManyScenarios {
        /// The file.
        path: String,
    },
}

impl ProjectError {
    /// The message a planner reads, in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (ProjectError::Io { path, source }, Lang::Zh) => {
                format!("{path}：无法读取项目文件：{source}")
            }
            (ProjectError::Io { path, source }, Lang::En) => {
                format!("{path}: cannot read the project file: {source}")
            }
            (ProjectError::Write { path, source }, Lang::Zh) => {
                format!(
                    "{path}：无法保存项目（原文件未改动）：{}",
                    crate::atomic::describe(source, Lang::Zh)
                )
            }
            (ProjectError::Write { path, source }, Lang::En) => {
                format!(
                    "{path}: cannot save the project (the previous file is untouched): {}",
                    crate::atomic::describe(source, Lang::En)
                )
            }
            (ProjectError::TooLarge { path, bytes }, Lang::Zh) => {
                format!("{path}：文件过大（{bytes} 字节），不是 Sitefold 项目文件")
            }
            (ProjectError::TooLarge { path, bytes }, Lang::En) => {
                format!("{path}: the file is too large ({bytes} bytes) to be a Sitefold project")
            }
            (ProjectError::NotAProject { path }, Lang::Zh) => {
                format!("{path}：这不是 Sitefold 项目文件（.{EXTENSION}）")
            }
            (ProjectError::NotAProject { path }, Lang::En) => {
                format!("{path}: this is not a Sitefold project file (.{EXTENSION})")
            }
            (ProjectError::TooNew { path, version }, Lang::Zh) => format!(
                "{path}：此项目由更新版本的 Sitefold 创建（格式版本 {version}）；当前版本最高只能读取版本 {VERSION}，请升级 Sitefold"
            ),
            (ProjectError::TooNew { path, version }, Lang::En) => format!(
                "{path}: made by a newer Sitefold (version {version}); this one reads up to {VERSION}. Please update Sitefold"
            ),
            (ProjectError::Truncated { path }, Lang::Zh) => format!(
                "{path}：项目文件不完整（在结尾之前中断），可能没有完整复制或保存；请使用备份或重新保存"
            ),
            (ProjectError::Truncated { path }, Lang::En) => format!(
                "{path}: the project file is incomplete (it ends early): it was probably not fully copied or saved; use a backup or save it again"
            ),
            (ProjectError::Damaged { path, detail }, Lang::Zh) => {
                format!("{path}：项目文件已损坏，无法打开（{detail}）")
            }
            (ProjectError::Damaged { path, detail }, Lang::En) => {
                format!("{path}: the project file is damaged and cannot be opened ({detail})")
            }
            (ProjectError::TooManyScenarios { path }, Lang::Zh) => format!(
                "{path}：项目中的方案超过 {MAX_SCENARIOS} 个（Sitefold 最多打开这么多），文件已损坏或是恶意构造的"
            ),
            (ProjectError::TooManyScenarios { path }, Lang::En) => format!(
                "{path}: the project holds more than {MAX_SCENARIOS} scenarios, the most Sitefold opens: the file is damaged or was crafted"
            ),
        }
    }

    /// True when the file could not be read or written at all.
    pub fn is_unreadable(&self) -> bool {
        matches!(
            self,
            ProjectError::Io { .. } | ProjectError::Write { .. } | ProjectError::TooLarge { .. }
        )
    }
}

impl fmt::Display for ProjectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

impl std::error::Error for ProjectError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ProjectError::Io { source, .. } | ProjectError::Write { source, .. } => Some(source),
            _ => None,
        }
    }
}

// ---------------------------------------------------------------------
// Saving

/// Saves a project atomically (see [`crate::atomic`]), stamping the time
/// of the save (and of creation, for a new project). The project is
/// written straight into the temporary file that replaces `path`.
pub fn save_project(path: &Path, project: &Project) -> Result<(), ProjectError> {
    let write_error = |source| ProjectError::Write {
        path: path.display().to_string(),
        source,
    };
    crate::atomic::write_with(path, |f| write_project(project, f)).map_err(write_error)
}

/// The bytes of a project file, stamped now.
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
fn write_project(project: &Project, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let now = now_rfc3339();
    let created = if project.created.is_empty() {
        now.as_str()
    } else {
        project.created.as_str()
    };
    let file = FileOut {
        format: FORMAT,
        version: VERSION,
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
struct IssueRec {
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

/// The sites, written column by column.
struct SitesOut<'a>(&'a [Site]);

/// One column of the sites.
struct Col<'a, T, F: Fn(&'a Site) -> T>(&'a [Site], F);

impl<'a, T: Serialize, F: Fn(&'a Site) -> T> Serialize for Col<'a, T, F> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(&self.1))
    }
}

impl Serialize for SitesOut<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let v = self.0;
        let mut m = s.serialize_map(Some(17))?;
        m.serialize_entry("count", &v.len())?;
        m.serialize_entry("id", &Col(v, |s| s.id.as_str()))?;
        m.serialize_entry("name", &Col(v, |s| s.name.as_str()))?;
        m.serialize_entry("url", &Col(v, |s| s.url.as_str()))?;
        m.serialize_entry("level", &Col(v, |s| s.level))?;
        m.serialize_entry("kind", &Col(v, |s| s.kind))?;
        m.serialize_entry("parent_id", &Col(v, |s| s.parent_id.as_str()))?;
        m.serialize_entry("region", &Col(v, |s| s.region.as_str()))?;
        // A value missing in the file is saved as null, so that it reads
        // back as missing (counted as 0, shown as missing).
        let known = |s: &Site, c: Column| !s.missing.has(c);
        m.serialize_entry(
            "budget",
            &Col(v, |s| {
                known(s, Column::AnnualBudget).then(|| ExactDecimal(s.budget.decimal()))
            }),
        )?;
        m.serialize_entry(
            "staff",
            &Col(v, |s| {
                known(s, Column::Staff).then_some(ExactDecimal(s.staff))
            }),
        )?;
        m.serialize_entry(
            "population",
            &Col(v, |s| known(s, Column::Population).then_some(s.population)),
        )?;
        m.serialize_entry("monthly_visits", &Col(v, |s| s.monthly_visits))?;
        m.serialize_entry(
            "online_services",
            &Col(v, |s| {
                known(s, Column::OnlineServices).then_some(s.online_services)
            }),
        )?;
        m.serialize_entry(
            "inspection_score",
            &Col(v, |s| s.inspection_score.map(Exact)),
        )?;
        m.serialize_entry("inspection_passed", &Col(v, |s| s.inspection_passed))?;
        m.serialize_entry("reprint_hours", &Col(v, |s| s.reprint_hours.map(Exact)))?;
        m.serialize_entry("line", &Col(v, |s| s.line))?;
        m.end()
    }
}

/// A number that reads back to the same bits: a JSON number when any JSON
/// reader gets it exactly (an integer below 2^53, or at most 15
/// significant digits with a small exponent), else its exact decimal text.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Exact(f64);

impl Exact {
    fn plain_number_is_exact(v: f64) -> bool {
        // `{:e}` gives the shortest digits that read back to v.
        let s = format!("{v:e}");
        let (mantissa, exp) = s.split_once('e').unwrap_or((&s, "0"));
        let digits = mantissa.bytes().filter(u8::is_ascii_digit).count();
        let exp: i32 = exp.parse().unwrap_or(i32::MAX);
        let scale = exp.saturating_sub(digits as i32 - 1);
        digits <= 15 && (-22..=22).contains(&scale)
    }
}

impl Serialize for Exact {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let v = self.0;
        if v.fract() == 0.0 && v.abs() < 9.0e15 {
            s.serialize_i64(v as i64)
        } else if v.is_finite() && Exact::plain_number_is_exact(v) {
            s.serialize_f64(v)
        } else {
            // Debug gives the shortest text that reads back exactly (and
            // NaN/inf, which JSON numbers cannot hold).
            s.serialize_str(&format!("{v:?}"))
        }
    }
}

impl<'de> Deserialize<'de> for Exact {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Exact;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number")
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Exact, E> {
                Ok(Exact(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Exact, E> {
                Ok(Exact(v as f64))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Exact, E> {
                Ok(Exact(v as f64))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Exact, E> {
                v.parse::<f64>()
                    .map(Exact)
                    .map_err(|_| E::invalid_value(de::Unexpected::Str(v), &self))
            }
        }
        d.deserialize_any(V)
    }
}

/// An exact decimal (budgets, staff): a JSON number when the number's
/// text is the decimal itself (up to 15 significant digits), else its text.
/// Read back as a [`RawNumber`].
#[derive(Clone, Copy, Debug, PartialEq)]
struct ExactDecimal(Decimal);

impl Serialize for ExactDecimal {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let d = self.0.normalize();
        if d.scale() == 0 && d.mantissa().unsigned_abs() < 9_000_000_000_000_000 {
            s.serialize_i64(d.mantissa() as i64)
        } else if d.mantissa().unsigned_abs() < 1_000_000_000_000_000 {
            s.serialize_f64(d.to_f64().unwrap_or(0.0))
        } else {
            s.serialize_str(&d.to_string())
        }
    }
}

/// A saved number cell as text, whatever the file holds there (a number,
/// or a text such as `NaN` that an earlier build wrote): the re-check reads
/// it as an import reads a cell.
#[derive(Clone, Debug, Default, PartialEq)]
struct RawNumber(String);

impl<'de> Deserialize<'de> for RawNumber {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = RawNumber;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number")
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<RawNumber, E> {
                Ok(RawNumber(format!("{v}")))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<RawNumber, E> {
                Ok(RawNumber(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<RawNumber, E> {
                Ok(RawNumber(v.to_string()))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawNumber, E> {
                Ok(RawNumber(v.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

// ---------------------------------------------------------------------
// Opening

/// True when `path` names a project: the `.sitefold` extension, or a file
/// that begins like one.
pub fn is_project_path(path: &Path) -> bool {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    if ext.as_deref() == Some(EXTENSION) {
        return true;
    }
    let mut head = [0u8; 64];
    let Ok(mut f) = std::fs::File::open(path) else {
        return false;
    };
    let mut n = 0;
    while n < head.len() {
        match f.read(&mut head[n..]) {
            Ok(0) | Err(_) => break,
            Ok(k) => n += k,
        }
    }
    matches!(parse_prefix(&head[..n]), Prefix::Project { .. })
}

/// Opens a project file of any version up to [`VERSION`].
///
/// The file is recognised from its first bytes before the rest is read,
/// so a large file that is not a project fails at once.
pub fn open_project(path: &Path) -> Result<Project, ProjectError> {
    let name = path.display().to_string();
    let io = |e: std::io::Error| ProjectError::Io {
        path: name.clone(),
        source: e,
    };
    let meta = std::fs::metadata(path).map_err(io)?;
    if meta.is_dir() {
        return Err(io(std::io::Error::other("it is a folder")));
    }
    if meta.len() > MAX_PROJECT_BYTES {
        return Err(ProjectError::TooLarge {
            path: name,
            bytes: meta.len(),
        });
    }
    let mut file = std::fs::File::open(path).map_err(io)?;
    let mut bytes = Vec::new();
    (&mut file)
        .take(PREFIX_BYTES as u64)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    // Check the magic before reading on.
    match parse_prefix(&bytes) {
        Prefix::NotAProject => return Err(ProjectError::NotAProject { path: name }),
        Prefix::Project { version } if version > u64::from(VERSION) => {
            return Err(ProjectError::TooNew {
                path: name,
                version,
            });
        }
        // Everything so far begins like a project: a short file was cut;
        // a long one never says its version, so it is something else.
        Prefix::Short if bytes.len() < PREFIX_BYTES => {
            return Err(ProjectError::Truncated { path: name });
        }
        Prefix::Short => return Err(ProjectError::NotAProject { path: name }),
        Prefix::Project { .. } => {}
    }
    bytes.reserve(meta.len() as usize);
    file.read_to_end(&mut bytes).map_err(io)?;
    let mut project = from_bytes(&bytes, &name)?;
    project.path = Some(path.to_path_buf());
    Ok(project)
}

/// Reads a project from its bytes; `name` names it in messages.
pub fn from_bytes(bytes: &[u8], name: &str) -> Result<Project, ProjectError> {
    let version = match parse_prefix(bytes) {
        Prefix::Project { version } => version,
        Prefix::Short => {
            return Err(ProjectError::Truncated {
                path: name.to_string(),
            });
        }
        Prefix::NotAProject => {
            return Err(ProjectError::NotAProject {
                path: name.to_string(),
            });
        }
    };
    if version > u64::from(VERSION) {
        return Err(ProjectError::TooNew {
            path: name.to_string(),
            version,
        });
    }
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    migrate(version as u32, body, name)
}

/// Reads a file of `version` and takes it forward to the current format.
/// Each older version is read with its own types and converted step by
/// step; to add version 2, read version 1 files as today and convert the
/// result.
pub fn migrate(version: u32, body: &[u8], name: &str) -> Result<Project, ProjectError> {
    match version {
        0 => {
            let v0: FileV0 = parse_json(body, name)?;
            v0.into_project(name)
        }
        1 => {
            let v1: FileV1 = parse_json(body, name)?;
            v1.into_project(name)
        }
        v => Err(ProjectError::TooNew {
            path: name.to_string(),
            version: u64::from(v),
        }),
    }
}

fn parse_json<'a, T: Deserialize<'a>>(body: &'a [u8], name: &str) -> Result<T, ProjectError> {
    serde_json::from_slice(body).map_err(|e| {
        if e.is_eof() {
            ProjectError::Truncated {
                path: name.to_string(),
            }
        } else if e.to_string().starts_with(TOO_MANY_SCENARIOS) {
            ProjectError::TooManyScenarios {
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

/// Reads the scenarios of a project, refusing more than [`MAX_SCENARIOS`]
/// before they are all in memory.
fn bounded_scenarios<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Scenario>, D::Error> {
    struct Bounded;
    impl<'de> Visitor<'de> for Bounded {
        type Value = Vec<Scenario>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a list of scenarios")
        }
        fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let mut out = Vec::new();
            while let Some(scenario) = seq.next_element::<Scenario>()? {
                if out.len() == MAX_SCENARIOS {
                    return Err(de::Error::custom(TOO_MANY_SCENARIOS));
                }
                out.push(scenario);
            }
            Ok(out)
        }
    }
    d.deserialize_seq(Bounded)
}

/// What the first bytes of a file say.
#[derive(Debug, PartialEq, Eq)]
enum Prefix {
    /// A project of this version.
    Project { version: u64 },
    /// The bytes end before the version (a project cut short, or a tiny file).
    Short,
    /// Something else.
    NotAProject,
}

fn skip_ws(b: &[u8]) -> usize {
    b.iter()
        .position(|c| !matches!(c, b' ' | b'\t' | b'\n' | b'\r'))
        .unwrap_or(b.len())
}

/// Reads `{"format": "sitefold-project", "version": N` (white space
/// allowed, a UTF-8 BOM skipped) from the start of a file.
fn parse_prefix(bytes: &[u8]) -> Prefix {
    let b = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut at = 0;
    // Each step: Ok(true) matched, Ok(false) ran out of bytes, Err mismatch.
    let expect = |lit: &[u8], at: &mut usize| -> Result<bool, ()> {
        *at += skip_ws(&b[*at..]);
        let rest = &b[*at..];
        if rest.len() < lit.len() {
            return if lit.starts_with(rest) {
                Ok(false)
            } else {
                Err(())
            };
        }
        if rest.starts_with(lit) {
            *at += lit.len();
            Ok(true)
        } else {
            Err(())
        }
    };
    let format = format!("\"{FORMAT}\"");
    for lit in [
        &b"{"[..],
        b"\"format\"",
        b":",
        format.as_bytes(),
        b",",
        b"\"version\"",
        b":",
    ] {
        match expect(lit, &mut at) {
            Ok(true) => {}
            Ok(false) => return Prefix::Short,
            Err(()) => return Prefix::NotAProject,
        }
    }
    at += skip_ws(&b[at..]);
    let digits = b[at..].iter().take_while(|c| c.is_ascii_digit()).count();
    if digits == 0 || at + digits == b.len() {
        return if at + digits == b.len() {
            Prefix::Short
        } else {
            Prefix::NotAProject
        };
    }
    match std::str::from_utf8(&b[at..at + digits])
        .ok()
        .and_then(|s| s.parse::<u64>().ok())
    {
        Some(version) => Prefix::Project { version },
        None => Prefix::Project { version: u64::MAX },
    }
}

/// Version 1, as read.
#[derive(Deserialize)]
struct FileV1 {
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
    #[serde(default, deserialize_with = "bounded_scenarios")]
    scenarios: Vec<Scenario>,
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

/// The site columns as read; a missing column takes its default.
#[derive(Deserialize, Default)]
#[serde(default)]
struct SitesIn {
    count: Option<usize>,
    id: Vec<String>,
    name: Vec<String>,
    url: Vec<String>,
    level: Vec<Level>,
    kind: Vec<Kind>,
    parent_id: Vec<String>,
    region: Vec<String>,
    budget: Vec<Option<RawNumber>>,
    staff: Vec<Option<RawNumber>>,
    population: Vec<Option<u64>>,
    monthly_visits: Vec<Option<u64>>,
    online_services: Vec<Option<u64>>,
    inspection_score: Vec<Option<RawNumber>>,
    inspection_passed: Vec<Option<bool>>,
    reprint_hours: Vec<Option<RawNumber>>,
    line: Vec<u64>,
}

impl SitesIn {
    fn into_rows(self, name: &str) -> Result<Vec<SavedRow>, ProjectError> {
        let n = self.count.unwrap_or(self.id.len());
        let damaged = |detail: String| ProjectError::Damaged {
            path: name.to_string(),
            detail,
        };
        if self.id.len() != n {
            return Err(damaged(format!("{} site ids for {n} sites", self.id.len())));
        }
        if n > 0 && self.level.len() != n {
            return Err(damaged(format!(
                "{} levels for {n} sites",
                self.level.len()
            )));
        }
        // Every other column is either absent (defaults) or complete.
        let lens = [
            ("name", self.name.len()),
            ("url", self.url.len()),
            ("kind", self.kind.len()),
            ("parent_id", self.parent_id.len()),
            ("region", self.region.len()),
            ("budget", self.budget.len()),
            ("staff", self.staff.len()),
            ("population", self.population.len()),
            ("monthly_visits", self.monthly_visits.len()),
            ("online_services", self.online_services.len()),
            ("inspection_score", self.inspection_score.len()),
            ("inspection_passed", self.inspection_passed.len()),
            ("reprint_hours", self.reprint_hours.len()),
            ("line", self.line.len()),
        ];
        if let Some((col, len)) = lens.iter().find(|(_, len)| *len != 0 && *len != n) {
            return Err(damaged(format!(
                "{len} values in column {col} for {n} sites"
            )));
        }
        fn take<T: Default>(v: Vec<T>, n: usize) -> impl Iterator<Item = T> {
            let missing = if v.is_empty() { n } else { 0 };
            v.into_iter()
                .chain(std::iter::repeat_with(T::default).take(missing))
        }
        let mut name_it = take(self.name, n);
        let mut url = take(self.url, n);
        let mut kind = take(self.kind, n);
        let mut parent_id = take(self.parent_id, n);
        let mut region = take(self.region, n);
        let mut budget = take(self.budget, n);
        let mut staff = take(self.staff, n);
        let mut population = take(self.population, n);
        let mut visits = take(self.monthly_visits, n);
        let mut services = take(self.online_services, n);
        let mut score = take(self.inspection_score, n);
        let mut passed = take(self.inspection_passed, n);
        let mut reprint = take(self.reprint_hours, n);
        let mut line = take(self.line, n);
        let mut rows = Vec::with_capacity(n);
        for (id, level) in self.id.into_iter().zip(self.level) {
            let text = |v: Option<RawNumber>| v.map(|r| r.0).unwrap_or_default();
            let whole = |v: Option<u64>| v.map(|v| v.to_string()).unwrap_or_default();
            rows.push(SavedRow {
                line: line.next().unwrap_or_default(),
                cells: [
                    id,
                    name_it.next().unwrap_or_default(),
                    url.next().unwrap_or_default(),
                    level.key().to_string(),
                    kind.next().unwrap_or_default().key().to_string(),
                    parent_id.next().unwrap_or_default(),
                    region.next().unwrap_or_default(),
                    text(budget.next().flatten()),
                    text(staff.next().flatten()),
                    whole(population.next().flatten()),
                    visits
                        .next()
                        .flatten()
                        .map(|v| v.to_string())
                        .unwrap_or_default(),
                    whole(services.next().flatten()),
                    text(score.next().flatten()),
                    passed_text(passed.next().flatten()),
                    text(reprint.next().flatten()),
                ],
            });
        }
        Ok(rows)
    }
}

/// One saved site as the cells of a row, in [`Column::ALL`] order, with
/// the line it came from in the original file.
struct SavedRow {
    line: u64,
    cells: [String; 15],
}

impl SavedRow {
    /// The cells of a site made in code (version 0 files held sites).
    fn of_site(s: &Site) -> SavedRow {
        let opt = |v: Option<f64>| v.map(|x| format!("{x}")).unwrap_or_default();
        let known = |c: Column, text: String| {
            if s.missing.has(c) {
                String::new()
            } else {
                text
            }
        };
        SavedRow {
            line: s.line,
            cells: [
                s.id.clone(),
                s.name.clone(),
                s.url.clone(),
                s.level.key().to_string(),
                s.kind.key().to_string(),
                s.parent_id.clone(),
                s.region.clone(),
                known(
                    Column::AnnualBudget,
                    s.budget.decimal().normalize().to_string(),
                ),
                known(Column::Staff, s.staff.normalize().to_string()),
                known(Column::Population, s.population.to_string()),
                s.monthly_visits.map(|v| v.to_string()).unwrap_or_default(),
                known(Column::OnlineServices, s.online_services.to_string()),
                opt(s.inspection_score),
                passed_text(s.inspection_passed),
                opt(s.reprint_hours),
            ],
        }
    }
}

fn passed_text(p: Option<bool>) -> String {
    match p {
        Some(true) => "pass".into(),
        Some(false) => "fail".into(),
        None => String::new(),
    }
}

/// Checks saved sites as an import checks a file: ids, levels, every
/// number, duplicates, parents. A project may have been edited by hand or
/// damaged, and its figures must be as trustworthy as an imported file's.
/// What the check finds beyond the saved import report is returned as
/// issues located in the project file (row = the site's position).
fn recheck_sites(
    rows: Vec<SavedRow>,
    report: &mut ImportReport,
    name: &str,
) -> Result<(Vec<Site>, Vec<FileIssue>), ProjectError> {
    let header: Vec<String> = Column::ALL.iter().map(|c| c.key().to_string()).collect();
    let lines: Vec<u64> = rows.iter().map(|r| r.line).collect();
    let records = rows
        .into_iter()
        .enumerate()
        .map(|(i, r)| (i as u64 + 1, csv::StringRecord::from(r.cells.to_vec())));
    let checked =
        import_table(header, 0, records, name, &ImportOptions::default()).map_err(|e| {
            ProjectError::Damaged {
                path: name.to_string(),
                detail: e.message(Lang::En),
            }
        })?;
    let known: std::collections::HashSet<(Option<&str>, String)> = report
        .issues
        .iter()
        .map(|i| (i.site_id.as_deref(), i.finding.message(Lang::En)))
        .collect();
    let found: Vec<FileIssue> = checked
        .report
        .issues
        .iter()
        .filter(|i| match i.severity {
            Severity::Rejected | Severity::Error => true,
            // A name defaulted to the id is what the first import did.
            Severity::Warning => {
                i.finding != Finding::NameDefaulted
                    && !known.contains(&(i.site_id.as_deref(), i.finding.message(Lang::En)))
            }
            Severity::Info => false,
        })
        .map(|i| FileIssue {
            source: name.to_string(),
            line: i.line,
            column: i.column,
            zh: recheck_message(&checked.report, i, Lang::Zh),
            en: recheck_message(&checked.report, i, Lang::En),
            is_error: i.severity != Severity::Warning,
        })
        .collect();
    let mut sites = checked.inventory.sites().to_vec();
    for s in &mut sites {
        s.line = lines.get(s.line as usize - 1).copied().unwrap_or(0);
        s.parent = None;
    }
    report.sites = sites.len();
    Ok((sites, found))
}

/// A finding of the re-check, said of a saved site.
fn recheck_message(report: &ImportReport, i: &crate::inventory::Issue, lang: Lang) -> String {
    let mut s = format!(
        "{} {}{}",
        lang.pick("项目中的第", "saved site"),
        i.line,
        lang.pick(" 个网站", "")
    );
    if let Some(h) = &i.header {
        s.push_str(&format!(" [{h}]"));
    }
    if let Some(id) = &i.site_id {
        s.push_str(&format!(" ({id})"));
    }
    s.push_str(lang.pick("：", ": "));
    s.push_str(&i.finding.message(lang));
    let _ = report;
    s
}

impl FileV1 {
    fn into_project(self, name: &str) -> Result<Project, ProjectError> {
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
            scenarios: self.scenarios,
        })
    }
}

/// A report for an inventory saved without one: every site read, nothing found.
fn fresh_report(source: &str, sites: usize) -> ImportReport {
    ImportReport {
        source: source.to_string(),
        rows_read: sites,
        sites,
        issues: Vec::new(),
        encoding: "UTF-8".into(),
        location_is_row: false,
        ..Default::default()
    }
}

/// Version 0 (early builds): sites as objects, decisions by position.
#[derive(Deserialize)]
struct FileV0 {
    #[serde(default)]
    lang: Option<String>,
    #[serde(default)]
    header: Vec<String>,
    sites: Vec<Site>,
    #[serde(default)]
    decisions: Vec<DecisionV0>,
    #[serde(default)]
    rules: RuleSet,
    #[serde(default)]
    params: Params,
}

#[derive(Deserialize)]
struct DecisionV0 {
    index: usize,
    decision: Decision,
}

impl FileV0 {
    fn into_project(self, name: &str) -> Result<Project, ProjectError> {
        let ids: Vec<&str> = self.sites.iter().map(|s| s.id.as_str()).collect();
        let id_at = |i: usize| -> Result<String, ProjectError> {
            ids.get(i)
                .map(|s| s.to_string())
                .ok_or_else(|| ProjectError::Damaged {
                    path: name.to_string(),
                    detail: format!("a decision names site number {i} of {}", ids.len()),
                })
        };
        let mut manual = Vec::with_capacity(self.decisions.len());
        for d in &self.decisions {
            let site_id = id_at(d.index)?;
            manual.push(match d.decision {
                Decision::Keep => ManualDecision {
                    site_id,
                    decision: Action::Keep,
                    target_id: None,
                },
                Decision::Merge { target } => ManualDecision {
                    site_id,
                    decision: Action::Merge,
                    target_id: target.map(id_at).transpose()?,
                },
            });
        }
        let rows: Vec<SavedRow> = self.sites.iter().map(SavedRow::of_site).collect();
        let mapping = detect_columns(&self.header);
        let mut report = fresh_report(name, rows.len());
        let (sites, mut found) = recheck_sites(rows, &mut report, name)?;
        let (params, params_issues) = self.params.checked(name);
        found.extend(params_issues);
        Ok(Project {
            created: String::new(),
            saved: String::new(),
            saved_by: String::new(),
            path: None,
            lang: self
                .lang
                .as_deref()
                .and_then(Lang::parse)
                .unwrap_or_default(),
            inventory: Snapshot {
                sites,
                header: self.header,
                mapping,
                report,
            },
            manual,
            optimized: Vec::new(),
            notes: Vec::new(),
            rules: self.rules,
            params,
            plan_errors: 0,
            file_issues: found,
            scenarios: Vec::new(),
        })
    }
}

// ---------------------------------------------------------------------
// Time

/// Now, as RFC 3339 in UTC (`2026-01-05T08:00:00Z`).
pub fn now_rfc3339() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    rfc3339(secs)
}

/// Seconds since 1970 as RFC 3339 in UTC.
fn rfc3339(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    // Civil from days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_rfc3339() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(rfc3339(1_767_225_599), "2025-12-31T23:59:59Z");
    }

    #[test]
    fn prefixes() {
        let p = |s: &str| parse_prefix(s.as_bytes());
        assert_eq!(
            p("{\"format\":\"sitefold-project\",\"version\":1,"),
            Prefix::Project { version: 1 }
        );
        assert_eq!(
            p("\u{feff} { \"format\" : \"sitefold-project\" ,\n \"version\": 12 }"),
            Prefix::Project { version: 12 }
        );
        assert_eq!(p("{\"format\":\"sitefold-pro"), Prefix::Short);
        assert_eq!(
            p("{\"format\":\"other\",\"version\":1}"),
            Prefix::NotAProject
        );
        assert_eq!(p("site_id,level\nA,1\n"), Prefix::NotAProject);
        assert_eq!(p(""), Prefix::Short);
    }

    #[test]
    fn numbers_round_trip_exactly() {
        let values = [
            0.0,
            -0.0,
            1.0,
            2.5,
            0.1,
            0.1 + 0.2,
            1234.5600000000002,
            1.0e-7,
            123_456_789.123_456_78,
            9.0e15,
            1.0e20,
            f64::MAX,
            f64::MIN_POSITIVE,
            5e-324,
            1.0 / 3.0,
        ];
        for v in values {
            let json = serde_json::to_string(&Exact(v)).expect("json");
            let back: Exact = serde_json::from_str(&json).expect("back");
            assert_eq!(
                back.0.to_bits(),
                if v == 0.0 {
                    0.0f64.to_bits()
                } else {
                    v.to_bits()
                },
                "{v} as {json}"
            );
        }
        assert_eq!(serde_json::to_string(&Exact(2000.0)).expect("json"), "2000");
        assert_eq!(serde_json::to_string(&Exact(2.5)).expect("json"), "2.5");
    }
}
