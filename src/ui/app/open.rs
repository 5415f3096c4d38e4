//! Opening a file: on a worker thread, then a document, a sheet to pick or
//! columns to map; what waits for the unsaved-changes question.

use std::path::PathBuf;

use crate::inventory::Mapping;
use crate::workspace::Workspace;

use crate::ui::command::Tab;
use crate::ui::document::Document;
use crate::ui::file_dialog::FilePurpose;
use crate::ui::mapping;
use crate::ui::strings::S;

use super::*;

/// An action waiting for the unsaved-changes question.
#[derive(Clone, Debug, PartialEq)]
pub enum AfterConfirm {
    /// Show the open dialog.
    OpenDialog,
    /// Open this file.
    Open(PathBuf),
    /// Reopen the sample.
    OpenSample,
    /// Show the mapping dialog for the document's inventory file.
    MapColumns,
    /// Close the app.
    Quit,
}

/// A file being opened on a worker thread.
pub(super) struct Pending {
    pub(super) path: PathBuf,
    pub(super) task: crate::ui::jobs::Task<OpenResult>,
}

/// What opening a file gave.
pub(super) enum OpenResult {
    /// A document, with the mapping the planner chose (to remember).
    Loaded {
        doc: Box<Document>,
        mapping: Option<Mapping>,
        /// The hierarchy's figures, worked out with the document.
        tree: Option<crate::ui::tree::Prepared>,
    },
    /// The headers need the column-mapping dialog.
    NeedsMapping(Vec<String>),
    /// A workbook with several sheets: the planner picks one.
    NeedsSheet(Vec<String>),
    /// The file could not be used.
    Failed(crate::workspace::LoadError),
    /// A project open for writing in another window or program: who
    /// holds it, when known (the planner may open it read-only).
    Locked(Option<String>),
}

/// Loads a file into a document (runs on a worker thread), as the core
/// opens a file ([`crate::workspace::open_file`]). A project is opened
/// for writing (locked against other writers) unless `read_only`.
pub(super) fn load_for_open(
    path: &std::path::Path,
    mapping: Option<Mapping>,
    sheet: Option<String>,
    remembered: &BTreeMap<String, Mapping>,
    read_only: bool,
) -> OpenResult {
    use crate::project::{ProjectError, ProjectStore};
    use crate::workspace::Opened;
    if crate::project::is_project_path(path) {
        let opened = if read_only {
            crate::project::open_project(path).map(|p| (None, p))
        } else {
            ProjectStore::open(path).map(|(s, p)| (Some(s), p))
        };
        return match opened {
            Ok((store, project)) => {
                let mut doc = Document::from_project(project, path.to_path_buf());
                doc.read_only = store.is_none();
                doc.store = store;
                loaded(doc, None)
            }
            Err(ProjectError::Locked { holder, .. }) => OpenResult::Locked(holder),
            Err(e) => OpenResult::Failed(e.into()),
        };
    }
    let known = |header: &[String]| remembered.get(&header_signature(header)).cloned();
    match crate::workspace::open_file(path, mapping, sheet, &known) {
        Ok(Opened::Inventory { ws, mapping }) => {
            loaded(Document::new(*ws, Some(path.to_path_buf())), mapping)
        }
        Ok(Opened::Project(project)) => {
            loaded(Document::from_project(*project, path.to_path_buf()), None)
        }
        Ok(Opened::NeedsSheet(names)) => OpenResult::NeedsSheet(names),
        Ok(Opened::NeedsMapping(found)) => OpenResult::NeedsMapping(found),
        Err(e) => OpenResult::Failed(e),
    }
}

/// A loaded document with the hierarchy's figures worked out beside it
/// (on the loading thread, not in the frame that shows it).
pub(super) fn loaded(doc: Document, mapping: Option<Mapping>) -> OpenResult {
    let tree = crate::ui::tree::TreePanel::prepare(&doc);
    OpenResult::Loaded {
        doc: Box::new(doc),
        mapping,
        tree: Some(tree),
    }
}

impl SitefoldApp {
    /// Runs `next` now, or after asking about unsaved changes.
    pub fn after_confirm(&mut self, next: AfterConfirm) {
        if self.doc.is_dirty() {
            self.show(Modal::Unsaved(next));
        } else {
            self.proceed(next);
        }
    }

    pub(super) fn proceed(&mut self, next: AfterConfirm) {
        match next {
            AfterConfirm::OpenDialog => self.choose_file(FilePurpose::Open),
            AfterConfirm::Open(p) => self.open_in_background(p, None),
            AfterConfirm::MapColumns => {
                let sheet = self
                    .doc
                    .path
                    .as_ref()
                    .and_then(|p| self.sheets.get(p))
                    .cloned();
                let remembered = crate::ui::remembered::all(&self.settings);
                self.mapping = mapping::MappingDialog::for_document(&self.doc, &remembered, sheet);
            }
            AfterConfirm::OpenSample => {
                self.adopt(Document::new(Workspace::new(crate::sample::sample()), None));
            }
            AfterConfirm::Quit => {
                self.close_allowed = true;
                self.quit_requested = true;
            }
        }
    }

