//! Dashboard charts, drawn with plotters onto any `DrawingBackend`.
//!
//! The same drawing code fills the desktop app's RGB texture
//! ([`render_rgb`]) and writes PNG ([`save_png`]) and SVG ([`save_svg`],
//! [`svg_string`]) exports. All text uses the bundled font ([`CJK_FONT`],
//! registered with plotters by [`ensure_registered`]); no system font is
//! looked up. Sizes, fonts and line widths scale with the picture (the
//! reference is the app's 600 × 360; exports default to 1600 × 1000).
//!
//! Charts:
//! - [`ChartKind::CostByLevel`]: annual cost per level, before and after.
//! - [`ChartKind::CoverageByLevel`]: share of each level's own population
//!   served by a passing site, before and after.
//! - [`ChartKind::BudgetVsScore`]: every site with an inspection score, by
//!   annual budget (log scale; budgets of 0 in a separate band at the left)
//!   and score, merged sites highlighted, with the pass line. Sites without
//!   a score are not plotted; the legend says how many.
//! - [`ChartKind::TargetLoad`]: merged sites absorbed by each receiving
//!   site (the 30 busiest), over-capacity bars in red, with the capacity
//!   line when one is set.
//!
//! - [`ChartKind::CashFlow`]: net per quarter and the cumulative net over
//!   the timeline's horizon, with the payback quarter marked (MODEL.md §8).
//! - [`ChartKind::Closures`]: closures per quarter.
//! - [`ChartKind::Treemap`]: the hierarchy as nested rectangles sized by
//!   budget or population, coloured by decision or inspection result.
//! - [`ChartKind::PassRateByRound`]: the pass rate of each level in each
//!   inspection round loaded (MODEL.md §9).
//!
//! Every chart draws a "no data" message instead of failing when there is
//! nothing to show.

mod bars;
mod canvas;
mod error;
mod font;
mod rounds;
mod scatter;
mod svg_text;
#[cfg(test)]
mod tests;
mod timeline;
mod treemap;

use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::i18n::Lang;
use crate::inventory::Inventory;
use crate::outcome::{Model, Outcome};
use crate::plan::Decision;

pub use error::ChartError;
pub use font::{CJK_FONT, FONT_FAMILY, ensure_registered};

/// Default size of exported pictures.
pub const EXPORT_SIZE: (u32, u32) = (1600, 1000);
/// The size the app's dashboard is laid out for.
pub const APP_SIZE: (u32, u32) = (600, 360);
/// Largest width or height accepted.
pub const MAX_SIDE: u32 = 16_384;
/// Largest picture accepted, in pixels (an RGB buffer of 150 MB).
pub const MAX_PIXELS: u64 = 50_000_000;
/// Receiving sites shown by [`ChartKind::TargetLoad`].
pub const TARGETS_SHOWN: usize = 30;

/// The charts of the dashboard.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum ChartKind {
    /// Annual cost by level, before and after.
    #[default]
    CostByLevel,
    /// Coverage by level, before and after.
    CoverageByLevel,
    /// Annual budget against inspection score.
    BudgetVsScore,
    /// Merged sites absorbed per receiving site.
    TargetLoad,
    /// Net and cumulative net per quarter, with the payback point.
    CashFlow,
    /// Closures per quarter.
    Closures,
    /// Pass rate by level in each inspection round.
    PassRateByRound,
    /// The hierarchy as nested rectangles.
    Treemap(TreemapStyle),
}

/// How the treemap chart sizes and colours its rectangles.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct TreemapStyle {
    /// Sized by population (else by budget).
    pub population: bool,
    /// Coloured by inspection result (else by decision).
    pub inspection: bool,
}

impl ChartKind {
    /// The timeline's charts.
    pub const TIMELINE: [ChartKind; 2] = [ChartKind::CashFlow, ChartKind::Closures];

    /// Every chart: the dashboard's, the timeline's, the rounds', the
    /// treemaps.
    pub const EVERY: [ChartKind; 11] = [
        ChartKind::CostByLevel,
        ChartKind::CoverageByLevel,
        ChartKind::BudgetVsScore,
        ChartKind::TargetLoad,
        ChartKind::CashFlow,
        ChartKind::Closures,
        ChartKind::PassRateByRound,
        ChartKind::Treemap(TreemapStyle {
            population: false,
            inspection: false,
        }),
        ChartKind::Treemap(TreemapStyle {
            population: false,
            inspection: true,
        }),
        ChartKind::Treemap(TreemapStyle {
            population: true,
            inspection: false,
        }),
        ChartKind::Treemap(TreemapStyle {
            population: true,
            inspection: true,
        }),
    ];

