//! The project file as an SQLite database (format version 2): every part
//! of a project in tables that any SQLite tool can read, saved in
//! transactions, and locked against a second writer.
//!
//! ```no_run
//! use sitefold::project::{ProjectStore, open_project};
//! # fn main() -> Result<(), sitefold::project::ProjectError> {
//! let path = std::path::Path::new("江西省.sitefold");
//! // Opened for writing: the file is locked until `store` is dropped.
//! let (mut store, mut project) = ProjectStore::open(path)?;
//! project.manual.clear();
//! store.save(&project)?; // writes only what changed, in one transaction
//! // Anyone may still read it.
//! let copy = open_project(path)?;
//! # let _ = copy; Ok(()) }
//! ```
//!
//! - **Crash safety.** A save into an open project is one transaction
//!   appended to a write-ahead log beside the file (`NAME.sitefold-wal`)
//!   and flushed to disk once: a save cut short (a crash, a power cut) is
//!   ignored the next time the file is opened, so the previous save is
//!   what opens. The log is emptied into the file every 1,000 pages and
//!   when the store is dropped, which also removes it: a closed project is
//!   one self-contained database, to be copied or mailed as it is (a copy
//!   of the file alone taken while a window has it open holds the project
//!   as of the last time the log was emptied). A new file ("save as", the
//!   command line) is written beside the target and renamed into place
//!   ([`crate::atomic`]), after removing what a crashed writer of the old
//!   file left beside it.
//! - **Incremental saves.** [`ProjectStore`] remembers what the file holds
//!   (what it last read or wrote): a save rewrites only the rows of sites whose
//!   cells changed, the decisions, notes and quarters that changed, the
//!   audit entries and status changes added since, and the scenarios and
//!   settings that changed. The audit trail is append-only: a save adds
//!   the entries after those written; a trail that no longer begins with
//!   them (checked on the last entry written and on entries 2, 4, 8… from
//!   it) is rewritten whole.
//! - **One writer.** [`ProjectStore`] holds a [`ProjectLock`] while it
//!   lives; a second [`ProjectStore::open`] of the same file, and
//!   [`save_project`](super::save_project) onto it, fail with
//!   [`ProjectError::Locked`]. Reading ([`open_project`](super::open_project))
//!   is always allowed.
//! - **Checked reading.** The tables are read back through the importer's
//!   checks (a file edited with another tool gives reasons, not wrong
//!   figures); a file that is not an SQLite database, not a Sitefold
//!   project, from a newer Sitefold, cut short, damaged or holding absurd
//!   row counts gives a [`ProjectError`] naming the file.
//!
//! The tables are documented in the README ("Project file format").

mod lock;
mod read;
mod schema;
mod sites;
mod write;

pub(crate) use write::Written;

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags, TransactionBehavior};

use super::file::FileStamp;
use super::{Project, ProjectError, ProjectView};

pub use lock::{LockError, ProjectLock, lock_path};
pub use read::{MAX_LOG_ENTRIES, MAX_SCENARIO_DECISIONS};
pub use schema::{APPLICATION_ID, Header, SQLITE_MAGIC, parse_header};
pub use write::SaveStats;

/// An open project file that this process writes: the file stays locked
/// against other writers while the store lives, and [`save`](Self::save)
/// writes only what changed since the last save.
pub struct ProjectStore {
    path: PathBuf,
    /// Closed before the lock is released (fields drop in order).
    conn: Option<Connection>,
    written: Option<Written>,
    stamp: Option<FileStamp>,
    file_id: Option<(u64, u64)>,
    /// `PRAGMA data_version` after the last save: another program's
    /// commit (which may leave the file itself untouched, being in the
    /// write-ahead log) changes it.
    data_version: Option<i64>,
    _lock: Option<ProjectLock>,
}

impl Drop for ProjectStore {
    fn drop(&mut self) {
        // Before the lock goes: the log emptied into the file and removed.
        if let Some(conn) = self.conn.take() {
            schema::close(conn);
        }
    }
}

