//! The hierarchy tree and the site detail panel, driven like a planner
//! would: click a tree node, read the detail, try the what-if, click a
//! merge button. Figures are checked against `sitefold::outcome::evaluate`.

mod common;

use std::collections::HashMap;

use egui::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use sitefold::i18n::Lang;
use sitefold::inventory::{Imported, Inventory, Kind, Level, Site};
use sitefold::outcome::{Outcome, evaluate};
use sitefold::plan::Decision;
use sitefold::ui::SitefoldApp;
use sitefold::ui::command::{Command, SelectMode};
use sitefold::ui::detail::{signed_money, signed_pp};
use sitefold::workspace::Workspace;

/// The first site that `pred` accepts and whose name no other site has
/// (so that a query by name finds one widget).
fn pick(app: &SitefoldApp, pred: impl Fn(usize) -> bool) -> usize {
    let inv = app.doc.inventory();
    let mut names: HashMap<&str, usize> = HashMap::new();
    for s in inv.sites() {
        *names.entry(s.name.as_str()).or_default() += 1;
    }
    (0..inv.len())
        .find(|&i| pred(i) && names[inv.site(i).name.as_str()] == 1)
        .unwrap_or_else(|| panic!("the sample has such a site"))
}

fn name(app: &SitefoldApp, i: usize) -> String {
    app.doc.inventory().site(i).name.to_string()
}

/// The sample's top site.
fn root(app: &SitefoldApp) -> usize {
    pick(app, |i| app.doc.inventory().parent(i).is_none())
}

/// A kept county portal under a kept prefecture, with a township below.
fn county(app: &SitefoldApp) -> usize {
    let inv = app.doc.inventory();
    let kept = |i: usize| !app.doc.resolved.decisions[i].is_merge();
    pick(app, |i| {
        let s = inv.site(i);
        s.level == Level::County
            && s.kind == Kind::Portal
            && kept(i)
            && inv.parent(i).is_some_and(kept)
            && inv
                .children(i)
                .iter()
                .any(|&c| inv.site(c as usize).level == Level::Township)
    })
}

/// A township under `county`.
fn township(app: &SitefoldApp, county: usize) -> usize {
    let inv = app.doc.inventory();
    pick(app, |i| {
        inv.parent(i) == Some(county) && inv.site(i).level == Level::Township
    })
}

fn select(harness: &mut Harness<'static, SitefoldApp>, site: usize) {
    harness.state_mut().push(Command::Select {
        site,
        mode: SelectMode::Replace,
    });
    harness.run();
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
    let app = harness.state();
    let root = root(app);
    // A prefecture: shown because the single top site starts expanded.
    let pref = pick(app, |i| {
        app.doc.inventory().parent(i) == Some(root)
            && app.doc.inventory().site(i).kind == Kind::Portal
    });
    let pref_name = name(app, pref);
    let url = app.doc.inventory().site(pref).url.clone();
    let labels_before = harness
        .query_all_by_role_and_label(Role::Label, &pref_name)
        .count();

    harness
        .get_by_role_and_label(Role::Button, &pref_name)
        .click();
    harness.run();

    let app = harness.state();
    assert_eq!(app.table.filters.subtree, Some(pref));
    assert_eq!(app.selection.focus, Some(pref));
    assert_eq!(app.selection.to_vec(), vec![pref]);
    // The detail panel shows the site: its name once more, and what only
    // the detail shows.
    let labels_after = harness
        .query_all_by_role_and_label(Role::Label, &pref_name)
        .count();
    assert!(
        labels_after > labels_before,
        "{labels_before} → {labels_after}"
    );
    harness.get_by_label(&url);
    harness.get_by_label("改为并入最近的保留上级");
    // The table shows exactly the prefecture's subtree.
    let mut shown = harness.state().table.shown().to_vec();
    shown.sort_unstable();
    let mut subtree = harness.state().doc.inventory().subtree(pref);
    subtree.sort_unstable();
    assert_eq!(shown, subtree);
}

