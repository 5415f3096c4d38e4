//! Annual budget against inspection score.
//!
//! x is the budget on a log scale; budgets of 0 (or missing, which the
//! model reads as 0) are drawn in a shaded band left of the scale, marked
//! "0". y is the score, 0 to 100. Sites without a score (or with a budget
//! that is not a finite number) are not plotted; the legend gives their
//! count. Kept sites are drawn first, merged ones over them.
//!
//! With many sites the markers are thinned: one marker per small cell of
//! pixels and class (kept or merged), so drawing costs at most the number
//! of cells, whatever the number of sites. Every plotted site is still
//! reported in the layout for hit-testing.

use plotters::prelude::DrawingBackend;
use plotters::style::RGBColor;
use plotters::style::text_anchor::HPos;

use super::canvas::{Canvas, DrawResult, Frame, Swatch, color, decade_label, em};
use super::{ChartData, ChartKind, ChartLayout};
use crate::i18n::Lang;

/// Shade of the band of zero budgets.
const ZERO_BAND: RGBColor = RGBColor(244, 246, 248);

struct Point {
    site: usize,
    /// log10(budget), or None for a budget of 0.
    x: Option<f64>,
    score: f64,
    merged: bool,
}

pub(super) fn budget_vs_score<DB: DrawingBackend>(
    cv: &Canvas<'_, DB>,
    data: &ChartData<'_>,
    layout: &mut ChartLayout,
) -> DrawResult {
    let lang = cv.lang;
    let top = cv.begin(ChartKind::BudgetVsScore.title(lang))?;
    let sites = data.inventory.sites();
    let mut points = Vec::with_capacity(sites.len());
    let mut not_shown = 0usize;
    for (i, s) in sites.iter().enumerate() {
        let score = match s.inspection_score {
            Some(v) if v.is_finite() => v.clamp(0.0, 100.0),
            _ => {
                not_shown += 1;
                continue;
            }
        };
        let x = if s.budget.is_positive() {
            Some(s.budget.to_f64().log10())
        } else {
            None
        };
        points.push(Point {
            site: i,
            x,
            score,
            merged: data.is_merged(i),
        });
    }
    if points.is_empty() {
        let msg = if sites.is_empty() {
            lang.pick("暂无数据", "No data")
        } else {
            lang.pick(
                "暂无数据（没有网站有检查得分）",
                "No data (no site has an inspection score)",
            )
        };
        return cv.message(top, msg);
    }
    // The log scale spans whole decades.
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for p in &points {
        if let Some(x) = p.x {
            lo = lo.min(x);
            hi = hi.max(x);
        }
    }
    let has_log = lo <= hi;
    let has_zero = points.iter().any(|p| p.x.is_none());
    let (lo, hi) = if has_log {
        let (l, h) = (lo.floor(), hi.ceil());
        (l, if h > l { h } else { l + 1.0 })
    } else {
        (0.0, 1.0)
    };
    let merged = points.iter().filter(|p| p.merged).count();
    let kept = points.len() - merged;
    let threshold = data.model.params.pass_threshold;
    let show_threshold = threshold.is_finite() && (0.0..=100.0).contains(&threshold);
    let mut legend = vec![
        (
            Swatch::Box(color::BEFORE),
            count_label(lang.pick("保留", "Kept"), kept),
        ),
        (
            Swatch::Box(color::MERGED),
            count_label(lang.pick("合并", "Merged"), merged),
        ),
    ];
    if show_threshold {
        legend.push((Swatch::Dashed(color::ALERT), pass_label(lang, threshold)));
    }
    if not_shown > 0 {
        legend.push((
            Swatch::None,
            match lang {
                Lang::Zh => format!("{not_shown} 个无得分未显示"),
                Lang::En => format!("{not_shown} without score not shown"),
            },
        ));
    }
    let y_values: Vec<f64> = (0..=5).map(|i| f64::from(i) * 20.0).collect();
    let frame = Frame {
        legend,
        y_title: lang.pick("检查得分", "Inspection score").to_string(),
        y_labels: y_values.iter().map(|v| format!("{v:.0}")).collect(),
        x_title: lang
            .pick(
                "年度预算（元，对数刻度）",
                "Annual budget (yuan, log scale)",
            )
            .to_string(),
        right_extra: 0,
    };
    // Markers: round and larger when there are few, small squares when
    // there are many.
    let few = points.len() <= 5_000;
    let r = if points.len() <= 300 {
        3.0
    } else if few {
        2.0
    } else {
        1.2
    };
    let r = (r * cv.u).round().max(1.0) as i32;
    let inset = r + cv.px(2.0);
    let tick_em = cv.em(em::TICK);
    // Room for half of the last decade's label right of the plot.
    let last_label = if has_log {
        cv.measure(&decade_label(hi as i32, lang), tick_em)
    } else {
        0
    };
    let frame = Frame {
        right_extra: (last_label / 2 - inset).max(0),
        ..frame
    };
    let plot = cv.frame(top, &frame, &y_values, 100.0, |_| cv.line(tick_em))?;
    layout.plot = [plot.left, plot.top, plot.right, plot.bottom];

    // Horizontal layout: [zero band][gap][log scale].
    let band_w = if has_zero {
        (plot.width() / 14).max(cv.px(18.0)).min(plot.width() / 3)
    } else {
        0
    };
    let zero_x = plot.left + band_w / 2;
    let log_x0 = if has_zero {
        plot.left + band_w + cv.px(6.0) + inset
    } else {
        plot.left + inset
    };
    let log_x1 = (plot.right - inset).max(log_x0 + 1);
    let x_of = |x: Option<f64>| -> i32 {
        match x {
            None => zero_x,
            Some(x) => {
                let f = ((x - lo) / (hi - lo)).clamp(0.0, 1.0);
                log_x0 + (f * f64::from(log_x1 - log_x0)).round() as i32
            }
        }
    };
    let y_top = plot.top + inset;
    let y_bottom = (plot.bottom - inset).max(y_top + 1);
    let y_of = |score: f64| -> i32 {
        y_bottom - ((score / 100.0) * f64::from(y_bottom - y_top)).round() as i32
    };

    if has_zero {
        cv.rect(
            plot.left + 1,
            plot.top,
            plot.left + band_w,
            plot.bottom - 1,
            ZERO_BAND,
        )?;
    }
    // x ticks: decades, thinned so their labels do not collide.
    let tick_len = cv.px(4.0);
    let label_top = plot.bottom + tick_len + cv.px(2.0);
    if has_log {
        let decades = (hi - lo).round().clamp(1.0, 1000.0) as i32;
        let widest = (0..=decades)
            .map(|k| cv.measure(&decade_label(lo as i32 + k, lang), tick_em))
            .max()
            .unwrap_or(0);
        let room = f64::from(log_x1 - log_x0) / f64::from(decades);
        let every = ((f64::from(widest + cv.px(8.0)) / room.max(1.0)).ceil() as i32).max(1);
        for k in (0..=decades).step_by(every as usize) {
            let d = lo + f64::from(k);
            let px = x_of(Some(d));
            cv.line_between((px, plot.top), (px, plot.bottom), color::GRID, 1)?;
            cv.line_between(
                (px, plot.bottom),
                (px, plot.bottom + tick_len),
                color::AXIS,
                1,
            )?;
            let label = decade_label(d as i32, lang);
            cv.text(&label, px, label_top, tick_em, color::MUTED, HPos::Center)?;
        }
    }
    if has_zero {
        cv.line_between(
            (zero_x, plot.bottom),
            (zero_x, plot.bottom + tick_len),
            color::AXIS,
            1,
        )?;
        cv.text("0", zero_x, label_top, tick_em, color::MUTED, HPos::Center)?;
    }

    // Markers, thinned per cell, kept first then merged.
    let cell = r.max(2);
    let cols = (plot.width() / cell + 2) as usize;
    let rows = (plot.height() / cell + 2) as usize;
    let mut seen = vec![0u64; (cols * rows).div_ceil(64)];
    layout.points.reserve(points.len());
    for (class, c) in [(false, color::BEFORE), (true, color::MERGED)] {
        seen.iter_mut().for_each(|w| *w = 0);
        for p in points.iter().filter(|p| p.merged == class) {
            let (x, y) = (x_of(p.x), y_of(p.score));
            layout.points.push((p.site, x, y));
            let cx = ((x - plot.left) / cell).clamp(0, cols as i32 - 1) as usize;
            let cy = ((y - plot.top) / cell).clamp(0, rows as i32 - 1) as usize;
            let bit = cy * cols + cx;
            if seen[bit / 64] & (1 << (bit % 64)) != 0 {
                continue;
            }
            seen[bit / 64] |= 1 << (bit % 64);
            if few {
                cv.dot(x, y, r, c)?;
            } else {
                cv.rect(x - r, y - r, x + r, y + r, c)?;
            }
        }
    }

    if show_threshold {
        let y = y_of(threshold);
        cv.dashed_h(plot.left, plot.right, y, color::ALERT, cv.stroke())?;
        let note_em = cv.em(em::NOTE);
        let line = cv.line(note_em);
        let t = if y - line - cv.px(1.0) >= plot.top {
            y - line - cv.px(1.0)
        } else {
            y + cv.px(2.0)
        };
        let label = pass_label(lang, threshold);
        cv.text(
            &label,
            plot.right - cv.px(4.0),
            t,
            note_em,
            color::ALERT,
            HPos::Right,
        )?;
    }
    cv.axes(&plot)
}

fn count_label(what: &str, n: usize) -> String {
    format!("{what} ({})", super::canvas::group(n as f64, 0))
}

fn pass_label(lang: Lang, threshold: f64) -> String {
    let t = super::canvas::group(threshold, if threshold.fract() == 0.0 { 0 } else { 1 });
    match lang {
        Lang::Zh => format!("合格线 {t}"),
        Lang::En => format!("Pass line {t}"),
    }
}
