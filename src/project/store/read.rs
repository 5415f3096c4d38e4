//! Reading a project file's tables back into a [`Project`], checked as
//! an import checks a file (the file may have been edited with another
//! SQLite tool), with what the file holds noted for the next save.

use std::path::Path;

use rusqlite::Connection;
use rusqlite::types::Value;
use rustc_hash::FxHashMap;
use serde::de::DeserializeOwned;

use crate::diag::FileIssue;
use crate::execution::{AuditAction, AuditEntry, Date, Execution, StatusChange, Workflow};
use crate::i18n::Lang;
use crate::inventory::{ColumnMapping, ImportReport, MAX_ROWS, detect_columns};
use crate::plan::{Action, Params, RuleSet, TimelineParams};

use super::super::format::{IssueRec, ScheduledIn};
use super::super::recheck::{fresh_report, recheck_sites};
use super::super::{
    FORMAT, MAX_SCENARIOS, ManualDecision, Project, ProjectError, Scenario, SiteNote, Snapshot,
    VERSION,
};
use super::schema::{APPLICATION_ID, TABLES};
use super::sites::{COLUMNS, CellHash, ReadSite, fingerprint, read_site};
use super::write::{LogMark, Meta, Written};

/// Most status changes, and most audit entries, a project holds.
pub const MAX_LOG_ENTRIES: usize = 5_000_000;
/// Most decisions all the scenarios of a project hold together.
pub const MAX_SCENARIO_DECISIONS: usize = 10_000_000;
/// Most rows of `meta`.
const MAX_META: usize = 1_000;

/// The error of a failed read, said of the file `name`.
pub(super) fn db_error(name: &str, e: rusqlite::Error) -> ProjectError {
    use rusqlite::ErrorCode as C;
    let path = name.to_string();
    match e.sqlite_error_code() {
        Some(C::NotADatabase) => ProjectError::NotAProject { path },
        Some(C::CannotOpen | C::PermissionDenied | C::SystemIoFailure | C::DiskFull) => {
            ProjectError::Io {
                path,
                source: std::io::Error::other(e.to_string()),
            }
        }
        Some(C::DatabaseBusy | C::DatabaseLocked) => ProjectError::Io {
            path,
            source: std::io::Error::other("another program is writing the file; try again"),
        },
        _ => ProjectError::Damaged {
            path,
            detail: crate::inventory::excerpt_quoted(&e.to_string(), 300),
        },
    }
}

fn damaged(name: &str, detail: impl Into<String>) -> ProjectError {
    ProjectError::Damaged {
        path: name.to_string(),
        detail: detail.into(),
    }
}

/// Reads every table of an open project file, `path` (called `name` in
/// messages), in one read transaction.
///
/// The audit trail, the longest table, is read beside the rest on a
/// thread of its own through a second connection, and checked against
/// this connection's view of the file (its length, first and last
/// entries: a trail read while another window saved is read again here).
pub(super) fn read_db(
    conn: &Connection,
    path: &Path,
    name: &str,
) -> Result<(Project, Written), ProjectError> {
    let err = |e| db_error(name, e);
    // One view of the file for every table, whoever saves meanwhile
    // (rolled back, which ends it, when dropped).
    let _snapshot = conn.unchecked_transaction().map_err(err)?;
    let app: i64 = conn
        .pragma_query_value(None, "application_id", |r| r.get(0))
        .map_err(err)?;
    if app != i64::from(APPLICATION_ID) {
        return Err(ProjectError::NotAProject {
            path: name.to_string(),
        });
    }
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
        .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
        .map_err(err)?;
    if let Some(missing) = TABLES.iter().find(|t| !tables.iter().any(|n| n == *t)) {
        return Err(damaged(name, format!("the table {missing} is missing")));
    }
    // Absurd row counts are refused before anything is read.
    for (table, max, what) in [
        ("sites", MAX_ROWS, "sites, the most a project holds"),
        ("decisions", 2 * MAX_ROWS, "decisions"),
        ("notes", MAX_ROWS, "notes"),
        ("schedule", MAX_ROWS, "closure quarters"),
        ("statuses", MAX_LOG_ENTRIES, "status changes"),
        ("audit", MAX_LOG_ENTRIES, "audit entries"),
        (
            "scenario_decisions",
            MAX_SCENARIO_DECISIONS,
            "decisions in scenarios",
        ),
    ] {
        if more_than(conn, table, max).map_err(err)? {
            return Err(damaged(name, format!("more than {max} {what}")));
        }
    }
    if more_than(conn, "scenarios", MAX_SCENARIOS).map_err(err)? {
        return Err(ProjectError::TooManyScenarios {
            path: name.to_string(),
        });
    }
    std::thread::scope(|scope| {
        let beside = scope.spawn(|| read_audit_beside(path, name));
        read_tables(conn, name, || match beside.join() {
            Ok(Some((audit, in_order))) if same_trail(conn, &audit).unwrap_or(false) => {
                Ok((audit, in_order))
            }
            // Not read there, or not what this connection sees: read here
            // (which also gives the reason a damaged trail does not read).
            _ => read_audit(conn, name),
        })
    })
}

