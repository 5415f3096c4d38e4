//! Project file (`.sitefold`): any bytes, saved under a `.sitefold` name
//! and opened as the app opens a project, give a project or an error
//! naming the file; never a panic. An opened project becomes a workspace
//! (linking, decisions mapped back, the outcome) and must survive being
//! saved again: what `to_bytes` writes opens again.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use sitefold::i18n::Lang;
use sitefold::project::{Project, from_bytes, open_project, to_bytes};

fn path() -> &'static PathBuf {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| {
        std::env::temp_dir().join(format!("sitefold-fuzz-{}.sitefold", std::process::id()))
    })
}

fn check(project: Project) {
    let again = to_bytes(&project);
    if let Err(e) = from_bytes(&again, "resaved.sitefold") {
        panic!("a project that opened does not open once saved again: {e}");
    }
    let ws = project.into_workspace();
    let _ = ws.summary();
}

fuzz_target!(|data: &[u8]| {
    const NAME: &str = "fuzz.sitefold";
    match from_bytes(data, NAME) {
        Ok(project) => check(project),
        Err(e) => {
            assert!(e.to_string().contains(NAME), "{e}");
            assert!(
                e.message(Lang::Zh).contains(NAME),
                "{}",
                e.message(Lang::Zh)
            );
        }
    }
    // The same through the file, which reads the first bytes before the rest.
    let path = path();
    if std::fs::write(path, data).is_err() {
        return;
    }
    let name = path.display().to_string();
    match open_project(path) {
        Ok(project) => check(project),
        Err(e) => assert!(e.to_string().contains(&name), "{e}"),
    }
});
