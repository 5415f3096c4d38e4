//! Work that would hold up frames runs in the background: exports (the
//! status bar shows how far they are, with a cancel button; the file lands
//! whole or, cancelled, not at all), and for large inventories sorting the
//! table and drawing the charts. The planner keeps working meanwhile.

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use calamine::Reader;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use sitefold::charts::ChartKind;
use sitefold::i18n::Lang;
use sitefold::inventory::{Imported, Inventory};
use sitefold::plan::Decision;
use sitefold::ui::SitefoldApp;
use sitefold::ui::command::{Command, Decide};
use sitefold::ui::jobs::{ExportKind, ExportOutcome, export};
use sitefold::workspace::Workspace;

fn workspace(n: usize) -> Workspace {
    let (inventory, _) = Inventory::link(sitefold::generate::generate(n, 11));
    Workspace::new(Imported {
        inventory,
        report: Default::default(),
        header: Vec::new(),
        mapping: Vec::new(),
    })
}

/// Steps while `busy` holds for the app (at most two minutes, with a
/// short sleep between frames so the worker gets the processor).
fn step_while(
    harness: &mut Harness<'static, SitefoldApp>,
    what: &str,
    busy: impl Fn(&SitefoldApp) -> bool,
) {
    let start = Instant::now();
    while busy(harness.state()) {
        assert!(start.elapsed() < Duration::from_secs(120), "{what} ends");
        std::thread::sleep(Duration::from_millis(5));
        harness.step();
    }
}

/// Steps until the running export has ended.
fn wait_for_export(harness: &mut Harness<'static, SitefoldApp>) {
    step_while(harness, "the export", |app| app.export_job().is_some());
    harness.run();
}

/// Decides the first site with a parent; returns it.
fn decide_first_child(harness: &mut Harness<'static, SitefoldApp>, how: Decide) -> usize {
    let inv = harness.state().doc.inventory();
    let site = (0..inv.len())
        .find(|&i| inv.site(i).parent.is_some())
        .expect("a child site");
    harness.state_mut().push(Command::Decide {
        sites: vec![site],
        how,
    });
    site
}

fn status(harness: &Harness<'static, SitefoldApp>) -> String {
    harness.state().status.clone().unwrap_or_default()
}

#[test]
fn the_plan_workbook_is_written_in_the_background_while_work_goes_on() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("方案.xlsx");
    // Large enough that writing takes far longer than a frame.
    let app = SitefoldApp::new(workspace(60_000), None, common::settings(Lang::Zh));
    let mut harness = common::harness(app);
    harness.run();
    harness
        .state_mut()
        .start_export(ExportKind::PlanXlsx, path.clone());
    harness.step();
    // The status bar shows the export with its cancel button.
    assert!(harness.state().export_job().is_some());
    harness.get_by_label("取消导出");
    assert!(
        harness
            .query_all_by_label_contains("正在导出")
            .next()
            .is_some()
    );
    // The planner goes on: an edit made now is applied at once.
    let site = decide_first_child(&mut harness, Decide::Keep);
    harness.step();
    assert_eq!(harness.state().doc.ws.manual[site], Some(Decision::Keep));
    wait_for_export(&mut harness);
    assert!(
        status(&harness).starts_with("已导出"),
        "{}",
        status(&harness)
    );
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(&path).expect("a workbook");
    let plan = book.worksheet_range("方案").expect("the plan sheet");
    assert_eq!(plan.height(), 60_001);
}

#[test]
fn a_second_export_waits_for_the_first() {
    let dir = tempfile::tempdir().expect("tempdir");
    let app = SitefoldApp::new(workspace(60_000), None, common::settings(Lang::En));
    let mut harness = common::harness(app);
    harness.run();
    let first = dir.path().join("plan.xlsx");
    let second = dir.path().join("plan.csv");
    harness
        .state_mut()
        .start_export(ExportKind::PlanXlsx, first.clone());
    harness
        .state_mut()
        .start_export(ExportKind::PlanCsv, second.clone());
    assert!(status(&harness).contains("Another export is still running"));
    assert_eq!(
        harness.state().export_job().map(|j| j.path.clone()),
        Some(first.clone())
    );
    wait_for_export(&mut harness);
    assert!(first.exists());
    assert!(!second.exists());
}

