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
    assert!(app.doc.is_dirty());
    assert!(app.save_project(Some(path.clone())));
    assert!(!app.doc.is_dirty());
    let outcome = app.doc.outcome.clone();
    // Closing the window lets go of the project (another window would be
    // offered it read-only while it is open here).
    drop(app);

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
    let recovery_dir = dir.path().join("恢复 文件");
    let t;
    let written;
    {
        let mut app = common::sample_app(Lang::Zh);
        app.enable_recovery(recovery_dir.clone());
        assert!(app.restore_offer().is_none());
        t = township(&app);
        app.push(Command::Decide {
            sites: vec![t],
            how: Decide::MergeNearest,
        });
        app.apply_commands();
        let r = app.recovery.as_mut().expect("recovery on");
        r.write_now(&app.doc, Lang::Zh);
        r.flush();
        written = r.path.clone();
        // While this window lives, another window never offers its work.
        let mut other = common::sample_app(Lang::Zh);
        other.enable_recovery(recovery_dir.clone());
        assert!(
            other.restore_offer().is_none(),
            "a live window's file is not offered"
        );
        other.on_exit();
        assert!(
            written.is_file(),
            "nor deleted by another window's clean exit"
        );
        // The process dies here: no on_exit, no save; its lock ends with it.
        drop(app);
    }
    assert!(written.is_file());
    let mut app = common::sample_app(Lang::Zh);
    app.enable_recovery(recovery_dir.clone());
    assert_eq!(app.restore_offer(), Some(written.as_path()));
    let mut harness = common::harness(app);
    harness.run();
    harness.get_by_label("恢复").click();
    harness.run();
    let state = harness.state();
    assert!(state.restore_offer().is_none());
    assert_eq!(
        state.doc.ws.manual[t],
        Some(Decision::Merge { target: None })
    );
    assert!(state.doc.is_dirty(), "restored work still needs saving");
    assert!(!written.exists(), "the crashed window's file was adopted");
    let own = &state.recovery.as_ref().expect("recovery").path;
    assert!(
        own.is_file(),
        "the restored work is this window's recovery now"
    );
}

#[test]
fn a_recovery_file_that_cannot_be_restored_is_kept_aside() {
    let dir = tempfile::tempdir().expect("tempdir");
    let orphan = dir.path().join("window-1-1.sitefold");
    std::fs::write(
        &orphan,
        "{\"format\": \"sitefold-project\", \"version\": 1, \"inventory\": 5}",
    )
    .expect("write");
    let mut app = common::sample_app(Lang::En);
    app.enable_recovery(dir.path().to_path_buf());
    assert_eq!(app.restore_offer(), Some(orphan.as_path()));
    app.restore();
    assert!(!orphan.exists());
    let kept = dir.path().join("not-restored").join("window-1-1.sitefold");
    assert!(kept.is_file(), "moved aside, not deleted");
    let message = app
        .error()
        .map(str::to_string)
        .expect("the planner is told");
    assert!(message.contains(&kept.display().to_string()), "{message}");
    assert!(app.restore_offer().is_none(), "not offered again");
}

#[test]
fn autosave_writes_soon_after_the_first_edit_even_while_edits_go_on() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut app = common::sample_app(Lang::Zh);
    app.enable_recovery(dir.path().to_path_buf());
    let t = township(&app);
    let path = app.recovery.as_ref().expect("recovery").path.clone();
    let start = std::time::Instant::now();
    // Edits every half second, never pausing for the autosave delay.
    let mut k = 0;
    while !path.is_file() {
        assert!(
            start.elapsed() < sitefold::ui::project_io::AUTOSAVE_DELAY * 3,
            "written within a few seconds of the first edit"
        );
        app.push(Command::Decide {
            sites: vec![t],
            how: if k % 2 == 0 {
                Decide::Keep
            } else {
                Decide::MergeNearest
            },
        });
        app.apply_commands();
        k += 1;
        let r = app.recovery.as_mut().expect("recovery");
        r.tick(&app.doc, Lang::Zh);
        r.flush();
        std::thread::sleep(std::time::Duration::from_millis(500));
    }
    assert!(k >= 5, "edits went on meanwhile");
    app.doc.mark_saved();
    app.on_exit();
    assert!(!path.exists(), "a clean exit leaves nothing to recover");
    assert_eq!(
        std::fs::read_dir(dir.path()).expect("dir").count(),
        0,
        "nor a lock file"
    );
}

