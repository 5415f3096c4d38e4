//! Exports: the per-site plan and other tables for spreadsheets.

mod plan_table;
pub mod tables;
mod xlsx;

pub use plan_table::{PlanRow, plan_headers, plan_rows, write_plan_csv, write_plan_csv_with};
pub use tables::{
    Cell, SummaryTables, Table, issues_table, params_table, rules_table, summary_tables,
    write_csv_tables, write_issues_csv, write_summary_csv,
};
pub use xlsx::{
    ExportError, MAX_ROWS, PlanExport, money_format, plan_sheet_headers, plan_workbook,
    plan_workbook_with, save_plan_xlsx, save_plan_xlsx_with, sheet_names, write_plan_xlsx,
};

use std::borrow::Cow;

/// Neutralises a text cell that a spreadsheet would read as a formula
/// (starts with `=`, `+`, `-`, `@`, tab or carriage return) by putting an
/// apostrophe before it, as the CSV-injection guidance recommends.
pub fn neutralise(s: &str) -> Cow<'_, str> {
    match s.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => Cow::Owned(format!("'{s}")),
        _ => Cow::Borrowed(s),
    }
}

/// Undoes [`neutralise`] when reading back a file Sitefold wrote.
pub fn unneutralise(s: &str) -> &str {
    match s.strip_prefix('\'') {
        Some(rest)
            if matches!(
                rest.chars().next(),
                Some('=' | '+' | '-' | '@' | '\t' | '\r')
            ) =>
        {
            rest
        }
        _ => s,
    }
}

/// Writes `data` to `path` atomically (see [`crate::atomic`]): a
/// temporary file beside it, then a rename, so a failure never leaves a
/// half-written file or destroys the previous one.
pub fn write_atomic(path: &std::path::Path, data: &[u8]) -> std::io::Result<()> {
    crate::atomic::write_atomic(path, data)
}
