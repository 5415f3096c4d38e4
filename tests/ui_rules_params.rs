//! The rules editor and the parameters panel, driven as a planner would:
//! menus, check boxes and drag values found by their labels.

mod common;

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use sitefold::i18n::Lang;
use sitefold::inventory::{Kind, Level};
use sitefold::money::Money;
use sitefold::outcome::{Model, Outcome, evaluate};
use sitefold::plan::{Action as RuleAction, ParamKey, Params, Rule, RuleSet, resolve};
use sitefold::ui::SitefoldApp;
use sitefold::ui::actions::Action;
use sitefold::ui::command::{Command, Tab};
use sitefold::ui::strings::{ParamsStr, RulesStr, S};

const GUIDELINES: &str = include_str!("../sample-data/rules-2017-guidelines.toml");
const STATE_COUNCIL: &str = include_str!("../sample-data/rules-state-council.toml");

/// The outcome computed without the app: resolve, then evaluate.
fn expected(rules: &RuleSet, params: &Params) -> Outcome {
    let imported = sitefold::sample::sample();
    let inv = &imported.inventory;
    let manual = vec![None; inv.len()];
    let resolved = resolve(inv, &manual, rules, params);
    let model = Model::new(inv, params);
    evaluate(inv, &model, &resolved.decisions)
}

fn parsed(text: &str) -> RuleSet {
    let (rules, issues) = RuleSet::parse(text, "preset");
    assert!(issues.is_empty(), "the preset reads cleanly: {issues:?}");
    rules
}

/// Queues a command as a widget would, and draws its result.
fn push(harness: &mut Harness<'static, SitefoldApp>, c: Command) {
    harness.state_mut().push(c);
    harness.run();
    // The app applies commands at the end of a frame: one more to show them.
    harness.step();
    harness.run();
}

fn show(harness: &mut Harness<'static, SitefoldApp>, tab: Tab) {
    push(harness, Command::ShowTab(tab));
}

fn load_preset(harness: &mut Harness<'static, SitefoldApp>, text: &str) {
    push(
        harness,
        Command::LoadRulesText {
            text: text.to_string(),
            source: "preset".into(),
        },
    );
}

fn app_on(lang: Lang, tab: Tab) -> Harness<'static, SitefoldApp> {
    // Start on the tab under test (the shared harness checks every widget
    // drawn, and only this tab's widgets are ours to answer for).
    let mut app = common::sample_app(lang);
    app.settings.tab = tab;
    common::harness(app)
}

#[test]
fn presets_menu_loads_the_preset_and_the_outcome_follows() {
    for (entry, text) in [
        (S::PresetGuidelines, GUIDELINES),
        (S::PresetStateCouncil, STATE_COUNCIL),
    ] {
        let mut harness = app_on(Lang::Zh, Tab::Rules);
        assert!(harness.state().doc.ws.rules.rules.is_empty());
        harness.get_by_label(S::NoRules.get(Lang::Zh));
        assert_eq!(harness.state().doc.outcome.merged, 0);

        harness.get_by_label(S::Presets.get(Lang::Zh)).click();
        harness.run();
        harness.get_by_label(entry.get(Lang::Zh)).click();
        harness.run();

        let want = parsed(text);
        let doc = &harness.state().doc;
        assert_eq!(doc.ws.rules, want);
        let outcome = expected(&want, &Params::default());
        assert!(outcome.merged > 0, "the preset merges sites of the sample");
        assert_eq!(doc.outcome.merged, outcome.merged);
        assert_eq!(doc.outcome.annual_cost, outcome.annual_cost);

        // Each card shows how many sites its rule decides.
        let counts = doc.resolved.rule_counts(&doc.ws.rules);
        assert_eq!(counts.iter().sum::<usize>(), doc.resolved.by_rule_count());
        for c in counts {
            let label = format!("{}：{c}", S::RuleDecides.get(Lang::Zh));
            assert!(
                harness.query_all_by_label(&label).next().is_some(),
                "{label}"
            );
        }
        harness.get_by_label(S::ManualWins.get(Lang::Zh));
        // One undo step takes the whole preset back.
        push(&mut harness, Command::Action(Action::Undo));
        assert!(harness.state().doc.ws.rules.rules.is_empty());
    }
}