#[test]
fn reveal_expands_the_ancestors_of_a_site_selected_elsewhere() {
    let mut harness = common::harness(common::sample_app(Lang::Zh));
    harness.run();
    let k = county(harness.state());
    let t = township(harness.state(), k);
    let t_name = name(harness.state(), t);
    // Its prefecture and county are collapsed: no tree node yet.
    assert!(
        harness
            .query_by_role_and_label(Role::Button, &t_name)
            .is_none()
    );
    select(&mut harness, t);
    harness.get_by_label("在树中定位所选网站").click();
    harness.run();
    harness.get_by_role_and_label(Role::Button, &t_name).click();
    harness.run();
    assert_eq!(harness.state().table.filters.subtree, Some(t));
    assert_eq!(harness.state().selection.focus, Some(t));
}

#[test]
fn departments_are_grouped_and_expand() {
    let mut harness = common::harness(common::sample_app(Lang::Zh));
    harness.run();
    let app = harness.state();
    let inv = app.doc.inventory();
    let root = root(app);
    let depts: Vec<usize> = inv
        .children(root)
        .iter()
        .map(|&c| c as usize)
        .filter(|&c| inv.site(c).kind == Kind::Department)
        .collect();
    assert!(!depts.is_empty(), "the province has departments");
    let first = name(app, depts[0]);
    let group = format!("部门 ({})", depts.len());
    assert!(
        harness
            .query_by_role_and_label(Role::Button, &first)
            .is_none()
    );
    harness.get_by_label(&group).click();
    harness.run();
    harness.get_by_role_and_label(Role::Button, &first);
}

#[test]
fn subtree_counts_match_the_subtrees() {
    let mut harness = common::harness(common::sample_app(Lang::Zh));
    harness.run();
    let k = county(harness.state());
    let t = township(harness.state(), k);
    select(&mut harness, t);
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
    assert!(counts.merged[k] >= 1);
}

#[test]
fn detail_shows_the_what_if_and_merge_buttons_apply_it() {
    let mut harness = common::harness(common::sample_app(Lang::Zh));
    harness.run();
    let k = county(harness.state());
    let t = township(harness.state(), k);
    let parent = harness
        .state()
        .doc
        .inventory()
        .parent(k)
        .unwrap_or_else(|| panic!("a county has a parent"));
    let parent_name = name(harness.state(), parent);
    select(&mut harness, k);

    // Before any click: what merging the county into its nearest kept
    // ancestor would do.
    let merge = Decision::Merge { target: None };
    let now = harness.state().doc.outcome.clone();
    let alt = outcome_with(harness.state(), k, merge);
    assert_eq!(alt.serving[k] as usize, parent);
    let delta_cost = alt.annual_cost.after - now.annual_cost.after;
    harness.get_by_label(&format!("{}/年", signed_money(delta_cost, Lang::Zh)));
    let pp = match (now.coverage.after, alt.coverage.after) {
        (Some(a), Some(b)) => Some((b - a) * 100.0),
        _ => None,
    };
    harness.get_by_label(&signed_pp(pp, Lang::Zh));
    let load_now = now
        .targets
        .iter()
        .find(|r| r.site == parent)
        .map_or(0, |r| r.absorbed_sites);
    let load_after = alt
        .targets
        .iter()
        .find(|r| r.site == parent)
        .map_or(0, |r| r.absorbed_sites);
    assert_eq!(load_after, load_now + 1);
    harness.get_by_label_contains(&format!("{parent_name}: {load_now} → {load_after} 个网站"));

    harness.get_by_label("此网站并入最近的保留上级").click();
    harness.run();
    let app = harness.state();
    assert_eq!(app.doc.resolved.decisions[k], merge);
    let savings = app.doc.outcome.annual_cost.savings;
    assert_eq!(savings, alt.annual_cost.savings);
    assert_eq!(savings, now.annual_cost.savings - delta_cost);
    // Now merged: the what-if offers to keep it again.
    harness.get_by_label("改为保留");

    // Merge a township into its (merged) parent: it folds on to the
    // county's receiver.
    select(&mut harness, t);
    let into_parent = Decision::merge_into(Some(k));
    let expected = outcome_with(harness.state(), t, into_parent);
    assert_eq!(expected.serving[t] as usize, parent);
    harness.get_by_label("此网站并入上级").click();
    harness.run();
    let app = harness.state();
    assert_eq!(app.doc.resolved.decisions[t], into_parent);
    assert_eq!(app.doc.outcome.serving[t] as usize, parent);
    assert_eq!(
        app.doc.outcome.annual_cost.savings,
        expected.annual_cost.savings
    );

    // Clearing the manual decision restores the plan of before.
    harness.get_by_label("清除此网站的人工决定").click();
    harness.run();
    let app = harness.state();
    assert_eq!(app.doc.resolved.decisions[t], Decision::Keep);
    assert_eq!(app.doc.outcome.annual_cost.savings, alt.annual_cost.savings);
}

