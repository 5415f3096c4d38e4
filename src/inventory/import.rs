//! From a table of cells to an [`Inventory`] and its [`ImportReport`],
//! following the row handling of the model: reject, repair or warn, and
//! report every case with its line.

use std::io::Write;
use std::path::Path;

use crate::i18n::Lang;

use super::columns::Column;
use super::derived::own_population;
use super::model::{Inventory, Kind, LinkProblem, Site};
use super::report::{Finding, ImportReport, Issue, Severity};
use super::source::{self, ImportError};
use super::values::{self, NumberError};

/// Which column each header position holds (`None`: ignored).
pub type ColumnMapping = Vec<Option<Column>>;

/// Choices a planner can make about an import.
#[derive(Clone, Debug, Default)]
pub struct ImportOptions {
    /// The column of each header position, overriding header matching.
    pub mapping: Option<ColumnMapping>,
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

/// Imports an inventory file: CSV (or tab- or semicolon-separated) text in
/// any supported encoding, or a spreadsheet (`.xlsx`, `.xls`, `.ods`).
pub fn import_path(path: &Path, opts: &ImportOptions) -> Result<Imported, ImportError> {
    let bytes = source::read_file(path)?;
    let name = path.display().to_string();
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    if matches!(ext.as_str(), "xlsx" | "xlsm" | "xlsb" | "xls" | "ods") {
        return super::spreadsheet::import_spreadsheet(&bytes, &ext, &name, opts);
    }
    import_bytes(&bytes, &name, opts)
}

/// Imports CSV text from bytes; `source` names the file in messages.
pub fn import_bytes(
    bytes: &[u8],
    source: &str,
    opts: &ImportOptions,
) -> Result<Imported, ImportError> {
    let decoded = source::decode(bytes, source)?;
    let text: &str = &decoded.text;
    if text.trim().is_empty() {
        return Err(ImportError::Empty {
            path: source.to_string(),
        });
    }
    let delimiter = source::sniff_delimiter(text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut record = csv::ByteRecord::new();
    let mut lines = source::LineCounter::new(text);
    // The header is the first line with anything in it.
    let (header, header_line) = loop {
        match reader.read_byte_record(&mut record) {
            Ok(true) => {
                if is_blank(&TextRecord(&record)) {
                    continue;
                }
                let line = record.position().map_or(1, |p| lines.line_at(p.byte()));
                let header = TextRecord(&record)
                    .to_strings()
                    .into_iter()
                    .map(|s| s.trim().to_string())
                    .collect::<Vec<_>>();
                break (header, line);
            }
            Ok(false) => {
                return Err(ImportError::Empty {
                    path: source.to_string(),
                });
            }
            Err(e) => {
                return Err(ImportError::Io {
                    path: source.to_string(),
                    source: std::io::Error::other(e.to_string()),
                });
            }
        }
    };
    let mut table = TableImport::new(header, header_line, source, opts)?;
    table.report.encoding = decoded.encoding.to_string();
    if decoded.replaced {
        table.push_issue(Issue {
            severity: Severity::Warning,
            line: 0,
            column: None,
            header: None,
            site_id: None,
            finding: Finding::EncodingReplaced {
                encoding: decoded.encoding.to_string(),
            },
            raw: None,
        });
    }
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(true) => {
                let line = record.position().map_or(0, |p| lines.line_at(p.byte()));
                table.push(line, &TextRecord(&record));
            }
            Ok(false) => break,
            Err(e) => {
                return Err(ImportError::Io {
                    path: source.to_string(),
                    source: std::io::Error::other(e.to_string()),
                });
            }
        }
    }
    // A quote never closed makes the csv reader swallow the rest of the
    // file into one cell.
    if let Some(line) = source::unclosed_quote_line(text, delimiter) {
        table.push_issue(Issue {
            severity: Severity::Error,
            line,
            column: None,
            header: None,
            site_id: None,
            finding: Finding::UnclosedQuote,
            raw: None,
        });
    }
    table.finish()
}

fn is_blank(record: &impl Row) -> bool {
    (0..record.count()).all(|i| record.cell(i).is_none_or(|c| c.trim().is_empty()))
}

