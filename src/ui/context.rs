//! What every panel reads: the document, the selection, the language and
//! the optimizer's results. Panels get it; only the app builds it.

use crate::i18n::{Lang, Text};

use super::document::Document;
use super::selection::Selection;

/// The optimizer's running job and last results.
#[derive(Default)]
pub struct OptimizerResults {
    /// The running job.
    pub job: Option<super::jobs::Job>,
    /// The last optimized plan.
    pub solution: Option<crate::optimize::Solution>,
    /// The last frontier.
    pub frontier: Option<crate::optimize::Frontier>,
    /// Why the last run gave no plan.
    pub message: Option<Text>,
}

/// Context the panels read.
pub struct Cx<'a> {
    /// The optimizer's state.
    pub optimizer: &'a OptimizerResults,
    /// The document.
    pub doc: &'a Document,
    /// Interface language.
    pub lang: Lang,
    /// The selection.
    pub selection: &'a Selection,
}