/// The audit trail read through a connection of its own; `None` when it
/// cannot be (then it is read through the first one).
fn read_audit_beside(path: &Path, name: &str) -> Option<(Vec<AuditEntry>, bool)> {
    let conn = super::open_conn(path).ok()?;
    super::schema::harden(&conn).ok()?;
    let _snapshot = conn.unchecked_transaction().ok()?;
    read_audit(&conn, name).ok()
}

/// True when `audit` is the trail `conn` sees: as long, with the same
/// first and last entries.
fn same_trail(conn: &Connection, audit: &[AuditEntry]) -> rusqlite::Result<bool> {
    let len: i64 = conn.query_row("SELECT count(*) FROM audit", [], |r| r.get(0))?;
    if len != audit.len() as i64 {
        return Ok(false);
    }
    let (Some(first), Some(last)) = (audit.first(), audit.last()) else {
        return Ok(true);
    };
    let entry = |order: &str| -> rusqlite::Result<Option<AuditEntry>> {
        conn.query_row(
            &format!(
                "SELECT time, person, action, site_id, before, after, reason \
                 FROM audit ORDER BY seq {order} LIMIT 1"
            ),
            [],
            |r| {
                let action: String = r.get(2)?;
                Ok(AuditAction::from_key(&action).map(|action| AuditEntry {
                    time: r.get(0).unwrap_or_default(),
                    person: r.get(1).unwrap_or_default(),
                    action,
                    site_id: r.get(3).unwrap_or_default(),
                    before: r.get(4).unwrap_or_default(),
                    after: r.get(5).unwrap_or_default(),
                    reason: r.get(6).unwrap_or_default(),
                }))
            },
        )
    };
    Ok(entry("ASC")?.as_ref() == Some(first) && entry("DESC")?.as_ref() == Some(last))
}