/// A row of text cells.
trait Row {
    /// The cell at `i`.
    fn cell(&self, i: usize) -> Option<&str>;
    /// Number of cells.
    fn count(&self) -> usize;
    /// Every cell, for reports.
    fn to_strings(&self) -> Vec<String> {
        (0..self.count())
            .map(|i| self.cell(i).unwrap_or("").to_string())
            .collect()
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

/// A record the csv reader split out of text that is already known to be
/// UTF-8. Reading bytes skips the reader's second UTF-8 check of every
/// record (an eighth of the import's time on Chinese text).
struct TextRecord<'a>(&'a csv::ByteRecord);

impl Row for TextRecord<'_> {
    fn cell(&self, i: usize) -> Option<&str> {
        // SAFETY: the reader's input is a `&str`, and csv-core ends fields
        // only at ASCII bytes (delimiter, quote, CR, LF) and unescapes only
        // ASCII quotes, so every field is a whole run of UTF-8 characters.
        self.0
            .get(i)
            .map(|b| unsafe { std::str::from_utf8_unchecked(b) })
    }
    fn count(&self) -> usize {
        self.0.len()
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
    let mut table = TableImport::new(header, header_line, source, opts)?;
    table.report.location_is_row = true;
    for (line, rec) in rows {
        table.push(line, &rec);
    }
    table.finish()
}

/// Column positions of one file.
struct Positions {
    at: [Option<usize>; Column::ALL.len()],
}

impl Positions {
    fn get(&self, c: Column) -> Option<usize> {
        self.at[c as usize]
    }
}

/// An import in progress: rows go in one at a time.
struct TableImport {
    header: Vec<String>,
    mapping: ColumnMapping,
    pos: Positions,
    sites: Vec<Site>,
    /// Position in `sites` of every id imported so far.
    index: super::model::IdIndex,
    report: ImportReport,
}

impl TableImport {
    fn new(
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
            return Err(ImportError::missing_columns(source, missing, &header));
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
            report.issues.push(Issue {
                severity: Severity::Info,
                line: header_line,
                column: Some(i + 1),
                header: Some(h.clone()),
                site_id: None,
                finding,
                raw: None,
            });
        }
        Ok(TableImport {
            header,
            mapping,
            pos,
            sites: Vec::new(),
            index: Default::default(),
            report,
        })
    }

    fn push_issue(&mut self, issue: Issue) {
        self.report.issues.push(issue);
    }

