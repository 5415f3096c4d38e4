//! The app's modal questions and messages: one [`Modal`] enum, a queue
//! shown one at a time, drawn in one place; the planner's answer comes back
//! as a command ([`Command::Answer`]) and is carried out where every
//! command is.

use std::path::{Path, PathBuf};

use crate::ui::actions::Action;
use crate::ui::command::Command;
use crate::ui::file_dialog::{FilePurpose, PromptAnswer};
use crate::ui::strings::S;

use super::*;

/// A question or message the planner answers before going on.
#[derive(Clone, Debug, PartialEq)]
pub enum Modal {
    /// Something could not be done (the message, in the planner's
    /// language); the current work is untouched.
    Error(String),
    /// There are unsaved changes: save them, don't, or cancel what was
    /// asked (which waits here).
    Unsaved(AfterConfirm),
    /// The project file changed on disk since it was opened here:
    /// overwrite it, save elsewhere, or cancel.
    ChangedOnDisk {
        /// The project file.
        path: PathBuf,
        /// What was to follow the save.
        then: Option<AfterConfirm>,
    },
    /// A workbook with several sheets: which one.
    PickSheet {
        /// The workbook.
        path: PathBuf,
        /// Its sheets.
        sheets: Vec<String>,
    },
    /// A crashed window's recovery file: restore it, discard it, or later.
    Restore(PathBuf),
    /// The project is open for writing in another window or program:
    /// open it read-only, or cancel.
    Locked {
        /// The project file.
        path: PathBuf,
        /// Who holds it and since when, when the lock file says.
        holder: Option<String>,
    },
}

/// The planner's answer to the modal shown.
#[derive(Clone, Debug, PartialEq)]
pub enum ModalAnswer {
    /// The button at this position.
    Button(usize),
    /// This sheet of the workbook.
    Sheet(String),
    /// Closed without choosing (Esc, Cancel, Close).
    Dismiss,
}

impl SitefoldApp {
    /// The modal shown now, if any.
    pub fn modal(&self) -> Option<&Modal> {
        self.modals.first()
    }

    /// Shows `modal` once those before it are answered.
    pub fn show(&mut self, modal: Modal) {
        if !self.modals.contains(&modal) {
            self.modals.push(modal);
        }
    }

    /// Shows an error message.
    pub fn show_error(&mut self, message: String) {
        self.show(Modal::Error(message));
    }

    /// The error message waiting for the planner, if any.
    pub fn error(&self) -> Option<&str> {
        self.modals.iter().find_map(|m| match m {
            Modal::Error(e) => Some(e.as_str()),
            _ => None,
        })
    }

    /// What waits for the unsaved-changes question, if it is asked.
    pub fn confirming(&self) -> Option<&AfterConfirm> {
        self.modals.iter().find_map(|m| match m {
            Modal::Unsaved(next) => Some(next),
            _ => None,
        })
    }

    /// The workbook whose sheet the planner is asked for, if any.
    pub fn sheet_choice(&self) -> Option<(&Path, &[String])> {
        self.modals.iter().find_map(|m| match m {
            Modal::PickSheet { path, sheets } => Some((path.as_path(), sheets.as_slice())),
            _ => None,
        })
    }

    /// The project whose change on disk the planner is asked about.
    pub fn changed_on_disk(&self) -> Option<&Path> {
        self.modals.iter().find_map(|m| match m {
            Modal::ChangedOnDisk { path, .. } => Some(path.as_path()),
            _ => None,
        })
    }

    /// The project the planner is told is open elsewhere (and offered
    /// read-only), if any.
    pub fn locked_offer(&self) -> Option<&Path> {
        self.modals.iter().find_map(|m| match m {
            Modal::Locked { path, .. } => Some(path.as_path()),
            _ => None,
        })
    }

    /// The recovery file offered for restoring, if any.
    pub fn restore_offer(&self) -> Option<&Path> {
        self.modals.iter().find_map(|m| match m {
            Modal::Restore(p) => Some(p.as_path()),
            _ => None,
        })
    }

