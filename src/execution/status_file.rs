//! Progress sheets: the closure statuses a prefecture sends back, one line
//! per change, read against the inventory, the plan's decisions and the
//! project's workflow.
//!
//! ```text
//! 网站标识码,状态,日期,备注,填报人
//! T1,已批准,2027-03-01,市政府批复,李四
//! T2,offline,2027/3/15,,
//! ```
//!
//! The file is a side table ([`crate::inventory::read_table`]): CSV in
//! UTF-8 or GBK, or a workbook; the header is the first row naming the
//! site id, in Chinese or English, with the columns
//!
//! | column | headers | |
//! |---|---|---|
//! | site id | as in the inventory (`site_id`, `网站标识码`, `编号`…) | required |
//! | status | `status`, `状态`, `进度`, `关停进度`, `当前状态` | required: a key or a name of the workflow, in either language, or another word for a default status (`公告已发布`, `已关停`, `closed`…: [`crate::execution::workflow::SYNONYMS`]) |
//! | date | `date`, `日期`, `完成日期`, `变更日期` | required: `2027-03-15`, `2027/3/15`, `2027年3月15日`, an Excel date |
//! | note | `note`, `备注`, `说明` | |
//! | person | `person`, `填报人`, `经办人` | who recorded it; else the person importing |
//!
//! Every line is either recorded as a [`StatusChange`] or reported with
//! its line, column and why, in both languages; nothing is skipped without
//! a word:
//!
//! - errors (the line is not recorded): no site id, a site not in the
//!   inventory, a site the plan keeps (it has no closure), no status or
//!   one the workflow does not list (the message lists those it does), no
//!   date or one that does not read, a date after tomorrow (a date in the
//!   future is almost always a mistyped year, and as the latest change it
//!   would hide every real one; tomorrow is allowed, for a prefecture a
//!   time zone ahead). A line with several problems has each reported.
//! - notices (warnings; the line is not recorded again): a change already
//!   recorded (same site, status, date and note), or a line repeating an
//!   earlier line of the file. Importing a sheet twice records it once.
//! - warnings (the line is recorded): a status that goes back in the
//!   procedure (offline, then approved on a later day).

use std::collections::{HashMap, HashSet};
use std::path::Path;

use crate::diag::FileIssue;
use crate::i18n::{Lang, Text};
use crate::inventory::{
    ImportError, Inventory, RawRow, RawTable, TableOptions, excerpt, normalize_header, quoted_list,
    read_table,
};
use crate::outcome::is_merged;
use crate::plan::Decision;

use super::{AuditAction, AuditEntry, Date, Execution, StatusChange, Workflow};

/// Headers of the status column.
pub const STATUS_HEADERS: &[&str] = &["status", "状态", "进度", "关停进度", "当前状态", "关停状态"];
/// Headers of the date column.
pub const DATE_HEADERS: &[&str] = &["date", "日期", "完成日期", "变更日期", "status_date"];
/// Headers of the note column.
pub const NOTE_HEADERS: &[&str] = &["note", "notes", "备注", "说明"];
/// Headers of the person column.
pub const PERSON_HEADERS: &[&str] = &["person", "填报人", "经办人"];

/// What a progress sheet is read against.
#[derive(Clone, Copy, Debug)]
pub struct SheetContext<'a> {
    /// The inventory.
    pub inv: &'a Inventory,
    /// The plan's decision of every site (resolved: manual, optimizer,
    /// rules).
    pub decisions: &'a [Decision],
    /// The project's statuses.
    pub workflow: &'a Workflow,
    /// The changes already recorded.
    pub recorded: &'a [StatusChange],
    /// Who records the changes whose line names nobody.
    pub person: &'a str,
    /// Today: later dates (beyond tomorrow) are refused.
    pub today: Date,
}

/// A progress sheet, read: the changes to record and every line reported.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StatusSheet {
    /// The file, as named in messages.
    pub source: String,
    /// The changes to record, in file order.
    pub changes: Vec<StatusChange>,
    /// The line of each change.
    pub lines: Vec<u64>,
    /// Lines not recorded, notices and warnings, in file order.
    pub issues: Vec<FileIssue>,
    /// Data lines read.
    pub read: usize,
    /// Lines refused (each with at least one error in `issues`).
    pub rejected: usize,
    /// Lines not recorded because the change is recorded already (or an
    /// earlier line of the file gives it).
    pub already_recorded: usize,
}

