//! SVG text as outlines of the bundled font.
//!
//! An SVG `<text>` element names a font, and a viewer that has none of
//! the names draws boxes or nothing (ImageMagick and cairosvg did, with
//! the Chinese font names charts used to carry). So the SVG charts draw
//! every text as the outlines of [`super::CJK_FONT`]'s glyphs, placed
//! exactly as the bitmap charts place them (advances from the font's
//! metrics), and keep the words themselves in an `aria-label`, for
//! screen readers and for searching the file.

use std::fmt::Write;
use std::sync::OnceLock;

use ab_glyph::{Font, FontRef, OutlineCurve, Point};
use plotters::style::RGBColor;
use plotters::style::text_anchor::HPos;

use super::font::{CJK_FONT, metrics};

/// One line of text to draw as outlines.
#[derive(Clone)]
pub(crate) struct TextRun {
    /// The words.
    pub text: String,
    /// Pixels from the left edge: the anchor along the line (its start,
    /// centre or end as `h` says) for level text; the baseline for text
    /// turned to read upwards.
    pub x: f64,
    /// Pixels from the top: the baseline for level text; the anchor
    /// along the line for text read upwards.
    pub y: f64,
    /// Em size in pixels.
    pub em: f64,
    /// Colour.
    pub color: RGBColor,
    /// Which end of the text the anchor is.
    pub h: HPos,
    /// Turned a quarter to the left, reading upwards.
    pub up: bool,
}

fn font() -> Option<&'static FontRef<'static>> {
    static FONT: OnceLock<Option<FontRef<'static>>> = OnceLock::new();
    FONT.get_or_init(|| FontRef::try_from_slice(CJK_FONT).ok())
        .as_ref()
}

/// Appends a coordinate rounded to a hundredth of a pixel, without
/// trailing zeros.
fn num(out: &mut String, v: f64) {
    let r = (v * 100.0).round() / 100.0;
    let r = if r == 0.0 { 0.0 } else { r };
    let _ = write!(out, "{r}");
}

fn point(out: &mut String, p: (f64, f64)) {
    num(out, p.0);
    out.push(',');
    num(out, p.1);
}

/// The path data (`d`) of `run`'s glyphs, in pixels.
fn path_data(font: &FontRef<'_>, run: &TextRun) -> String {
    let m = metrics();
    let upem = f64::from(font.units_per_em().unwrap_or(1000.0));
    let k = run.em / upem;
    let width = m.width(&run.text) * run.em;
    let shift = match run.h {
        HPos::Left => 0.0,
        HPos::Center => width / 2.0,
        HPos::Right => width,
    };
    // Along the line from its start, across it upwards from the
    // baseline: to picture pixels.
    let place = |along: f64, rise: f64| -> (f64, f64) {
        if run.up {
            (run.x - rise, run.y + shift - along)
        } else {
            (run.x - shift + along, run.y - rise)
        }
    };
    let mut d = String::new();
    let mut pen = 0.0;
    for c in run.text.chars() {
        let (advance, _) = m.h_metrics(c);
        if !c.is_whitespace()
            && let Some(outline) = font.outline(font.glyph_id(c))
        {
            let at = |p: Point| place(pen + f64::from(p.x) * k, f64::from(p.y) * k);
            let mut end: Option<Point> = None;
            for curve in &outline.curves {
                let start = match curve {
                    OutlineCurve::Line(a, _)
                    | OutlineCurve::Quad(a, _, _)
                    | OutlineCurve::Cubic(a, _, _, _) => *a,
                };
                if end != Some(start) {
                    if end.is_some() {
                        d.push('Z');
                    }
                    d.push('M');
                    point(&mut d, at(start));
                }
                match curve {
                    OutlineCurve::Line(_, b) => {
                        d.push('L');
                        point(&mut d, at(*b));
                        end = Some(*b);
                    }
                    OutlineCurve::Quad(_, b, c) => {
                        d.push('Q');
                        point(&mut d, at(*b));
                        d.push(' ');
                        point(&mut d, at(*c));
                        end = Some(*c);
                    }
                    OutlineCurve::Cubic(_, b, c, e) => {
                        d.push('C');
                        point(&mut d, at(*b));
                        d.push(' ');
                        point(&mut d, at(*c));
                        d.push(' ');
                        point(&mut d, at(*e));
                        end = Some(*e);
                    }
                }
            }
            if end.is_some() {
                d.push('Z');
            }
        }
        pen += advance * run.em;
    }
    d
}