    fn push(&mut self, line: u64, rec: &impl Row) {
        if is_blank(rec) {
            return;
        }
        self.report.rows_read += 1;
        let cell = |c: Column| -> &str { self.pos.get(c).and_then(|i| rec.cell(i)).unwrap_or("") };
        let id = cell(Column::SiteId).trim().to_string();
        let level_raw = cell(Column::Level).trim();
        let level = values::parse_level(level_raw);
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
            self.index.get(&id).map(|&first| {
                (
                    Finding::DuplicateSiteId {
                        id: id.clone(),
                        first_line: self.sites[first].line,
                    },
                    Column::SiteId,
                )
            })
        };
        if let Some((finding, col)) = reject {
            let issue = self.issue(
                Severity::Rejected,
                line,
                Some(col),
                &id,
                finding,
                Some(&|| rec.to_strings()),
            );
            self.report.issues.push(issue);
            return;
        }
        let Some(level) = level else {
            return;
        };
        let mut site = Site::new(id.clone(), level);
        site.line = line;
        let mut bad: Vec<(Column, Finding)> = Vec::new();
        let name = cell(Column::Name).trim();
        if name.is_empty() {
            bad.push((Column::Name, Finding::NameDefaulted));
        } else {
            site.name = name.to_string();
        }
        site.url = cell(Column::Url).trim().to_string();
        site.parent_id = cell(Column::ParentId).trim().to_string();
        site.region = cell(Column::Region).trim().to_string();
        let kind_raw = cell(Column::Kind).trim();
        if !kind_raw.is_empty() {
            match values::parse_kind(kind_raw) {
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
        site.budget = number(Column::AnnualBudget, &mut bad).unwrap_or(0.0);
        site.staff = number(Column::Staff, &mut bad).unwrap_or(0.0);
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
        site.population = whole(Column::Population, &mut bad).unwrap_or(0);
        site.monthly_visits = whole(Column::MonthlyVisits, &mut bad);
        site.online_services = whole(Column::OnlineServices, &mut bad).unwrap_or(0);
        let passed_raw = cell(Column::InspectionPassed).trim();
        if !passed_raw.is_empty() {
            match values::parse_bool(passed_raw) {
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
        let extra_filled = (self.header.len()..rec.count())
            .any(|i| rec.cell(i).is_some_and(|c| !c.trim().is_empty()));
        for (col, finding) in bad {
            let severity = if finding == Finding::NameDefaulted {
                Severity::Warning
            } else {
                Severity::Error
            };
            let issue = self.issue(severity, line, Some(col), &id, finding, None);
            self.report.issues.push(issue);
        }
        if extra > 0 && extra_filled {
            let issue = self.issue(
                Severity::Info,
                line,
                None,
                &id,
                Finding::ExtraCells { count: extra },
                None,
            );
            self.report.issues.push(issue);
        }
        self.index.insert(id, self.sites.len());
        self.sites.push(site);
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
        }
    }

    fn finish(mut self) -> Result<Imported, ImportError> {
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
        let parent_col = self.pos.get(Column::ParentId);
        let site_issue = |i: usize, finding: Finding| Issue {
            severity: Severity::Warning,
            line: sites[i].line,
            column: parent_col.map(|c| c + 1),
            header: parent_col.and_then(|c| self.header.get(c).cloned()),
            site_id: Some(sites[i].id.clone()),
            finding,
            raw: None,
        };
        let mut found = Vec::new();
        for p in problems {
            found.push(match p {
                LinkProblem::UnknownParent { site } => site_issue(
                    site,
                    Finding::UnknownParent {
                        parent: sites[site].parent_id.clone(),
                    },
                ),
                LinkProblem::Cycle { members, broken } => site_issue(
                    broken,
                    Finding::Cycle {
                        members: members.iter().map(|&m| sites[m].id.clone()).collect(),
                    },
                ),
                LinkProblem::LevelInversion { site } => {
                    let parent = sites[site].parent.map(|p| &sites[p]);
                    site_issue(
                        site,
                        Finding::LevelInversion {
                            parent: parent.map(|p| p.id.clone()).unwrap_or_default(),
                            parent_level: parent
                                .map(|p| p.level.key().to_string())
                                .unwrap_or_default(),
                            level: sites[site].level.key().to_string(),
                        },
                    )
                }
            });
        }
        let pop_col = self.pos.get(Column::Population);
        let (_, clamped) = own_population(&inventory);
        for (i, children) in clamped {
            found.push(Issue {
                severity: Severity::Warning,
                line: sites[i].line,
                column: pop_col.map(|c| c + 1),
                header: pop_col.and_then(|c| self.header.get(c).cloned()),
                site_id: Some(sites[i].id.clone()),
                finding: Finding::PopulationClamped {
                    population: sites[i].population,
                    children,
                },
                raw: None,
            });
        }
        self.report.issues.extend(found);
        self.report.issues.sort_by_key(|i| i.line);
        self.report.sites = inventory.len();
        Ok(Imported {
            inventory,
            report: self.report,
            header: self.header,
            mapping: self.mapping,
        })
    }
}

/// Most header notes (duplicate or unknown columns) in a report.
const MAX_HEADER_NOTES: usize = 1000;

/// A cell's value as quoted in a message: at most 200 characters, so a
/// 10 MB cell does not become a 10 MB message.
fn clip(raw: &str) -> String {
    let t = raw.trim();
    match t.char_indices().nth(200) {
        Some((i, _)) => format!("{}…", &t[..i]),
        None => t.to_string(),
    }
}

fn number_finding(e: NumberError, raw: &str) -> Finding {
    let value = clip(raw);
    match e {
        NumberError::NotANumber => Finding::BadNumber { value },
        NumberError::Negative => Finding::NegativeNumber { value },
        NumberError::NotWhole => Finding::NotWhole { value },
    }
}

/// Writes sites as an inventory CSV (UTF-8 with BOM, CRLF, Chinese or
/// English headers) that imports back to the same sites.
pub fn write_csv<W: Write>(sites: &[Site], out: W, lang: Lang) -> std::io::Result<()> {
    let mut out = out;
    out.write_all(b"\xEF\xBB\xBF")?;
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(out);
    w.write_record(Column::ALL.iter().map(|c| c.header(lang)))?;
    let opt = |v: Option<f64>| v.map(fmt_number).unwrap_or_default();
    for s in sites {
        w.write_record([
            s.id.as_str(),
            s.name.as_str(),
            s.url.as_str(),
            s.level.key(),
            s.kind.key(),
            s.parent_id.as_str(),
            s.region.as_str(),
            &fmt_number(s.budget),
            &fmt_number(s.staff),
            &s.population.to_string(),
            &s.monthly_visits.map(|v| v.to_string()).unwrap_or_default(),
            &s.online_services.to_string(),
            &opt(s.inspection_score),
            match s.inspection_passed {
                Some(true) => lang.pick("合格", "pass"),
                Some(false) => lang.pick("不合格", "fail"),
                None => "",
            },
            &opt(s.reprint_hours),
        ])?;
    }
    w.flush()
}

/// Formats a number without a trailing `.0` and without losing precision.
pub fn fmt_number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

impl Kind {
    /// True for portals.
    pub fn is_portal(self) -> bool {
        self == Kind::Portal
    }
}