#[test]
fn a_top_site_is_always_kept() {
    let mut harness = common::harness(common::sample_app(Lang::Zh));
    harness.run();
    let p = root(harness.state());
    select(&mut harness, p);
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
    harness.state_mut().push(Command::SetParams {
        params,
        group: None,
    });
    harness.run();
    let k = county(harness.state());
    let parent = harness
        .state()
        .doc
        .inventory()
        .parent(k)
        .unwrap_or_else(|| panic!("a county has a parent"));
    let parent_name = name(harness.state(), parent);
    select(&mut harness, k);
    harness.get_by_label("Change to merge into the nearest kept ancestor");
    harness.get_by_label_contains(&format!(
        "{parent_name}: 0 → 1 sites (capacity 0) · over capacity"
    ));
    harness
        .get_by_label("Merge this site into its parent")
        .click();
    harness.run();
    harness.get_by_label("Change to keep");
    harness.get_by_label("Reveal the selected site").click();
    harness.run();
    harness
        .get_by_role_and_label(Role::Button, &name(harness.state(), k))
        .click();
    harness.run();
    assert_eq!(harness.state().table.filters.subtree, Some(k));
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
    assert_eq!(
        harness.state().tree.counts().sites[root] as usize,
        inv.len()
    );
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
    harness.run();
    let name = harness.state().doc.inventory().site(deepest).name.clone();
    assert!(
        harness
            .query_all_by_role_and_label(Role::Button, &name)
            .count()
            >= 1
    );
    assert!(children > 0);
    // Frames after the change reuse the counts and rows: time a few.
    let start = std::time::Instant::now();
    let frames = 5;
    for _ in 0..frames {
        harness.step();
    }
    let per_frame = start.elapsed() / frames;
    eprintln!("100,000 sites: {per_frame:?} per frame (whole app, headless)");
    // Generous for debug builds on a loaded machine; recounting or
    // re-flattening every frame would show up here first.
    assert!(per_frame.as_secs_f64() < 2.0, "{per_frame:?}");
}

/// A flat inventory: one top site with `n` township children.
fn flat_app(n: usize) -> SitefoldApp {
    let mut sites = vec![Site::new("root", Level::County)];
    for k in 0..n {
        let mut s = Site::new(format!("t{k:04}"), Level::Township);
        s.name = format!("乡镇 {k:04}").into();
        s.parent_id = "root".into();
        sites.push(s);
    }
    let (inventory, _) = Inventory::link(sites);
    let imported = Imported {
        inventory,
        report: Default::default(),
        header: Vec::new(),
        mapping: Vec::new(),
    };
    SitefoldApp::new(Workspace::new(imported), None, common::settings(Lang::Zh))
}