impl StatusSheet {
    /// Lines recorded.
    pub fn applied(&self) -> usize {
        self.changes.len()
    }

    /// Warnings about lines that were recorded all the same.
    pub fn warnings(&self) -> usize {
        let notices = self.issues.iter().filter(|i| !i.is_error).count();
        notices.saturating_sub(self.already_recorded)
    }

    /// One line: what was recorded, refused and skipped.
    pub fn summary(&self, lang: Lang) -> String {
        let warnings = self.warnings();
        match lang {
            Lang::Zh => {
                let mut s = format!(
                    "{}：读取 {} 行，记录 {} 条状态变更，{} 行未导入",
                    self.source,
                    self.read,
                    self.applied(),
                    self.rejected
                );
                if self.already_recorded > 0 {
                    s.push_str(&format!(
                        "，{} 行已有记录（未重复记录）",
                        self.already_recorded
                    ));
                }
                if warnings > 0 {
                    s.push_str(&format!("，{warnings} 个警告"));
                }
                s
            }
            Lang::En => {
                let mut s = format!(
                    "{}: {} line(s) read, {} status change(s) recorded, {} line(s) rejected",
                    self.source,
                    self.read,
                    self.applied(),
                    self.rejected
                );
                if self.already_recorded > 0 {
                    s.push_str(&format!(
                        ", {} already recorded (not recorded again)",
                        self.already_recorded
                    ));
                }
                if warnings > 0 {
                    s.push_str(&format!(", {warnings} warning(s)"));
                }
                s
            }
        }
    }
}

/// Why a progress sheet could not be used at all.
#[derive(Debug, thiserror::Error)]
pub enum StatusFileError {
    /// The file could not be read as a table.
    #[error(transparent)]
    Read(#[from] ImportError),
    /// It is a table, but not a progress sheet (a required column missing).
    #[error("{}", .0.render(Lang::En))]
    Content(FileIssue),
}

impl StatusFileError {
    /// The message in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            StatusFileError::Read(e) => e.message(lang),
            StatusFileError::Content(issue) => issue.render(lang),
        }
    }
}

/// Reads a progress sheet from a file (see the module documentation).
pub fn read_status_file(
    path: &Path,
    opts: &TableOptions,
    ctx: &SheetContext<'_>,
) -> Result<StatusSheet, StatusFileError> {
    let table = read_table(path, opts)?;
    parse_status_table(&table, ctx).map_err(StatusFileError::Content)
}

fn header_in(h: &str, names: &[&str]) -> bool {
    let k = normalize_header(h);
    !k.is_empty() && names.iter().any(|n| normalize_header(n) == k)
}

/// The columns of a progress sheet.
struct Columns {
    site: usize,
    status: usize,
    date: usize,
    note: Option<usize>,
    person: Option<usize>,
}

fn columns(table: &RawTable) -> Result<Columns, FileIssue> {
    let site = table.column(crate::inventory::is_site_id_header);
    let status = table.column(|h| header_in(h, STATUS_HEADERS));
    let date = table.column(|h| header_in(h, DATE_HEADERS));
    let (Some(site), Some(status), Some(date)) = (site, status, date) else {
        let missing = |lang: Lang| -> String {
            let names: Vec<&str> = [
                (site, lang.pick("网站标识码", "site_id")),
                (status, lang.pick("状态", "status")),
                (date, lang.pick("日期", "date")),
            ]
            .into_iter()
            .filter(|(c, _)| c.is_none())
            .map(|(_, n)| n)
            .collect();
            names.join(lang.pick("、", ", "))
        };
        return Err(FileIssue::error(
            &table.source,
            table.header_line,
            Text::new(
                format!(
                    "进度表需要“网站标识码”“状态”“日期”三列（可另有“备注”“填报人”），缺少：{}；文件中的列为：{}",
                    missing(Lang::Zh),
                    quoted_list(&table.header, Lang::Zh)
                ),
                format!(
                    "a progress sheet needs site_id, status and date columns (note and person optional); missing: {}. The file's columns: {}",
                    missing(Lang::En),
                    quoted_list(&table.header, Lang::En)
                ),
            ),
        ));
    };
    Ok(Columns {
        site,
        status,
        date,
        note: table.column(|h| header_in(h, NOTE_HEADERS)),
        person: table.column(|h| header_in(h, PERSON_HEADERS)),
    })
}

