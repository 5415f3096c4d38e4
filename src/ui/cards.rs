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

/// One card's text: title, main figure, the line under it, and whether
/// the figure is good news (green), bad (red) or neither.
pub(crate) struct Card<'a> {
    pub title: &'a str,
    pub main: String,
    pub sub: String,
    pub good: Option<bool>,
}

/// Narrowest a card gets; the cards share the window's width in rows.
const CARD_WIDTH: f32 = 150.0;

fn card_ui(ui: &mut egui::Ui, c: &Card<'_>, width: f32) {
    egui::Frame::group(ui.style())
        .inner_margin(egui::Margin::symmetric(10, 6))
        .show(ui, |ui| {
            ui.set_width(width);
            ui.vertical(|ui| {
                ui.add(egui::Label::new(egui::RichText::new(c.title).weak()).truncate());
                let text = egui::RichText::new(&c.main).size(18.0).strong();
                let text = match c.good {
                    Some(true) => text.color(egui::Color32::from_rgb(0x1b, 0x8a, 0x5a)),
                    Some(false) => text.color(egui::Color32::from_rgb(0xc0, 0x39, 0x2b)),
                    None => text,
                };
                ui.add(egui::Label::new(text).truncate());
                ui.add(egui::Label::new(egui::RichText::new(&c.sub).small()).truncate());
            });
        });
}

/// Lays the cards out in as many equal columns as the width holds, so that
/// every card is on screen on a laptop too (1366 pixels: two rows).
pub(crate) fn cards_grid(ui: &mut egui::Ui, cards: &[Card<'_>]) {
    let gap = ui.spacing().item_spacing.x;
    // The frame's margins and stroke around the content.
    let chrome = 22.0;
    let avail = ui.available_width();
    let per_row = (((avail + gap) / (CARD_WIDTH + chrome + gap)).floor() as usize)
        .clamp(1, cards.len().max(1));
    let rows = cards.len().div_ceil(per_row);
    let per_row = cards.len().div_ceil(rows.max(1));
    let width = ((avail - gap * (per_row as f32 - 1.0)) / per_row as f32 - chrome).max(60.0);
    for row in cards.chunks(per_row) {
        ui.horizontal(|ui| {
            for c in row {
                card_ui(ui, c, width);
            }
        });
    }
}

/// Draws the cards for the document's outcome.
pub fn cards_ui(ui: &mut egui::Ui, lang: Lang, doc: &Document) {
    let o: &Outcome = &doc.outcome;
    let arrow = |a: String, b: String| format!("{a} → {b}");
    let over = o.over_capacity();
    let card = |title, main, sub, good| Card {
        title,
        main,
        sub,
        good,
    };
    let cards = [
        card(
            S::Sites.get(lang),
            arrow(o.sites.before.to_string(), o.sites.after.to_string()),
            format!("{} {}", o.merged, S::Merged.get(lang)),
            None,
        ),
        card(
            S::AnnualCost.get(lang),
            money(o.annual_cost.after, lang),
            format!(
                "{} {}",
                S::Before.get(lang),
                money(o.annual_cost.before, lang)
            ),
            None,
        ),
        card(
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
        ),
        card(
            S::OneTimeCost.get(lang),
            money(o.one_time_cost, lang),
            match o.payback_months {
                Some(m) => format!("{} {m:.1} {}", S::Payback.get(lang), S::Months.get(lang)),
                None => format!("{}: {}", S::Payback.get(lang), S::NoPayback.get(lang)),
            },
            None,
        ),
        card(
            S::Coverage.get(lang),
            arrow(pct(o.coverage.before), pct(o.coverage.after)),
            format!(
                "{} {}",
                count(o.covered.after as f64),
                lang.pick("人", "people")
            ),
            match (o.coverage.before, o.coverage.after) {
                (Some(b), Some(a)) => Some(a >= b - 1e-12),
                _ => None,
            },
        ),
        card(
            S::PassRate.get(lang),
            arrow(pct(o.pass_rate.before), pct(o.pass_rate.after)),
            format!("{} → {}", o.passing.before, o.passing.after),
            None,
        ),
        card(
            S::Services.get(lang),
            count(o.services.after),
            format!("{} {}", S::Before.get(lang), count(o.services.before)),
            None,
        ),
        card(
            S::StaffFreed.get(lang),
            crate::money::staff_text(o.staff_freed),
            String::new(),
            None,
        ),
        card(
            S::OverCapacity.get(lang),
            over.to_string(),
            doc.ws
                .params
                .max_absorbed_per_target
                .map_or_else(|| S::NoLimit.get(lang).to_string(), |c| format!("≤ {c}")),
            Some(over == 0),
        ),
    ];
    cards_grid(ui, &cards);
}
