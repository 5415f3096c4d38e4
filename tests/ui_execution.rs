//! Carrying the plan out in the app, as a planner would on the bundled
//! sample: merge the townships, schedule them within 60 closures a quarter
//! and ¥10,000,000 of one-time spend a year, read the payback quarter,
//! record progress, and find one site's history in the audit trail.

mod common;

use egui_kittest::kittest::Queryable as _;
use sitefold::execution::{AuditAction, Date, tracking::State};
use sitefold::i18n::Lang;
use sitefold::inventory::Level;
use sitefold::money::Money;
use sitefold::timeline::Quarter;
use sitefold::ui::command::{Command, Decide, ScheduleCommand, SelectMode, Tab};

#[test]
fn schedule_track_and_audit_the_sample_province() {
    let mut harness = common::harness(common::sample_app(Lang::En));
    harness.run();
    let townships: Vec<usize> = {
        let inv = harness.state().doc.inventory();
        (0..inv.len())
            .filter(|&i| inv.site(i).level == Level::Township && inv.parent(i).is_some())
            .collect()
    };
    assert!(townships.len() > 60, "the sample has townships to merge");
    // The name recorded with every change, as the planner gives it.
    harness
        .state_mut()
        .push(Command::SetPerson(" Wang Fang ".into()));
    harness.run();
    assert_eq!(harness.state().doc.person, "Wang Fang");
    assert_eq!(harness.state().settings.person, "Wang Fang");
    harness.state_mut().push(Command::Decide {
        sites: townships.clone(),
        how: Decide::MergeNearest,
    });
    harness.get_by_label("Timeline").click();
    harness.run();
    assert_eq!(harness.state().settings.tab, Tab::Timeline);

    let mut params = harness.state().doc.ws.timeline.clone();
    params.start_quarter = Quarter::parse("2027Q1");
    params.max_closures_per_quarter = Some(60);
    params.max_one_time_per_year = Some(Money::from_decimal(10_000_000.into()));
    harness
        .state_mut()
        .push(Command::Schedule(ScheduleCommand::SetTimeline {
            params,
            group: None,
        }));
    harness.run();
    harness
        .get_by_label("Schedule the rest within the limits")
        .click();
    harness.run();

    let app = harness.state();
    let schedule = &app.doc.ws.schedule;
    let placed = townships.iter().filter(|&&i| schedule[i].is_some()).count();
    assert!(placed > 0);
    let mut per_quarter = std::collections::BTreeMap::new();
    for q in schedule.iter().flatten() {
        *per_quarter.entry(*q).or_insert(0usize) += 1;
    }
    assert!(per_quarter.values().all(|&n| n <= 60), "{per_quarter:?}");
    // The panel shows the core's figures for the same schedule.
    let core = app.doc.ws.timeline(false);
    let shown = app.timeline.timeline().expect("worked out");
    assert_eq!(shown.flow.payback_quarter, core.flow.payback_quarter);
    assert_eq!(shown.flow.final_cumulative(), core.flow.final_cumulative());
    assert_eq!(shown.flow.scheduled, placed);
    harness.get_by_label("Payback quarter");
    if let Some(q) = core.flow.payback_quarter {
        assert!(harness.query_all_by_label(&q.to_string()).count() >= 1);
    }
    // One undo step takes the whole schedule back.
    harness
        .state_mut()
        .push(Command::Action(sitefold::ui::actions::Action::Undo));
    harness.run();
    assert!(harness.state().doc.ws.schedule.iter().all(Option::is_none));
    harness
        .state_mut()
        .push(Command::Action(sitefold::ui::actions::Action::Redo));
    harness.run();
    assert_eq!(
        harness.state().doc.ws.schedule.iter().flatten().count(),
        placed
    );

    // Progress: two closures recorded done, from the Progress tab.
    let scheduled: Vec<usize> = townships
        .iter()
        .copied()
        .filter(|&i| harness.state().doc.ws.schedule[i].is_some())
        .collect();
    let (a, b) = (scheduled[0], scheduled[1]);
    harness.state_mut().push(Command::Select {
        site: a,
        mode: SelectMode::Replace,
    });
    harness.state_mut().push(Command::Select {
        site: b,
        mode: SelectMode::Toggle,
    });
    harness.get_by_label("Progress").click();
    harness.run();
    harness.state_mut().push(Command::RecordStatus {
        sites: vec![a, b],
        status: "done".into(),
        date: Date::new(2027, 2, 1).expect("a date"),
        note: "closed early".into(),
    });
    harness.run();
    let app = harness.state();
    assert_eq!(app.settings.tab, Tab::Progress);
    let progress = app.progress.progress().expect("worked out");
    assert_eq!(progress.total.done, 2);
    assert_eq!(progress.states[a], Some(State::Done));
    assert_eq!(
        progress.total.closing,
        progress.total.done
            + progress.total.in_progress
            + progress.total.not_started
            + progress.total.overdue
    );
    let level_total: usize = progress.by_level.iter().map(|r| r.closing).sum();
    assert_eq!(level_total, progress.total.closing);

    // The audit trail: the site's decision, quarter and status, by person.
    let id = app.doc.inventory().site(a).id.clone();
    let person = app.doc.person.clone();
    assert_eq!(person, "Wang Fang");
    let mine = sitefold::execution::audit::of_site(&app.doc.ws.execution.audit, &id);
    let kinds: Vec<AuditAction> = mine.iter().map(|e| e.action).collect();
    assert!(kinds.contains(&AuditAction::Decision), "{kinds:?}");
    assert!(kinds.contains(&AuditAction::Schedule), "{kinds:?}");
    assert!(kinds.contains(&AuditAction::Status), "{kinds:?}");
    assert!(kinds.contains(&AuditAction::Undo), "{kinds:?}");
    assert!(mine.iter().all(|e| e.person == person));
    harness.get_by_label("Closure and history");
    harness.get_by_label("Audit trail").click();
    harness.run();
    let n = harness.state().doc.ws.execution.audit.len();
    assert_eq!(harness.state().audit.shown().len(), n);
    harness.get_by_label(&format!("{n} entries"));
}

