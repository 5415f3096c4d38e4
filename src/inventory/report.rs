//! The import report: every rejected row, bad cell and warning, with where it
//! was found and a message in both languages.

use serde::{Deserialize, Serialize};

use crate::i18n::Lang;

/// Most characters of file content a message quotes (a cell, a header, an
/// id): longer text is cut, with an ellipsis.
pub const EXCERPT_CHARS: usize = 80;

/// Most items of a list from a file (headers, sheet names, the sites of a
/// cycle) a message names; the rest are counted.
pub const EXCERPT_ITEMS: usize = 20;

/// Most issues of one kind (say, unknown levels) an import report lists
/// one by one. Past this, issues of that kind are only counted (by
/// severity), and the report says so in a warning of its own: 20 MB of
/// rejected rows would otherwise take gigabytes, and a hundred thousand
/// sites without a name would hide the one cycle in their parent links.
pub const MAX_LISTED_ISSUES: usize = 50_000;

/// Most cells of a rejected row kept in the report.
pub const MAX_RAW_CELLS: usize = 32;

/// File content as quoted in a message: trimmed, control characters
/// (line breaks, tabs) shown as spaces, and at most [`EXCERPT_CHARS`]
/// characters, the last an ellipsis when it was cut. Reads only the first
/// characters of a long text.
pub fn excerpt(text: &str) -> String {
    excerpt_chars(text, EXCERPT_CHARS)
}

/// A message from a reader (the JSON, TOML or spreadsheet reader) that
/// may quote the file between quotes or backticks: each quoted part as an
/// [`excerpt`], the whole at most `max` characters.
pub fn excerpt_quoted(message: &str, max: usize) -> String {
    let mut out = String::new();
    for (i, part) in message.split('`').enumerate() {
        if i > 0 {
            out.push('`');
        }
        if i % 2 == 1 {
            out.push_str(&excerpt(part));
            continue;
        }
        for (k, piece) in part.split('"').enumerate() {
            if k > 0 {
                out.push('"');
            }
            if k % 2 == 1 {
                out.push_str(&excerpt(piece));
            } else {
                out.push_str(piece);
            }
        }
    }
    excerpt_chars(&out, max)
}

/// [`excerpt`] with a limit of `max` characters (at least 1).
pub fn excerpt_chars(text: &str, max: usize) -> String {
    let max = max.max(1);
    let mut out = String::new();
    let mut chars = text.trim().chars();
    for (n, ch) in chars.by_ref().enumerate() {
        if n + 1 == max {
            // The last place: the character itself if the text ends
            // here, else the ellipsis.
            let rest_is_empty = chars.as_str().is_empty();
            out.push(if rest_is_empty { shown(ch) } else { '…' });
            return out;
        }
        out.push(shown(ch));
    }
    out
}

/// A rejected row's cells as the report keeps them: at most
/// [`MAX_RAW_CELLS`], each an [`excerpt`], then `…` when there were more.
pub fn raw_cells<'a>(cells: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut cells = cells.into_iter();
    let mut out: Vec<String> = cells.by_ref().take(MAX_RAW_CELLS).map(excerpt).collect();
    if cells.next().is_some() {
        out.push("…".into());
    }
    out
}

fn shown(ch: char) -> char {
    if ch.is_control() { ' ' } else { ch }
}

/// Items from a file as a message names them: at most [`EXCERPT_ITEMS`],
/// each an [`excerpt`] shown by `item`, joined by `sep`, then `more(n)`
/// (appended as it is) for the `n` left out.
pub fn excerpt_list<S: AsRef<str>>(
    items: &[S],
    item: impl Fn(&str) -> String,
    sep: &str,
    more: impl Fn(usize) -> String,
) -> String {
    let shown: Vec<String> = items
        .iter()
        .take(EXCERPT_ITEMS)
        .map(|s| item(&excerpt(s.as_ref())))
        .collect();
    let mut out = shown.join(sep);
    if items.len() > EXCERPT_ITEMS {
        out.push_str(&more(items.len() - EXCERPT_ITEMS));
    }
    out
}

/// [`excerpt_list`] in `lang`: `“a”、“b” 等（另有 N 项）` or
/// `"a", "b" and N more`.
pub fn quoted_list<S: AsRef<str>>(items: &[S], lang: Lang) -> String {
    match lang {
        Lang::Zh => excerpt_list(
            items,
            |s| format!("“{s}”"),
            "、",
            |n| format!(" 等（另有 {n} 项）"),
        ),
        Lang::En => excerpt_list(
            items,
            |s| format!("\"{s}\""),
            ", ",
            |n| format!(" and {n} more"),
        ),
    }
}

