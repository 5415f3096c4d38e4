//! What differs between Windows, macOS and Linux, in one place: every item
//! here exists on every platform (the `#[cfg]` variants are counterparts of
//! one another; `tests/platforms.rs` checks that none is missing).

/// Lowers the calling thread's priority so that the window's thread gets a
/// core first: called at the start of every worker the app starts (threads
/// a worker starts inherit it). On a two-core machine an import reading on
/// both cores otherwise stretches frames past 16 ms.
#[cfg(target_os = "linux")]
pub fn background_priority() {
    // SAFETY: plain system calls on the calling thread; failure is harmless
    // (the work runs at normal priority).
    unsafe {
        let tid = libc::syscall(libc::SYS_gettid) as libc::id_t;
        libc::setpriority(libc::PRIO_PROCESS, tid, 10);
    }
}

/// Lowers the calling thread's priority (see the Linux variant).
#[cfg(windows)]
pub fn background_priority() {
    use windows_sys::Win32::System::Threading::{
        GetCurrentThread, SetThreadPriority, THREAD_PRIORITY_BELOW_NORMAL,
    };
    // SAFETY: the pseudo-handle of the calling thread needs no closing;
    // failure is harmless.
    unsafe {
        SetThreadPriority(GetCurrentThread(), THREAD_PRIORITY_BELOW_NORMAL);
    }
}

/// Lowers the calling thread's priority: on macOS the scheduler already
/// favours the window's thread, so workers keep the default.
#[cfg(not(any(target_os = "linux", windows)))]
pub fn background_priority() {}

/// Connects standard output and error to the console of the terminal that
/// started the program. The Windows build is a GUI program (no console
/// window opens when it is started from Explorer), so a command such as
/// `sitefold summary …` typed in a terminal must attach to that terminal to
/// print. Output redirected to a file or a pipe is left as it is. Text is
/// written as UTF-16 to a console by Rust's standard library, so Chinese
/// prints correctly whatever the console's code page; the code page is set
/// to UTF-8 as well for anything that writes bytes.
#[cfg(windows)]
pub fn attach_parent_console() {
    use windows_sys::Win32::Globalization::CP_UTF8;
    use windows_sys::Win32::System::Console::{
        ATTACH_PARENT_PROCESS, AttachConsole, SetConsoleOutputCP,
    };
    // SAFETY: both calls take plain values; when there is no parent console
    // (started from Explorer) AttachConsole fails and nothing changes.
    unsafe {
        if AttachConsole(ATTACH_PARENT_PROCESS) != 0 {
            SetConsoleOutputCP(CP_UTF8);
        }
    }
}

/// Connects to the parent console: on macOS and Linux a program started
/// from a terminal already writes to it.
#[cfg(not(windows))]
pub fn attach_parent_console() {}

/// The name of the person using the computer, for the audit trail and
/// status changes: the account name the system gives (`USERNAME` on
/// Windows, `USER` or `LOGNAME` elsewhere), `None` when none is set.
pub fn user_name() -> Option<String> {
    ["USERNAME", "USER", "LOGNAME"]
        .iter()
        .filter_map(|v| std::env::var(v).ok())
        .map(|s| s.trim().to_string())
        .find(|s| !s.is_empty())
        .or_else(account_name)
}

/// The account's name from the system's user database (which on the
/// domestic desktops may be a directory server), for a session that sets
/// none of the variables (a service, `sudo -i`, a container).
#[cfg(target_os = "linux")]
fn account_name() -> Option<String> {
    let mut buf = vec![0 as libc::c_char; 16 * 1024];
    // SAFETY: `pwd` and `buf` outlive the call; getpwuid_r writes at most
    // `buf.len()` bytes into `buf` and points `pwd`'s fields into it; the
    // name is read before `buf` is dropped.
    unsafe {
        let mut pwd: libc::passwd = std::mem::zeroed();
        let mut found: *mut libc::passwd = std::ptr::null_mut();
        let rc = libc::getpwuid_r(
            libc::getuid(),
            &mut pwd,
            buf.as_mut_ptr(),
            buf.len(),
            &mut found,
        );
        if rc != 0 || found.is_null() || pwd.pw_name.is_null() {
            return None;
        }
        let name = std::ffi::CStr::from_ptr(pwd.pw_name).to_string_lossy();
        let name = name.trim();
        (!name.is_empty()).then(|| name.to_string())
    }
}

#[cfg(not(target_os = "linux"))]
fn account_name() -> Option<String> {
    None
}

/// True or false when the system can tell whether two existing paths are
/// the same file (on Unix: the same device and inode, which also catches
/// hard links); `None` when it cannot, and paths must be compared.
#[cfg(unix)]
pub fn same_file_id(a: &std::path::Path, b: &std::path::Path) -> Option<bool> {
    use std::os::unix::fs::MetadataExt;
    let (ma, mb) = (std::fs::metadata(a).ok()?, std::fs::metadata(b).ok()?);
    Some(ma.dev() == mb.dev() && ma.ino() == mb.ino())
}

/// Whether two paths are the same file: Windows compares resolved paths.
#[cfg(not(unix))]
pub fn same_file_id(_a: &std::path::Path, _b: &std::path::Path) -> Option<bool> {
    None
}

/// The owner (user and group) of a file, where files have one to keep.
#[cfg(unix)]
pub fn owner_of(m: &std::fs::Metadata) -> Option<(u32, u32)> {
    use std::os::unix::fs::MetadataExt;
    Some((m.uid(), m.gid()))
}

/// The owner of a file: Windows keeps it with the file's security.
#[cfg(not(unix))]
pub fn owner_of(_m: &std::fs::Metadata) -> Option<(u32, u32)> {
    None
}

/// Gives a replacement file the owner of the file it replaces. Only root
/// may give a file away; for anyone else the file is theirs already.
#[cfg(unix)]
pub fn give_owner(file: &std::fs::File, owner: Option<(u32, u32)>) {
    if let Some((uid, gid)) = owner {
        let _ = std::os::unix::fs::fchown(file, Some(uid), Some(gid));
    }
}

/// Gives a replacement file its owner: nothing to do on Windows.
#[cfg(not(unix))]
pub fn give_owner(_file: &std::fs::File, _owner: Option<(u32, u32)>) {}

/// New files get what a new file normally gets (0666 less the umask on
/// Unix; the temporary file's own default, 0600, would make an export
/// private).
#[cfg(unix)]
pub fn usual_permissions(b: &mut tempfile::Builder<'_, '_>) {
    use std::os::unix::fs::PermissionsExt;
    b.permissions(std::fs::Permissions::from_mode(0o666));
}

/// New files' permissions: Windows gives the folder's.
#[cfg(not(unix))]
pub fn usual_permissions(_b: &mut tempfile::Builder<'_, '_>) {}

/// Makes a rename in `dir` durable (not every file system allows it).
#[cfg(unix)]
pub fn sync_folder(dir: &std::path::Path) {
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

/// Makes a rename durable: Windows folders cannot be opened for it.
#[cfg(not(unix))]
pub fn sync_folder(_dir: &std::path::Path) {}

/// The identity of a file (on Unix its device and inode), to tell whether
/// a name still names a file held open; `None` where the system does not
/// say.
#[cfg(unix)]
pub fn file_id(m: &std::fs::Metadata) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    Some((m.dev(), m.ino()))
}

/// The identity of a file: not given on Windows (without unstable APIs).
#[cfg(not(unix))]
pub fn file_id(_m: &std::fs::Metadata) -> Option<(u64, u64)> {
    None
}