#[test]
fn csv_and_chart_exports_land_whole() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut harness = common::harness(common::sample_app(Lang::En));
    harness.run();
    let csv = dir.path().join("plan.csv");
    harness
        .state_mut()
        .start_export(ExportKind::PlanCsv, csv.clone());
    wait_for_export(&mut harness);
    assert!(
        status(&harness).starts_with("Exported"),
        "{}",
        status(&harness)
    );
    let text = std::fs::read_to_string(&csv).expect("csv");
    assert_eq!(
        text.lines().count(),
        harness.state().doc.inventory().len() + 1
    );
    for (svg, name) in [(true, "cost.svg"), (false, "cost.png")] {
        let path = dir.path().join(name);
        harness.state_mut().start_export(
            ExportKind::Chart {
                kind: ChartKind::CostByLevel,
                svg,
            },
            path.clone(),
        );
        wait_for_export(&mut harness);
        let bytes = std::fs::read(&path).expect("chart");
        if svg {
            assert!(bytes.starts_with(b"<svg"), "{name}");
        } else {
            assert!(bytes.starts_with(b"\x89PNG"), "{name}");
        }
    }
}

#[test]
fn a_failed_export_says_why_and_the_app_goes_on() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut harness = common::harness(common::sample_app(Lang::En));
    harness.run();
    let path = dir.path().join("no-such-dir").join("plan.xlsx");
    harness
        .state_mut()
        .start_export(ExportKind::PlanXlsx, path.clone());
    wait_for_export(&mut harness);
    let s = status(&harness);
    assert!(s.starts_with("Export failed"), "{s}");
    assert!(s.contains("no-such-dir"), "{s}");
    assert!(!path.exists());
}

/// Runs `export` with a report that asks to stop once progress passes
/// `at`; returns the outcome and the progress values seen.
fn export_stopping_at(
    kind: ExportKind,
    ws: &Workspace,
    path: &Path,
    at: f32,
) -> (ExportOutcome, Vec<f32>) {
    let seen = std::cell::RefCell::new(Vec::new());
    let outcome = export(kind, ws, Lang::Zh, path, &|f| {
        seen.borrow_mut().push(f);
        f <= at
    });
    (outcome, seen.into_inner())
}

#[test]
fn cancelling_an_export_writes_nothing_and_keeps_the_earlier_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let ws = workspace(20_000);
    for kind in [ExportKind::PlanXlsx, ExportKind::PlanCsv] {
        let path = dir.path().join("plan.out");
        std::fs::write(&path, b"the earlier export").expect("write");
        for at in [0.0, 0.05, 0.3, 0.9] {
            let (outcome, seen) = export_stopping_at(kind, &ws, &path, at);
            assert_eq!(outcome, ExportOutcome::Cancelled, "{kind:?} at {at}");
            assert!(seen.last().is_some_and(|&f| f > at), "{kind:?}: {seen:?}");
            assert_eq!(std::fs::read(&path).expect("read"), b"the earlier export");
        }
        // Not cancelled: progress only grows, and ends at 1.
        let (outcome, seen) = export_stopping_at(kind, &ws, &path, 2.0);
        assert_eq!(outcome, ExportOutcome::Written, "{kind:?}");
        assert!(seen.windows(2).all(|w| w[0] <= w[1]), "{kind:?}: {seen:?}");
        assert_eq!(seen.last(), Some(&1.0));
        // Progress comes in steps through the rows, not all at the end.
        assert!(
            seen.iter().filter(|&&f| f > 0.1 && f < 0.9).count() >= 3,
            "{kind:?}: {seen:?}"
        );
        assert_ne!(std::fs::read(&path).expect("read"), b"the earlier export");
        // No temporary file is left beside it.
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .expect("dir")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("plan.out")]);
    }
}

