//! The project file on disk: opened (recognised from its first bytes
//! before the rest is read: an SQLite project, or a version 0 or 1 JSON
//! one), saved whole as a new SQLite file that replaces it, and stamped
//! so that a change by someone else is noticed before it is overwritten.

use std::io::Read;
use std::path::Path;

use super::migration::from_bytes;
use super::sniff::{Prefix, parse_prefix};
use super::store::{SQLITE_MAGIC, read_db_file, write_new};
use super::{MAX_PROJECT_BYTES, Project, ProjectError, VERSION};

/// How much of a file is read to recognise it.
const PREFIX_BYTES: usize = 4096;

/// A project as opened (one a file opened: its size does not matter).
#[allow(clippy::large_enum_variant)]
pub(super) enum Opened {
    /// A version 0 or 1 file (JSON).
    Json(Project),
    /// An SQLite file, with the connection it was read through and what
    /// it holds.
    Db {
        project: Project,
        conn: rusqlite::Connection,
        written: super::store::Written,
    },
}

/// Opens a project file of any version up to [`VERSION`], to read it.
/// A project open for writing elsewhere (another window) opens too.
///
/// The file is recognised from its first bytes before the rest is read,
/// so a large file that is not a project fails at once.
pub fn open_project(path: &Path) -> Result<Project, ProjectError> {
    Ok(match open_file(path)? {
        Opened::Json(p) => p,
        Opened::Db { project, .. } => project,
    })
}

pub(super) fn open_file(path: &Path) -> Result<Opened, ProjectError> {
    let name = path.display().to_string();
    let io = |e: std::io::Error| ProjectError::Io {
        path: name.clone(),
        source: e,
    };
    let meta = std::fs::metadata(path).map_err(io)?;
    if meta.is_dir() {
        return Err(io(std::io::Error::other("it is a folder")));
    }
    if meta.len() > MAX_PROJECT_BYTES {
        return Err(ProjectError::TooLarge {
            path: name,
            bytes: meta.len(),
        });
    }
    let mut file = std::fs::File::open(path).map_err(io)?;
    let mut bytes = Vec::new();
    (&mut file)
        .take(PREFIX_BYTES as u64)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.starts_with(SQLITE_MAGIC) {
        drop(file);
        let (mut project, conn, written) = read_db_file(path, &bytes, meta.len(), &name)?;
        project.path = Some(path.to_path_buf());
        return Ok(Opened::Db {
            project,
            conn,
            written,
        });
    }
    // Check the magic before reading on.
    match parse_prefix(&bytes) {
        Prefix::NotAProject => return Err(ProjectError::NotAProject { path: name }),
        Prefix::Project { version } if version > u64::from(VERSION) => {
            return Err(ProjectError::TooNew {
                path: name,
                version,
            });
        }
        // Everything so far begins like a project: a short file was cut;
        // a long one never says its version, so it is something else.
        Prefix::Short if bytes.len() < PREFIX_BYTES => {
            return Err(ProjectError::Truncated { path: name });
        }
        Prefix::Short => return Err(ProjectError::NotAProject { path: name }),
        Prefix::Project { .. } => {}
    }
    bytes.reserve(meta.len() as usize);
    file.read_to_end(&mut bytes).map_err(io)?;
    let mut project = from_bytes(&bytes, &name)?;
    project.path = Some(path.to_path_buf());
    Ok(Opened::Json(project))
}

/// Saves a project as a new file (format version 2, SQLite) that replaces
/// `path` whole (see [`crate::atomic`]), stamping the time of the save
/// (and of creation, for a new project). Refused with
/// [`ProjectError::Locked`] while another window or program has the
/// project open for writing ([`super::ProjectStore`]).
///
/// `project` is a [`Project`], or a [`super::ProjectView`] (the parts of a
/// workspace, borrowed).
pub fn save_project<'a>(
    path: &Path,
    project: impl Into<super::ProjectView<'a>>,
) -> Result<(), ProjectError> {
    let _lock = match super::store::ProjectLock::acquire(path) {
        Ok(lock) => Some(lock),
        Err(super::store::LockError::Held { holder }) => {
            return Err(ProjectError::Locked {
                path: path.display().to_string(),
                holder,
            });
        }
        // A folder without lock files (read-only, a network drive
        // without locks): written as before; a read-only folder fails
        // with its own message.
        Err(super::store::LockError::Io(_)) => None,
    };
    let project = project.into();
    write_new(path, &project, &crate::time::now_rfc3339(), || {})?;
    Ok(())
}

/// What a file looked like when it was opened or saved: its size and the
/// time it was last written. A different stamp at the next save means
/// someone else (another window, another program) wrote it meanwhile.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FileStamp {
    len: u64,
    modified: Option<std::time::SystemTime>,
}

impl FileStamp {
    /// The stamp of the file at `path` now; `None` when it is not there.
    pub fn of(path: &Path) -> Option<FileStamp> {
        let m = std::fs::metadata(path).ok()?;
        Some(FileStamp {
            len: m.len(),
            modified: m.modified().ok(),
        })
    }
}