/// A progress sheet read in the app: the good lines recorded as one undo
/// step with the import in the audit trail, the bad ones listed; the
/// audit trail exported is the command line's, to the byte.
#[test]
fn a_progress_sheet_in_the_app_and_the_audit_trail_exported() {
    use sitefold::ui::file_dialog::FilePurpose;
    let dir = tempfile::tempdir().expect("tempdir");
    let mut harness = common::harness(common::sample_app(Lang::Zh));
    harness.run();
    let (a, b, kept) = {
        let inv = harness.state().doc.inventory();
        let t: Vec<usize> = (0..inv.len())
            .filter(|&i| inv.site(i).level == Level::Township && inv.parent(i).is_some())
            .take(2)
            .collect();
        (t[0], t[1], 0)
    };
    harness.state_mut().push(Command::Decide {
        sites: vec![a, b],
        how: Decide::MergeNearest,
    });
    harness.run();
    let ids: Vec<String> = harness
        .state()
        .doc
        .inventory()
        .sites()
        .iter()
        .map(|s| s.id.to_string())
        .collect();
    let id = |i: usize| ids[i].clone();
    let sheet = format!(
        "网站标识码,状态,日期,备注\n{},已批准,2026-11-02,批复\n{},已下线,2026-11-20,\n{},已下线,2026-11-20,\n{},飞走了,2026-11-20,\n",
        id(a),
        id(b),
        id(kept),
        id(a)
    );
    let path = dir.path().join("进度.csv");
    std::fs::write(&path, sheet).expect("write");
    harness.state_mut().push(Command::FileChosen {
        purpose: FilePurpose::ImportProgress,
        path: path.clone(),
    });
    harness.run();
    let app = harness.state();
    assert_eq!(app.settings.tab, Tab::Progress);
    let statuses = &app.doc.ws.execution.statuses;
    assert_eq!(statuses.len(), 2, "{statuses:?}");
    assert_eq!(statuses[0].status, "approved");
    assert_eq!(statuses[1].status, "offline");
    let (error, text) = app.progress.notice().expect("what the sheet gave");
    assert!(*error, "two lines were refused");
    // The kept top site (line 4) and the unknown status (line 5), each
    // with its line.
    assert!(text.contains(":4"), "{text}");
    assert!(text.contains(":5"), "{text}");
    let trail = &app.doc.ws.execution.audit;
    assert_eq!(
        trail.last().map(|e| e.action),
        Some(AuditAction::Import),
        "{trail:?}"
    );
    // One undo step takes the sheet's changes back.
    harness
        .state_mut()
        .push(Command::Action(sitefold::ui::actions::Action::Undo));
    harness.run();
    assert!(harness.state().doc.ws.execution.statuses.is_empty());

    // The audit trail, written by the app's export and by the command line.
    let ws = harness.state().doc.ws.clone();
    let from_app = dir.path().join("app.csv");
    assert_eq!(
        sitefold::ui::jobs::export(
            sitefold::ui::jobs::ExportKind::AuditCsv,
            &ws,
            Lang::Zh,
            &from_app,
            &|_| true
        ),
        sitefold::ui::jobs::ExportOutcome::Written
    );
    let project = dir.path().join("p.sitefold");
    sitefold::project::save_project(
        &project,
        &sitefold::project::Project::from_workspace(&ws, Lang::Zh),
    )
    .expect("saved");
    let from_cli = dir.path().join("cli.csv");
    let (code, _, err) = common::run_cli(&[
        "audit",
        &project.display().to_string(),
        "--out",
        &from_cli.display().to_string(),
        "--lang",
        "zh",
    ]);
    assert_eq!(code, 0, "{err}");
    let app_bytes = std::fs::read(&from_app).expect("read");
    assert_eq!(app_bytes, std::fs::read(&from_cli).expect("read"));
    let text = String::from_utf8(app_bytes).expect("utf-8");
    assert!(text.starts_with('\u{feff}'), "Excel's BOM");
    assert!(text.contains("导入"), "{text}");
    assert!(text.contains("撤销"), "{text}");
    // One site's entries from the command line.
    let (code, out, err) = common::run_cli(&[
        "audit",
        &project.display().to_string(),
        "--site",
        &id(a),
        "--json",
    ]);
    assert_eq!(code, 0, "{err}");
    let entries: serde_json::Value = serde_json::from_str(&out).expect("json");
    let entries = entries.as_array().expect("a list");
    assert!(!entries.is_empty());
    assert!(entries.iter().all(|e| e["site_id"] == id(a).as_str()));
}