impl std::fmt::Debug for ProjectStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProjectStore")
            .field("path", &self.path)
            .field("locked", &self._lock.is_some())
            .finish()
    }
}

/// Locks `path` for writing: `Ok(None)` where the folder does not allow a
/// lock file (a read-only folder, a network drive without locks), so
/// that such a project still opens and saves as before.
fn lock(path: &Path) -> Result<Option<ProjectLock>, ProjectError> {
    match ProjectLock::acquire(path) {
        Ok(l) => Ok(Some(l)),
        Err(LockError::Held { holder }) => Err(ProjectError::Locked {
            path: path.display().to_string(),
            holder,
        }),
        Err(LockError::Io(_)) => Ok(None),
    }
}

impl ProjectStore {
    /// Opens a project of any version for writing: locks it (failing with
    /// [`ProjectError::Locked`] when another window or program holds it),
    /// then reads it. A version 0 or 1 (JSON) project becomes an SQLite
    /// file at the first save.
    pub fn open(path: &Path) -> Result<(ProjectStore, Project), ProjectError> {
        let lock = lock(path)?;
        let opened = super::file::open_file(path)?;
        let mut store = ProjectStore {
            path: path.to_path_buf(),
            conn: None,
            written: None,
            stamp: FileStamp::of(path),
            file_id: file_id(path),
            data_version: None,
            _lock: lock,
        };
        let project = match opened {
            super::file::Opened::Json(p) => p,
            super::file::Opened::Db {
                project,
                conn,
                written,
            } => {
                // A read-only file is not written in place: its save is
                // refused with the reason (see `crate::atomic`).
                let writable = std::fs::metadata(path).is_ok_and(|m| !m.permissions().readonly());
                if writable && schema::for_saving(&conn).is_ok() && plain_schema(&conn) {
                    store.data_version = data_version(&conn);
                    store.conn = Some(conn);
                    store.written = Some(written);
                    // The switch to the log may have rewritten the header.
                    store.stamp = FileStamp::of(path);
                }
                project
            }
        };
        Ok((store, project))
    }

    /// Saves `project` (a [`Project`], or a [`ProjectView`]) as a new file
    /// at `path` (replacing any file there) and keeps it locked for the
    /// saves that follow ("save as").
    pub fn create<'a>(
        path: &Path,
        project: impl Into<ProjectView<'a>>,
    ) -> Result<ProjectStore, ProjectError> {
        let project = project.into();
        let lock = lock(path)?;
        let mut store = ProjectStore {
            path: path.to_path_buf(),
            conn: None,
            written: None,
            stamp: None,
            file_id: None,
            data_version: None,
            _lock: lock,
        };
        store.rewrite(&project, &crate::time::now_rfc3339())?;
        Ok(store)
    }

    /// The project file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// True while this store holds the project's lock.
    pub fn is_locked(&self) -> bool {
        self._lock.is_some()
    }

    /// Saves `project` into the file: in place, in one transaction,
    /// writing only what changed since the file was opened or last saved.
    /// When the file was replaced or changed by another program since
    /// (the app asks the planner first), or the last save failed, the file
    /// is written whole instead (beside it, then renamed into place).
    ///
    /// `project` is a [`Project`], or a [`ProjectView`] (what the app
    /// saves: made from its workspace without copying it).
    pub fn save<'a>(
        &mut self,
        project: impl Into<ProjectView<'a>>,
    ) -> Result<SaveStats, ProjectError> {
        let project = project.into();
        let now = crate::time::now_rfc3339();
        let unchanged = FileStamp::of(&self.path) == self.stamp
            && (self.file_id.is_none() || file_id(&self.path) == self.file_id)
            && self
                .conn
                .as_ref()
                .is_some_and(|c| data_version(c) == self.data_version);
        let (Some(conn), true) = (self.conn.as_mut(), unchanged) else {
            return self.rewrite(&project, &now);
        };
        let Some(mut w) = self.written.take() else {
            return self.rewrite(&project, &now);
        };
        let path = &self.path;
        let saved = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .and_then(|tx| {
                remove_stale_journal(path);
                let stats = write::write_project(&tx, &mut w, &project, &now)?;
                tx.commit()?;
                Ok(stats)
            });
        match saved {
            Ok(stats) => {
                self.written = Some(w);
                self.stamp = FileStamp::of(&self.path);
                self.data_version = data_version(conn);
                Ok(stats)
            }
            // The transaction was rolled back: the file holds the last
            // save, and the next save writes it whole.
            Err(e) => Err(write_error(&self.path, e)),
        }
    }

    /// Writes the whole project to a new file that replaces the project
    /// file, and saves in place into it from then on.
    fn rewrite(&mut self, project: &ProjectView<'_>, now: &str) -> Result<SaveStats, ProjectError> {
        let path = self.path.clone();
        self.written = None;
        let conn = &mut self.conn;
        // Windows renames nothing over a file that is open; and the log
        // of the file replaced must not outlive it.
        let (written, stats) = write_new(&path, project, now, || {
            if let Some(c) = conn.take() {
                schema::close(c);
            }
        })?;
        if let Ok(conn) = open_conn(&path)
            && schema::for_saving(&conn).is_ok()
        {
            self.data_version = data_version(&conn);
            self.conn = Some(conn);
            self.written = Some(written);
        }
        self.stamp = FileStamp::of(&path);
        self.file_id = file_id(&path);
        Ok(SaveStats {
            whole: true,
            ..stats
        })
    }
}

