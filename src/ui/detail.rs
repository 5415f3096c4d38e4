//! The site detail: every field of the focused site, its ancestors, its
//! decision and where it folds to, its children, and what the other
//! decision would change — shown before the planner clicks.

use crate::i18n::Lang;
use crate::inventory::{Kind, Site};
use crate::money::Money;
use crate::outcome::Evaluator;
use crate::plan::{Decision, Source};

use super::cards::money;
use super::command::{Command, Decide, SelectMode};
use super::context::Cx;
use super::document::Document;
use super::strings::{DetailStr, S};
use super::tree::DocKey;

const RED: egui::Color32 = egui::Color32::from_rgb(0xc0, 0x39, 0x2b);
const GREEN: egui::Color32 = egui::Color32::from_rgb(0x1b, 0x8a, 0x5a);
/// Children listed by name before "more".
const CHILDREN_LISTED: usize = 8;

pub use crate::outcome::WhatIf;

/// The decision the what-if tries for `site` in the document.
pub fn alternative(doc: &Document, site: usize) -> Option<Decision> {
    crate::outcome::alternative(doc.inventory(), &doc.resolved.decisions, site)
}

/// Money with its sign, in the planner's unit: "+1.2 万元", "-¥12,000".
pub fn signed_money(v: Money, lang: Lang) -> String {
    let shown = money(if v.is_negative() { -v } else { v }, lang);
    let zero = money(Money::ZERO, lang);
    let sign = if shown == zero {
        ""
    } else if v.is_negative() {
        "-"
    } else {
        "+"
    };
    format!("{sign}{shown}")
}

/// Percentage points with their sign: "+0.13 个百分点", "-0.13 pp".
pub fn signed_pp(v: Option<f64>, lang: Lang) -> String {
    match v {
        Some(x) => format!("{x:+.2} {}", DetailStr::PercentPoints.get(lang)),
        None => "—".to_string(),
    }
}

/// The detail panel's own state.
#[derive(Default)]
pub struct DetailPanel {
    evaluator: Evaluator,
    what_if: Option<(DocKey, WhatIf)>,
    /// The note being typed: the site, the document revision it was
    /// started on, and the text.
    note: Option<(usize, u64, String)>,
    /// The focused site's statuses, audit entries and rounds, gathered
    /// once per change of the document rather than every frame.
    trail: Option<SiteTrail>,
}

/// A site's history: what the detail shows of the status changes, the
/// audit trail and the inspection rounds.
struct SiteTrail {
    /// Revision, site, and the lengths of the statuses and the audit trail
    /// (entries are added without a new revision).
    key: (u64, usize, usize, usize),
    /// Status changes, oldest first (by date).
    statuses: Vec<crate::execution::StatusChange>,
    /// Audit entries about the site.
    audit_total: usize,
    /// The newest of them, newest first.
    audit: Vec<crate::execution::AuditEntry>,
    /// Each round, newest first: its quarter, indicator names and the
    /// site's result.
    rounds: Vec<(
        crate::timeline::Quarter,
        Vec<String>,
        Option<crate::rounds::RoundResult>,
    )>,
}

impl DetailPanel {
    /// The what-if of `site` for the current document, computed once per
    /// revision and site (one O(n) evaluation).
    pub fn what_if(&mut self, doc: &Document, site: usize) -> Option<&WhatIf> {
        let key = DocKey::of(doc);
        let fresh = self
            .what_if
            .as_ref()
            .is_some_and(|(k, w)| *k == key && w.site == site);
        if !fresh {
            self.what_if = None;
            let w = crate::outcome::what_if(
                doc.inventory(),
                &doc.model,
                &doc.resolved.decisions,
                &doc.outcome,
                site,
                &mut self.evaluator,
            )?;
            self.what_if = Some((key, w));
        }
        self.what_if.as_ref().map(|(_, w)| w)
    }

