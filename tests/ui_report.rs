//! The report from the app (issue 17): File → Export report (DOCX)…, or
//! its shortcut, asks where, then writes the report in the background
//! through the same export the command line runs.

mod common;

use egui_kittest::kittest::Queryable;
use sitefold::i18n::Lang;
use sitefold::ui::actions::Action;
use sitefold::ui::file_dialog::FilePurpose;

#[test]
fn the_shortcut_asks_where_and_writes_the_report_in_the_background() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut harness = common::harness(common::sample_app(Lang::En));
    harness.run();
    let shortcut = Action::ExportReport.shortcut().expect("a shortcut");
    // No other action has it.
    for a in Action::ALL {
        if *a != Action::ExportReport {
            assert_ne!(a.shortcut(), Some(shortcut), "{a:?}");
            assert!(!a.alternate_shortcuts().contains(&shortcut), "{a:?}");
        }
    }
    harness.key_press_modifiers(shortcut.modifiers, shortcut.logical_key);
    harness.run();
    let prompt = harness.state().path_prompt.clone().expect("asked where");
    assert_eq!(prompt.purpose, FilePurpose::ExportReport);
    assert!(prompt.text.ends_with("report.docx"), "{}", prompt.text);
    assert_eq!(
        FilePurpose::ExportReport.filters(Lang::Zh)[0].1,
        &["docx"][..]
    );

    let target = dir.path().join("方案 报告.docx");
    harness
        .state_mut()
        .path_prompt
        .as_mut()
        .expect("prompt")
        .text = target.display().to_string();
    harness.get_by_label("OK").click();
    harness.step();
    let start = std::time::Instant::now();
    while !target.is_file() {
        assert!(start.elapsed().as_secs() < 120, "the report is written");
        std::thread::sleep(std::time::Duration::from_millis(20));
        harness.step();
    }
    let bytes = std::fs::read(&target).expect("read");
    let docx = docx_rs::read_docx(&bytes).expect("the report opens");
    let text: Vec<String> = docx
        .document
        .children
        .iter()
        .filter_map(|c| match c {
            docx_rs::DocumentChild::Paragraph(p) => Some(p.raw_text()),
            _ => None,
        })
        .collect();
    assert!(text.iter().any(|p| p == "1. The sites today"), "{text:?}");
}

#[test]
fn the_file_menu_offers_the_report() {
    let mut harness = common::harness(common::sample_app(Lang::Zh));
    harness.run();
    harness.get_by_label("文件").click();
    harness.run();
    // The entry shows its shortcut beside its label.
    let item = harness.get_by_label_contains(Action::ExportReport.label(Lang::Zh));
    item.click();
    harness.run();
    let prompt = harness.state().path_prompt.clone().expect("asked where");
    assert_eq!(prompt.purpose, FilePurpose::ExportReport);
    assert!(prompt.text.ends_with("方案报告.docx"), "{}", prompt.text);
}
