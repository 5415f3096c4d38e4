//! The audit trail: every decision, schedule and status change with when,
//! who and why, newest first, filtered by kind and by any text (a site id,
//! a person), drawn row by row however long the trail.

use egui_extras::{Column, TableBuilder};

use crate::execution::{AuditAction, AuditEntry};
use crate::i18n::Lang;

use super::command::{Command, SelectMode};
use super::context::Cx;
use super::strings::TimelineStr as T;

/// The audit panel's state.
#[derive(Default)]
pub struct AuditPanel {
    /// Only entries of this kind.
    action: Option<AuditAction>,
    /// Only entries holding this text.
    text: String,
    /// The entries shown, newest first (indices into the trail), for the
    /// trail length, filter and revision they were worked out for.
    shown: Vec<usize>,
    key: Option<(u64, usize, Option<AuditAction>, String, Lang)>,
}

/// Whether an entry is of `action` (any when `None`) and holds `text`
/// (lower-cased) in one of its fields, as stored or as shown in `lang`
/// (so that 已下线 finds what the trail stores as `offline`).
fn matches(e: &AuditEntry, action: Option<AuditAction>, text: &str, lang: Lang) -> bool {
    use crate::execution::audit::shown_value;
    if action.is_some_and(|a| a != e.action) {
        return false;
    }
    let has = |f: &str| f.to_lowercase().contains(text);
    text.is_empty()
        || [
            &e.site_id, &e.person, &e.before, &e.after, &e.reason, &e.time,
        ]
        .iter()
        .any(|f| has(f))
        || has(&shown_value(e.action, &e.before, lang))
        || has(&shown_value(e.action, &e.after, lang))
}

impl AuditPanel {
    /// The entries shown, newest first (after [`Self::refresh`]).
    pub fn shown(&self) -> &[usize] {
        &self.shown
    }

    /// Filters the trail again when it or the filter changed.
    pub fn refresh(&mut self, cx: &Cx<'_>) {
        let trail = &cx.doc.ws.execution.audit;
        let text = self.text.trim().to_lowercase();
        let key = (
            cx.doc.revision,
            trail.len(),
            self.action,
            text.clone(),
            cx.lang,
        );
        if self.key.as_ref() == Some(&key) {
            return;
        }
        self.shown = (0..trail.len())
            .rev()
            .filter(|&k| matches(&trail[k], self.action, &text, cx.lang))
            .collect();
        self.key = Some(key);
    }

    /// Draws the panel.
    pub fn ui(&mut self, ui: &mut egui::Ui, cx: &Cx<'_>, out: &mut Vec<Command>) {
        let lang = cx.lang;
        ui.horizontal(|ui| {
            egui::ComboBox::new("audit_action", T::Filter.get(lang))
                .selected_text(
                    self.action
                        .map_or(T::AllActions.get(lang), |a| a.label(lang)),
                )
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.action, None, T::AllActions.get(lang));
                    for a in AuditAction::ALL {
                        ui.selectable_value(&mut self.action, Some(a), a.label(lang));
                    }
                });
            ui.add(
                egui::TextEdit::singleline(&mut self.text)
                    .desired_width(200.0)
                    .hint_text(lang.pick("网站标识码、操作人……", "Site id, person…")),
            );
            if ui.button(T::ExportAudit.get(lang)).clicked() {
                out.push(Command::ChooseFile(
                    super::file_dialog::FilePurpose::ExportAudit,
                ));
            }
        });
        self.refresh(cx);
        let trail = &cx.doc.ws.execution.audit;
        ui.label(format!("{} {}", self.shown.len(), T::Entries.get(lang)));
        if trail.is_empty() {
            ui.label(egui::RichText::new(T::NoEntries.get(lang)).weak());
            return;
        }
        let inv = cx.doc.inventory();
        let row_h = ui.text_style_height(&egui::TextStyle::Body) + 4.0;
        TableBuilder::new(ui)
            .id_salt("audit_table")
            .striped(true)
            .resizable(true)
            .column(Column::initial(150.0))
            .column(Column::initial(90.0))
            .column(Column::initial(90.0))
            .column(Column::initial(110.0))
            .column(Column::initial(160.0))
            .column(Column::initial(160.0))
            .column(Column::remainder())
            .header(row_h, |mut h| {
                for t in [
                    T::Time,
                    T::Person,
                    T::Action,
                    T::Site,
                    T::Before,
                    T::After,
                    T::Why,
                ] {
                    h.col(|ui| {
                        ui.strong(t.get(lang));
                    });
                }
            })
            .body(|body| {
                body.rows(row_h, self.shown.len(), |mut row| {
                    let Some(e) = self.shown.get(row.index()).and_then(|&k| trail.get(k)) else {
                        return;
                    };
                    let cell = |row: &mut egui_extras::TableRow<'_, '_>, s: &str| {
                        row.col(|ui| {
                            ui.add(egui::Label::new(s).truncate());
                        });
                    };
                    cell(&mut row, &e.time.replace('T', " ").replace('Z', ""));
                    cell(&mut row, &e.person);
                    cell(&mut row, e.action.label(lang));
                    row.col(|ui| {
                        if let Some(i) = inv.find(&e.site_id) {
                            if ui.link(&e.site_id).clicked() {
                                out.push(Command::Select {
                                    site: i,
                                    mode: SelectMode::Replace,
                                });
                            }
                        } else {
                            ui.label(&e.site_id);
                        }
                    });
                    cell(
                        &mut row,
                        &crate::execution::audit::shown_value(e.action, &e.before, lang),
                    );
                    cell(
                        &mut row,
                        &crate::execution::audit::shown_value(e.action, &e.after, lang),
                    );
                    cell(&mut row, &e.reason);
                });
            });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_filter_finds_values_as_stored_and_as_shown() {
        let e = AuditEntry::now("li", AuditAction::Status)
            .site("T1")
            .change("planned", "offline 2026-11-20");
        assert!(matches(&e, None, "offline", Lang::Zh));
        assert!(matches(&e, None, "已下线", Lang::Zh));
        assert!(matches(
            &e,
            Some(AuditAction::Status),
            "已列入计划",
            Lang::Zh
        ));
        assert!(!matches(&e, None, "已完成", Lang::Zh));
        assert!(!matches(
            &e,
            Some(AuditAction::Decision),
            "offline",
            Lang::Zh
        ));
        assert!(matches(&e, None, "", Lang::En));
    }
}
