//! The bundled font covers every string the app shows and every character
//! of GBK (planners' data holds rare characters).

use sitefold::i18n::Lang;
use sitefold::inventory::{Column, Kind, Level};

fn context() -> egui::Context {
    let ctx = egui::Context::default();
    sitefold::ui::fonts::install(&ctx);
    let mut output = ctx.run_ui(egui::RawInput::default(), |_| {});
    // No renderer here: the font atlas upload is dropped on purpose.
    output.textures_delta.clear();
    ctx
}

#[test]
fn every_ui_string_has_glyphs_in_both_languages() {
    let ctx = context();
    let font = egui::FontId::proportional(14.0);
    let mut texts: Vec<String> = Vec::new();
    for lang in [Lang::Zh, Lang::En] {
        texts.extend(
            sitefold::ui::strings::all_texts(lang)
                .into_iter()
                .map(str::to_string),
        );
        texts.extend(Level::ALL.iter().map(|l| l.label(lang).to_string()));
        texts.extend(Kind::ALL.iter().map(|k| k.label(lang).to_string()));
        texts.extend(
            Column::ALL
                .iter()
                .flat_map(|c| [c.header(lang).to_string(), c.describe(lang).to_string()]),
        );
        texts.extend(sitefold::plan::ParamKey::ALL.iter().flat_map(|k| {
            [
                k.label(lang).to_string(),
                k.unit(lang).to_string(),
                k.help(lang).to_string(),
            ]
        }));
        texts.extend(
            sitefold::charts::ChartKind::ALL
                .iter()
                .map(|k| k.title(lang).to_string()),
        );
    }
    assert!(
        texts.len() > 300,
        "the strings are all there: {}",
        texts.len()
    );
    let missing: Vec<&String> = texts
        .iter()
        .filter(|t| !ctx.fonts_mut(|f| f.has_glyphs(&font, t)))
        .collect();
    assert!(missing.is_empty(), "no glyph for: {missing:?}");
}

#[test]
fn the_bundled_font_covers_all_of_gbk() {
    let ctx = context();
    let font = egui::FontId::proportional(14.0);
    let mut chars = Vec::new();
    for a in 0x81u8..=0xFE {
        for b in 0x40u8..=0xFE {
            if b == 0x7F {
                continue;
            }
            let pair = [a, b];
            let (text, _, bad) = encoding_rs::GBK.decode(&pair);
            if !bad {
                chars.extend(text.chars().filter(|c| !c.is_control() && *c != '\u{FFFD}'));
            }
        }
    }
    chars.sort_unstable();
    chars.dedup();
    assert!(
        chars.len() > 21_000,
        "GBK decodes to {} characters",
        chars.len()
    );
    let missing: Vec<char> = chars
        .iter()
        .copied()
        // Private-use code points GBK maps to have no standard glyph.
        .filter(|c| !('\u{E000}'..='\u{F8FF}').contains(c))
        .filter(|&c| !ctx.fonts_mut(|f| f.has_glyph(&font, c)))
        .collect();
    assert!(
        missing.is_empty(),
        "{} GBK characters without a glyph: {:?}",
        missing.len(),
        &missing[..missing.len().min(20)]
    );
}
