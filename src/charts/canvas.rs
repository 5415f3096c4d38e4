//! Drawing helpers shared by the charts: palette, sizes that scale with the
//! picture, text that lands at the same place in bitmaps and SVG, number
//! formats, axis ticks, legend and frame layout.
//!
//! Everything is laid out in pixels of the drawing area (plotters' `Shift`
//! coordinates), so the positions reported to the app are exact.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::FontTransform;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::ChartError;
use super::font::{FONT_FAMILY, metrics};
use super::svg_text::TextRun;
use crate::i18n::Lang;

/// The palette.
pub(crate) mod color {
    use plotters::style::RGBColor;
    /// Background.
    pub const BACKGROUND: RGBColor = RGBColor(255, 255, 255);
    /// Main text.
    pub const TEXT: RGBColor = RGBColor(38, 44, 54);
    /// Secondary text (ticks, notes).
    pub const MUTED: RGBColor = RGBColor(96, 104, 118);
    /// Grid lines.
    pub const GRID: RGBColor = RGBColor(228, 231, 236);
    /// Axis lines.
    pub const AXIS: RGBColor = RGBColor(150, 157, 168);
    /// Before the plan, and kept sites.
    pub const BEFORE: RGBColor = RGBColor(122, 143, 168);
    /// After the plan, and receiving sites within capacity.
    pub const AFTER: RGBColor = RGBColor(42, 157, 143);
    /// Merged sites.
    pub const MERGED: RGBColor = RGBColor(238, 137, 43);
    /// Failing, over capacity, pass and capacity lines.
    pub const ALERT: RGBColor = RGBColor(214, 69, 65);
}

pub(crate) type DrawResult<T = ()> = Result<T, ChartError>;

fn err<E: std::fmt::Display>(e: E) -> ChartError {
    ChartError::draw(e)
}

/// Text sizes, as em in pixels at the reference size (600 × 360).
pub(crate) mod em {
    pub const TITLE: f64 = 16.0;
    pub const AXIS: f64 = 12.0;
    pub const TICK: f64 = 11.0;
    pub const LEGEND: f64 = 11.0;
    pub const VALUE: f64 = 10.0;
    pub const NOTE: f64 = 10.0;
    pub const MESSAGE: f64 = 14.0;
}

/// Line height, in em.
pub(crate) const LINE: f64 = 1.2;
/// Baseline below the top of a line, in em (Noto's typographic ascender
/// 0.88 em plus half the leading).
const BASELINE: f64 = 0.98;

/// A drawing area with the chart's scale and text handling.
pub(crate) struct Canvas<'a, DB: DrawingBackend> {
    area: &'a DrawingArea<DB, Shift>,
    /// Width in pixels.
    pub w: i32,
    /// Height in pixels.
    pub h: i32,
    /// Scale: 1 at 600 × 360, grows with the picture.
    pub u: f64,
    /// Scale of the text: `u`, but never below the floor the caller set
    /// (a chart drawn small on screen keeps legible text).
    text_u: f64,
    /// The chart language.
    pub lang: Lang,
    /// plotters font size per em of the rasterised text.
    size_per_em: f64,
    /// Where the bitmap backend puts the baseline below a top-anchored
    /// text, in em.
    baseline_per_em: f64,
    /// SVG: text is kept in `svg_texts`, to be drawn as outlines once the
    /// rest is drawn ([`super::svg_text`]); otherwise glyphs are placed
    /// one by one (see [`super::font::Metrics`]).
    svg: bool,
    svg_texts: std::cell::RefCell<Vec<TextRun>>,
}

impl<'a, DB: DrawingBackend> Canvas<'a, DB> {
    pub fn new(area: &'a DrawingArea<DB, Shift>, lang: Lang) -> Self {
        let (w, h) = area.dim_in_pixel();
        let (w, h) = (w.min(i32::MAX as u32) as i32, h.min(i32::MAX as u32) as i32);
        let u = (f64::from(w) / 600.0)
            .min(f64::from(h) / 360.0)
            .clamp(0.5, 8.0);
        let raster = metrics().height;
        // The bitmap backends rasterise with ab_glyph, whose em is
        // `size / (ascender − descender)` and whose baseline sits
        // `size / 2` below the anchor. (SVG text is drawn as outlines,
        // placed from the same metrics.)
        let svg = std::any::type_name::<DB>().contains("SVGBackend");
        let (size_per_em, baseline_per_em) = (raster, raster / 2.0);
        Canvas {
            area,
            w,
            h,
            u,
            text_u: u,
            lang,
            size_per_em,
            baseline_per_em,
            svg,
            svg_texts: Default::default(),
        }
    }

