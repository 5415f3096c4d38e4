//! The one harness builder every UI test uses: the real app, with the
//! app's own fonts, in a window of a desktop's size. Missing glyphs panic
//! (kittest's default), so no test can hide one.

#![allow(dead_code)]

use egui_kittest::Harness;
use sitefold::i18n::Lang;
use sitefold::ui::{Settings, SitefoldApp};

/// Settings for tests: a fixed language, nothing remembered.
pub fn settings(lang: Lang) -> Settings {
    Settings {
        lang,
        ..Settings::default()
    }
}

/// The app on the bundled sample. It never opens a system file dialog:
/// a request for a file shows the typed-path field.
pub fn sample_app(lang: Lang) -> SitefoldApp {
    let mut app = SitefoldApp::with_sample(settings(lang));
    app.dialogs = Box::new(sitefold::ui::file_dialog::NoDialogs);
    app
}

/// A harness around `app`, sized like a desktop window.
pub fn harness(app: SitefoldApp) -> Harness<'static, SitefoldApp> {
    Harness::builder()
        .with_size(egui::vec2(1440.0, 900.0))
        // A background job landing a frame or two late on a loaded
        // machine (CI's two cores) is not a failure: `run` waits up to
        // 16 frames for the window to settle instead of 4.
        .with_max_steps(16)
        .with_context_setup(sitefold::ui::fonts::install)
        .build_ui_state(|ui, app: &mut SitefoldApp| app.ui(ui), app)
}

/// Steps the harness until a file opening in the background has landed.
pub fn wait_for_open(harness: &mut Harness<'static, SitefoldApp>) {
    let start = std::time::Instant::now();
    while harness.state().pending_open().is_some() {
        assert!(start.elapsed().as_secs() < 60, "the file opens");
        std::thread::sleep(std::time::Duration::from_millis(10));
        harness.step();
    }
    harness.run();
}

/// Writes `n` generated sites (seed `seed`) as a Chinese-header CSV file
/// `name` in `dir`; returns its path and the sites.
pub fn generated_csv(
    dir: &std::path::Path,
    name: &str,
    n: usize,
    seed: u64,
) -> (std::path::PathBuf, Vec<sitefold::inventory::Site>) {
    let path = dir.join(name);
    let sites = sitefold::generate::generate(n, seed);
    let mut bytes = Vec::new();
    sitefold::inventory::write_csv(&sites, &mut bytes, Lang::Zh).expect("csv");
    std::fs::write(&path, bytes).expect("write");
    (path, sites)
}

/// Runs the command line in-process: exit code, standard output and
/// standard error.
pub fn run_cli(args: &[&str]) -> (i32, String, String) {
    let mut out = Vec::new();
    let mut err = Vec::new();
    let mut full = vec!["sitefold"];
    full.extend_from_slice(args);
    let code = match sitefold::cli::run_with(full, &mut out, &mut err) {
        sitefold::cli::Run::Exit(c) => c,
        sitefold::cli::Run::Gui { .. } => -1,
    };
    (
        code,
        String::from_utf8_lossy(&out).into_owned(),
        String::from_utf8_lossy(&err).into_owned(),
    )
}

/// Writes `text` to `name` in `dir`; returns the path as text.
pub fn write_text(dir: &std::path::Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).expect("write fixture");
    p.display().to_string()
}
