//! The model's parameters: each with its label, unit and meaning, edited by
//! dragging or typing. A whole drag, or a whole entry, is one undo step.

use egui::DragValue;

use crate::i18n::Lang;
use crate::inventory::values::parse_number;
use crate::plan::{ParamKey, Params};

use super::command::Command;
use super::context::Cx;
use super::strings::{ParamsStr, S};

/// Capacity proposed when the planner switches the limit on.
const DEFAULT_CAPACITY: u64 = 20;

/// The parameters panel. Holds no state of its own: the values live in the
/// document and every edit goes through a [`Command`].
#[derive(Default)]
pub struct ParamsPanel {}

/// What one widget did this frame.
#[derive(Default)]
struct Edited {
    /// The value changed as part of a drag or an entry (grouped).
    grouped: bool,
    /// The value changed by one click (its own undo step).
    discrete: bool,
    /// The drag ended or the field was left.
    ended: bool,
}

impl ParamsPanel {
    /// Draws the panel.
    pub fn ui(&mut self, ui: &mut egui::Ui, cx: &Cx<'_>, out: &mut Vec<Command>) {
        let lang = cx.lang;
        let current = &cx.doc.ws.params;
        let defaults = Params::default();
        let mut params = current.clone();
        let mut group: Option<String> = None;
        let mut discrete = false;
        let mut ended = false;
        let queued = out.len();

        ui.label(ParamsStr::Intro.get(lang));
        ui.add_space(6.0);
        egui::Grid::new("params_grid")
            .num_columns(4)
            .striped(true)
            .spacing([14.0, 8.0])
            .show(ui, |ui| {
                ui.strong(ParamsStr::Parameter.get(lang));
                ui.strong(ParamsStr::Value.get(lang));
                ui.strong(ParamsStr::Unit.get(lang));
                ui.strong(ParamsStr::Default.get(lang));
                ui.end_row();
                for key in ParamKey::ALL {
                    let help = key.help(lang);
                    let label = ui.label(key.label(lang)).on_hover_text(help);
                    let edited = value_ui(ui, lang, key, &mut params, label.id);
                    if edited.grouped {
                        group = Some(format!("param:{}", key.key()));
                    }
                    discrete |= edited.discrete;
                    ended |= edited.ended;
                    ui.label(key.unit(lang)).on_hover_text(help);
                    default_ui(ui, lang, key, current, &defaults);
                    ui.end_row();
                }
            });
        ui.add_space(10.0);
        let reset = ui.add_enabled(
            *current != defaults,
            egui::Button::new(S::ResetDefaults.get(lang)),
        );
        if reset.clicked() {
            params = defaults;
            discrete = true;
        }

        if params != *current {
            out.push(Command::SetParams {
                params,
                group: if discrete { None } else { group },
            });
        }
        if ended {
            out.push(Command::EndInteraction);
        }
        if out.len() > queued {
            // The commands apply after this frame: draw their result.
            ui.ctx().request_repaint();
        }
    }
}

/// The value of one parameter: a drag value within its range (and the
/// "no limit" box for the capacity).
fn value_ui(
    ui: &mut egui::Ui,
    lang: Lang,
    key: ParamKey,
    params: &mut Params,
    label: egui::Id,
) -> Edited {
    let help = key.help(lang);
    let mut edited = Edited::default();
    ui.horizontal(|ui| {
        if key == ParamKey::MaxAbsorbedPerTarget {
            let mut unlimited = params.max_absorbed_per_target.is_none();
            let r = ui
                .checkbox(&mut unlimited, S::NoLimit.get(lang))
                .on_hover_text(ParamsStr::NoLimitHelp.get(lang));
            if r.changed() {
                params.max_absorbed_per_target = if unlimited {
                    None
                } else {
                    Some(DEFAULT_CAPACITY)
                };
                edited.discrete = true;
            }
            if let Some(cap) = params.max_absorbed_per_target.as_mut() {
                let r = ui
                    .add(DragValue::new(cap).speed(0.1).range(0..=1_000_000u64))
                    .labelled_by(label)
                    .on_hover_text(help);
                edited.grouped |= r.changed();
                edited.ended |= r.drag_stopped() || r.lost_focus();
            }
            return;
        }
        let Some(mut v) = key.get(params) else {
            return;
        };
        let (lo, hi) = key.range();
        let dv = DragValue::new(&mut v).range(lo..=hi);
        let dv = match key {
            ParamKey::AbsorbRate | ParamKey::ServiceMigrationRate => dv
                .speed(0.002)
                .max_decimals(3)
                .custom_parser(parse_fraction),
            ParamKey::PassThreshold => dv.speed(0.2).max_decimals(1),
            _ => dv.speed(50.0).max_decimals(2).custom_parser(parse_amount),
        };
        let r = ui.add(dv).labelled_by(label).on_hover_text(help);
        if r.changed() {
            key.set(params, Some(v));
            edited.grouped = true;
        }
        edited.ended |= r.drag_stopped() || r.lost_focus();
        if matches!(key, ParamKey::AbsorbRate | ParamKey::ServiceMigrationRate) {
            ui.weak(format!("= {:.1}%", v * 100.0));
        }
    });
    edited
}

/// The default value, and a mark when the current value differs from it.
fn default_ui(ui: &mut egui::Ui, lang: Lang, key: ParamKey, current: &Params, defaults: &Params) {
    let default = key.get(defaults);
    let text = default.map_or_else(|| S::NoLimit.get(lang).to_string(), format_number);
    ui.horizontal(|ui| {
        ui.weak(text);
        if key.get(current) != default {
            ui.colored_label(ui.visuals().warn_fg_color, ParamsStr::Changed.get(lang));
        }
    });
}

/// A number as planners write it, without needless decimals.
fn format_number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{v:.0}")
    } else {
        format!("{v}")
    }
}

/// Parses an amount of yuan as planners type it: `8000`, `8,000`,
/// `¥8000`, `8000元`, `0.8万`.
pub(super) fn parse_amount(text: &str) -> Option<f64> {
    parse_number(text).ok().flatten()
}

/// Parses a share: `0.15`, or a percentage `15%`.
fn parse_fraction(text: &str) -> Option<f64> {
    let t = text.trim();
    match t.strip_suffix(['%', '％']) {
        Some(p) => parse_number(p).ok().flatten().map(|v| v / 100.0),
        None => parse_number(t).ok().flatten(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_numbers() {
        assert_eq!(parse_amount("8,000"), Some(8000.0));
        assert_eq!(parse_amount("0.8万"), Some(8000.0));
        assert_eq!(parse_amount("abc"), None);
        assert_eq!(parse_fraction("15%"), Some(0.15));
        assert_eq!(parse_fraction("0.2"), Some(0.2));
        assert_eq!(format_number(5000.0), "5000");
        assert_eq!(format_number(0.1), "0.1");
    }
}
