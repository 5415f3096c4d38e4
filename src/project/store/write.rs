//! Writing a project into the tables: each part compared with what the
//! file holds ([`Written`]) and only what differs written. A new file is
//! the same comparison against an empty file.

use rusqlite::{Transaction, params};
use rustc_hash::FxHashMap;

use crate::diag::FileIssue;
use crate::execution::{AuditEntry, StatusChange, Workflow};
use crate::i18n::Lang;
use crate::inventory::{ColumnMapping, ImportReport};
use crate::plan::{Params, RuleSet, TimelineParams};

use super::super::format::IssueRec;
use super::super::model::saved_by;
use super::super::{
    FORMAT, ManualDecision, ProjectView, Scenario, ScheduledSite, SiteNote, VERSION,
};
use super::sites::{COLUMNS, fingerprint, write_site};

/// The project-wide values of the `meta` table as the file holds them
/// (`None`: not known, written at the next save).
#[derive(Clone, Debug, Default)]
pub(super) struct Meta {
    pub created: Option<String>,
    pub lang: Option<Lang>,
    pub header: Option<Vec<String>>,
    pub mapping: Option<ColumnMapping>,
    pub report: Option<ImportReport>,
    pub rules: Option<RuleSet>,
    pub params: Option<Params>,
    pub timeline: Option<TimelineParams>,
    pub plan_errors: Option<usize>,
    pub file_issues: Option<Vec<FileIssue>>,
    pub workflow: Option<Workflow>,
    pub redirect_pattern: Option<String>,
    pub notice_template: Option<String>,
    pub rounds: Option<Vec<crate::rounds::Round>>,
    /// The files of an assembled inventory, as written (JSON).
    pub sources: Option<String>,
    /// Each site's file, as written (JSON; empty list for one file).
    pub site_sources: Option<String>,
}

/// Where an append-only list stands in the file: how many entries it
/// holds, and a few of them (the last, and those 2, 4, 8… from the end)
/// to notice a list that is no longer the one written.
#[derive(Clone, Debug, Default)]
pub(super) struct LogMark<T> {
    pub len: usize,
    samples: Vec<(usize, T)>,
}

impl<T: Clone + PartialEq> LogMark<T> {
    /// The mark of `list` as written.
    pub fn of(list: &[T]) -> LogMark<T> {
        let mut samples = Vec::new();
        let mut back = 1;
        while back <= list.len() {
            let i = list.len() - back;
            samples.push((i, list[i].clone()));
            back *= 2;
        }
        if !list.is_empty() && samples.last().is_some_and(|(i, _)| *i != 0) {
            samples.push((0, list[0].clone()));
        }
        LogMark {
            len: list.len(),
            samples,
        }
    }

    /// True when `list` begins with what was written (as far as the
    /// samples tell): only its tail needs adding.
    fn continues(&self, list: &[T]) -> bool {
        list.len() >= self.len
            && self
                .samples
                .iter()
                .all(|(i, e)| list.get(*i).is_some_and(|x| x == e))
    }
}

/// What the file holds, part by part: what the next save compares with.
/// A part that is `None` is not known to match the file row for row (a
/// new file, or one edited elsewhere): the next save rewrites it whole.
#[derive(Clone, Debug, Default)]
pub(crate) struct Written {
    pub(super) meta: Meta,
    /// The fingerprint of each row of `sites`, by position.
    pub(super) sites: Option<Vec<u64>>,
    /// The caller's version of the sites written, if it gave one.
    pub(super) sites_version: Option<u64>,
    pub(super) manual: Option<Vec<ManualDecision>>,
    pub(super) optimized: Option<Vec<ManualDecision>>,
    pub(super) notes: Option<Vec<SiteNote>>,
    pub(super) schedule: Option<Vec<ScheduledSite>>,
    pub(super) statuses: Option<Vec<StatusChange>>,
    pub(super) audit: Option<LogMark<AuditEntry>>,
    pub(super) scenarios: Option<Vec<Scenario>>,
}

/// What a save wrote (for tests and benchmarks).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SaveStats {
    /// The file was written whole (a new file, or one replaced).
    pub whole: bool,
    /// Rows of `sites` written.
    pub sites: usize,
    /// Rows of `decisions`, `notes` and `schedule` written or removed.
    pub keyed: usize,
    /// Status changes written.
    pub statuses: usize,
    /// Audit entries written.
    pub audit: usize,
    /// Scenarios written or removed.
    pub scenarios: usize,
    /// `meta` values written.
    pub meta: usize,
}