/// How serious an import finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The row was not imported.
    Rejected,
    /// A cell was bad; the row was imported without that value.
    Error,
    /// The row was imported and changed (or deserves a look).
    Warning,
    /// For information; not counted.
    Info,
}

impl Severity {
    /// The label a planner reads.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Severity::Rejected => lang.pick("未导入", "Rejected"),
            Severity::Error => lang.pick("错误", "Error"),
            Severity::Warning => lang.pick("警告", "Warning"),
            Severity::Info => lang.pick("提示", "Note"),
        }
    }
}

/// What was found. Each variant renders its own message.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Finding {
    /// The row has no site_id.
    EmptySiteId,
    /// The row has no level.
    MissingLevel,
    /// The level is not one Sitefold knows.
    UnknownLevel { value: String },
    /// The site_id was already used.
    DuplicateSiteId { id: String, first_line: u64 },
    /// A number cell that is not a number.
    BadNumber { value: String },
    /// A negative number.
    NegativeNumber { value: String },
    /// A whole-number cell with a fractional part.
    NotWhole { value: String },
    /// A number larger than any real figure (over 10^15).
    TooLarge { value: String },
    /// A score outside [0, 100].
    ScoreOutOfRange { value: String },
    /// A yes/no cell that is neither.
    BadBoolean { value: String },
    /// A kind that is neither portal nor department.
    UnknownKind { value: String },
    /// No name; the id is used.
    NameDefaulted,
    /// The parent id names no imported site.
    UnknownParent { parent: String },
    /// Parent links formed a cycle; this site became a top site.
    Cycle { members: Vec<String> },
    /// The parent is at a lower level than the site.
    LevelInversion {
        parent: String,
        parent_level: String,
        level: String,
    },
    /// Children's populations exceed the site's; its own population is 0.
    PopulationClamped { population: u64, children: u64 },
    /// Two headers name the same column; the first is used.
    DuplicateHeader { header: String, column: String },
    /// A header Sitefold does not know; the column is ignored.
    IgnoredHeader { header: String },
    /// A row has more cells than the header.
    ExtraCells { count: usize },
    /// The row has fewer cells than the header (a truncated file or row):
    /// the cells it lacks are missing.
    ShortRow { cells: usize, expected: usize },
    /// A quote opened here is never closed.
    UnclosedQuote,
    /// Lines were not valid in the detected encoding.
    EncodingReplaced { encoding: String },
    /// The site_id is in another file of an assembled inventory too, and
    /// that file's row was kept: this row was left out. `fields` are the
    /// columns whose values differ (empty: the rows are the same);
    /// `choice` says why that row was kept (a [`super::Keep`] key, or
    /// `chosen` for the planner's choice for this site).
    SiteConflict {
        id: String,
        kept_file: String,
        kept_line: u64,
        fields: Vec<String>,
        choice: String,
    },
    /// More issues than a report lists: these were counted, not listed.
    NotListed {
        rejected: usize,
        errors: usize,
        warnings: usize,
        notes: usize,
    },
}

impl Finding {
    /// How many kinds of finding there are.
    pub const KINDS: usize = 24;

    /// The kind of this finding, in `0..KINDS`.
    pub fn kind(&self) -> usize {
        match self {
            Finding::EmptySiteId => 0,
            Finding::MissingLevel => 1,
            Finding::UnknownLevel { .. } => 2,
            Finding::DuplicateSiteId { .. } => 3,
            Finding::BadNumber { .. } => 4,
            Finding::NegativeNumber { .. } => 5,
            Finding::NotWhole { .. } => 6,
            Finding::ScoreOutOfRange { .. } => 7,
            Finding::BadBoolean { .. } => 8,
            Finding::UnknownKind { .. } => 9,
            Finding::NameDefaulted => 10,
            Finding::UnknownParent { .. } => 11,
            Finding::Cycle { .. } => 12,
            Finding::LevelInversion { .. } => 13,
            Finding::PopulationClamped { .. } => 14,
            Finding::DuplicateHeader { .. } => 15,
            Finding::IgnoredHeader { .. } => 16,
            Finding::ExtraCells { .. } => 17,
            Finding::UnclosedQuote => 18,
            Finding::EncodingReplaced { .. } => 19,
            Finding::NotListed { .. } => 20,
            Finding::TooLarge { .. } => 21,
            Finding::ShortRow { .. } => 22,
            Finding::SiteConflict { .. } => 23,
        }
    }