    /// The dashboard's charts, in order.
    pub const ALL: [ChartKind; 4] = [
        ChartKind::CostByLevel,
        ChartKind::CoverageByLevel,
        ChartKind::BudgetVsScore,
        ChartKind::TargetLoad,
    ];

    /// The name used on the command line and in file names.
    pub fn key(self) -> &'static str {
        match self {
            ChartKind::CostByLevel => "cost-by-level",
            ChartKind::CoverageByLevel => "coverage-by-level",
            ChartKind::BudgetVsScore => "budget-vs-score",
            ChartKind::TargetLoad => "target-load",
            ChartKind::CashFlow => "cash-flow",
            ChartKind::Closures => "closures",
            ChartKind::PassRateByRound => "pass-rate-by-round",
            ChartKind::Treemap(TreemapStyle {
                population,
                inspection,
            }) => match (population, inspection) {
                (false, false) => "treemap",
                (false, true) => "treemap-inspection",
                (true, false) => "treemap-population",
                (true, true) => "treemap-population-inspection",
            },
        }
    }

    /// The chart with this key (case and surrounding space ignored).
    pub fn from_key(key: &str) -> Option<ChartKind> {
        let key = key.trim();
        ChartKind::EVERY
            .into_iter()
            .find(|k| k.key().eq_ignore_ascii_case(key))
    }

    /// The chart's title.
    pub fn title(self, lang: Lang) -> &'static str {
        match self {
            ChartKind::CostByLevel => {
                lang.pick("各层级年度成本（整合前后）", "Annual cost by level")
            }
            ChartKind::CoverageByLevel => lang.pick(
                "各层级由合格网站服务的人口比例",
                "Population served by a passing site, by level",
            ),
            ChartKind::BudgetVsScore => {
                lang.pick("年度预算与检查得分", "Annual budget vs inspection score")
            }
            ChartKind::TargetLoad => lang.pick(
                "各承接网站并入的网站数",
                "Sites absorbed per receiving site",
            ),
            ChartKind::CashFlow => lang.pick(
                "各季度净额与累计净额（回本点）",
                "Net and cumulative net by quarter (payback)",
            ),
            ChartKind::Closures => lang.pick("各季度关停网站数", "Closures per quarter"),
            ChartKind::PassRateByRound => lang.pick(
                "各轮检查各层级合格率",
                "Pass rate by level in each inspection round",
            ),
            ChartKind::Treemap(TreemapStyle {
                population,
                inspection,
            }) => match (population, inspection) {
                (false, false) => lang.pick(
                    "网站层级结构（面积：年度预算；颜色：处理决定）",
                    "The hierarchy (area: annual budget; colour: decision)",
                ),
                (false, true) => lang.pick(
                    "网站层级结构（面积：年度预算；颜色：检查结果）",
                    "The hierarchy (area: annual budget; colour: inspection)",
                ),
                (true, false) => lang.pick(
                    "网站层级结构（面积：服务人口；颜色：处理决定）",
                    "The hierarchy (area: population; colour: decision)",
                ),
                (true, true) => lang.pick(
                    "网站层级结构（面积：服务人口；颜色：检查结果）",
                    "The hierarchy (area: population; colour: inspection)",
                ),
            },
        }
    }
}

/// What the charts are drawn from.
#[derive(Clone, Copy, Debug)]
pub struct ChartData<'a> {
    /// The sites.
    pub inventory: &'a Inventory,
    /// Per-site figures and the parameters.
    pub model: &'a Model,
    /// The plan's outcome.
    pub outcome: &'a Outcome,
    /// One decision per site (missing ones count as keep).
    pub decisions: &'a [Decision],
    /// The cash flow of the schedule (MODEL.md §8), for the timeline's
    /// charts (`None`: they show "no data").
    pub flow: Option<&'a crate::timeline::CashFlow>,
    /// Each inspection round's sites inspected and passing by level
    /// ([`crate::rounds::Rounds::pass_rates`]), for the rounds chart.
    pub pass_rates: Option<&'a [crate::rounds::PassRates]>,
}

impl ChartData<'_> {
    /// True when site `i` is merged: its decision is a merge and it has a
    /// parent (a top site is always kept).
    pub fn is_merged(&self, i: usize) -> bool {
        self.decisions.get(i).is_some_and(|d| d.is_merge())
            && self
                .inventory
                .sites()
                .get(i)
                .is_some_and(|s| s.parent.is_some())
    }
}

/// A bar as drawn, so the app can show what is under the mouse.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BarRegion {
    /// What the bar stands for: the level number (0 national … 4 township)
    /// in the level charts, the receiving site's index in
    /// [`ChartKind::TargetLoad`].
    pub item: usize,
    /// 0 for "before", 1 for "after" (always 0 in `TargetLoad`).
    pub series: u8,
    /// Left, top, right, bottom, in pixels of the drawing area (inclusive).
    pub rect: [i32; 4],
}

