//! The real app in a headless harness, used as a planner would.

mod common;

use egui_kittest::kittest::{NodeT, Queryable};
use sitefold::i18n::Lang;
use sitefold::inventory::{Kind, Level};
use sitefold::outcome::evaluate;
use sitefold::plan::Decision;
use sitefold::ui::cards::money;
use sitefold::ui::command::Command;

/// A failing township portal whose parent is a county portal.
fn failing_township(app: &sitefold::ui::SitefoldApp) -> usize {
    let doc = &app.doc;
    let inv = doc.inventory();
    (0..inv.len())
        .find(|&i| {
            let s = inv.site(i);
            s.level == Level::Township
                && !doc.model.passes[i]
                && s.parent_index().is_some_and(|p| {
                    inv.site(p).level == Level::County && inv.site(p).kind == Kind::Portal
                })
                && doc.model.passes[s.parent_index().unwrap_or(i)]
        })
        .expect("the sample has a failing township under a passing county")
}

#[test]
fn the_sample_opens_and_shows_its_site_count() {
    let mut harness = common::harness(common::sample_app(Lang::Zh));
    harness.run();
    let n = harness.state().doc.inventory().len();
    assert!(n > 2000, "the sample is a province: {n}");
    harness.get_by_label(&format!("{n} → {n}"));
    harness.get_by_label("网站清单");
}

#[test]
fn merging_a_failing_township_moves_savings_and_coverage_and_undo_restores() {
    let mut harness = common::harness(common::sample_app(Lang::Zh));
    harness.run();
    let site = failing_township(harness.state());
    let id = harness.state().doc.inventory().site(site).id.clone();
    let before = harness.state().doc.outcome.clone();

    // Find the site with the table's search box, select its row, merge it.
    harness.state_mut().table.filters.text = id.to_string();
    harness.run();
    assert_eq!(harness.state().table.shown(), &[site]);
    harness.get_by_label(&id).click();
    harness.run();
    assert!(harness.state().selection.contains(site));
    harness.get_by_label("并入上级").click();
    harness.run();

    // The cards show the core's figures for the same decisions.
    let doc = &harness.state().doc;
    let mut decisions = doc.resolved.decisions.clone();
    assert_eq!(
        doc.ws.manual[site],
        Some(Decision::merge_into(doc.inventory().parent(site)))
    );
    decisions[site] = Decision::Merge { target: None };
    let expected = evaluate(doc.inventory(), &doc.model, &decisions);
    assert_eq!(doc.outcome.annual_cost, expected.annual_cost);
    assert_eq!(doc.outcome.coverage, expected.coverage);
    assert!(expected.annual_cost.savings > before.annual_cost.savings);
    assert!(
        expected.coverage.after > before.coverage.after,
        "a failing site now served by a passing one"
    );
    let savings_text = money(expected.annual_cost.savings, Lang::Zh);
    harness.get_by_label(&savings_text);
    let coverage_text = format!(
        "{} → {}",
        sitefold::ui::cards::pct(expected.coverage.before),
        sitefold::ui::cards::pct(expected.coverage.after)
    );
    harness.get_by_label(&coverage_text);

    // Ctrl+Z restores the figures.
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    harness.run();
    assert_eq!(harness.state().doc.outcome.annual_cost, before.annual_cost);
    assert_eq!(harness.state().doc.outcome.coverage, before.coverage);
    assert_eq!(harness.state().doc.ws.manual[site], None);
    assert!(
        harness
            .query_all_by_label(&money(before.annual_cost.savings, Lang::Zh))
            .next()
            .is_some(),
        "the savings card shows the restored figure"
    );

    // Ctrl+Shift+Z redoes it.
    harness.key_press_modifiers(
        egui::Modifiers::COMMAND | egui::Modifiers::SHIFT,
        egui::Key::Z,
    );
    harness.run();
    assert_eq!(
        harness.state().doc.outcome.annual_cost,
        expected.annual_cost
    );
}

#[test]
fn switching_language_changes_the_labels() {
    let mut harness = common::harness(common::sample_app(Lang::Zh));
    harness.run();
    harness.get_by_label("语言").click();
    harness.run();
    harness.get_by_label("English").click();
    harness.run();
    assert_eq!(harness.state().settings.lang, Lang::En);
    harness.get_by_label("Inventory");
    harness.get_by_label("Savings per year");
    assert!(harness.query_by_label("网站清单").is_none());
    harness.get_by_label("Language").click();
    harness.run();
    harness.get_by_label("简体中文").click();
    harness.run();
    assert_eq!(harness.state().settings.lang, Lang::Zh);
    harness.get_by_label("每年节约");
}

#[test]
fn a_filter_narrows_the_table() {
    let mut harness = common::harness(common::sample_app(Lang::En));
    harness.run();
    let all = harness.state().table.shown().len();
    assert_eq!(all, harness.state().doc.inventory().len());
    harness
        .get_by_role_and_label(egui::accesskit::Role::ComboBox, "Level")
        .click();
    harness.run();
    // The option in the open list (the table also shows "Township" cells).
    harness
        .get_all_by_label("Township")
        .find(|n| n.accesskit_node().role() != egui::accesskit::Role::Label)
        .expect("the Township option")
        .click();
    harness.run();
    let shown = harness.state().table.shown().to_vec();
    let inv = harness.state().doc.inventory();
    let townships = (0..inv.len())
        .filter(|&i| inv.site(i).level == Level::Township)
        .count();
    assert_eq!(shown.len(), townships);
    assert!(shown.iter().all(|&i| inv.site(i).level == Level::Township));
    assert!(townships < all);
}

#[test]
fn bulk_keep_on_a_selection_is_one_undo_step() {
    let mut app = common::sample_app(Lang::En);
    let inv_len = app.doc.inventory().len();
    let picks: Vec<usize> = (1..inv_len).step_by(97).take(5).collect();
    app.push(Command::Decide {
        sites: picks.clone(),
        how: sitefold::ui::command::Decide::MergeNearest,
    });
    let mut harness = common::harness(app);
    harness.run();
    assert!(
        picks
            .iter()
            .all(|&s| harness.state().doc.ws.manual[s].is_some())
    );
    harness
        .state_mut()
        .push(Command::Action(sitefold::ui::actions::Action::Undo));
    harness.run();
    assert!(
        picks
            .iter()
            .all(|&s| harness.state().doc.ws.manual[s].is_none())
    );
}

#[test]
fn opening_a_file_runs_in_the_background_and_keeps_the_current_work_until_ready() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (path, sites) = common::generated_csv(dir.path(), "big.csv", 20_000, 3);

    let mut harness = common::harness(common::sample_app(Lang::Zh));
    harness.run();
    let sample_len = harness.state().doc.inventory().len();
    harness.state_mut().push(Command::Open(path.clone()));
    harness.step();
    let started = std::time::Instant::now();
    while harness.state().pending_open().is_some() {
        // Frames go on, showing the sample, while the file loads.
        assert_eq!(harness.state().doc.inventory().len(), sample_len);
        assert!(started.elapsed().as_secs() < 60, "the open finishes");
        std::thread::sleep(std::time::Duration::from_millis(10));
        harness.step();
    }
    harness.step();
    assert_eq!(harness.state().doc.inventory().len(), sites.len());
    assert_eq!(harness.state().doc.path.as_deref(), Some(path.as_path()));
    assert_eq!(harness.state().settings.recent.first(), Some(&path));
}
