//! The treemap as a chart (the app's Treemap tab, exported): nested
//! rectangles province → prefecture → county → township, sized by budget
//! or population, coloured by decision or inspection result, named where
//! the name fits. The layout is the core's ([`crate::outcome::treemap`]).

use plotters::prelude::{DrawingBackend, RGBColor};
use plotters::style::text_anchor::HPos;

use super::canvas::{Canvas, DrawResult, Swatch, color, em};
use super::{ChartData, ChartKind, ChartLayout, TreemapStyle};
use crate::outcome::treemap::layout;

/// Deepest level drawn (as the app).
const MAX_DEPTH: u32 = 6;

const KEPT: RGBColor = RGBColor(0x8f, 0xa8, 0xc2);
const MERGED: RGBColor = RGBColor(0xf0, 0xa2, 0x4a);
const PASSES: RGBColor = RGBColor(0x7c, 0xc4, 0x9a);
const FAILS: RGBColor = RGBColor(0xe0, 0x7a, 0x6e);

/// A colour lightened towards white by `t` (0: as is, 1: white).
fn lighter(c: RGBColor, t: f64) -> RGBColor {
    let l = |v: u8| (f64::from(v) + (255.0 - f64::from(v)) * t).round() as u8;
    RGBColor(l(c.0), l(c.1), l(c.2))
}

/// Draws the treemap.
pub(super) fn treemap<DB: DrawingBackend>(
    cv: &Canvas<'_, DB>,
    data: &ChartData<'_>,
    style: TreemapStyle,
    out: &mut ChartLayout,
) -> DrawResult {
    let lang = cv.lang;
    let top = cv.begin(ChartKind::Treemap(style).title(lang))?;
    let items = if style.inspection {
        [
            (Swatch::Box(PASSES), lang.pick("合格", "Passes").to_string()),
            (Swatch::Box(FAILS), lang.pick("不合格", "Fails").to_string()),
        ]
    } else {
        [
            (Swatch::Box(KEPT), lang.pick("保留", "Kept").to_string()),
            (Swatch::Box(MERGED), lang.pick("合并", "Merged").to_string()),
        ]
    };
    cv.legend(top + cv.px(4.0), &items)?;
    let pad = cv.px(10.0);
    let y0 = top + cv.px(4.0) + cv.line(cv.em(em::LEGEND)) + cv.px(6.0);
    let (w, h) = (cv.w - 2 * pad, cv.h - y0 - pad);
    let inv = data.inventory;
    let own: Vec<f64> = if style.population {
        data.model.own_pop.iter().map(|&p| p as f64).collect()
    } else {
        inv.sites().iter().map(|s| s.budget.to_f64()).collect()
    };
    if w < 2 || h < 2 {
        return Ok(());
    }
    let cells = layout(
        inv,
        &own,
        f64::from(w),
        f64::from(h),
        MAX_DEPTH,
        f64::from(cv.px(1.5).max(1)),
    );
    if cells.is_empty() {
        return cv.message(y0, lang.pick("暂无数据", "No data"));
    }
    out.plot = [pad, y0, pad + w, y0 + h];
    let fill = |site: usize| {
        if style.inspection {
            if data.model.passes.get(site).copied().unwrap_or(false) {
                PASSES
            } else {
                FAILS
            }
        } else if data.is_merged(site) {
            MERGED
        } else {
            KEPT
        }
    };
    let at = |v: f64, o: i32| o + v.round() as i32;
    for c in &cells {
        let (x0, y0c, x1, y1) = (
            at(c.rect.x0, pad),
            at(c.rect.y0, y0),
            at(c.rect.x1, pad) - 1,
            at(c.rect.y1, y0) - 1,
        );
        if x1 < x0 || y1 < y0c {
            continue;
        }
        // A subtree's rectangle shows, lighter, where its children leave
        // room; the borders are the background, thicker higher up.
        let base = fill(c.site);
        let colour = if c.own { base } else { lighter(base, 0.45) };
        cv.rect(x0, y0c, x1, y1, color::BACKGROUND)?;
        let inset = if c.own {
            0
        } else {
            ((2.0 - f64::from(c.depth) * 0.5).max(0.0) * cv.u).round() as i32
        };
        if x1 - x0 > 2 * inset && y1 - y0c > 2 * inset {
            cv.rect(x0 + inset, y0c + inset, x1 - inset, y1 - inset, colour)?;
        }
    }
    // Names where they fit, the larger subtrees (shallower) first.
    let name_em = cv.em(em::NOTE);
    let line = cv.line(name_em);
    // Names drawn so far: a name never covers another (a subtree and its
    // first child share their top-left corner).
    let mut drawn: Vec<[i32; 4]> = Vec::new();
    for c in cells.iter().filter(|c| !c.own && c.depth <= 3) {
        let (x0, y0c, x1, y1) = (
            at(c.rect.x0, pad),
            at(c.rect.y0, y0),
            at(c.rect.x1, pad),
            at(c.rect.y1, y0),
        );
        if y1 - y0c < line + cv.px(4.0) {
            continue;
        }
        let s = inv.site(c.site);
        let name = if s.name.is_empty() { &s.id } else { &s.name };
        let width = cv.measure(name, name_em);
        if width + cv.px(6.0) > x1 - x0 {
            continue;
        }
        let (lx, ly) = (x0 + cv.px(3.0), y0c + cv.px(2.0));
        let rect = [lx, ly, lx + width, ly + line];
        let overlaps = drawn
            .iter()
            .any(|d| rect[0] < d[2] && d[0] < rect[2] && rect[1] < d[3] && d[1] < rect[3]);
        if !overlaps {
            cv.text(name, lx, ly, name_em, color::TEXT, HPos::Left)?;
            drawn.push(rect);
        }
    }
    Ok(())
}