    /// The texts an SVG canvas kept, to draw as outlines.
    pub fn into_svg_texts(self) -> Vec<TextRun> {
        self.svg_texts.into_inner()
    }

    fn keep_svg_text(&self, run: TextRun) {
        self.svg_texts.borrow_mut().push(run);
    }

    /// Text never smaller than its reference size times `floor` (the
    /// screen's pixels per point, for a chart in a narrow panel).
    pub fn with_text_floor(mut self, floor: f64) -> Self {
        if floor.is_finite() {
            self.text_u = self.u.max(floor.clamp(0.0, 8.0));
        }
        self
    }

    /// A length scaled with the picture (reference pixels at 600 × 360).
    pub fn px(&self, reference: f64) -> i32 {
        (reference * self.u).round() as i32
    }

    /// An em size scaled with the picture (and kept above the floor).
    pub fn em(&self, reference: f64) -> f64 {
        reference * self.text_u
    }

    /// Height of one line of text of `em`.
    pub fn line(&self, em: f64) -> i32 {
        (em * LINE).ceil() as i32
    }

    pub fn fill(&self, c: RGBColor) -> DrawResult {
        self.area.fill(&c).map_err(err)
    }

    /// Width of `s` at `em`, in pixels (rounded up).
    pub fn measure(&self, s: &str, em: f64) -> i32 {
        let w = metrics().width(s) * em;
        if w.is_finite() {
            w.ceil().min(1e9) as i32
        } else {
            0
        }
    }