#[test]
fn dont_save_then_a_failed_open_keeps_the_work_marked_unsaved() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut app = common::sample_app(Lang::Zh);
    app.enable_recovery(dir.path().join("r"));
    let t = township(&app);
    app.push(Command::Decide {
        sites: vec![t],
        how: Decide::MergeNearest,
    });
    app.apply_commands();
    let r = app.recovery.as_mut().expect("recovery");
    r.write_now(&app.doc, Lang::Zh);
    r.flush();
    let recovery = r.path.clone();
    let missing = dir.path().join("没有这个文件.csv");
    app.push(Command::Open(missing));
    let mut harness = common::harness(app);
    harness.run();
    harness.get_by_label("不保存").click();
    harness.step();
    common::wait_for_open(&mut harness);
    assert!(harness.state().error().is_some(), "the open failed");
    assert!(
        harness.state().doc.ws.manual[t].is_some(),
        "the work is there"
    );
    assert!(harness.state().doc.is_dirty(), "and still marked unsaved");
    assert!(recovery.is_file(), "its recovery file stays");
    // Quitting asks again.
    assert!(!harness.state_mut().may_close());
    assert!(harness.state().confirming().is_some());
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
    assert!(harness.state().confirming().is_some());
    // Cancel keeps the work.
    harness.get_by_label("取消").click();
    harness.run();
    assert!(harness.state().confirming().is_none());
    assert!(harness.state().doc.ws.manual[t].is_some());
    // Ask again and discard.
    harness
        .state_mut()
        .push(Command::Action(Action::OpenSample));
    harness.run();
    harness.get_by_label("不保存").click();
    harness.run();
    assert!(harness.state().doc.ws.manual[t].is_none());
    assert!(!harness.state().doc.is_dirty());
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
    assert!(harness.state().sheet_choice().is_some());
    harness.get_by_label("清单").click();
    harness.step();
    common::wait_for_open(&mut harness);
    assert!(harness.state().sheet_choice().is_none());
    assert_eq!(harness.state().doc.inventory().len(), 3);
}

#[test]
fn a_project_open_in_another_window_opens_read_only_and_saves_elsewhere() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("共同 项目.sitefold");
    let mut first = common::sample_app(Lang::Zh);
    assert!(first.save_project(Some(path.clone())));
    let t = township(&first);
    let theirs = std::fs::read(&path).expect("read");

    // A second window is told, and keeps its own work until it chooses.
    let mut second = common::sample_app(Lang::Zh);
    second.open(path.clone(), None);
    assert_eq!(second.locked_offer(), Some(path.as_path()));
    assert!(second.doc.project_path.is_none());
    let mut harness = common::harness(second);
    harness.run();
    harness.get_by_label("以只读方式打开").click();
    harness.step();
    common::wait_for_open(&mut harness);
    let mut second = harness.into_state();
    assert!(second.locked_offer().is_none());
    assert!(second.doc.read_only);
    assert_eq!(second.doc.project_path.as_deref(), Some(path.as_path()));
    assert!(
        second.window_title().contains("只读"),
        "{}",
        second.window_title()
    );

    // Its Save asks for another name; the project is untouched.
    second.push(Command::Decide {
        sites: vec![t],
        how: Decide::Keep,
    });
    second.apply_commands();
    second.push(Command::Action(Action::SaveProject));
    second.apply_commands();
    assert!(second.path_prompt.is_some(), "asked where to save");
    assert_eq!(std::fs::read(&path).expect("read"), theirs);
    // Saving over the project the first window holds is refused.
    assert!(!second.save_then(path.clone(), None, true));
    assert!(
        second
            .error()
            .is_some_and(|e| e.contains("另一个 Sitefold 窗口"))
    );
    assert_eq!(std::fs::read(&path).expect("read"), theirs);
    // Under another name it saves, and holds that file from then on.
    let mine = dir.path().join("我的 副本.sitefold");
    assert!(second.save_project(Some(mine.clone())));
    assert!(!second.doc.read_only);
    assert!(matches!(
        sitefold::project::ProjectStore::open(&mine),
        Err(sitefold::project::ProjectError::Locked { .. })
    ));

    // The first window saves on as before; once it closes, the project is free.
    first.push(Command::Decide {
        sites: vec![t],
        how: Decide::MergeNearest,
    });
    first.apply_commands();
    assert!(first.save_project(Some(path.clone())));
    drop(first);
    let (_, project) = sitefold::project::ProjectStore::open(&path).expect("free");
    let ws = project.into_workspace();
    assert_eq!(ws.manual[t], Some(Decision::Merge { target: None }));
}

#[test]
fn a_project_changed_by_another_program_is_not_overwritten_without_asking() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("共同 项目.sitefold");
    let mut first = common::sample_app(Lang::Zh);
    assert!(first.save_project(Some(path.clone())));
    let t = township(&first);

    // Another program (a sync client, a copy) replaces the file.
    let mut other = common::sample_app(Lang::Zh);
    other.push(Command::Decide {
        sites: vec![t],
        how: Decide::Keep,
    });
    other.apply_commands();
    let elsewhere = dir.path().join("elsewhere.sitefold");
    assert!(other.save_project(Some(elsewhere.clone())));
    drop(other);
    // File times may have a coarse resolution: make the change visible.
    std::thread::sleep(std::time::Duration::from_millis(20));
    std::fs::copy(&elsewhere, &path).expect("replace");
    let theirs = std::fs::read(&path).expect("read");

    // The first window saves its own edit: it is asked first.
    first.push(Command::Decide {
        sites: vec![t],
        how: Decide::MergeNearest,
    });
    first.apply_commands();
    first.push(Command::Action(Action::SaveProject));
    first.apply_commands();
    assert!(first.changed_on_disk().is_some(), "the planner is asked");
    assert_eq!(
        std::fs::read(&path).expect("read"),
        theirs,
        "nothing overwritten yet"
    );
    assert!(first.doc.is_dirty());

    // Overwrite is the planner's choice.
    let mut harness = common::harness(first);
    harness.run();
    harness.get_by_label("覆盖").click();
    harness.run();
    assert!(harness.state().changed_on_disk().is_none());
    assert!(!harness.state().doc.is_dirty());
    let reopened = sitefold::project::open_project(&path).expect("open");
    let ws = reopened.into_workspace();
    assert_eq!(ws.manual[t], Some(Decision::Merge { target: None }));
}
