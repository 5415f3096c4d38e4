//! What counts as a crash for the spreadsheet targets.
//!
//! Sitefold runs the spreadsheet reader (calamine) under `catch_unwind`, so
//! a panic inside it on a damaged file becomes an error naming the file
//! (`ImportError::Spreadsheet`), not a crash of the app. libFuzzer's Rust
//! glue aborts on every panic, even a caught one; these targets instead
//! treat as a crash only a panic that escapes Sitefold's API. Set
//! `SITEFOLD_FUZZ_STRICT=1` to abort on every panic again (to find the
//! reader's own bugs, to report upstream).

use std::cell::RefCell;
use std::panic::AssertUnwindSafe;

thread_local! {
    static LAST_PANIC: RefCell<String> = const { RefCell::new(String::new()) };
}

/// Installs the panic hook (call from the target's `init`).
pub fn install_panic_policy() {
    if std::env::var_os("SITEFOLD_FUZZ_STRICT").is_some() {
        return;
    }
    std::panic::set_hook(Box::new(|info| {
        let trace = std::backtrace::Backtrace::force_capture();
        LAST_PANIC.with(|p| *p.borrow_mut() = format!("{info}\n{trace}"));
    }));
}

/// Runs one input; a panic that escapes `f` is printed and aborts.
pub fn run(f: impl FnOnce()) {
    if std::panic::catch_unwind(AssertUnwindSafe(f)).is_err() {
        LAST_PANIC.with(|p| eprintln!("panic escaped Sitefold: {}", p.borrow()));
        std::process::abort();
    }
}