    /// `s`, shortened with "…" to fit `max_w` pixels.
    pub fn fit(&self, s: &str, em: f64, max_w: i32) -> String {
        if self.measure(s, em) <= max_w {
            return s.to_string();
        }
        let chars: Vec<char> = s.chars().collect();
        let (mut lo, mut hi) = (0usize, chars.len());
        while lo < hi {
            let mid = (lo + hi).div_ceil(2);
            let t: String = chars[..mid].iter().chain(['…'].iter()).collect();
            if self.measure(&t, em) <= max_w {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        if lo == 0 {
            if self.measure("…", em) <= max_w {
                "…".to_string()
            } else {
                String::new()
            }
        } else {
            chars[..lo].iter().chain(['…'].iter()).collect()
        }
    }

    /// Draws one line of text whose line box starts at `top`; `x` is its
    /// left end, centre or right end as `h` says.
    pub fn text(&self, s: &str, x: i32, top: i32, em: f64, c: RGBColor, h: HPos) -> DrawResult {
        if s.is_empty() || !em.is_finite() || em <= 0.0 {
            return Ok(());
        }
        if self.svg {
            let baseline = f64::from(top) + BASELINE * em;
            self.keep_svg_text(TextRun {
                text: s.to_string(),
                x: f64::from(x),
                y: baseline,
                em,
                color: c,
                h,
                up: false,
            });
            return Ok(());
        }
        let y = (f64::from(top) + (BASELINE - self.baseline_per_em) * em).round() as i32;
        let start = f64::from(x) - self.anchor_shift(s, em, h);
        let at = |pen: f64, lsb: f64| ((start + pen).round() as i32 + lsb.floor() as i32, y);
        self.glyphs(s, em, c, at, FontTransform::None)
    }

    /// Draws text turned to read upwards; `left` is the top of its line
    /// box (which faces left), `y` its start, centre or end as `h` says
    /// (`HPos::Left` = the start, at the bottom).
    pub fn text_up(&self, s: &str, left: i32, y: i32, em: f64, c: RGBColor, h: HPos) -> DrawResult {
        if s.is_empty() || !em.is_finite() || em <= 0.0 {
            return Ok(());
        }
        if self.svg {
            let baseline = f64::from(left) + BASELINE * em;
            self.keep_svg_text(TextRun {
                text: s.to_string(),
                x: baseline,
                y: f64::from(y),
                em,
                color: c,
                h,
                up: true,
            });
            return Ok(());
        }
        let x = (f64::from(left) + (BASELINE - self.baseline_per_em) * em).round() as i32;
        let start = f64::from(y) + self.anchor_shift(s, em, h);
        let at = |pen: f64, lsb: f64| (x, (start - pen).round() as i32 - lsb.floor() as i32);
        self.glyphs(s, em, c, at, FontTransform::Rotate270)
    }

    /// How far the start of `s` lies before the anchor.
    fn anchor_shift(&self, s: &str, em: f64, h: HPos) -> f64 {
        let w = metrics().width(s) * em;
        match h {
            HPos::Left => 0.0,
            HPos::Center => w / 2.0,
            HPos::Right => w,
        }
    }

    /// Draws `s` glyph by glyph: each glyph's ink box at its pen position
    /// plus its left side bearing. `at` maps a pen position and a left
    /// side bearing (pixels along the line) to the anchor of a
    /// left-anchored, top-anchored text. ab_glyph puts the ink box at the
    /// whole pixel below the bearing and keeps the fraction inside the
    /// bitmap, so the anchor is the rounded pen plus the floored bearing.
    fn glyphs(
        &self,
        s: &str,
        em: f64,
        c: RGBColor,
        at: impl Fn(f64, f64) -> (i32, i32),
        t: FontTransform,
    ) -> DrawResult {
        let m = metrics();
        let style = TextStyle::from(FontDesc::new(
            FontFamily::Name(FONT_FAMILY),
            em * self.size_per_em,
            FontStyle::Normal,
        ))
        .color(&c)
        .pos(Pos::new(HPos::Left, VPos::Top))
        .transform(t);
        let mut pen = 0.0;
        let mut buf = [0u8; 4];
        for ch in s.chars() {
            let (adv, lsb) = m.h_metrics(ch);
            if !ch.is_whitespace() {
                let glyph: &str = ch.encode_utf8(&mut buf);
                self.area
                    .draw_text(glyph, &style, at(pen, lsb * em))
                    .map_err(err)?;
            }
            pen += adv * em;
        }
        Ok(())
    }

    /// A filled rectangle between two corners (inclusive).
    pub fn rect(&self, x0: i32, y0: i32, x1: i32, y1: i32, c: RGBColor) -> DrawResult {
        let (x0, x1) = (x0.min(x1), x0.max(x1));
        let (y0, y1) = (y0.min(y1), y0.max(y1));
        self.area
            .draw(&Rectangle::new([(x0, y0), (x1, y1)], c.filled()))
            .map_err(err)
    }

    /// A filled circle.
    pub fn dot(&self, x: i32, y: i32, r: i32, c: RGBColor) -> DrawResult {
        self.area
            .draw(&Circle::new((x, y), r.max(1), c.filled()))
            .map_err(err)
    }

    /// A straight line.
    pub fn line_between(
        &self,
        a: (i32, i32),
        b: (i32, i32),
        c: RGBColor,
        width: u32,
    ) -> DrawResult {
        self.area
            .draw(&PathElement::new(vec![a, b], c.stroke_width(width.max(1))))
            .map_err(err)
    }

    /// A horizontal dashed line from `x0` to `x1` at `y`.
    pub fn dashed_h(&self, x0: i32, x1: i32, y: i32, c: RGBColor, width: u32) -> DrawResult {
        let dash = self.px(6.0).max(2);
        let gap = self.px(4.0).max(2);
        let mut x = x0;
        while x < x1 {
            let e = (x + dash).min(x1);
            self.line_between((x, y), (e, y), c, width)?;
            x = e + gap;
        }
        Ok(())
    }

    /// Line width for data lines (pass line, capacity line).
    pub fn stroke(&self) -> u32 {
        (1.5 * self.u).round().max(1.0) as u32
    }
}

// ---------------------------------------------------------------- numbers

/// `v` with thousands separators and `decimals` decimals.
pub(crate) fn group(v: f64, decimals: usize) -> String {
    if !v.is_finite() {
        return "–".to_string();
    }
    if v.abs() >= 1e15 {
        // Beyond any real budget: keep the text short.
        return format!("{v:.2e}");
    }
    let s = format!("{:.*}", decimals, v.abs());
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i.to_string(), Some(f.to_string())),
        None => (s.clone(), None),
    };
    let mut out = String::new();
    let digits: Vec<char> = int.chars().collect();
    for (i, d) in digits.iter().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(*d);
    }
    if let Some(f) = frac {
        out.push('.');
        out.push_str(&f);
    }
    let negative = v < 0.0 && out.chars().any(|c| c.is_ascii_digit() && c != '0');
    if negative { format!("-{out}") } else { out }
}

