//! Projects, autosave and the unsaved-changes question, through the app.

mod common;

use egui_kittest::kittest::Queryable;
use sitefold::i18n::Lang;
use sitefold::plan::Decision;
use sitefold::ui::actions::Action;
use sitefold::ui::command::{Command, Decide, ScenarioCommand};

fn township(app: &sitefold::ui::SitefoldApp) -> usize {
    let inv = app.doc.inventory();
    (0..inv.len())
        .find(|&i| inv.site(i).level == sitefold::inventory::Level::Township)
        .expect("a township")
}

#[test]
fn a_saved_project_reopens_with_the_same_plan_and_scenarios() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("work.sitefold");
    let mut app = common::sample_app(Lang::Zh);
    let t = township(&app);
    app.push(Command::Decide {
        sites: vec![t],
        how: Decide::MergeNearest,
    });
    app.push(Command::Scenario(ScenarioCommand::SaveCurrent("甲".into())));
    app.apply_commands();
    assert!(app.doc.dirty);
    assert!(app.save_project(Some(path.clone())));
    assert!(!app.doc.dirty);
    let outcome = app.doc.outcome.clone();

    let mut other = common::sample_app(Lang::Zh);
    other.open(path.clone(), None);
    assert_eq!(other.doc.outcome.annual_cost, outcome.annual_cost);
    assert_eq!(other.doc.outcome.coverage, outcome.coverage);
    assert_eq!(
        other.doc.ws.manual[t],
        Some(Decision::Merge { target: None })
    );
    assert_eq!(other.doc.scenarios.len(), 1);
    assert_eq!(other.doc.scenarios[0].name, "甲");
    assert_eq!(other.doc.project_path.as_deref(), Some(path.as_path()));
}

#[test]
fn after_a_crash_the_lost_work_is_offered_back() {
    let dir = tempfile::tempdir().expect("tempdir");
    let recovery = dir.path().join("recovery.sitefold");
    let t;
    {
        let mut app = common::sample_app(Lang::Zh);
        app.enable_recovery(recovery.clone());
        assert!(!app.restore_offer);
        t = township(&app);
        app.push(Command::Decide {
            sites: vec![t],
            how: Decide::MergeNearest,
        });
        app.apply_commands();
        let r = app.recovery.as_mut().expect("recovery on");
        r.write_now(&app.doc, Lang::Zh);
        r.flush();
        // The process dies here: no on_exit, no save.
    }
    assert!(recovery.is_file());
    let mut app = common::sample_app(Lang::Zh);
    app.enable_recovery(recovery.clone());
    assert!(app.restore_offer);
    let mut harness = common::harness(app);
    harness.run();
    harness.get_by_label("恢复").click();
    harness.run();
    let state = harness.state();
    assert!(!state.restore_offer);
    assert_eq!(
        state.doc.ws.manual[t],
        Some(Decision::Merge { target: None })
    );
    assert!(state.doc.dirty, "restored work still needs saving");
}

#[test]
fn autosave_writes_after_edits_settle_and_a_clean_exit_removes_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let recovery = dir.path().join("r.sitefold");
    let mut app = common::sample_app(Lang::Zh);
    app.enable_recovery(recovery.clone());
    let t = township(&app);
    app.push(Command::Decide {
        sites: vec![t],
        how: Decide::Keep,
    });
    app.apply_commands();
    let r = app.recovery.as_mut().expect("recovery");
    assert!(r.tick(&app.doc, Lang::Zh), "a write is due after the delay");
    std::thread::sleep(sitefold::ui::project_io::AUTOSAVE_DELAY);
    r.tick(&app.doc, Lang::Zh);
    r.flush();
    assert!(recovery.is_file(), "written once edits settled");
    app.doc.dirty = false;
    app.on_exit();
    assert!(!recovery.exists(), "a clean exit leaves nothing to recover");
}

#[test]
fn opening_with_unsaved_changes_asks_first() {
    let mut app = common::sample_app(Lang::Zh);
    let t = township(&app);
    app.push(Command::Decide {
        sites: vec![t],
        how: Decide::MergeNearest,
    });
    app.push(Command::Action(Action::OpenSample));
    let mut harness = common::harness(app);
    harness.run();
    assert!(harness.state().confirm.is_some());
    // Cancel keeps the work.
    harness.get_by_label("取消").click();
    harness.run();
    assert!(harness.state().confirm.is_none());
    assert!(harness.state().doc.ws.manual[t].is_some());
    // Ask again and discard.
    harness
        .state_mut()
        .push(Command::Action(Action::OpenSample));
    harness.run();
    harness.get_by_label("不保存").click();
    harness.run();
    assert!(harness.state().doc.ws.manual[t].is_none());
    assert!(!harness.state().doc.dirty);
}

#[test]
fn a_workbook_with_several_sheets_asks_which_one() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("两个表.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    for (name, rows) in [("说明", 1usize), ("清单", 3usize)] {
        let ws = wb.add_worksheet();
        ws.set_name(name).expect("name");
        ws.write(0, 0, "网站标识码").expect("cell");
        ws.write(0, 1, "层级").expect("cell");
        ws.write(0, 2, "上级网站标识码").expect("cell");
        for r in 0..rows {
            let id = format!("S{r}");
            ws.write(r as u32 + 1, 0, id.as_str()).expect("cell");
            ws.write(r as u32 + 1, 1, if r == 0 { "省" } else { "市" })
                .expect("cell");
            ws.write(r as u32 + 1, 2, if r == 0 { "" } else { "S0" })
                .expect("cell");
        }
    }
    wb.save(&path).expect("save workbook");

    let mut harness = common::harness(common::sample_app(Lang::Zh));
    harness.run();
    harness.state_mut().open(path.clone(), None);
    harness.run();
    assert!(harness.state().sheet_picker.is_some());
    harness.get_by_label("清单").click();
    harness.step();
    common::wait_for_open(&mut harness);
    assert!(harness.state().sheet_picker.is_none());
    assert_eq!(harness.state().doc.inventory().len(), 3);
}