fn json<T: serde::Serialize + ?Sized>(v: &T) -> rusqlite::Result<String> {
    serde_json::to_string(v).map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))
}

fn same_report(a: &ImportReport, b: &ImportReport) -> bool {
    a.source == b.source
        && a.rows_read == b.rows_read
        && a.sites == b.sites
        && a.encoding == b.encoding
        && a.location_is_row == b.location_is_row
        && a.unlisted == b.unlisted
        && a.issues == b.issues
}

/// Writes `project` into the tables, changing only what differs from
/// `w`, which then says what the file holds. `now` stamps the save.
pub(super) fn write_project(
    tx: &Transaction<'_>,
    w: &mut Written,
    project: &ProjectView<'_>,
    now: &str,
) -> rusqlite::Result<SaveStats> {
    let mut stats = SaveStats {
        meta: write_meta(tx, &mut w.meta, project, now)?,
        ..Default::default()
    };
    let unchanged = project.sites_version.is_some()
        && project.sites_version == w.sites_version
        && w.sites
            .as_ref()
            .is_some_and(|f| f.len() == project.sites.len());
    if !unchanged {
        stats.sites = write_sites(tx, &mut w.sites, &project.sites)?;
        w.sites_version = project.sites_version;
    }
    stats.keyed += write_decisions(tx, "manual", &mut w.manual, &project.manual)?;
    stats.keyed += write_decisions(tx, "optimizer", &mut w.optimized, &project.optimized)?;
    stats.keyed += write_keyed(
        tx,
        "notes",
        &mut w.notes,
        &project.notes,
        |n| &n.site_id,
        |n| vec![n.note.clone()],
        &["note"],
    )?;
    stats.keyed += write_keyed(
        tx,
        "schedule",
        &mut w.schedule,
        &project.schedule,
        |s| &s.site_id,
        |s| vec![s.quarter.to_string()],
        &["quarter"],
    )?;
    stats.statuses = write_statuses(tx, &mut w.statuses, &project.execution.statuses)?;
    stats.audit = write_audit(tx, &mut w.audit, &project.execution.audit)?;
    stats.scenarios = write_scenarios(tx, &mut w.scenarios, project.scenarios)?;
    Ok(stats)
}

fn write_meta(
    tx: &Transaction<'_>,
    m: &mut Meta,
    p: &ProjectView<'_>,
    now: &str,
) -> rusqlite::Result<usize> {
    let mut put = tx.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)")?;
    put.execute(params!["format", FORMAT])?;
    put.execute(params!["version", VERSION])?;
    put.execute(params!["saved_by", saved_by()])?;
    put.execute(params!["saved", now])?;
    let mut n = 4;
    let created = if p.created.is_empty() {
        m.created
            .clone()
            .filter(|c| !c.is_empty())
            .unwrap_or_else(|| now.to_string())
    } else {
        p.created.to_string()
    };
    if m.created.as_ref() != Some(&created) {
        put.execute(params!["created", created])?;
        m.created = Some(created);
        n += 1;
    }
    if m.lang != Some(p.lang) {
        put.execute(params!["lang", p.lang.code()])?;
        m.lang = Some(p.lang);
        n += 1;
    }
    if m.plan_errors != Some(p.plan_errors) {
        put.execute(params!["plan_errors", p.plan_errors as i64])?;
        m.plan_errors = Some(p.plan_errors);
        n += 1;
    }
    macro_rules! part {
        ($field:ident, $key:expr, $value:expr, $same:expr) => {
            let new = $value;
            if !m.$field.as_ref().is_some_and(|old| $same(old, new)) {
                put.execute(params![$key, json(new)?])?;
                m.$field = Some(new.to_owned());
                n += 1;
            }
        };
    }
    part!(
        header,
        "header",
        p.header,
        |a: &Vec<String>, b: &[String]| a.as_slice() == b
    );
    part!(mapping, "mapping", p.mapping, |a: &ColumnMapping, b| a == b);
    part!(report, "report", p.report, same_report);
    part!(rules, "rules", p.rules, |a: &RuleSet, b| a == b);
    part!(params, "params", p.params, |a: &Params, b| a == b);
    part!(timeline, "timeline", p.timeline, |a: &TimelineParams, b| a
        == b);
    // The files of an assembled inventory and each site's file, compared
    // as written.
    let site_sources: Vec<u32> = if p.sites.iter().any(|s| s.source != 0) {
        p.sites.iter().map(|s| s.source).collect()
    } else {
        Vec::new()
    };
    for (key, field, value) in [
        ("sources", &mut m.sources, json(p.sources)?),
        ("site_sources", &mut m.site_sources, json(&site_sources)?),
    ] {
        if field.as_ref() != Some(&value) {
            put.execute(params![key, value])?;
            *field = Some(value);
            n += 1;
        }
    }
    part!(
        rounds,
        "rounds",
        p.rounds,
        |a: &Vec<crate::rounds::Round>, b: &[crate::rounds::Round]| a.as_slice() == b
    );
    part!(
        workflow,
        "workflow",
        &p.execution.workflow,
        |a: &Workflow, b| a == b
    );
    if m.file_issues.as_deref() != Some(p.file_issues) {
        let recs: Vec<IssueRec> = p.file_issues.iter().map(IssueRec::from).collect();
        put.execute(params!["file_issues", json(&recs)?])?;
        m.file_issues = Some(p.file_issues.to_vec());
        n += 1;
    }
    for (key, field, value) in [
        (
            "redirect_pattern",
            &mut m.redirect_pattern,
            &p.execution.redirect_pattern,
        ),
        (
            "notice_template",
            &mut m.notice_template,
            &p.execution.notice_template,
        ),
    ] {
        if field.as_ref() != Some(value) {
            put.execute(params![key, value])?;
            *field = Some(value.clone());
            n += 1;
        }
    }
    Ok(n)
}