    /// The message a planner reads.
    pub fn message(&self, lang: Lang) -> String {
        let zh = lang == Lang::Zh;
        // File content is quoted as a short excerpt.
        let q = |s: &String| excerpt(s);
        match self {
            Finding::EmptySiteId => lang
                .pick(
                    "网站标识码为空，该行未导入",
                    "site_id is empty; row not imported",
                )
                .into(),
            Finding::MissingLevel => lang
                .pick("缺少层级，该行未导入", "level is missing; row not imported")
                .into(),
            Finding::UnknownLevel { value } => {
                let value = q(value);
                if zh {
                    format!("无法识别的层级“{value}”（应为 国家/省/市/县/乡镇 或 0–4），该行未导入")
                } else {
                    format!(
                        "unknown level \"{value}\" (expected national/province/prefecture/county/township or 0–4); row not imported"
                    )
                }
            }
            Finding::DuplicateSiteId { id, first_line } => {
                let id = q(id);
                if zh {
                    format!("网站标识码“{id}”重复（第 {first_line} 行已出现），该行未导入")
                } else {
                    format!("site_id \"{id}\" already used on line {first_line}; row not imported")
                }
            }
            Finding::BadNumber { value } => {
                let value = q(value);
                if zh {
                    format!("“{value}”不是数字，按缺失处理")
                } else {
                    format!("\"{value}\" is not a number; treated as missing")
                }
            }
            Finding::NegativeNumber { value } => {
                let value = q(value);
                if zh {
                    format!("“{value}”为负数，按缺失处理")
                } else {
                    format!("\"{value}\" is negative; treated as missing")
                }
            }
            Finding::NotWhole { value } => {
                let value = q(value);
                if zh {
                    format!("“{value}”应为整数，按缺失处理")
                } else {
                    format!("\"{value}\" should be a whole number; treated as missing")
                }
            }
            Finding::TooLarge { value } => {
                if zh {
                    format!(
                        "“{}”超过 10^15（千万亿），不是真实数字，按缺失处理",
                        q(value)
                    )
                } else {
                    format!(
                        "\"{}\" is over 10^15, larger than any real figure; treated as missing",
                        q(value)
                    )
                }
            }
            Finding::ScoreOutOfRange { value } => {
                let value = q(value);
                if zh {
                    format!("得分“{value}”不在 0–100 之间，按缺失处理")
                } else {
                    format!("score \"{value}\" is outside 0–100; treated as missing")
                }
            }
            Finding::BadBoolean { value } => {
                let value = q(value);
                if zh {
                    format!("“{value}”不是 合格/不合格（是/否），按缺失处理")
                } else {
                    format!("\"{value}\" is not yes/no (pass/fail); treated as missing")
                }
            }
            Finding::UnknownKind { value } => {
                let value = q(value);
                if zh {
                    format!("无法识别的类型“{value}”（应为 门户 或 部门），按门户处理")
                } else {
                    format!(
                        "unknown kind \"{value}\" (expected portal or department); treated as portal"
                    )
                }
            }
            Finding::NameDefaulted => lang
                .pick("缺少网站名称，以标识码代替", "no name; the site_id is used")
                .into(),
            Finding::UnknownParent { parent } => {
                let parent = q(parent);
                if zh {
                    format!("上级“{parent}”不存在，按顶层网站处理")
                } else {
                    format!("parent \"{parent}\" does not exist; imported as a top site")
                }
            }
            Finding::Cycle { members } => {
                // A cycle of 100,000 sites names the first ones.
                let first = members.first().map(q).unwrap_or_default();
                if zh {
                    let chain = excerpt_list(
                        members,
                        |s| s.to_string(),
                        " → ",
                        |n| format!(" → …（另有 {n} 个网站）"),
                    );
                    format!("上级关系成环：{chain} → {first}；本网站改为顶层网站")
                } else {
                    let chain = excerpt_list(
                        members,
                        |s| s.to_string(),
                        " → ",
                        |n| format!(" → … ({n} more sites)"),
                    );
                    format!(
                        "parent links form a cycle: {chain} → {first}; this site became a top site"
                    )
                }
            }
            Finding::LevelInversion {
                parent,
                parent_level,
                level,
            } => {
                let parent = q(parent);
                if zh {
                    format!("上级“{parent}”的层级（{parent_level}）低于本网站（{level}）")
                } else {
                    format!(
                        "parent \"{parent}\" is at a lower level ({parent_level}) than this site ({level})"
                    )
                }
            }
            Finding::PopulationClamped {
                population,
                children,
            } => {
                if zh {
                    format!(
                        "下级门户人口合计 {children} 超过本级服务人口 {population}，本级自有人口记为 0"
                    )
                } else {
                    format!(
                        "child portals' population {children} exceeds this site's {population}; own population counted as 0"
                    )
                }
            }
            Finding::DuplicateHeader { header, column } => {
                let header = q(header);
                if zh {
                    format!("列“{header}”与前面的列同为 {column}，已忽略")
                } else {
                    format!("column \"{header}\" is another {column} column; ignored")
                }
            }
            Finding::IgnoredHeader { header } => {
                let header = q(header);
                if zh {
                    format!("列“{header}”无法识别，已忽略")
                } else {
                    format!("column \"{header}\" is not one Sitefold knows; ignored")
                }
            }
            Finding::ShortRow { cells, expected } => {
                if zh {
                    format!(
                        "本行只有 {cells} 个单元格，表头有 {expected} 列（文件可能被截断）；缺少的值按缺失处理"
                    )
                } else {
                    format!(
                        "the row has {cells} cells for {expected} columns (is the file cut short?); the values it lacks are missing"
                    )
                }
            }
            Finding::ExtraCells { count } => {
                if zh {
                    format!("本行比表头多 {count} 个单元格，多余部分已忽略")
                } else {
                    format!("{count} more cells than the header; the extra cells were ignored")
                }
            }
            Finding::UnclosedQuote => lang
                .pick(
                    "此处的引号没有闭合，其后的内容被读成一个单元格",
                    "a quote opened here is never closed; everything after it was read as one cell",
                )
                .into(),
            Finding::EncodingReplaced { encoding } => {
                if zh {
                    format!("部分内容不是有效的 {encoding} 编码，已替换为 �")
                } else {
                    format!("some bytes are not valid {encoding}; replaced with �")
                }
            }
            Finding::SiteConflict {
                id,
                kept_file,
                kept_line,
                fields,
                choice,
            } => {
                let id = q(id);
                let how = super::assemble::choice_label(choice, lang);
                if zh {
                    let differ = if fields.is_empty() {
                        "两行内容相同".to_string()
                    } else {
                        let names: Vec<&str> = fields
                            .iter()
                            .map(|k| {
                                super::Column::ALL
                                    .iter()
                                    .find(|c| c.key() == k)
                                    .map_or(k.as_str(), |c| c.zh())
                            })
                            .collect();
                        format!("不同的字段：{}", names.join("、"))
                    };
                    format!(
                        "网站标识码“{id}”也在 {kept_file} 第 {kept_line} 行，按“{how}”采用了那一行，本行未采用；{differ}"
                    )
                } else {
                    let differ = if fields.is_empty() {
                        "the rows are the same".to_string()
                    } else {
                        format!("fields that differ: {}", fields.join(", "))
                    };
                    format!(
                        "site_id \"{id}\" is also on line {kept_line} of {kept_file}, whose row was kept ({how}); this row was left out; {differ}"
                    )
                }
            }
            Finding::NotListed {
                rejected,
                errors,
                warnings,
                notes,
            } => {
                let all = rejected + errors + warnings + notes;
                if zh {
                    format!(
                        "问题过多：每类问题只列出前 {MAX_LISTED_ISSUES} 条，另有 {all} 条只计数未列出（{rejected} 行未导入、{errors} 个错误、{warnings} 个警告、{notes} 条提示），已计入总数"
                    )
                } else {
                    format!(
                        "too many problems to list: the first {MAX_LISTED_ISSUES} of each kind are listed; {all} more were counted but not listed ({rejected} rows rejected, {errors} errors, {warnings} warnings, {notes} notes), and are in the totals"
                    )
                }
            }
        }
    }
}

