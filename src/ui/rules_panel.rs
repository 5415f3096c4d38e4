//! The rules editor: the rules as cards, in order (the first that matches a
//! site decides it), with the bundled presets and rules files.
//!
//! The widgets edit a copy of the rules; a change becomes one
//! [`Command::SetRules`]. Typing in a field or dragging a value is grouped
//! into one undo step, closed when the field is left or the drag ends.

use egui::{DragValue, RichText};

use crate::i18n::Lang;
use crate::inventory::{Kind, Level};
use crate::plan::{Action, Rule, RuleSet};

use super::command::Command;
use super::context::Cx;
use super::file_dialog::FilePurpose;
use super::params_panel::parse_amount;
use super::strings::{RulesStr, S};

/// The bundled presets: menu entry, file text, name for messages.
pub const PRESETS: [(S, &str, &str); 3] = [
    (
        S::PresetGuidelines,
        include_str!("../../sample-data/rules-2017-guidelines.toml"),
        "rules-2017-guidelines.toml",
    ),
    (
        S::PresetStateCouncil,
        include_str!("../../sample-data/rules-state-council.toml"),
        "rules-state-council.toml",
    ),
    (
        S::PresetFailedRounds,
        include_str!("../../sample-data/rules-failed-rounds.toml"),
        "rules-failed-rounds.toml",
    ),
];

/// How the rules changed this frame.
#[derive(Default)]
enum Change {
    /// Not at all.
    #[default]
    None,
    /// While typing or dragging: amended into the interaction's undo step.
    Grouped(String),
    /// By a click: an undo step of its own.
    Discrete,
}

impl Change {
    fn grouped(&mut self, key: String) {
        if !matches!(self, Change::Discrete) {
            *self = Change::Grouped(key);
        }
    }

    fn discrete(&mut self) {
        *self = Change::Discrete;
    }
}

/// What the widgets asked for this frame, carried out after drawing.
#[derive(Default)]
struct Requests {
    change: Change,
    /// A drag ended or a field was left.
    ended: bool,
    list: Option<ListOp>,
    file: Option<FileOp>,
}

/// A change to the list of rules.
#[derive(Clone, Copy)]
enum ListOp {
    Add,
    Up(usize),
    Down(usize),
    Delete(usize),
}

/// A rules file to open or write.
#[derive(Clone, Copy)]
enum FileOp {
    Load,
    Save,
}

/// The result of the last file operation, shown under the toolbar.
struct Notice {
    error: bool,
    text: String,
}

/// The rules panel's own state.
#[derive(Default)]
pub struct RulesPanel {
    notice: Option<Notice>,
    counts: Option<Counts>,
}

/// Sites decided by each rule, for one state of the plan.
struct Counts {
    /// Document revision and number of sites.
    key: (u64, usize),
    rules: RuleSet,
    counts: Vec<usize>,
}