#[test]
fn large_tables_sort_in_the_background() {
    let mut app = SitefoldApp::new(workspace(30_000), None, common::settings(Lang::Zh));
    // As if it were a national inventory: sort on a worker thread.
    app.table.background_sort_from = 1;
    let mut harness = common::harness(app);
    harness.run();
    let file_order: Vec<usize> = harness.state().table.shown().to_vec();
    harness.state_mut().table.sort = (sitefold::ui::table::SortKey::Name, true);
    harness.step();
    // The frame that started the sort shows the file order and a spinner.
    assert!(harness.state().table.sorting());
    assert_eq!(harness.state().table.shown(), file_order.as_slice());
    harness.get_by_label("正在排序…");
    step_while(&mut harness, "the sort", |app| app.table.sorting());
    harness.step();
    let inv = harness.state().doc.inventory();
    let names: Vec<String> = harness
        .state()
        .table
        .shown()
        .iter()
        .map(|&i| inv.site(i).name.to_string())
        .collect();
    assert_eq!(names.len(), inv.len());
    assert!(names.windows(2).all(|w| w[0] <= w[1]));
    assert!(harness.query_by_label("正在排序…").is_none());
    // Descending reuses the order: no second sort.
    harness.state_mut().table.sort = (sitefold::ui::table::SortKey::Name, false);
    harness.step();
    assert!(!harness.state().table.sorting());
    let first = harness.state().table.shown()[0];
    assert_eq!(inv_name(&harness, first), names[names.len() - 1]);
}

fn inv_name(harness: &Harness<'static, SitefoldApp>, i: usize) -> String {
    harness.state().doc.inventory().site(i).name.to_string()
}

#[test]
fn charts_of_a_large_inventory_are_drawn_in_the_background() {
    let mut app = SitefoldApp::new(workspace(20_000), None, common::settings(Lang::En));
    app.charts.background_from = 1;
    let mut harness = common::harness(app);
    let wait = |harness: &mut Harness<'static, SitefoldApp>| {
        harness.step();
        step_while(harness, "the drawing", |app| app.charts.drawing());
        harness.step();
    };
    wait(&mut harness);
    assert_eq!(harness.state().charts.background_drawings(), 1);
    // The four charts are shown (an image each, named by its title).
    for kind in ChartKind::ALL {
        harness.get_by_label(kind.title(Lang::En));
    }
    // An edit draws them again, once.
    decide_first_child(&mut harness, Decide::MergeIntoParent);
    wait(&mut harness);
    assert_eq!(harness.state().charts.background_drawings(), 2);
    for kind in ChartKind::ALL {
        harness.get_by_label(kind.title(Lang::En));
    }
    harness.run();
    assert_eq!(harness.state().charts.background_drawings(), 2);
}

#[test]
fn charts_of_a_small_inventory_are_drawn_in_the_frame() {
    let mut harness = common::harness(common::sample_app(Lang::En));
    harness.run();
    assert_eq!(harness.state().charts.background_drawings(), 0);
    for kind in ChartKind::ALL {
        harness.get_by_label(kind.title(Lang::En));
    }
}

#[test]
fn an_opened_file_arrives_with_its_hierarchy_worked_out() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (path, sites) = common::generated_csv(dir.path(), "other.csv", 5_000, 21);
    let mut harness = common::harness(common::sample_app(Lang::Zh));
    harness.run();
    harness.state_mut().push(Command::Open(path));
    harness.step();
    step_while(&mut harness, "the open", |app| app.pending_open().is_some());
    harness.step();
    let app = harness.state();
    assert_eq!(app.doc.inventory().len(), sites.len());
    // The counts shown are those of the new inventory.
    same_counts(&harness, "opened");
    let tops = sites.iter().filter(|s| s.parent_id.is_empty()).count() as u32;
    let in_tops: u32 = (0..app.doc.inventory().len())
        .filter(|&i| app.doc.inventory().site(i).parent.is_none())
        .map(|i| app.tree.counts().sites[i])
        .sum();
    assert_eq!(in_tops, sites.len() as u32);
    assert!(tops >= 1);
    // An edit after it adjusts them exactly.
    decide_first_child(&mut harness, Decide::MergeIntoParent);
    harness.run();
    same_counts(&harness, "edited");
}

/// The hierarchy panel's counts are those of a recount (compared without
/// printing thousands of numbers).
fn same_counts(harness: &Harness<'static, SitefoldApp>, when: &str) {
    let app = harness.state();
    let (shown, fresh) = (
        app.tree.counts(),
        sitefold::ui::tree::subtree_counts(&app.doc),
    );
    for (what, a, b) in [
        ("sites", &shown.sites, &fresh.sites),
        ("merged", &shown.merged, &fresh.merged),
        ("failing", &shown.failing, &fresh.failing),
    ] {
        assert_eq!(a.len(), b.len(), "{when}: {what}");
        let first = (0..a.len()).find(|&i| a[i] != b[i]);
        assert_eq!(first, None, "{when}: {what} differ first at {first:?}");
    }
}
