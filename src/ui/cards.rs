//! The outcome cards: always visible, updated after every edit.

use crate::i18n::Lang;
use crate::outcome::Outcome;

use super::document::Document;
use super::strings::S;

/// Yuan in 万元 (zh) or yuan with separators (en).
pub fn money(v: f64, lang: Lang) -> String {
    match lang {
        Lang::Zh => {
            if v.abs() >= 1e8 {
                format!("{:.2} 亿元", v / 1e8)
            } else if v.abs() >= 1e4 {
                format!("{:.1} 万元", v / 1e4)
            } else {
                format!("{v:.0} 元")
            }
        }
        Lang::En => format!("¥{}", crate::outcome::yuan(v)),
    }
}

/// A share as a percentage, or a dash.
pub fn pct(v: Option<f64>) -> String {
    crate::outcome::percent(v)
}

fn card(ui: &mut egui::Ui, title: &str, main: String, sub: String, good: Option<bool>) {
    egui::Frame::group(ui.style())
        .inner_margin(egui::Margin::symmetric(10, 6))
        .show(ui, |ui| {
            ui.set_min_width(150.0);
            ui.vertical(|ui| {
                ui.weak(title);
                let text = egui::RichText::new(main).size(18.0).strong();
                let text = match good {
                    Some(true) => text.color(egui::Color32::from_rgb(0x1b, 0x8a, 0x5a)),
                    Some(false) => text.color(egui::Color32::from_rgb(0xc0, 0x39, 0x2b)),
                    None => text,
                };
                ui.label(text);
                ui.small(sub);
            });
        });
}

/// Draws the cards for the document's outcome.
pub fn cards_ui(ui: &mut egui::Ui, lang: Lang, doc: &Document) {
    let o: &Outcome = &doc.outcome;
    let arrow = |a: String, b: String| format!("{a} → {b}");
    ui.horizontal_wrapped(|ui| {
        card(
            ui,
            S::Sites.get(lang),
            arrow(o.sites.before.to_string(), o.sites.after.to_string()),
            format!("{} {}", o.merged, S::Merged.get(lang)),
            None,
        );
        card(
            ui,
            S::AnnualCost.get(lang),
            money(o.annual_cost.after, lang),
            format!(
                "{} {}",
                S::Before.get(lang),
                money(o.annual_cost.before, lang)
            ),
            None,
        );
        card(
            ui,
            S::Savings.get(lang),
            money(o.annual_cost.savings, lang),
            format!(
                "{:.1}%",
                if o.annual_cost.before > 0.0 {
                    100.0 * o.annual_cost.savings / o.annual_cost.before
                } else {
                    0.0
                }
            ),
            Some(o.annual_cost.savings >= 0.0),
        );
        card(
            ui,
            S::OneTimeCost.get(lang),
            money(o.one_time_cost, lang),
            match o.payback_months {
                Some(m) => format!("{} {m:.1} {}", S::Payback.get(lang), S::Months.get(lang)),
                None => format!("{}: {}", S::Payback.get(lang), S::NoPayback.get(lang)),
            },
            None,
        );
        let cov_good = match (o.coverage.before, o.coverage.after) {
            (Some(b), Some(a)) => Some(a >= b - 1e-12),
            _ => None,
        };
        card(
            ui,
            S::Coverage.get(lang),
            arrow(pct(o.coverage.before), pct(o.coverage.after)),
            format!(
                "{} {}",
                crate::outcome::yuan(o.covered.after as f64),
                lang.pick("人", "people")
            ),
            cov_good,
        );
        card(
            ui,
            S::PassRate.get(lang),
            arrow(pct(o.pass_rate.before), pct(o.pass_rate.after)),
            format!("{} → {}", o.passing.before, o.passing.after),
            None,
        );
        card(
            ui,
            S::Services.get(lang),
            format!("{:.0}", o.services.after),
            format!("{} {:.0}", S::Before.get(lang), o.services.before),
            None,
        );
        card(
            ui,
            S::StaffFreed.get(lang),
            format!("{:.1}", o.staff_freed),
            String::new(),
            None,
        );
        let over = o.over_capacity();
        card(
            ui,
            S::OverCapacity.get(lang),
            over.to_string(),
            doc.ws
                .params
                .max_absorbed_per_target
                .map_or_else(|| S::NoLimit.get(lang).to_string(), |c| format!("≤ {c}")),
            Some(over == 0),
        );
    });
}
