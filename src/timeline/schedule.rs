//! The schedule file: a closure quarter per merged site.
//!
//! ```text
//! site_id,quarter
//! T1,2027Q2
//! T2,2027年第3季度
//! ```
//!
//! Read as a plan file is read: UTF-8 (with or without BOM) or GBK, the
//! header in Chinese or English (`site_id` as in the inventory; `quarter`,
//! `关停季度`, `季度`), other columns ignored. A line naming an unknown
//! site or a site that is not merged, a quarter that does not read, or a
//! site already given a quarter is reported with its line and column and
//! ignored (the first line for a site stands). Written back as
//! `site_id,quarter`, UTF-8 with BOM and CRLF, as Excel opens it.

use crate::diag::FileIssue;
use crate::i18n::{Lang, Text};
use crate::inventory::{Column, Inventory, normalize_header};
use crate::outcome::is_merged;
use crate::plan::Decision;

use super::Quarter;

/// Headers the quarter column goes by.
pub const QUARTER_HEADERS: &[&str] = &["quarter", "closure_quarter", "关停季度", "季度"];

/// Closure quarters read from a schedule file.
#[derive(Clone, Debug, Default)]
pub struct ScheduleFile {
    /// Quarter per site index (`None`: the file gives none).
    pub quarters: Vec<Option<Quarter>>,
    /// Lines ignored or doubtful, with why.
    pub issues: Vec<FileIssue>,
    /// Lines ignored.
    pub errors: usize,
}

fn is_quarter_header(h: &str) -> bool {
    let k = normalize_header(h);
    QUARTER_HEADERS.iter().any(|a| normalize_header(a) == k)
}

