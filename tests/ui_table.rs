//! The inventory table as a planner from Excel uses it: cells edited in
//! place with validation and undo, blocks pasted from Excel or WPS, rows
//! copied back, missing values shown as missing, frozen id and name
//! columns and a column chooser.

mod common;

use egui::Role;
use egui_kittest::kittest::Queryable;
use rust_decimal::Decimal;
use sitefold::i18n::Lang;
use sitefold::inventory::{Column, Level};
use sitefold::plan::Decision;
use sitefold::ui::command::Command;
use sitefold::ui::table::TableCol;

type Harness = egui_kittest::Harness<'static, sitefold::ui::SitefoldApp>;

/// The sample's first county portal: a site with a budget and a parent.
fn a_county(harness: &Harness) -> usize {
    let inv = harness.state().doc.inventory();
    (0..inv.len())
        .find(|&i| inv.site(i).level == Level::County && inv.site(i).parent.is_some())
        .expect("a county")
}

/// Types `text` into the focused cell editor, replacing what it holds.
fn type_in_editor(harness: &mut Harness, text: &str) {
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.run();
    harness
        .query_all_by_role(Role::TextInput)
        .find(|n| n.is_focused())
        .expect("the cell editor has the keyboard")
        .type_text(text);
    harness.run();
}

fn budget(harness: &Harness, site: usize) -> Decimal {
    harness.state().doc.inventory().site(site).budget.decimal()
}

#[test]
fn a_typed_budget_is_checked_applied_and_undone_in_one_step() {
    let mut harness = common::harness(common::sample_app(Lang::Zh));
    harness.run();
    let site = a_county(&harness);
    let before = budget(&harness, site);
    let cost_before = harness.state().doc.outcome.annual_cost.before;
    harness.state_mut().table.filters.text =
        harness.state().doc.inventory().site(site).id.to_string();
    harness.run();

    // F2 on the current cell opens its editor with the value as typed.
    harness.state_mut().table.cursor = Some((site, TableCol::Budget));
    harness.key_press(egui::Key::F2);
    harness.run();
    let editing = harness.state().table.editing.clone().expect("editing");
    assert_eq!(editing.text, before.normalize().to_string());

    // A text that is not a number is refused where it was typed.
    type_in_editor(&mut harness, "待定");
    harness.key_press(egui::Key::Enter);
    harness.run();
    assert_eq!(budget(&harness, site), before, "nothing changed");
    assert!(
        harness.state().table.editing.is_some(),
        "the editor stays open"
    );
    harness.get_by_label_contains("修改未应用：“待定”不是数字");
    assert!(!harness.state().doc.is_dirty());

    // 1.5万 reads as the importer reads it, and the outcome follows.
    type_in_editor(&mut harness, "1.5万");
    harness.key_press(egui::Key::Enter);
    harness.run();
    assert!(harness.state().table.editing.is_none());
    assert_eq!(budget(&harness, site), Decimal::from(15_000));
    assert!(harness.state().doc.is_dirty());
    let diff = before - Decimal::from(15_000);
    let cost_after = harness.state().doc.outcome.annual_cost.before;
    assert_eq!(
        cost_before.decimal() - cost_after.decimal(),
        diff,
        "today's cost moved by the budget's change"
    );

    // One undo step restores the budget and the figures.
    harness
        .state_mut()
        .push(Command::Action(sitefold::ui::actions::Action::Undo));
    harness.run();
    assert_eq!(budget(&harness, site), before);
    assert_eq!(harness.state().doc.outcome.annual_cost.before, cost_before);
}

#[test]
fn esc_leaves_the_cell_as_it_was() {
    let mut harness = common::harness(common::sample_app(Lang::En));
    harness.run();
    let site = a_county(&harness);
    let name = harness.state().doc.inventory().site(site).name.clone();
    harness.state_mut().table.filters.text =
        harness.state().doc.inventory().site(site).id.to_string();
    harness.run();
    harness.state_mut().table.cursor = Some((site, TableCol::Name));
    harness.key_press(egui::Key::F2);
    harness.run();
    type_in_editor(&mut harness, "Renamed");
    harness.key_press(egui::Key::Escape);
    harness.run();
    assert!(harness.state().table.editing.is_none());
    assert_eq!(harness.state().doc.inventory().site(site).name, name);
    assert!(!harness.state().doc.undo.can_undo());
}

