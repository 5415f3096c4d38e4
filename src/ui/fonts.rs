//! The bundled CJK font, installed once for the app and for the tests.

/// Installs the bundled Noto Sans SC as a fallback for every family, so
/// that every Chinese character of GBK renders.
pub fn install(ctx: &egui::Context) {
    ctx.set_fonts(definitions());
}

/// Font definitions: egui's defaults, then the bundled CJK font.
pub fn definitions() -> egui::FontDefinitions {
    let mut fonts = egui::FontDefinitions::default();
    fonts.font_data.insert(
        "noto_sans_sc".to_owned(),
        std::sync::Arc::new(egui::FontData::from_static(crate::charts::CJK_FONT)),
    );
    for family in [egui::FontFamily::Proportional, egui::FontFamily::Monospace] {
        fonts
            .families
            .entry(family)
            .or_default()
            .push("noto_sans_sc".to_owned());
    }
    fonts
}
