//! The inventory of government websites: model, import and the import report.

mod census;
mod columns;
mod derived;
pub mod edit;
mod import;
mod mapping;
mod model;
mod preview;
mod report;
mod source;
mod spreadsheet;
pub mod values;

pub use census::{MAX_DISTINCT, ValueCensus, ValueCounts};
pub use columns::{Column, normalize_header};
pub use derived::own_population;
pub use import::{
    ImportOptions, Imported, detect_columns, fmt_number, import_bytes, import_path, import_table,
    write_csv,
};
pub use mapping::{ColumnMapping, MappedValue, Mapping, VALUE_COLUMNS, ValueMaps, value_key};
pub use model::{Inventory, Kind, Level, LinkProblem, Missing, Site};
pub use preview::{PREVIEW_PROBLEMS, Preview, preview_path};
pub use report::{
    EXCERPT_CHARS, EXCERPT_ITEMS, Finding, ImportReport, Issue, MAX_LISTED_ISSUES, Severity,
    excerpt, excerpt_chars, excerpt_quoted, quoted_list,
};
pub use source::{
    ImportError, LineCounter, MAX_FILE_BYTES, MAX_ROW_CELLS, MAX_ROWS, Sniffed, decode, read_file,
    sniff, unclosed_quote_line,
};
pub use spreadsheet::{MAX_CELLS, MAX_SHEET_TEXT, sheet_names, sheet_names_of};