#[test]
fn a_block_pasted_from_excel_fills_down_and_right_as_one_step() {
    let mut harness = common::harness(common::sample_app(Lang::Zh));
    harness.run();
    // Level, Kind, Budget are the first columns after the frozen ones.
    let shown = harness.state().table.shown().to_vec();
    let (a, b) = (shown[3], shown[4]);
    let levels = (
        harness.state().doc.inventory().site(a).level,
        harness.state().doc.inventory().site(b).level,
    );
    harness.state_mut().table.cursor = Some((a, TableCol::Kind));
    // As Excel puts two rows of two cells on the clipboard.
    harness.event(egui::Event::Paste(
        "部门\t12000\r\n门户\t\"1,300\"\r\n".into(),
    ));
    harness.run();
    let inv = harness.state().doc.inventory();
    assert_eq!(inv.site(a).kind, sitefold::inventory::Kind::Department);
    assert_eq!(inv.site(a).budget.decimal(), Decimal::from(12_000));
    assert_eq!(inv.site(b).kind, sitefold::inventory::Kind::Portal);
    assert_eq!(inv.site(b).budget.decimal(), Decimal::from(1_300));
    assert_eq!(
        (inv.site(a).level, inv.site(b).level),
        levels,
        "levels untouched"
    );
    // One undo step takes the whole block back.
    harness
        .state_mut()
        .push(Command::Action(sitefold::ui::actions::Action::Undo));
    harness.run();
    assert!(!harness.state().doc.undo.can_undo());
}

#[test]
fn a_paste_with_one_bad_cell_changes_nothing_and_names_the_cell() {
    let mut harness = common::harness(common::sample_app(Lang::En));
    harness.run();
    let shown = harness.state().table.shown().to_vec();
    let before: Vec<Decimal> = shown[..3]
        .iter()
        .map(|&s| harness.state().doc.inventory().site(s).budget.decimal())
        .collect();
    harness.state_mut().table.cursor = Some((shown[0], TableCol::Budget));
    harness.event(egui::Event::Paste("100\n-5\n300\n".into()));
    harness.run();
    let after: Vec<Decimal> = shown[..3]
        .iter()
        .map(|&s| harness.state().doc.inventory().site(s).budget.decimal())
        .collect();
    assert_eq!(before, after, "all or nothing");
    let error = harness
        .state()
        .error()
        .map(str::to_string)
        .expect("a dialog lists the problem");
    let id = &harness.state().doc.inventory().site(shown[1]).id;
    assert!(error.contains(id.as_str()), "{error}");
    assert!(error.contains("\"-5\" is negative"), "{error}");
    assert!(!harness.state().doc.is_dirty());
}

#[test]
fn a_paste_onto_a_worked_out_column_is_refused() {
    let mut harness = common::harness(common::sample_app(Lang::En));
    harness.run();
    let shown = harness.state().table.shown().to_vec();
    harness.state_mut().table.cursor = Some((shown[0], TableCol::Budget));
    // Budget, then Own population (worked out): the block is refused.
    harness.event(egui::Event::Paste("100\t5\n".into()));
    harness.run();
    assert!(!harness.state().doc.is_dirty());
    assert!(
        harness
            .state()
            .status
            .as_deref()
            .is_some_and(|s| s.contains("Own population")),
        "{:?}",
        harness.state().status
    );
}

#[test]
fn one_value_pasted_on_a_selection_fills_each_selected_row() {
    let mut harness = common::harness(common::sample_app(Lang::Zh));
    harness.run();
    let shown = harness.state().table.shown().to_vec();
    let picked = [shown[5], shown[6], shown[8]];
    for &s in &picked {
        harness.state_mut().selection.toggle(s);
    }
    harness.state_mut().table.cursor = Some((picked[0], TableCol::Score));
    harness.event(egui::Event::Paste("55.5".into()));
    harness.run();
    let inv = harness.state().doc.inventory();
    for &s in &picked {
        assert_eq!(inv.site(s).inspection_score, Some(55.5));
    }
    assert_ne!(inv.site(shown[7]).inspection_score, Some(55.5));
}