/// The tables after the checks of [`read_db`]; `audit` gives the audit
/// trail, read meanwhile.
fn read_tables(
    conn: &Connection,
    name: &str,
    audit: impl FnOnce() -> Result<(Vec<AuditEntry>, bool), ProjectError>,
) -> Result<(Project, Written), ProjectError> {
    let meta = read_meta(conn, name)?;
    let (rows, hashes) = read_sites(conn, name)?;
    let mut keyed = read_keyed(conn, name)?;
    let (statuses, statuses_in_order) = read_statuses(conn, name)?;
    let (scenarios, scenarios_in_order) = read_scenarios(conn, name)?;

    let text = |k: &str| match meta.get(k) {
        Some(Value::Text(t)) => t.clone(),
        _ => String::new(),
    };
    match meta.get("format") {
        Some(Value::Text(f)) if f == FORMAT => {}
        _ => {
            return Err(ProjectError::NotAProject {
                path: name.to_string(),
            });
        }
    }
    match meta.get("version") {
        Some(Value::Integer(v)) if *v >= 0 && *v <= i64::from(VERSION) => {}
        Some(Value::Integer(v)) if *v > 0 => {
            return Err(ProjectError::TooNew {
                path: name.to_string(),
                version: *v as u64,
            });
        }
        _ => return Err(damaged(name, "meta has no version")),
    }
    let header: Vec<String> = part(&meta, "header", name)?.unwrap_or_default();
    let mapping: Option<ColumnMapping> = part(&meta, "mapping", name)?;
    let report: Option<ImportReport> = part(&meta, "report", name)?;
    let rules: RuleSet = part(&meta, "rules", name)?.unwrap_or_default();
    let params: Params = part(&meta, "params", name)?.unwrap_or_default();
    let timeline: TimelineParams = part(&meta, "timeline", name)?.unwrap_or_default();
    let workflow: Workflow = part(&meta, "workflow", name)?.unwrap_or_default();
    let rounds: Vec<crate::rounds::Round> = part(&meta, "rounds", name)?.unwrap_or_default();
    let sources: Vec<crate::inventory::SourceFile> =
        part(&meta, "sources", name)?.unwrap_or_default();
    let site_sources: Vec<u32> = part(&meta, "site_sources", name)?.unwrap_or_default();
    let issues: Vec<IssueRec> = part(&meta, "file_issues", name)?.unwrap_or_default();
    let file_issues: Vec<FileIssue> = issues.into_iter().map(FileIssue::from).collect();
    let plan_errors = match meta.get("plan_errors") {
        Some(Value::Integer(n)) => usize::try_from(*n).unwrap_or(0),
        _ => 0,
    };
    let lang = Lang::parse(&text("lang")).unwrap_or_default();

    // The sites, checked as an import checks a file.
    let read_count = rows.len();
    let (cells, floats): (Vec<_>, Vec<_>) = rows
        .into_iter()
        .map(|r| (r.row, (r.score, r.hours)))
        .unzip();
    let mapping_or = mapping.clone().unwrap_or_else(|| detect_columns(&header));
    let mut report_now = report
        .clone()
        .unwrap_or_else(|| fresh_report(name, read_count));
    let (mut sites, mut found) = recheck_sites(cells, &mut report_now, name)?;
    let (audit, audit_in_order) = audit()?;
    let whole = sites.len() == read_count;
    if whole && site_sources.len() == sites.len() {
        // Each site's file (an index into the sources; one out of range
        // is the first file).
        for (s, &k) in sites.iter_mut().zip(&site_sources) {
            s.source = if (k as usize) < sources.len() { k } else { 0 };
        }
    }
    if whole {
        // The check reads scores and hours as text; the file has them to
        // the bit.
        for (s, (score, hours)) in sites.iter_mut().zip(floats) {
            if s.inspection_score.is_some() && score.is_some() {
                s.inspection_score = score;
            }
            if s.reprint_hours.is_some() && hours.is_some() {
                s.reprint_hours = hours;
            }
        }
    }
    let (params_checked, more) = params.clone().checked(name);
    found.extend(more);
    let (timeline_checked, more) = timeline.clone().checked(name);
    found.extend(more);
    let mut schedule = Vec::with_capacity(keyed.schedule.len());
    let mut quarters_read = true;
    for (site_id, quarter) in std::mem::take(&mut keyed.schedule) {
        match (ScheduledIn { site_id, quarter }).read(name) {
            Ok(s) => schedule.push(s),
            Err(issue) => {
                found.push(issue);
                quarters_read = false;
            }
        }
    }

    // Decisions, notes and quarters in site order, as a project lists them.
    let at: FxHashMap<&str, usize> = sites
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.as_str(), i))
        .collect();
    let pos = |id: &str| at.get(id).copied().unwrap_or(usize::MAX);
    keyed.manual.sort_by_key(|d| pos(&d.site_id));
    keyed.optimized.sort_by_key(|d| pos(&d.site_id));
    keyed.notes.sort_by_key(|n| pos(&n.site_id));
    schedule.sort_by_key(|s| pos(&s.site_id));

    let written = Written {
        sites_version: None,
        meta: Meta {
            created: Some(text("created")),
            lang: Lang::parse(&text("lang")),
            header: meta.contains_key("header").then(|| header.clone()),
            mapping,
            report,
            rules: meta.contains_key("rules").then(|| rules.clone()),
            params: meta.contains_key("params").then(|| params.clone()),
            timeline: meta.contains_key("timeline").then(|| timeline.clone()),
            plan_errors: meta.contains_key("plan_errors").then_some(plan_errors),
            file_issues: meta
                .contains_key("file_issues")
                .then(|| file_issues.clone()),
            workflow: meta.contains_key("workflow").then(|| workflow.clone()),
            redirect_pattern: meta
                .contains_key("redirect_pattern")
                .then(|| text("redirect_pattern")),
            notice_template: meta
                .contains_key("notice_template")
                .then(|| text("notice_template")),
            rounds: meta.contains_key("rounds").then(|| rounds.clone()),
            sources: meta.get("sources").and_then(|v| match v {
                Value::Text(t) => Some(t.clone()),
                _ => None,
            }),
            site_sources: meta.get("site_sources").and_then(|v| match v {
                Value::Text(t) => Some(t.clone()),
                _ => None,
            }),
        },
        // A row stored as this version stores its site keeps the site's
        // fingerprint; any other (edited elsewhere, an older writer) gets
        // one that differs, so the next save writes it again.
        sites: hashes.filter(|_| whole).map(|raw| {
            raw.iter()
                .zip(&sites)
                .map(|(r, s)| {
                    let fp = fingerprint(s);
                    if *r == CellHash::of_site(s) { fp } else { !fp }
                })
                .collect()
        }),
        manual: Some(keyed.manual.clone()),
        optimized: Some(keyed.optimized.clone()),
        notes: Some(keyed.notes.clone()),
        // Quarters that did not read are dropped at the next save.
        schedule: quarters_read.then(|| schedule.clone()),
        statuses: statuses_in_order.then(|| statuses.clone()),
        audit: audit_in_order.then(|| LogMark::of(&audit)),
        scenarios: scenarios_in_order.then(|| scenarios.clone()),
    };
    let project = Project {
        created: text("created"),
        saved: text("saved"),
        saved_by: text("saved_by"),
        path: None,
        lang,
        inventory: Snapshot {
            sites,
            header,
            mapping: mapping_or,
            report: report_now,
        },
        manual: keyed.manual,
        optimized: keyed.optimized,
        notes: keyed.notes,
        rules,
        params: params_checked,
        plan_errors,
        file_issues: file_issues.into_iter().chain(found).collect(),
        scenarios,
        schedule,
        timeline: timeline_checked,
        execution: Execution {
            workflow,
            statuses,
            audit,
            redirect_pattern: text("redirect_pattern"),
            notice_template: text("notice_template"),
        },
        rounds: crate::rounds::Rounds {
            rounds,
            base: Default::default(),
        },
        sources,
    };
    Ok((project, written))
}