/// One entry of the import report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Issue {
    /// How serious it is.
    pub severity: Severity,
    /// File line (CSV) or sheet row (spreadsheet), 1-based; 0 for the file as a whole.
    pub line: u64,
    /// 1-based column number, when one cell is concerned.
    pub column: Option<usize>,
    /// The header of that column.
    pub header: Option<String>,
    /// The site concerned, when known.
    pub site_id: Option<String>,
    /// What was found.
    pub finding: Finding,
    /// The raw row, for rejected rows.
    pub raw: Option<Vec<String>>,
    /// The file it is in, when the report covers several files (an
    /// inventory assembled from them); `None`: the report's own `source`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
}

impl Issue {
    /// The file the issue is in: its own, else the report's.
    pub fn file_in<'a>(&'a self, report: &'a ImportReport) -> &'a str {
        self.file.as_deref().unwrap_or(&report.source)
    }

    /// True when its line is a sheet row (the file is a workbook), in
    /// a report that reads rows when `report_is_row`.
    pub fn is_row(&self, report_is_row: bool) -> bool {
        match &self.file {
            Some(f) => super::open::is_spreadsheet_path(std::path::Path::new(f)),
            None => report_is_row,
        }
    }
}

/// The import report of one file.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct ImportReport {
    /// The file, as the planner named it.
    pub source: String,
    /// Data rows read (blank lines excluded).
    pub rows_read: usize,
    /// Sites imported.
    pub sites: usize,
    /// Every finding, in file order within each pass.
    pub issues: Vec<Issue>,
    /// Encoding the file was read in.
    pub encoding: String,
    /// "line" for text files, "row" for spreadsheets.
    pub location_is_row: bool,
    /// Issues counted but not listed, by severity (rejected, errors,
    /// warnings, notes): past [`MAX_LISTED_ISSUES`] of a kind.
    #[serde(default)]
    pub unlisted: [usize; 4],
    /// Issues listed so far, by kind of finding (while importing).
    #[serde(skip)]
    pub(crate) listed: [usize; Finding::KINDS],
    /// The distinct values of the level, kind and inspection-result
    /// columns, when the import was asked to count them
    /// ([`super::ImportOptions::count_values`]); not saved.
    #[serde(skip)]
    pub values: super::census::ValueCensus,
}