    /// The history of `site` for the current document.
    fn trail(&mut self, doc: &Document, site: usize) -> &SiteTrail {
        let ex = &doc.ws.execution;
        let key = (doc.revision, site, ex.statuses.len(), ex.audit.len());
        if self.trail.as_ref().is_none_or(|t| t.key != key) {
            let id = &doc.inventory().site(site).id;
            let mine = crate::execution::audit::of_site(&ex.audit, id);
            self.trail = Some(SiteTrail {
                key,
                statuses: crate::execution::tracking::history(&ex.statuses, id)
                    .into_iter()
                    .cloned()
                    .collect(),
                audit_total: mine.len(),
                audit: mine
                    .into_iter()
                    .rev()
                    .take(SITE_AUDIT_LISTED)
                    .cloned()
                    .collect(),
                rounds: doc
                    .ws
                    .rounds
                    .history(id)
                    .into_iter()
                    .rev()
                    .map(|(r, res)| (r.quarter, r.indicators.clone(), res.cloned()))
                    .collect(),
            });
        }
        self.trail.as_ref().expect("just made")
    }

    /// Draws the panel.
    pub fn ui(&mut self, ui: &mut egui::Ui, cx: &Cx<'_>, out: &mut Vec<Command>) {
        let lang = cx.lang;
        let doc = cx.doc;
        ui.heading(S::SiteDetail.get(lang));
        let Some(site) = cx.selection.focus else {
            ui.weak(S::NoSelection.get(lang));
            return;
        };
        if site >= doc.inventory().len() {
            ui.weak(DetailStr::NoSuchSite.get(lang));
            return;
        }
        let s = doc.inventory().site(site);
        ui.label(egui::RichText::new(s.name.as_str()).size(17.0).strong());
        ui.weak(format!(
            "{} · {} · {}",
            s.id,
            s.level.label(lang),
            s.kind.label(lang)
        ));
        ancestors_ui(ui, cx, site, out);
        ui.separator();
        decision_ui(ui, cx, site, out);
        self.note_ui(ui, cx, site, out);
        buttons_ui(ui, cx, site, out);
        ui.separator();
        self.what_if_ui(ui, cx, site);
        ui.separator();
        children_ui(ui, cx, site, out);
        ui.separator();
        egui::CollapsingHeader::new(DetailStr::Fields.get(lang))
            .id_salt("detail_fields")
            .default_open(true)
            .show(ui, |ui| fields_ui(ui, cx, site, s));
        if !doc.ws.rounds.is_empty() {
            ui.separator();
            let trail = self.trail(doc, site);
            rounds_ui(ui, cx, site, trail);
        }
        ui.separator();
        let trail = self.trail(doc, site);
        closure_ui(ui, cx, site, trail);
    }

    /// The planner's note on the decision (why this site merges): saved
    /// when the field is left, as one undo step; shown in the exports.
    fn note_ui(&mut self, ui: &mut egui::Ui, cx: &Cx<'_>, site: usize, out: &mut Vec<Command>) {
        let lang = cx.lang;
        let saved = cx.doc.ws.notes.get(&site).cloned().unwrap_or_default();
        let fresh = matches!(&self.note, Some((s, _, _)) if *s == site);
        if !fresh {
            self.note = Some((site, cx.doc.revision, saved.clone()));
        }
        let Some((_, started, text)) = &mut self.note else {
            return;
        };
        // An undo or another window's edit changed the note: show it.
        let id = egui::Id::unique(("detail_note", site));
        if *started != cx.doc.revision && !ui.memory(|m| m.has_focus(id)) {
            *text = saved.clone();
            *started = cx.doc.revision;
        }
        let label = ui.label(DetailStr::Note.get(lang));
        let edit = ui
            .add(
                egui::TextEdit::multiline(text)
                    .id(id)
                    .desired_rows(2)
                    .desired_width(f32::INFINITY)
                    .hint_text(DetailStr::NoteHint.get(lang)),
            )
            .labelled_by(label.id);
        if edit.lost_focus() && *text != saved {
            out.push(Command::SetNote {
                site,
                note: text.clone(),
            });
        }
    }