/// Two quarterly rounds added in the app: the latest decides who passes,
/// the sites that newly failed are listed, the preset "failed 2 of the
/// last 4 rounds" merges those that failed twice, and undo takes a round
/// back out.
#[test]
fn inspection_rounds_in_the_app() {
    use sitefold::ui::file_dialog::FilePurpose;
    let dir = tempfile::tempdir().expect("tempdir");
    let mut harness = common::harness(common::sample_app(Lang::En));
    harness.run();
    let (ids, townships): (Vec<String>, Vec<usize>) = {
        let inv = harness.state().doc.inventory();
        (
            inv.sites().iter().map(|s| s.id.to_string()).collect(),
            (0..inv.len())
                .filter(|&i| inv.site(i).level == Level::Township && inv.parent(i).is_some())
                .take(3)
                .collect(),
        )
    };
    let [a, b, c] = [townships[0], townships[1], townships[2]];
    let r1 = format!(
        "site_id,round,inspection_score\n{},2027Q1,30\n{},2027Q1,90\n{},2027Q1,20\n",
        ids[a], ids[b], ids[c]
    );
    let r2 = format!(
        "网站标识码,轮次,检查得分\n{},2027年第二季度,35\n{},2027年第二季度,40\n{},2027年第二季度,95\n",
        ids[a], ids[b], ids[c]
    );
    for (name, text) in [("r1.csv", &r1), ("r2.csv", &r2)] {
        let path = dir.path().join(name);
        std::fs::write(&path, text).expect("write");
        harness.state_mut().push(Command::FileChosen {
            purpose: FilePurpose::AddRound,
            path,
        });
        harness.run();
    }
    let app = harness.state();
    assert_eq!(app.settings.tab, Tab::Rounds);
    assert_eq!(app.doc.ws.rounds.rounds.len(), 2);
    let (error, text) = app.rounds.notice().expect("what the file gave");
    assert!(!error, "{text}");
    fn site(
        h: &egui_kittest::Harness<'static, sitefold::ui::SitefoldApp>,
        i: usize,
    ) -> sitefold::inventory::Site {
        h.state().doc.inventory().site(i).clone()
    }
    assert_eq!(site(&harness, a).inspection_score, Some(35.0));
    assert_eq!(site(&harness, b).inspection_score, Some(40.0));
    // b passed 2027Q1 and failed 2027Q2: newly failed; c recovered.
    harness.get_by_label("Newly failed (1)");
    harness.get_by_label("Recovered (1)");
    let changes = {
        let app = harness.state();
        app.doc
            .ws
            .rounds
            .changes(app.doc.inventory(), app.doc.ws.params.pass_threshold)
    };
    assert_eq!(
        changes,
        vec![
            (b, sitefold::rounds::Change::NewlyFailed),
            (c, sitefold::rounds::Change::Recovered)
        ]
    );
    // The preset merges a (failed both rounds), not b nor c.
    harness.state_mut().push(Command::LoadRulesText {
        text: include_str!("../sample-data/rules-failed-rounds.toml").into(),
        source: "rules-failed-rounds.toml".into(),
    });
    harness.run();
    let decisions = harness.state().doc.resolved.decisions.clone();
    assert!(decisions[a].is_merge());
    assert!(!decisions[b].is_merge());
    assert!(!decisions[c].is_merge());
    // The detail shows a's rounds (beside the tab of that name).
    assert_eq!(harness.query_all_by_label("Inspection rounds").count(), 1);
    harness.state_mut().push(Command::Select {
        site: a,
        mode: SelectMode::Replace,
    });
    harness.run();
    assert_eq!(harness.query_all_by_label("Inspection rounds").count(), 2);
    // Its inspection cells come from the rounds: an edit is refused.
    harness.state_mut().push(Command::EditCells {
        cells: vec![(a, sitefold::inventory::Column::InspectionScore, "99".into())],
        clipped: false,
    });
    harness.run();
    assert_eq!(site(&harness, a).inspection_score, Some(35.0));
    // Undo the rules, then the second round: a's latest is 2027Q1 again.
    for _ in 0..2 {
        harness
            .state_mut()
            .push(Command::Action(sitefold::ui::actions::Action::Undo));
        harness.run();
    }
    assert_eq!(harness.state().doc.ws.rounds.rounds.len(), 1);
    assert_eq!(site(&harness, a).inspection_score, Some(30.0));
    // Removing the last round brings the inventory's own score back.
    let own = sitefold::sample::sample()
        .inventory
        .site(a)
        .inspection_score;
    let q = harness.state().doc.ws.rounds.rounds[0].quarter;
    harness.state_mut().push(Command::RemoveRound(q));
    harness.run();
    assert_eq!(site(&harness, a).inspection_score, own);
}

