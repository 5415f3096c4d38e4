//! The import report: every rejected row, bad cell and warning, with where it
//! was found and a message in both languages.

use serde::{Deserialize, Serialize};

use crate::i18n::Lang;

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
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
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
}

impl Finding {
    /// The message a planner reads.
    pub fn message(&self, lang: Lang) -> String {
        let zh = lang == Lang::Zh;
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
                if zh {
                    format!("无法识别的层级“{value}”（应为 国家/省/市/县/乡镇 或 0–4），该行未导入")
                } else {
                    format!(
                        "unknown level \"{value}\" (expected national/province/prefecture/county/township or 0–4); row not imported"
                    )
                }
            }
            Finding::DuplicateSiteId { id, first_line } => {
                if zh {
                    format!("网站标识码“{id}”重复（第 {first_line} 行已出现），该行未导入")
                } else {
                    format!("site_id \"{id}\" already used on line {first_line}; row not imported")
                }
            }
            Finding::BadNumber { value } => {
                if zh {
                    format!("“{value}”不是数字，按缺失处理")
                } else {
                    format!("\"{value}\" is not a number; treated as missing")
                }
            }
            Finding::NegativeNumber { value } => {
                if zh {
                    format!("“{value}”为负数，按缺失处理")
                } else {
                    format!("\"{value}\" is negative; treated as missing")
                }
            }
            Finding::NotWhole { value } => {
                if zh {
                    format!("“{value}”应为整数，按缺失处理")
                } else {
                    format!("\"{value}\" should be a whole number; treated as missing")
                }
            }
            Finding::TooLarge { value } => {
                if zh {
                    format!("“{value}”超过 10^15（千万亿），不是真实数字，按缺失处理")
                } else {
                    format!(
                        "\"{value}\" is over 10^15, larger than any real figure; treated as missing"
                    )
                }
            }
            Finding::ScoreOutOfRange { value } => {
                if zh {
                    format!("得分“{value}”不在 0–100 之间，按缺失处理")
                } else {
                    format!("score \"{value}\" is outside 0–100; treated as missing")
                }
            }
            Finding::BadBoolean { value } => {
                if zh {
                    format!("“{value}”不是 合格/不合格（是/否），按缺失处理")
                } else {
                    format!("\"{value}\" is not yes/no (pass/fail); treated as missing")
                }
            }
            Finding::UnknownKind { value } => {
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
                if zh {
                    format!("上级“{parent}”不存在，按顶层网站处理")
                } else {
                    format!("parent \"{parent}\" does not exist; imported as a top site")
                }
            }
            Finding::Cycle { members } => {
                let chain = members.join(" → ");
                if zh {
                    format!(
                        "上级关系成环：{chain} → {}；本网站改为顶层网站",
                        members.first().map(String::as_str).unwrap_or("")
                    )
                } else {
                    format!(
                        "parent links form a cycle: {chain} → {}; this site became a top site",
                        members.first().map(String::as_str).unwrap_or("")
                    )
                }
            }
            Finding::LevelInversion {
                parent,
                parent_level,
                level,
            } => {
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
                if zh {
                    format!("列“{header}”与前面的列同为 {column}，已忽略")
                } else {
                    format!("column \"{header}\" is another {column} column; ignored")
                }
            }
            Finding::IgnoredHeader { header } => {
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
        self.issues.iter().filter(|i| i.severity == s).count()
    }

    /// True when no row was rejected and no cell was bad.
    pub fn is_clean(&self) -> bool {
        self.rejected() == 0 && self.errors() == 0
    }

    /// "file:line:column" for an issue.
    pub fn location(&self, issue: &Issue) -> String {
        match (issue.line, issue.column) {
            (0, _) => self.source.clone(),
            (l, Some(c)) => format!("{}:{l}:{c}", self.source),
            (l, None) => format!("{}:{l}", self.source),
        }
    }

    /// One line per issue: location, severity, column header, message.
    pub fn render_issue(&self, issue: &Issue, lang: Lang) -> String {
        let mut s = format!("{}: {}", self.location(issue), issue.severity.label(lang));
        if let Some(h) = &issue.header {
            s.push_str(&format!(" [{h}]"));
        }
        if let Some(id) = &issue.site_id {
            s.push_str(&format!(" ({id})"));
        }
        s.push_str(": ");
        s.push_str(&issue.finding.message(lang));
        if let Some(raw) = &issue.raw {
            s.push_str(&format!("\n    {}", raw.join(",")));
        }
        s
    }
}
