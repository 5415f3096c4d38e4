//! The importer: from a table of cells to an [`Inventory`] and its
//! [`ImportReport`], following the row handling of the model: reject,
//! repair or warn, and report every case with its line.
//!
//! The readers feed it: the CSV reader ([`super::csv_file`]) and the
//! workbook reader ([`super::spreadsheet`]) each turn a file into a header
//! and rows, which go in through [`TableImport`] (or [`import_table`] and
//! [`import_sparse_table`] for a table already split). The importer knows
//! neither file kind.

use crate::money::{Money, trim};
use rust_decimal::Decimal;

use super::columns::Column;
use super::derived::own_population;
use super::mapping::{ColumnMapping, ValueLookup, ValueMaps};
use super::model::{Inventory, LinkProblem, Site};
use super::report::{self, Finding, ImportReport, Issue, Severity};
use super::source::{ImportError, MAX_ROWS};
use super::values::{self, NumberError};

/// Choices a planner can make about an import.
#[derive(Clone, Debug, Default)]
pub struct ImportOptions {
    /// The column of each header position, overriding header matching.
    pub mapping: Option<ColumnMapping>,
    /// What the file's own values mean: a level, kind or yes/no cell is
    /// looked up here before the importer's own aliases.
    pub values: ValueMaps,
    /// Count the distinct values of the level, kind and inspection-result
    /// columns into the report's [`ImportReport::values`] (for a mapping
    /// preview; costs a little per row).
    pub count_values: bool,
    /// For spreadsheets: the sheet to read (the first when `None`).
    pub sheet: Option<String>,
}

/// An imported inventory and its report.
#[derive(Clone, Debug)]
pub struct Imported {
    /// The sites.
    pub inventory: Inventory,
    /// What was rejected, repaired or worth a look.
    pub report: ImportReport,
    /// The header as found in the file.
    pub header: Vec<String>,
    /// The column mapping used.
    pub mapping: ColumnMapping,
}

/// Matches each header to a column; a second header for the same column is
/// ignored.
pub fn detect_columns(header: &[String]) -> ColumnMapping {
    let mut seen = Vec::new();
    header
        .iter()
        .map(|h| {
            let c = Column::from_header(h)?;
            if seen.contains(&c) {
                None
            } else {
                seen.push(c);
                Some(c)
            }
        })
        .collect()
}

/// A row of text cells.
pub(super) trait Row {
    /// The cell at `i`.
    fn cell(&self, i: usize) -> Option<&str>;
    /// Number of cells.
    fn count(&self) -> usize;
    /// True when no cell holds anything.
    fn is_blank(&self) -> bool {
        (0..self.count()).all(|i| self.cell(i).is_none_or(|c| trim(c).is_empty()))
    }
    /// True when a cell at `from` or after holds something.
    fn filled_from(&self, from: usize) -> bool {
        (from..self.count()).any(|i| self.cell(i).is_some_and(|c| !trim(c).is_empty()))
    }
    /// The cells as a report keeps a rejected row (the first ones, cut
    /// short: see [`report::raw_cells`], which looks at no more of them).
    fn raw(&self) -> Vec<String> {
        report::raw_cells((0..self.count()).map(|i| self.cell(i).unwrap_or("")))
    }
}

impl Row for csv::StringRecord {
    fn cell(&self, i: usize) -> Option<&str> {
        self.get(i)
    }
    fn count(&self) -> usize {
        self.len()
    }
}

/// A spreadsheet row given by its filled cells only, in increasing
/// position: the work on a row follows the cells it has, not the width
/// of the sheet (a header cell in column XFD makes every row 16,384 wide).
pub(crate) struct SparseRow<'a> {
    /// Position (0-based) and text of each filled cell, in order.
    pub cells: Vec<(usize, &'a str)>,
    /// Cells the row has at least (the header's width), filled or not.
    pub width: usize,
}

impl Row for SparseRow<'_> {
    fn cell(&self, i: usize) -> Option<&str> {
        match self.cells.binary_search_by_key(&i, |&(at, _)| at) {
            Ok(k) => Some(self.cells[k].1),
            Err(_) => (i < self.count()).then_some(""),
        }
    }
    fn count(&self) -> usize {
        self.cells
            .last()
            .map_or(0, |&(at, _)| at + 1)
            .max(self.width)
    }
    fn is_blank(&self) -> bool {
        self.cells.iter().all(|(_, c)| c.trim().is_empty())
    }
    fn filled_from(&self, from: usize) -> bool {
        let first = self.cells.partition_point(|&(at, _)| at < from);
        self.cells[first..]
            .iter()
            .any(|(_, c)| !c.trim().is_empty())
    }
}

