//! The mapping dialog's preview: what importing the file with the mapping
//! on screen would give, worked out on a worker thread (a file of 100,000
//! rows takes a moment) and kept up to date as the planner changes it.

use std::path::PathBuf;

use crate::i18n::Lang;
use crate::inventory::{ImportError, Mapping, Preview, preview_path};

use super::jobs::Task;
use super::strings::MappingStr;

/// How often the dialog looks for a finished preview.
const POLL: std::time::Duration = std::time::Duration::from_millis(50);

/// A preview's result.
type Outcome = Result<Preview, ImportError>;

/// The previews of one file: the last one finished, and at most one
/// running. A change while one runs waits for it, then starts the next
/// (so quick changes never pile up worker threads).
#[derive(Default)]
pub struct PreviewJob {
    /// The last finished preview and the mapping it is for.
    shown: Option<(Mapping, Outcome)>,
    /// The running preview and the mapping it is for.
    running: Option<(Mapping, Task<Outcome>)>,
}

impl PreviewJob {
    /// Keeps the preview of `path` (sheet `sheet`) up to date with
    /// `wanted`: takes a finished result and starts the next run when the
    /// one shown is for another mapping. Asks `ctx` to look again while
    /// one runs.
    pub fn update(
        &mut self,
        ctx: &egui::Context,
        path: &std::path::Path,
        sheet: Option<&str>,
        wanted: &Mapping,
    ) {
        if let Some((_, handoff)) = &self.running
            && let Some(done) = handoff.poll()
            && let Some((mapping, _)) = self.running.take()
        {
            let outcome = done.unwrap_or_else(|_| Err(failed(path, "the preview stopped")));
            self.shown = Some((mapping, outcome));
        }
        let current = self.shown.as_ref().is_some_and(|(m, _)| m == wanted);
        if self.running.is_none() && !current {
            let (p, m, s) = (
                path.to_path_buf(),
                wanted.clone(),
                sheet.map(str::to_string),
            );
            match Task::spawn("sitefold-preview", move |_| preview_path(&p, &m, s)) {
                Ok(h) => self.running = Some((wanted.clone(), h)),
                Err(e) => {
                    self.shown = Some((wanted.clone(), Err(failed(path, &e.to_string()))));
                }
            }
        }
        if self.running.is_some() {
            ctx.request_repaint_after(POLL);
        }
    }

    /// The last finished preview, whichever mapping it is for.
    pub fn shown(&self) -> Option<&Result<Preview, ImportError>> {
        self.shown.as_ref().map(|(_, o)| o)
    }

    /// The preview of `wanted`, once finished.
    pub fn of(&self, wanted: &Mapping) -> Option<&Result<Preview, ImportError>> {
        self.shown
            .as_ref()
            .filter(|(m, _)| m == wanted)
            .map(|(_, o)| o)
    }

    /// The last finished preview, when it was made with the columns of
    /// `wanted` (its values lists are then those of `wanted`: value maps
    /// do not change which values a column holds).
    pub fn with_columns_of(&self, wanted: &Mapping) -> Option<&Preview> {
        match &self.shown {
            Some((m, Ok(p))) if m.columns == wanted.columns => Some(p),
            _ => None,
        }
    }

    /// Draws the counts and the first problems of the preview of `wanted`
    /// (the last one, marked as updating, while the next runs).
    pub fn ui(&self, ui: &mut egui::Ui, wanted: &Mapping, lang: Lang) {
        // No spinner: it would repaint every frame while a large file is
        // read; the dialog looks again every POLL.
        let Some((m, outcome)) = &self.shown else {
            ui.weak(MappingStr::Previewing.get(lang));
            return;
        };
        let stale = m != wanted;
        match outcome {
            Ok(p) => {
                ui.horizontal_wrapped(|ui| {
                    ui.strong(counts_text(p, lang));
                    if stale {
                        ui.weak(MappingStr::Updating.get(lang));
                    }
                });
                if p.errors > 0 {
                    ui.label(format!(
                        "{}{}{}",
                        MappingStr::BadCellsPre.get(lang),
                        p.errors,
                        MappingStr::BadCellsEnd.get(lang)
                    ));
                }
                if !p.problems.is_empty() {
                    ui.weak(MappingStr::FirstProblems.get(lang));
                    let red = ui.visuals().error_fg_color;
                    for issue in &p.problems {
                        let text = format!(
                            "{}{}{}",
                            super::report_panel::location_in(p.location_is_row, issue, lang),
                            lang.pick("：", ": "),
                            issue.finding.message(lang)
                        );
                        ui.add(egui::Label::new(egui::RichText::new(text).color(red)).truncate());
                    }
                }
            }
            Err(e) => {
                let red = ui.visuals().error_fg_color;
                ui.horizontal_wrapped(|ui| {
                    ui.colored_label(
                        red,
                        format!("{}{}", MappingStr::PreviewFailed.get(lang), e.message(lang)),
                    );
                    if stale {
                        ui.weak(MappingStr::Updating.get(lang));
                    }
                });
            }
        }
    }
}

/// "将导入 N 行，拒绝 M 行" / "N rows will import, M rejected".
pub fn counts_text(p: &Preview, lang: Lang) -> String {
    format!(
        "{}{}{}{}{}",
        MappingStr::WillImportPre.get(lang),
        p.imported,
        MappingStr::WillImportMid.get(lang),
        p.rejected,
        MappingStr::WillImportEnd.get(lang)
    )
}

fn failed(path: &std::path::Path, why: &str) -> ImportError {
    ImportError::Io {
        path: PathBuf::from(path).display().to_string(),
        source: std::io::Error::other(why.to_string()),
    }
}