impl ImportReport {
    /// Rows not imported.
    pub fn rejected(&self) -> usize {
        self.count(Severity::Rejected)
    }

    /// Bad cells.
    pub fn errors(&self) -> usize {
        self.count(Severity::Error)
    }

    /// Warnings.
    pub fn warnings(&self) -> usize {
        self.count(Severity::Warning)
    }

    fn count(&self, s: Severity) -> usize {
        self.issues.iter().filter(|i| i.severity == s).count() + self.unlisted[s as usize]
    }

    /// Adds an issue to the list, or past [`MAX_LISTED_ISSUES`] of its
    /// kind to the counts of issues not listed.
    pub fn add(&mut self, issue: Issue) {
        let listed = &mut self.listed[issue.finding.kind()];
        if *listed < MAX_LISTED_ISSUES {
            *listed += 1;
            self.issues.push(issue);
        } else {
            self.unlisted[issue.severity as usize] += 1;
        }
    }

    /// Issues counted but not listed.
    pub fn not_listed(&self) -> usize {
        self.unlisted.iter().sum()
    }

    /// Once every issue is in: when some were only counted, a warning
    /// for the whole file that says how many (listed first, after the
    /// sort by line).
    pub fn note_unlisted(&mut self) {
        if self.not_listed() == 0 {
            return;
        }
        let [rejected, errors, warnings, notes] = self.unlisted;
        self.issues.push(Issue {
            severity: Severity::Warning,
            line: 0,
            column: None,
            header: None,
            site_id: None,
            finding: Finding::NotListed {
                rejected,
                errors,
                warnings,
                notes,
            },
            raw: None,
            file: None,
        });
    }

    /// True when no row was rejected and no cell was bad.
    pub fn is_clean(&self) -> bool {
        self.rejected() == 0 && self.errors() == 0
    }

    /// "file:line:column" for an issue.
    pub fn location(&self, issue: &Issue) -> String {
        let file = issue.file_in(self);
        match (issue.line, issue.column) {
            (0, _) => file.to_string(),
            (l, Some(c)) => format!("{file}:{l}:{c}"),
            (l, None) => format!("{file}:{l}"),
        }
    }

