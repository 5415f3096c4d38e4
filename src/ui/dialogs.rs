//! The app's modal questions, drawn one way: a title, the text, an
//! optional detail line (a path), and a row of buttons. Every dialog fits
//! the window and closes with Esc.

/// Draws a question with `buttons`; returns the index of the button
/// clicked this frame. Esc (or a click outside) answers `on_escape`, which
/// is `None` for a question Esc must not answer.
pub fn question(
    ctx: &egui::Context,
    id: &str,
    title: &str,
    text: &str,
    detail: Option<&str>,
    buttons: &[&str],
    on_escape: Option<usize>,
) -> Option<usize> {
    let modal = egui::Modal::new(egui::Id::unique(id)).show(ctx, |ui| {
        ui.set_max_width(super::file_dialog::fit_width(ctx, 520.0));
        ui.heading(title);
        ui.label(text);
        if let Some(d) = detail {
            ui.weak(d);
        }
        ui.horizontal_wrapped(|ui| {
            let mut clicked = None;
            for (i, b) in buttons.iter().enumerate() {
                if ui.button(*b).clicked() {
                    clicked = Some(i);
                }
            }
            clicked
        })
        .inner
    });
    if modal.should_close() {
        on_escape
    } else {
        modal.inner
    }
}