/// Where things were drawn, in pixels relative to the top-left corner of
/// the drawing area passed to [`draw`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ChartLayout {
    /// The chart drawn.
    pub kind: ChartKind,
    /// Size of the drawing area.
    pub size: (u32, u32),
    /// The plot rectangle: left, top, right, bottom (all 0 when the chart
    /// shows "no data").
    pub plot: [i32; 4],
    /// [`ChartKind::BudgetVsScore`]: every plotted site, as (site index,
    /// x, y) of its marker's centre, kept sites first, then merged ones
    /// (drawn on top). Empty for the other charts.
    pub points: Vec<(usize, i32, i32)>,
    /// The bars of the bar charts.
    pub bars: Vec<BarRegion>,
}

/// The plotted site nearest to (`x`, `y`) within `radius` pixels (same
/// coordinates as [`ChartLayout::points`]). On a tie the one drawn last
/// (on top) wins.
pub fn hit_test(layout: &ChartLayout, x: f32, y: f32, radius: f32) -> Option<usize> {
    if !(x.is_finite() && y.is_finite() && radius.is_finite()) || radius < 0.0 {
        return None;
    }
    let r2 = radius * radius;
    let mut best: Option<(f32, usize)> = None;
    for &(i, px, py) in &layout.points {
        let (dx, dy) = (px as f32 - x, py as f32 - y);
        let d2 = dx * dx + dy * dy;
        if d2 <= r2 && best.is_none_or(|(b, _)| d2 <= b) {
            best = Some((d2, i));
        }
    }
    best.map(|(_, i)| i)
}

/// The bar under (`x`, `y`), if any.
pub fn bar_at(layout: &ChartLayout, x: f32, y: f32) -> Option<BarRegion> {
    layout.bars.iter().rev().copied().find(|b| {
        let [l, t, r, bt] = b.rect;
        x >= l as f32 && x <= r as f32 + 1.0 && y >= t as f32 && y <= bt as f32 + 1.0
    })
}

/// Draws `kind` onto `root` (the whole area; the caller presents it).
/// For SVG use [`svg_string`], which draws the text as outlines: plotters'
/// SVG backend given here gets the chart without its text.
pub fn draw<DB: DrawingBackend>(
    root: DrawingArea<DB, Shift>,
    kind: ChartKind,
    data: &ChartData<'_>,
    lang: Lang,
) -> Result<ChartLayout, ChartError> {
    draw_with_text_floor(root, kind, data, lang, 0.0)
}

/// [`draw`] with text at least its reference size times `text_floor`.
fn draw_with_text_floor<DB: DrawingBackend>(
    root: DrawingArea<DB, Shift>,
    kind: ChartKind,
    data: &ChartData<'_>,
    lang: Lang,
    text_floor: f64,
) -> Result<ChartLayout, ChartError> {
    draw_keeping_svg_text(root, kind, data, lang, text_floor).map(|(layout, _)| layout)
}

/// Draws the chart; an SVG backend's texts are handed back to be drawn
/// as outlines ([`svg_text`]).
fn draw_keeping_svg_text<DB: DrawingBackend>(
    root: DrawingArea<DB, Shift>,
    kind: ChartKind,
    data: &ChartData<'_>,
    lang: Lang,
    text_floor: f64,
) -> Result<(ChartLayout, Vec<svg_text::TextRun>), ChartError> {
    ensure_registered()?;
    let cv = canvas::Canvas::new(&root, lang).with_text_floor(text_floor);
    let mut layout = ChartLayout {
        kind,
        size: root.dim_in_pixel(),
        ..Default::default()
    };
    match kind {
        ChartKind::CostByLevel => bars::cost_by_level(&cv, data, &mut layout)?,
        ChartKind::CoverageByLevel => bars::coverage_by_level(&cv, data, &mut layout)?,
        ChartKind::BudgetVsScore => scatter::budget_vs_score(&cv, data, &mut layout)?,
        ChartKind::TargetLoad => bars::target_load(&cv, data, &mut layout)?,
        ChartKind::CashFlow => timeline::cash_flow(&cv, data, &mut layout)?,
        ChartKind::Closures => timeline::closures(&cv, data, &mut layout)?,
        ChartKind::PassRateByRound => rounds::pass_rate_by_round(&cv, data, &mut layout)?,
        ChartKind::Treemap(style) => treemap::treemap(&cv, data, style, &mut layout)?,
    }
    Ok((layout, cv.into_svg_texts()))
}

fn check_size(width: u32, height: u32) -> Result<(), ChartError> {
    if width == 0 || height == 0 || width > MAX_SIDE || height > MAX_SIDE {
        return Err(ChartError::SideOutOfRange { width, height });
    }
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(ChartError::TooManyPixels { width, height });
    }
    Ok(())
}