/// True when `table` has more than `max` rows (counting no further).
fn more_than(conn: &Connection, table: &str, max: usize) -> rusqlite::Result<bool> {
    conn.query_row(
        &format!("SELECT count(*) FROM (SELECT 1 FROM {table} LIMIT ?1)"),
        [max as i64 + 1],
        |r| r.get::<_, i64>(0),
    )
    .map(|n| n as usize > max)
}

fn read_meta(conn: &Connection, name: &str) -> Result<FxHashMap<String, Value>, ProjectError> {
    let err = |e| db_error(name, e);
    let mut stmt = conn.prepare("SELECT key, value FROM meta").map_err(err)?;
    let mut rows = stmt.query([]).map_err(err)?;
    let mut out = FxHashMap::default();
    while let Some(r) = rows.next().map_err(err)? {
        if out.len() >= MAX_META {
            return Err(damaged(name, format!("more than {MAX_META} meta values")));
        }
        let key: String = r.get(0).map_err(err)?;
        out.insert(key, r.get::<_, Value>(1).map_err(err)?);
    }
    Ok(out)
}

/// A `meta` value holding JSON; `None` when absent.
fn part<T: DeserializeOwned>(
    meta: &FxHashMap<String, Value>,
    key: &str,
    name: &str,
) -> Result<Option<T>, ProjectError> {
    match meta.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Text(t)) => serde_json::from_str(t).map(Some).map_err(|e| {
            damaged(
                name,
                format!(
                    "meta {key}: {}",
                    crate::inventory::excerpt_quoted(&e.to_string(), 200)
                ),
            )
        }),
        Some(_) => Err(damaged(name, format!("meta {key} is not text"))),
    }
}

/// The rows of `sites`, and their fingerprints when they are positions
/// 0, 1, 2… (a file edited elsewhere may have gaps: then the table is
/// rewritten whole at the next save).
fn read_sites(
    conn: &Connection,
    name: &str,
) -> Result<(Vec<ReadSite>, Option<Vec<u64>>), ProjectError> {
    let err = |e| db_error(name, e);
    let mut stmt = conn
        .prepare(&format!(
            "SELECT pos, {} FROM sites ORDER BY pos",
            COLUMNS.join(", ")
        ))
        .map_err(err)?;
    let mut rows = stmt.query([]).map_err(err)?;
    let mut out = Vec::new();
    let mut hashes = Vec::new();
    let mut in_order = true;
    let mut buf = String::new();
    while let Some(r) = rows.next().map_err(err)? {
        if out.len() >= MAX_ROWS {
            return Err(damaged(
                name,
                format!("more than {MAX_ROWS} sites, the most a project holds"),
            ));
        }
        let pos: i64 = r.get(0).map_err(err)?;
        in_order &= pos == out.len() as i64;
        hashes.push(CellHash::of_row(r).map_err(err)?);
        out.push(read_site(r, &mut buf).map_err(err)?);
    }
    Ok((out, in_order.then_some(hashes)))
}

