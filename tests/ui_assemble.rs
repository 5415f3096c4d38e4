//! Adding files to the open inventory in the app (issue #16): a
//! prefecture's return added as one undo step, to the same figures as the
//! whole province; a file whose sites are already there shows each
//! conflict side by side, and the rows chosen are the ones kept.

mod common;

use egui_kittest::kittest::Queryable as _;
use sitefold::i18n::Lang;
use sitefold::inventory::{ImportOptions, import_path};
use sitefold::ui::command::{Command, SelectMode, Tab};
use sitefold::ui::file_dialog::FilePurpose;
use sitefold::workspace::Workspace;

/// The sample's lines `rows` (0 is the header) as a CSV file in `dir`.
fn part(dir: &std::path::Path, name: &str, rows: std::ops::Range<usize>) -> std::path::PathBuf {
    let text = String::from_utf8_lossy(sitefold::sample::SAMPLE_CSV).into_owned();
    let lines: Vec<&str> = text.lines().collect();
    let mut out = format!("{}\n", lines[0]);
    for l in &lines[rows] {
        out.push_str(l);
        out.push('\n');
    }
    let path = dir.join(name);
    std::fs::write(&path, out).expect("write");
    path
}

fn add(
    harness: &mut egui_kittest::Harness<'static, sitefold::ui::SitefoldApp>,
    path: &std::path::Path,
) {
    harness.state_mut().push(Command::FileChosen {
        purpose: FilePurpose::AddToInventory,
        path: path.to_path_buf(),
    });
    harness.run();
}

#[test]
fn a_prefectures_return_added_in_the_app_is_one_undo_step() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    // The province's own sites and the first prefecture's; then the rest.
    let first = part(d, "province.csv", 1..226);
    let rest = part(d, "others.csv", 226..3001);
    let imported = import_path(&first, &ImportOptions::default()).expect("imports");
    let ws = Workspace::new(imported);
    let mut app =
        sitefold::ui::SitefoldApp::new(ws, Some(first.clone()), common::settings(Lang::En));
    app.dialogs = Box::new(sitefold::ui::file_dialog::NoDialogs);
    let mut harness = common::harness(app);
    harness.run();
    // The action is in the File menu.
    harness.get_by_label("File").click();
    harness.run();
    harness.get_by_label("Add file to inventory…");
    harness.key_press(egui::Key::Escape);
    harness.run();

    add(&mut harness, &rest);
    {
        let app = harness.state();
        assert!(app.conflicts.is_none(), "no site is in both");
        assert_eq!(app.doc.inventory().len(), 3000);
        assert_eq!(app.doc.ws.sources.len(), 2);
        assert_eq!(app.settings.tab, Tab::Report);
        // No longer one file whose columns could be mapped again.
        assert!(!sitefold::ui::mapping::MappingDialog::can_map(&app.doc));
        // The figures are the whole province's.
        let whole = Workspace::new(sitefold::sample::sample())
            .summary()
            .to_json();
        assert_eq!(app.doc.ws.summary().to_json(), whole);
        let status = app.status.clone().unwrap_or_default();
        assert!(
            status.contains("2775 sites given, 0 conflict(s)"),
            "{status}"
        );
        // Prefecture portals in the added file have their parent in the first.
        let inv = app.doc.inventory();
        let portal = inv.find("340200000").expect("a prefecture");
        assert_eq!(inv.site(portal).source, 1);
        assert_eq!(inv.parent(portal), inv.find("340000000"));
    }
    // The report lists the files.
    harness.get_by_label("Files:");
    harness.get_by_label("others.csv (2775 sites given)");
    // A site of the added file selected, then the file undone: one step.
    harness.state_mut().push(Command::Select {
        site: 2990,
        mode: SelectMode::Replace,
    });
    harness.run();
    harness
        .state_mut()
        .push(Command::Action(sitefold::ui::actions::Action::Undo));
    harness.run();
    {
        let app = harness.state();
        assert_eq!(app.doc.inventory().len(), 225);
        assert!(app.doc.ws.sources.is_empty());
        assert!(app.selection.sites.is_empty());
    }
    harness
        .state_mut()
        .push(Command::Action(sitefold::ui::actions::Action::Redo));
    harness.run();
    assert_eq!(harness.state().doc.inventory().len(), 3000);
    // The audit trail records the import.
    let audit = &harness.state().doc.ws.execution.audit;
    assert!(
        audit
            .iter()
            .any(|e| e.action == sitefold::execution::AuditAction::Import
                && e.after.contains("others.csv")),
        "{audit:?}"
    );
}

