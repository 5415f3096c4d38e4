//! The bar charts: cost and coverage by level (before/after groups) and the
//! load of receiving sites.

use plotters::prelude::DrawingBackend;
use plotters::style::text_anchor::HPos;

use super::canvas::{
    Canvas, DrawResult, Frame, Plot, Swatch, color, decimals_for, em, group, money_unit,
    ticks_from_zero,
};
use super::{BarRegion, ChartData, ChartKind, ChartLayout, TARGETS_SHOWN};

/// One category of a grouped bar chart.
struct Group {
    label: String,
    /// Before and after (None: not defined, e.g. no population).
    values: [Option<f64>; 2],
    /// Text shown instead of bars when both values are missing.
    missing: &'static str,
    item: usize,
}

fn no_data(
    cv: &Canvas<'_, impl DrawingBackend>,
    top: i32,
    why: Option<(&str, &str)>,
) -> DrawResult {
    let msg = match why {
        Some((zh, en)) => cv.lang.pick(zh, en).to_string(),
        None => cv.lang.pick("暂无数据", "No data").to_string(),
    };
    cv.message(top, &msg)
}

fn set_plot(layout: &mut ChartLayout, p: &Plot) {
    layout.plot = [p.left, p.top, p.right, p.bottom];
}

/// Annual cost by level, before and after.
pub(super) fn cost_by_level<DB: DrawingBackend>(
    cv: &Canvas<'_, DB>,
    data: &ChartData<'_>,
    layout: &mut ChartLayout,
) -> DrawResult {
    let lang = cv.lang;
    let top = cv.begin(ChartKind::CostByLevel.title(lang))?;
    let levels = &data.outcome.by_level;
    if levels.is_empty() {
        return no_data(cv, top, None);
    }
    let finite = |v: crate::money::Money| v.to_f64().max(0.0);
    let max = levels
        .iter()
        .flat_map(|l| [finite(l.cost_before), finite(l.cost_after)])
        .fold(0.0, f64::max);
    let (div, unit) = money_unit(max, lang);
    let groups: Vec<Group> = levels
        .iter()
        .map(|l| Group {
            label: l.level.label(lang).to_string(),
            values: [
                Some(finite(l.cost_before) / div),
                Some(finite(l.cost_after) / div),
            ],
            missing: "",
            item: l.level.number() as usize,
        })
        .collect();
    // One number format for every bar, set by the largest.
    let top_value = max / div;
    let d = if top_value >= 100.0 {
        0
    } else if top_value >= 10.0 {
        1
    } else {
        2
    };
    let value_text = move |v: f64| group(v, d);
    let y_title = match lang {
        crate::i18n::Lang::Zh => format!("年度成本（{unit}）"),
        crate::i18n::Lang::En => format!("Annual cost ({unit})"),
    };
    grouped_bars(
        cv,
        top,
        groups,
        max / div * 1.1,
        None,
        y_title,
        &value_text,
        layout,
    )
}

/// Coverage by level, before and after, in percent of the level's own
/// population.
pub(super) fn coverage_by_level<DB: DrawingBackend>(
    cv: &Canvas<'_, DB>,
    data: &ChartData<'_>,
    layout: &mut ChartLayout,
) -> DrawResult {
    let lang = cv.lang;
    let top = cv.begin(ChartKind::CoverageByLevel.title(lang))?;
    let levels = &data.outcome.by_level;
    if levels.is_empty() {
        return no_data(cv, top, None);
    }
    if levels.iter().all(|l| l.population == 0) {
        return no_data(
            cv,
            top,
            Some((
                "暂无数据（没有服务人口）",
                "No data (no population figures)",
            )),
        );
    }
    let pct = |covered: u64, pop: u64| {
        (pop > 0).then(|| (covered as f64 / pop as f64 * 100.0).clamp(0.0, 100.0))
    };
    let groups: Vec<Group> = levels
        .iter()
        .map(|l| Group {
            label: l.level.label(lang).to_string(),
            values: [
                pct(l.covered_before, l.population),
                pct(l.covered_after, l.population),
            ],
            missing: lang.pick("无人口", "no pop."),
            item: l.level.number() as usize,
        })
        .collect();
    let value_text = |v: f64| {
        if v == 0.0 || v == 100.0 {
            format!("{v:.0}%")
        } else {
            format!("{v:.1}%")
        }
    };
    let y_title = lang
        .pick("服务人口覆盖率（%）", "Population covered (%)")
        .to_string();
    grouped_bars(
        cv,
        top,
        groups,
        100.0,
        Some(20.0),
        y_title,
        &value_text,
        layout,
    )
}