impl RulesPanel {
    /// Draws the panel.
    pub fn ui(&mut self, ui: &mut egui::Ui, cx: &Cx<'_>, out: &mut Vec<Command>) {
        let lang = cx.lang;
        let current = &cx.doc.ws.rules;
        let mut rules = current.clone();
        let mut f = Requests::default();
        let queued = out.len();

        toolbar_ui(ui, lang, !rules.rules.is_empty(), &mut f, out);
        self.notice_ui(ui, lang);
        ui.label(RulesStr::Intro.get(lang));
        ui.label(RichText::new(S::ManualWins.get(lang)).strong());
        summary_ui(ui, cx);
        ui.separator();

        let counts = self.counts(cx);
        if rules.rules.is_empty() {
            ui.weak(S::NoRules.get(lang));
        }
        let n = rules.rules.len();
        let score_default = cx.doc.ws.params.pass_threshold;
        egui::ScrollArea::vertical()
            .id_salt("rules_scroll")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                for (i, rule) in rules.rules.iter_mut().enumerate() {
                    ui.push_id(("rule", i), |ui| {
                        let count = counts.get(i).copied().unwrap_or(0);
                        let card = Card {
                            lang,
                            index: i,
                            rules: n,
                            decides: count,
                            score_default,
                        };
                        rule_card_ui(ui, &card, rule, &mut f);
                    });
                    ui.add_space(6.0);
                }
            });

        if let Some(op) = f.list {
            apply_list_op(&mut rules, op, lang);
            f.change.discrete();
        }
        if rules != *current {
            let group = match f.change {
                Change::Grouped(key) => Some(key),
                Change::None | Change::Discrete => None,
            };
            out.push(Command::SetRules { rules, group });
        }
        if f.ended {
            out.push(Command::EndInteraction);
        }
        match f.file {
            Some(FileOp::Load) => out.push(Command::ChooseFile(FilePurpose::LoadRules)),
            Some(FileOp::Save) => out.push(Command::ChooseFile(FilePurpose::SaveRules)),
            None => {}
        }
        if out.len() > queued {
            // The commands apply after this frame: draw their result.
            ui.ctx().request_repaint();
        }
    }

    /// Sites decided by each rule, recomputed only when the plan moved.
    fn counts(&mut self, cx: &Cx<'_>) -> Vec<usize> {
        // A newly opened document starts its revisions again: the rules and
        // the number of sites tell two documents apart.
        let key = (cx.doc.revision, cx.doc.resolved.sources.len());
        match &self.counts {
            Some(c) if c.key == key && c.rules == cx.doc.ws.rules => c.counts.clone(),
            _ => {
                let counts = cx.doc.resolved.rule_counts(&cx.doc.ws.rules);
                self.counts = Some(Counts {
                    key,
                    rules: cx.doc.ws.rules.clone(),
                    counts: counts.clone(),
                });
                counts
            }
        }
    }

    fn notice_ui(&mut self, ui: &mut egui::Ui, lang: Lang) {
        let Some(notice) = &self.notice else {
            return;
        };
        let mut close = false;
        ui.horizontal_wrapped(|ui| {
            let color = if notice.error {
                ui.visuals().error_fg_color
            } else {
                ui.visuals().text_color()
            };
            ui.colored_label(color, &notice.text);
            close = ui.small_button(S::Close.get(lang)).clicked();
        });
        if close {
            self.notice = None;
        }
    }

    /// Says what loading or saving a rules file gave (the app reads and
    /// writes the file; the panel only shows the outcome).
    pub fn show_notice(&mut self, error: bool, text: String) {
        self.notice = Some(Notice { error, text });
    }
}

/// Add, presets, open and save.
fn toolbar_ui(
    ui: &mut egui::Ui,
    lang: Lang,
    has_rules: bool,
    f: &mut Requests,
    out: &mut Vec<Command>,
) {
    ui.horizontal_wrapped(|ui| {
        if ui
            .button(S::AddRule.get(lang))
            .on_hover_text(RulesStr::NewRuleHint.get(lang))
            .clicked()
        {
            f.list = Some(ListOp::Add);
        }
        ui.menu_button(S::Presets.get(lang), |ui| {
            for (label, text, source) in PRESETS {
                if ui.button(label.get(lang)).clicked() {
                    out.push(Command::LoadRulesText {
                        text: text.to_string(),
                        source: source.to_string(),
                    });
                }
            }
        });
        if ui.button(S::LoadRules.get(lang)).clicked() {
            f.file = Some(FileOp::Load);
        }
        if ui
            .add_enabled(has_rules, egui::Button::new(S::SaveRules.get(lang)))
            .clicked()
        {
            f.file = Some(FileOp::Save);
        }
    });
}