    /// One line per issue: location, severity, column header, message.
    pub fn render_issue(&self, issue: &Issue, lang: Lang) -> String {
        let mut s = format!("{}: {}", self.location(issue), issue.severity.label(lang));
        if let Some(h) = &issue.header {
            s.push_str(&format!(" [{}]", excerpt(h)));
        }
        if let Some(id) = &issue.site_id {
            s.push_str(&format!(" ({})", excerpt(id)));
        }
        s.push_str(": ");
        s.push_str(&issue.finding.message(lang));
        if let Some(raw) = &issue.raw {
            let cells: Vec<String> = raw.iter().take(MAX_RAW_CELLS).map(|c| excerpt(c)).collect();
            s.push_str(&format!("\n    {}", cells.join(",")));
            if raw.len() > MAX_RAW_CELLS {
                s.push_str(",…");
            }
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts_are_short_and_cut_between_characters() {
        assert_eq!(excerpt("  县政府 \n"), "县政府");
        assert_eq!(excerpt("a\nb\tc"), "a b c");
        let exact = "长".repeat(EXCERPT_CHARS);
        assert_eq!(excerpt(&exact), exact);
        let long = "长".repeat(EXCERPT_CHARS + 1);
        let cut = excerpt(&long);
        assert_eq!(cut.chars().count(), EXCERPT_CHARS);
        assert!(cut.ends_with('…'));
        assert!(cut.starts_with(&"长".repeat(EXCERPT_CHARS - 1)));
        // Mixed widths: every cut is at a character boundary.
        let mixed = "a名€😀".repeat(100);
        for max in 1..60 {
            let e = excerpt_chars(&mixed, max);
            assert_eq!(e.chars().count(), max, "{max}");
        }
        assert_eq!(excerpt(""), "");
    }

    #[test]
    fn lists_name_twenty_and_count_the_rest() {
        let items: Vec<String> = (0..25).map(|i| format!("h{i}")).collect();
        let en = quoted_list(&items, Lang::En);
        assert!(en.starts_with("\"h0\", \"h1\""), "{en}");
        assert!(en.ends_with("\"h19\" and 5 more"), "{en}");
        let zh = quoted_list(&items, Lang::Zh);
        assert!(zh.ends_with("“h19” 等（另有 5 项）"), "{zh}");
        assert_eq!(quoted_list(&items[..2], Lang::En), "\"h0\", \"h1\"");
        let raw = raw_cells(std::iter::repeat_n("x", 100));
        assert_eq!(raw.len(), MAX_RAW_CELLS + 1);
        assert_eq!(raw.last().map(String::as_str), Some("…"));
        assert_eq!(raw_cells(["a", "b"]), ["a", "b"]);
    }

    #[test]
    fn quoted_parts_of_reader_messages_are_cut() {
        let value = "值".repeat(1000);
        let m = format!("unknown variant `{value}`, expected one of `a`, `b` at line 1 column 9");
        let e = excerpt_quoted(&m, 300);
        assert!(
            e.contains("expected one of `a`, `b` at line 1 column 9"),
            "{e}"
        );
        assert!(!e.contains(&"值".repeat(EXCERPT_CHARS)), "{e}");
        let m = format!("invalid type: string \"{value}\", expected a number");
        let e = excerpt_quoted(&m, 300);
        assert!(e.ends_with("\", expected a number"), "{e}");
    }

    #[test]
    fn issues_past_the_limit_of_a_kind_are_counted() {
        let issue = |finding: Finding, severity: Severity| Issue {
            severity,
            line: 2,
            column: None,
            header: None,
            site_id: None,
            finding,
            raw: None,
            file: None,
        };
        let mut report = ImportReport::default();
        for _ in 0..MAX_LISTED_ISSUES + 3 {
            report.add(issue(Finding::NameDefaulted, Severity::Warning));
        }
        report.add(issue(Finding::EmptySiteId, Severity::Rejected));
        assert_eq!(report.issues.len(), MAX_LISTED_ISSUES + 1);
        assert_eq!(report.not_listed(), 3);
        assert_eq!(report.warnings(), MAX_LISTED_ISSUES + 3);
        assert_eq!(report.rejected(), 1);
        report.note_unlisted();
        assert_eq!(report.warnings(), MAX_LISTED_ISSUES + 4);
        let note = report.issues.last().expect("the note");
        assert_eq!(note.line, 0);
        assert!(
            report
                .render_issue(note, Lang::En)
                .contains("3 more were counted")
        );
    }
}