/// Rows of the tables keyed by site id.
#[derive(Default)]
struct Keyed {
    manual: Vec<ManualDecision>,
    optimized: Vec<ManualDecision>,
    notes: Vec<SiteNote>,
    schedule: Vec<(String, String)>,
}

fn decision(
    name: &str,
    site_id: String,
    action: &str,
    target_id: Option<String>,
) -> Result<ManualDecision, ProjectError> {
    let decision = match action {
        "keep" => Action::Keep,
        "merge" => Action::Merge,
        other => {
            return Err(damaged(
                name,
                format!(
                    "the decision on site {} is {}, not keep or merge",
                    crate::inventory::excerpt_quoted(&site_id, 60),
                    crate::inventory::excerpt_quoted(other, 60)
                ),
            ));
        }
    };
    Ok(ManualDecision {
        site_id,
        decision,
        target_id: target_id.filter(|t| !t.is_empty()),
    })
}

fn read_keyed(conn: &Connection, name: &str) -> Result<Keyed, ProjectError> {
    let err = |e| db_error(name, e);
    let too_many = |what: &str| damaged(name, format!("more than {MAX_ROWS} {what}"));
    let mut k = Keyed::default();
    let mut stmt = conn
        .prepare("SELECT layer, site_id, action, target_id FROM decisions")
        .map_err(err)?;
    let mut rows = stmt.query([]).map_err(err)?;
    while let Some(r) = rows.next().map_err(err)? {
        let layer: String = r.get(0).map_err(err)?;
        let list = match layer.as_str() {
            "manual" => &mut k.manual,
            "optimizer" => &mut k.optimized,
            other => {
                return Err(damaged(
                    name,
                    format!(
                        "a decision of layer {}, not manual or optimizer",
                        crate::inventory::excerpt_quoted(other, 60)
                    ),
                ));
            }
        };
        if list.len() >= MAX_ROWS {
            return Err(too_many("decisions"));
        }
        let action: String = r.get(2).map_err(err)?;
        list.push(decision(
            name,
            r.get(1).map_err(err)?,
            &action,
            r.get(3).map_err(err)?,
        )?);
    }
    let mut stmt = conn
        .prepare("SELECT site_id, note FROM notes")
        .map_err(err)?;
    let mut rows = stmt.query([]).map_err(err)?;
    while let Some(r) = rows.next().map_err(err)? {
        if k.notes.len() >= MAX_ROWS {
            return Err(too_many("notes"));
        }
        k.notes.push(SiteNote {
            site_id: r.get(0).map_err(err)?,
            note: r.get(1).map_err(err)?,
        });
    }
    let mut stmt = conn
        .prepare("SELECT site_id, quarter FROM schedule")
        .map_err(err)?;
    let mut rows = stmt.query([]).map_err(err)?;
    while let Some(r) = rows.next().map_err(err)? {
        if k.schedule.len() >= MAX_ROWS {
            return Err(too_many("closure quarters"));
        }
        k.schedule
            .push((r.get(0).map_err(err)?, r.get(1).map_err(err)?));
    }
    Ok(k)
}

/// The status changes in order, and whether they are numbered 0, 1, 2…
/// (new ones are added after them).
fn read_statuses(conn: &Connection, name: &str) -> Result<(Vec<StatusChange>, bool), ProjectError> {
    let err = |e| db_error(name, e);
    let mut stmt = conn
        .prepare("SELECT site_id, status, date, person, note, seq FROM statuses ORDER BY seq")
        .map_err(err)?;
    let mut rows = stmt.query([]).map_err(err)?;
    let mut out = Vec::new();
    let mut in_order = true;
    while let Some(r) = rows.next().map_err(err)? {
        in_order &= r.get::<_, i64>(5).map_err(err)? == out.len() as i64;
        if out.len() >= MAX_LOG_ENTRIES {
            return Err(damaged(
                name,
                format!("more than {MAX_LOG_ENTRIES} status changes"),
            ));
        }
        let site_id: String = r.get(0).map_err(err)?;
        let date: String = r.get(2).map_err(err)?;
        let Some(date) = Date::parse(&date) else {
            return Err(damaged(
                name,
                format!(
                    "the status change of site {} has the date {}",
                    crate::inventory::excerpt_quoted(&site_id, 60),
                    crate::inventory::excerpt_quoted(&date, 60)
                ),
            ));
        };
        out.push(StatusChange {
            site_id,
            status: r.get(1).map_err(err)?,
            date,
            person: r.get(3).map_err(err)?,
            note: r.get(4).map_err(err)?,
        });
    }
    Ok((out, in_order))
}