/// The statuses of a project, edited in the Progress tab: applied as one
/// undo step, refused when unusable.
#[test]
fn the_statuses_are_edited_per_project() {
    use sitefold::execution::{Stage, Workflow};
    let mut harness = common::harness(common::sample_app(Lang::En));
    harness.state_mut().push(Command::ShowTab(Tab::Progress));
    harness.run();
    harness.get_by_label("Statuses (this project)").click();
    harness.run();
    // The editor lists the defaults, each field named for a screen reader.
    assert!(
        harness.query_all_by_label("Key").count() >= 8,
        "a key field per status"
    );
    let mut w = Workflow::default();
    w.stages.insert(2, Stage::new("filed", "已备案", "Filed"));
    harness.state_mut().push(Command::SetWorkflow(w.clone()));
    harness.run();
    assert_eq!(harness.state().doc.ws.execution.workflow, w);
    // Unusable: an offline status it does not list; nothing changes.
    let broken = Workflow {
        offline: "gone".into(),
        ..w.clone()
    };
    harness.state_mut().push(Command::SetWorkflow(broken));
    harness.run();
    assert_eq!(harness.state().doc.ws.execution.workflow, w);
    let (error, _) = harness.state().progress.notice().expect("why");
    assert!(*error);
    harness
        .state_mut()
        .push(Command::Action(sitefold::ui::actions::Action::Undo));
    harness.run();
    assert_eq!(
        harness.state().doc.ws.execution.workflow,
        Workflow::default()
    );
}