/// Escapes text for an attribute value.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// The SVG elements drawing `runs`: one `<path>` per run, filled in its
/// colour, labelled with its words.
pub(crate) fn elements(runs: &[TextRun]) -> String {
    let Some(font) = font() else {
        return String::new();
    };
    let mut out = String::new();
    for run in runs {
        let d = path_data(font, run);
        let RGBColor(r, g, b) = run.color;
        let _ = writeln!(
            out,
            r##"<path fill="#{r:02X}{g:02X}{b:02X}" stroke="none" aria-label="{}" d="{}"/>"##,
            escape(&run.text),
            if d.is_empty() { "M0,0" } else { &d }
        );
    }
    out
}

/// `svg` with `runs` drawn last, just before its closing tag (so text
/// stays above bars and lines, as in the bitmaps).
pub(crate) fn insert(svg: &mut String, runs: &[TextRun]) {
    if runs.is_empty() {
        return;
    }
    let at = svg.rfind("</svg>").unwrap_or(svg.len());
    svg.insert_str(at, &elements(runs));
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn run(text: &str, h: HPos, up: bool) -> TextRun {
        TextRun {
            text: text.into(),
            x: 100.0,
            y: 50.0,
            em: 20.0,
            color: RGBColor(38, 44, 54),
            h,
            up,
        }
    }

    /// The extent of a path's coordinates.
    pub(crate) fn extent(d: &str) -> [f64; 4] {
        let nums: Vec<f64> = d
            .split(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-'))
            .filter(|s| !s.is_empty())
            .map(|s| s.parse().expect("number"))
            .collect();
        let xs = nums.iter().step_by(2);
        let ys = nums.iter().skip(1).step_by(2);
        [
            xs.clone().copied().fold(f64::MAX, f64::min),
            ys.clone().copied().fold(f64::MAX, f64::min),
            xs.copied().fold(f64::MIN, f64::max),
            ys.copied().fold(f64::MIN, f64::max),
        ]
    }

    #[test]
    fn glyphs_sit_on_the_baseline_from_the_anchor() {
        let font = font().expect("the bundled font parses");
        let d = path_data(font, &run("国A", HPos::Left, false));
        assert!(d.starts_with('M') && d.ends_with('Z'), "{d}");
        let [x0, y0, x1, y1] = extent(&d);
        // Two glyphs 1.608 em wide from x = 100, above the baseline at
        // y = 50 (国 reaches about 0.8 em up and a little below).
        assert!((100.0..104.0).contains(&x0), "{x0}");
        assert!(x1 > 125.0 && x1 <= 100.0 + 1.608 * 20.0, "{x1}");
        assert!(y0 > 50.0 - 20.0 && y0 < 50.0 - 12.0, "{y0}");
        assert!(y1 > 49.0 && y1 < 54.0, "{y1}");
        // Centred and right-aligned text moves left by half and all of it.
        let centred = extent(&path_data(font, &run("国A", HPos::Center, false)));
        assert!((centred[0] - (x0 - 1.608 * 10.0)).abs() < 0.02);
        let right = extent(&path_data(font, &run("国A", HPos::Right, false)));
        assert!((right[0] - (x0 - 1.608 * 20.0)).abs() < 0.02);
    }

    #[test]
    fn upward_text_runs_up_from_the_anchor_left_of_the_baseline() {
        let font = font().expect("font");
        let [x0, y0, x1, y1] = extent(&path_data(font, &run("国国", HPos::Left, true)));
        // 国 reaches a little below its baseline: right of x = 100.
        assert!(x1 <= 102.0 && x0 > 100.0 - 20.0, "{x0} {x1}");
        assert!(y1 <= 50.0 && (10.0..15.0).contains(&y0), "{y0} {y1}");
    }

    #[test]
    fn elements_are_labelled_paths_in_the_run_colour() {
        let mut svg = "<svg>\n<rect/>\n</svg>\n".to_string();
        insert(&mut svg, &[run("预算 < 5 & \"x\"", HPos::Left, false)]);
        assert!(
            svg.starts_with("<svg>\n<rect/>\n<path fill=\"#262C36\" stroke=\"none\""),
            "{svg}"
        );
        assert!(svg.contains("aria-label=\"预算 &lt; 5 &amp; &quot;x&quot;\""));
        assert!(svg.ends_with("\"/>\n</svg>\n"));
        assert!(!svg.contains("<text"));
        // Spaces only: an empty path, still labelled.
        assert!(elements(&[run("  ", HPos::Left, false)]).contains("d=\"M0,0\""));
    }
}