/// The audit trail in order, and whether it is numbered 0, 1, 2….
fn read_audit(conn: &Connection, name: &str) -> Result<(Vec<AuditEntry>, bool), ProjectError> {
    let err = |e| db_error(name, e);
    let mut stmt = conn
        .prepare(
            "SELECT time, person, action, site_id, before, after, reason, seq \
             FROM audit ORDER BY seq",
        )
        .map_err(err)?;
    let mut rows = stmt.query([]).map_err(err)?;
    let mut out = Vec::new();
    let mut in_order = true;
    while let Some(r) = rows.next().map_err(err)? {
        in_order &= r.get::<_, i64>(7).map_err(err)? == out.len() as i64;
        if out.len() >= MAX_LOG_ENTRIES {
            return Err(damaged(
                name,
                format!("more than {MAX_LOG_ENTRIES} audit entries"),
            ));
        }
        let action: String = r.get(2).map_err(err)?;
        let Some(action) = AuditAction::from_key(&action) else {
            return Err(damaged(
                name,
                format!(
                    "an audit entry records {}, which is no kind of change",
                    crate::inventory::excerpt_quoted(&action, 60)
                ),
            ));
        };
        out.push(AuditEntry {
            time: r.get(0).map_err(err)?,
            person: r.get(1).map_err(err)?,
            action,
            site_id: r.get(3).map_err(err)?,
            before: r.get(4).map_err(err)?,
            after: r.get(5).map_err(err)?,
            reason: r.get(6).map_err(err)?,
        });
    }
    Ok((out, in_order))
}

/// The scenarios in order, and whether they are numbered 0, 1, 2….
fn read_scenarios(conn: &Connection, name: &str) -> Result<(Vec<Scenario>, bool), ProjectError> {
    let err = |e| db_error(name, e);
    let mut stmt = conn
        .prepare("SELECT pos, name, rules, params FROM scenarios ORDER BY pos")
        .map_err(err)?;
    let mut rows = stmt.query([]).map_err(err)?;
    let mut out = Vec::new();
    let mut at: FxHashMap<i64, usize> = FxHashMap::default();
    let mut in_order = true;
    while let Some(r) = rows.next().map_err(err)? {
        if out.len() >= MAX_SCENARIOS {
            return Err(ProjectError::TooManyScenarios {
                path: name.to_string(),
            });
        }
        let rules: String = r.get(2).map_err(err)?;
        let params: String = r.get(3).map_err(err)?;
        let json_err = |what: &str, e: serde_json::Error| {
            damaged(
                name,
                format!(
                    "a scenario's {what}: {}",
                    crate::inventory::excerpt_quoted(&e.to_string(), 200)
                ),
            )
        };
        let pos: i64 = r.get(0).map_err(err)?;
        in_order &= pos == out.len() as i64;
        at.insert(pos, out.len());
        out.push(Scenario {
            name: r.get(1).map_err(err)?,
            manual: Vec::new(),
            optimized: Vec::new(),
            rules: serde_json::from_str(&rules).map_err(|e| json_err("rules", e))?,
            params: serde_json::from_str(&params).map_err(|e| json_err("parameters", e))?,
        });
    }
    let mut stmt = conn
        .prepare(
            "SELECT scenario, layer, site_id, action, target_id FROM scenario_decisions \
             ORDER BY scenario, layer, seq",
        )
        .map_err(err)?;
    let mut rows = stmt.query([]).map_err(err)?;
    let mut total = 0usize;
    while let Some(r) = rows.next().map_err(err)? {
        total += 1;
        if total > MAX_SCENARIO_DECISIONS {
            return Err(damaged(
                name,
                format!("more than {MAX_SCENARIO_DECISIONS} decisions in scenarios"),
            ));
        }
        let scenario: i64 = r.get(0).map_err(err)?;
        let Some(&i) = at.get(&scenario) else {
            continue;
        };
        let layer: String = r.get(1).map_err(err)?;
        let action: String = r.get(3).map_err(err)?;
        let d = decision(
            name,
            r.get(2).map_err(err)?,
            &action,
            r.get(4).map_err(err)?,
        )?;
        match layer.as_str() {
            "optimizer" => out[i].optimized.push(d),
            _ => out[i].manual.push(d),
        }
    }
    Ok((out, in_order))
}
