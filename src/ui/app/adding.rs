//! Adding a file to the open inventory (File → Add file to inventory): read
//! and matched against the inventory on a worker thread, then added at
//! once or after the conflicts dialog.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::inventory::{AssembleError, Gathered, ImportError, ImportOptions, Imported, Mapping};
use crate::ui::jobs::Task;
use crate::ui::strings::AssembleStr;

use super::*;

/// A file being added on a worker thread.
pub(super) struct Adding {
    path: PathBuf,
    /// The inventory it is added to: a result for another one (the
    /// planner changed the inventory meanwhile) is not used.
    basis: Arc<Imported>,
    task: Task<Result<Gathered, AssembleError>>,
}

/// Reads `path` (with the mapping remembered for its headers when
/// Sitefold does not know them) and finds its sites already in `own`, the
/// inventory with its own inspection fields (runs on a worker thread).
fn gather(
    path: &Path,
    remembered: &BTreeMap<String, Mapping>,
    own: Imported,
    sources: Vec<crate::inventory::SourceFile>,
) -> Result<Gathered, AssembleError> {
    let read = match crate::inventory::import_path(path, &ImportOptions::default()) {
        Err(ImportError::MissingColumns { found, .. })
            if remembered.contains_key(&header_signature(&found)) =>
        {
            let m = remembered.get(&header_signature(&found)).cloned();
            let opts = ImportOptions {
                mapping: m.as_ref().map(|m| m.columns.clone()),
                values: m.map(|m| m.values).unwrap_or_default(),
                ..Default::default()
            };
            crate::inventory::import_path(path, &opts)
        }
        r => r,
    };
    Gathered::adding(own, sources, vec![read?])
}

impl SitefoldApp {
    /// Reads an inventory file to add to the open inventory, on a worker
    /// thread (the window stays usable; the status bar shows it, with a
    /// button to cancel): added at once when none of its sites is
    /// already there, else after the planner chose, in the conflicts
    /// dialog, which rows to keep. One file at a time.
    pub fn add_inventory_file(&mut self, path: &Path) {
        if self.adding.is_some() {
            return;
        }
        let remembered = crate::ui::remembered::all(&self.settings);
        let ws = &self.doc.ws;
        let basis = ws.imported.clone();
        let (b, rounds, sources) = (basis.clone(), ws.rounds.clone(), ws.sources.clone());
        let p = path.to_path_buf();
        let spawned = Task::spawn("sitefold-add", move |_| {
            // The inventory's own inspection fields, not the rounds'.
            let own = rounds.restore(&b).unwrap_or_else(|| (*b).clone());
            gather(&p, &remembered, own, sources)
        });
        match spawned {
            Ok(task) => {
                self.adding = Some(Adding {
                    path: path.to_path_buf(),
                    basis,
                    task,
                })
            }
            Err(e) => self.show_error(e.to_string()),
        }
    }

    /// The file being added in the background and for how long, if any.
    pub fn pending_add(&self) -> Option<(&Path, std::time::Duration)> {
        self.adding
            .as_ref()
            .map(|a| (a.path.as_path(), a.task.control().elapsed()))
    }

    /// Stops adding the file being added (its result is dropped when it
    /// comes; the inventory stays as it is).
    pub fn cancel_add(&mut self) {
        if let Some(a) = self.adding.take() {
            a.task.control().cancel();
        }
    }

    /// Takes the result of a file added in the background when it is
    /// ready.
    pub(super) fn poll_adding(&mut self) -> bool {
        let Some(adding) = &self.adding else {
            return false;
        };
        let Some(result) = adding.task.poll() else {
            return false;
        };
        let Some(adding) = self.adding.take() else {
            return false;
        };
        let lang = self.lang();
        let file = adding.path.display().to_string();
        match result {
            Err(crate::ui::jobs::Died) => self.show_error(S::ImportFailed.get(lang).to_string()),
            Ok(_) if !Arc::ptr_eq(&adding.basis, &self.doc.ws.imported) => {
                self.show_error(AssembleStr::Changed.get(lang).replace("{}", &file))
            }
            Ok(Err(e)) => self.show_error(e.message(lang)),
            Ok(Ok(g)) if g.conflicts().is_empty() => {
                self.finish_adding(g.finish_with(crate::inventory::Keep::First), &file)
            }
            Ok(Ok(g)) => {
                self.conflicts = Some(crate::ui::conflicts_dialog::ConflictsDialog::new(g, file))
            }
        }
        true
    }
}
