//! Replacing files safely. Every file Sitefold writes goes through here.
//!
//! - **Whole or not at all.** The data goes to a temporary file in the
//!   target's folder (named [`TEMP_PREFIX`]`…`), which replaces the target
//!   only when everything was written and synced ([`AtomicFile::commit`]).
//!   A write that fails or is dropped removes its temporary file and leaves
//!   the previous file as it was.
//! - **Leftovers.** A run killed mid-write cannot remove its temporary file;
//!   the next write to that folder removes such files once they are older
//!   than [`STALE_AFTER`] (younger ones may belong to a run still writing).
//! - **The file stays the planner's.** Replacing a file keeps its
//!   permissions (a private 0600 file stays private) and, where allowed, its
//!   owner; a new file gets the usual permissions (0666 less the umask, as
//!   any program creates). A read-only file is refused ([`is_read_only`]).
//!   A symbolic link is followed: the file it points to is replaced and the
//!   link is kept. A target that is not a regular file (`/dev/null`, a
//!   pipe) is written to directly.
//!
//! The module depends on nothing else in the crate but [`Lang`], for
//! [`describe`].

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use tempfile::NamedTempFile;

use crate::i18n::Lang;

/// How temporary files start: hidden, and recognisably Sitefold's.
pub const TEMP_PREFIX: &str = ".sitefold-tmp-";
/// Temporary files older than this are leftovers of a run that was killed.
pub const STALE_AFTER: Duration = Duration::from_secs(3600);
/// Links followed before giving up (as the system does).
const MAX_LINKS: usize = 40;

/// The error for a file that may not be written (its read-only attribute
/// is set, or its permissions do not allow it).
#[derive(Debug)]
struct ReadOnly;

impl std::fmt::Display for ReadOnly {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the file is read-only; make it writable or choose another name")
    }
}

impl std::error::Error for ReadOnly {}

fn read_only() -> io::Error {
    io::Error::new(io::ErrorKind::PermissionDenied, ReadOnly)
}
/// The io errors inside `e`, outermost first: writers wrap them (the CSV
/// writer as "other", the temporary file with its path).
fn io_chain(e: &io::Error) -> Vec<&io::Error> {
    let mut chain = vec![e];
    let mut next: Option<&(dyn std::error::Error + 'static)> = e.get_ref().map(|i| i as _);
    while let Some(err) = next {
        if let Some(io) = err.downcast_ref::<io::Error>() {
            chain.push(io);
            next = io.get_ref().map(|i| i as _);
        } else if let Some(c) = err.downcast_ref::<csv::Error>() {
            // The CSV writer's error tells its cause by kind only.
            next = match c.kind() {
                csv::ErrorKind::Io(io) => Some(io),
                _ => None,
            };
        } else {
            next = err.source();
        }
    }
    chain
}

/// True when `e` is the refusal to replace a read-only file.
pub fn is_read_only(e: &io::Error) -> bool {
    io_chain(e)
        .iter()
        .any(|e| e.get_ref().is_some_and(|inner| inner.is::<ReadOnly>()))
}

/// Why a file could not be written, in plain words in `lang` (the
/// system's own text for the rarer causes).
pub fn describe(e: &io::Error, lang: Lang) -> String {
    use io::ErrorKind as K;
    if is_read_only(e) {
        return lang
            .pick(
                "文件是只读的，请先取消只读或换一个文件名",
                "the file is read-only; make it writable or choose another name",
            )
            .to_string();
    }
    // The innermost error says most (and names no temporary file).
    let chain = io_chain(e);
    let e = chain
        .iter()
        .rev()
        .find(|e| e.kind() != K::Other)
        .or(chain.last())
        .copied()
        .unwrap_or(e);
    let plain = match e.kind() {
        K::NotFound => lang.pick("文件夹不存在", "no such folder"),
        K::PermissionDenied => lang.pick("没有写入权限", "permission denied"),
        K::StorageFull => lang.pick("磁盘已满", "the disk is full"),
        K::QuotaExceeded => lang.pick("超出磁盘配额", "the disk quota is exceeded"),
        K::FileTooLarge => lang.pick("文件过大", "the file is too large"),
        K::ReadOnlyFilesystem => lang.pick("磁盘是只读的", "the drive is read-only"),
        K::IsADirectory => lang.pick("这是一个文件夹", "it is a folder"),
        K::NotADirectory => lang.pick(
            "路径中有一部分不是文件夹",
            "part of the path is not a folder",
        ),
        K::InvalidFilename => lang.pick("文件名无效", "the file name is not valid"),
        // Without the temporary file's path the temporary file adds.
        _ => {
            let text = e.to_string();
            return match text.split_once(" at path ") {
                Some((cause, _)) => cause.to_string(),
                None => text,
            };
        }
    };
    plain.to_string()
}

/// The file `path` stands for: symbolic links followed to the file they
/// point to, which need not exist yet.
pub fn resolve_links(path: &Path) -> io::Result<PathBuf> {
    let mut p = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        match fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => {
                let link = fs::read_link(&p)?;
                p = match p.parent() {
                    Some(dir) if link.is_relative() => dir.join(link),
                    _ => link,
                };
            }
            _ => return Ok(p),
        }
    }
    Err(io::Error::other("too many levels of symbolic links"))
}

