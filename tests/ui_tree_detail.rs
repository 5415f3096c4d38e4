//! The hierarchy tree and the site detail panel, driven like a planner
//! would: click a tree node, read the detail, try the what-if, click a
//! merge button. Figures are checked against `sitefold::outcome::evaluate`.

mod common;

use egui::Role;
use egui_kittest::kittest::Queryable as _;
use sitefold::i18n::Lang;
use sitefold::inventory::{Imported, Inventory};
use sitefold::outcome::{Outcome, evaluate};
use sitefold::plan::Decision;
use sitefold::ui::SitefoldApp;
use sitefold::ui::command::{Command, SelectMode};
use sitefold::ui::detail::{signed_money, signed_pp};
use sitefold::workspace::Workspace;

fn index(app: &SitefoldApp, id: &str) -> usize {
    app.doc
        .inventory()
        .find(id)
        .unwrap_or_else(|| panic!("sample has {id}"))
}

/// The outcome of the app's current decisions with `site` decided `d`,
/// computed without the app.
fn outcome_with(app: &SitefoldApp, site: usize, d: Decision) -> Outcome {
    let mut decisions = app.doc.resolved.decisions.clone();
    decisions[site] = d;
    evaluate(app.doc.inventory(), &app.doc.model, &decisions)
}

#[test]
fn clicking_a_tree_node_filters_the_table_and_selects_it() {
    let mut harness = common::harness(common::sample_app(Lang::Zh));
    harness.run();
    let c1 = index(harness.state(), "C1");
    let name = "Hillcrest City Government";
    let labels_before = harness.query_all_by_role_and_label(Role::Label, name).count();

    harness.get_by_role_and_label(Role::Button, name).click();
    harness.run();

    let app = harness.state();
    assert_eq!(app.table.filters.subtree, Some(c1));
    assert_eq!(app.selection.focus, Some(c1));
    assert_eq!(app.selection.to_vec(), vec![c1]);
    // The detail panel now shows the site: its name once more, and fields
    // only it shows.
    let labels_after = harness.query_all_by_role_and_label(Role::Label, name).count();
    assert!(labels_after > labels_before, "{labels_before} → {labels_after}");
    harness.get_by_label("www.hillcrest.gov.example");
    harness.get_by_label("改为并入最近的保留上级");
    // The table shows only C1's subtree.
    let shown = harness.state().table.shown().to_vec();
    let mut subtree = harness.state().doc.inventory().subtree(c1);
    subtree.sort_unstable();
    let mut shown_sorted = shown.clone();
    shown_sorted.sort_unstable();
    assert_eq!(shown_sorted, subtree);
}

#[test]
fn reveal_expands_the_ancestors_of_a_site_selected_elsewhere() {
    let mut harness = common::harness(common::sample_app(Lang::Zh));
    harness.run();
    let t4 = index(harness.state(), "T4");
    let name = "Cedar Hollow Town";
    // C1 and K2 are collapsed: the township has no tree node yet.
    assert!(harness.query_by_role_and_label(Role::Button, name).is_none());
    harness.state_mut().push(Command::Select {
        site: t4,
        mode: SelectMode::Replace,
    });
    harness.run();
    harness.get_by_label("在树中定位所选网站").click();
    harness.run();
    harness.get_by_role_and_label(Role::Button, name).click();
    harness.run();
    assert_eq!(harness.state().table.filters.subtree, Some(t4));
    assert_eq!(harness.state().selection.focus, Some(t4));
}

#[test]
fn departments_are_grouped_and_expand() {
    let mut harness = common::harness(common::sample_app(Lang::Zh));
    harness.run();
    // P has one department (P-EDU) beside the prefecture C1.
    assert!(
        harness
            .query_by_role_and_label(Role::Button, "Riverland Department of Education")
            .is_none()
    );
    harness.get_by_label("部门 (1)").click();
    harness.run();
    harness.get_by_role_and_label(Role::Button, "Riverland Department of Education");
}

#[test]
fn subtree_counts_match_the_subtrees() {
    let mut harness = common::harness(common::sample_app(Lang::Zh));
    harness.run();
    let k1 = index(harness.state(), "K1");
    let t1 = index(harness.state(), "T1");
    harness.state_mut().push(Command::Select {
        site: t1,
        mode: SelectMode::Replace,
    });
    harness.run();
    harness.get_by_label("此网站并入上级").click();
    harness.run();
    let app = harness.state();
    let inv = app.doc.inventory();
    let counts = app.tree.counts();
    for i in 0..inv.len() {
        let sub = inv.subtree(i);
        assert_eq!(counts.sites[i] as usize, sub.len(), "site {i}");
        let merged = sub
            .iter()
            .filter(|&&s| inv.parent(s).is_some() && app.doc.resolved.decisions[s].is_merge())
            .count();
        assert_eq!(counts.merged[i] as usize, merged, "site {i}");
        let failing = sub.iter().filter(|&&s| !app.doc.model.passes[s]).count();
        assert_eq!(counts.failing[i] as usize, failing, "site {i}");
    }
    assert_eq!(counts.merged[k1], 1);
}

