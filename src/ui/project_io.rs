//! Saving the work: project files, and the recovery file that autosave
//! keeps so a crash loses nothing.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::i18n::Lang;
use crate::project::{ProjectError, save_project};

use super::document::Document;

/// Saves the document as a project at `path`; the document then belongs
/// to that file and is no longer dirty.
pub fn save_document(doc: &mut Document, path: &Path, lang: Lang) -> Result<(), ProjectError> {
    let project = doc.to_project(lang);
    save_project(path, &project)?;
    if doc.project_created.is_empty() {
        doc.project_created = crate::project::now_rfc3339();
    }
    doc.project_path = Some(path.to_path_buf());
    doc.dirty = false;
    Ok(())
}

/// How long after the last edit the recovery file is written.
pub const AUTOSAVE_DELAY: Duration = Duration::from_secs(3);

/// The recovery file: written (in the background) a little after edits,
/// removed when the work is saved or the app closes cleanly.
pub struct Recovery {
    /// Where it lives.
    pub path: PathBuf,
    written: Option<(u64, u64)>,
    changed_at: Option<(u64, u64, Instant)>,
    writer: Option<std::thread::JoinHandle<()>>,
}

impl Recovery {
    /// Recovery at `path`.
    pub fn new(path: PathBuf) -> Recovery {
        Recovery {
            path,
            written: None,
            changed_at: None,
            writer: None,
        }
    }

    /// The default place: beside eframe's storage for the app.
    pub fn default_path() -> Option<PathBuf> {
        eframe::storage_dir("sitefold").map(|d| d.join("recovery.sitefold"))
    }

    /// True when a recovery file from an earlier run is waiting.
    pub fn exists(&self) -> bool {
        self.path.is_file()
    }

    /// Called every frame: writes the recovery file once edits have
    /// settled. Returns true while a write is due (so the app repaints).
    pub fn tick(&mut self, doc: &Document, lang: Lang) -> bool {
        let key = (doc.revision, doc.scenarios_revision);
        if !doc.dirty {
            self.changed_at = None;
            return false;
        }
        if self.written == Some(key) {
            return false;
        }
        let now = Instant::now();
        match self.changed_at {
            Some((r, s, at)) if (r, s) == key => {
                if now.duration_since(at) >= AUTOSAVE_DELAY {
                    self.write_now(doc, lang);
                    return false;
                }
                true
            }
            _ => {
                self.changed_at = Some((key.0, key.1, now));
                true
            }
        }
    }

    /// Writes the recovery file now, on a worker thread.
    pub fn write_now(&mut self, doc: &Document, lang: Lang) {
        if let Some(w) = self.writer.take() {
            let _ = w.join();
        }
        let project = doc.to_project(lang);
        let path = self.path.clone();
        if let Some(dir) = path.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        self.writer = std::thread::Builder::new()
            .name("sitefold-autosave".into())
            .spawn(move || {
                super::jobs::background_priority();
                let _ = save_project(&path, &project);
            })
            .ok();
        self.written = Some((doc.revision, doc.scenarios_revision));
    }

    /// Waits for a write in progress.
    pub fn flush(&mut self) {
        if let Some(w) = self.writer.take() {
            let _ = w.join();
        }
    }

    /// Removes the recovery file (the work is saved, or was discarded).
    pub fn clear(&mut self) {
        self.flush();
        let _ = std::fs::remove_file(&self.path);
        self.written = None;
        self.changed_at = None;
    }
}