    fn what_if_ui(&mut self, ui: &mut egui::Ui, cx: &Cx<'_>, site: usize) {
        let lang = cx.lang;
        let doc = cx.doc;
        ui.strong(S::WhatIf.get(lang));
        let Some(w) = self.what_if(doc, site).cloned() else {
            ui.weak(S::TopSiteAlwaysKept.get(lang));
            return;
        };
        ui.label(if w.alternative.is_merge() {
            DetailStr::AltMerge.get(lang)
        } else {
            DetailStr::AltKeep.get(lang)
        });
        let inv = doc.inventory();
        egui::Grid::new("detail_what_if")
            .num_columns(2)
            .striped(true)
            .show(ui, |ui| {
                ui.label(S::DeltaCost.get(lang));
                let color = if w.delta_cost.to_yuan().is_positive() {
                    RED
                } else {
                    GREEN
                };
                ui.colored_label(
                    color,
                    format!(
                        "{}{}",
                        signed_money(w.delta_cost, lang),
                        DetailStr::PerYear.get(lang)
                    ),
                );
                ui.end_row();

                ui.label(DetailStr::DeltaOneTime.get(lang));
                ui.label(signed_money(w.delta_one_time, lang));
                ui.end_row();

                ui.label(S::DeltaCoverage.get(lang));
                let text = signed_pp(w.delta_coverage_pp, lang);
                match w.delta_coverage_pp {
                    Some(d) if d < -1e-9 => ui.colored_label(RED, text),
                    Some(d) if d > 1e-9 => ui.colored_label(GREEN, text),
                    _ => ui.label(text),
                };
                ui.end_row();

                if let Some(r) = w.receiver.filter(|&r| r < inv.len()) {
                    ui.label(S::DeltaLoad.get(lang));
                    let cap = doc
                        .model
                        .params
                        .max_absorbed_per_target
                        .map_or_else(|| S::NoLimit.get(lang).to_string(), |c| c.to_string());
                    let mut text = format!(
                        "{}: {} → {} {} ({} {cap})",
                        inv.site(r).name,
                        w.load_now,
                        w.load_after,
                        DetailStr::SitesUnit.get(lang),
                        DetailStr::Capacity.get(lang)
                    );
                    if w.over_capacity {
                        text.push_str(&format!(" · {}", DetailStr::OverCapacity.get(lang)));
                        ui.colored_label(RED, text);
                    } else {
                        ui.label(text);
                    }
                    ui.end_row();
                }
                if w.absorbs_after > 0 {
                    ui.label(DetailStr::WouldAbsorb.get(lang));
                    ui.label(format!(
                        "{} {}",
                        w.absorbs_after,
                        DetailStr::SitesUnit.get(lang)
                    ));
                    ui.end_row();
                }
            });
        ui.weak(DetailStr::WhatIfHint.get(lang));
    }
}

fn ancestors_ui(ui: &mut egui::Ui, cx: &Cx<'_>, site: usize, out: &mut Vec<Command>) {
    let lang = cx.lang;
    let inv = cx.doc.inventory();
    let mut chain: Vec<usize> = inv.ancestors(site).collect();
    if chain.is_empty() {
        return;
    }
    chain.reverse();
    ui.horizontal_wrapped(|ui| {
        ui.label(format!("{}:", S::Ancestors.get(lang)));
        for (k, &a) in chain.iter().enumerate() {
            if k > 0 {
                ui.weak("›");
            }
            if ui
                .link(inv.site(a).name.as_str())
                .on_hover_text(inv.site(a).level.label(lang))
                .clicked()
            {
                out.push(Command::Select {
                    site: a,
                    mode: SelectMode::Replace,
                });
            }
        }
    });
}

fn decision_ui(ui: &mut egui::Ui, cx: &Cx<'_>, site: usize, out: &mut Vec<Command>) {
    let lang = cx.lang;
    let doc = cx.doc;
    let inv = doc.inventory();
    let top = inv.parent(site).is_none();
    let decision = doc
        .resolved
        .decisions
        .get(site)
        .copied()
        .unwrap_or(Decision::Keep);
    let merged = decision.is_merge() && !top;
    let source = doc
        .resolved
        .sources
        .get(site)
        .copied()
        .unwrap_or(Source::Default);
    egui::Grid::new("detail_decision")
        .num_columns(2)
        .show(ui, |ui| {
            ui.label(DetailStr::Decision.get(lang));
            let d = if merged {
                Decision::Merge { target: None }
            } else {
                Decision::Keep
            };
            ui.strong(d.label(lang));
            ui.end_row();

            ui.label(S::FoldsTo.get(lang));
            let serving = doc.outcome.serving.get(site).map(|&t| t as usize);
            match serving.filter(|&t| t != site && t < inv.len()) {
                Some(t) => {
                    let link = ui.link(format!("{} ({})", inv.site(t).name, inv.site(t).id));
                    if link.clicked() {
                        out.push(Command::Select {
                            site: t,
                            mode: SelectMode::Replace,
                        });
                    }
                }
                None => {
                    ui.label(DetailStr::ServesItself.get(lang));
                }
            }
            ui.end_row();

            ui.label(DetailStr::Reason.get(lang));
            ui.label(source.label(&doc.ws.rules, lang));
            ui.end_row();

            if let Some(t) = doc.outcome.targets.iter().find(|t| t.site == site) {
                ui.label(DetailStr::Absorbs.get(lang));
                let text = format!("{} {}", t.absorbed_sites, DetailStr::SitesUnit.get(lang));
                if t.over_capacity {
                    ui.colored_label(
                        RED,
                        format!("{text} · {}", DetailStr::OverCapacity.get(lang)),
                    );
                } else {
                    ui.label(text);
                }
                ui.end_row();
            }
        });
}

