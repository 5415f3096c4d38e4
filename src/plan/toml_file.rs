//! Reading the planner's TOML files with positions, recovering from errors
//! so that good lines are still used.

use toml::Spanned;
use toml::de::{DeString, DeTable, DeValue};

use crate::diag::{FileIssue, line_col};
use crate::i18n::Text;

/// A parsed TOML document with its syntax problems.
pub struct TomlDoc<'i> {
    text: &'i str,
    /// The top table.
    pub table: DeTable<'i>,
    /// Syntax problems, located.
    pub issues: Vec<FileIssue>,
}

impl<'i> TomlDoc<'i> {
    /// Parses with best-effort recovery.
    pub fn parse(text: &'i str, source: &str) -> Self {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let (table, errors) = DeTable::parse_recoverable(text);
        let issues = errors
            .iter()
            .map(|e| {
                let (line, col) = e.span().map_or((0, 0), |s| line_col(text, s.start));
                let mut i = FileIssue::error(
                    source,
                    line,
                    Text::new(
                        format!("TOML 语法错误：{}", e.message()),
                        format!("TOML syntax error: {}", e.message()),
                    ),
                );
                i.column = (col > 0).then_some(col);
                i
            })
            .collect();
        TomlDoc {
            text,
            table: table.into_inner(),
            issues,
        }
    }

    /// 1-based line of a byte offset.
    pub fn line(&self, offset: usize) -> u64 {
        line_col(self.text, offset).0
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

/// A value as written, for messages.
pub fn show(v: &DeValue<'_>) -> String {
    match v {
        DeValue::String(s) => format!("\"{s}\""),
        DeValue::Integer(i) => i.as_str().to_string(),
        DeValue::Float(f) => f.as_str().to_string(),
        DeValue::Boolean(b) => b.to_string(),
        DeValue::Datetime(d) => d.to_string(),
        DeValue::Array(_) => "[…]".into(),
        DeValue::Table(_) => "{…}".into(),
    }
}