fn write_sites(
    tx: &Transaction<'_>,
    written: &mut Option<Vec<u64>>,
    sites: &[crate::inventory::Site],
) -> rusqlite::Result<usize> {
    let mut buf = String::new();
    let fresh: Vec<u64> = sites.iter().map(fingerprint).collect();
    let count = match written {
        Some(old) if old.len() == sites.len() => {
            let sets: Vec<String> = COLUMNS
                .iter()
                .enumerate()
                .map(|(i, c)| format!("{c} = ?{}", i + 2))
                .collect();
            let mut update = tx.prepare(&format!(
                "UPDATE sites SET {} WHERE pos = ?1",
                sets.join(", ")
            ))?;
            let mut n = 0;
            for (i, (was, now)) in old.iter().zip(&fresh).enumerate() {
                if was != now {
                    write_site(&mut update, i, &sites[i], &mut buf)?;
                    n += 1;
                }
            }
            n
        }
        _ => {
            tx.execute("DELETE FROM sites", [])?;
            let marks: Vec<String> = (1..=COLUMNS.len() + 1).map(|i| format!("?{i}")).collect();
            let mut insert = tx.prepare(&format!(
                "INSERT INTO sites (pos, {}) VALUES ({})",
                COLUMNS.join(", "),
                marks.join(", ")
            ))?;
            for (i, s) in sites.iter().enumerate() {
                write_site(&mut insert, i, s, &mut buf)?;
            }
            sites.len()
        }
    };
    *written = Some(fresh);
    Ok(count)
}