/// True when the file holds only tables (no triggers or views that a
/// save in place would set off): else it is rewritten whole at the next
/// save.
fn plain_schema(conn: &Connection) -> bool {
    conn.query_row(
        "SELECT count(*) FROM sqlite_master WHERE type IN ('trigger', 'view')",
        [],
        |r| r.get::<_, i64>(0),
    )
    .is_ok_and(|n| n == 0)
}

/// `PRAGMA data_version` of a connection (`None` when it cannot be read).
fn data_version(conn: &Connection) -> Option<i64> {
    conn.query_row("PRAGMA data_version", [], |r| r.get(0)).ok()
}

/// The files SQLite keeps beside a database while it is written: the
/// write-ahead log, its index, and the rollback journal (named after the
/// file links lead to, as SQLite names them).
fn companions(path: &Path) -> [PathBuf; 3] {
    let path = crate::atomic::resolve_links(path).unwrap_or_else(|_| path.to_path_buf());
    ["-wal", "-shm", "-journal"].map(|suffix| {
        let mut p = path.as_os_str().to_os_string();
        p.push(suffix);
        PathBuf::from(p)
    })
}

/// Removes the rollback journal beside `path` when it is one a writer
/// left as it was killed before it wrote the journal's header: SQLite
/// never reads such a journal (its first byte is zero) and leaves it
/// where it is; a save that changes nothing but what it already holds
/// (saved again within the same second) writes no journal of its own to
/// replace it. Called holding the write lock before anything is written,
/// when no other program can be writing a journal of its own, and any
/// journal that held a save to undo has been rolled back by SQLite.
fn remove_stale_journal(path: &Path) {
    let [_, _, journal] = companions(path);
    if journal_first_byte(&journal).is_some_and(|first| first == 0) {
        let _ = std::fs::remove_file(&journal);
    }
}

/// The first byte of a rollback journal, 0 for an empty one; `None`
/// when there is none (or it cannot be read). SQLite rolls a save back
/// from a journal only when its first byte is not zero.
fn journal_first_byte(journal: &Path) -> Option<u8> {
    use std::io::Read;
    let mut f = std::fs::File::open(journal).ok()?;
    let mut first = [0u8; 1];
    let n = f.read(&mut first).ok()?;
    Some(if n == 0 { 0 } else { first[0] })
}

