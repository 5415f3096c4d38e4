//! The project file on disk: opened (recognised from its first bytes
//! before the rest is read), saved atomically, and stamped so that a
//! change by someone else is noticed before it is overwritten.

use std::io::Read;
use std::path::Path;

use super::format::write_project;
use super::migration::from_bytes;
use super::sniff::{Prefix, parse_prefix};
use super::{MAX_PROJECT_BYTES, Project, ProjectError, VERSION};

/// How much of a file is read to recognise it.
const PREFIX_BYTES: usize = 4096;

/// Opens a project file of any version up to [`VERSION`].
///
/// The file is recognised from its first bytes before the rest is read,
/// so a large file that is not a project fails at once.
pub fn open_project(path: &Path) -> Result<Project, ProjectError> {
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
    Ok(project)
}

/// Saves a project atomically (see [`crate::atomic`]), stamping the time
/// of the save (and of creation, for a new project). The project is
/// written straight into the temporary file that replaces `path`.
pub fn save_project(path: &Path, project: &Project) -> Result<(), ProjectError> {
    let write_error = |source| ProjectError::Write {
        path: path.display().to_string(),
        source,
    };
    crate::atomic::write_with(path, |f| write_project(project, f)).map_err(write_error)
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
