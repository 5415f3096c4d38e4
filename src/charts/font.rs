//! The bundled CJK font and its registration with plotters.
//!
//! The font is embedded once in the crate ([`CJK_FONT`]); the desktop app
//! hands the same bytes to egui. Charts never look up system fonts: the
//! font is registered with plotters' `ab_glyph` support under
//! [`FONT_FAMILY`] (and under `sans-serif`, so that any plotters text that
//! asks for the default family also gets it).

use std::sync::OnceLock;

use plotters::style::FontStyle;

use super::ChartError;

/// Noto Sans SC (subset, CFF outlines, every GBK character); see
/// `assets/fonts/README.md`.
pub static CJK_FONT: &[u8] = include_bytes!("../../assets/fonts/NotoSansSC-Regular.otf");

/// The family name the bundled font is registered under with plotters.
/// Bitmaps are rasterised from [`CJK_FONT`] whatever the name; SVG files
/// carry no font name at all (their text is drawn as outlines).
pub const FONT_FAMILY: &str =
    "Noto Sans SC, Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, sans-serif";

/// Registers the bundled font with plotters (once per process). Every
/// chart entry point calls it; calling it again is cheap.
pub fn ensure_registered() -> Result<(), ChartError> {
    static DONE: OnceLock<bool> = OnceLock::new();
    let registered = *DONE.get_or_init(|| {
        [FONT_FAMILY, "sans-serif"]
            .into_iter()
            .all(|name| plotters::style::register_font(name, FontStyle::Normal, CJK_FONT).is_ok())
    });
    if registered {
        Ok(())
    } else {
        Err(ChartError::Font)
    }
}

/// What the charts need from the font's tables: vertical metrics, and each
/// character's advance and left side bearing.
///
/// plotters' ab_glyph text drawing places every glyph's ink box at the pen
/// position, dropping the left side bearing (visible as a gap after "（"
/// and uneven spacing in Latin text). The bitmap charts therefore place
/// each glyph themselves, with these metrics.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Metrics {
    /// `ascender − descender` in em, as `ab_glyph` (through `ttf-parser`)
    /// reads them: plotters' bitmap text of size `s` has an em of
    /// `s / height`.
    pub height: f64,
    upem: f64,
    /// Offsets of the format 4 and format 12 Unicode cmap subtables.
    cmap4: Option<usize>,
    cmap12: Option<usize>,
    hmtx: usize,
    num_h_metrics: usize,
    num_glyphs: usize,
}

/// The font's metrics (parsed from its tables once).
pub(crate) fn metrics() -> &'static Metrics {
    static M: OnceLock<Metrics> = OnceLock::new();
    M.get_or_init(|| {
        parse_metrics(CJK_FONT).unwrap_or(Metrics {
            height: 1.24,
            upem: 1000.0,
            cmap4: None,
            cmap12: None,
            hmtx: 0,
            num_h_metrics: 0,
            num_glyphs: 0,
        })
    })
}

fn u16_at(font: &[u8], o: usize) -> Option<u16> {
    Some(u16::from_be_bytes(
        font.get(o..o.checked_add(2)?)?.try_into().ok()?,
    ))
}

fn u32_at(font: &[u8], o: usize) -> Option<u32> {
    Some(u32::from_be_bytes(
        font.get(o..o.checked_add(4)?)?.try_into().ok()?,
    ))
}

/// Reads `head.unitsPerEm`, the ascender and descender that `ttf-parser`
/// uses (OS/2 typographic ones when `USE_TYPO_METRICS` is set, else
/// `hhea`), and locates `cmap` and `hmtx`.
fn parse_metrics(font: &[u8]) -> Option<Metrics> {
    let table = |tag: &[u8; 4]| -> Option<usize> {
        let n = u16_at(font, 4)? as usize;
        (0..n).find_map(|i| {
            let rec = 12 + 16 * i;
            (font.get(rec..rec + 4)? == tag).then(|| u32_at(font, rec + 8).map(|o| o as usize))?
        })
    };
    let head = table(b"head")?;
    let hhea = table(b"hhea")?;
    let upem = f64::from(u16_at(font, head + 18)?);
    let mut asc = f64::from(u16_at(font, hhea + 4)? as i16);
    let mut desc = f64::from(u16_at(font, hhea + 6)? as i16);
    if let Some(os2) = table(b"OS/2") {
        let fs_selection = u16_at(font, os2 + 62)?;
        if fs_selection & (1 << 7) != 0 {
            asc = f64::from(u16_at(font, os2 + 68)? as i16);
            desc = f64::from(u16_at(font, os2 + 70)? as i16);
        }
    }
    let height = (asc - desc) / upem;
    if !(upem > 0.0 && height.is_finite() && height > 0.5 && height < 3.0) {
        return None;
    }
    let num_h_metrics = u16_at(font, hhea + 34)? as usize;
    let num_glyphs = u16_at(font, table(b"maxp")? + 4)? as usize;
    let hmtx = table(b"hmtx")?;
    let cmap = table(b"cmap")?;
    let (mut cmap4, mut cmap12) = (None, None);
    for i in 0..u16_at(font, cmap + 2)? as usize {
        let rec = cmap + 4 + 8 * i;
        let (platform, encoding) = (u16_at(font, rec)?, u16_at(font, rec + 2)?);
        let unicode = platform == 0 || (platform == 3 && (encoding == 1 || encoding == 10));
        if !unicode {
            continue;
        }
        let sub = cmap + u32_at(font, rec + 4)? as usize;
        match u16_at(font, sub)? {
            4 => cmap4 = cmap4.or(Some(sub)),
            12 => cmap12 = cmap12.or(Some(sub)),
            _ => {}
        }
    }
    Some(Metrics {
        height,
        upem,
        cmap4,
        cmap12,
        hmtx,
        num_h_metrics,
        num_glyphs,
    })
}