fn buttons_ui(ui: &mut egui::Ui, cx: &Cx<'_>, site: usize, out: &mut Vec<Command>) {
    let lang = cx.lang;
    let doc = cx.doc;
    let inv = doc.inventory();
    let parent = inv.parent(site);
    let manual = doc.ws.manual.get(site).copied().flatten();
    let decide = |out: &mut Vec<Command>, how: Decide| {
        out.push(Command::Decide {
            sites: vec![site],
            how,
        });
    };
    ui.horizontal_wrapped(|ui| {
        if ui
            .add_enabled(
                manual != Some(Decision::Keep),
                egui::Button::new(DetailStr::DoKeep.get(lang)),
            )
            .clicked()
        {
            decide(out, Decide::Keep);
        }
        if let Some(p) = parent {
            let to_parent = Some(Decision::merge_into(Some(p)));
            if ui
                .add_enabled(
                    manual != to_parent,
                    egui::Button::new(DetailStr::DoMergeParent.get(lang)),
                )
                .on_hover_text(inv.site(p).name.as_str())
                .clicked()
            {
                decide(out, Decide::MergeIntoParent);
            }
            let nearest = Some(Decision::Merge { target: None });
            if ui
                .add_enabled(
                    manual != nearest,
                    egui::Button::new(DetailStr::DoMergeNearest.get(lang)),
                )
                .clicked()
            {
                decide(out, Decide::MergeNearest);
            }
        }
        if ui
            .add_enabled(
                manual.is_some(),
                egui::Button::new(DetailStr::DoClear.get(lang)),
            )
            .clicked()
        {
            decide(out, Decide::Clear);
        }
    });
    if parent.is_none() {
        ui.weak(S::TopSiteAlwaysKept.get(lang));
    }
}

fn children_ui(ui: &mut egui::Ui, cx: &Cx<'_>, site: usize, out: &mut Vec<Command>) {
    let lang = cx.lang;
    let inv = cx.doc.inventory();
    let children = inv.children(site);
    if children.is_empty() {
        ui.weak(DetailStr::NoChildren.get(lang));
        return;
    }
    let depts = children
        .iter()
        .filter(|&&c| inv.site(c as usize).kind == Kind::Department)
        .count();
    ui.strong(format!(
        "{}: {} ({} {} · {} {})",
        S::Children.get(lang),
        children.len(),
        children.len() - depts,
        Kind::Portal.label(lang),
        depts,
        Kind::Department.label(lang)
    ));
    ui.horizontal_wrapped(|ui| {
        for &c in children.iter().take(CHILDREN_LISTED) {
            let c = c as usize;
            if ui.link(inv.site(c).name.as_str()).clicked() {
                out.push(Command::Select {
                    site: c,
                    mode: SelectMode::Replace,
                });
            }
        }
        if children.len() > CHILDREN_LISTED {
            ui.weak(format!(
                "{} {}",
                DetailStr::MoreChildren.get(lang),
                children.len() - CHILDREN_LISTED
            ));
        }
    });
    if ui.small_button(DetailStr::ShowSubtree.get(lang)).clicked() {
        out.push(Command::FilterSubtree(Some(site)));
    }
}