/// Before/after bars per level. `y_max` is the top the axis must reach;
/// `fixed_step` forces the tick step (percent axis).
#[allow(clippy::too_many_arguments)]
fn grouped_bars<DB: DrawingBackend>(
    cv: &Canvas<'_, DB>,
    top: i32,
    groups: Vec<Group>,
    y_max: f64,
    fixed_step: Option<f64>,
    y_title: String,
    value_text: &dyn Fn(f64) -> String,
    layout: &mut ChartLayout,
) -> DrawResult {
    let lang = cv.lang;
    let ticks = match fixed_step {
        Some(step) => {
            let mut t = ticks_from_zero(y_max, 5, step);
            t.values.retain(|v| *v <= y_max + 1e-9);
            t.max = y_max;
            t
        }
        None => ticks_from_zero(y_max, cv.tick_target(), 0.0),
    };
    let dec = decimals_for(ticks.step);
    let percent = fixed_step.is_some();
    let y_labels: Vec<String> = ticks
        .values
        .iter()
        .map(|v| {
            if percent {
                format!("{v:.0}%")
            } else {
                group(*v, dec)
            }
        })
        .collect();
    let frame = Frame {
        legend: vec![
            (
                Swatch::Box(color::BEFORE),
                lang.pick("整合前", "Before").to_string(),
            ),
            (
                Swatch::Box(color::AFTER),
                lang.pick("整合后", "After").to_string(),
            ),
        ],
        y_title,
        y_labels,
        x_title: lang.pick("层级", "Level").to_string(),
        right_extra: 0,
    };
    let plot = cv.frame(top, &frame, &ticks.values, ticks.max, |_| {
        cv.line(cv.em(em::TICK))
    })?;
    set_plot(layout, &plot);
    let n = groups.len().max(1);
    let slot = f64::from(plot.width()) / n as f64;
    let group_w = (slot * 0.72).min(160.0 * cv.u);
    let gap = cv.px(2.0).max(1);
    let value_em = cv.em(em::VALUE);
    let tick_em = cv.em(em::TICK);
    // Value labels only when every one fits over its bar.
    let bar_w = ((group_w - f64::from(gap)) / 2.0).floor() as i32;
    let show_values = groups.iter().all(|g| {
        g.values
            .iter()
            .flatten()
            .all(|v| cv.measure(&value_text(*v), value_em) <= bar_w + gap)
    });
    let colors = [color::BEFORE, color::AFTER];
    for (i, g) in groups.iter().enumerate() {
        let cx = f64::from(plot.left) + slot * (i as f64 + 0.5);
        let x0 = (cx - group_w / 2.0).round() as i32;
        let x1 = (cx + group_w / 2.0).round() as i32;
        let mid = cx.round() as i32;
        let spans = [(x0, mid - (gap + 1) / 2), (mid + gap / 2, x1)];
        for (s, ((bx0, bx1), v)) in spans.iter().zip(g.values).enumerate() {
            let Some(v) = v else { continue };
            let bx1 = (*bx1).max(*bx0);
            let y = bar_top(&plot, v, ticks.max);
            if y < plot.bottom {
                cv.rect(*bx0, y, bx1, plot.bottom - 1, colors[s])?;
            }
            layout.bars.push(BarRegion {
                item: g.item,
                series: s as u8,
                rect: [*bx0, y.min(plot.bottom - 1), bx1, plot.bottom - 1],
            });
            if show_values {
                value_label(cv, &value_text(v), (bx0 + bx1) / 2, y, &plot)?;
            }
        }
        if g.values.iter().all(Option::is_none) && !g.missing.is_empty() {
            let t = plot.bottom - cv.line(value_em) - cv.px(2.0);
            cv.text(g.missing, mid, t, value_em, color::MUTED, HPos::Center)?;
        }
        let label = cv.fit(&g.label, tick_em, slot as i32 - cv.px(2.0));
        let t = plot.bottom + cv.px(4.0) + cv.px(2.0);
        cv.text(&label, mid, t, tick_em, color::TEXT, HPos::Center)?;
    }
    cv.axes(&plot)
}

