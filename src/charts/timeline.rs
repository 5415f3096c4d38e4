//! The timeline charts (MODEL.md §8): the cash flow per quarter with the
//! cumulative net and the payback point, and the closures per quarter.

use plotters::prelude::DrawingBackend;
use plotters::style::text_anchor::HPos;

use super::canvas::{
    Canvas, DrawResult, Frame, Plot, Swatch, color, decimals_for, em, group, money_unit,
    ticks_from_zero,
};
use super::{BarRegion, ChartData, ChartKind, ChartLayout};
use crate::timeline::CashFlow;

fn no_data(cv: &Canvas<'_, impl DrawingBackend>, top: i32) -> DrawResult {
    cv.message(
        top,
        cv.lang.pick(
            "暂无数据（没有安排关停季度的网站）",
            "No data (no site has a closure quarter)",
        ),
    )
}

/// The flow to draw, when there is one with closures in it.
fn flow_of<'a>(data: &ChartData<'a>) -> Option<&'a CashFlow> {
    data.flow
        .filter(|f| !f.quarters.is_empty() && f.quarters.iter().any(|q| q.closures > 0))
}

/// Quarter labels under slots of width `slot`, one every so many
/// quarters that they fit side by side (shared with the rounds' chart).
pub(super) fn quarter_labels(
    cv: &Canvas<'_, impl DrawingBackend>,
    quarters: &[crate::timeline::Quarter],
    plot: &Plot,
    slot: f64,
) -> DrawResult {
    let tick_em = cv.em(em::TICK);
    let widest = quarters
        .iter()
        .map(|q| cv.measure(&q.to_string(), tick_em))
        .max()
        .unwrap_or(1)
        + cv.px(6.0);
    let fit = (plot.width() / widest.max(1)).max(1) as usize;
    let step = quarters.len().max(1).div_ceil(fit).max(1);
    for (k, q) in quarters.iter().enumerate().step_by(step) {
        let x = (f64::from(plot.left) + slot * (k as f64 + 0.5)).round() as i32;
        cv.text(
            &q.to_string(),
            x,
            plot.bottom + cv.px(6.0),
            tick_em,
            color::TEXT,
            HPos::Center,
        )?;
    }
    Ok(())
}

fn x_labels(
    cv: &Canvas<'_, impl DrawingBackend>,
    flow: &CashFlow,
    plot: &Plot,
    slot: f64,
) -> DrawResult {
    let quarters: Vec<_> = flow.quarters.iter().map(|q| q.quarter).collect();
    quarter_labels(cv, &quarters, plot, slot)
}

/// Net per quarter (bars, below zero in red) and the cumulative net (a
/// line), with the payback quarter marked.
pub(super) fn cash_flow<DB: DrawingBackend>(
    cv: &Canvas<'_, DB>,
    data: &ChartData<'_>,
    layout: &mut ChartLayout,
) -> DrawResult {
    let lang = cv.lang;
    let top = cv.begin(ChartKind::CashFlow.title(lang))?;
    let Some(flow) = flow_of(data) else {
        return no_data(cv, top);
    };
    let values: Vec<(f64, f64)> = flow
        .quarters
        .iter()
        .map(|q| (q.net.to_f64(), q.cumulative.to_f64()))
        .collect();
    let lo = values.iter().flat_map(|&(a, b)| [a, b]).fold(0.0, f64::min);
    let hi = values.iter().flat_map(|&(a, b)| [a, b]).fold(0.0, f64::max);
    let (div, unit) = money_unit(lo.abs().max(hi), lang);
    // An axis from `lo` to `hi`, drawn by the frame as 0 to `hi − lo`.
    let span = ticks_from_zero((hi - lo) / div * 1.05, cv.tick_target(), 0.0);
    let step = span.step;
    let bottom = (lo / div / step).floor() * step;
    let mut ticks = Vec::new();
    let mut v = bottom;
    while v <= hi / div + step * 0.999 && ticks.len() < 100 {
        ticks.push(v);
        v += step;
    }
    let y_max = ticks.last().copied().unwrap_or(1.0) - bottom;
    let dec = decimals_for(step);
    let frame = Frame {
        legend: vec![
            (
                Swatch::Box(color::AFTER),
                lang.pick("当季净额", "Net in the quarter").to_string(),
            ),
            (
                Swatch::Box(color::ALERT),
                lang.pick("当季净支出", "Net spend in the quarter")
                    .to_string(),
            ),
            (
                Swatch::Dashed(color::BEFORE),
                lang.pick("累计净额", "Cumulative net").to_string(),
            ),
        ],
        y_title: match lang {
            crate::i18n::Lang::Zh => format!("金额（{unit}）"),
            crate::i18n::Lang::En => format!("Amount ({unit})"),
        },
        y_labels: ticks.iter().map(|v| group(*v, dec)).collect(),
        x_title: lang.pick("季度", "Quarter").to_string(),
        right_extra: 0,
    };
    let shifted: Vec<f64> = ticks.iter().map(|v| v - bottom).collect();
    let plot = cv.frame(top, &frame, &shifted, y_max, |_| {
        cv.line(cv.em(em::TICK)) + cv.px(4.0)
    })?;
    layout.plot = [plot.left, plot.top, plot.right, plot.bottom];
    let y = |v: f64| plot.y_of(v / div - bottom, y_max);
    let zero = y(0.0);
    cv.line_between((plot.left, zero), (plot.right, zero), color::AXIS, 1)?;
    let n = values.len().max(1);
    let slot = f64::from(plot.width()) / n as f64;
    let bar_w = (slot * 0.7).max(1.0);
    for (k, &(net, _)) in values.iter().enumerate() {
        let cx = f64::from(plot.left) + slot * (k as f64 + 0.5);
        let x0 = (cx - bar_w / 2.0).round() as i32;
        let x1 = ((cx + bar_w / 2.0).round() as i32 - 1).max(x0);
        let yv = y(net);
        let (t, b) = if yv <= zero { (yv, zero) } else { (zero, yv) };
        if net != 0.0 {
            let c = if net < 0.0 {
                color::ALERT
            } else {
                color::AFTER
            };
            cv.rect(x0, t, x1, b.max(t), c)?;
        }
        layout.bars.push(BarRegion {
            item: k,
            series: 0,
            rect: [x0, t, x1, b.max(t)],
        });
    }
    // The cumulative line.
    let points: Vec<(i32, i32)> = values
        .iter()
        .enumerate()
        .map(|(k, &(_, cum))| {
            (
                (f64::from(plot.left) + slot * (k as f64 + 0.5)).round() as i32,
                y(cum),
            )
        })
        .collect();
    for w in points.windows(2) {
        cv.line_between(w[0], w[1], color::BEFORE, cv.stroke() + 1)?;
    }
    // The payback point.
    if let Some(pq) = flow.payback_quarter
        && let Some(k) = flow.quarters.iter().position(|q| q.quarter == pq)
        && let Some(&(px, py)) = points.get(k)
    {
        cv.dot(px, py, cv.px(5.0).max(3), color::MERGED)?;
        let label = match lang {
            crate::i18n::Lang::Zh => format!("回本 {pq}"),
            crate::i18n::Lang::En => format!("Payback {pq}"),
        };
        let note_em = cv.em(em::NOTE);
        let w = cv.measure(&label, note_em);
        let (x, h) = if px + w + cv.px(8.0) > plot.right {
            (px - cv.px(8.0), HPos::Right)
        } else {
            (px + cv.px(8.0), HPos::Left)
        };
        let t = (py - cv.line(note_em) - cv.px(4.0)).max(plot.top);
        cv.text(&label, x, t, note_em, color::TEXT, h)?;
    }
    x_labels(cv, flow, &plot, slot)?;
    cv.axes(&plot)
}