#[test]
fn detail_shows_the_what_if_and_merge_buttons_apply_it() {
    let mut harness = common::harness(common::sample_app(Lang::Zh));
    harness.run();
    let k2 = index(harness.state(), "K2");
    let t4 = index(harness.state(), "T4");
    let c1 = index(harness.state(), "C1");
    harness.state_mut().push(Command::Select {
        site: k2,
        mode: SelectMode::Replace,
    });
    harness.run();

    // Before any click: what merging K2 into its nearest kept ancestor does.
    let merge = Decision::Merge { target: None };
    let now = harness.state().doc.outcome.clone();
    let alt = outcome_with(harness.state(), k2, merge);
    assert_eq!(alt.serving[k2] as usize, c1);
    let delta_cost = alt.annual_cost.after - now.annual_cost.after;
    assert!(delta_cost < 0.0, "merging a county portal saves money");
    harness.get_by_label(&format!("{}/年", signed_money(delta_cost, Lang::Zh)));
    let pp = match (now.coverage.after, alt.coverage.after) {
        (Some(a), Some(b)) => Some((b - a) * 100.0),
        _ => None,
    };
    harness.get_by_label(&signed_pp(pp, Lang::Zh));
    harness.get_by_label_contains("Hillcrest City Government: 0 → 1 个网站");

    harness.get_by_label("此网站并入最近的保留上级").click();
    harness.run();
    let app = harness.state();
    assert_eq!(app.doc.resolved.decisions[k2], merge);
    let savings = app.doc.outcome.annual_cost.savings;
    assert!((savings - alt.annual_cost.savings).abs() < 1e-6, "{savings} vs {}", alt.annual_cost.savings);
    assert!((savings - now.annual_cost.savings + delta_cost).abs() < 1e-6);
    // Now merged: the what-if offers to keep it again.
    harness.get_by_label("改为保留");

    // Merge a township into its (merged) parent: it folds on to C1.
    harness.state_mut().push(Command::Select {
        site: t4,
        mode: SelectMode::Replace,
    });
    harness.run();
    let into_parent = Decision::Merge { target: Some(k2) };
    let expected = outcome_with(harness.state(), t4, into_parent);
    assert_eq!(expected.serving[t4] as usize, c1);
    harness.get_by_label("此网站并入上级").click();
    harness.run();
    let app = harness.state();
    assert_eq!(app.doc.resolved.decisions[t4], into_parent);
    assert_eq!(app.doc.outcome.serving[t4] as usize, c1);
    let savings = app.doc.outcome.annual_cost.savings;
    assert!((savings - expected.annual_cost.savings).abs() < 1e-6);

    // Clearing the manual decision restores the plan of before.
    harness.get_by_label("清除此网站的人工决定").click();
    harness.run();
    let app = harness.state();
    assert_eq!(app.doc.resolved.decisions[t4], Decision::Keep);
    assert!((app.doc.outcome.annual_cost.savings - alt.annual_cost.savings).abs() < 1e-6);
}

#[test]
fn a_top_site_is_always_kept() {
    let mut harness = common::harness(common::sample_app(Lang::Zh));
    harness.run();
    let p = index(harness.state(), "P");
    harness.state_mut().push(Command::Select {
        site: p,
        mode: SelectMode::Replace,
    });
    harness.run();
    assert!(harness.query_by_label("此网站并入上级").is_none());
    assert!(harness.query_by_label("此网站并入最近的保留上级").is_none());
    assert!(harness.query_all_by_label("顶层网站始终保留").count() >= 1);
}

#[test]
fn english_renders_with_over_capacity() {
    let mut harness = common::harness(common::sample_app(Lang::En));
    harness.run();
    harness.get_by_label("Hierarchy");
    harness.get_by_label("Select a site in the table, the tree or the scatter chart.");
    let mut params = harness.state().doc.ws.params.clone();
    params.max_absorbed_per_target = Some(0);
    harness.state_mut().push(Command::SetParams { params, group: None });
    let k1 = index(harness.state(), "K1");
    harness.state_mut().push(Command::Select {
        site: k1,
        mode: SelectMode::Replace,
    });
    harness.run();
    harness.get_by_label("Change to merge into the nearest kept ancestor");
    harness.get_by_label_contains("Hillcrest City Government: 0 → 1 sites (capacity 0) · over capacity");
    harness.get_by_label("Merge this site into its parent").click();
    harness.run();
    harness.get_by_label("Change to keep");
    harness.get_by_label("Oakford County Government").click();
    harness.run();
    assert_eq!(harness.state().table.filters.subtree, Some(k1));
}

#[test]
fn a_large_national_inventory_stays_responsive() {
    let sites = sitefold::generate::generate(100_000, 7);
    let (inventory, _) = Inventory::link(sites);
    let imported = Imported {
        inventory,
        report: Default::default(),
        header: Vec::new(),
        mapping: Vec::new(),
    };
    let app = SitefoldApp::new(Workspace::new(imported), None, common::settings(Lang::Zh));
    let mut harness = common::harness(app);
    harness.run();
    let inv = harness.state().doc.inventory();
    let root = inv
        .sites()
        .iter()
        .position(|s| s.parent.is_none())
        .unwrap_or_else(|| panic!("a root"));
    assert_eq!(harness.state().tree.counts().sites[root] as usize, inv.len());
    // The national portal has more children than one page: a "show more"
    // button caps the list.
    let children = inv.children(root).len();
    let deepest = inv
        .sites()
        .iter()
        .enumerate()
        .max_by_key(|(i, _)| inv.depth(*i))
        .map(|(i, _)| i)
        .unwrap_or(root);
    harness.state_mut().push(Command::Select {
        site: deepest,
        mode: SelectMode::Replace,
    });
    harness.run();
    harness.get_by_label("在树中定位所选网站").click();
    let start = std::time::Instant::now();
    harness.run();
    for _ in 0..5 {
        harness.step();
    }
    let elapsed = start.elapsed();
    let name = harness.state().doc.inventory().site(deepest).name.clone();
    assert!(harness.query_all_by_role_and_label(Role::Button, &name).count() >= 1);
    assert!(children > 0);
    // Generous: debug builds on a loaded machine; a full rebuild per frame
    // would take far longer.
    assert!(elapsed.as_secs_f64() < 20.0, "{elapsed:?}");
}
