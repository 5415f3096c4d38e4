//! The planner's workspace gives right results: what is derived from one
//! document never reaches another, and an optimizer plan is applied as the
//! optimizer's, not as manual decisions.

mod common;

use egui::Role;
use egui_kittest::kittest::Queryable;
use sitefold::i18n::Lang;
use sitefold::optimize::Options;
use sitefold::plan::Source;
use sitefold::ui::command::{Command, Decide, ScenarioCommand};

type Harness = egui_kittest::Harness<'static, sitefold::ui::SitefoldApp>;

/// Steps the app until the optimizer started this frame has finished.
fn wait_for_plan(harness: &mut Harness) {
    harness.step();
    let start = std::time::Instant::now();
    while harness.state().optimizer.job.is_some() {
        assert!(start.elapsed().as_secs() < 120, "the optimizer finishes");
        std::thread::sleep(std::time::Duration::from_millis(20));
        harness.step();
    }
    harness.run();
}

/// Runs the optimizer in the app and waits for its plan.
fn optimize(harness: &mut Harness) {
    harness
        .state_mut()
        .push(Command::ShowTab(sitefold::ui::command::Tab::Optimize));
    harness
        .state_mut()
        .push(Command::Optimize(Options::default()));
    wait_for_plan(harness);
    assert!(
        harness.state().optimizer.solution.is_some(),
        "{:?}",
        harness.state().optimizer.message
    );
}

#[test]
fn results_of_one_file_are_dropped_when_another_opens() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (path, _) = common::generated_csv(dir.path(), "另一个 省.csv", 400, 7);
    let mut harness = common::harness(common::sample_app(Lang::Zh));
    harness.run();
    optimize(&mut harness);
    harness.state_mut().selection.replace(5);

    harness.state_mut().push(Command::Open(path));
    harness.step();
    common::wait_for_open(&mut harness);
    let app = harness.state();
    assert_eq!(app.doc.inventory().len(), 400, "the new file is open");
    assert!(
        app.optimizer.solution.is_none(),
        "the sample's plan is gone"
    );
    assert!(app.optimizer.frontier.is_none());
    assert!(app.selection.sites.is_empty());
    // The optimizer tab shows no plan to apply or save.
    harness.run();
    assert!(harness.query_by_label("应用此方案").is_none());
}

#[test]
fn an_applied_optimizer_plan_is_the_optimizers_not_manual_and_one_undo_step() {
    let mut harness = common::harness(common::sample_app(Lang::Zh));
    harness.run();
    // One manual decision of the planner's own, which must stay manual.
    let inv = harness.state().doc.inventory().clone();
    let t = (0..inv.len())
        .find(|&i| inv.site(i).level == sitefold::inventory::Level::Township)
        .expect("a township");
    harness.state_mut().push(Command::Decide {
        sites: vec![t],
        how: Decide::Keep,
    });
    harness.run();
    optimize(&mut harness);
    let sol = harness.state().optimizer.solution.clone().expect("plan");
    assert!(sol.merged > 100, "the optimizer merges many sites");

    harness.get_by_label("应用此方案").click();
    harness.run();
    let doc = &harness.state().doc;
    assert_eq!(doc.resolved.decisions, sol.decisions, "the plan is applied");
    assert_eq!(doc.outcome.annual_cost, sol.outcome.annual_cost);
    assert_eq!(doc.resolved.manual_count(), 1, "only the planner's own");
    assert_eq!(doc.resolved.sources[t], Source::Manual);
    let optimizer = doc
        .resolved
        .sources
        .iter()
        .filter(|s| **s == Source::Optimizer)
        .count();
    assert!(optimizer > sol.merged, "every free site is the optimizer's");
    let summary = doc.ws.summary();
    assert_eq!(summary.plan.manual, 1);
    assert_eq!(summary.plan.merged, sol.merged);

    // The plan table says why, as the optimizer's explanation does.
    let rows =
        sitefold::export::plan_rows(&doc.ws, &doc.model, &doc.resolved, &doc.outcome, Lang::Zh);
    let merged = rows
        .iter()
        .find(|r| r.decision.is_merge() && r.site != t)
        .expect("a merged row");
    assert!(merged.reason.starts_with("优化器："), "{}", merged.reason);
    assert!(merged.reason.contains("每年"), "{}", merged.reason);

    // A new run is free to change them: only the manual decision is locked.
    assert_eq!(
        doc.ws.manual.iter().filter(|d| d.is_some()).count(),
        1,
        "applying locked nothing new"
    );

    // One undo step takes the whole plan back.
    harness
        .state_mut()
        .push(Command::Action(sitefold::ui::actions::Action::Undo));
    harness.run();
    let doc = &harness.state().doc;
    assert!(!doc.resolved.sources.contains(&Source::Optimizer));
    assert_eq!(doc.outcome.merged, 0);
}