/// The redirect pattern set in the app (one undo step, refused when it
/// does not read), and the redirect map and notices it exports are the
/// command line's, to the byte.
#[test]
fn redirects_and_notices_from_the_app() {
    use sitefold::execution::notices::NoticeFormat;
    use sitefold::execution::redirects::RedirectFormat;
    use sitefold::ui::jobs::{ExportKind, ExportOutcome, export};
    let dir = tempfile::tempdir().expect("tempdir");
    let mut harness = common::harness(common::sample_app(Lang::Zh));
    harness.run();
    harness.state_mut().push(Command::LoadRulesText {
        text: include_str!("../sample-data/rules-state-council.toml").into(),
        source: "rules-state-council.toml".into(),
    });
    harness.state_mut().push(Command::SetExecutionText {
        template: false,
        text: "{target_url}/{nonsense}".into(),
    });
    harness.run();
    assert!(harness.state().doc.ws.execution.redirect_pattern.is_empty());
    assert!(harness.state().progress.notice().is_some_and(|(e, _)| *e));
    let pattern = "{target_url}/archive/{site_id}";
    harness.state_mut().push(Command::SetExecutionText {
        template: false,
        text: pattern.into(),
    });
    harness.run();
    assert_eq!(harness.state().doc.ws.execution.redirect_pattern, pattern);
    let ws = harness.state().doc.ws.clone();
    let project = dir.path().join("p.sitefold");
    sitefold::project::save_project(
        &project,
        &sitefold::project::Project::from_workspace(&ws, Lang::Zh),
    )
    .expect("saved");
    for (kind, name, args) in [
        (
            ExportKind::Redirects(RedirectFormat::Nginx),
            "map.conf",
            vec!["redirects"],
        ),
        (
            ExportKind::Notices(NoticeFormat::Csv),
            "notices.csv",
            vec!["notices"],
        ),
    ] {
        let from_app = dir.path().join(format!("app-{name}"));
        assert_eq!(
            export(kind, &ws, Lang::Zh, &from_app, &|_| true),
            ExportOutcome::Written
        );
        let from_cli = dir.path().join(format!("cli-{name}"));
        let mut all = args.clone();
        let (p, o) = (
            project.display().to_string(),
            from_cli.display().to_string(),
        );
        all.extend([p.as_str(), "--out", o.as_str(), "--lang", "zh"]);
        let (code, _, err) = common::run_cli(&all);
        assert!(code == 0 || code == 1, "{err}");
        let app_bytes = std::fs::read(&from_app).expect("read");
        assert_eq!(app_bytes, std::fs::read(&from_cli).expect("read"), "{name}");
        if name == "map.conf" {
            let text = String::from_utf8(app_bytes).expect("utf-8");
            assert!(text.contains("/archive/"), "the project's pattern");
        }
    }
    harness
        .state_mut()
        .push(Command::Action(sitefold::ui::actions::Action::Undo));
    harness.run();
    assert!(harness.state().doc.ws.execution.redirect_pattern.is_empty());
}

/// The publishing office typed in the Progress tab takes the place of
/// `{publisher}` in the notice template, as `sitefold notices --publisher`
/// does; one undo step takes it back.
#[test]
fn the_publisher_of_the_notices_is_typed_in_the_app() {
    use sitefold::execution::notices::{default_template, template_with_publisher};
    let mut harness = common::harness(common::sample_app(Lang::En));
    harness.run();
    harness.get_by_label("Progress").click();
    harness.run();
    assert!(harness.state().doc.ws.execution.notice_template.is_empty());
    harness
        .get_by_label("Redirect map and closure notices")
        .click();
    harness.run();
    harness.get_by_label("Published by").click();
    harness.run();
    harness
        .get_by_label("Published by")
        .type_text("General Office of the Province");
    harness.run();
    harness.get_by_label("Put in the template").click();
    harness.run();
    let expected = template_with_publisher(
        default_template(Lang::En),
        Lang::En,
        "General Office of the Province",
    )
    .expect("the default template parses");
    let template = &harness.state().doc.ws.execution.notice_template;
    assert_eq!(template, &expected);
    assert!(template.contains("General Office of the Province"));
    assert!(!template.contains("{publisher}"));
    harness
        .state_mut()
        .push(Command::Action(sitefold::ui::actions::Action::Undo));
    harness.run();
    assert!(harness.state().doc.ws.execution.notice_template.is_empty());
}