/// The statuses of a workflow, listed for a message.
fn valid_statuses(workflow: &Workflow, lang: Lang) -> String {
    let names: Vec<String> = workflow
        .stages
        .iter()
        .map(|s| match lang {
            Lang::Zh => format!("{}（{}）", s.zh, s.key),
            Lang::En => format!("{} ({})", s.key, s.en),
        })
        .collect();
    names.join(lang.pick("、", ", "))
}

/// The day after `d`.
fn next_day(d: Date) -> Date {
    Date::new(d.year(), d.month(), d.day() + 1)
        .or_else(|| Date::new(d.year(), d.month() + 1, 1))
        .or_else(|| Date::new(d.year() + 1, 1, 1))
        .unwrap_or(d)
}

/// A change, as compared to find one already recorded.
type ChangeKey = (String, String, Date, String);

fn key_of(c: &StatusChange) -> ChangeKey {
    (c.site_id.clone(), c.status.clone(), c.date, c.note.clone())
}

/// Each site's latest change (by date; of changes on one day, the one
/// recorded last), as the place of its status: the rule of
/// [`super::tracking::current`].
struct Latest<'w> {
    workflow: &'w Workflow,
    by_site: HashMap<String, (Date, String)>,
}

impl<'w> Latest<'w> {
    fn new(workflow: &'w Workflow, changes: &[StatusChange]) -> Self {
        let mut latest = Latest {
            workflow,
            by_site: HashMap::new(),
        };
        for c in changes {
            latest.take(c);
        }
        latest
    }

    /// The status key of `site` now ("" for none).
    fn status(&self, site: &str) -> &str {
        self.by_site.get(site).map_or("", |(_, s)| s.as_str())
    }

    /// When `c` becomes the site's latest: the status it replaces, if it
    /// comes earlier in the procedure.
    fn goes_back(&self, c: &StatusChange) -> Option<usize> {
        let (date, status) = self.by_site.get(&c.site_id)?;
        let was = self.workflow.find(status)?;
        let now = self.workflow.find(&c.status)?;
        (c.date >= *date && now < was).then_some(was)
    }

    fn take(&mut self, c: &StatusChange) {
        let newer = self
            .by_site
            .get(&c.site_id)
            .is_none_or(|(date, _)| *date <= c.date);
        if newer {
            self.by_site
                .insert(c.site_id.clone(), (c.date, c.status.clone()));
        }
    }
}

/// Reads the lines of a progress sheet (see the module documentation).
/// Fails as a whole only when the site id, status or date column is
/// missing.
pub fn parse_status_table(
    table: &RawTable,
    ctx: &SheetContext<'_>,
) -> Result<StatusSheet, FileIssue> {
    let cols = columns(table)?;
    let mut sheet = StatusSheet {
        source: table.source.clone(),
        issues: table.issues.clone(),
        ..Default::default()
    };
    if table.rows.is_empty() {
        sheet.issues.push(FileIssue::warning(
            &table.source,
            table.header_line,
            Text::new(
                "表头之下没有数据行，没有记录任何状态变更",
                "there are no lines under the header: no status change recorded",
            ),
        ));
        return Ok(sheet);
    }
    let recorded: HashSet<ChangeKey> = ctx.recorded.iter().map(key_of).collect();
    let mut latest = Latest::new(ctx.workflow, ctx.recorded);
    let mut in_file: HashMap<ChangeKey, u64> = HashMap::new();
    let latest_allowed = next_day(ctx.today);
    for row in &table.rows {
        sheet.read += 1;
        let before = sheet.issues.len();
        let change = read_line(table, row, &cols, ctx, latest_allowed, &mut sheet.issues);
        let Some(change) = change else {
            if sheet.issues[before..].iter().any(|i| i.is_error) {
                sheet.rejected += 1;
            }
            continue;
        };
        let id_q = excerpt(&change.site_id);
        let notice = |zh: String, en: String| {
            let mut issue = FileIssue::warning(&table.source, row.line, Text::new(zh, en));
            issue.column = Some(cols.status + 1);
            issue
        };
        let key = key_of(&change);
        let label = |lang| ctx.workflow.label(&change.status, lang).to_string();
        if recorded.contains(&key) {
            sheet.issues.push(notice(
                format!(
                    "网站“{id_q}”于 {} 变为“{}”已有记录，未重复记录",
                    change.date,
                    label(Lang::Zh)
                ),
                format!(
                    "site \"{id_q}\" becoming \"{}\" on {} is already recorded; not recorded again",
                    label(Lang::En),
                    change.date
                ),
            ));
            sheet.already_recorded += 1;
            continue;
        }
        if let Some(first) = in_file.get(&key) {
            sheet.issues.push(notice(
                format!("与第 {first} 行相同，未重复记录"),
                format!("the same as line {first}; not recorded again"),
            ));
            sheet.already_recorded += 1;
            continue;
        }
        if let Some(was) = latest.goes_back(&change) {
            let stage = &ctx.workflow.stages[was];
            sheet.issues.push(notice(
                format!(
                    "网站“{id_q}”的状态从“{}”退回“{}”，已记录；如有误请更正",
                    stage.zh,
                    label(Lang::Zh)
                ),
                format!(
                    "site \"{id_q}\" goes back from \"{}\" to \"{}\"; recorded (correct it if this is a mistake)",
                    stage.en,
                    label(Lang::En)
                ),
            ));
        }
        in_file.insert(key, row.line);
        latest.take(&change);
        sheet.changes.push(change);
        sheet.lines.push(row.line);
    }
    Ok(sheet)
}

