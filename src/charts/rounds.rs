//! The inspection rounds' chart (MODEL.md §9): each level's pass rate in
//! each round loaded, a line per level.

use plotters::prelude::{DrawingBackend, RGBColor};

use super::canvas::{Canvas, DrawResult, Frame, Swatch, em};
use super::{ChartData, ChartKind, ChartLayout};
use crate::inventory::Level;

/// A colour per level, national to township.
const LEVEL_COLORS: [RGBColor; 5] = [
    RGBColor(90, 90, 90),
    RGBColor(122, 143, 168),
    RGBColor(42, 157, 143),
    RGBColor(238, 137, 43),
    RGBColor(214, 69, 65),
];

/// Pass rate (%) per level per round.
pub(super) fn pass_rate_by_round<DB: DrawingBackend>(
    cv: &Canvas<'_, DB>,
    data: &ChartData<'_>,
    layout: &mut ChartLayout,
) -> DrawResult {
    let lang = cv.lang;
    let top = cv.begin(ChartKind::PassRateByRound.title(lang))?;
    let rates = data.pass_rates.unwrap_or_default();
    let levels: Vec<usize> = (0..5)
        .filter(|&l| rates.iter().any(|(_, by)| by[l].0 > 0))
        .collect();
    if rates.is_empty() || levels.is_empty() {
        return cv.message(
            top,
            lang.pick(
                "暂无数据（没有载入检查轮次）",
                "No data (no inspection round loaded)",
            ),
        );
    }
    let ticks: Vec<f64> = (0..=5).map(|k| f64::from(k) * 20.0).collect();
    let frame = Frame {
        legend: levels
            .iter()
            .map(|&l| {
                let name = Level::from_number(l as u8).map_or("", |lv| lv.label(lang));
                (Swatch::Box(LEVEL_COLORS[l]), name.to_string())
            })
            .collect(),
        y_title: lang.pick("合格率（%）", "Pass rate (%)").to_string(),
        y_labels: ticks.iter().map(|v| format!("{v:.0}%")).collect(),
        x_title: lang.pick("检查轮次", "Inspection round").to_string(),
        right_extra: 0,
    };
    let plot = cv.frame(top, &frame, &ticks, 100.0, |_| {
        cv.line(cv.em(em::TICK)) + cv.px(4.0)
    })?;
    layout.plot = [plot.left, plot.top, plot.right, plot.bottom];
    let n = rates.len();
    let slot = f64::from(plot.width()) / n as f64;
    let x = |k: usize| (f64::from(plot.left) + slot * (k as f64 + 0.5)).round() as i32;
    let r = cv.px(3.5).max(2);
    for &l in &levels {
        let points: Vec<Option<(i32, i32)>> = rates
            .iter()
            .enumerate()
            .map(|(k, (_, by))| {
                let (seen, passed) = by[l];
                (seen > 0).then(|| {
                    let pct = passed as f64 / seen as f64 * 100.0;
                    (x(k), plot.y_of(pct, 100.0))
                })
            })
            .collect();
        for w in points.windows(2) {
            if let (Some(a), Some(b)) = (w[0], w[1]) {
                cv.line_between(a, b, LEVEL_COLORS[l], cv.stroke() + 1)?;
            }
        }
        for p in points.iter().flatten() {
            cv.dot(p.0, p.1, r, LEVEL_COLORS[l])?;
        }
    }
    let quarters: Vec<_> = rates.iter().map(|(q, _)| *q).collect();
    super::timeline::quarter_labels(cv, &quarters, &plot, slot)?;
    cv.axes(&plot)
}