/// How many sites merge, and why.
fn summary_ui(ui: &mut egui::Ui, cx: &Cx<'_>) {
    let lang = cx.lang;
    let colon = lang.pick("：", ": ");
    let (open, sep, close) = (
        lang.pick("（", " ("),
        lang.pick("，", ", "),
        lang.pick("）", ")"),
    );
    ui.label(format!(
        "{}{colon}{}{open}{}{colon}{}{sep}{}{colon}{}{close}",
        RulesStr::MergedTotal.get(lang),
        cx.doc.outcome.merged,
        RulesStr::MergedByRule.get(lang),
        cx.doc.resolved.by_rule_count(),
        RulesStr::ManualCount.get(lang),
        cx.doc.resolved.manual_count(),
    ));
}

fn apply_list_op(rules: &mut RuleSet, op: ListOp, lang: Lang) {
    let list = &mut rules.rules;
    match op {
        ListOp::Add => {
            let mut rule = Rule::new(
                format!("{} {}", RulesStr::NewRuleName.get(lang), list.len() + 1),
                Action::Merge,
            );
            // A rule without conditions merges every site: it starts off.
            rule.enabled = false;
            list.push(rule);
        }
        ListOp::Up(i) if i > 0 && i < list.len() => list.swap(i - 1, i),
        ListOp::Down(i) if i + 1 < list.len() => list.swap(i, i + 1),
        ListOp::Delete(i) if i < list.len() => {
            list.remove(i);
        }
        _ => {}
    }
}

/// One rule: name, action, enabled, what it decides, and its conditions.
/// What a rule's card shows besides the rule.
struct Card {
    lang: Lang,
    /// Position in the list.
    index: usize,
    /// Number of rules.
    rules: usize,
    /// Sites the rule decides.
    decides: usize,
    /// Proposed score when the score condition is switched on.
    score_default: f64,
}

fn rule_card_ui(ui: &mut egui::Ui, card: &Card, rule: &mut Rule, f: &mut Requests) {
    let (lang, i, n, count) = (card.lang, card.index, card.rules, card.decides);
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.horizontal_wrapped(|ui| {
            ui.strong(format!("{}.", i + 1));
            let name_label = ui.label(S::RuleName.get(lang));
            let r = ui
                .add(
                    egui::TextEdit::singleline(&mut rule.name)
                        .desired_width(220.0)
                        .hint_text(RulesStr::NewRuleName.get(lang)),
                )
                .labelled_by(name_label.id);
            if r.changed() {
                f.change.grouped(format!("rule:{i}:name"));
            }
            f.ended |= r.lost_focus();
            ui.separator();
            ui.label(S::RuleAction.get(lang));
            for a in [Action::Merge, Action::Keep] {
                if ui
                    .selectable_value(&mut rule.action, a, a.label(lang))
                    .changed()
                {
                    f.change.discrete();
                }
            }
            ui.separator();
            if ui
                .checkbox(&mut rule.enabled, S::RuleEnabled.get(lang))
                .changed()
            {
                f.change.discrete();
            }
        });
        ui.horizontal_wrapped(|ui| {
            let colon = lang.pick("：", ": ");
            ui.label(format!("{}{colon}{count}", S::RuleDecides.get(lang)));
            if !rule.enabled {
                ui.weak(format!("({})", RulesStr::Disabled.get(lang)));
            }
            ui.separator();
            if ui
                .add_enabled(i > 0, egui::Button::new(S::MoveUp.get(lang)).small())
                .clicked()
            {
                f.list = Some(ListOp::Up(i));
            }
            if ui
                .add_enabled(i + 1 < n, egui::Button::new(S::MoveDown.get(lang)).small())
                .clicked()
            {
                f.list = Some(ListOp::Down(i));
            }
            if ui.small_button(S::Delete.get(lang)).clicked() {
                f.list = Some(ListOp::Delete(i));
            }
        });
        ui.label(
            RichText::new(format!(
                "{}{}{}",
                rule.action.label(lang),
                lang.pick("：", ": "),
                rule.describe(lang)
            ))
            .italics(),
        );
        warnings_ui(ui, lang, rule);
        ui.weak(RulesStr::Conditions.get(lang));
        egui::Grid::new("conditions")
            .num_columns(2)
            .spacing([12.0, 4.0])
            .show(ui, |ui| {
                conditions_ui(ui, lang, i, rule, card.score_default, f)
            });
    });
}