fn file_id(path: &Path) -> Option<(u64, u64)> {
    std::fs::metadata(path)
        .ok()
        .and_then(|m| crate::platform::file_id(&m))
}

/// A connection to an existing project file (read and write where the
/// file allows, never creating one).
pub(super) fn open_conn(path: &Path) -> rusqlite::Result<Connection> {
    Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
}

/// The error of a failed save of `path`.
fn write_error(path: &Path, e: rusqlite::Error) -> ProjectError {
    use rusqlite::ErrorCode as C;
    let kind = match e.sqlite_error_code() {
        Some(C::DiskFull) => std::io::ErrorKind::StorageFull,
        Some(C::ReadOnly) => std::io::ErrorKind::ReadOnlyFilesystem,
        Some(C::PermissionDenied) => std::io::ErrorKind::PermissionDenied,
        _ => std::io::ErrorKind::Other,
    };
    ProjectError::Write {
        path: path.display().to_string(),
        source: std::io::Error::new(kind, e.to_string()),
    }
}

/// Writes `project` whole as a new file that replaces `path` (see
/// [`crate::atomic`]); `before_rename` runs once the new file is complete.
pub(super) fn write_new(
    path: &Path,
    project: &ProjectView<'_>,
    now: &str,
    before_rename: impl FnOnce(),
) -> Result<(Written, SaveStats), ProjectError> {
    let io_error = |source| ProjectError::Write {
        path: path.display().to_string(),
        source,
    };
    let file = crate::atomic::AtomicFile::create(path).map_err(io_error)?;
    let mut written = Written::default();
    let stats = (|| {
        let mut conn = Connection::open(file.temp_path())?;
        schema::for_new_file(&conn)?;
        let tx = conn.transaction()?;
        tx.execute_batch(schema::SCHEMA)?;
        let stats = write::write_project(&tx, &mut written, project, now)?;
        tx.commit()?;
        conn.close().map_err(|(_, e)| e)?;
        Ok(stats)
    })()
    .map_err(|e| write_error(path, e))?;
    before_rename();
    // What a crashed writer of the file replaced left beside it (its
    // log, or its journal) would be applied to the new file as it opens.
    // (The log's index holds nothing of its own.)
    let [wal, shm, journal] = companions(path);
    for leftover in [wal, journal] {
        match std::fs::remove_file(&leftover) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(io_error(e)),
            _ => {}
        }
    }
    let _ = std::fs::remove_file(shm);
    file.commit().map_err(io_error)?;
    Ok((written, stats))
}

/// Opens an SQLite project file and reads it; `head` is its first bytes.
pub(super) fn read_db_file(
    path: &Path,
    head: &[u8],
    len: u64,
    name: &str,
) -> Result<(Project, Connection, Written), ProjectError> {
    let Some(header) = parse_header(head) else {
        return Err(ProjectError::Truncated {
            path: name.to_string(),
        });
    };
    if header.application_id != APPLICATION_ID as u32 {
        return Err(ProjectError::NotAProject {
            path: name.to_string(),
        });
    }
    if header.user_version > super::VERSION {
        return Err(ProjectError::TooNew {
            path: name.to_string(),
            version: u64::from(header.user_version),
        });
    }
    // Shorter than its header says, with no save to roll back (a journal
    // a killed writer left empty holds none) or log to read: cut short.
    let [wal, _, journal] = companions(path);
    let rollback = journal_first_byte(&journal).is_some_and(|first| first != 0);
    if header.expected_len > len && !rollback && !wal.exists() {
        return Err(ProjectError::Truncated {
            path: name.to_string(),
        });
    }
    let conn = open_conn(path).map_err(|e| read::db_error(name, e))?;
    schema::harden(&conn).map_err(|e| read::db_error(name, e))?;
    let (project, written) = read::read_db(&conn, path, name)?;
    Ok((project, conn, written))
}
