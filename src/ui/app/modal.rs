//! The app's modal dialogs, drawn in one place.

use crate::ui::actions::Action;
use crate::ui::command::Command;
use crate::ui::file_dialog::{FilePurpose, PromptAnswer};
use crate::ui::strings::S;

use super::*;

impl SitefoldApp {
    pub(super) fn dialogs(&mut self, ctx: &egui::Context, out: &mut Vec<Command>) {
        let lang = self.lang();
        if let Some(msg) = &self.error {
            let modal = egui::Modal::new(egui::Id::unique("error_dialog")).show(ctx, |ui| {
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
            if modal.inner || modal.should_close() {
                self.error = None;
            }
        }
        if let Some((path, then)) = self.changed_on_disk.clone() {
            let detail = path.display().to_string();
            let answer = crate::ui::dialogs::question(
                ctx,
                "changed_on_disk",
                S::ChangedOnDiskTitle.get(lang),
                S::ChangedOnDiskText.get(lang),
                Some(&detail),
                &[
                    S::Overwrite.get(lang),
                    Action::SaveProjectAs.label(lang),
                    S::Cancel.get(lang),
                ],
                Some(2),
            );
            match answer {
                Some(0) => {
                    self.changed_on_disk = None;
                    self.save_then(path, then, true);
                }
                Some(1) => {
                    self.changed_on_disk = None;
                    self.choose_file(FilePurpose::SaveProject { then });
                }
                Some(_) => self.changed_on_disk = None,
                None => {}
            }
        }
        if let Some(prompt) = &mut self.path_prompt {
            match prompt.ui(ctx, lang) {
                PromptAnswer::Open => {}
                PromptAnswer::Cancel => self.path_prompt = None,
                PromptAnswer::Use(path) => {
                    if let Some(prompt) = self.path_prompt.take() {
                        self.file_chosen(prompt.purpose, path);
                    }
                }
            }
        }
        if let Some(next) = self.confirm.clone() {
            // Esc is Cancel: the work stays.
            let answer = crate::ui::dialogs::question(
                ctx,
                "unsaved_dialog",
                S::UnsavedTitle.get(lang),
                S::UnsavedText.get(lang),
                None,
                &[
                    S::Save.get(lang),
                    S::DontSave.get(lang),
                    S::Cancel.get(lang),
                ],
                Some(2),
            );
            match answer {
                Some(0) => {
                    self.confirm = None;
                    match self.doc.project_path.clone() {
                        Some(path) => {
                            self.save_then(path, Some(next), false);
                        }
                        None => self.choose_file(FilePurpose::SaveProject { then: Some(next) }),
                    }
                }
                Some(1) => {
                    // The unsaved work stays (and stays marked) until what
                    // replaces it has really arrived: an open that fails
                    // leaves it as it was.
                    self.confirm = None;
                    if next == AfterConfirm::Quit {
                        self.discard_on_exit = true;
                    }
                    self.proceed(next);
                }
                Some(_) => self.confirm = None,
                None => {}
            }
        }
        if let Some((path, names)) = self.sheet_picker.clone() {
            let modal = egui::Modal::new(egui::Id::unique("sheet_dialog")).show(ctx, |ui| {
                ui.set_max_width(crate::ui::file_dialog::fit_width(ctx, 420.0));
                ui.heading(S::SheetPicker.get(lang));
                ui.label(path.display().to_string());
                let mut chosen = None;
                egui::ScrollArea::vertical()
                    .max_height((ctx.content_rect().height() - 220.0).max(80.0))
                    .show(ui, |ui| {
                        for name in &names {
                            if ui.button(name).clicked() {
                                chosen = Some(Some(name.clone()));
                            }
                        }
                    });
                if ui.button(S::Cancel.get(lang)).clicked() {
                    chosen = Some(None);
                }
                chosen
            });
            let answer = if modal.should_close() {
                Some(None)
            } else {
                modal.inner
            };
            match answer {
                Some(Some(sheet)) => {
                    self.sheet_picker = None;
                    self.sheets.insert(path.clone(), sheet);
                    self.open_in_background(path, None);
                }
                Some(None) => self.sheet_picker = None,
                None => {}
            }
        }
        if let Some(orphan) = self.restore_offer.clone() {
            let detail = orphan.display().to_string();
            let answer = crate::ui::dialogs::question(
                ctx,
                "restore_dialog",
                S::RestoreTitle.get(lang),
                S::RestoreText.get(lang),
                Some(&detail),
                &[
                    S::Restore.get(lang),
                    S::Discard.get(lang),
                    S::Later.get(lang),
                ],
                Some(2),
            )
            .map(|i| match i {
                0 => Some(true),
                1 => Some(false),
                _ => None,
            });
            match answer {
                Some(Some(true)) => self.restore(),
                Some(Some(false)) => {
                    self.restore_offer = None;
                    crate::ui::project_io::Recovery::discard(&orphan);
                    self.offer_next_orphan();
                }
                // Later (or Esc): nothing decided, offered again next time.
                Some(None) => self.restore_offer = None,
                None => {}
            }
        }
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
    }
}