/// Decimals needed to tell ticks `step` apart.
pub(crate) fn decimals_for(step: f64) -> usize {
    if !step.is_finite() || step <= 0.0 || step >= 1.0 {
        0
    } else {
        ((-step.log10()).ceil() as i64).clamp(0, 6) as usize
    }
}

/// The unit money is shown in: (divisor, axis unit).
pub(crate) fn money_unit(max_yuan: f64, lang: Lang) -> (f64, &'static str) {
    let m = if max_yuan.is_finite() {
        max_yuan.abs()
    } else {
        0.0
    };
    match lang {
        Lang::Zh if m >= 1e9 => (1e8, "亿元"),
        Lang::Zh => (1e4, "万元"),
        Lang::En if m >= 1e10 => (1e9, "billion yuan"),
        Lang::En if m >= 1e7 => (1e6, "million yuan"),
        Lang::En => (1e3, "thousand yuan"),
    }
}

/// A power of ten of yuan, written short (`1万`, `10M`).
pub(crate) fn decade_label(k: i32, lang: Lang) -> String {
    let pow = |e: i32| 10f64.powi(e);
    let (div, suffix) = match lang {
        Lang::Zh if k >= 8 => (pow(8), "亿"),
        Lang::Zh if k >= 4 => (pow(4), "万"),
        Lang::Zh => (1.0, ""),
        Lang::En if k >= 9 => (pow(9), "B"),
        Lang::En if k >= 6 => (pow(6), "M"),
        Lang::En if k >= 3 => (pow(3), "k"),
        Lang::En => (1.0, ""),
    };
    let v = pow(k) / div;
    if !(-6..=15).contains(&k) {
        format!("1e{k}")
    } else if v >= 1.0 {
        format!("{}{suffix}", group(v, 0))
    } else {
        // Below 1 yuan (never in practice): plain decimals.
        format!("{:e}", pow(k))
    }
}

// ---------------------------------------------------------------- axes

/// Ticks of a linear axis that starts at 0.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Ticks {
    pub max: f64,
    pub step: f64,
    pub values: Vec<f64>,
}

/// Nice ticks from 0 to at least `max` (1 when `max` is not positive or not
/// finite), about `target` of them; `min_step` keeps counts whole.
pub(crate) fn ticks_from_zero(max: f64, target: usize, min_step: f64) -> Ticks {
    let max = if max.is_finite() && max > 0.0 {
        max
    } else {
        1.0
    };
    let target = target.clamp(2, 12) as f64;
    let raw = max / target;
    let mag = 10f64.powf(raw.log10().floor());
    let norm = raw / mag;
    let nice = if norm <= 1.0 {
        1.0
    } else if norm <= 2.0 {
        2.0
    } else if norm <= 2.5 {
        2.5
    } else if norm <= 5.0 {
        5.0
    } else {
        10.0
    };
    let mut step = nice * mag;
    if step < min_step {
        step = min_step;
    }
    if !step.is_finite() || step <= 0.0 {
        step = 1.0;
    }
    let n = ((max / step).ceil() as usize).clamp(1, 100);
    let values = (0..=n).map(|i| i as f64 * step).collect();
    Ticks {
        max: n as f64 * step,
        step,
        values,
    }
}

/// The plot rectangle, in pixels of the area.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Plot {
    pub left: i32,
    pub top: i32,
    pub right: i32,
    pub bottom: i32,
}

impl Plot {
    pub fn width(&self) -> i32 {
        (self.right - self.left).max(1)
    }
    pub fn height(&self) -> i32 {
        (self.bottom - self.top).max(1)
    }
    /// Pixel row of `v` on an axis from 0 to `max`.
    pub fn y_of(&self, v: f64, max: f64) -> i32 {
        let f = if max > 0.0 && v.is_finite() {
            (v / max).clamp(0.0, 1.0)
        } else {
            0.0
        };
        self.bottom - (f * f64::from(self.height())).round() as i32
    }
}

/// A legend entry's mark.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Swatch {
    /// A filled square.
    Box(RGBColor),
    /// A dashed line.
    Dashed(RGBColor),
    /// Text only (a note).
    None,
}

/// What the frame around a plot holds.
pub(crate) struct Frame {
    pub legend: Vec<(Swatch, String)>,
    pub y_title: String,
    pub y_labels: Vec<String>,
    pub x_title: String,
    /// Extra room kept free right of the plot.
    pub right_extra: i32,
}