impl Metrics {
    /// The glyph of `c` (0, the missing glyph, when the font lacks it).
    fn glyph(&self, c: char) -> usize {
        let font = CJK_FONT;
        let c = c as u32;
        if let Some(sub) = self.cmap12 {
            let n = u32_at(font, sub + 12).unwrap_or(0) as usize;
            let (mut lo, mut hi) = (0, n);
            while lo < hi {
                let mid = (lo + hi) / 2;
                let g = sub + 16 + 12 * mid;
                let (start, end) = (
                    u32_at(font, g).unwrap_or(0),
                    u32_at(font, g + 4).unwrap_or(0),
                );
                if c < start {
                    hi = mid;
                } else if c > end {
                    lo = mid + 1;
                } else {
                    return (u32_at(font, g + 8).unwrap_or(0) + (c - start)) as usize;
                }
            }
        }
        let Some(sub) = self.cmap4 else { return 0 };
        if c > 0xFFFF {
            return 0;
        }
        let lookup = || -> Option<usize> {
            let seg_x2 = u16_at(font, sub + 6)? as usize;
            let ends = sub + 14;
            let starts = ends + seg_x2 + 2;
            let deltas = starts + seg_x2;
            let ranges = deltas + seg_x2;
            let (mut lo, mut hi) = (0, seg_x2 / 2);
            while lo < hi {
                let mid = (lo + hi) / 2;
                if u32::from(u16_at(font, ends + 2 * mid)?) < c {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            let i = lo;
            if i >= seg_x2 / 2 || u32::from(u16_at(font, starts + 2 * i)?) > c {
                return Some(0);
            }
            let start = u32::from(u16_at(font, starts + 2 * i)?);
            let delta = u32::from(u16_at(font, deltas + 2 * i)?);
            let range = u16_at(font, ranges + 2 * i)? as usize;
            let g = if range == 0 {
                c
            } else {
                let at = ranges + 2 * i + range + 2 * (c - start) as usize;
                match u32::from(u16_at(font, at)?) {
                    0 => return Some(0),
                    g => g,
                }
            };
            Some((g.wrapping_add(delta) & 0xFFFF) as usize)
        };
        lookup().unwrap_or(0)
    }

    /// Advance width and left side bearing of `c`, in em.
    pub fn h_metrics(&self, c: char) -> (f64, f64) {
        let font = CJK_FONT;
        if self.num_h_metrics == 0 {
            return (if c.is_ascii() { 0.5 } else { 1.0 }, 0.0);
        }
        let g = self.glyph(c).min(self.num_glyphs.saturating_sub(1));
        let last = self.num_h_metrics - 1;
        let adv = u16_at(font, self.hmtx + 4 * g.min(last)).unwrap_or(0);
        let lsb = if g <= last {
            u16_at(font, self.hmtx + 4 * g + 2)
        } else {
            u16_at(
                font,
                self.hmtx + 4 * self.num_h_metrics + 2 * (g - self.num_h_metrics),
            )
        }
        .unwrap_or(0) as i16;
        (f64::from(adv) / self.upem, f64::from(lsb) / self.upem)
    }

    /// Width of `s` at an em of 1 (the advances; the font has no `kern`
    /// table, so ab_glyph does not kern either).
    pub fn width(&self, s: &str) -> f64 {
        s.chars().map(|c| self.h_metrics(c).0).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metrics_are_read_from_the_font() {
        // Noto Sans CJK: unitsPerEm 1000, hhea ascender 1160, descender −288.
        let m = parse_metrics(CJK_FONT).expect("font tables");
        assert!((m.height - 1.448).abs() < 1e-9, "{m:?}");
        assert_eq!(parse_metrics(b"not a font"), None);
        // Values from the font's hmtx (checked with fontTools).
        assert_eq!(m.h_metrics('（'), (1.0, 0.695));
        assert_eq!(m.h_metrics('）'), (1.0, 0.046));
        assert_eq!(m.h_metrics('国'), (1.0, 0.086));
        assert_eq!(m.h_metrics('A'), (0.608, 0.004));
        assert_eq!(m.h_metrics('('), (0.338, 0.092));
        assert_eq!(m.h_metrics('W'), (0.878, 0.026));
        assert!(m.glyph('≒') != 0 && m.glyph('\u{10FFFF}') == 0);
        assert!((m.width("国A") - 1.608).abs() < 1e-12);
    }

    #[test]
    fn registration_succeeds_and_is_idempotent() {
        assert!(ensure_registered().is_ok());
        assert!(ensure_registered().is_ok());
    }
}