fn fields_ui(ui: &mut egui::Ui, cx: &Cx<'_>, site: usize, s: &Site) {
    let lang = cx.lang;
    let doc = cx.doc;
    let inv = doc.inventory();
    let none = || DetailStr::NotGiven.get(lang).to_string();
    let text = |v: &str| {
        if v.trim().is_empty() {
            none()
        } else {
            v.to_string()
        }
    };
    let number = |v: f64| {
        if v.fract() == 0.0 {
            crate::outcome::count(v)
        } else {
            format!("{v:.1}")
        }
    };
    let parent = match s.parent_index() {
        Some(p) if p < inv.len() => format!("{} ({})", inv.site(p).name, inv.site(p).id),
        _ if !s.parent_id.trim().is_empty() => {
            format!("{} — {}", s.parent_id, DetailStr::ParentNotFound.get(lang))
        }
        _ => DetailStr::TopSite.get(lang).to_string(),
    };
    let passes = doc.model.passes.get(site).copied().unwrap_or(false);
    let basis = match (s.inspection_passed, s.inspection_score) {
        (Some(_), _) => DetailStr::BasisResult.get(lang).to_string(),
        (None, Some(_)) => format!(
            "{} ({})",
            DetailStr::BasisScore.get(lang),
            doc.model.params.pass_threshold
        ),
        (None, None) => DetailStr::BasisNone.get(lang).to_string(),
    };
    let pass_fail = |p: bool| {
        if p {
            DetailStr::Pass.get(lang)
        } else {
            DetailStr::Fail.get(lang)
        }
    };
    // A value missing in the file is said to be, not shown as 0.
    use crate::inventory::Column;
    let known = |c: Column, text: String| {
        if s.missing.has(c) {
            format!(
                "{} {}",
                super::strings::TableStr::Missing.get(lang),
                lang.pick("（按 0 计）", "(counted as 0)")
            )
        } else {
            text
        }
    };
    let rows: [(DetailStr, String); 18] = [
        (DetailStr::FieldId, s.id.to_string()),
        (DetailStr::FieldName, s.name.to_string()),
        (DetailStr::FieldUrl, text(&s.url)),
        (DetailStr::FieldLevel, s.level.label(lang).to_string()),
        (DetailStr::FieldKind, s.kind.label(lang).to_string()),
        (DetailStr::FieldParent, parent),
        (DetailStr::FieldRegion, text(&s.region)),
        (
            DetailStr::FieldBudget,
            known(
                Column::AnnualBudget,
                format!("{} {}", s.budget.grouped(), lang.pick("元", "yuan")),
            ),
        ),
        (
            DetailStr::FieldStaff,
            known(Column::Staff, crate::money::staff_text(s.staff)),
        ),
        (
            DetailStr::FieldPopulation,
            known(
                Column::Population,
                crate::outcome::count(s.population as f64),
            ),
        ),
        (
            DetailStr::FieldOwnPopulation,
            known(
                Column::Population,
                crate::outcome::count(doc.model.own_pop.get(site).copied().unwrap_or(0) as f64),
            ),
        ),
        (
            DetailStr::FieldVisits,
            s.monthly_visits
                .map_or_else(none, |v| crate::outcome::count(v as f64)),
        ),
        (
            DetailStr::FieldServices,
            known(Column::OnlineServices, s.online_services.to_string()),
        ),
        (
            DetailStr::FieldScore,
            s.inspection_score.map_or_else(none, |v| format!("{v:.1}")),
        ),
        (
            DetailStr::FieldInspection,
            s.inspection_passed
                .map_or_else(none, |p| pass_fail(p).to_string()),
        ),
        (
            DetailStr::FieldPasses,
            format!("{} · {basis}", pass_fail(passes)),
        ),
        (
            DetailStr::FieldReprint,
            s.reprint_hours.map_or_else(none, number),
        ),
        (
            DetailStr::FieldLine,
            if s.line == 0 {
                DetailStr::NotFromFile.get(lang).to_string()
            } else {
                s.line.to_string()
            },
        ),
    ];
    egui::Grid::new("detail_fields_grid")
        .num_columns(2)
        .striped(true)
        .show(ui, |ui| {
            for (label, value) in rows {
                ui.weak(label.get(lang));
                if label == DetailStr::FieldPasses && !passes {
                    ui.colored_label(RED, value);
                } else {
                    ui.label(value);
                }
                ui.end_row();
            }
        });
}

/// Most audit entries listed for one site (the newest).
const SITE_AUDIT_LISTED: usize = 50;