    /// Takes the first modal that `which` picks out of the queue.
    pub(super) fn take_modal(&mut self, which: impl Fn(&Modal) -> bool) -> Option<Modal> {
        let at = self.modals.iter().position(which)?;
        Some(self.modals.remove(at))
    }

    /// Draws the modal shown now (and the typed-path field, the mapping
    /// dialog and the remembered mappings' window, which edit rather than
    /// ask); answers become commands.
    pub(super) fn dialogs(&mut self, ctx: &egui::Context, out: &mut Vec<Command>) {
        let lang = self.lang();
        // The dialogs that edit come first: a question or a typed path they
        // ask for shows over them.
        if let Some(dialog) = &mut self.mapping {
            let outcome = dialog.ui(ctx, lang);
            if outcome.closes() {
                self.mapping = None;
            }
            out.extend(outcome.command());
        }
        if let Some(window) = &mut self.remembered
            && !window.ui(ctx, lang, &self.settings, out)
        {
            self.remembered = None;
        }
        if let Some(dialog) = &mut self.conflicts {
            use crate::ui::conflicts_dialog::ConflictsOutcome;
            match dialog.ui(ctx, lang) {
                ConflictsOutcome::Open => {}
                ConflictsOutcome::Cancel => self.conflicts = None,
                ConflictsOutcome::Add => {
                    if let Some(dialog) = self.conflicts.take() {
                        let file = dialog.file.clone();
                        self.finish_adding(dialog.finish(), &file);
                    }
                }
            }
        }
        if let Some(modal) = self.modals.first() {
            if let Some(answer) = draw(ctx, modal, lang) {
                out.push(Command::Answer(answer));
            }
        } else if let Some(prompt) = &mut self.path_prompt {
            match prompt.ui(ctx, lang) {
                PromptAnswer::Open => {}
                PromptAnswer::Cancel => self.path_prompt = None,
                PromptAnswer::Use(path) => {
                    if let Some(prompt) = self.path_prompt.take() {
                        out.push(Command::FileChosen {
                            purpose: prompt.purpose,
                            path,
                        });
                    }
                }
            }
        }
    }

    /// Carries out the planner's answer to the modal shown.
    pub(super) fn answer(&mut self, answer: ModalAnswer) {
        let Some(modal) = self.take_modal(|_| true) else {
            return;
        };
        use ModalAnswer::{Button, Sheet};
        match (modal, answer) {
            (Modal::ChangedOnDisk { path, then }, Button(0)) => {
                self.save_then(path, then, true);
            }
            (Modal::ChangedOnDisk { then, .. }, Button(1)) => {
                self.choose_file(FilePurpose::SaveProject { then })
            }
            (Modal::Unsaved(next), Button(0)) => match self.doc.project_path.clone() {
                Some(path) if !self.doc.read_only => {
                    self.save_then(path, Some(next), false);
                }
                // New, or read-only: saved under a name the planner picks.
                _ => self.choose_file(FilePurpose::SaveProject { then: Some(next) }),
            },
            (Modal::Unsaved(next), Button(1)) => {
                // The unsaved work stays (and stays marked) until what
                // replaces it has really arrived: an open that fails
                // leaves it as it was.
                if next == AfterConfirm::Quit {
                    self.discard_on_exit = true;
                }
                self.proceed(next);
            }
            (Modal::PickSheet { path, .. }, Sheet(sheet)) => {
                self.sheets.insert(path.clone(), sheet);
                self.open_in_background(path, None);
            }
            (Modal::Locked { path, .. }, Button(0)) => self.open_read_only(path),
            (Modal::Restore(orphan), Button(0)) => self.restore_file(orphan),
            (Modal::Restore(orphan), Button(1)) => {
                crate::ui::project_io::Recovery::discard(&orphan);
                self.offer_next_orphan();
            }
            // Cancel, Close, Later, Esc: nothing is done (a restore offer
            // comes again next time).
            _ => {}
        }
    }
}

