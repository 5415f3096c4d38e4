//! Sitefold: plan the consolidation of government websites.
//!
//! The core (`inventory`, `plan`, `outcome`, `export`) knows nothing of the
//! user interface; the command line and the desktop app call the same
//! functions.

pub mod charts;
pub mod cli;
pub mod diag;
pub mod export;
pub mod generate;
pub mod i18n;
pub mod inventory;
pub mod money;
pub mod optimize;
pub mod outcome;
pub mod plan;
pub mod platform;
pub mod project;
pub mod ui;
pub mod workspace;

/// Replaces Rust's panic output with a plain message: a planner should
/// never see a backtrace.
pub fn install_panic_message() {
    std::panic::set_hook(Box::new(|info| {
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

/// Opens the desktop app on a file, or on the bundled sample.
pub fn open_app(file: Option<std::path::PathBuf>, lang: Option<i18n::Lang>) -> i32 {
    ui::run_native(file, lang)
}
