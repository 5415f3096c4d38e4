//! Reading a round file: every line matched to a site or reported.

use std::path::Path;

use crate::diag::FileIssue;
use crate::i18n::{Lang, Text};
use crate::inventory::values::{parse_bool, parse_number};
use crate::inventory::{
    Column, ImportError, Inventory, RawTable, TableOptions, excerpt, normalize_header, read_table,
};
use crate::timeline::Quarter;

use super::{Round, RoundResult};

/// Headers the round column goes by.
pub const ROUND_HEADERS: &[&str] = &[
    "round",
    "inspection_round",
    "轮次",
    "季度",
    "检查批次",
    "检查轮次",
];

/// A round file, read.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RoundFile {
    /// The file.
    pub source: String,
    /// Its rounds (usually one), by quarter.
    pub rounds: Vec<Round>,
    /// Lines not used, and warnings, in file order.
    pub issues: Vec<FileIssue>,
    /// Data lines read.
    pub read: usize,
    /// Lines refused.
    pub rejected: usize,
}

impl RoundFile {
    /// Lines used.
    pub fn used(&self) -> usize {
        self.read - self.rejected
    }

    /// What the file gave, in a line.
    pub fn summary(&self, lang: Lang) -> String {
        let quarters: Vec<String> = self.rounds.iter().map(|r| r.quarter.to_string()).collect();
        match lang {
            Lang::Zh => format!(
                "{}：检查轮次 {}，读取 {} 行，采用 {} 行，{} 行未采用",
                self.source,
                quarters.join("、"),
                self.read,
                self.used(),
                self.rejected
            ),
            Lang::En => format!(
                "{}: round {}, {} lines read, {} used, {} not used",
                self.source,
                quarters.join(", "),
                self.read,
                self.used(),
                self.rejected
            ),
        }
    }
}

fn is_round_header(h: &str) -> bool {
    let k = normalize_header(h);
    !k.is_empty() && ROUND_HEADERS.iter().any(|n| normalize_header(n) == k)
}

/// Reads a round file (CSV in any encoding the inventory accepts, or a
/// workbook) against an inventory.
pub fn read_round_file(
    path: &Path,
    sheet: Option<String>,
    inv: &Inventory,
) -> Result<RoundFile, RoundFileError> {
    let opts = TableOptions {
        sheet,
        ..Default::default()
    };
    let table = read_table(path, &opts)?;
    parse_round_table(&table, inv).map_err(RoundFileError::Content)
}

/// Why a round file could not be used at all.
#[derive(Debug, thiserror::Error)]
pub enum RoundFileError {
    /// The file could not be read.
    #[error(transparent)]
    Read(#[from] ImportError),
    /// It lacks a required column.
    #[error("{}", .0.render(Lang::En))]
    Content(FileIssue),
}

impl RoundFileError {
    /// The message in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            RoundFileError::Read(e) => e.message(lang),
            RoundFileError::Content(issue) => issue.render(lang),
        }
    }
}

