//! One writer per project: a window (or a command) that writes a project
//! holds a lock on a small file beside it, `NAME.sitefold.lock`, for as
//! long as it may write. The lock is the operating system's (`flock` on
//! Unix, `LockFileEx` on Windows), so it ends with the process: a crashed
//! or killed Sitefold never leaves a project locked, only a lock file that
//! nobody holds (the next writer takes it over).
//!
//! The lock file names who holds it (the account and since when), for
//! the message another window shows; Windows does not let others read a
//! locked file, so there the message names nobody.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

/// A held lock on a project; released (and its file removed) when dropped.
#[derive(Debug)]
pub struct ProjectLock {
    file: Option<File>,
    path: PathBuf,
}

/// Why a project could not be locked.
#[derive(Debug)]
pub enum LockError {
    /// Another window or program holds it; who, when the lock file says.
    Held {
        /// The account and time the holder wrote, if readable.
        holder: Option<String>,
    },
    /// The lock file could not be made or locked (a read-only folder, a
    /// network drive without locks).
    Io(std::io::Error),
}

/// The lock file of a project file (links followed, so that every name of
/// a file has the same lock).
pub fn lock_path(project: &Path) -> PathBuf {
    let target = crate::atomic::resolve_links(project).unwrap_or_else(|_| project.to_path_buf());
    let mut name = target
        .file_name()
        .map_or_else(|| "project".into(), |n| n.to_os_string());
    name.push(".lock");
    target.with_file_name(name)
}

/// How often taking the lock is tried again when its file is replaced
/// under us (another writer let go and removed it).
const ATTEMPTS: usize = 8;

impl ProjectLock {
    /// Locks `project` for writing; fails at once when another window or
    /// program holds it.
    pub fn acquire(project: &Path) -> Result<ProjectLock, LockError> {
        let path = lock_path(project);
        for _ in 0..ATTEMPTS {
            let file = OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(&path)
                .map_err(LockError::Io)?;
            match file.try_lock() {
                Ok(()) => {}
                Err(std::fs::TryLockError::WouldBlock) => {
                    return Err(LockError::Held {
                        holder: read_holder(&path),
                    });
                }
                Err(std::fs::TryLockError::Error(e)) => return Err(LockError::Io(e)),
            }
            // The holder before us may have removed the file between our
            // open and our lock: then we hold a lock nobody else sees.
            if !still_there(&file, &path) {
                continue;
            }
            let mut lock = ProjectLock {
                file: Some(file),
                path,
            };
            lock.write_holder();
            return Ok(lock);
        }
        Err(LockError::Io(std::io::Error::other(
            "the lock file keeps being replaced",
        )))
    }

    /// The lock file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn write_holder(&mut self) {
        if let Some(f) = &mut self.file {
            let who = crate::execution::default_person();
            let since = crate::time::now_rfc3339();
            let _ = f.set_len(0);
            let _ = writeln!(f, "{who}\t{since}\tpid {}", std::process::id());
        }
    }
}

impl Drop for ProjectLock {
    fn drop(&mut self) {
        // Removed while still held, so that nobody takes over a file that
        // is about to go; a writer that opened it just before sees it gone
        // and tries again.
        let _ = std::fs::remove_file(&self.path);
        if let Some(f) = self.file.take() {
            let _ = f.unlock();
        }
    }
}

/// True when `path` still names the file `file` has open.
fn still_there(file: &File, path: &Path) -> bool {
    let (Ok(held), Ok(now)) = (file.metadata(), std::fs::metadata(path)) else {
        return false;
    };
    match (
        crate::platform::file_id(&held),
        crate::platform::file_id(&now),
    ) {
        (Some(a), Some(b)) => a == b,
        // Windows keeps a removed file's name until its last handle
        // closes, so the name cannot be taken by a new file meanwhile.
        _ => true,
    }
}

/// Who holds a lock, as its file says ("zhang since 2026-05-01 09:30").
fn read_holder(path: &Path) -> Option<String> {
    let mut text = String::new();
    let f = File::open(path).ok()?;
    std::io::Read::read_to_string(&mut std::io::Read::take(f, 512), &mut text).ok()?;
    let mut parts = text.lines().next()?.split('\t');
    let who = parts.next()?.trim();
    let since = parts.next().unwrap_or("").trim();
    if who.is_empty() {
        return None;
    }
    let who: String = who.chars().take(64).collect();
    let since: String = since.chars().take(32).collect();
    Some(if since.is_empty() {
        who
    } else {
        format!("{who}, {since}")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_holder_at_a_time_and_none_after_drop() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("规划 项目.sitefold");
        let first = ProjectLock::acquire(&p).expect("first");
        assert!(first.path().ends_with("规划 项目.sitefold.lock"));
        match ProjectLock::acquire(&p) {
            Err(LockError::Held { holder }) => {
                if cfg!(unix) {
                    assert!(holder.is_some());
                }
            }
            other => panic!("expected held, got {other:?}"),
        }
        drop(first);
        assert!(!lock_path(&p).exists(), "the lock file is removed");
        let again = ProjectLock::acquire(&p).expect("free again");
        drop(again);
        // A lock file nobody holds (a killed writer's) is taken over.
        std::fs::write(lock_path(&p), "someone\t2020-01-01T00:00:00Z\n").expect("stale");
        assert!(ProjectLock::acquire(&p).is_ok());
    }
}