#[test]
fn switching_a_rule_off_changes_the_outcome() {
    let mut harness = app_on(Lang::Zh, Tab::Rules);
    load_preset(&mut harness, STATE_COUNCIL);
    let mut rules = parsed(STATE_COUNCIL);
    let before = harness.state().doc.outcome.merged;
    assert_eq!(before, expected(&rules, &Params::default()).merged);

    harness
        .get_all_by_label(S::RuleEnabled.get(Lang::Zh))
        .next()
        .expect("an Enabled box per rule")
        .click();
    harness.run();

    rules.rules[0].enabled = false;
    let doc = &harness.state().doc;
    assert_eq!(doc.ws.rules, rules);
    let want = expected(&rules, &Params::default());
    assert_eq!(doc.outcome.merged, want.merged);
    assert_eq!(doc.outcome.annual_cost, want.annual_cost);
    assert_ne!(
        doc.outcome.merged, before,
        "failing county and township sites are kept now"
    );
    assert!(doc.resolved.rule_counts(&doc.ws.rules)[0] == 0);

    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    harness.run();
    assert!(harness.state().doc.ws.rules.rules[0].enabled);
    assert_eq!(harness.state().doc.outcome.merged, before);
}

#[test]
fn rules_are_added_named_given_conditions_reordered_and_deleted() {
    let mut harness = app_on(Lang::En, Tab::Rules);
    let en = Lang::En;
    harness.get_by_label(S::AddRule.get(en)).click();
    harness.run();
    let rules = &harness.state().doc.ws.rules.rules;
    assert_eq!(rules.len(), 1);
    assert!(
        !rules[0].enabled,
        "a rule without conditions starts switched off"
    );
    assert_eq!(rules[0].action, RuleAction::Merge);
    assert_eq!(harness.state().doc.outcome.merged, 0);

    // Typing a name is one undo step, whatever the number of keys.
    let name = harness.get_by_label(S::RuleName.get(en));
    name.click();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.run();
    for t in ["Town", "ships ", "fold"] {
        harness.get_by_label(S::RuleName.get(en)).type_text(t);
        harness.run();
    }
    harness.key_press(egui::Key::Enter);
    harness.run();
    assert_eq!(harness.state().doc.ws.rules.rules[0].name, "Townships fold");
    push(&mut harness, Command::Action(Action::Undo));
    assert_eq!(
        harness.state().doc.ws.rules.rules[0].name,
        format!("{} 1", RulesStr::NewRuleName.get(en))
    );
    push(&mut harness, Command::Action(Action::Redo));

    // Conditions: levels on (township by default), then add county.
    harness.get_by_label(S::Levels.get(en)).click();
    harness.run();
    assert_eq!(
        harness.state().doc.ws.rules.rules[0].levels,
        Some(vec![Level::Township])
    );
    harness.get_by_label(Level::County.label(en)).click();
    harness.run();
    assert_eq!(
        harness.state().doc.ws.rules.rules[0].levels,
        Some(vec![Level::County, Level::Township])
    );
    // Inspection: failing only.
    harness.get_by_label(S::Failing.get(en)).click();
    harness.run();
    assert_eq!(
        harness.state().doc.ws.rules.rules[0].failed_inspection,
        Some(true)
    );
    // Budget below: on with 20,000 yuan.
    harness
        .get_by_role_and_label(Role::CheckBox, S::BudgetBelow.get(en))
        .click();
    harness.run();
    assert_eq!(
        harness.state().doc.ws.rules.rules[0].budget_below,
        Some(20_000.0)
    );
    // Switch it on: the outcome is the independent one.
    harness.get_by_label(S::RuleEnabled.get(en)).click();
    harness.run();
    let doc = &harness.state().doc;
    let mut want = Rule::new("Townships fold", RuleAction::Merge);
    want.levels = Some(vec![Level::County, Level::Township]);
    want.failed_inspection = Some(true);
    want.budget_below = Some(20_000.0);
    let want = RuleSet { rules: vec![want] };
    assert_eq!(doc.ws.rules, want);
    assert_eq!(
        doc.outcome.merged,
        expected(&want, &Params::default()).merged
    );
    harness.get_by_label(&format!(
        "{}: {}",
        RuleAction::Merge.label(en),
        want.rules[0].describe(en)
    ));

    // A second rule, moved above the first, then deleted.
    harness.get_by_label(S::AddRule.get(en)).click();
    harness.run();
    assert_eq!(harness.state().doc.ws.rules.rules.len(), 2);
    harness
        .get_all_by_label(S::MoveUp.get(en))
        .nth(1)
        .expect("the second card's Move up")
        .click();
    harness.run();
    let rules = &harness.state().doc.ws.rules.rules;
    assert_eq!(rules[1].name, "Townships fold");
    assert_eq!(
        rules[0].name,
        format!("{} 2", RulesStr::NewRuleName.get(en))
    );
    harness
        .get_all_by_label(S::Delete.get(en))
        .next()
        .expect("Delete")
        .click();
    harness.run();
    assert_eq!(harness.state().doc.ws.rules, want);
}

