//! The bundled CJK font and its registration with plotters.
//!
//! The font is embedded once in the crate ([`CJK_FONT`]); the desktop app
//! hands the same bytes to egui. Charts never look up system fonts: the
//! font is registered with plotters' `ab_glyph` support under
//! [`FONT_FAMILY`] (and under `sans-serif`, so that any plotters text that
//! asks for the default family also gets it).

use std::sync::OnceLock;

use plotters::style::FontStyle;

/// Noto Sans SC (subset, CFF outlines, every GBK character); see
/// `assets/fonts/README.md`.
pub static CJK_FONT: &[u8] = include_bytes!("../../assets/fonts/NotoSansSC-Regular.otf");

/// The family name charts draw with. Bitmaps are rasterised from
/// [`CJK_FONT`] whatever the name; SVG files carry the name as their
/// `font-family`, so it lists the usual Chinese fonts a viewer may have,
/// ending with the generic family.
pub const FONT_FAMILY: &str =
    "Noto Sans SC, Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, sans-serif";

/// Registers the bundled font with plotters (once per process). Every
/// chart entry point calls it; calling it again is cheap.
pub fn ensure_registered() -> Result<(), String> {
    static DONE: OnceLock<Result<(), String>> = OnceLock::new();
    DONE.get_or_init(|| {
        for name in [FONT_FAMILY, "sans-serif"] {
            plotters::style::register_font(name, FontStyle::Normal, CJK_FONT)
                .map_err(|_| "the bundled chart font could not be read".to_string())?;
        }
        Ok(())
    })
    .clone()
}

/// Vertical metrics of the font, in em.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Metrics {
    /// `ascender − descender` as `ab_glyph` (through `ttf-parser`) reads
    /// them: plotters' bitmap text of size `s` has an em of `s / height`.
    pub height: f64,
}

/// The font's metrics (parsed from its tables once).
pub(crate) fn metrics() -> Metrics {
    static M: OnceLock<Metrics> = OnceLock::new();
    *M.get_or_init(|| parse_metrics(CJK_FONT).unwrap_or(Metrics { height: 1.24 }))
}

/// Reads `head.unitsPerEm` and the ascender and descender that
/// `ttf-parser` uses (OS/2 typographic ones when `USE_TYPO_METRICS` is set,
/// else `hhea`).
fn parse_metrics(font: &[u8]) -> Option<Metrics> {
    let u16_at = |o: usize| -> Option<u16> {
        Some(u16::from_be_bytes(font.get(o..o + 2)?.try_into().ok()?))
    };
    let u32_at = |o: usize| -> Option<u32> {
        Some(u32::from_be_bytes(font.get(o..o + 4)?.try_into().ok()?))
    };
    let table = |tag: &[u8; 4]| -> Option<usize> {
        let n = u16_at(4)? as usize;
        (0..n).find_map(|i| {
            let rec = 12 + 16 * i;
            (font.get(rec..rec + 4)? == tag).then(|| u32_at(rec + 8).map(|o| o as usize))?
        })
    };
    let head = table(b"head")?;
    let hhea = table(b"hhea")?;
    let upem = f64::from(u16_at(head + 18)?);
    let mut asc = f64::from(u16_at(hhea + 4)? as i16);
    let mut desc = f64::from(u16_at(hhea + 6)? as i16);
    if let Some(os2) = table(b"OS/2") {
        let fs_selection = u16_at(os2 + 62)?;
        if fs_selection & (1 << 7) != 0 {
            asc = f64::from(u16_at(os2 + 68)? as i16);
            desc = f64::from(u16_at(os2 + 70)? as i16);
        }
    }
    let height = (asc - desc) / upem;
    (upem > 0.0 && height.is_finite() && height > 0.5 && height < 3.0).then_some(Metrics { height })
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
    }

    #[test]
    fn registration_succeeds_and_is_idempotent() {
        assert_eq!(ensure_registered(), Ok(()));
        assert_eq!(ensure_registered(), Ok(()));
    }
}