#[test]
fn an_applied_plan_survives_a_project_and_a_scenario_as_the_optimizers() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("优化 项目.sitefold");
    let mut harness = common::harness(common::sample_app(Lang::En));
    harness.run();
    optimize(&mut harness);
    let decisions = harness
        .state()
        .optimizer
        .solution
        .as_ref()
        .expect("plan")
        .decisions
        .clone();
    harness
        .state_mut()
        .push(Command::ApplyOptimized(decisions.clone()));
    harness
        .state_mut()
        .push(Command::Scenario(ScenarioCommand::AddPlan {
            name: "opt".into(),
            decisions,
        }));
    harness.run();
    assert!(harness.state_mut().save_project(Some(path.clone())));
    let outcome = harness.state().doc.outcome.clone();
    // The window closes (while open, it holds the project for writing).
    drop(harness);

    let mut other = common::sample_app(Lang::En);
    other.open(path, None);
    assert_eq!(other.doc.outcome.annual_cost, outcome.annual_cost);
    assert_eq!(other.doc.resolved.manual_count(), 0);
    assert!(other.doc.resolved.sources.contains(&Source::Optimizer));
    // The scenario loads as the optimizer's decisions too.
    other.push(Command::ClearOptimized);
    other.apply_commands();
    assert_eq!(other.doc.outcome.merged, 0);
    other.push(Command::Scenario(ScenarioCommand::Load(0)));
    other.apply_commands();
    assert_eq!(other.doc.outcome.annual_cost, outcome.annual_cost);
    assert_eq!(other.doc.resolved.manual_count(), 0);
}

#[test]
fn shortcuts_work_while_the_search_box_has_the_focus() {
    let mut harness = common::harness(common::sample_app(Lang::Zh));
    harness.run();
    let search = sitefold::ui::strings::S::Search.get(Lang::Zh);
    harness
        .get_by(|n| n.role() == Role::TextInput && n.placeholder() == Some(search))
        .click();
    harness.run();
    harness
        .get_by(|n| n.role() == Role::TextInput && n.placeholder() == Some(search))
        .type_text("镇");
    harness.run();
    assert_eq!(harness.state().table.filters.text, "镇");
    assert!(
        harness.ctx.memory(|m| m.focused().is_some()),
        "the box has the focus"
    );
    // Ctrl+A stays the box's own: it selects its text, not every site.
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.run();
    assert!(harness.state().selection.sites.is_empty());
    // Ctrl+S saves (here: asks for a path), though the box has the focus.
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::S);
    harness.run();
    assert!(harness.state().path_prompt.is_some(), "Ctrl+S worked");
    harness.key_press(egui::Key::Escape);
    harness.run();
    assert!(
        harness.state().path_prompt.is_none(),
        "Esc closed the prompt"
    );
}