/// Closures per quarter.
pub(super) fn closures<DB: DrawingBackend>(
    cv: &Canvas<'_, DB>,
    data: &ChartData<'_>,
    layout: &mut ChartLayout,
) -> DrawResult {
    let lang = cv.lang;
    let top = cv.begin(ChartKind::Closures.title(lang))?;
    let Some(flow) = flow_of(data) else {
        return no_data(cv, top);
    };
    let max = flow.quarters.iter().map(|q| q.closures).max().unwrap_or(0) as f64;
    let ticks = ticks_from_zero(max * 1.08, cv.tick_target(), 1.0);
    let frame = Frame {
        legend: Vec::new(),
        y_title: lang.pick("关停网站数", "Sites closed").to_string(),
        y_labels: ticks.values.iter().map(|v| group(*v, 0)).collect(),
        x_title: lang.pick("季度", "Quarter").to_string(),
        right_extra: 0,
    };
    let plot = cv.frame(top, &frame, &ticks.values, ticks.max, |_| {
        cv.line(cv.em(em::TICK)) + cv.px(4.0)
    })?;
    layout.plot = [plot.left, plot.top, plot.right, plot.bottom];
    let n = flow.quarters.len().max(1);
    let slot = f64::from(plot.width()) / n as f64;
    let bar_w = (slot * 0.7).max(1.0);
    let value_em = cv.em(em::VALUE);
    let show_values = flow
        .quarters
        .iter()
        .all(|q| cv.measure(&q.closures.to_string(), value_em) <= bar_w as i32 + cv.px(2.0));
    for (k, q) in flow.quarters.iter().enumerate() {
        let cx = f64::from(plot.left) + slot * (k as f64 + 0.5);
        let x0 = (cx - bar_w / 2.0).round() as i32;
        let x1 = ((cx + bar_w / 2.0).round() as i32 - 1).max(x0);
        let yv = plot.y_of(q.closures as f64, ticks.max);
        let yv = if q.closures > 0 && yv >= plot.bottom {
            plot.bottom - 1
        } else {
            yv
        };
        if q.closures > 0 {
            cv.rect(x0, yv, x1, plot.bottom - 1, color::MERGED)?;
            if show_values {
                let t = yv - cv.line(value_em) - cv.px(1.0);
                cv.text(
                    &q.closures.to_string(),
                    (x0 + x1) / 2,
                    t.max(plot.top - cv.px(4.0)),
                    value_em,
                    color::TEXT,
                    HPos::Center,
                )?;
            }
        }
        layout.bars.push(BarRegion {
            item: k,
            series: 0,
            rect: [x0, yv.min(plot.bottom - 1), x1, plot.bottom - 1],
        });
    }
    x_labels(cv, flow, &plot, slot)?;
    cv.axes(&plot)
}