/// Imports an already-split table (used for spreadsheets): the header, the
/// line or row number it was on, and the data rows with theirs.
pub fn import_table<I>(
    header: Vec<String>,
    header_line: u64,
    rows: I,
    source: &str,
    opts: &ImportOptions,
) -> Result<Imported, ImportError>
where
    I: IntoIterator<Item = (u64, csv::StringRecord)>,
{
    import_rows(header, header_line, rows, source, opts)
}

/// [`import_table`] with rows given by their filled cells.
pub(crate) fn import_sparse_table<'a, I>(
    header: Vec<String>,
    header_line: u64,
    rows: I,
    source: &str,
    opts: &ImportOptions,
) -> Result<Imported, ImportError>
where
    I: IntoIterator<Item = (u64, SparseRow<'a>)>,
{
    import_rows(header, header_line, rows, source, opts)
}

/// The rows of a sheet (numbered as the sheet numbers them), any kind.
fn import_rows<R: Row, I: IntoIterator<Item = (u64, R)>>(
    header: Vec<String>,
    header_line: u64,
    rows: I,
    source: &str,
    opts: &ImportOptions,
) -> Result<Imported, ImportError> {
    let mut table = TableImport::new(header, header_line, source, opts)?;
    table.report.location_is_row = true;
    table.parser.short_rows_are_cut = false;
    for (line, rec) in rows {
        table.push(line, &rec);
        if table.over_rows.is_some() {
            break;
        }
    }
    table.finish()
}

/// Column positions of one file.
#[derive(Clone)]
struct Positions {
    at: [Option<usize>; Column::ALL.len()],
}

impl Positions {
    fn get(&self, c: Column) -> Option<usize> {
        self.at[c as usize]
    }
}

/// What reading one row needs to know of the file: its header and where
/// each column is. Shared by the threads reading a large file.
#[derive(Clone)]
pub(super) struct RowParser {
    header: Vec<String>,
    pos: Positions,
    /// Text files: a row with fewer cells than the header was cut short.
    /// (A spreadsheet row is as wide as its sheet.)
    short_rows_are_cut: bool,
    /// The planner's value maps.
    values: ValueLookup,
    /// Rows keep their level, kind and inspection-result cells for the
    /// census of values.
    count_values: bool,
}

/// A row's level, kind and inspection-result cells (trimmed), kept when
/// the import counts values.
type Counted = Option<Box<[String; 3]>>;

/// A data row read on its own, before it meets the rows above it.
pub(super) enum ParsedRow {
    /// Nothing in it.
    Blank,
    /// Rejected for what it holds (no id, no or an unknown level).
    Rejected(Issue, Counted),
    /// A site, with what was repaired or noted in its cells, and the hash
    /// of its id for the id index (worked out here, on a reading thread).
    Site {
        site: Site,
        issues: Vec<Issue>,
        hash: u64,
        counted: Counted,
    },
}

impl ParsedRow {
    /// Adds `by` to the lines of the row and its findings (a stretch of a
    /// file is read counting its lines from 0 at its start).
    pub(super) fn shift_lines(&mut self, by: u64) {
        match self {
            ParsedRow::Blank => {}
            ParsedRow::Rejected(issue, _) => issue.line += by,
            ParsedRow::Site { site, issues, .. } => {
                site.line += by;
                for issue in issues {
                    issue.line += by;
                }
            }
        }
    }
}

/// An import in progress: rows go in one at a time.
pub(super) struct TableImport {
    parser: RowParser,
    mapping: ColumnMapping,
    sites: Vec<Site>,
    /// Position in `sites` of every id imported so far.
    index: super::model::IdIndex,
    report: ImportReport,
    /// The line of the first data row past [`MAX_ROWS`], if any.
    over_rows: Option<u64>,
}

impl TableImport {
    /// An import of a table with this header (found on `header_line`);
    /// refused when the header lacks a required column.
    pub(super) fn new(
        header: Vec<String>,
        header_line: u64,
        source: &str,
        opts: &ImportOptions,
    ) -> Result<Self, ImportError> {
        let mapping = match &opts.mapping {
            Some(m) => {
                let mut m = m.clone();
                m.resize(header.len(), None);
                m
            }
            None => detect_columns(&header),
        };
        let mut at = [None; Column::ALL.len()];
        for (i, c) in mapping.iter().enumerate() {
            if let Some(c) = c
                && at[*c as usize].is_none()
            {
                at[*c as usize] = Some(i);
            }
        }
        let pos = Positions { at };
        let missing: Vec<&'static str> = [Column::SiteId, Column::Level]
            .into_iter()
            .filter(|c| pos.get(*c).is_none())
            .map(Column::key)
            .collect();
        if !missing.is_empty() {
            return Err(ImportError::missing_columns(source, missing, header));
        }
        let mut report = ImportReport {
            source: source.to_string(),
            encoding: "UTF-8".into(),
            ..Default::default()
        };
        // Notes on the header (not counted); a file with thousands of
        // unknown columns gets the first ones noted, not thousands of notes.
        for (i, h) in header.iter().enumerate().take(MAX_HEADER_NOTES) {
            let finding = match mapping.get(i).copied().flatten() {
                Some(c) if pos.get(c) != Some(i) => Finding::DuplicateHeader {
                    header: h.clone(),
                    column: c.key().into(),
                },
                Some(_) => continue,
                None if opts.mapping.is_none() && Column::from_header(h).is_some() => {
                    Finding::DuplicateHeader {
                        header: h.clone(),
                        column: Column::from_header(h).map_or("", Column::key).into(),
                    }
                }
                None if h.trim().is_empty() => continue,
                None => Finding::IgnoredHeader { header: h.clone() },
            };
            report.add(Issue {
                severity: Severity::Info,
                line: header_line,
                column: Some(i + 1),
                header: Some(h.clone()),
                site_id: None,
                finding,
                raw: None,
                file: None,
            });
        }
        Ok(TableImport {
            parser: RowParser {
                header,
                pos,
                short_rows_are_cut: true,
                values: ValueLookup::new(&opts.values),
                count_values: opts.count_values,
            },
            mapping,
            sites: Vec::new(),
            index: Default::default(),
            report,
            over_rows: None,
        })
    }

    /// Adds a finding about the file as a whole (its encoding, a quote
    /// never closed).
    pub(super) fn push_issue(&mut self, issue: Issue) {
        self.report.add(issue);
    }

    /// Names the encoding the file was read in, in the report.
    pub(super) fn set_encoding(&mut self, encoding: &str) {
        self.report.encoding = encoding.to_string();
    }

    /// How a row is read on its own: the readers of a large file read
    /// rows on several threads with it, before they are taken in.
    pub(super) fn parser(&self) -> &RowParser {
        &self.parser
    }

    /// Makes room for `rows` more sites.
    pub(super) fn reserve(&mut self, rows: usize) {
        self.sites.reserve(rows);
        self.index.reserve(rows);
    }

    /// True once a row past [`MAX_ROWS`] came in: the rest need not be read.
    pub(super) fn is_full(&self) -> bool {
        self.over_rows.is_some()
    }

    /// Reads one row and takes it in.
    fn push(&mut self, line: u64, rec: &impl Row) {
        let parsed = self.parser.parse_row(line, rec);
        self.accept(parsed, || rec.raw());
    }

    /// Brings the id index's slots for `rows` into the cache, before they
    /// are taken in (see [`super::id_index::IdIndex::first_slot`]).
    pub(super) fn preload<'a>(&self, rows: impl Iterator<Item = &'a ParsedRow>) {
        let seen = rows
            .filter_map(|row| match row {
                ParsedRow::Site { hash, .. } => Some(self.index.first_slot(*hash)),
                _ => None,
            })
            .fold(0u64, |all, slot| all ^ slot);
        std::hint::black_box(seen);
    }

    /// Takes in a row read by [`RowParser::parse_row`]: rejects a second
    /// site with an id already seen (`raw` gives its cells for the report).
    pub(super) fn accept(&mut self, parsed: ParsedRow, raw: impl FnOnce() -> Vec<String>) {
        let line = match &parsed {
            ParsedRow::Blank => return,
            ParsedRow::Rejected(issue, _) => issue.line,
            ParsedRow::Site { site, .. } => site.line,
        };
        if self.report.rows_read >= MAX_ROWS {
            self.over_rows.get_or_insert(line);
            return;
        }
        let (site, issues, hash) = match parsed {
            ParsedRow::Blank => return,
            ParsedRow::Rejected(issue, counted) => {
                if let Some(cells) = counted {
                    self.report.values.count(&cells);
                }
                self.report.rows_read += 1;
                self.report.add(issue);
                return;
            }
            ParsedRow::Site {
                site,
                issues,
                hash,
                counted,
            } => {
                if let Some(cells) = counted {
                    self.report.values.count(&cells);
                }
                (site, issues, hash)
            }
        };
        self.report.rows_read += 1;
        let sites = &self.sites;
        let at = sites.len();
        if let Err(first) = self.index.insert(&site.id, hash, at, |p| &sites[p].id) {
            let finding = Finding::DuplicateSiteId {
                id: site.id.to_string(),
                first_line: self.sites[first].line,
            };
            let mut issue = self.parser.issue(
                Severity::Rejected,
                site.line,
                Some(Column::SiteId),
                &site.id,
                finding,
                None,
            );
            issue.raw = Some(raw());
            self.report.add(issue);
            return;
        }
        for issue in issues {
            self.report.add(issue);
        }
        self.sites.push(site);
    }

    /// Links the sites, reports what linking found, and gives the result.
    pub(super) fn finish(mut self) -> Result<Imported, ImportError> {
        if let Some(line) = self.over_rows {
            return Err(ImportError::TooManyRows {
                path: self.report.source.clone(),
                line,
            });
        }
        if self.report.rows_read == 0 {
            return Err(ImportError::NoRows {
                path: self.report.source.clone(),
            });
        }
        let (inventory, problems) = Inventory::link_indexed(
            std::mem::take(&mut self.sites),
            std::mem::take(&mut self.index),
        );
        let sites = inventory.sites();
        let parent_col = self.parser.pos.get(Column::ParentId);
        let site_issue = |i: usize, finding: Finding| Issue {
            severity: Severity::Warning,
            line: sites[i].line,
            column: parent_col.map(|c| c + 1),
            header: parent_col.and_then(|c| self.parser.header.get(c).cloned()),
            site_id: Some(sites[i].id.to_string()),
            finding,
            raw: None,
            file: None,
        };
        let mut found: Vec<Issue> = link_findings(&inventory, problems)
            .into_iter()
            .map(|(i, finding)| site_issue(i, finding))
            .collect();
        let pop_col = self.parser.pos.get(Column::Population);
        let (_, clamped) = own_population(&inventory);
        for (i, children) in clamped {
            found.push(Issue {
                severity: Severity::Warning,
                line: sites[i].line,
                column: pop_col.map(|c| c + 1),
                header: pop_col.and_then(|c| self.parser.header.get(c).cloned()),
                site_id: Some(sites[i].id.to_string()),
                finding: Finding::PopulationClamped {
                    population: sites[i].population,
                    children,
                },
                raw: None,
                file: None,
            });
        }
        for issue in found {
            self.report.add(issue);
        }
        self.report.note_unlisted();
        self.report.issues.sort_by_key(|i| i.line);
        self.report.sites = inventory.len();
        Ok(Imported {
            inventory,
            report: self.report,
            header: self.parser.header,
            mapping: self.mapping,
        })
    }
}

