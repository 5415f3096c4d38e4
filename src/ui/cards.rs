//! The outcome cards: always visible, updated after every edit.

use crate::i18n::Lang;
use crate::money::Money;
use crate::outcome::{Outcome, count};

use super::document::Document;
use super::strings::S;

/// Money in one unit for every figure of a view: 万元 with thousands
/// separators in Chinese (`20,214.61 万元`), yuan in English
/// (`¥202,146,090`).
pub fn money(v: Money, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("{} 万元", wan(v)),
        Lang::En => format!("¥{}", v.grouped_yuan()),
    }
}

/// [`money`] of an amount held as a float (the optimizer's bound).
pub fn money_f64(v: f64, lang: Lang) -> String {
    money(Money::from_f64(v).unwrap_or_default(), lang)
}

/// The amount in 万元, to two places, with separators: `20,214.61`.
pub fn wan(v: Money) -> String {
    Money::from_decimal(v.decimal() / rust_decimal::Decimal::from(10_000)).grouped()
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
                100.0
                    * o.annual_cost
                        .savings
                        .ratio(o.annual_cost.before)
                        .unwrap_or(0.0)
            ),
            Some(!o.annual_cost.savings.is_negative()),
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
                count(o.covered.after as f64),
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
            count(o.services.after),
            format!("{} {}", S::Before.get(lang), count(o.services.before)),
            None,
        );
        card(
            ui,
            S::StaffFreed.get(lang),
            crate::money::staff_text(o.staff_freed),
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