#[test]
fn merge_into_a_level_changes_every_selected_site_that_has_one() {
    let mut harness = common::harness(common::sample_app(Lang::Zh));
    harness.run();
    let inv = harness.state().doc.inventory().clone();
    // Townships of two different counties, and one county portal.
    use sitefold::inventory::Level;
    let towns: Vec<usize> = (0..inv.len())
        .filter(|&i| inv.site(i).level == Level::Township)
        .collect();
    let a = towns[0];
    let county_of = |s: usize| {
        inv.ancestors(s)
            .find(|&p| inv.site(p).level == Level::County)
    };
    let b = *towns
        .iter()
        .find(|&&t| county_of(t) != county_of(a))
        .expect("a township of another county");
    let county = county_of(a).expect("a county");
    let sites = vec![a, b, county];
    harness.state_mut().push(Command::Decide {
        sites: sites.clone(),
        how: Decide::MergeIntoLevel(Level::County),
    });
    harness.run();
    let doc = &harness.state().doc;
    for t in [a, b] {
        assert_eq!(
            doc.ws.manual[t],
            Some(sitefold::plan::Decision::merge_into(county_of(t))),
            "each township into its own county"
        );
    }
    assert_eq!(
        doc.ws.manual[county], None,
        "a county has no county above it"
    );
    let status = harness.state().status.clone().expect("status");
    assert!(
        status.starts_with('1') && status.contains("没有该层级的上级"),
        "{status}"
    );
}

#[test]
fn a_row_cut_short_is_an_error_with_its_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let inv = common::write_text(
        dir.path(),
        "cut.csv",
        "site_id,name,level,parent_id,annual_budget,population,inspection_passed\n\
         P,省,province,,100000,5000,yes\n\
         C,市,prefecture,P,50000,3000,yes\n\
         T,镇,township,C\n",
    );
    let (code, out, _) = common::run_cli(&["--lang", "en", "validate", &inv]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("cut.csv:4"), "{out}");
    assert!(out.contains("4 cells for 7 columns"), "{out}");
}

#[test]
fn selecting_a_site_the_filter_hides_shows_it_in_the_table() {
    use sitefold::ui::command::SelectMode;
    let mut harness = common::harness(common::sample_app(Lang::Zh));
    harness.run();
    let inv = harness.state().doc.inventory().clone();
    let province = 0;
    let town = (0..inv.len())
        .find(|&i| inv.site(i).level == sitefold::inventory::Level::Township)
        .expect("a township");
    // The table shows the province's row only.
    harness.state_mut().table.filters.text = inv.site(province).id.to_string();
    harness.run();
    assert!(!harness.state().table.shown().contains(&town));
    // A click on the scatter chart selects the township.
    harness.state_mut().push(Command::Select {
        site: town,
        mode: SelectMode::Replace,
    });
    harness.run();
    let app = harness.state();
    assert!(app.selection.contains(town));
    assert!(
        app.table.shown().contains(&town),
        "the filter no longer hides it"
    );
    // Its id shows in the table's row and in the detail.
    assert!(harness.query_all_by_label(&inv.site(town).id).count() >= 2);
}

#[test]
fn the_title_names_the_work_and_help_lists_the_shortcuts() {
    let mut harness = common::harness(common::sample_app(Lang::Zh));
    harness.run();
    assert_eq!(harness.state().window_title(), "示例数据 — Sitefold");
    let t = harness.state().doc.inventory().len() - 1;
    harness.state_mut().push(Command::Decide {
        sites: vec![t],
        how: Decide::MergeNearest,
    });
    harness.run();
    assert!(
        harness.state().window_title().contains('•'),
        "unsaved work shows"
    );
    harness.get_by_label("帮助").click();
    harness.run();
    harness.get_by_label("键盘快捷键");
    harness.get_by_label("Ctrl+O");
    harness.get_by_label("使用步骤");
}

