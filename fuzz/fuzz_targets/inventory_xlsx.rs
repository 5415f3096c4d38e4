//! Excel inventory: any bytes, saved under an `.xlsx` name and opened the
//! way the app and the command line open a file (`import_path`, which
//! dispatches on the extension and then sniffs the content, so XLS, XLSB
//! and ODS containers are reached too). Gives an inventory or an error
//! naming the file; never a panic, never unbounded memory. (A panic inside
//! the spreadsheet reader that Sitefold catches is not a crash: see
//! `common/mod.rs`.)
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

mod common;
use sitefold::i18n::Lang;
use sitefold::inventory::{ImportOptions, import_path, sheet_names};
use sitefold::workspace::Workspace;

fn path() -> &'static PathBuf {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| {
        std::env::temp_dir().join(format!("sitefold-fuzz-{}.xlsx", std::process::id()))
    })
}

fuzz_target!(init: common::install_panic_policy(), |data: &[u8]| {
    common::run(|| one(data));
});

fn one(data: &[u8]) {
    let path = path();
    if std::fs::write(path, data).is_err() {
        return;
    }
    let name = path.display().to_string();
    let _ = sheet_names(data, "xlsx");
    match import_path(path, &ImportOptions::default()) {
        Ok(imported) => {
            let ws = Workspace::new(imported);
            let _ = ws.summary();
        }
        Err(e) => {
            let en = e.to_string();
            let zh = e.message(Lang::Zh);
            assert!(en.contains(&name), "error does not name the file: {en}");
            assert!(zh.contains(&name), "error does not name the file: {zh}");
        }
    }
}
