//! Why a project could not be opened or saved, in the planner's words.

use crate::i18n::Lang;

use super::{EXTENSION, MAX_SCENARIOS, VERSION};

/// Why a project could not be opened or saved. It displays in English;
/// [`ProjectError::message`] gives either language.
#[derive(Debug, thiserror::Error)]
pub enum ProjectError {
    /// The file could not be read.
    #[error("{path}: cannot read the project file: {source}")]
    Io {
        /// The file.
        path: String,
        /// What the system said.
        source: std::io::Error,
    },
    /// The file could not be written.
    #[error(
        "{path}: cannot save the project (the previous file is untouched): {}",
        crate::atomic::describe(.source, Lang::En)
    )]
    Write {
        /// The file.
        path: String,
        /// What the system said.
        source: std::io::Error,
    },
    /// The file is larger than any project.
    #[error("{path}: the file is too large ({bytes} bytes) to be a Sitefold project")]
    TooLarge {
        /// The file.
        path: String,
        /// Its size.
        bytes: u64,
    },
    /// The file is not a Sitefold project.
    #[error("{path}: this is not a Sitefold project file (.{EXTENSION})")]
    NotAProject {
        /// The file.
        path: String,
    },
    /// The file was written by a newer Sitefold.
    #[error(
        "{path}: made by a newer Sitefold (version {version}); this one reads up to {VERSION}. Please update Sitefold"
    )]
    TooNew {
        /// The file.
        path: String,
        /// Its format version.
        version: u64,
    },
    /// The file ends early (an interrupted copy or download).
    #[error(
        "{path}: the project file is incomplete (it ends early): it was probably not fully copied or saved; use a backup or save it again"
    )]
    Truncated {
        /// The file.
        path: String,
    },
    /// The file is a project but its content is broken.
    #[error("{path}: the project file is damaged and cannot be opened ({detail})")]
    Damaged {
        /// The file.
        path: String,
        /// Where and what (English, for a bug report).
        detail: String,
    },
    /// Another window or program has the project open for writing.
    #[error(
        "{path}: the project is open for editing in another Sitefold window or program{}; close it there first, or use another file name",
        .holder.as_ref().map(|h| format!(" ({h})")).unwrap_or_default()
    )]
    Locked {
        /// The file.
        path: String,
        /// Who holds it and since when, when known.
        holder: Option<String>,
    },
    /// The file claims more than [`MAX_SCENARIOS`] scenarios.
    #[error(
        "{path}: the project holds more than {MAX_SCENARIOS} scenarios, the most Sitefold opens: the file is damaged or was crafted"
    )]
    TooManyScenarios {
        /// The file.
        path: String,
    },
}

impl ProjectError {
    /// The message a planner reads, in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        if lang == Lang::En {
            return self.to_string();
        }
        match self {
            ProjectError::Io { path, source } => format!("{path}：无法读取项目文件：{source}"),
            ProjectError::Write { path, source } => format!(
                "{path}：无法保存项目（原文件未改动）：{}",
                crate::atomic::describe(source, Lang::Zh)
            ),
            ProjectError::TooLarge { path, bytes } => {
                format!("{path}：文件过大（{bytes} 字节），不是 Sitefold 项目文件")
            }
            ProjectError::NotAProject { path } => {
                format!("{path}：这不是 Sitefold 项目文件（.{EXTENSION}）")
            }
            ProjectError::TooNew { path, version } => format!(
                "{path}：此项目由更新版本的 Sitefold 创建（格式版本 {version}）；当前版本最高只能读取版本 {VERSION}，请升级 Sitefold"
            ),
            ProjectError::Truncated { path } => format!(
                "{path}：项目文件不完整（在结尾之前中断），可能没有完整复制或保存；请使用备份或重新保存"
            ),
            ProjectError::Damaged { path, detail } => {
                format!("{path}：项目文件已损坏，无法打开（{detail}）")
            }
            ProjectError::Locked { path, holder } => format!(
                "{path}：此项目正在另一个 Sitefold 窗口或程序中编辑{}；请先在那里关闭，或使用其他文件名",
                holder
                    .as_ref()
                    .map(|h| format!("（{h}）"))
                    .unwrap_or_default()
            ),
            ProjectError::TooManyScenarios { path } => format!(
                "{path}：项目中的方案超过 {MAX_SCENARIOS} 个（Sitefold 最多打开这么多），文件已损坏或是恶意构造的"
            ),
        }
    }

    /// True when the file could not be read or written at all.
    pub fn is_unreadable(&self) -> bool {
        matches!(
            self,
            ProjectError::Io { .. } | ProjectError::Write { .. } | ProjectError::TooLarge { .. }
        )
    }
}
