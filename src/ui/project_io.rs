//! Saving the work: project files, and the recovery file that autosave
//! keeps so a crash loses nothing.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::i18n::Lang;
use crate::project::{ProjectError, save_project};

use super::document::Document;

/// Saves the document as a project at `path`; the document then belongs
/// to that file (held open and locked for the saves that follow) and is
/// no longer dirty. Saving to the file the document holds writes only
/// what changed; another file is written whole ("save as"), and refused
/// while another window or program has it open for writing.
pub fn save_document(doc: &mut Document, path: &Path, lang: Lang) -> Result<(), ProjectError> {
    // What `doc.to_project` holds, borrowed: a save copies neither the
    // sites nor the audit trail.
    let mut project = crate::project::ProjectView::of_workspace(
        &doc.ws,
        lang,
        &doc.scenarios,
        &doc.project_created,
    );
    // Changes whenever a cell does: sites unchanged since the last save
    // are not compared again.
    project.sites_version = Some(doc.data_version);
    match doc.store.as_mut() {
        Some(store) if crate::atomic::same_file(store.path(), path) => {
            store.save(project)?;
        }
        _ => {
            let store = crate::project::ProjectStore::create(path, project)?;
            doc.store = Some(store);
        }
    }
    doc.read_only = false;
    if doc.project_created.is_empty() {
        doc.project_created = crate::project::now_rfc3339();
    }
    doc.project_path = Some(path.to_path_buf());
    doc.project_stamp = crate::project::FileStamp::of(path);
    doc.mark_saved();
    Ok(())
}

/// How long after the first unsaved edit the recovery file is written,
/// however many edits follow.
pub const AUTOSAVE_DELAY: Duration = Duration::from_secs(3);

/// This window's recovery file: written (in the background) a little
/// after the first unsaved edit, removed when the work is saved or the
/// window closes cleanly.
///
/// Every window has a file of its own in the recovery folder, and holds a
/// lock on a companion `.lock` file while it lives: another window never
/// offers, restores or deletes a recovery file whose window is still
/// running, and a crashed window's file is offered to the next one.
pub struct Recovery {
    /// This window's recovery file.
    pub path: PathBuf,
    lock_path: PathBuf,
    /// Held while the window lives (the lock ends with the process).
    _lock: Option<std::fs::File>,
    written: Option<(u64, u64)>,
    first_unsaved: Option<Instant>,
    writer: Option<super::jobs::Task<()>>,
}

/// Recovery files of windows that crashed are named `window-….sitefold`;
/// those that could not be restored are moved to this subfolder.
const SET_ASIDE: &str = "not-restored";

impl Recovery {
    /// A recovery file of this window's own in `dir` (created if needed),
    /// locked for as long as the window lives.
    pub fn in_dir(dir: &Path) -> std::io::Result<Recovery> {
        std::fs::create_dir_all(dir)?;
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let stem = format!("window-{}-{nanos}", std::process::id());
        let lock_path = dir.join(format!("{stem}.lock"));
        let lock = std::fs::File::create(&lock_path)?;
        lock.try_lock().map_err(std::io::Error::other)?;
        Ok(Recovery {
            path: dir.join(format!("{stem}.{}", crate::project::EXTENSION)),
            lock_path,
            _lock: Some(lock),
            written: None,
            first_unsaved: None,
            writer: None,
        })
    }

    /// The default folder: beside eframe's storage for the app.
    pub fn default_dir() -> Option<PathBuf> {
        eframe::storage_dir("sitefold").map(|d| d.join("recovery"))
    }

