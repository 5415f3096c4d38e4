//! Scenarios and the optimizer, through the app.

mod common;

use egui::accesskit::Role;
use egui_kittest::kittest::{NodeT as _, Queryable};
use sitefold::i18n::Lang;
use sitefold::optimize::{Floor, Options};
use sitefold::ui::command::{Command, ScenarioCommand, Tab};

fn wait_for_job(harness: &mut egui_kittest::Harness<'static, sitefold::ui::SitefoldApp>) {
    let start = std::time::Instant::now();
    while harness.state().optimizer.job.is_some() {
        assert!(start.elapsed().as_secs() < 120, "the optimizer finishes");
        std::thread::sleep(std::time::Duration::from_millis(20));
        harness.step();
    }
    harness.step();
}

#[test]
fn two_scenarios_compare_side_by_side() {
    let mut harness = common::harness(common::sample_app(Lang::Zh));
    harness.state_mut().push(Command::ShowTab(Tab::Scenarios));
    harness.run();
    harness.get_by_label("把当前方案存为情景").click();
    harness.run();
    assert_eq!(harness.state().doc.scenarios.len(), 1);
    let preset = include_str!("../sample-data/rules-2017-guidelines.toml");
    harness.state_mut().push(Command::LoadRulesText {
        text: preset.to_string(),
        source: "preset".into(),
    });
    harness.run();
    harness.get_by_label("把当前方案存为情景").click();
    harness.run();
    assert_eq!(harness.state().doc.scenarios.len(), 2);
    for node in harness.get_all_by_label("比较").collect::<Vec<_>>() {
        node.click();
    }
    harness.run();
    // The comparison lists the sites the guidelines fold (every township
    // and county department) as decided differently.
    let merged = harness.state().doc.outcome.merged;
    assert!(merged > 0);
    harness.get_by_label(&format!("决定不同的网站: {merged}"));
    harness.get_by_label("差异");

    // Loading the first scenario brings back the plan without rules; undo
    // returns to the guidelines.
    harness
        .get_all_by_label("载入")
        .next()
        .expect("a load button")
        .click();
    harness.run();
    harness
        .get_all_by_label("载入")
        .last()
        .expect("confirm")
        .click();
    harness.run();
    assert_eq!(harness.state().doc.outcome.merged, 0);
    assert!(harness.state().doc.ws.rules.rules.is_empty());
    harness
        .state_mut()
        .push(Command::Action(sitefold::ui::actions::Action::Undo));
    harness.run();
    assert_eq!(harness.state().doc.outcome.merged, merged);
}

#[test]
fn the_optimizer_runs_in_the_background_and_its_plan_becomes_a_scenario() {
    let mut harness = common::harness(common::sample_app(Lang::En));
    harness.state_mut().push(Command::ShowTab(Tab::Optimize));
    harness.run();
    let before = harness.state().doc.outcome.clone();
    harness.get_by_label("Run optimizer").click();
    harness.step();
    wait_for_job(&mut harness);
    let sol = harness.state().optimizer.solution.clone().expect("a plan");
    assert!(
        sol.savings > 0.0,
        "keeping today's coverage still saves money"
    );
    assert!(sol.coverage >= before.coverage.before, "the floor holds");
    assert!(sol.bound >= sol.savings);
    // The planner's work is untouched until they choose to load the plan.
    assert_eq!(harness.state().doc.outcome.annual_cost, before.annual_cost);
    harness.get_by_label("Save as scenario").click();
    harness.run();
    assert_eq!(harness.state().doc.scenarios.len(), 1);
    harness
        .state_mut()
        .push(Command::Scenario(ScenarioCommand::Load(0)));
    harness.run();
    let doc = &harness.state().doc;
    // The optimizer reports the exact savings, to the fen.
    assert_eq!(doc.outcome.annual_cost.savings.to_fen(), sol.savings);
    assert_eq!(doc.outcome.coverage.after, sol.coverage);
}

#[test]
fn an_impossible_floor_says_so() {
    let mut harness = common::harness(common::sample_app(Lang::En));
    harness.state_mut().push(Command::ShowTab(Tab::Optimize));
    harness
        .state_mut()
        .push(Command::Optimize(Options::with_floor(
            Floor::Fraction(1.0),
            &sitefold::plan::Params::default(),
        )));
    // One frame starts the job (`run` would keep stepping while it runs
    // and give up on a slow machine).
    harness.step();
    wait_for_job(&mut harness);
    assert!(harness.state().optimizer.solution.is_none());
    assert!(harness.state().optimizer.message.is_some());
}

