//! Problems found in the planner's own files (plan, rules, parameters),
//! located by file and line, with messages in both languages.

use serde::Serialize;

use crate::i18n::{Lang, Text};

/// A problem at a place in a file. The line was skipped; good lines were used.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FileIssue {
    /// The file, as the planner named it.
    pub source: String,
    /// 1-based line; 0 for the whole file.
    pub line: u64,
    /// 1-based column, when known.
    pub column: Option<usize>,
    /// Chinese message.
    pub zh: String,
    /// English message.
    pub en: String,
    /// False for a warning (the line was used).
    pub is_error: bool,
}

impl FileIssue {
    /// An error at a line.
    pub fn error(source: &str, line: u64, text: Text) -> Self {
        FileIssue {
            source: source.to_string(),
            line,
            column: None,
            zh: text.zh,
            en: text.en,
            is_error: true,
        }
    }

    /// A warning at a line.
    pub fn warning(source: &str, line: u64, text: Text) -> Self {
        FileIssue {
            is_error: false,
            ..FileIssue::error(source, line, text)
        }
    }

    /// The message in `lang`.
    pub fn message(&self, lang: Lang) -> &str {
        lang.pick(&self.zh, &self.en)
    }

    /// `file:line[:column]: message`.
    pub fn render(&self, lang: Lang) -> String {
        let kind = if self.is_error {
            lang.pick("错误", "error")
        } else {
            lang.pick("警告", "warning")
        };
        match (self.line, self.column) {
            (0, _) => format!("{}: {kind}: {}", self.source, self.message(lang)),
            (l, Some(c)) => format!("{}:{l}:{c}: {kind}: {}", self.source, self.message(lang)),
            (l, None) => format!("{}:{l}: {kind}: {}", self.source, self.message(lang)),
        }
    }
}

/// The 1-based line and column of a byte offset in `text`.
pub fn line_col(text: &str, offset: usize) -> (u64, usize) {
    let offset = offset.min(text.len());
    let before = &text.as_bytes()[..offset];
    let line = before.iter().filter(|&&b| b == b'\n').count() as u64 + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1);
    let col = text
        .get(line_start..offset)
        .map_or(offset - line_start, |s| s.chars().count())
        + 1;
    (line, col)
}
