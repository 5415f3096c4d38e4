//! Reading a project of any version: the version is read from the first
//! bytes, and each older version is read with its own types and taken
//! forward to the current one.

use serde::Deserialize;

use crate::i18n::Lang;
use crate::inventory::{Column, Site, detect_columns};
use crate::plan::{Action, Decision, Params, RuleSet};

use super::format::{FileV1, parse_json};
use super::recheck::{SavedRow, fresh_report, passed_text, recheck_sites};
use super::sniff::{Prefix, parse_prefix};
use super::{ManualDecision, Project, ProjectError, Snapshot, VERSION};

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

/// Reads a JSON file of `version` (0 or 1) into a project. Each version
/// is read with its own types and converted to today's [`Project`], which
/// saves as version 2 (SQLite).
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
                    target_id: target.map(|t| id_at(t as usize)).transpose()?,
                },
            });
        }
        let rows: Vec<SavedRow> = self.sites.iter().map(saved_row).collect();
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
            schedule: Vec::new(),
            timeline: Default::default(),
            execution: Default::default(),
            rounds: Default::default(),
            sources: Vec::new(),
        })
    }
}

/// The cells of a site made in code (version 0 files held sites).
fn saved_row(s: &Site) -> SavedRow {
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
        source: s.source,
        cells: csv::StringRecord::from(vec![
            s.id.to_string(),
            s.name.to_string(),
            s.url.to_string(),
            s.level.key().to_string(),
            s.kind.key().to_string(),
            s.parent_id.to_string(),
            s.region.to_string(),
            known(
                Column::AnnualBudget,
                s.budget.decimal().normalize().to_string(),
            ),
            known(Column::Staff, s.staff.normalize().to_string()),
            known(Column::Population, s.population.to_string()),
            s.monthly_visits.map(|v| v.to_string()).unwrap_or_default(),
            known(Column::OnlineServices, s.online_services.to_string()),
            opt(s.inspection_score),
            passed_text(s.inspection_passed).to_string(),
            opt(s.reprint_hours),
        ]),
    }
}
