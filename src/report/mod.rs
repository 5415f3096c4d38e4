//! The plan report (`.docx`): what a plan does, written for a provincial
//! office to circulate, in Chinese or English.
//!
//! ```no_run
//! use sitefold::i18n::Lang;
//! let ws = sitefold::workspace::Workspace::new(sitefold::sample::sample());
//! let model = ws.model();
//! let (resolved, outcome) = ws.evaluate_with(&model);
//! let data = sitefold::export::PlanExport { ws: &ws, model: &model, resolved: &resolved, outcome: &outcome };
//! let _bytes = sitefold::report::report_docx(&data, Lang::Zh, None, &|_| true)?;
//! # Ok::<(), sitefold::export::ExportError>(())
//! ```
//!
//! A4 pages laid out as Chinese official documents are (GB/T 9704): the
//! title, sections numbered 一、二、三 with sub-headings （一）（二）,
//! body text in FangSong (仿宋) at 16 pt on a fixed line pitch, headings
//! in SimHei (黑体) and KaiTi (楷体), page numbers "— 1 —" at the foot.
//! English reports have the same structure.
//!
//! Every figure comes from the [`Summary`](crate::outcome::Summary), its
//! tables ([`crate::export::summary_tables`]) and the areas
//! ([`crate::outcome::by_area`]) that `sitefold summary` prints, so the
//! report and the summary agree to the fen by construction.
//!
//! The report is built in two steps: [`build`] writes the words, tables
//! and charts ([`Report`], independent of the file format), and
//! [`report_docx`] lays them out as a Word document (with `docx-rs`).

mod appendix;
mod content;
mod docx;
mod words;

pub use content::{Block, Picture, Report, ReportTable, Section, build};
pub use docx::{render as render_docx, report_docx, save_report_with};

use crate::i18n::Lang;
use crate::workspace::Workspace;

/// HOOK (issue 17, the schedule and cash flow): the report's section on
/// when sites close and what that costs and saves quarter by quarter.
///
/// The report takes an optional timeline [`Section`] and prints it after
/// the receiving sites, numbered like the others ([`build`]'s
/// `timeline`). The schedule is not part of the workspace yet; once it
/// is, this builds the section from it (paragraphs, the quarterly cash
/// flow as a [`ReportTable`], a chart as a [`Picture`]) and the app's
/// and the command line's reports carry it with no other change. Until
/// then there is none.
pub fn timeline_section(_ws: &Workspace, _lang: Lang) -> Option<Section> {
    None
}