fn warnings_ui(ui: &mut egui::Ui, lang: Lang, rule: &Rule) {
    let warn = ui.visuals().warn_fg_color;
    let empty_list = rule.levels.as_ref().is_some_and(Vec::is_empty)
        || rule.kinds.as_ref().is_some_and(Vec::is_empty);
    if empty_list {
        ui.colored_label(warn, RulesStr::MatchesNothing.get(lang));
    } else if rule.enabled && rule.action == Action::Merge && has_no_conditions(rule) {
        ui.colored_label(warn, RulesStr::MergesEverySite.get(lang));
    }
}

fn has_no_conditions(rule: &Rule) -> bool {
    rule.levels.is_none()
        && rule.kinds.is_none()
        && rule.budget_below.is_none()
        && rule.score_below.is_none()
        && rule.failed_inspection.is_none()
        && rule.visits_below.is_none()
        && rule.reprint_hours_above.is_none()
        && rule.failed_rounds.is_none()
}

/// A numeric condition's widget settings.
struct NumSpec {
    label: S,
    field: &'static str,
    default: f64,
    speed: f64,
    max: f64,
    decimals: usize,
}

fn conditions_ui(
    ui: &mut egui::Ui,
    lang: Lang,
    i: usize,
    rule: &mut Rule,
    score_default: f64,
    f: &mut Requests,
) {
    // Levels: a box to use the condition, then one box per level.
    let _ = toggle_ui(
        ui,
        lang,
        S::Levels,
        &mut rule.levels,
        || vec![Level::Township],
        f,
    );
    match rule.levels.as_mut() {
        Some(levels) => {
            ui.horizontal_wrapped(|ui| {
                for level in Level::ALL {
                    let mut has = levels.contains(&level);
                    if ui.checkbox(&mut has, level.label(lang)).changed() {
                        let before = std::mem::take(levels);
                        *levels = Level::ALL
                            .into_iter()
                            .filter(|l| if *l == level { has } else { before.contains(l) })
                            .collect();
                        f.change.discrete();
                    }
                }
            });
        }
        None => any_ui(ui, lang),
    }
    ui.end_row();

    let _ = toggle_ui(
        ui,
        lang,
        S::Kinds,
        &mut rule.kinds,
        || vec![Kind::Department],
        f,
    );
    match rule.kinds.as_mut() {
        Some(kinds) => {
            ui.horizontal_wrapped(|ui| {
                for kind in Kind::ALL {
                    let mut has = kinds.contains(&kind);
                    if ui.checkbox(&mut has, kind.label(lang)).changed() {
                        let before = std::mem::take(kinds);
                        *kinds = Kind::ALL
                            .into_iter()
                            .filter(|k| if *k == kind { has } else { before.contains(k) })
                            .collect();
                        f.change.discrete();
                    }
                }
            });
        }
        None => any_ui(ui, lang),
    }
    ui.end_row();

    let budget = NumSpec {
        label: S::BudgetBelow,
        field: "budget_below",
        default: 20_000.0,
        speed: 100.0,
        max: f64::MAX,
        decimals: 2,
    };
    let score = NumSpec {
        label: S::ScoreBelow,
        field: "score_below",
        default: score_default,
        speed: 0.2,
        max: 100.0,
        decimals: 1,
    };
    number_ui(ui, lang, i, &mut rule.budget_below, &budget, f);
    ui.end_row();
    number_ui(ui, lang, i, &mut rule.score_below, &score, f);
    ui.end_row();

    // Inspection: any / failing / passing.
    ui.label(S::FailedInspection.get(lang));
    ui.horizontal(|ui| {
        for (value, text) in [
            (None, S::Any),
            (Some(true), S::Failing),
            (Some(false), S::Passing),
        ] {
            if ui
                .radio_value(&mut rule.failed_inspection, value, text.get(lang))
                .changed()
            {
                f.change.discrete();
            }
        }
    });
    ui.end_row();

    let visits = NumSpec {
        label: S::VisitsBelow,
        field: "visits_below",
        default: 1000.0,
        speed: 10.0,
        max: f64::MAX,
        decimals: 0,
    };
    number_ui(ui, lang, i, &mut rule.visits_below, &visits, f);
    ui.end_row();
    let reprint = NumSpec {
        label: S::ReprintAbove,
        field: "reprint_hours_above",
        default: 24.0,
        speed: 0.5,
        max: 1e6,
        decimals: 1,
    };
    number_ui(ui, lang, i, &mut rule.reprint_hours_above, &reprint, f);
    ui.end_row();

    // Failed k of the last n inspection rounds (MODEL.md §9).
    let on = toggle_ui(
        ui,
        lang,
        S::FailedRounds,
        &mut rule.failed_rounds,
        || [2, 4],
        f,
    );
    match rule.failed_rounds.as_mut() {
        Some([k, n]) => {
            ui.horizontal(|ui| {
                let rk = ui
                    .add(DragValue::new(k).range(1..=64).speed(0.05))
                    .labelled_by(on)
                    .on_hover_text(S::RoundsK.get(lang));
                ui.label(lang.pick("/", "of the last"));
                let rn = ui
                    .add(DragValue::new(n).range(1..=64).speed(0.05))
                    .on_hover_text(S::RoundsN.get(lang))
                    .labelled_by(on);
                ui.weak(lang.pick("（最近 n 轮中至少 k 轮不合格）", "rounds"));
                if rk.changed() || rn.changed() {
                    // k never above n.
                    if rk.changed() {
                        *n = (*n).max(*k);
                    } else {
                        *k = (*k).min(*n);
                    }
                    f.change.grouped(format!("rule:{i}:failed_rounds"));
                }
                f.ended |=
                    rk.drag_stopped() || rk.lost_focus() || rn.drag_stopped() || rn.lost_focus();
            });
        }
        None => any_ui(ui, lang),
    }
    ui.end_row();
}