/// One line as a change, or `None` with its errors added to `issues`.
fn read_line(
    table: &RawTable,
    row: &RawRow,
    cols: &Columns,
    ctx: &SheetContext<'_>,
    latest_allowed: Date,
    issues: &mut Vec<FileIssue>,
) -> Option<StatusChange> {
    let mut fail = |col: usize, zh: String, en: String| {
        let mut issue = FileIssue::error(&table.source, row.line, Text::new(zh, en));
        issue.column = Some(col + 1);
        issues.push(issue);
    };
    // Sitefold's own files neutralise formula-like ids; read them back.
    let id = crate::export::unneutralise(row.cell(cols.site));
    let id_q = excerpt(id);
    let mut ok = true;
    if id.is_empty() {
        fail(
            cols.site,
            "缺少网站标识码，该行未导入".into(),
            "no site id; line not imported".into(),
        );
        ok = false;
    } else {
        match ctx.inv.find(id) {
            None => {
                fail(
                    cols.site,
                    format!("网站“{id_q}”不在清单中，该行未导入"),
                    format!("site \"{id_q}\" is not in the inventory; line not imported"),
                );
                ok = false;
            }
            Some(i) if !is_merged(ctx.inv, ctx.decisions, i) => {
                fail(
                    cols.site,
                    format!("网站“{id_q}”在方案中保留、不关停，没有关停进度可记录，该行未导入"),
                    format!(
                        "site \"{id_q}\" is kept by the plan, not closing: it has no closure progress; line not imported"
                    ),
                );
                ok = false;
            }
            Some(_) => {}
        }
    }
    let raw_status = row.cell(cols.status);
    let stage = ctx.workflow.find(raw_status);
    if stage.is_none() {
        let (zh, en) = if raw_status.is_empty() {
            ("缺少状态".to_string(), "no status".to_string())
        } else {
            let q = excerpt(raw_status);
            (
                format!("状态“{q}”无法识别"),
                format!("\"{q}\" is not a status"),
            )
        };
        fail(
            cols.status,
            format!(
                "{zh}，该行未导入；可填：{}",
                valid_statuses(ctx.workflow, Lang::Zh)
            ),
            format!(
                "{en}; line not imported. Statuses: {}",
                valid_statuses(ctx.workflow, Lang::En)
            ),
        );
        ok = false;
    }
    let raw_date = row.cell(cols.date);
    let date = Date::parse(raw_date);
    match date {
        None if raw_date.is_empty() => {
            fail(
                cols.date,
                "缺少日期，该行未导入（请填写状态变更的日期，如 2027-03-15）".into(),
                "no date; line not imported (write the day the status changed, e.g. 2027-03-15)"
                    .into(),
            );
            ok = false;
        }
        None => {
            let q = excerpt(raw_date);
            fail(
                cols.date,
                format!(
                    "日期“{q}”无法识别，该行未导入（可写 2027-03-15、2027/3/15 或 2027年3月15日）"
                ),
                format!(
                    "\"{q}\" is not a date; line not imported (write 2027-03-15, 2027/3/15 or 2027年3月15日)"
                ),
            );
            ok = false;
        }
        Some(d) if d > latest_allowed => {
            fail(
                cols.date,
                format!("日期 {d} 晚于今天（{}），该行未导入；请检查年份", ctx.today),
                format!(
                    "the date {d} is after today ({}); line not imported: check the year",
                    ctx.today
                ),
            );
            ok = false;
        }
        Some(_) => {}
    }
    let (Some(stage), Some(date), true) = (stage, date, ok) else {
        return None;
    };
    let person = cols
        .person
        .map(|c| row.cell(c))
        .filter(|p| !p.is_empty())
        .unwrap_or(ctx.person);
    Some(StatusChange {
        site_id: id.to_string(),
        status: ctx.workflow.stages[stage].key.clone(),
        date,
        person: person.to_string(),
        note: cols
            .note
            .map(|c| row.cell(c).to_string())
            .unwrap_or_default(),
    })
}

