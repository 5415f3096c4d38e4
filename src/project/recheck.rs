//! Re-checking saved sites: a project's sites go through the importer's
//! checks again, because a project may have been edited by hand or
//! damaged, and its figures must be as trustworthy as an imported file's.

use crate::diag::FileIssue;
use crate::i18n::Lang;
use crate::inventory::{
    Column, Finding, ImportOptions, ImportReport, Severity, Site, import_table,
};

use super::ProjectError;

/// One saved site as the cells of a row, in [`Column::ALL`] order (15
/// cells), with the line it came from in the original file.
pub(super) struct SavedRow {
    pub line: u64,
    /// The file of an assembled inventory it came from (see
    /// [`crate::inventory::SourceFile`]).
    pub source: u32,
    pub cells: csv::StringRecord,
}

/// An inspection result as a cell (`pass`, `fail` or empty).
pub(super) fn passed_text(p: Option<bool>) -> &'static str {
    match p {
        Some(true) => "pass",
        Some(false) => "fail",
        None => "",
    }
}

/// Checks saved sites as an import checks a file: ids, levels, every
/// number, duplicates, parents. A project may have been edited by hand or
/// damaged, and its figures must be as trustworthy as an imported file's.
/// What the check finds beyond the saved import report is returned as
/// issues located in the project file (row = the site's position).
pub(super) fn recheck_sites(
    rows: Vec<SavedRow>,
    report: &mut ImportReport,
    name: &str,
) -> Result<(Vec<Site>, Vec<FileIssue>), ProjectError> {
    let header: Vec<String> = Column::ALL.iter().map(|c| c.key().to_string()).collect();
    let lines: Vec<(u64, u32)> = rows.iter().map(|r| (r.line, r.source)).collect();
    let records = rows
        .into_iter()
        .enumerate()
        .map(|(i, r)| (i as u64 + 1, r.cells));
    let checked =
        import_table(header, 0, records, name, &ImportOptions::default()).map_err(|e| {
            ProjectError::Damaged {
                path: name.to_string(),
                detail: e.message(Lang::En),
            }
        })?;
    let known: std::collections::HashSet<(Option<&str>, &Finding)> = report
        .issues
        .iter()
        .map(|i| (i.site_id.as_deref(), &i.finding))
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
                    && !known.contains(&(i.site_id.as_deref(), &i.finding))
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
    let mut sites = checked.inventory.into_sites();
    for s in &mut sites {
        (s.line, s.source) = lines.get(s.line as usize - 1).copied().unwrap_or_default();
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

/// A report for an inventory saved without one: every site read, nothing found.
pub(super) fn fresh_report(source: &str, sites: usize) -> ImportReport {
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