impl RowParser {
    /// Reads one row on its own.
    pub(super) fn parse_row(&self, line: u64, rec: &impl Row) -> ParsedRow {
        if rec.is_blank() {
            return ParsedRow::Blank;
        }
        let cell = |c: Column| -> &str { self.pos.get(c).and_then(|i| rec.cell(i)).unwrap_or("") };
        let id = trim(cell(Column::SiteId));
        let level_raw = trim(cell(Column::Level));
        let level = if level_raw.is_empty() {
            None
        } else {
            self.values.level(level_raw)
        };
        let counted = self.count_values.then(|| {
            Box::new(
                [Column::Level, Column::Kind, Column::InspectionPassed]
                    .map(|c| trim(cell(c)).to_string()),
            )
        });
        let reject = if id.is_empty() {
            Some((Finding::EmptySiteId, Column::SiteId))
        } else if level_raw.is_empty() {
            Some((Finding::MissingLevel, Column::Level))
        } else if level.is_none() {
            Some((
                Finding::UnknownLevel {
                    value: clip(level_raw),
                },
                Column::Level,
            ))
        } else {
            None
        };
        if let Some((finding, col)) = reject {
            let issue = self.issue(
                Severity::Rejected,
                line,
                Some(col),
                id,
                finding,
                Some(&|| rec.raw()),
            );
            return ParsedRow::Rejected(issue, counted);
        }
        let Some(level) = level else {
            return ParsedRow::Blank;
        };
        let mut bad: Vec<(Column, Finding)> = Vec::new();
        let name = trim(cell(Column::Name));
        if name.is_empty() {
            bad.push((Column::Name, Finding::NameDefaulted));
        }
        let mut site = Site {
            id: id.into(),
            name: if name.is_empty() { id } else { name }.into(),
            url: trim(cell(Column::Url)).into(),
            parent_id: trim(cell(Column::ParentId)).into(),
            region: trim(cell(Column::Region)).into(),
            line,
            ..Site::new("", level)
        };
        let kind_raw = trim(cell(Column::Kind));
        if !kind_raw.is_empty() {
            match self.values.kind(kind_raw) {
                Some(k) => site.kind = k,
                None => bad.push((
                    Column::Kind,
                    Finding::UnknownKind {
                        value: clip(kind_raw),
                    },
                )),
            }
        }
        let number = |c: Column, bad: &mut Vec<(Column, Finding)>| -> Option<f64> {
            let raw = cell(c);
            match values::parse_number(raw) {
                Ok(v) => v,
                Err(e) => {
                    bad.push((c, number_finding(e, raw)));
                    None
                }
            }
        };
        let amount = |c: Column, bad: &mut Vec<(Column, Finding)>| -> Option<Decimal> {
            let raw = cell(c);
            match crate::money::parse_amount(raw) {
                Ok(v) => v,
                Err(e) => {
                    bad.push((c, number_finding(e, raw)));
                    None
                }
            }
        };
        let budget = amount(Column::AnnualBudget, &mut bad);
        site.missing.set(Column::AnnualBudget, budget.is_none());
        site.budget = budget.map_or(Money::ZERO, Money::from_decimal);
        let staff = amount(Column::Staff, &mut bad);
        site.missing.set(Column::Staff, staff.is_none());
        site.staff = staff.unwrap_or_default();
        site.reprint_hours = number(Column::ReprintHours, &mut bad);
        let score = number(Column::InspectionScore, &mut bad);
        site.inspection_score = match score {
            Some(s) if s > 100.0 => {
                bad.push((
                    Column::InspectionScore,
                    Finding::ScoreOutOfRange {
                        value: clip(cell(Column::InspectionScore)),
                    },
                ));
                None
            }
            s => s,
        };
        let whole = |c: Column, bad: &mut Vec<(Column, Finding)>| -> Option<u64> {
            let raw = cell(c);
            match values::parse_whole(raw) {
                Ok(v) => v,
                Err(e) => {
                    bad.push((c, number_finding(e, raw)));
                    None
                }
            }
        };
        let population = whole(Column::Population, &mut bad);
        site.missing.set(Column::Population, population.is_none());
        site.population = population.unwrap_or(0);
        site.monthly_visits = whole(Column::MonthlyVisits, &mut bad);
        let services = whole(Column::OnlineServices, &mut bad);
        site.missing.set(Column::OnlineServices, services.is_none());
        site.online_services = services.unwrap_or(0);
        let passed_raw = trim(cell(Column::InspectionPassed));
        if !passed_raw.is_empty() {
            match self.values.passed(passed_raw) {
                Some(b) => site.inspection_passed = Some(b),
                None => bad.push((
                    Column::InspectionPassed,
                    Finding::BadBoolean {
                        value: clip(passed_raw),
                    },
                )),
            }
        }
        let extra = rec.count().saturating_sub(self.header.len());
        let extra_filled = rec.filled_from(self.header.len());
        let mut issues = Vec::new();
        for (col, finding) in bad {
            let severity = if finding == Finding::NameDefaulted {
                Severity::Warning
            } else {
                Severity::Error
            };
            issues.push(self.issue(severity, line, Some(col), id, finding, None));
        }
        // A row cut short (a truncated file) is an error: its last values
        // are missing, not zero.
        if self.short_rows_are_cut && rec.count() < self.header.len() {
            let issue = self.issue(
                Severity::Error,
                line,
                None,
                id,
                Finding::ShortRow {
                    cells: rec.count(),
                    expected: self.header.len(),
                },
                None,
            );
            issues.push(issue);
        }
        if extra > 0 && extra_filled {
            let issue = self.issue(
                Severity::Info,
                line,
                None,
                id,
                Finding::ExtraCells { count: extra },
                None,
            );
            issues.push(issue);
        }
        ParsedRow::Site {
            hash: super::id_index::hash_id(&site.id),
            site,
            issues,
            counted,
        }
    }