/// The folder a file is in (`.` for a bare name).
fn folder_of(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or_else(|| Path::new("."))
}

/// A path that names the same file however it was written: links
/// followed and the folder made absolute; for a file that does not exist
/// yet, its folder's canonical path and its name.
fn canonical(path: &Path) -> Option<PathBuf> {
    if let Ok(p) = fs::canonicalize(path) {
        return Some(p);
    }
    let target = resolve_links(path).ok()?;
    let dir = fs::canonicalize(folder_of(&target)).ok()?;
    Some(dir.join(target.file_name()?))
}

/// True when `a` and `b` are the same file: the same path once links and
/// `..` are resolved, or (on Unix) the same device and inode, which also
/// catches hard links. Files that do not exist compare by path.
pub fn same_file(a: &Path, b: &Path) -> bool {
    if let Some(same) = crate::platform::same_file_id(a, b) {
        return same;
    }
    match (canonical(a), canonical(b)) {
        (Some(x), Some(y)) => x == y,
        _ => false,
    }
}

/// Removes the temporary files a killed run left in `dir`: those named
/// [`TEMP_PREFIX`]`…` not modified for [`STALE_AFTER`]. Returns how many
/// were removed. Errors are ignored (another run may be cleaning too).
pub fn clean_stale(dir: &Path) -> usize {
    let Ok(entries) = fs::read_dir(dir) else {
        return 0;
    };
    let now = SystemTime::now();
    let mut removed = 0;
    for entry in entries.flatten() {
        if !entry.file_name().to_string_lossy().starts_with(TEMP_PREFIX) {
            continue;
        }
        // Not followed: a link or folder of that name is not ours.
        let Ok(meta) = entry.metadata() else { continue };
        let old = meta
            .modified()
            .ok()
            .and_then(|m| now.duration_since(m).ok())
            .is_some_and(|age| age >= STALE_AFTER);
        if meta.is_file() && old && fs::remove_file(entry.path()).is_ok() {
            removed += 1;
        }
    }
    removed
}

enum Sink {
    /// A temporary file that replaces the target on commit.
    Temp(BufWriter<NamedTempFile>),
    /// A target that is not a regular file, written as it is.
    Direct(BufWriter<File>),
}

/// What the temporary file should get from the file it replaces.
struct Keep {
    permissions: fs::Permissions,
    owner: Option<(u32, u32)>,
}

/// A file being written: write to it (it is buffered), then
/// [`commit`](AtomicFile::commit). Dropped without a commit, it removes
/// its temporary file and the target is untouched.
pub struct AtomicFile {
    target: PathBuf,
    sink: Sink,
    keep: Option<Keep>,
}

