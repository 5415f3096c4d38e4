//! What importing a file with a candidate [`Mapping`] would give, before
//! the planner commits to it: rows that import and rows rejected, the
//! first problems, and the distinct values of the level, kind and
//! inspection-result columns (for the value maps).
//!
//! ```no_run
//! use sitefold::inventory::{Column, Mapping, preview_path};
//! let mapping = Mapping::from(vec![Some(Column::SiteId), Some(Column::Level)]);
//! let p = preview_path("sites.csv".as_ref(), &mapping, None)?;
//! println!("{} rows will import, {} rejected", p.imported, p.rejected);
//! # Ok::<(), sitefold::inventory::ImportError>(())
//! ```
//!
//! The whole file is read (an import of 100,000 rows takes a moment: the
//! app runs this on a worker thread), so the counts are the import's own.

use std::path::Path;

use super::census::ValueCensus;
use super::import::{ImportOptions, Imported};
use super::mapping::Mapping;
use super::open::import_path;
use super::report::{Issue, Severity};
use super::source::ImportError;

/// Most problems a preview lists.
pub const PREVIEW_PROBLEMS: usize = 5;

/// What an import with a mapping would give.
#[derive(Clone, Debug, PartialEq)]
pub struct Preview {
    /// Data rows read (blank lines excluded).
    pub rows_read: usize,
    /// Rows that would import (sites).
    pub imported: usize,
    /// Rows that would be rejected.
    pub rejected: usize,
    /// Bad cells (the row imports without the value).
    pub errors: usize,
    /// The first [`PREVIEW_PROBLEMS`] rejected rows and bad cells, in file
    /// order, each with its line (or sheet row), column and finding.
    pub problems: Vec<Issue>,
    /// Locations are sheet rows, not file lines.
    pub location_is_row: bool,
    /// The distinct values of the level, kind and inspection-result
    /// columns, with their rows.
    pub values: ValueCensus,
}

impl Preview {
    /// The preview of an import made with [`ImportOptions::count_values`].
    pub fn of(imported: Imported) -> Preview {
        let mut report = imported.report;
        let problems = report
            .issues
            .iter()
            .filter(|i| matches!(i.severity, Severity::Rejected | Severity::Error))
            .take(PREVIEW_PROBLEMS)
            .cloned()
            .collect();
        Preview {
            rows_read: report.rows_read,
            imported: report.sites,
            rejected: report.rejected(),
            errors: report.errors(),
            problems,
            location_is_row: report.location_is_row,
            values: std::mem::take(&mut report.values),
        }
    }
}

/// Imports the file at `path` (the sheet `sheet` of a workbook) with
/// `mapping`, and says what came of it.
pub fn preview_path(
    path: &Path,
    mapping: &Mapping,
    sheet: Option<String>,
) -> Result<Preview, ImportError> {
    let opts = ImportOptions {
        mapping: Some(mapping.columns.clone()),
        values: mapping.values.clone(),
        count_values: true,
        sheet,
    };
    import_path(path, &opts).map(Preview::of)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::{Column, Finding, Level, MappedValue};

    const FILE: &str = "\
Site,Name,Tier,Parent,Budget
F,Nation,Federal,,100
S1,State one,State,F,abc
S2,State two,state,F,10
L1,Town,Local,S1,5
,No id,Local,S1,5
L2,Moon base,Lunar,S1,5
";

    fn columns() -> Mapping {
        Mapping::from(vec![
            Some(Column::SiteId),
            Some(Column::Name),
            Some(Column::Level),
            Some(Column::ParentId),
            Some(Column::AnnualBudget),
        ])
    }

    #[test]
    fn counts_problems_and_values_follow_the_value_maps() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("tiers.csv");
        std::fs::write(&path, FILE).expect("write");

        let p = preview_path(&path, &columns(), None).expect("preview");
        assert_eq!(
            (p.rows_read, p.imported, p.rejected, p.errors),
            (6, 0, 6, 0)
        );
        assert_eq!(p.problems.len(), PREVIEW_PROBLEMS);
        assert_eq!(p.problems[0].line, 2);
        assert_eq!(p.problems[0].column, Some(3));
        assert_eq!(
            p.problems[0].finding,
            Finding::UnknownLevel {
                value: "Federal".into()
            }
        );
        assert_eq!(
            p.values.level.values,
            [
                ("Federal".to_string(), 1),
                ("State".to_string(), 2),
                ("Local".to_string(), 2),
                ("Lunar".to_string(), 1)
            ]
        );
        assert!(p.values.kind.is_empty());

        let mut mapping = columns();
        for (v, l) in [
            ("Federal", Level::National),
            ("State", Level::Province),
            ("Local", Level::County),
        ] {
            mapping
                .values
                .set(Column::Level, v, Some(MappedValue::Level(l)));
        }
        let p = preview_path(&path, &mapping, None).expect("preview");
        // The row without an id and the unknown level stay rejected; the
        // bad budget is a bad cell.
        assert_eq!(
            (p.rows_read, p.imported, p.rejected, p.errors),
            (6, 4, 2, 1)
        );
        let lines: Vec<(u64, Option<usize>)> =
            p.problems.iter().map(|i| (i.line, i.column)).collect();
        assert_eq!(lines, [(3, Some(5)), (6, Some(1)), (7, Some(3))]);
        assert_eq!(
            p.problems[2].finding,
            Finding::UnknownLevel {
                value: "Lunar".into()
            }
        );
        // The census does not depend on the maps.
        assert_eq!(p.values.level.values.len(), 4);
    }

    #[test]
    fn a_file_without_the_required_columns_fails_as_a_whole() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("tiers.csv");
        std::fs::write(&path, FILE).expect("write");
        let only_id = Mapping::from(vec![Some(Column::SiteId)]);
        assert!(matches!(
            preview_path(&path, &only_id, None),
            Err(ImportError::MissingColumns { .. })
        ));
    }
}