/// Renders `kind` into an RGB8 buffer (`width × height × 3` bytes, rows
/// top to bottom), for the app's texture.
pub fn render_rgb(
    kind: ChartKind,
    data: &ChartData<'_>,
    lang: Lang,
    width: u32,
    height: u32,
) -> Result<(Vec<u8>, ChartLayout), ChartError> {
    render_rgb_for_screen(kind, data, lang, width, height, 0.0)
}

/// [`render_rgb`] for a screen of `pixels_per_point`: however narrow the
/// chart, its text is at least its reference size in points (tick labels
/// 11 points), as a chart in a side panel needs.
pub fn render_rgb_for_screen(
    kind: ChartKind,
    data: &ChartData<'_>,
    lang: Lang,
    width: u32,
    height: u32,
    pixels_per_point: f64,
) -> Result<(Vec<u8>, ChartLayout), ChartError> {
    check_size(width, height)?;
    let mut buf = vec![255u8; width as usize * height as usize * 3];
    let layout = {
        let backend = BitMapBackend::with_buffer(&mut buf, (width, height));
        let root = backend.into_drawing_area();
        let layout = draw_with_text_floor(root.clone(), kind, data, lang, pixels_per_point)?;
        root.present().map_err(ChartError::draw)?;
        layout
    };
    Ok((buf, layout))
}

/// Renders `kind` as an SVG document. Its text is drawn as the outlines
/// of the bundled font's glyphs (each labelled with its words), so that
/// every viewer shows it the same, whatever fonts it has.
pub fn svg_string(
    kind: ChartKind,
    data: &ChartData<'_>,
    lang: Lang,
    width: u32,
    height: u32,
) -> Result<String, ChartError> {
    check_size(width, height)?;
    let mut out = String::new();
    let texts = {
        let backend = SVGBackend::with_string(&mut out, (width, height));
        let root = backend.into_drawing_area();
        let (_, texts) = draw_keeping_svg_text(root.clone(), kind, data, lang, 0.0)?;
        root.present().map_err(ChartError::draw)?;
        texts
    };
    svg_text::insert(&mut out, &texts);
    Ok(out)
}

/// A chart file that could not be written.
fn write_error(path: &Path) -> impl Fn(std::io::Error) -> ChartError + '_ {
    |source| ChartError::Write {
        path: path.to_path_buf(),
        source,
    }
}

/// Writes `kind` as an SVG file (atomically, see [`crate::atomic`]).
pub fn save_svg(
    path: &Path,
    kind: ChartKind,
    data: &ChartData<'_>,
    lang: Lang,
    width: u32,
    height: u32,
) -> Result<(), ChartError> {
    let svg = svg_string(kind, data, lang, width, height)?;
    crate::atomic::write_atomic(path, svg.as_bytes()).map_err(write_error(path))
}

/// Writes `kind` as a PNG file (atomically, see [`crate::atomic`]): drawn
/// into memory, then encoded straight into the temporary file.
pub fn save_png(
    path: &Path,
    kind: ChartKind,
    data: &ChartData<'_>,
    lang: Lang,
    width: u32,
    height: u32,
) -> Result<(), ChartError> {
    let (rgb, _) = render_rgb(kind, data, lang, width, height)?;
    let mut file = crate::atomic::AtomicFile::create(path).map_err(write_error(path))?;
    encode_png(&mut file, &rgb, width, height).map_err(write_error(path))?;
    file.commit().map_err(write_error(path))
}

/// `kind` as the bytes of a PNG picture (for documents that embed it).
pub fn png_bytes(
    kind: ChartKind,
    data: &ChartData<'_>,
    lang: Lang,
    width: u32,
    height: u32,
) -> Result<Vec<u8>, ChartError> {
    let (rgb, _) = render_rgb(kind, data, lang, width, height)?;
    let mut out = Vec::new();
    encode_png(&mut out, &rgb, width, height).map_err(ChartError::draw)?;
    Ok(out)
}

/// Encodes an RGB8 picture as PNG into `out`.
fn encode_png(
    out: &mut dyn std::io::Write,
    rgb: &[u8],
    width: u32,
    height: u32,
) -> std::io::Result<()> {
    let mut enc = png::Encoder::new(out, width, height);
    enc.set_color(png::ColorType::Rgb);
    enc.set_depth(png::BitDepth::Eight);
    let as_io = |e: png::EncodingError| match e {
        png::EncodingError::IoError(e) => e,
        other => std::io::Error::other(other.to_string()),
    };
    let mut w = enc.write_header().map_err(as_io)?;
    w.write_image_data(rgb).map_err(as_io)?;
    w.finish().map_err(as_io)
}