/// One change typed by hand (`sitefold status --set`), checked as a line
/// of a sheet is; `source` names it in messages (`--set`). Without a
/// date, today.
pub fn one_change(
    source: &str,
    site_id: &str,
    status: &str,
    date: Option<&str>,
    note: &str,
    ctx: &SheetContext<'_>,
) -> StatusSheet {
    let today = ctx.today.to_string();
    let table = RawTable {
        source: source.to_string(),
        header: ["site_id", "status", "date", "note"]
            .map(String::from)
            .to_vec(),
        rows: vec![RawRow {
            line: 0,
            cells: [site_id, status, date.unwrap_or(&today), note]
                .map(|c| c.trim().to_string())
                .to_vec(),
        }],
        ..Default::default()
    };
    match parse_status_table(&table, ctx) {
        Ok(sheet) => sheet,
        // The columns are there: not reached.
        Err(issue) => StatusSheet {
            source: source.to_string(),
            issues: vec![issue],
            read: 1,
            rejected: 1,
            ..Default::default()
        },
    }
}

impl Execution {
    /// Records changes: each appended to the statuses with an audit entry
    /// (the site's status before, the new one with its date, the note as
    /// the reason, by the change's person).
    pub fn record_changes(&mut self, changes: &[StatusChange]) {
        let mut latest = Latest::new(&self.workflow, &self.statuses);
        let mut entries = Vec::with_capacity(changes.len());
        for c in changes {
            let before = latest.status(&c.site_id).to_string();
            entries.push(
                AuditEntry::now(&c.person, AuditAction::Status)
                    .site(&c.site_id)
                    .change(before, format!("{} {}", c.status, c.date))
                    .reason(c.note.clone()),
            );
            latest.take(c);
        }
        self.statuses.extend_from_slice(changes);
        self.audit.extend(entries);
    }

    /// Records a progress sheet's changes ([`Execution::record_changes`])
    /// and, when it recorded any, one entry for the import by `person`
    /// naming the file and what it gave (in `lang`). Returns the number
    /// of changes recorded.
    pub fn apply_status_sheet(&mut self, sheet: &StatusSheet, person: &str, lang: Lang) -> usize {
        if sheet.changes.is_empty() {
            return 0;
        }
        self.record_changes(&sheet.changes);
        self.audit.push(sheet.import_entry(person, lang));
        sheet.applied()
    }
}