#[test]
fn conflicts_are_shown_side_by_side_and_the_rows_chosen_are_kept() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let fix = d.join("fix.csv");
    // Two sites already in the sample: one renamed with a new budget, one
    // the same; and a new township under a sample county.
    let sample = String::from_utf8_lossy(sitefold::sample::SAMPLE_CSV).into_owned();
    let line_of = |id: &str| {
        sample
            .lines()
            .find(|l| l.starts_with(&format!("{id},")))
            .expect("in the sample")
            .to_string()
    };
    let county = line_of("340101000")
        .replace("鹤庄区人民政府", "柳坪区人民政府（新）")
        .replace(",564400,", ",123456,");
    let header = sample.lines().next().expect("header");
    std::fs::write(
        &fix,
        format!(
            "{header}\n{county}\n{}\nNEW1,新镇,,township,portal,340101000,,1000,,,,,,,\n",
            line_of("340000000-D01")
        ),
    )
    .expect("write");
    let mut harness = common::harness(common::sample_app(Lang::En));
    harness.run();
    let (before_name, before_budget, line) = {
        let inv = harness.state().doc.inventory();
        let s = inv.site(inv.find("340101000").expect("site"));
        (s.name.clone(), s.budget, s.line)
    };
    add(&mut harness, &fix);
    assert!(harness.state().conflicts.is_some(), "asked first");
    assert_eq!(
        harness.state().doc.inventory().len(),
        3000,
        "nothing added yet"
    );
    harness.get_by_label("Sites in more than one file");
    harness.get_by_label("340101000");
    harness.get_by_label("柳坪区人民政府（新）");
    harness.get_by_label("123456");
    harness.get_by_label("The rows are the same");
    // In the order of their rows in the sample: the department, then the county.
    let k = {
        let dialog = harness.state().conflicts.as_ref().expect("open");
        let ids: Vec<&str> = dialog
            .conflicts()
            .iter()
            .map(|c| c.site_id.as_str())
            .collect();
        assert_eq!(ids, ["340000000-D01", "340101000"]);
        1
    };
    // Keep the new rows for all, then the inventory's own for the county.
    harness.get_by_label("Keep the last").click();
    harness.run();
    {
        let dialog = harness.state().conflicts.as_ref().expect("open");
        assert_eq!(dialog.kept(0), Some(1));
        assert_eq!(dialog.kept(k), Some(1));
    }
    harness
        .get_by_label(&format!("province.csv · line {line}"))
        .click();
    harness.run();
    assert_eq!(
        harness.state().conflicts.as_ref().and_then(|d| d.kept(k)),
        Some(0)
    );
    // Chosen again: the new row.
    harness.get_by_label("fix.csv · line 2").click();
    harness.run();
    assert_eq!(
        harness.state().conflicts.as_ref().and_then(|d| d.kept(k)),
        Some(1)
    );
    harness.get_by_label("Add to the inventory").click();
    harness.run();
    let app = harness.state();
    assert!(app.conflicts.is_none());
    let inv = app.doc.inventory();
    assert_eq!(inv.len(), 3001);
    let i = inv.find("340101000").expect("site");
    let s = inv.site(i);
    assert_eq!(s.name, "柳坪区人民政府（新）");
    assert_ne!(s.name, before_name);
    assert_ne!(s.budget, before_budget);
    assert_eq!(
        (s.source, s.line),
        (1, 2),
        "the row of fix.csv, in its place"
    );
    let new = inv.find("NEW1").expect("added");
    assert_eq!(inv.parent(new), Some(i));
    // The rows left out are warnings in the sample's report.
    let sample_report = &app.doc.ws.sources[0].report;
    assert_eq!(sample_report.warnings(), 2, "{:?}", sample_report.issues);
    assert_eq!(app.doc.ws.imported.report.warnings(), 2);
}

#[test]
fn cancelling_the_conflicts_adds_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let fix = dir.path().join("fix.csv");
    std::fs::write(&fix, "site_id,name,level\n340000000,省,province\n").expect("write");
    let mut harness = common::harness(common::sample_app(Lang::Zh));
    harness.run();
    add(&mut harness, &fix);
    harness.get_by_label("网站标识码冲突");
    harness.get_by_label("取消").click();
    harness.run();
    {
        let app = harness.state();
        assert!(app.conflicts.is_none());
        assert!(!app.doc.undo.can_undo());
        assert!(app.doc.ws.sources.is_empty());
    }
    // A file Sitefold cannot read says why.
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "a,b\n1,2\n").expect("write");
    add(&mut harness, &bad);
    let error = harness
        .state()
        .error()
        .map(str::to_string)
        .unwrap_or_default();
    assert!(error.contains("bad.csv"), "{error}");
}
