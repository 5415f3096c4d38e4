//! Closing safely and getting work back: the unsaved-changes check on
//! quit, autosave to a recovery file, restoring it after a crash.

use std::path::PathBuf;

use crate::ui::document::Document;
use crate::ui::strings::S;

use super::*;

impl SitefoldApp {
    /// The window asked to close: true when it may, else the question is shown.
    pub fn may_close(&mut self) -> bool {
        if self.close_allowed || !self.doc.is_dirty() {
            return true;
        }
        self.show(Modal::Unsaved(AfterConfirm::Quit));
        false
    }

    /// Called as the app closes: a clean exit leaves no recovery file,
    /// unless unsaved work that the planner did not discard is left.
    pub fn on_exit(&mut self) {
        if let Some(r) = &mut self.recovery {
            if self.doc.is_dirty() && !self.discard_on_exit {
                r.write_now(&self.doc, self.settings.lang);
                r.flush();
            } else {
                r.close();
            }
        }
    }

    /// Turns autosave on, with a recovery file of this window's own in
    /// `dir`; offers back the work of a window that crashed.
    pub fn enable_recovery(&mut self, dir: PathBuf) {
        match crate::ui::project_io::Recovery::in_dir(&dir) {
            Ok(r) => {
                self.recovery = Some(r);
                self.offer_next_orphan();
            }
            Err(e) => {
                self.status = Some(format!(
                    "{} {}: {e}",
                    S::NoAutosave.get(self.lang()),
                    dir.display()
                ));
            }
        }
    }

    /// Offers the newest recovery file of a window that no longer runs.
    pub(super) fn offer_next_orphan(&mut self) {
        let orphan = self
            .recovery
            .as_ref()
            .and_then(|r| r.path.parent())
            .and_then(|dir| {
                crate::ui::project_io::Recovery::orphans(dir)
                    .into_iter()
                    .next()
            });
        if let Some(orphan) = orphan {
            self.show(Modal::Restore(orphan));
        }
    }

    /// Restores the recovery file offered (as the planner's "Restore").
    pub fn restore(&mut self) {
        if let Some(Modal::Restore(orphan)) = self.take_modal(|m| matches!(m, Modal::Restore(_))) {
            self.restore_file(orphan);
        }
    }

    /// Opens a recovery file as the current work. It becomes this
    /// window's own (written again at once); one that cannot be opened is
    /// moved aside, never deleted, and the planner is told where.
    pub(super) fn restore_file(&mut self, orphan: PathBuf) {
        let lang = self.lang();
        match crate::project::open_project(&orphan) {
            Ok(project) => {
                let mut doc = Document::from_project(project, orphan.clone());
                doc.project_path = None;
                doc.project_stamp = None;
                doc.path = None;
                doc.mark_unsaved();
                self.adopt(doc);
                if let Some(r) = &mut self.recovery {
                    r.write_now(&self.doc, lang);
                    r.flush();
                }
                crate::ui::project_io::Recovery::discard(&orphan);
            }
            Err(e) => {
                let kept = crate::ui::project_io::Recovery::set_aside(&orphan);
                self.show_error(match kept {
                    Ok(to) => format!(
                        "{}\n{} {}",
                        e.message(lang),
                        S::RecoveryKeptAt.get(lang),
                        to.display()
                    ),
                    Err(_) => format!(
                        "{}\n{} {}",
                        e.message(lang),
                        S::RecoveryKeptAt.get(lang),
                        orphan.display()
                    ),
                });
            }
        }
        self.offer_next_orphan();
    }
}