/// Reads a round table against an inventory. Fails as a whole only when
/// the site_id or round column is missing, or neither a score nor a
/// result column is there.
pub fn parse_round_table(table: &RawTable, inv: &Inventory) -> Result<RoundFile, FileIssue> {
    let source = table.source.as_str();
    let col = |c: Column| table.column(|h| Column::from_header(h) == Some(c));
    let site = col(Column::SiteId);
    let round = table.column(is_round_header);
    let score = col(Column::InspectionScore);
    let passed = col(Column::InspectionPassed);
    let (Some(site), Some(round), true) = (site, round, score.is_some() || passed.is_some()) else {
        let found = crate::inventory::quoted_list(&table.header, Lang::Zh);
        let found_en = crate::inventory::quoted_list(&table.header, Lang::En);
        return Err(FileIssue::error(
            source,
            table.header_line,
            Text::new(
                format!(
                    "检查轮次文件需要“网站标识码”“轮次”两列，以及“检查得分”或“检查结果”列；文件中的列为：{found}"
                ),
                format!(
                    "a round file needs site_id and round columns, and inspection_score or inspection_passed; found: {found_en}"
                ),
            ),
        ));
    };
    let used = [Some(site), Some(round), score, passed];
    let indicator_cols: Vec<usize> = (0..table.header.len())
        .filter(|c| !used.contains(&Some(*c)) && !table.header[*c].trim().is_empty())
        .collect();
    let indicators: Vec<String> = indicator_cols
        .iter()
        .map(|&c| table.header[c].clone())
        .collect();
    let mut file = RoundFile {
        source: source.to_string(),
        issues: table.issues.clone(),
        ..Default::default()
    };
    // Where each site was first given, by round.
    let mut given: rustc_hash::FxHashMap<(Quarter, String), u64> = Default::default();
    let mut rounds: Vec<Round> = Vec::new();
    for row in &table.rows {
        if row.cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        file.read += 1;
        let line = row.line;
        let mut problems: Vec<(usize, Text)> = Vec::new();
        let id = crate::export::unneutralise(row.cell(site).trim()).to_string();
        let shown = excerpt(&id);
        if id.is_empty() {
            problems.push((site, Text::new("缺少网站标识码", "no site_id")));
        } else if inv.find(&id).is_none() {
            problems.push((
                site,
                Text::new(
                    format!("清单中没有网站“{shown}”"),
                    format!("no site \"{shown}\" in the inventory"),
                ),
            ));
        }
        let raw_round = row.cell(round).trim();
        let quarter = Quarter::parse(raw_round);
        if quarter.is_none() {
            let r = excerpt(raw_round);
            problems.push((
                round,
                Text::new(
                    format!("轮次“{r}”无法识别，应写成 2016Q2 或 2016年第二季度"),
                    format!("round \"{r}\" is not a quarter: write 2016Q2"),
                ),
            ));
        }
        let mut value_score = None;
        if let Some(c) = score {
            let raw = row.cell(c).trim();
            match parse_number(raw) {
                Ok(Some(v)) if (0.0..=100.0).contains(&v) => value_score = Some(v),
                Ok(None) => {}
                _ => {
                    let r = excerpt(raw);
                    problems.push((
                        c,
                        Text::new(
                            format!("检查得分“{r}”应为 0 到 100 之间的数"),
                            format!("score \"{r}\" is not a number from 0 to 100"),
                        ),
                    ));
                }
            }
        }
        let mut value_passed = None;
        if let Some(c) = passed {
            let raw = row.cell(c).trim();
            if !raw.is_empty() {
                match parse_bool(raw) {
                    Some(b) => value_passed = Some(b),
                    None => {
                        let r = excerpt(raw);
                        problems.push((
                            c,
                            Text::new(
                                format!("检查结果“{r}”应为 合格/不合格 或 是/否"),
                                format!("result \"{r}\" is not pass/fail or yes/no"),
                            ),
                        ));
                    }
                }
            }
        }
        if problems.is_empty() && value_score.is_none() && value_passed.is_none() {
            let c = score.or(passed).unwrap_or(site);
            problems.push((
                c,
                Text::new("既无检查得分也无检查结果", "neither a score nor a result"),
            ));
        }
        if let (true, Some(q)) = (problems.is_empty(), quarter) {
            if let Some(first) = given.get(&(q, id.clone())) {
                problems.push((
                    site,
                    Text::new(
                        format!("网站“{shown}”在 {q} 轮中重复，以第 {first} 行为准"),
                        format!(
                            "site \"{shown}\" is given twice in round {q}; line {first} stands"
                        ),
                    ),
                ));
            } else {
                given.insert((q, id.clone()), line);
            }
        }
        if !problems.is_empty() {
            file.rejected += 1;
            for (c, text) in problems {
                let mut issue = FileIssue::error(source, line, text);
                issue.column = Some(c + 1);
                file.issues.push(issue);
            }
            continue;
        }
        let Some(q) = quarter else { continue };
        let result = RoundResult {
            site_id: id,
            score: value_score,
            passed: value_passed,
            line,
            indicators: indicator_cols
                .iter()
                .map(|&c| row.cell(c).to_string())
                .collect(),
        };
        match rounds.iter_mut().find(|r| r.quarter == q) {
            Some(r) => r.results.push(result),
            None => rounds.push(Round {
                quarter: q,
                sources: vec![source.to_string()],
                indicators: indicators.clone(),
                results: vec![result],
            }),
        }
    }
    rounds.sort_by_key(|r| r.quarter);
    file.rounds = rounds;
    Ok(file)
}
