//! The bundled CJK font, installed once for the app and for the tests.

/// Installs the bundled Noto Sans SC as a fallback for every family, so
/// that every Chinese character of GBK renders.
pub fn install(ctx: &egui::Context) {
    ctx.set_fonts(definitions());
}

/// The macOS modifier symbols ⌘ ⌥ ⇧ ⌃ (cut from DejaVu Sans): with them
/// egui writes shortcuts as ⌘O on a Mac.
const MAC_SYMBOLS: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-MacSymbols.ttf");

/// Font definitions: egui's defaults, then the bundled CJK font, then the
/// Mac modifier symbols.
pub fn definitions() -> egui::FontDefinitions {
    let mut fonts = egui::FontDefinitions::default();
    fonts.font_data.insert(
        "noto_sans_sc".to_owned(),
        std::sync::Arc::new(egui::FontData::from_static(crate::charts::CJK_FONT)),
    );
    fonts.font_data.insert(
        "mac_symbols".to_owned(),
        std::sync::Arc::new(egui::FontData::from_static(MAC_SYMBOLS)),
    );
    for family in [egui::FontFamily::Proportional, egui::FontFamily::Monospace] {
        let list = fonts.families.entry(family).or_default();
        list.push("noto_sans_sc".to_owned());
        list.push("mac_symbols".to_owned());
    }
    fonts
}