#[test]
fn copied_rows_are_the_exact_values_excel_reads() {
    let mut harness = common::harness(common::sample_app(Lang::En));
    harness.run();
    let shown = harness.state().table.shown().to_vec();
    harness.state_mut().selection.replace(shown[1]);
    harness.event(egui::Event::Copy);
    harness.step();
    let copied: Vec<String> = harness
        .output()
        .platform_output
        .commands
        .iter()
        .filter_map(|c| match c {
            egui::OutputCommand::CopyText(t) => Some(t.clone()),
            _ => None,
        })
        .collect();
    let site = harness.state().doc.inventory().site(shown[1]).clone();
    let text = copied.first().expect("copied");
    let cells: Vec<&str> = text.trim_end().split('\t').collect();
    assert_eq!(cells[0], site.id);
    assert_eq!(cells[1], site.name);
    // The budget as a plain number (no separators), exact.
    assert!(
        cells.contains(&site.budget.decimal().normalize().to_string().as_str()),
        "{cells:?}"
    );
}

#[test]
fn missing_values_show_as_missing_not_zero() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = common::write_text(
        dir.path(),
        "缺值.csv",
        "site_id,name,level,parent_id,annual_budget,population\n\
         P,Province,province,,500000,1000\n\
         C,City,prefecture,P,,\n",
    );
    let mut app = common::sample_app(Lang::Zh);
    app.push(Command::Open(path.into()));
    let mut harness = common::harness(app);
    harness.step();
    common::wait_for_open(&mut harness);
    let inv = harness.state().doc.inventory();
    let c = inv.find("C").expect("C");
    assert!(inv.site(c).missing.has(Column::AnnualBudget));
    assert!(inv.site(c).missing.has(Column::Population));
    assert!(!inv.site(0).missing.has(Column::AnnualBudget));
    // The city's budget and population cells say 缺失; the province's do not.
    let missing = harness.query_all_by_label("缺失").count();
    assert_eq!(missing, 2, "budget and own population of C");
    // Typing a budget makes it known.
    harness.state_mut().push(Command::EditCells {
        cells: vec![(c, Column::AnnualBudget, "20000".into())],
        clipped: false,
    });
    harness.run();
    assert_eq!(harness.query_all_by_label("缺失").count(), 1);
}

#[test]
fn the_column_chooser_adds_columns_and_id_and_name_stay_frozen() {
    let mut harness = common::harness(common::sample_app(Lang::En));
    harness.set_size(egui::vec2(1366.0, 768.0));
    harness.run();
    assert!(harness.query_by_label("Staff").is_none());
    harness.get_by_label("Columns…").click();
    harness.run();
    harness.get_by_label("Show all columns").click();
    harness.run();
    assert_eq!(
        harness.state().table.columns.len(),
        TableCol::CHOOSABLE.len()
    );
    harness.key_press(egui::Key::Escape);
    harness.run();
    // Far wider than the window: the right part scrolls, the id and name
    // headers are still drawn at the left.
    let id_header = harness.get_by_label("ID").rect();
    let name_header = harness.get_by_label("Name").rect();
    assert!(id_header.left() < 400.0 && name_header.left() < 600.0);
    harness.get_by_label("Staff");
    harness.get_by_label("Reprint hours");
}

#[test]
fn a_new_parent_drops_the_decisions_it_no_longer_allows_and_undo_restores_them() {
    let mut harness = common::harness(common::sample_app(Lang::Zh));
    harness.run();
    let site = a_county(&harness);
    let inv = harness.state().doc.inventory().clone();
    let parent = inv.parent(site).expect("parent");
    let province = inv.ancestors(site).last().expect("top");
    // Merged into its prefecture, then moved under the province: the
    // target is no longer an ancestor and the merge goes, in the same step.
    harness.state_mut().push(Command::Decide {
        sites: vec![site],
        how: sitefold::ui::command::Decide::MergeInto(parent),
    });
    harness.run();
    harness.state_mut().push(Command::EditCells {
        cells: vec![(site, Column::ParentId, inv.site(province).id.to_string())],
        clipped: false,
    });
    harness.run();
    let doc = &harness.state().doc;
    assert_eq!(doc.inventory().parent(site), Some(province));
    assert_eq!(doc.ws.manual[site], None);
    harness
        .state_mut()
        .push(Command::Action(sitefold::ui::actions::Action::Undo));
    harness.run();
    let doc = &harness.state().doc;
    assert_eq!(doc.inventory().parent(site), Some(parent));
    assert_eq!(
        doc.ws.manual[site],
        Some(Decision::merge_into(Some(parent)))
    );
}