impl AtomicFile {
    /// Starts writing `path`: checks that it may be replaced (not a
    /// folder, not read-only), removes stale temporary files from its
    /// folder and creates the temporary file there.
    pub fn create(path: &Path) -> io::Result<AtomicFile> {
        AtomicFile::create_with(path, true)
    }

    /// [`AtomicFile::create`] without looking for stale temporary files:
    /// for many files written into one folder, which is cleaned once
    /// ([`clean_stale`]) before the first (each look reads the whole
    /// folder).
    pub fn create_in_cleaned_folder(path: &Path) -> io::Result<AtomicFile> {
        AtomicFile::create_with(path, false)
    }

    fn create_with(path: &Path, clean: bool) -> io::Result<AtomicFile> {
        let target = resolve_links(path)?;
        let meta = match fs::metadata(&target) {
            Ok(m) => Some(m),
            Err(e) if e.kind() == io::ErrorKind::NotFound => None,
            Err(e) => return Err(e),
        };
        let mut keep = None;
        if let Some(m) = &meta {
            if m.is_dir() {
                return Err(io::Error::new(
                    io::ErrorKind::IsADirectory,
                    "it is a folder",
                ));
            }
            if !m.is_file() {
                // A device or a pipe: there is nothing to replace.
                let f = fs::OpenOptions::new()
                    .write(true)
                    .truncate(true)
                    .open(&target)?;
                return Ok(AtomicFile {
                    target,
                    sink: Sink::Direct(BufWriter::new(f)),
                    keep: None,
                });
            }
            if m.permissions().readonly() {
                return Err(read_only());
            }
            // Permissions that leave write bits but not for us (someone
            // else's file): opening it to write changes nothing in it.
            if let Err(e) = fs::OpenOptions::new().write(true).open(&target) {
                return Err(if e.kind() == io::ErrorKind::PermissionDenied {
                    read_only()
                } else {
                    e
                });
            }
            keep = Some(Keep {
                permissions: m.permissions(),
                owner: crate::platform::owner_of(m),
            });
        }
        let dir = folder_of(&target);
        if clean {
            clean_stale(dir);
        }
        let suffix = target
            .extension()
            .map(|e| format!(".{}", e.to_string_lossy()))
            .unwrap_or_default();
        let mut b = tempfile::Builder::new();
        b.prefix(TEMP_PREFIX).suffix(&suffix);
        crate::platform::usual_permissions(&mut b);
        let tmp = b.tempfile_in(dir)?;
        Ok(AtomicFile {
            target,
            sink: Sink::Temp(BufWriter::with_capacity(256 * 1024, tmp)),
            keep,
        })
    }

    /// The file that will be replaced (links followed).
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// The folder of the file that will be replaced.
    pub fn folder(&self) -> &Path {
        folder_of(&self.target)
    }

    /// Where the data goes until the commit: the temporary file (or the
    /// target itself when it is not a regular file). For writers that
    /// want a path; write nothing through `self` while they use it.
    pub fn temp_path(&self) -> &Path {
        match &self.sink {
            Sink::Temp(w) => w.get_ref().path(),
            Sink::Direct(_) => &self.target,
        }
    }