#[test]
fn dragging_a_parameter_is_one_undo_step() {
    let mut harness = app_on(Lang::Zh, Tab::Params);
    load_preset(&mut harness, GUIDELINES);
    let rules = parsed(GUIDELINES);
    let start = harness.state().doc.outcome.annual_cost.after;
    let merged = harness.state().doc.outcome.merged;
    assert!(merged > 0);

    let center = harness
        .get_by_label(ParamKey::AbsorbFixed.label(Lang::Zh))
        .rect()
        .center();
    harness.hover_at(center);
    harness.run();
    harness.drag_at(center);
    harness.run();
    let mut seen = Vec::new();
    for dx in [10.0, 25.0, 45.0, 70.0] {
        harness.hover_at(center + egui::vec2(dx, 0.0));
        harness.run();
        seen.push(harness.state().doc.ws.params.absorb_fixed);
    }
    harness.drop_at(center + egui::vec2(70.0, 0.0));
    harness.run();
    seen.dedup();
    assert!(
        seen.len() >= 2,
        "the drag went through several values: {seen:?}"
    );

    let doc = &harness.state().doc;
    let fixed = doc.ws.params.absorb_fixed;
    assert!(fixed > 5000.0);
    let params = Params {
        absorb_fixed: fixed,
        ..Params::default()
    };
    assert_eq!(
        doc.outcome.annual_cost,
        expected(&rules, &params).annual_cost
    );
    // Each merged site's absorb cost rose by fixed − 5000, exactly.
    let rise = Money::from_f64(fixed).expect("finite") - Money::yuan(5000);
    assert_eq!(
        doc.outcome.annual_cost.after,
        start + rise.times_count(merged as u64)
    );

    // One Ctrl+Z undoes the whole drag, and only the drag.
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    harness.run();
    let doc = &harness.state().doc;
    assert_eq!(doc.ws.params, Params::default());
    assert_eq!(doc.outcome.annual_cost.after, start);
    assert_eq!(doc.ws.rules, rules);
}

#[test]
fn typing_a_parameter_is_one_undo_step() {
    let mut harness = app_on(Lang::Zh, Tab::Params);
    load_preset(&mut harness, GUIDELINES);
    let start = harness.state().doc.outcome.annual_cost.after;
    let merged = harness.state().doc.outcome.merged as u64;
    let label = ParamKey::AbsorbFixed.label(Lang::Zh);

    harness.get_by_label(label).click();
    harness.run();
    for key in ["8", "0", "0", "0"] {
        harness.get_by_label(label).type_text(key);
        harness.run();
    }
    assert_eq!(
        harness.state().doc.ws.params.absorb_fixed,
        8000.0,
        "the value follows the typing"
    );
    harness.key_press(egui::Key::Enter);
    harness.run();
    let doc = &harness.state().doc;
    assert_eq!(doc.ws.params.absorb_fixed, 8000.0);
    assert_eq!(
        doc.outcome.annual_cost.after,
        start + Money::yuan(3000).times_count(merged)
    );

    push(&mut harness, Command::Action(Action::Undo));
    assert_eq!(harness.state().doc.ws.params.absorb_fixed, 5000.0);
    assert_eq!(harness.state().doc.outcome.annual_cost.after, start);
    assert!(
        !harness.state().doc.ws.rules.rules.is_empty(),
        "the preset is a step of its own"
    );

    // A share typed as a percentage.
    let label = ParamKey::AbsorbRate.label(Lang::Zh);
    harness.get_by_label(label).click();
    harness.run();
    harness.get_by_label(label).type_text("25%");
    harness.run();
    harness.key_press(egui::Key::Enter);
    harness.run();
    assert_eq!(harness.state().doc.ws.params.absorb_rate, 0.25);
    harness.get_by_label("= 25.0%");
}

