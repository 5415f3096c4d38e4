//! Reading the planner's TOML files with positions, recovering from errors
//! so that good lines are still used.

use toml::Spanned;
use toml::de::{DeString, DeTable, DeValue};

use crate::diag::FileIssue;
use crate::i18n::Text;
use crate::inventory::{excerpt, excerpt_quoted};

/// Most syntax problems reported for one file; the rest are counted.
pub const MAX_SYNTAX_ISSUES: usize = 1000;

/// Most characters of the TOML reader's message quoted (it may quote the
/// file).
const SYNTAX_MESSAGE_CHARS: usize = 200;

/// A parsed TOML document with its syntax problems.
pub struct TomlDoc<'i> {
    lines: LineIndex<'i>,
    /// The top table.
    pub table: DeTable<'i>,
    /// Syntax problems, located.
    pub issues: Vec<FileIssue>,
}

/// Where each line of a text begins, found once, so that the line of any
/// offset is a binary search (finding it by counting from the start for
/// each rule made 100,000 rules take minutes).
pub struct LineIndex<'i> {
    text: &'i str,
    /// Byte offset of the start of every line after the first.
    starts: Vec<usize>,
}

impl<'i> LineIndex<'i> {
    /// The index of `text`'s lines.
    pub fn new(text: &'i str) -> Self {
        LineIndex {
            text,
            starts: memchr::memchr_iter(b'\n', text.as_bytes())
                .map(|i| i + 1)
                .collect(),
        }
    }

    /// 1-based line of a byte offset.
    pub fn line(&self, offset: usize) -> u64 {
        let offset = offset.min(self.text.len());
        self.starts.partition_point(|&s| s <= offset) as u64 + 1
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (u64, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line(offset);
        let start = if line == 1 {
            0
        } else {
            self.starts[line as usize - 2]
        };
        let col = self
            .text
            .get(start..offset)
            .map_or(offset - start, |s| s.chars().count())
            + 1;
        (line, col)
    }
}

impl<'i> TomlDoc<'i> {
    /// Parses with best-effort recovery.
    pub fn parse(text: &'i str, source: &str) -> Self {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let (table, errors) = DeTable::parse_recoverable(text);
        let lines = LineIndex::new(text);
        let mut issues: Vec<FileIssue> = errors
            .iter()
            .take(MAX_SYNTAX_ISSUES)
            .map(|e| {
                let (line, col) = e.span().map_or((0, 0), |s| lines.line_col(s.start));
                let message = excerpt_quoted(e.message(), SYNTAX_MESSAGE_CHARS);
                let mut i = FileIssue::error(
                    source,
                    line,
                    Text::new(
                        format!("TOML 语法错误：{message}"),
                        format!("TOML syntax error: {message}"),
                    ),
                );
                i.column = (col > 0).then_some(col);
                i
            })
            .collect();
        if errors.len() > MAX_SYNTAX_ISSUES {
            let more = errors.len() - MAX_SYNTAX_ISSUES;
            issues.push(FileIssue::error(
                source,
                0,
                Text::new(
                    format!("另有 {more} 处 TOML 语法错误未列出"),
                    format!("{more} more TOML syntax errors not listed"),
                ),
            ));
        }
        TomlDoc {
            lines,
            table: table.into_inner(),
            issues,
        }
    }

    /// 1-based line of a byte offset.
    pub fn line(&self, offset: usize) -> u64 {
        self.lines.line(offset)
    }

    /// The entries of the first of `sections` present as a table, else the
    /// top table's non-table entries.
    pub fn table_or_section(
        &self,
        sections: &[&str],
    ) -> Vec<(&Spanned<DeString<'i>>, &Spanned<DeValue<'i>>)> {
        for name in sections {
            if let Some((_, v)) = self
                .table
                .iter()
                .find(|(k, _)| k.get_ref().as_ref() == *name)
                && let DeValue::Table(t) = v.get_ref()
            {
                return t.iter().collect();
            }
        }
        self.table
            .iter()
            .filter(|(_, v)| !matches!(v.get_ref(), DeValue::Table(_)))
            .collect()
    }
}

/// A key as quoted in a message (a short excerpt of it).
pub fn key(k: &str) -> String {
    excerpt(k)
}

/// A number (integer or float).
pub fn as_f64(v: &DeValue<'_>) -> Option<f64> {
    match v {
        DeValue::Integer(i) => {
            let s = i.as_str().replace('_', "");
            let s = s.trim_start_matches('+');
            let parsed = match i.radix() {
                10 => s.parse::<i64>().ok(),
                r => {
                    let digits = s.get(2..).unwrap_or("");
                    i64::from_str_radix(digits, r).ok()
                }
            };
            parsed.map(|x| x as f64)
        }
        DeValue::Float(f) => f
            .as_str()
            .replace('_', "")
            .parse::<f64>()
            .ok()
            .filter(|x| x.is_finite()),
        DeValue::String(s) => crate::inventory::values::parse_number(s).ok().flatten(),
        _ => None,
    }
}

/// True for `"none"`, `""`, `"无"`, `false`: an explicitly absent setting.
pub fn is_none_word(v: &DeValue<'_>) -> bool {
    match v {
        DeValue::String(s) => matches!(
            s.trim().to_lowercase().as_str(),
            "" | "none" | "无" | "不限"
        ),
        DeValue::Boolean(false) => true,
        _ => false,
    }
}

/// A value as written, for messages (a short excerpt of it).
pub fn show(v: &DeValue<'_>) -> String {
    match v {
        DeValue::String(s) => format!("\"{}\"", excerpt(s)),
        DeValue::Integer(i) => excerpt(i.as_str()),
        DeValue::Float(f) => excerpt(f.as_str()),
        DeValue::Boolean(b) => b.to_string(),
        DeValue::Datetime(d) => d.to_string(),
        DeValue::Array(_) => "[…]".into(),
        DeValue::Table(_) => "{…}".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_index_agrees_with_counting_from_the_start() {
        let text = "a = 1\n\n名称 = \"镇\"\r\nb = [\n  1,\n]\n";
        let index = LineIndex::new(text);
        for offset in 0..=text.len() + 3 {
            if text.is_char_boundary(offset.min(text.len())) {
                assert_eq!(
                    index.line_col(offset),
                    crate::diag::line_col(text, offset),
                    "offset {offset}"
                );
            }
        }
        assert_eq!(LineIndex::new("").line(0), 1);
    }
}