    fn issue(
        &self,
        severity: Severity,
        line: u64,
        column: Option<Column>,
        id: &str,
        finding: Finding,
        raw: Option<&dyn Fn() -> Vec<String>>,
    ) -> Issue {
        let col_index = column.and_then(|c| self.pos.get(c));
        Issue {
            severity,
            line,
            column: col_index.map(|i| i + 1),
            header: col_index.and_then(|i| self.header.get(i).cloned()),
            site_id: (!id.is_empty()).then(|| id.to_string()),
            finding,
            raw: raw.map(|r| r()),
            file: None,
        }
    }
}

/// Reads one site from its cells in [`Column::ALL`] order exactly as the
/// importer reads a row (the same numbers, levels, kinds and checks): the
/// site, or what is wrong with it, the worst finding first with its column.
pub(crate) fn parse_site_cells(
    cells: &[String; Column::ALL.len()],
    line: u64,
) -> Result<Site, (Option<Column>, Finding)> {
    let mut at = [None; Column::ALL.len()];
    for (i, slot) in at.iter_mut().enumerate() {
        *slot = Some(i);
    }
    let parser = RowParser {
        header: Column::ALL.iter().map(|c| c.key().to_string()).collect(),
        pos: Positions { at },
        short_rows_are_cut: false,
        values: ValueLookup::default(),
        count_values: false,
    };
    let record = csv::StringRecord::from(cells.to_vec());
    let column_of = |issue: &Issue| issue.column.and_then(|i| Column::ALL.get(i - 1).copied());
    match parser.parse_row(line, &record) {
        ParsedRow::Blank => Err((Some(Column::SiteId), Finding::EmptySiteId)),
        ParsedRow::Rejected(issue, _) => Err((column_of(&issue), issue.finding)),
        ParsedRow::Site { site, issues, .. } => match issues
            .into_iter()
            .find(|i| matches!(i.severity, Severity::Error | Severity::Rejected))
        {
            Some(issue) => Err((column_of(&issue), issue.finding)),
            None => Ok(site),
        },
    }
}