/// Scrolls the tree down, as a planner would with the wheel, until a
/// widget labelled `label` is drawn.
fn scroll_tree_to(harness: &mut Harness<'static, SitefoldApp>, label: &str) {
    for _ in 0..200 {
        if let Some(node) = harness.query_by_label(label) {
            // Drawn may mean one pixel inside the viewport: bring it in.
            node.scroll_to_me();
            harness.run_steps(4);
            return;
        }
        // A row in the middle of the tree's viewport, to point the wheel at.
        let rows: Vec<_> = harness
            .query_all_by(|n| {
                n.role() == Role::Button && n.label().is_some_and(|l| l.starts_with("乡镇"))
            })
            .collect();
        let Some(node) = rows.get(rows.len() / 2) else {
            break;
        };
        node.hover();
        node.scroll_down();
        // Hovering opens a tooltip after a delay: step instead of settling.
        harness.run_steps(8);
    }
    panic!("never scrolled to {label}");
}

#[test]
fn long_child_lists_are_paged() {
    let mut harness = common::harness(flat_app(450));
    harness.run();
    harness.get_by_role_and_label(Role::Button, "乡镇 0000");
    scroll_tree_to(&mut harness, "显示更多 (200 / 450)");
    harness.get_by_label("显示更多 (200 / 450)").click();
    harness.run();
    scroll_tree_to(&mut harness, "显示更多 (400 / 450)");
    harness.get_by_label("显示更多 (400 / 450)").click();
    harness.run();
    scroll_tree_to(&mut harness, "乡镇 0449");
    assert!(harness.query_by_label_contains("显示更多").is_none());
    // Revealing a site far down a list pages up to it.
    let mut harness = common::harness(flat_app(450));
    harness.run();
    let last = harness
        .state()
        .doc
        .inventory()
        .find("t0449")
        .unwrap_or_else(|| panic!("t0449"));
    select(&mut harness, last);
    harness.get_by_label("在树中定位所选网站").click();
    harness.run();
    harness
        .get_by_role_and_label(Role::Button, "乡镇 0449")
        .click();
    harness.run();
    assert_eq!(harness.state().table.filters.subtree, Some(last));
}

#[test]
fn the_search_box_finds_and_reveals_a_site() {
    let mut harness = common::harness(common::sample_app(Lang::Zh));
    harness.run();
    let k = county(harness.state());
    let t = township(harness.state(), k);
    let t_name = name(harness.state(), t);
    let search = harness.get_by(|n| {
        n.role() == Role::TextInput && n.placeholder() == Some("查找网站（名称或标识码）")
    });
    search.click();
    search.type_text(&t_name);
    harness.run();
    harness.get_by_role_and_label(Role::Button, &t_name).click();
    harness.run();
    let app = harness.state();
    assert_eq!(app.selection.focus, Some(t));
    assert_eq!(app.table.filters.subtree, Some(t));
    // The search is cleared and the tree shows the site in place.
    harness.get_by_role_and_label(Role::Button, &t_name);
    harness.get_by_role_and_label(Role::Button, &name(harness.state(), k));
}

/// On a laptop screen in English the root's counts ("3000 · merged 936")
/// do not fit beside its name: they are shortened, never cut off, and the
/// words are in the tooltip.
#[test]
fn tree_counts_are_shortened_not_cut_on_a_laptop_screen() {
    let mut app = common::sample_app(Lang::En);
    app.push(Command::LoadRulesText {
        text: include_str!("../sample-data/rules-state-council.toml").to_string(),
        source: "preset".into(),
    });
    let mut harness = common::harness(app);
    harness.set_size(egui::vec2(1366.0, 768.0));
    harness.run();
    let merged = harness.state().doc.outcome.merged;
    assert!(merged > 0);
    let n = harness.state().doc.inventory().len();
    let full = format!("{n} · merged {merged}");
    let short = format!("{n} · {merged}");
    let node = harness
        .query_by_label(&full)
        .or_else(|| harness.query_by_label(&short))
        .expect("the root's counts, whole");
    // Inside the hierarchy panel (left of the central tabs).
    let tabs = harness.get_by_label("Inventory").rect();
    assert!(
        node.rect().right() <= tabs.left(),
        "{:?} vs {:?}",
        node.rect(),
        tabs
    );
}