/// Reads a schedule file against an inventory and its decisions. Fails
/// as a whole only when the file cannot be decoded, is empty, or lacks
/// the site_id or quarter column.
pub fn parse_schedule_file(
    bytes: &[u8],
    source: &str,
    inv: &Inventory,
    decisions: &[Decision],
) -> Result<ScheduleFile, FileIssue> {
    let decoded = crate::inventory::decode(bytes, source)
        .map_err(|e| FileIssue::error(source, 0, Text::new(e.message(Lang::Zh), e.to_string())))?;
    let text: &str = &decoded.text;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rec = csv::StringRecord::new();
    let mut lines = crate::inventory::LineCounter::new(text);
    let mut file = ScheduleFile {
        quarters: vec![None; inv.len()],
        ..Default::default()
    };
    // Columns of the site id and the quarter, once the header is read.
    let mut columns: Option<(usize, usize)> = None;
    // The line that gave each site its quarter.
    let mut given_at = rustc_hash::FxHashMap::default();
    loop {
        match reader.read_record(&mut rec) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                return Err(FileIssue::error(
                    source,
                    0,
                    Text::new(format!("无法读取：{e}"), format!("cannot read: {e}")),
                ));
            }
        }
        if rec.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let line = rec.position().map_or(0, |p| lines.line_at(p.byte()));
        let Some((id_col, q_col)) = columns else {
            let h: Vec<String> = rec.iter().map(|s| s.trim().to_string()).collect();
            let id_col = h
                .iter()
                .position(|name| Column::from_header(name) == Some(Column::SiteId));
            let q_col = h.iter().position(|name| is_quarter_header(name));
            let (Some(id_col), Some(q_col)) = (id_col, q_col) else {
                return Err(FileIssue::error(
                    source,
                    line,
                    Text::new(
                        format!(
                            "时间表文件需要“网站标识码”和“关停季度”两列，文件中的列为：{}",
                            crate::inventory::quoted_list(&h, Lang::Zh)
                        ),
                        format!(
                            "a schedule file needs site_id and quarter columns; found: {}",
                            crate::inventory::quoted_list(&h, Lang::En)
                        ),
                    ),
                ));
            };
            columns = Some((id_col, q_col));
            continue;
        };
        let cell = |c: usize| rec.get(c).unwrap_or("").trim();
        // Sitefold's own files neutralise formula-like ids; read them back.
        let id = crate::export::unneutralise(cell(id_col));
        let raw = cell(q_col);
        let (id_q, raw_q) = (
            crate::inventory::excerpt(id),
            crate::inventory::excerpt(raw),
        );
        let mut fail = |col: usize, zh: String, en: String| {
            let mut issue = FileIssue::error(source, line, Text::new(zh, en));
            issue.column = Some(col + 1);
            file.issues.push(issue);
            file.errors += 1;
        };
        let Some(site) = inv.find(id) else {
            fail(
                id_col,
                format!("网站“{id_q}”不在清单中，该行已忽略"),
                format!("site \"{id_q}\" is not in the inventory; line ignored"),
            );
            continue;
        };
        let Some(quarter) = Quarter::parse(raw) else {
            fail(
                q_col,
                format!(
                    "网站“{id_q}”的关停季度“{raw_q}”无法识别（应为 2027Q1 或 2027年第1季度），该行已忽略"
                ),
                format!(
                    "site \"{id_q}\": \"{raw_q}\" is not a quarter (write 2027Q1 or 2027年第1季度); line ignored"
                ),
            );
            continue;
        };
        if !is_merged(inv, decisions, site) {
            fail(
                id_col,
                format!("网站“{id_q}”在方案中保留，不关停，该行已忽略"),
                format!("site \"{id_q}\" is kept by the plan, not merged; line ignored"),
            );
            continue;
        }
        if let Some(&(first, earlier)) = given_at.get(&site) {
            if earlier == quarter {
                let mut issue = FileIssue::warning(
                    source,
                    line,
                    Text::new(
                        format!("网站“{id_q}”已在第 {first} 行给出同一季度，该行重复"),
                        format!(
                            "site \"{id_q}\" was given the same quarter on line {first}; this line repeats it"
                        ),
                    ),
                );
                issue.column = Some(id_col + 1);
                file.issues.push(issue);
            } else {
                fail(
                    id_col,
                    format!("网站“{id_q}”已在第 {first} 行给出季度 {earlier}，该行已忽略"),
                    format!("site \"{id_q}\" was given {earlier} on line {first}; line ignored"),
                );
            }
            continue;
        }
        given_at.insert(site, (line, quarter));
        file.quarters[site] = Some(quarter);
    }
    if columns.is_none() {
        return Err(FileIssue::error(
            source,
            0,
            Text::new("时间表文件是空的", "the schedule file is empty"),
        ));
    }
    Ok(file)
}