    /// Makes `doc` the open document; returns the one it replaces. What
    /// was derived from the old one (the optimizer's plan and frontier, the
    /// comparison, the selection, its unsaved work's recovery file) goes
    /// with it: it would name other sites in the new one.
    pub(super) fn adopt(&mut self, doc: Document) -> Document {
        let old = std::mem::replace(&mut self.doc, doc);
        if let Some(job) = &self.optimizer.job {
            job.control.cancel();
        }
        self.optimizer = OptimizerResults::default();
        self.optimize = Default::default();
        self.scenarios = Default::default();
        self.selection.clear();
        self.table.set_subtree(None);
        self.discard_on_exit = false;
        if let Some(r) = &mut self.recovery {
            r.clear();
        }
        // The old project's lock goes now, not when the document is freed.
        let mut old = old;
        old.store = None;
        old
    }

    /// Opens an inventory now (tests, start-up); see [`SitefoldApp::open_in_background`].
    pub fn open(&mut self, path: PathBuf, mapping: Option<Mapping>) {
        let sheet = self.sheets.get(&path).cloned();
        let remembered = crate::ui::remembered::all(&self.settings);
        self.release_if_reopened(&path);
        let result = load_for_open(&path, mapping, sheet, &remembered, false);
        self.finish_open(path, result);
    }

    /// Opens a project read-only (another window has it open for
    /// writing), on a worker thread.
    pub fn open_read_only(&mut self, path: PathBuf) {
        self.open_task(path, None, true);
    }

    /// The document's project is being opened again: its lock is let go
    /// first, else the file would seem open elsewhere. (Should the open
    /// fail, the document stays, and its next save locks the file again.)
    fn release_if_reopened(&mut self, path: &std::path::Path) {
        if self
            .doc
            .store
            .as_ref()
            .is_some_and(|s| crate::atomic::same_file(s.path(), path))
        {
            self.doc.store = None;
        }
    }

    /// Opens an inventory on a worker thread: the window stays responsive
    /// and the current work usable until the new one is ready.
    pub fn open_in_background(&mut self, path: PathBuf, mapping: Option<Mapping>) {
        self.open_task(path, mapping, false);
    }

    fn open_task(&mut self, path: PathBuf, mapping: Option<Mapping>, read_only: bool) {
        if !read_only {
            self.release_if_reopened(&path);
        }
        let remembered = crate::ui::remembered::all(&self.settings);
        let sheet = self.sheets.get(&path).cloned();
        let p = path.clone();
        let spawned = crate::ui::jobs::Task::spawn("sitefold-open", move |_| {
            load_for_open(&p, mapping, sheet, &remembered, read_only)
        });
        match spawned {
            Ok(task) => self.pending = Some(Pending { path, task }),
            Err(e) => self.show_error(e.to_string()),
        }
    }

    /// A file being opened in the background, if any.
    pub fn pending_open(&self) -> Option<(&std::path::Path, std::time::Duration)> {
        self.pending
            .as_ref()
            .map(|p| (p.path.as_path(), p.task.control().elapsed()))
    }

    /// Drops the file being opened (its result is ignored when it comes).
    pub fn cancel_open(&mut self) {
        self.pending = None;
    }

    /// Takes the result of a background open when it is ready.
    pub(super) fn poll_open(&mut self) -> bool {
        let Some(pending) = &self.pending else {
            return false;
        };
        let Some(result) = pending.task.poll() else {
            return false;
        };
        let path = pending.path.clone();
        self.pending = None;
        match result {
            Ok(result) => self.finish_open(path, result),
            Err(crate::ui::jobs::Died) => {
                self.show_error(S::ImportFailed.get(self.lang()).to_string());
            }
        }
        true
    }

    pub(super) fn finish_open(&mut self, path: PathBuf, result: OpenResult) {
        let lang = self.lang();
        match result {
            OpenResult::Loaded { doc, mapping, tree } => {
                if let Some(m) = mapping {
                    let header = &doc.ws.imported.header;
                    crate::ui::remembered::remember(&mut self.settings, header, m);
                }
                let report = &doc.ws.imported.report;
                self.status = Some(format!(
                    "{} {}: {} {}",
                    S::Loaded.get(lang),
                    path.display(),
                    report.sites,
                    S::SitesCount.get(lang)
                ));
                if !report.is_clean() {
                    self.settings.tab = Tab::Report;
                }
                let old = self.adopt(*doc);
                if let Some(tree) = tree {
                    self.tree.adopt(tree);
                }
                // Freeing a large document takes a while: off this thread,
                // and a moment later (returning its memory to the system
                // while the new one is first drawn slows that frame down).
                let _ = crate::ui::jobs::Task::spawn("sitefold-free", move |_| {
                    std::thread::sleep(std::time::Duration::from_secs(2));
                    drop(old)
                });
                self.settings.recent.retain(|p| p != &path);
                self.settings.recent.insert(0, path);
                self.settings.recent.truncate(MAX_RECENT);
            }
            OpenResult::NeedsSheet(sheets) => self.show(Modal::PickSheet { path, sheets }),
            OpenResult::NeedsMapping(found) => {
                let sheet = self.sheets.get(&path).cloned();
                self.mapping = Some(mapping::MappingDialog::new(path, found).with_sheet(sheet));
            }
            OpenResult::Failed(e) => self.show_error(e.message(lang)),
            OpenResult::Locked(holder) => self.show(Modal::Locked { path, holder }),
        }
    }
}