/// Brings a table keyed by site id from `old` to `new`: rows whose
/// value changed are replaced, rows of sites no longer listed removed
/// (with `old` unknown, every row is removed first). When a list names a
/// site twice, the later entry stands.
///
/// Only the part between what the two lists begin and end with alike is
/// compared by key (an edit changes a decision or two among thousands),
/// unless a site named there is also named outside it.
fn sync_keyed<T: PartialEq + Clone>(
    old: &mut Option<Vec<T>>,
    new: &[T],
    key: impl Fn(&T) -> &str,
    mut put: impl FnMut(&T) -> rusqlite::Result<()>,
    mut delete: impl FnMut(Option<&str>) -> rusqlite::Result<()>,
) -> rusqlite::Result<usize> {
    let Some(before) = old.as_mut() else {
        delete(None)?;
        let n = sync_by_key(&[], new, &key, &mut put, &mut delete)?;
        *old = Some(new.to_vec());
        return Ok(n);
    };
    let head = before.iter().zip(new).take_while(|(a, b)| a == b).count();
    if head == before.len() && head == new.len() {
        return Ok(0);
    }
    let tail = before[head..]
        .iter()
        .rev()
        .zip(new[head..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let (was, now) = (
        &before[head..before.len() - tail],
        &new[head..new.len() - tail],
    );
    let changed: rustc_hash::FxHashSet<&str> = was.iter().chain(now).map(&key).collect();
    let alike = new[..head].iter().chain(&new[new.len() - tail..]);
    let n = if alike.map(&key).any(|k| changed.contains(k)) {
        // A site named both in and out of the changed part: its row is
        // whichever entry comes last, so the lists are compared whole.
        sync_by_key(before, new, &key, &mut put, &mut delete)?
    } else {
        sync_by_key(was, now, &key, &mut put, &mut delete)?
    };
    let at = before.len() - tail;
    before.splice(head..at, now.iter().cloned());
    Ok(n)
}

/// Brings the rows of the sites `was` names to what `now` says: those
/// whose value differs are put, those `now` does not name are deleted.
fn sync_by_key<T: PartialEq>(
    was: &[T],
    now: &[T],
    key: &impl Fn(&T) -> &str,
    put: &mut impl FnMut(&T) -> rusqlite::Result<()>,
    delete: &mut impl FnMut(Option<&str>) -> rusqlite::Result<()>,
) -> rusqlite::Result<usize> {
    let was: FxHashMap<&str, &T> = was.iter().map(|t| (key(t), t)).collect();
    let now: FxHashMap<&str, &T> = now.iter().map(|t| (key(t), t)).collect();
    let mut n = 0;
    for (k, v) in &now {
        if was.get(k) != Some(v) {
            put(v)?;
            n += 1;
        }
    }
    for k in was.keys() {
        if !now.contains_key(k) {
            delete(Some(k))?;
            n += 1;
        }
    }
    Ok(n)
}

fn write_decisions(
    tx: &Transaction<'_>,
    layer: &str,
    old: &mut Option<Vec<ManualDecision>>,
    new: &[ManualDecision],
) -> rusqlite::Result<usize> {
    if old.as_deref() == Some(new) {
        return Ok(0);
    }
    let mut put = tx.prepare(
        "INSERT OR REPLACE INTO decisions (layer, site_id, action, target_id) VALUES (?1, ?2, ?3, ?4)",
    )?;
    let mut del = tx.prepare("DELETE FROM decisions WHERE layer = ?1 AND site_id = ?2")?;
    let mut clear = tx.prepare("DELETE FROM decisions WHERE layer = ?1")?;
    sync_keyed(
        old,
        new,
        |d| &d.site_id,
        |d| {
            put.execute(params![layer, d.site_id, action_key(d), d.target_id])
                .map(drop)
        },
        |k| match k {
            Some(k) => del.execute(params![layer, k]).map(drop),
            None => clear.execute([layer]).map(drop),
        },
    )
}

/// `keep` or `merge`.
pub(super) fn action_key(d: &ManualDecision) -> &'static str {
    match d.decision {
        crate::plan::Action::Keep => "keep",
        crate::plan::Action::Merge => "merge",
    }
}

fn write_keyed<T: PartialEq + Clone>(
    tx: &Transaction<'_>,
    table: &str,
    old: &mut Option<Vec<T>>,
    new: &[T],
    key: impl Fn(&T) -> &str,
    values: impl Fn(&T) -> Vec<String>,
    columns: &[&str],
) -> rusqlite::Result<usize> {
    if old.as_deref() == Some(new) {
        return Ok(0);
    }
    let marks: Vec<String> = (2..=columns.len() + 1).map(|i| format!("?{i}")).collect();
    let mut put = tx.prepare(&format!(
        "INSERT OR REPLACE INTO {table} (site_id, {}) VALUES (?1, {})",
        columns.join(", "),
        marks.join(", ")
    ))?;
    let mut del = tx.prepare(&format!("DELETE FROM {table} WHERE site_id = ?1"))?;
    sync_keyed(
        old,
        new,
        &key,
        |t| {
            let mut row: Vec<String> = vec![key(t).to_string()];
            row.extend(values(t));
            put.execute(rusqlite::params_from_iter(row)).map(drop)
        },
        |k| match k {
            Some(k) => del.execute([k]).map(drop),
            None => tx.execute(&format!("DELETE FROM {table}"), []).map(drop),
        },
    )
}

fn write_statuses(
    tx: &Transaction<'_>,
    old: &mut Option<Vec<StatusChange>>,
    new: &[StatusChange],
) -> rusqlite::Result<usize> {
    if old.as_deref() == Some(new) {
        return Ok(0);
    }
    let from = if let Some(old) = old.as_deref()
        && new.starts_with(old)
    {
        old.len()
    } else {
        tx.execute("DELETE FROM statuses", [])?;
        0
    };
    let mut insert = tx.prepare(
        "INSERT INTO statuses (seq, site_id, status, date, person, note) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for (i, c) in new.iter().enumerate().skip(from) {
        insert.execute(params![
            i as i64,
            c.site_id,
            c.status,
            c.date.to_string(),
            c.person,
            c.note
        ])?;
    }
    *old = Some(new.to_vec());
    Ok(new.len() - from)
}

fn write_audit(
    tx: &Transaction<'_>,
    mark: &mut Option<LogMark<AuditEntry>>,
    new: &[AuditEntry],
) -> rusqlite::Result<usize> {
    let from = if let Some(m) = mark.as_ref()
        && m.continues(new)
    {
        if new.len() == m.len {
            return Ok(0);
        }
        m.len
    } else {
        tx.execute("DELETE FROM audit", [])?;
        0
    };
    let mut insert = tx.prepare(
        "INSERT INTO audit (seq, time, person, action, site_id, before, after, reason) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    for (i, e) in new.iter().enumerate().skip(from) {
        insert.execute(params![
            i as i64,
            e.time,
            e.person,
            e.action.key(),
            e.site_id,
            e.before,
            e.after,
            e.reason
        ])?;
    }
    *mark = Some(LogMark::of(new));
    Ok(new.len() - from)
}

fn write_scenarios(
    tx: &Transaction<'_>,
    old: &mut Option<Vec<Scenario>>,
    new: &[Scenario],
) -> rusqlite::Result<usize> {
    if old.as_deref() == Some(new) {
        return Ok(0);
    }
    let before: &[Scenario] = match old.as_deref() {
        Some(v) => v,
        None => {
            tx.execute("DELETE FROM scenarios", [])?;
            tx.execute("DELETE FROM scenario_decisions", [])?;
            &[]
        }
    };
    let mut del = tx.prepare("DELETE FROM scenarios WHERE pos = ?1")?;
    let mut del_decisions = tx.prepare("DELETE FROM scenario_decisions WHERE scenario = ?1")?;
    let mut put =
        tx.prepare("INSERT INTO scenarios (pos, name, rules, params) VALUES (?1, ?2, ?3, ?4)")?;
    let mut put_decision = tx.prepare(
        "INSERT INTO scenario_decisions (scenario, layer, seq, site_id, action, target_id) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    let mut n = 0;
    for i in 0..before.len().max(new.len()) {
        if before.get(i) == new.get(i) && old.is_some() {
            continue;
        }
        n += 1;
        del.execute([i as i64])?;
        del_decisions.execute([i as i64])?;
        let Some(s) = new.get(i) else { continue };
        put.execute(params![i as i64, s.name, json(&s.rules)?, json(&s.params)?])?;
        for (layer, list) in [("manual", &s.manual), ("optimizer", &s.optimized)] {
            for (k, d) in list.iter().enumerate() {
                put_decision.execute(params![
                    i as i64,
                    layer,
                    k as i64,
                    d.site_id,
                    action_key(d),
                    d.target_id
                ])?;
            }
        }
    }
    *old = Some(new.to_vec());
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_log_continues_only_what_was_written() {
        let list: Vec<u32> = (0..1000).collect();
        let mark = LogMark::of(&list);
        assert_eq!(mark.len, 1000);
        // The last entry, those 2, 4, 8… back, and the first.
        assert!(mark.samples.len() <= 12);
        assert!(mark.samples.iter().any(|(i, _)| *i == 0));
        let mut longer = list.clone();
        longer.extend(1000..1010);
        assert!(mark.continues(&list));
        assert!(mark.continues(&longer));
        // Shorter, or with its last entry (or first) replaced: not the same trail.
        assert!(!mark.continues(&list[..999]));
        let mut changed = longer.clone();
        changed[999] = 7;
        assert!(!mark.continues(&changed));
        changed = longer;
        changed[0] = 7;
        assert!(!mark.continues(&changed));
        assert!(LogMark::<u32>::of(&[]).continues(&[1, 2]));
    }
}
