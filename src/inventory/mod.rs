//! The inventory of government websites: the model, the readers (CSV
//! text, workbooks) and the one importer they feed, and the import report;
//! and side tables about its sites (`table`: progress sheets, inspection
//! rounds) read from the same kinds of file.

mod assemble;
mod census;
mod columns;
mod csv_file;
mod derived;
pub mod edit;
mod id_index;
mod import;
mod mapping;
mod model;
mod open;
mod preview;
mod report;
mod source;
mod split;
mod spreadsheet;
mod stream;
mod table;
pub mod values;
mod xlsx_file;

pub use assemble::{
    AssembleError, Assembled, Choice, Conflict, ConflictRow, FieldDiff, Gathered, Keep, Resolution,
    SourceFile, assemble, assemble_paths, choice_label, read_files,
};
pub use census::{MAX_DISTINCT, ValueCensus, ValueCounts};
pub use columns::{Column, normalize_header};
pub use csv_file::{EXCEL_BOM, excel_csv, excel_csv_builder, import_bytes, write_csv};
pub use derived::own_population;
pub(crate) use derived::{own_population_from, portal_population};
pub use import::{ImportOptions, Imported, detect_columns, import_table};
pub use mapping::{ColumnMapping, MappedValue, Mapping, VALUE_COLUMNS, ValueMaps, value_key};
pub(crate) use model::site_index;
pub use model::{Inventory, Kind, Level, LinkProblem, Missing, RoundRecord, Site, Text};
pub use open::{SPREADSHEET_EXTENSIONS, TEXT_EXTENSIONS, import_path, is_spreadsheet_path};
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
pub use table::{
    MAX_TABLE_CELLS, RawRow, RawTable, TableOptions, is_site_id_header, read_table,
    read_table_bytes,
};
pub use values::fmt_number;
pub use xlsx_file::inventory_workbook;
