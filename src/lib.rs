//! Sitefold: plan the consolidation of government websites.
//!
//! The core (`inventory`, `plan`, `outcome`, `export`) knows nothing of the
//! user interface; the command line and the desktop app call the same
//! functions.

pub mod atomic;
pub mod charts;
pub mod cli;
pub mod diag;
pub mod execution;
pub mod export;
pub mod generate;
pub mod i18n;
pub mod inventory;
pub mod money;
pub mod optimize;
pub mod outcome;
mod par;
pub mod plan;
pub mod platform;
pub mod project;
pub mod report;
pub mod rounds;
pub mod sample;
pub mod time;
pub mod timeline;
pub mod ui;
pub mod workspace;

/// The allocator of every program built on this library (the app, its
/// benchmarks and tests alike): an import makes millions of small strings
/// and frees the file's text mid-way, and mimalloc does both for about a
/// fifth of the system allocator's time, handing freed memory back to the
/// next allocations rather than faulting in fresh pages (1M sites:
/// `summary` 0.92–1.01 → 0.70–0.85 s, 597 → 553 MB; BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay` (`include/mimalloc.h`, version 3):
/// how many milliseconds freed memory is kept before it goes back to the
/// system. Its default is [`DEFAULT_PURGE_DELAY_MS`].
const MI_OPTION_PURGE_DELAY: std::ffi::c_int = 15;
/// mimalloc 3's default purge delay (a test checks that the option set
/// here is the one with this default).
#[cfg(test)]
const DEFAULT_PURGE_DELAY_MS: std::ffi::c_long = 1000;

/// Sets the allocator up for a process: memory freed goes back to the
/// system at once. With mimalloc's default of a second, a large block
/// freed (a file's text, a spreadsheet's strings) still counts while the
/// next is made: reading an 8 MB string shared by 70 cells peaked at
/// 906 MB against 571 MB, and `summary` of 1M sites at 567 MB against
/// 553 MB, for no time saved. Called first thing by `main`.
pub fn tune_allocator() {
    // SAFETY: sets a plain integer option; mimalloc reads it each time it
    // purges, so setting it after the first allocations is allowed.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 0) }
}

#[cfg(test)]
mod allocator_tests {
    #[test]
    fn the_option_tuned_is_the_purge_delay() {
        // SAFETY: reads and sets a plain integer option.
        let default = unsafe { libmimalloc_sys::mi_option_get(super::MI_OPTION_PURGE_DELAY) };
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
            assert_eq!(default, super::DEFAULT_PURGE_DELAY_MS);
        }
        super::tune_allocator();
        let tuned = unsafe { libmimalloc_sys::mi_option_get(super::MI_OPTION_PURGE_DELAY) };
        assert_eq!(tuned, 0);
    }
}

/// Replaces Rust's panic output with a plain message: a planner should
/// never see a backtrace.
pub fn install_panic_message() {
    std::panic::set_hook(Box::new(|info| {
        if CATCHING.with(std::cell::Cell::get) {
            // [`catch_panic`] turns this one into an error message.
            return;
        }
        let what = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        eprintln!(
            "Sitefold 内部错误 / internal error: {what}\n请将此信息和所用文件发给维护人员。Please report this with the file you used."
        );
    }));
}

thread_local! {
    static CATCHING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `f`, returning `Err` with the panic's text if it panics, and
/// without the "internal error" message: for libraries that panic on
/// conditions the caller can explain better (a full disk).
pub fn catch_panic<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    let was = CATCHING.with(|c| c.replace(true));
    let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    CATCHING.with(|c| c.set(was));
    r.map_err(|p| {
        p.downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| p.downcast_ref::<String>().cloned())
            .unwrap_or_default()
    })
}

/// Opens the desktop app on a file, or on the bundled sample.
pub fn open_app(file: Option<std::path::PathBuf>, lang: Option<i18n::Lang>) -> i32 {
    ui::run_native(file, lang)
}