/// Writes the quarters of the merged sites as a schedule file
/// (`site_id,quarter`, the headers every reader of it knows) that
/// [`parse_schedule_file`] reads back to the same quarters.
pub fn write_schedule_csv<W: std::io::Write>(
    inv: &Inventory,
    decisions: &[Decision],
    quarters: &[Option<Quarter>],
    out: W,
) -> std::io::Result<()> {
    let mut w = crate::inventory::excel_csv(out)?;
    w.write_record(["site_id", "quarter"])?;
    for (i, q) in quarters.iter().enumerate() {
        if let Some(q) = q
            && i < inv.len()
            && is_merged(inv, decisions, i)
        {
            let id = crate::export::neutralise(&inv.site(i).id);
            w.write_record([id.as_ref(), &q.to_string()])?;
        }
    }
    w.flush()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::{Level, Site};

    fn inv() -> Inventory {
        let mut sites = vec![Site::new("P", Level::Province)];
        for (id, parent, level) in [
            ("C", "P", Level::Prefecture),
            ("T1", "C", Level::Township),
            ("T2", "C", Level::Township),
            ("=T3", "C", Level::Township),
        ] {
            let mut s = Site::new(id, level);
            s.parent_id = parent.into();
            sites.push(s);
        }
        Inventory::link(sites).0
    }

    /// C kept, the townships merged (a merge of P is a keep: it is on top).
    fn decisions() -> Vec<Decision> {
        let m = Decision::Merge { target: None };
        vec![m, Decision::Keep, m, m, m]
    }

    fn q(s: &str) -> Option<Quarter> {
        Quarter::parse(s)
    }

    #[test]
    fn bad_lines_are_reported_with_line_and_column() {
        let text = "名称,网站标识码,关停季度\n\
                    镇一,T1,2027年第2季度\n\
                    \n\
                    无,X9,2027Q1\n\
                    市,C,2027Q1\n\
                    镇二,T2,明年\n\
                    顶,P,2027Q1\n\
                    镇一,T1,2027Q3\n\
                    镇一,T1,2027Q2\n\
                    \"镇\n二\",T2,2028Q1\n";
        let file =
            parse_schedule_file(text.as_bytes(), "s.csv", &inv(), &decisions()).expect("readable");
        let found: Vec<(u64, Option<usize>, bool)> = file
            .issues
            .iter()
            .map(|i| (i.line, i.column, i.is_error))
            .collect();
        assert_eq!(
            found,
            vec![
                (4, Some(2), true),
                (5, Some(2), true),
                (6, Some(3), true),
                (7, Some(2), true),
                (8, Some(2), true),
                (9, Some(2), false),
            ],
            "{:#?}",
            file.issues
        );
        assert_eq!(file.errors, 5);
        assert!(file.issues[0].en.contains("\"X9\" is not in the inventory"));
        assert!(file.issues[1].zh.contains("保留"), "{}", file.issues[1].zh);
        assert!(file.issues[2].en.contains("\"明年\" is not a quarter"));
        assert!(
            file.issues[3].en.contains("kept"),
            "a top site never closes"
        );
        assert!(file.issues[4].en.contains("was given 2027Q2 on line 2"));
        assert_eq!(
            file.issues[2].render(Lang::En),
            "s.csv:6:3: error: site \"T2\": \"明年\" is not a quarter (write 2027Q1 or 2027年第1季度); line ignored"
        );
        assert_eq!(
            file.quarters,
            vec![None, None, q("2027Q2"), q("2028Q1"), None]
        );
    }

    #[test]
    fn gbk_files_and_english_headers_read() {
        let text = "site_id,quarter,note\r\nT1,2027Q2,第一批\r\n'=T3,2027年第三季度,\r\n";
        let (gbk, _, _) = encoding_rs::GBK.encode(text);
        let file = parse_schedule_file(&gbk, "s.csv", &inv(), &decisions()).expect("readable");
        assert!(file.issues.is_empty(), "{:?}", file.issues);
        assert_eq!(
            file.quarters,
            vec![None, None, q("2027Q2"), None, q("2027Q3")]
        );
    }

    #[test]
    fn a_file_without_its_columns_fails_as_a_whole() {
        for (text, says) in [
            ("site_id,decision\nT1,merge\n", "needs site_id and quarter"),
            ("", "empty"),
            ("\n\n", "empty"),
        ] {
            let e = parse_schedule_file(text.as_bytes(), "s.csv", &inv(), &decisions())
                .expect_err(text);
            assert!(e.en.contains(says), "{text:?}: {}", e.en);
        }
    }

    #[test]
    fn what_is_written_reads_back() {
        let quarters = vec![q("2027Q1"), q("2027Q1"), q("2027Q4"), None, q("2031Q2")];
        let mut bytes = Vec::new();
        write_schedule_csv(&inv(), &decisions(), &quarters, &mut bytes).expect("written");
        let text = String::from_utf8(bytes.clone()).expect("UTF-8");
        assert_eq!(
            text, "\u{feff}site_id,quarter\r\nT1,2027Q4\r\n'=T3,2031Q2\r\n",
            "kept sites' quarters are not written; formula-like ids are neutralised"
        );
        let back = parse_schedule_file(&bytes, "s.csv", &inv(), &decisions()).expect("reads");
        assert!(back.issues.is_empty(), "{:?}", back.issues);
        assert_eq!(
            back.quarters,
            vec![None, None, q("2027Q4"), None, q("2031Q2")]
        );
    }
}