/// The box that turns an optional condition on (with `default`) or off.
/// Returns the box's id, to label the value with.
fn toggle_ui<T>(
    ui: &mut egui::Ui,
    lang: Lang,
    label: S,
    value: &mut Option<T>,
    default: impl FnOnce() -> T,
    f: &mut Requests,
) -> egui::Id {
    let mut on = value.is_some();
    let r = ui.checkbox(&mut on, label.get(lang));
    if r.changed() {
        *value = if on { Some(default()) } else { None };
        f.change.discrete();
    }
    r.id
}

/// "any", shown where a condition is off.
fn any_ui(ui: &mut egui::Ui, lang: Lang) {
    ui.weak(S::Any.get(lang));
}

/// A numeric condition: its box and, when on, its value.
fn number_ui(
    ui: &mut egui::Ui,
    lang: Lang,
    i: usize,
    value: &mut Option<f64>,
    spec: &NumSpec,
    f: &mut Requests,
) {
    let on = toggle_ui(ui, lang, spec.label, value, || spec.default, f);
    match value.as_mut() {
        Some(v) => {
            let r = ui
                .add(
                    DragValue::new(v)
                        .range(0.0..=spec.max)
                        .speed(spec.speed)
                        .max_decimals(spec.decimals)
                        .custom_parser(parse_amount),
                )
                .labelled_by(on);
            if r.changed() {
                f.change.grouped(format!("rule:{i}:{}", spec.field));
            }
            f.ended |= r.drag_stopped() || r.lost_focus();
        }
        None => any_ui(ui, lang),
    }
}