/// What linking had to fix, as findings about the sites concerned: an
/// unknown parent, a cycle (on its member made a top site), a parent
/// below its child.
pub(super) fn link_findings(inv: &Inventory, problems: Vec<LinkProblem>) -> Vec<(usize, Finding)> {
    let sites = inv.sites();
    problems
        .into_iter()
        .map(|p| match p {
            LinkProblem::UnknownParent { site } => (
                site,
                Finding::UnknownParent {
                    parent: sites[site].parent_id.to_string(),
                },
            ),
            LinkProblem::Cycle { members, broken } => (
                broken,
                Finding::Cycle {
                    members: members.iter().map(|&m| sites[m].id.to_string()).collect(),
                },
            ),
            LinkProblem::LevelInversion { site } => {
                let parent = sites[site].parent_index().map(|p| &sites[p]);
                (
                    site,
                    Finding::LevelInversion {
                        parent: parent.map(|p| p.id.to_string()).unwrap_or_default(),
                        parent_level: parent
                            .map(|p| p.level.key().to_string())
                            .unwrap_or_default(),
                        level: sites[site].level.key().to_string(),
                    },
                )
            }
        })
        .collect()
}

/// Most header notes (duplicate or unknown columns) in a report.
const MAX_HEADER_NOTES: usize = 1000;

/// A cell's value as quoted in a message: a short excerpt, so a 10 MB
/// cell does not become a 10 MB message.
fn clip(raw: &str) -> String {
    report::excerpt(raw)
}

fn number_finding(e: NumberError, raw: &str) -> Finding {
    let value = clip(raw);
    match e {
        NumberError::NotANumber => Finding::BadNumber { value },
        NumberError::Negative => Finding::NegativeNumber { value },
        NumberError::NotWhole => Finding::NotWhole { value },
        NumberError::TooLarge => Finding::TooLarge { value },
    }
}