    /// Replaces the target with what was written: flushes, syncs, gives
    /// the new file the old one's permissions (and owner, where allowed),
    /// then renames it into place.
    pub fn commit(self) -> io::Result<()> {
        let tmp = match self.sink {
            Sink::Direct(w) => {
                w.into_inner().map_err(io::IntoInnerError::into_error)?;
                return Ok(());
            }
            Sink::Temp(w) => w.into_inner().map_err(io::IntoInnerError::into_error)?,
        };
        tmp.as_file().sync_all()?;
        if let Some(keep) = &self.keep {
            crate::platform::give_owner(tmp.as_file(), keep.owner);
            tmp.as_file().set_permissions(keep.permissions.clone())?;
        }
        tmp.persist(&self.target).map_err(|e| e.error)?;
        crate::platform::sync_folder(folder_of(&self.target));
        Ok(())
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match &mut self.sink {
            Sink::Temp(w) => w.write(buf),
            Sink::Direct(w) => w.write(buf),
        }
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        match &mut self.sink {
            Sink::Temp(w) => w.write_all(buf),
            Sink::Direct(w) => w.write_all(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut self.sink {
            Sink::Temp(w) => w.flush(),
            Sink::Direct(w) => w.flush(),
        }
    }
}

/// Replaces `path` with `data` (see [`AtomicFile`]).
pub fn write_atomic(path: &Path, data: &[u8]) -> io::Result<()> {
    write_with(path, |w| w.write_all(data))
}

/// Replaces `path` with what `fill` writes, streamed to the temporary
/// file; when `fill` fails, nothing is replaced.
pub fn write_with<E: From<io::Error>>(
    path: &Path,
    fill: impl FnOnce(&mut AtomicFile) -> Result<(), E>,
) -> Result<(), E> {
    let mut f = AtomicFile::create(path)?;
    fill(&mut f)?;
    f.commit()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_whole_and_cleans_up_on_drop() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("规划 目录 a.csv");
        write_atomic(&p, b"one").unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"one");
        {
            let mut f = AtomicFile::create(&p).unwrap();
            f.write_all(b"half").unwrap();
            f.flush().unwrap();
            assert!(f.temp_path().exists());
            assert!(
                f.temp_path()
                    .file_name()
                    .unwrap()
                    .to_string_lossy()
                    .starts_with(TEMP_PREFIX)
            );
        }
        assert_eq!(fs::read(&p).unwrap(), b"one");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
        let r: io::Result<()> = write_with(&p, |w| {
            w.write_all(b"two")?;
            Err(io::Error::other("stop"))
        });
        assert!(r.is_err());
        assert_eq!(fs::read(&p).unwrap(), b"one");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn causes_are_found_inside_wrapping_errors() {
        let full = io::Error::from(io::ErrorKind::StorageFull);
        let csv_err = csv::Error::from(full);
        let wrapped = io::Error::from(csv_err);
        assert_eq!(wrapped.kind(), io::ErrorKind::Other);
        assert_eq!(describe(&wrapped, Lang::En), "the disk is full");
        assert_eq!(describe(&wrapped, Lang::Zh), "磁盘已满");
        let ro = io::Error::other(read_only());
        assert!(is_read_only(&ro));
        assert!(describe(&ro, Lang::Zh).contains("只读"));
    }

    #[test]
    fn stale_files_only_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let old = dir.path().join(format!("{TEMP_PREFIX}old.csv"));
        let young = dir.path().join(format!("{TEMP_PREFIX}young.csv"));
        let other = dir.path().join(".other.tmp");
        for p in [&old, &young, &other] {
            fs::write(p, b"x").unwrap();
        }
        let past = SystemTime::now() - STALE_AFTER - Duration::from_secs(60);
        for p in [&old, &other] {
            File::options()
                .write(true)
                .open(p)
                .unwrap()
                .set_modified(past)
                .unwrap();
        }
        // A file of a batch, in a folder cleaned once already, looks at none.
        let mut f = AtomicFile::create_in_cleaned_folder(&dir.path().join("公告.txt")).unwrap();
        f.write_all(b"x").unwrap();
        f.commit().unwrap();
        assert!(old.exists());
        assert_eq!(clean_stale(dir.path()), 1);
        assert!(!old.exists() && young.exists() && other.exists());
    }

    #[test]
    fn same_file_sees_through_spelling() {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("子 目录");
        fs::create_dir(&sub).unwrap();
        let a = sub.join("a.csv");
        fs::write(&a, b"x").unwrap();
        assert!(same_file(&a, &sub.join("..").join("子 目录").join("a.csv")));
        assert!(!same_file(&a, &sub.join("b.csv")));
        let new = sub.join("new.csv");
        assert!(same_file(&new, &dir.path().join("子 目录/./new.csv")));
    }
}