/// Pixel row of the top of a bar of value `v`: at least one pixel tall
/// when `v` is positive.
fn bar_top(plot: &Plot, v: f64, max: f64) -> i32 {
    let y = plot.y_of(v, max);
    if v > 0.0 && y >= plot.bottom {
        plot.bottom - 1
    } else {
        y
    }
}

/// A value over a bar whose top is at `y`; inside the bar, in white, when
/// there is no room above it.
fn value_label<DB: DrawingBackend>(
    cv: &Canvas<'_, DB>,
    text: &str,
    x: i32,
    y: i32,
    plot: &Plot,
) -> DrawResult {
    let value_em = cv.em(em::VALUE);
    let line = cv.line(value_em);
    let above = y - line - cv.px(1.0);
    if above >= plot.top - cv.px(4.0) {
        cv.text(text, x, above, value_em, color::TEXT, HPos::Center)
    } else if plot.bottom - y > line + cv.px(2.0) {
        cv.text(
            text,
            x,
            y + cv.px(1.0),
            value_em,
            color::BACKGROUND,
            HPos::Center,
        )
    } else {
        Ok(())
    }
}

/// Absorbed sites per receiving site.
pub(super) fn target_load<DB: DrawingBackend>(
    cv: &Canvas<'_, DB>,
    data: &ChartData<'_>,
    layout: &mut ChartLayout,
) -> DrawResult {
    let lang = cv.lang;
    let top = cv.begin(ChartKind::TargetLoad.title(lang))?;
    let targets = &data.outcome.targets;
    if targets.is_empty() {
        return no_data(
            cv,
            top,
            Some(("暂无数据（没有合并的网站）", "No data (no merged sites)")),
        );
    }
    let shown = &targets[..targets.len().min(TARGETS_SHOWN)];
    let cap = data.model.params.max_absorbed_per_target;
    let max = shown
        .iter()
        .map(|t| t.absorbed_sites as f64)
        .chain(cap.map(|c| c as f64))
        .fold(0.0, f64::max);
    let ticks = ticks_from_zero(max * 1.08, cv.tick_target(), 1.0);
    let y_labels: Vec<String> = ticks.values.iter().map(|v| group(*v, 0)).collect();
    let mut legend = vec![(
        Swatch::Box(color::AFTER),
        lang.pick("并入网站数", "Sites absorbed").to_string(),
    )];
    if shown.iter().any(|t| t.over_capacity) {
        legend.push((
            Swatch::Box(color::ALERT),
            lang.pick("超出容量", "Over capacity").to_string(),
        ));
    }
    if let Some(c) = cap {
        legend.push((
            Swatch::Dashed(color::ALERT),
            match lang {
                crate::i18n::Lang::Zh => format!("容量上限 {c}"),
                crate::i18n::Lang::En => format!("Capacity {c}"),
            },
        ));
    }
    if targets.len() > shown.len() {
        legend.push((
            Swatch::None,
            match lang {
                crate::i18n::Lang::Zh => {
                    format!("显示前 {} 个，共 {} 个", shown.len(), targets.len())
                }
                crate::i18n::Lang::En => format!("top {} of {}", shown.len(), targets.len()),
            },
        ));
    }
    let sites = data.inventory.sites();
    let names: Vec<&str> = shown
        .iter()
        .map(|t| {
            sites
                .get(t.site)
                .map(|s| s.name.trim())
                .filter(|n| !n.is_empty())
                .unwrap_or(t.site_id.as_str())
        })
        .collect();
    let tick_em = cv.em(em::TICK);
    let n = shown.len();
    let max_rotated = (f64::from(cv.h) * 0.28).min(150.0 * cv.u) as i32;
    let widths: Vec<i32> = names.iter().map(|s| cv.measure(s, tick_em)).collect();
    // Names run across when they fit (or when there is room for a few
    // characters); otherwise they are turned to read upwards.
    let horizontal = |plot_w: i32| {
        let slot = plot_w / n as i32;
        widths.iter().all(|w| *w <= slot - cv.px(4.0)) || f64::from(slot) >= 5.0 * tick_em
    };
    let frame = Frame {
        legend,
        y_title: lang.pick("并入网站数（个）", "Absorbed sites").to_string(),
        y_labels,
        x_title: lang.pick("承接网站", "Receiving site").to_string(),
        right_extra: 0,
    };
    let plot = cv.frame(top, &frame, &ticks.values, ticks.max, |plot_w| {
        if horizontal(plot_w) {
            cv.line(tick_em)
        } else {
            widths.iter().copied().max().unwrap_or(0).min(max_rotated) + cv.px(2.0)
        }
    })?;
    set_plot(layout, &plot);
    let across = horizontal(plot.width());
    let slot = f64::from(plot.width()) / n as f64;
    let bar_w = (slot * 0.7).clamp(1.0, 60.0 * cv.u);
    let value_em = cv.em(em::VALUE);
    let show_values = shown
        .iter()
        .all(|t| cv.measure(&t.absorbed_sites.to_string(), value_em) <= slot as i32);
    for (i, (t, name)) in shown.iter().zip(&names).enumerate() {
        let cx = f64::from(plot.left) + slot * (i as f64 + 0.5);
        let x0 = (cx - bar_w / 2.0).round() as i32;
        let x1 = ((cx + bar_w / 2.0).round() as i32 - 1).max(x0);
        let v = t.absorbed_sites as f64;
        let y = bar_top(&plot, v, ticks.max);
        let c = if t.over_capacity {
            color::ALERT
        } else {
            color::AFTER
        };
        if y < plot.bottom {
            cv.rect(x0, y, x1, plot.bottom - 1, c)?;
        }
        layout.bars.push(BarRegion {
            item: t.site,
            series: 0,
            rect: [x0, y.min(plot.bottom - 1), x1, plot.bottom - 1],
        });
        if show_values {
            value_label(cv, &t.absorbed_sites.to_string(), (x0 + x1) / 2, y, &plot)?;
        }
        let mid = cx.round() as i32;
        let label_top = plot.bottom + cv.px(4.0) + cv.px(2.0);
        if across {
            let label = cv.fit(name, tick_em, slot as i32 - cv.px(2.0));
            cv.text(&label, mid, label_top, tick_em, color::TEXT, HPos::Center)?;
        } else if slot >= 0.6 * tick_em {
            let label = cv.fit(name, tick_em, max_rotated);
            let left = mid - cv.line(tick_em) / 2;
            cv.text_up(&label, left, label_top, tick_em, color::TEXT, HPos::Right)?;
        }
    }
    if let Some(c) = cap {
        let y = plot.y_of(c as f64, ticks.max);
        cv.dashed_h(plot.left, plot.right, y, color::ALERT, cv.stroke())?;
    }
    cv.axes(&plot)
}