#[test]
fn a_note_on_a_decision_is_kept_undone_saved_and_exported() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut harness = common::harness(common::sample_app(Lang::Zh));
    harness.run();
    let t = harness.state().doc.inventory().len() - 1;
    harness.state_mut().selection.replace(t);
    harness.run();
    let label = "备注（为什么这样决定）";
    harness.get_by_label(label).click();
    harness.run();
    harness.get_by_label(label).type_text("乡镇不再单独建站");
    harness.run();
    // Leaving the field saves the note.
    harness.key_press(egui::Key::Tab);
    harness.run();
    assert_eq!(
        harness.state().doc.ws.notes.get(&t).map(String::as_str),
        Some("乡镇不再单独建站")
    );
    // In the plan CSV, and in a saved project.
    let doc = &harness.state().doc;
    let rows =
        sitefold::export::plan_rows(&doc.ws, &doc.model, &doc.resolved, &doc.outcome, Lang::Zh);
    assert_eq!(rows[t].note, "乡镇不再单独建站");
    let mut csv = Vec::new();
    sitefold::export::write_plan_csv(doc.inventory(), &rows, &mut csv, Lang::Zh).expect("csv");
    let csv = String::from_utf8(csv).expect("utf-8");
    assert!(
        csv.contains(",备注\r\n") && csv.contains("乡镇不再单独建站"),
        "{}",
        &csv[..200]
    );
    let path = dir.path().join("有备注.sitefold");
    assert!(harness.state_mut().save_project(Some(path.clone())));
    let reopened = sitefold::project::open_project(&path)
        .expect("open")
        .into_workspace();
    assert_eq!(
        reopened.notes.get(&t).map(String::as_str),
        Some("乡镇不再单独建站")
    );
    // One undo step removes it.
    harness
        .state_mut()
        .push(Command::Action(sitefold::ui::actions::Action::Undo));
    harness.run();
    assert!(harness.state().doc.ws.notes.is_empty());
}

#[test]
fn the_floor_can_be_todays_coverage_or_the_current_plans() {
    let mut harness = common::harness(common::sample_app(Lang::Zh));
    harness.run();
    // A plan that merges failing townships raises coverage above today's.
    let rules = sitefold::plan::RuleSet::parse(
        "[[rules]]\nname = \"x\"\naction = \"merge\"\nlevels = [\"township\"]\nfailed_inspection = true\n",
        "r.toml",
    )
    .0;
    harness
        .state_mut()
        .push(Command::SetRules { rules, group: None });
    harness
        .state_mut()
        .push(Command::ShowTab(sitefold::ui::command::Tab::Optimize));
    harness.run();
    let (today, plan) = {
        let o = &harness.state().doc.outcome;
        (o.covered.before, o.covered.after)
    };
    assert!(plan > today, "the plan covers more people than today");
    // Both choices name their figure.
    harness.get_by_label_contains("保持现状覆盖率");
    harness
        .get_by_label_contains("保持当前方案的覆盖率")
        .click();
    harness.run();
    harness.get_by_label("运行优化").click();
    wait_for_plan(&mut harness);
    let sol = harness.state().optimizer.solution.clone().expect("a plan");
    assert_eq!(
        sol.floor_persons, plan,
        "the current plan's coverage is the floor"
    );
    assert!(sol.outcome.covered.after >= plan);
}

#[test]
fn no_command_adds_a_scenario_past_what_a_project_holds() {
    let mut app = common::sample_app(Lang::En);
    let one = sitefold::project::Scenario::from_workspace("s", &app.doc.ws);
    app.doc.scenarios = vec![one; sitefold::project::MAX_SCENARIOS];
    let decisions = app.doc.resolved.decisions.clone();
    app.push(Command::Scenario(ScenarioCommand::AddPlan {
        name: "opt".into(),
        decisions,
    }));
    app.push(Command::Scenario(ScenarioCommand::SaveCurrent("x".into())));
    app.push(Command::Scenario(ScenarioCommand::Duplicate(0)));
    app.apply_commands();
    assert_eq!(app.doc.scenarios.len(), sitefold::project::MAX_SCENARIOS);
    assert!(
        app.status
            .as_deref()
            .is_some_and(|s| s.contains("delete some"))
    );
}