/// The site's closure: its quarter, its status and the changes that led
/// there, and its history in the audit trail (who decided what, when, why).
fn closure_ui(ui: &mut egui::Ui, cx: &Cx<'_>, site: usize, trail: &SiteTrail) {
    use super::strings::TimelineStr as T;
    let lang = cx.lang;
    let ws = &cx.doc.ws;
    let ex = &ws.execution;
    let merged = crate::outcome::is_merged(cx.doc.inventory(), &cx.doc.resolved.decisions, site);
    egui::CollapsingHeader::new(lang.pick("关停与历史", "Closure and history"))
        .id_salt("detail_closure")
        .default_open(true)
        .show(ui, |ui| {
            if merged {
                let q = ws.schedule.get(site).copied().flatten();
                ui.label(format!(
                    "{}: {}",
                    T::Quarter.get(lang),
                    q.map_or_else(|| T::Unscheduled.get(lang).to_string(), |q| q.to_string())
                ));
                let history = &trail.statuses;
                match history.last() {
                    Some(c) => ui.label(format!(
                        "{}: {} ({})",
                        lang.pick("当前进度", "Status"),
                        ex.workflow.label(&c.status, lang),
                        c.date
                    )),
                    None => ui.weak(lang.pick("尚未记录进度", "No status recorded yet")),
                };
                for c in history.iter().rev() {
                    let note = if c.note.is_empty() {
                        String::new()
                    } else {
                        format!(" · {}", c.note)
                    };
                    ui.small(format!(
                        "{} {} · {}{note}",
                        c.date,
                        ex.workflow.label(&c.status, lang),
                        c.person
                    ));
                }
                ui.add_space(4.0);
            }
            ui.strong(format!("{} ({})", T::AuditTab.get(lang), trail.audit_total));
            if trail.audit.is_empty() {
                ui.weak(T::NoEntries.get(lang));
            }
            for e in &trail.audit {
                let shown =
                    |v: &str| crate::execution::audit::shown_value(e.action, v, lang).into_owned();
                let change = match (e.before.is_empty(), e.after.is_empty()) {
                    (true, true) => String::new(),
                    (true, false) => shown(&e.after),
                    (false, true) => format!("{} → —", shown(&e.before)),
                    (false, false) => format!("{} → {}", shown(&e.before), shown(&e.after)),
                };
                let reason = if e.reason.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", e.reason)
                };
                ui.small(format!(
                    "{} · {} · {}: {change}{reason}",
                    e.time.replace('T', " ").replace('Z', ""),
                    e.person,
                    e.action.label(lang)
                ));
            }
        });
}

/// The site's result in every inspection round loaded (MODEL.md §9):
/// score, pass or fail, and the round's indicators.
fn rounds_ui(ui: &mut egui::Ui, cx: &Cx<'_>, site: usize, trail: &SiteTrail) {
    let lang = cx.lang;
    let ws = &cx.doc.ws;
    let threshold = ws.params.pass_threshold;
    egui::CollapsingHeader::new(lang.pick("各轮检查", "Inspection rounds"))
        .id_salt("detail_rounds")
        .default_open(true)
        .show(ui, |ui| {
            egui::Grid::new("detail_rounds_grid")
                .striped(true)
                .spacing([10.0, 2.0])
                .show(ui, |ui| {
                    ui.strong(lang.pick("轮次", "Round"));
                    ui.strong(lang.pick("得分", "Score"));
                    ui.strong(lang.pick("结果", "Result"));
                    ui.strong(lang.pick("指标", "Indicators"));
                    ui.end_row();
                    for (quarter, indicators, result) in &trail.rounds {
                        ui.label(quarter.to_string());
                        match result {
                            Some(r) => {
                                ui.label(
                                    r.score
                                        .map_or_else(|| "—".into(), crate::inventory::fmt_number),
                                );
                                if r.passes(threshold) {
                                    ui.label(lang.pick("合格", "pass"));
                                } else {
                                    ui.colored_label(
                                        ui.visuals().error_fg_color,
                                        lang.pick("不合格", "fail"),
                                    );
                                }
                                let shown: Vec<String> = indicators
                                    .iter()
                                    .zip(&r.indicators)
                                    .filter(|(_, v)| !v.is_empty())
                                    .map(|(k, v)| format!("{k}: {v}"))
                                    .collect();
                                ui.small(shown.join("; "));
                            }
                            None => {
                                ui.weak(lang.pick("未检查", "not inspected"));
                                ui.label("");
                                ui.label("");
                            }
                        }
                        ui.end_row();
                    }
                });
            if !ws.rounds.overrides(site) {
                ui.weak(lang.pick(
                    "未出现在任何一轮：沿用清单中的检查结果",
                    "In no round: the inventory's inspection fields stand",
                ));
            }
        });
}