impl<DB: DrawingBackend> Canvas<'_, DB> {
    /// Clears the picture and draws the title; returns the top of the
    /// space below it.
    pub fn begin(&self, title: &str) -> DrawResult<i32> {
        self.fill(color::BACKGROUND)?;
        let pad = self.px(10.0);
        let em = self.em(em::TITLE);
        let title = self.fit(title, em, self.w - 2 * pad);
        self.text(&title, self.w / 2, pad, em, color::TEXT, HPos::Center)?;
        Ok(pad + self.line(em))
    }

    /// A message in the middle of the picture (used for "no data").
    pub fn message(&self, top: i32, msg: &str) -> DrawResult {
        let em = self.em(em::MESSAGE);
        let pad = self.px(10.0);
        let msg = self.fit(msg, em, self.w - 2 * pad);
        let y = top + (self.h - top) / 2 - self.line(em) / 2;
        self.text(&msg, self.w / 2, y.max(top), em, color::MUTED, HPos::Center)
    }

    /// Lays out and draws the legend, axis titles, grid and y ticks;
    /// returns the plot rectangle. `top` is where the space below the title
    /// starts; `y_values` are the tick values matching `f.y_labels`, on an
    /// axis from 0 to `y_max`; `x_labels_h` gives the height the x tick
    /// labels need for a given plot width.
    pub fn frame(
        &self,
        top: i32,
        f: &Frame,
        y_values: &[f64],
        y_max: f64,
        x_labels_h: impl Fn(i32) -> i32,
    ) -> DrawResult<Plot> {
        let pad = self.px(10.0);
        let legend_em = self.em(em::LEGEND);
        let mut y = top + self.px(4.0);
        if !f.legend.is_empty() {
            self.legend(y, &f.legend)?;
            y += self.line(legend_em);
        }
        let plot_top = y + self.px(8.0);
        let axis_em = self.em(em::AXIS);
        let tick_em = self.em(em::TICK);
        let tick_len = self.px(4.0);
        let label_w = f
            .y_labels
            .iter()
            .map(|l| self.measure(l, tick_em))
            .max()
            .unwrap_or(0);
        let left = pad + self.line(axis_em) + self.px(4.0) + label_w + tick_len + self.px(3.0);
        let right = self.w - pad - f.right_extra;
        let x_labels_h = x_labels_h((right - left).max(1)).max(0);
        let bottom = self.h - pad - self.line(axis_em) - self.px(4.0) - x_labels_h - tick_len;
        let plot = Plot {
            left: left.min(self.w - 2),
            top: plot_top.min(self.h - 2),
            right: right.max(left.min(self.w - 2) + 1),
            bottom: bottom.max(plot_top.min(self.h - 2) + 1),
        };
        // Grid and y ticks.
        for (v, label) in y_values.iter().zip(&f.y_labels) {
            let py = plot.y_of(*v, y_max);
            if *v > 0.0 {
                self.line_between((plot.left, py), (plot.right, py), color::GRID, 1)?;
            }
            self.line_between((plot.left - tick_len, py), (plot.left, py), color::AXIS, 1)?;
            let t = py - self.line(tick_em) / 2;
            self.text(
                label,
                plot.left - tick_len - self.px(3.0),
                t,
                tick_em,
                color::MUTED,
                HPos::Right,
            )?;
        }
        // Axis titles.
        let y_title = self.fit(&f.y_title, axis_em, plot.height() + self.px(20.0));
        self.text_up(
            &y_title,
            pad,
            (plot.top + plot.bottom) / 2,
            axis_em,
            color::TEXT,
            HPos::Center,
        )?;
        let x_title = self.fit(&f.x_title, axis_em, self.w - 2 * pad);
        let x_title_top = self.h - pad - self.line(axis_em);
        self.text(
            &x_title,
            (plot.left + plot.right) / 2,
            x_title_top,
            axis_em,
            color::TEXT,
            HPos::Center,
        )?;
        Ok(plot)
    }

    /// Draws the axis lines (after the data, so they stay on top).
    pub fn axes(&self, plot: &Plot) -> DrawResult {
        self.line_between(
            (plot.left, plot.top),
            (plot.left, plot.bottom),
            color::AXIS,
            1,
        )?;
        self.line_between(
            (plot.left, plot.bottom),
            (plot.right, plot.bottom),
            color::AXIS,
            1,
        )
    }

    /// A legend row centred at `top`; entries that do not fit are left out.
    pub fn legend(&self, top: i32, items: &[(Swatch, String)]) -> DrawResult {
        let em = self.em(em::LEGEND);
        let sw = self.px(10.0).max(4);
        let dash_w = self.px(18.0).max(8);
        let gap = self.px(4.0);
        let spacing = self.px(14.0);
        let widths: Vec<i32> = items
            .iter()
            .map(|(s, l)| {
                let mark = match s {
                    Swatch::Box(_) => sw + gap,
                    Swatch::Dashed(_) => dash_w + gap,
                    Swatch::None => 0,
                };
                mark + self.measure(l, em)
            })
            .collect();
        let avail = self.w - 2 * self.px(10.0);
        let mut n = items.len();
        let total = |n: usize| -> i32 {
            widths[..n].iter().sum::<i32>() + spacing * (n.saturating_sub(1)) as i32
        };
        while n > 0 && total(n) > avail {
            n -= 1;
        }
        let mut x = (self.w - total(n)) / 2;
        let line = self.line(em);
        let mid = top + line / 2;
        for ((s, label), w) in items[..n].iter().zip(&widths) {
            let (mark_w, text_color) = match s {
                Swatch::Box(c) => {
                    self.rect(x, mid - sw / 2, x + sw - 1, mid - sw / 2 + sw - 1, *c)?;
                    (sw + gap, color::TEXT)
                }
                Swatch::Dashed(c) => {
                    self.dashed_h(x, x + dash_w, mid, *c, self.stroke())?;
                    (dash_w + gap, color::TEXT)
                }
                Swatch::None => (0, color::MUTED),
            };
            self.text(label, x + mark_w, top, em, text_color, HPos::Left)?;
            x += w + spacing;
        }
        Ok(())
    }

    /// Number of y ticks that suits the picture's height.
    pub fn tick_target(&self) -> usize {
        ((f64::from(self.h) * 0.55) / (self.u * 34.0))
            .round()
            .clamp(3.0, 8.0) as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grouping_and_decimals() {
        assert_eq!(group(0.0, 0), "0");
        assert_eq!(group(1234567.0, 0), "1,234,567");
        assert_eq!(group(-1234.5, 1), "-1,234.5");
        assert_eq!(group(-0.01, 0), "0");
        assert_eq!(group(f64::NAN, 0), "–");
        assert_eq!(group(1.5e300, 0), "1.50e300");
        assert_eq!(decimals_for(0.5), 1);
        assert_eq!(decimals_for(0.25), 1);
        assert_eq!(decimals_for(2.0), 0);
        assert_eq!(decimals_for(0.05), 2);
    }

    #[test]
    fn ticks_are_nice_and_cover_the_maximum() {
        let t = ticks_from_zero(87.0, 5, 0.0);
        assert_eq!(t.step, 20.0);
        assert_eq!(t.max, 100.0);
        let t = ticks_from_zero(3.0, 6, 1.0);
        assert_eq!(t.step, 1.0);
        assert_eq!(t.values, vec![0.0, 1.0, 2.0, 3.0]);
        for bad in [0.0, -5.0, f64::NAN, f64::INFINITY] {
            let t = ticks_from_zero(bad, 5, 0.0);
            assert!(t.max > 0.0 && t.max.is_finite() && t.values.len() >= 2);
        }
        let t = ticks_from_zero(1e-300, 5, 0.0);
        assert!(t.step > 0.0 && t.values.len() <= 101);
    }

    #[test]
    fn units_and_decades() {
        assert_eq!(money_unit(5e6, Lang::Zh), (1e4, "万元"));
        assert_eq!(money_unit(5e9, Lang::Zh), (1e8, "亿元"));
        assert_eq!(money_unit(5e6, Lang::En), (1e3, "thousand yuan"));
        assert_eq!(money_unit(f64::NAN, Lang::En), (1e3, "thousand yuan"));
        assert_eq!(decade_label(4, Lang::Zh), "1万");
        assert_eq!(decade_label(7, Lang::Zh), "1,000万");
        assert_eq!(decade_label(9, Lang::Zh), "10亿");
        assert_eq!(decade_label(2, Lang::Zh), "100");
        assert_eq!(decade_label(5, Lang::En), "100k");
        assert_eq!(decade_label(6, Lang::En), "1M");
        assert_eq!(decade_label(-300, Lang::En), "1e-300");
        assert_eq!(decade_label(-2, Lang::En), "1e-2");
    }
}
