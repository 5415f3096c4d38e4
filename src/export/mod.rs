//! Exports: the per-site plan and other tables for spreadsheets.

pub mod execution_tables;
mod plan_table;
pub mod tables;
pub mod timeline_tables;
mod write;
mod xlsx;

pub use plan_table::{PlanRow, plan_headers, plan_rows, write_plan_csv, write_plan_csv_with};
pub use tables::{
    Cell, SummaryTables, Table, issues_table, params_table, rules_table, summary_tables,
    write_csv_tables, write_issues_csv, write_summary_csv,
};
pub use write::{FileExport, write_export};
pub use xlsx::{
    ExportError, MAX_ROWS, PlanExport, execution_sheet_names, money_format, plan_sheet_headers,
    plan_workbook, plan_workbook_with, save_notices_xlsx, save_plan_xlsx, save_plan_xlsx_with,
    sheet_names, write_plan_xlsx,
};

use std::borrow::Cow;

/// Neutralises a text cell that a spreadsheet would read as a formula
/// when it opens a CSV file (it starts with `=`, `+`, `-`, `@`, a tab or a
/// carriage return, or their full-width forms `＝ ＋ － ＠`, possibly behind
/// invisible characters such as a zero-width space) by putting an
/// apostrophe before it, as the CSV-injection guidance recommends.
/// Workbooks need none of this: their text cells are never formulas.
pub fn neutralise(s: &str) -> Cow<'_, str> {
    if starts_like_formula(s) {
        Cow::Owned(format!("'{s}"))
    } else {
        Cow::Borrowed(s)
    }
}

/// True when a spreadsheet could take `s` for a formula.
fn starts_like_formula(s: &str) -> bool {
    let first = s.chars().find(|c| !is_invisible(*c));
    matches!(
        first,
        Some('=' | '+' | '-' | '@' | '\t' | '\r' | '＝' | '＋' | '－' | '＠')
    ) || s.starts_with(['\t', '\r'])
}

/// Characters that show nothing and that spreadsheets skip before a formula.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}'
    )
}

/// Undoes [`neutralise`] when reading back a file Sitefold wrote.
pub fn unneutralise(s: &str) -> &str {
    match s.strip_prefix('\'') {
        Some(rest) if starts_like_formula(rest) => rest,
        _ => s,
    }
}
