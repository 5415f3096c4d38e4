//! Why a chart could not be drawn or written.

use std::path::PathBuf;

use crate::i18n::Lang;

use super::{MAX_PIXELS, MAX_SIDE};

/// Why a chart could not be drawn or written. It displays in English;
/// [`ChartError::message`] gives either language.
#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    /// A side of the picture is 0 or longer than [`MAX_SIDE`].
    #[error("chart size {width}×{height} is outside 1…{MAX_SIDE} pixels")]
    SideOutOfRange {
        /// Width asked for, in pixels.
        width: u32,
        /// Height asked for, in pixels.
        height: u32,
    },
    /// The picture has more than [`MAX_PIXELS`] pixels.
    #[error("chart size {width}×{height} is more than {MAX_PIXELS} pixels")]
    TooManyPixels {
        /// Width asked for, in pixels.
        width: u32,
        /// Height asked for, in pixels.
        height: u32,
    },
    /// The bundled font could not be registered with plotters.
    #[error("the bundled chart font could not be read")]
    Font,
    /// plotters could not draw (what its backend said).
    #[error("chart drawing failed: {0}")]
    Draw(String),
    /// The chart file could not be written.
    #[error("{}: {}", .path.display(), crate::atomic::describe(.source, Lang::En))]
    Write {
        /// The file.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
}

impl ChartError {
    /// The message in `lang` (only a file that could not be written has
    /// words of the planner's language; the others are for a bug report).
    pub fn message(&self, lang: Lang) -> String {
        match self {
            ChartError::Write { path, source } => format!(
                "{}: {}",
                path.display(),
                crate::atomic::describe(source, lang)
            ),
            other => other.to_string(),
        }
    }

    /// True when the message begins with the file's name (the file could
    /// not be written).
    pub fn names_file(&self) -> bool {
        matches!(self, ChartError::Write { .. })
    }

    /// A failure of plotters' drawing.
    pub(crate) fn draw(e: impl std::fmt::Display) -> ChartError {
        ChartError::Draw(e.to_string())
    }
}
