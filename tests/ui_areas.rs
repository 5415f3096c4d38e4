//! The areas tab on the bundled sample, driven as a planner would: open
//! the tab, find a prefecture, unfold its counties, click one to see its
//! sites in the table.

mod common;

use egui_kittest::kittest::Queryable as _;
use sitefold::i18n::Lang;
use sitefold::outcome::AreaKind;
use sitefold::ui::command::{Command, Decide, Tab};

#[test]
fn the_areas_tab_unfolds_a_prefecture_and_filters_the_table_to_a_county() {
    let mut harness = common::harness(common::sample_app(Lang::En));
    harness.run();
    harness.get_by_label("Areas").click();
    harness.run();
    assert_eq!(harness.state().settings.tab, Tab::Areas);

    let app = harness.state();
    let rows = app.areas.rows();
    assert_eq!(rows[0].area, AreaKind::Province);
    let pref = rows
        .iter()
        .find(|r| r.area == AreaKind::Prefecture)
        .expect("a prefecture")
        .clone();
    let county = pref
        .sub_areas
        .iter()
        .find(|s| s.area == AreaKind::County)
        .expect("a county")
        .clone();
    let county_site = county.site.expect("a portal");
    let county_name = county.name.clone().expect("named");
    // The figures are the document's plan's, added up by area.
    let total: sitefold::money::Money = rows.iter().map(|r| r.cost_after).sum();
    assert_eq!(total, app.doc.outcome.annual_cost.after);

    // A prefecture row (the tree beside shows the name too), folded: its
    // counties are not shown.
    let pref_name = pref.name.clone().expect("named");
    assert!(
        harness.query_all_by_label(&pref_name).count() >= 2,
        "{pref_name}"
    );
    assert!(harness.query_by_label(&county_name).is_none());
    harness.get_by_label(&format!("Expand {pref_name}")).click();
    harness.run();
    assert!(
        harness
            .state()
            .areas
            .is_expanded(AreaKind::Prefecture, pref.site)
    );
    harness.get_by_label(&format!("Collapse {pref_name}"));
    harness.get_by_label("Prefecture's own");
    // Drawn for many frames, worked out once.
    assert_eq!(harness.state().areas.computations(), 1);

    // A county's name shows its subtree in the inventory table.
    harness.get_by_label(&county_name).click();
    harness.run();
    let app = harness.state();
    assert_eq!(app.settings.tab, Tab::Inventory);
    assert!(app.selection.contains(county_site));
    let mut shown = app.table.shown().to_vec();
    shown.sort_unstable();
    let mut subtree = app.doc.inventory().subtree(county_site);
    subtree.sort_unstable();
    assert_eq!(shown, subtree);
}

#[test]
fn the_areas_follow_an_edit_and_sort_by_savings() {
    let mut harness = common::harness(common::sample_app(Lang::Zh));
    harness.state_mut().push(Command::ShowTab(Tab::Areas));
    harness.run();
    harness.get_by_label("金额单位：万元");
    let before = harness.state().areas.computations();
    // Merge every township of the first county: its prefecture saves.
    let app = harness.state();
    let inv = app.doc.inventory();
    let pref = app.areas.rows()[1].clone();
    let county = pref.sub_areas[1].site.expect("a county");
    let towns: Vec<usize> = inv.children(county).iter().map(|&c| c as usize).collect();
    harness.state_mut().push(Command::Decide {
        sites: towns,
        how: Decide::MergeNearest,
    });
    harness.run();
    let app = harness.state();
    assert_eq!(app.areas.computations(), before + 1, "once for the edit");
    let after = &app.areas.rows()[1];
    assert!(
        after.savings > pref.savings,
        "{:?} → {:?}",
        pref.savings,
        after.savings
    );
    let total: sitefold::money::Money = app.areas.rows().iter().map(|r| r.savings).sum();
    assert_eq!(total, app.doc.outcome.annual_cost.savings);

    harness.get_by_label("按每年节约排序").click();
    harness.run();
    assert!(harness.state().areas.by_savings);
    harness.get_by_label("全部展开").click();
    harness.run();
    let app = harness.state();
    assert!(
        app.areas
            .rows()
            .iter()
            .filter(|r| !r.sub_areas.is_empty())
            .all(|r| app.areas.is_expanded(r.area, r.site))
    );
}

/// The treemap tab lays the hierarchy out (the province's rectangle holds
/// its prefectures'), and a click on a rectangle selects its site.
#[test]
fn the_treemap_shows_the_hierarchy_and_a_click_selects_a_site() {
    let mut harness = common::harness(common::sample_app(Lang::Zh));
    harness.state_mut().push(Command::ShowTab(Tab::Treemap));
    harness.run();
    harness.get_by_label("面积表示");
    let cells = harness.state().treemap.cells().to_vec();
    assert!(cells.len() > 100, "{} rectangles", cells.len());
    let inv = harness.state().doc.inventory().clone();
    let top = cells
        .iter()
        .find(|c| c.depth == 0 && !c.own)
        .expect("the province");
    for c in cells.iter().filter(|c| c.depth == 1 && !c.own) {
        assert_eq!(inv.parent(c.site), Some(top.site));
        assert!(c.rect.x0 >= top.rect.x0 - 1e-6 && c.rect.x1 <= top.rect.x1 + 1e-6);
    }
    // Click the middle of a prefecture's first child rectangle.
    let pref = cells
        .iter()
        .find(|c| c.depth == 2 && c.rect.w() > 20.0 && c.rect.h() > 20.0)
        .expect("a county");
    let origin = harness.state().treemap.origin();
    let at = egui::pos2(
        origin.x + ((pref.rect.x0 + pref.rect.x1) / 2.0) as f32,
        origin.y + ((pref.rect.y0 + pref.rect.y1) / 2.0) as f32,
    );
    harness.hover_at(at);
    harness.run();
    harness.event(egui::Event::PointerButton {
        pos: at,
        button: egui::PointerButton::Primary,
        pressed: true,
        modifiers: Default::default(),
    });
    harness.event(egui::Event::PointerButton {
        pos: at,
        button: egui::PointerButton::Primary,
        pressed: false,
        modifiers: Default::default(),
    });
    harness.run();
    let chosen = harness.state().selection.focus.expect("a site is selected");
    let hit = sitefold::outcome::treemap::cell_at(
        &cells,
        (pref.rect.x0 + pref.rect.x1) / 2.0,
        (pref.rect.y0 + pref.rect.y1) / 2.0,
    )
    .expect("cell");
    assert_eq!(chosen, hit.site);
}