#[test]
fn thousands_of_scenarios_draw_only_the_rows_in_view() {
    // Every row used to be laid out every frame: 100,000 scenarios took
    // 567 MB and a third of a core while idle. The list now draws the rows
    // in view, and a project holds at most MAX_SCENARIOS.
    use sitefold::project::{MAX_SCENARIOS, Scenario};
    let mut harness = common::harness(common::sample_app(Lang::En));
    {
        let app = harness.state_mut();
        let ws = &app.doc.ws;
        let first = Scenario::from_workspace("first", ws);
        app.doc.scenarios = (0..MAX_SCENARIOS)
            .map(|i| Scenario {
                name: format!("scenario {i}"),
                ..first.clone()
            })
            .collect();
        app.doc.scenarios_changed();
        app.push(Command::ShowTab(Tab::Scenarios));
    }
    harness.run();
    let loads = harness.query_all_by_label("Load").count();
    assert!(
        (1..=60).contains(&loads),
        "{loads} rows in the accessibility tree"
    );
    harness.get_by_label("scenario 0");
    assert!(harness.query_by_label("scenario 9999").is_none());
    // Full: no scenario can be added, and the panel says why.
    let save = harness.get_by_role_and_label(Role::Button, "Save current plan as scenario");
    assert!(save.accesskit_node().is_disabled());
    assert!(
        harness
            .query_all_by_label_contains("the most a project holds")
            .next()
            .is_some()
    );
    // Rows far down are reached by scrolling, and work as the first ones.
    harness
        .get_all_by_label("Compare")
        .next()
        .expect("a checkbox")
        .click();
    harness.run();
    for _ in 0..40 {
        harness.get_by_label("scenario 0").scroll_down();
        harness.run();
        if harness.query_by_label("scenario 0").is_none() {
            break;
        }
    }
    assert!(harness.query_by_label("scenario 0").is_none(), "scrolled");
    let loads = harness.query_all_by_label("Load").count();
    assert!((1..=60).contains(&loads), "{loads} rows after scrolling");
    // Deleting one makes room again.
    harness
        .state_mut()
        .push(Command::Scenario(ScenarioCommand::Delete(0)));
    harness.run();
    assert_eq!(harness.state().doc.scenarios.len(), MAX_SCENARIOS - 1);
    let save = harness.get_by_role_and_label(Role::Button, "Save current plan as scenario");
    assert!(!save.accesskit_node().is_disabled());
}

/// The list shows each scenario's merged sites, savings and coverage
/// without comparing; an optimizer plan kept as a scenario counts with its
/// merges (its optimizer layer), in the list and in the comparison.
#[test]
fn the_list_shows_each_scenarios_figures_including_an_optimizer_plans() {
    let mut harness = common::harness(common::sample_app(Lang::En));
    harness.state_mut().push(Command::ShowTab(Tab::Optimize));
    harness.run();
    harness.get_by_label("Run optimizer").click();
    harness.step();
    wait_for_job(&mut harness);
    let sol = harness.state().optimizer.solution.clone().expect("a plan");
    harness.get_by_label("Save as scenario").click();
    harness.run();
    // And today's plan (nothing merged) beside it.
    harness.state_mut().push(Command::ShowTab(Tab::Scenarios));
    harness.run();
    harness
        .get_by_label("Save current plan as scenario")
        .click();
    harness.run();
    harness.run();
    let panel = &harness.state().scenarios;
    let optimized = panel.headline(0).expect("worked out").clone();
    let today = panel.headline(1).expect("worked out").clone();
    assert!(optimized.merged > 0);
    assert_eq!(optimized.savings.to_fen(), sol.savings);
    assert_eq!(optimized.coverage, sol.coverage);
    assert_eq!(today.merged, 0);
    assert!(today.savings.is_zero());
    // The rows say so on screen, in the view's money unit.
    let merged = sitefold::outcome::count(optimized.merged as f64);
    harness.get_by_label(&merged);
    harness.get_by_label(&sitefold::ui::cards::money(optimized.savings, Lang::En));
}

/// Saving, overwriting, renaming and deleting scenarios are undo steps,
/// and the unsaved mark follows undo: back at the saved state it goes.
#[test]
fn scenario_changes_undo_and_the_unsaved_mark_follows_undo() {
    use sitefold::ui::actions::Action;
    let mut harness = common::harness(common::sample_app(Lang::En));
    harness.run();
    assert!(!harness.state().doc.is_dirty());
    harness
        .state_mut()
        .push(Command::Scenario(ScenarioCommand::SaveCurrent("A".into())));
    harness.run();
    assert_eq!(harness.state().doc.scenarios.len(), 1);
    assert!(harness.state().doc.is_dirty());
    // Overwritten with another plan, then undone: the first plan is back.
    let first = harness.state().doc.scenarios[0].clone();
    harness.state_mut().push(Command::LoadRulesText {
        text: include_str!("../sample-data/rules-2017-guidelines.toml").to_string(),
        source: "preset".into(),
    });
    harness
        .state_mut()
        .push(Command::Scenario(ScenarioCommand::Overwrite(0)));
    harness.run();
    assert_ne!(harness.state().doc.scenarios[0], first);
    harness.state_mut().push(Command::Action(Action::Undo));
    harness.run();
    assert_eq!(harness.state().doc.scenarios[0], first, "overwrite undone");
    harness
        .state_mut()
        .push(Command::Scenario(ScenarioCommand::Rename(0, "B".into())));
    harness.run();
    assert_eq!(harness.state().doc.scenarios[0].name, "B");
    harness
        .state_mut()
        .push(Command::Scenario(ScenarioCommand::Delete(0)));
    harness.run();
    assert!(harness.state().doc.scenarios.is_empty());
    // Undo all the way back to the opened state: nothing to save.
    for _ in 0..10 {
        harness.state_mut().push(Command::Action(Action::Undo));
        harness.run();
    }
    assert!(harness.state().doc.scenarios.is_empty(), "the save undone");
    assert!(!harness.state().doc.is_dirty(), "back where it was opened");
    harness.state_mut().push(Command::Action(Action::Redo));
    harness.run();
    assert!(harness.state().doc.is_dirty());
}