#[test]
fn capacity_limit_and_reset_to_defaults() {
    let mut harness = app_on(Lang::En, Tab::Params);
    let en = Lang::En;
    assert_eq!(harness.state().doc.ws.params.max_absorbed_per_target, None);
    harness
        .get_by_role_and_label(Role::CheckBox, S::NoLimit.get(en))
        .click();
    harness.run();
    assert_eq!(
        harness.state().doc.ws.params.max_absorbed_per_target,
        Some(20)
    );
    harness.get_by_label(ParamKey::MaxAbsorbedPerTarget.label(en));
    harness.get_by_label(ParamsStr::Changed.get(en));

    harness.get_by_label(S::ResetDefaults.get(en)).click();
    harness.run();
    assert_eq!(harness.state().doc.ws.params, Params::default());
    assert!(harness.query_by_label(ParamsStr::Changed.get(en)).is_none());
    push(&mut harness, Command::Action(Action::Undo));
    assert_eq!(
        harness.state().doc.ws.params.max_absorbed_per_target,
        Some(20)
    );
}

/// A rule with every condition, so that every widget is drawn.
fn every_condition() -> RuleSet {
    let mut r = Rule::new("全部条件 every condition", RuleAction::Keep);
    r.levels = Some(vec![Level::County]);
    r.kinds = Some(vec![Kind::Department]);
    r.budget_below = Some(20_000.0);
    r.score_below = Some(60.0);
    r.failed_inspection = Some(false);
    r.visits_below = Some(1000.0);
    r.reprint_hours_above = Some(24.0);
    let mut empty = Rule::new("empty", RuleAction::Merge);
    empty.levels = Some(Vec::new());
    let mut all = parsed(GUIDELINES);
    all.rules.push(r);
    all.rules.push(empty);
    all.rules.push(Rule::new("everything", RuleAction::Merge));
    all
}

#[test]
fn both_languages_render() {
    for lang in [Lang::Zh, Lang::En] {
        let mut harness = app_on(lang, Tab::Rules);
        push(
            &mut harness,
            Command::SetRules {
                rules: every_condition(),
                group: None,
            },
        );
        harness.get_by_label(RulesStr::MergesEverySite.get(lang));
        harness.get_by_label(RulesStr::MatchesNothing.get(lang));
        harness.get_by_label(S::Presets.get(lang)).click();
        harness.run();
        harness.get_by_label(S::PresetStateCouncil.get(lang));
        harness.key_press(egui::Key::Escape);
        harness.run();
        show(&mut harness, Tab::Params);
        for key in ParamKey::ALL {
            harness.get_by_label(key.label(lang));
        }
        harness
            .get_by_role_and_label(Role::CheckBox, S::NoLimit.get(lang))
            .click();
        harness.run();
    }
}

#[test]
fn saved_rules_read_back_the_same() {
    let rules = every_condition();
    let (back, issues) = RuleSet::parse(&rules.to_toml(), "saved");
    assert!(issues.is_empty(), "{issues:?}");
    assert_eq!(back, rules);
}

#[test]
fn every_string_of_both_panels_has_glyphs() {
    for lang in [Lang::Zh, Lang::En] {
        let mut texts: Vec<String> = RulesStr::ALL
            .iter()
            .map(|s| s.get(lang).to_string())
            .collect();
        texts.extend(ParamsStr::ALL.iter().map(|s| s.get(lang).to_string()));
        for k in ParamKey::ALL {
            texts.extend([k.label(lang), k.unit(lang), k.help(lang)].map(String::from));
        }
        for r in every_condition().rules {
            texts.push(r.describe(lang));
        }
        // Missing glyphs panic while the text is laid out.
        let mut harness = Harness::builder()
            .with_size(egui::vec2(1440.0, 2400.0))
            .with_context_setup(sitefold::ui::fonts::install)
            .build_ui(move |ui| {
                for t in &texts {
                    ui.label(t);
                }
            });
        harness.run();
    }
}