impl StatusSheet {
    /// The audit entry of importing this sheet, by `person`: the file and
    /// what it gave (in `lang`).
    pub fn import_entry(&self, person: &str, lang: Lang) -> AuditEntry {
        let sheet = self;
        let reason = match lang {
            Lang::Zh => format!(
                "进度表：记录 {} 条，{} 行未导入，{} 行已有记录",
                sheet.applied(),
                sheet.rejected,
                sheet.already_recorded
            ),
            Lang::En => format!(
                "progress sheet: {} recorded, {} line(s) rejected, {} already recorded",
                sheet.applied(),
                sheet.rejected,
                sheet.already_recorded
            ),
        };
        AuditEntry::now(person, AuditAction::Import)
            .change("", sheet.source.clone())
            .reason(reason)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::{Level, Site};

    fn inv() -> Inventory {
        let mut sites = vec![Site::new("P", Level::Province)];
        for (id, parent, level) in [
            ("C", "P", Level::Prefecture),
            ("T1", "C", Level::Township),
            ("T2", "C", Level::Township),
        ] {
            let mut s = Site::new(id, level);
            s.parent_id = parent.into();
            sites.push(s);
        }
        Inventory::link(sites).0
    }

    fn day(s: &str) -> Date {
        Date::parse(s).expect("a date")
    }

    fn table(rows: &[&[&str]]) -> RawTable {
        RawTable {
            source: "p.csv".into(),
            header: ["编号", "进度", "完成日期", "说明"]
                .map(String::from)
                .to_vec(),
            header_line: 1,
            rows: rows
                .iter()
                .enumerate()
                .map(|(k, cells)| RawRow {
                    line: k as u64 + 2,
                    cells: cells.iter().map(|c| c.to_string()).collect(),
                })
                .collect(),
            ..Default::default()
        }
    }

    #[test]
    fn lines_are_recorded_or_reported() {
        let inv = inv();
        let m = Decision::Merge { target: None };
        let decisions = [m, Decision::Keep, m, m];
        let workflow = Workflow::default();
        let recorded = vec![StatusChange {
            site_id: "T2".into(),
            status: "offline".into(),
            date: day("2027-03-01"),
            person: "li".into(),
            note: String::new(),
        }];
        let ctx = SheetContext {
            inv: &inv,
            decisions: &decisions,
            workflow: &workflow,
            recorded: &recorded,
            person: "wang",
            today: day("2027-03-31"),
        };
        let t = table(&[
            &["T1", "已批准", "2027/3/2", "批复"],
            &["T2", "Offline", "2027-03-01"],
            &["T1", "approved", "2027-03-02", "批复"],
            &["T2", "approved", "2027-03-10"],
            &["C", "done", "2027-03-10"],
            &["P", "done", "2027-04-02"],
            &["T9", "gone", ""],
            &["", "", "x"],
            &["T1", "done", "2027-04-02"],
        ]);
        let s = parse_status_table(&t, &ctx).expect("columns found");
        let found: Vec<(u64, Option<usize>, bool)> = s
            .issues
            .iter()
            .map(|i| (i.line, i.column, i.is_error))
            .collect();
        assert_eq!(
            found,
            vec![
                (3, Some(2), false),
                (4, Some(2), false),
                (5, Some(2), false),
                (6, Some(1), true),
                (7, Some(1), true),
                (7, Some(3), true),
                (8, Some(1), true),
                (8, Some(2), true),
                (8, Some(3), true),
                (9, Some(1), true),
                (9, Some(2), true),
                (9, Some(3), true),
                (10, Some(3), true),
            ],
            "{:#?}",
            s.issues
        );
        assert_eq!(s.lines, vec![2, 5]);
        assert_eq!(
            (s.read, s.applied(), s.rejected, s.already_recorded),
            (9, 2, 5, 2)
        );
        assert_eq!(s.warnings(), 1);
        assert_eq!(s.changes[0].status, "approved");
        assert_eq!(s.changes[0].person, "wang");
        assert_eq!(s.changes[0].note, "批复");
        assert!(
            s.issues[0].en.contains("already recorded"),
            "{}",
            s.issues[0].en
        );
        assert!(s.issues[1].en.contains("the same as line 2"));
        assert!(
            s.issues[2].zh.contains("从“已下线”退回“已批准”"),
            "{}",
            s.issues[2].zh
        );
        assert!(s.issues[3].en.contains("kept by the plan"));
        assert!(
            s.issues[4].en.contains("kept by the plan"),
            "a top site never closes"
        );
        assert!(s.issues[5].en.contains("after today (2027-03-31)"));
        assert!(s.issues[6].en.contains("\"T9\" is not in the inventory"));
        assert!(
            s.issues[7].en.contains("\"gone\" is not a status")
                && s.issues[7].en.contains("offline (Offline)"),
            "{}",
            s.issues[7].en
        );
        assert!(s.issues[7].zh.contains("已下线（offline）"));
        assert!(s.issues[8].en.contains("no date"));
        assert!(s.issues[9].en.contains("no site id"));
        assert!(s.issues[11].en.contains("\"x\" is not a date"));
        assert!(s.issues[12].en.contains("after today"));
        assert_eq!(
            s.summary(Lang::En),
            "p.csv: 9 line(s) read, 2 status change(s) recorded, 5 line(s) rejected, 2 already recorded (not recorded again), 1 warning(s)"
        );
    }

    #[test]
    fn tomorrow_is_allowed_and_the_person_column_wins() {
        let inv = inv();
        let m = Decision::Merge { target: None };
        let decisions = [m, m, m, m];
        let workflow = Workflow::default();
        let ctx = SheetContext {
            inv: &inv,
            decisions: &decisions,
            workflow: &workflow,
            recorded: &[],
            person: "wang",
            today: day("2027-12-31"),
        };
        let mut t = table(&[
            &["T1", "notice", "2028-01-01", "", "赵六"],
            &["T2", "notice", "2027-12-31"],
        ]);
        t.header.push("填报人".into());
        let s = parse_status_table(&t, &ctx).expect("columns");
        assert!(s.issues.is_empty(), "{:?}", s.issues);
        assert_eq!(s.changes[0].person, "赵六");
        assert_eq!(s.changes[1].person, "wang");
        assert_eq!(next_day(day("2028-02-28")), day("2028-02-29"));
        assert_eq!(next_day(day("2027-02-28")), day("2027-03-01"));
    }

    #[test]
    fn a_sheet_without_its_columns_fails_as_a_whole() {
        let inv = inv();
        let workflow = Workflow::default();
        let ctx = SheetContext {
            inv: &inv,
            decisions: &[],
            workflow: &workflow,
            recorded: &[],
            person: "wang",
            today: day("2027-12-31"),
        };
        let mut t = table(&[]);
        t.header = vec!["网站标识码".into(), "状态".into(), "备注".into()];
        let e = parse_status_table(&t, &ctx).expect_err("no date column");
        assert!(e.en.contains("missing: date."), "{}", e.en);
        assert!(e.zh.contains("缺少：日期；"), "{}", e.zh);
        assert_eq!(e.line, 1);
        t.header[2] = "日期".into();
        let s = parse_status_table(&t, &ctx).expect("columns");
        assert!(s.issues[0].en.contains("no lines under the header"));
    }

    #[test]
    fn applying_records_audit_entries() {
        let mut ex = Execution::default();
        let c = |site: &str, status: &str, date: &str| StatusChange {
            site_id: site.into(),
            status: status.into(),
            date: day(date),
            person: "li".into(),
            note: "n".into(),
        };
        ex.statuses.push(c("T1", "approved", "2027-01-05"));
        let sheet = StatusSheet {
            source: "p.csv".into(),
            changes: vec![
                c("T1", "migrated", "2027-02-01"),
                c("T1", "notice", "2027-03-01"),
                c("T2", "planned", "2027-01-01"),
            ],
            lines: vec![2, 3, 4],
            read: 4,
            rejected: 1,
            ..Default::default()
        };
        assert_eq!(ex.apply_status_sheet(&sheet, "wang", Lang::En), 3);
        assert_eq!(ex.statuses.len(), 4);
        let rows: Vec<(AuditAction, &str, &str, &str, &str)> = ex
            .audit
            .iter()
            .map(|e| {
                (
                    e.action,
                    e.site_id.as_str(),
                    e.before.as_str(),
                    e.after.as_str(),
                    e.person.as_str(),
                )
            })
            .collect();
        assert_eq!(
            rows,
            vec![
                (
                    AuditAction::Status,
                    "T1",
                    "approved",
                    "migrated 2027-02-01",
                    "li"
                ),
                (
                    AuditAction::Status,
                    "T1",
                    "migrated",
                    "notice 2027-03-01",
                    "li"
                ),
                (AuditAction::Status, "T2", "", "planned 2027-01-01", "li"),
                (AuditAction::Import, "", "", "p.csv", "wang"),
            ]
        );
        assert_eq!(ex.audit[0].reason, "n");
        assert_eq!(
            ex.audit[3].reason,
            "progress sheet: 3 recorded, 1 line(s) rejected, 0 already recorded"
        );
        // Nothing recorded: no entry.
        let empty = StatusSheet::default();
        assert_eq!(ex.apply_status_sheet(&empty, "wang", Lang::En), 0);
        assert_eq!(ex.audit.len(), 4);
    }
}
