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

/// What a file just read gave, shown in its panel until closed: the first
/// line (red for an error) and the rest in a scrolled list (every line
/// not used, with its place). Closing it sets `notice` to `None`.
pub fn notice_box(
    ui: &mut egui::Ui,
    id: &str,
    notice: &mut Option<(bool, String)>,
    lang: crate::i18n::Lang,
) {
    let mut close = false;
    if let Some((error, text)) = notice.as_ref() {
        egui::Frame::group(ui.style()).show(ui, |ui| {
            let mut lines = text.lines();
            let first = lines.next().unwrap_or_default();
            if *error {
                ui.colored_label(ui.visuals().error_fg_color, first);
            } else {
                ui.strong(first);
            }
            egui::ScrollArea::vertical()
                .id_salt(id)
                .max_height(160.0)
                .show(ui, |ui| {
                    for l in lines {
                        ui.label(l);
                    }
                });
            close = ui.button(lang.pick("关闭", "Close")).clicked();
        });
    }
    if close {
        *notice = None;
    }
}