/// Draws `modal`; the answer, once given.
fn draw(ctx: &egui::Context, modal: &Modal, lang: Lang) -> Option<ModalAnswer> {
    let question = |id: &str, title: S, text: S, detail: Option<&str>, buttons: &[&str]| {
        // Esc answers the last button (Cancel, Later): nothing changes.
        let last = buttons.len() - 1;
        crate::ui::dialogs::question(
            ctx,
            id,
            title.get(lang),
            text.get(lang),
            detail,
            buttons,
            Some(last),
        )
        .map(|i| {
            if i == last {
                ModalAnswer::Dismiss
            } else {
                ModalAnswer::Button(i)
            }
        })
    };
    match modal {
        Modal::Error(msg) => {
            let shown = egui::Modal::new(egui::Id::unique("error_dialog")).show(ctx, |ui| {
                ui.set_max_width(crate::ui::file_dialog::fit_width(ctx, 560.0));
                ui.heading(S::ErrorTitle.get(lang));
                // A long message scrolls inside the dialog: its button stays
                // on screen however much the message says.
                egui::ScrollArea::vertical()
                    .max_height((ctx.content_rect().height() - 200.0).max(80.0))
                    .show(ui, |ui| ui.label(msg.as_str()));
                ui.label(S::KeepCurrentWork.get(lang));
                ui.button(S::Close.get(lang)).clicked()
            });
            (shown.inner || shown.should_close()).then_some(ModalAnswer::Dismiss)
        }
        Modal::ChangedOnDisk { path, .. } => question(
            "changed_on_disk",
            S::ChangedOnDiskTitle,
            S::ChangedOnDiskText,
            Some(&path.display().to_string()),
            &[
                S::Overwrite.get(lang),
                Action::SaveProjectAs.label(lang),
                S::Cancel.get(lang),
            ],
        ),
        Modal::Unsaved(_) => question(
            "unsaved_dialog",
            S::UnsavedTitle,
            S::UnsavedText,
            None,
            &[
                S::Save.get(lang),
                S::DontSave.get(lang),
                S::Cancel.get(lang),
            ],
        ),
        Modal::Locked { path, holder } => {
            let detail = match holder {
                Some(h) => format!("{}\n{} {h}", path.display(), S::LockedBy.get(lang)),
                None => path.display().to_string(),
            };
            question(
                "locked_dialog",
                S::LockedTitle,
                S::LockedText,
                Some(&detail),
                &[S::OpenReadOnly.get(lang), S::Cancel.get(lang)],
            )
        }
        Modal::Restore(orphan) => question(
            "restore_dialog",
            S::RestoreTitle,
            S::RestoreText,
            Some(&orphan.display().to_string()),
            &[
                S::Restore.get(lang),
                S::Discard.get(lang),
                S::Later.get(lang),
            ],
        ),
        Modal::PickSheet { path, sheets } => {
            let shown = egui::Modal::new(egui::Id::unique("sheet_dialog")).show(ctx, |ui| {
                ui.set_max_width(crate::ui::file_dialog::fit_width(ctx, 420.0));
                ui.heading(S::SheetPicker.get(lang));
                ui.label(path.display().to_string());
                let mut chosen = None;
                egui::ScrollArea::vertical()
                    .max_height((ctx.content_rect().height() - 220.0).max(80.0))
                    .show(ui, |ui| {
                        for name in sheets {
                            if ui.button(name).clicked() {
                                chosen = Some(ModalAnswer::Sheet(name.clone()));
                            }
                        }
                    });
                if ui.button(S::Cancel.get(lang)).clicked() {
                    chosen = Some(ModalAnswer::Dismiss);
                }
                chosen
            });
            if shown.should_close() {
                Some(ModalAnswer::Dismiss)
            } else {
                shown.inner
            }
        }
    }
}