    /// Recovery files left in `dir` by windows that no longer run (they
    /// crashed or were killed), newest first. A file whose window still
    /// runs is never listed.
    pub fn orphans(dir: &Path) -> Vec<PathBuf> {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return Vec::new();
        };
        let mut found: Vec<(std::time::SystemTime, PathBuf)> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| {
                p.extension()
                    .is_some_and(|e| e == crate::project::EXTENSION)
                    && p.is_file()
            })
            .filter(|p| !owner_lives(p))
            .map(|p| {
                let t = p
                    .metadata()
                    .and_then(|m| m.modified())
                    .unwrap_or(std::time::UNIX_EPOCH);
                (t, p)
            })
            .collect();
        found.sort_by_key(|f| std::cmp::Reverse(f.0));
        found.into_iter().map(|(_, p)| p).collect()
    }

    /// Deletes a crashed window's recovery file (the planner discarded it).
    pub fn discard(orphan: &Path) {
        let _ = std::fs::remove_file(orphan);
        let _ = std::fs::remove_file(orphan.with_extension("lock"));
    }

    /// Moves a recovery file that could not be restored out of the way, so
    /// that it is not offered again but nothing is lost; returns where.
    pub fn set_aside(orphan: &Path) -> std::io::Result<PathBuf> {
        let dir = orphan
            .parent()
            .map_or_else(|| PathBuf::from(SET_ASIDE), |d| d.join(SET_ASIDE));
        std::fs::create_dir_all(&dir)?;
        let name = orphan
            .file_name()
            .map_or_else(|| "recovery.sitefold".into(), |n| n.to_os_string());
        let to = dir.join(name);
        std::fs::rename(orphan, &to)?;
        let _ = std::fs::remove_file(orphan.with_extension("lock"));
        Ok(to)
    }

    /// True when this window's recovery file exists.
    pub fn exists(&self) -> bool {
        self.path.is_file()
    }

    /// Called every frame: writes the recovery file once the first unsaved
    /// edit is [`AUTOSAVE_DELAY`] old, even while edits go on. Returns true
    /// while a write is due (so the app repaints).
    pub fn tick(&mut self, doc: &Document, lang: Lang) -> bool {
        let key = (doc.revision, doc.scenarios_revision);
        if !doc.is_dirty() || self.written == Some(key) {
            self.first_unsaved = None;
            return false;
        }
        let now = Instant::now();
        let first = *self.first_unsaved.get_or_insert(now);
        if now.duration_since(first) >= AUTOSAVE_DELAY {
            self.write_now(doc, lang);
            self.first_unsaved = None;
            return false;
        }
        true
    }

    /// Writes the recovery file now, on a worker thread. The frame only
    /// copies the workspace's own lists (the inventory is shared, not
    /// copied); the project is made from them on the worker.
    pub fn write_now(&mut self, doc: &Document, lang: Lang) {
        self.flush();
        let ws = doc.ws.clone();
        let scenarios = doc.scenarios.clone();
        let created = doc.project_created.clone();
        let path = self.path.clone();
        if let Some(dir) = path.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        self.writer = super::jobs::Task::spawn("sitefold-autosave", move |_| {
            let view = crate::project::ProjectView::of_workspace(&ws, lang, &scenarios, &created);
            let _ = save_project(&path, view);
        })
        .ok();
        self.written = Some((doc.revision, doc.scenarios_revision));
    }

    /// Waits for a write in progress.
    pub fn flush(&mut self) {
        if let Some(w) = self.writer.take() {
            let _ = w.wait();
        }
    }

    /// Removes this window's recovery file (the work is saved, or was
    /// discarded).
    pub fn clear(&mut self) {
        self.flush();
        let _ = std::fs::remove_file(&self.path);
        self.written = None;
        self.first_unsaved = None;
    }

    /// The window closes cleanly: nothing is left to recover.
    pub fn close(&mut self) {
        self.clear();
        self._lock = None;
        let _ = std::fs::remove_file(&self.lock_path);
    }
}

/// True while the window that wrote `recovery` still runs: its lock file
/// is locked. A file without a lock file (an older build's) has no owner.
fn owner_lives(recovery: &Path) -> bool {
    let lock = recovery.with_extension("lock");
    let Ok(f) = std::fs::OpenOptions::new().write(true).open(&lock) else {
        return false;
    };
    match f.try_lock() {
        Ok(()) => {
            let _ = f.unlock();
            false
        }
        Err(_) => true,
    }
}
