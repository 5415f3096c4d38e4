//! The menu bar, built from the action list.

use crate::i18n::Lang;

use super::actions::Action;
use super::app::Settings;
use super::command::Command;
use super::document::Document;
use super::strings::S;

/// A menu entry for an action: label, shortcut and tooltip from the list.
pub fn action_button(
    ui: &mut egui::Ui,
    action: Action,
    lang: Lang,
    enabled: bool,
    out: &mut Vec<Command>,
) {
    let mut button = egui::Button::new(action.label(lang));
    if let Some(label) = action.shortcut_label(ui.ctx()) {
        button = button.shortcut_text(label);
    }
    if ui
        .add_enabled(enabled, button)
        .on_hover_text(action.tooltip(lang))
        .clicked()
    {
        out.push(Command::Action(action));
    }
}

/// Draws the menu bar.
pub fn menu_bar(
    ui: &mut egui::Ui,
    lang: Lang,
    doc: &Document,
    settings: &Settings,
    out: &mut Vec<Command>,
) {
    egui::MenuBar::new().ui(ui, |ui| {
        ui.menu_button(S::MenuFile.get(lang), |ui| {
            action_button(ui, Action::Open, lang, true, out);
            action_button(ui, Action::OpenSample, lang, true, out);
            ui.menu_button(S::RecentFiles.get(lang), |ui| {
                if settings.recent.is_empty() {
                    ui.weak(S::NoRecentFiles.get(lang));
                }
                for p in &settings.recent {
                    if ui.button(p.display().to_string()).clicked() {
                        out.push(Command::Open(p.clone()));
                    }
                }
            });
            action_button(ui, Action::AddInventoryFile, lang, true, out);
            let mappable = super::mapping::MappingDialog::can_map(doc);
            action_button(ui, Action::MapColumns, lang, mappable, out);
            action_button(ui, Action::RememberedMappings, lang, true, out);
            ui.separator();
            action_button(ui, Action::SaveProject, lang, true, out);
            action_button(ui, Action::SaveProjectAs, lang, true, out);
            ui.separator();
            action_button(ui, Action::ExportPlanXlsx, lang, true, out);
            action_button(ui, Action::ExportPlanCsv, lang, true, out);
            action_button(ui, Action::ExportReport, lang, true, out);
            ui.separator();
            action_button(ui, Action::Quit, lang, true, out);
        });
        ui.menu_button(S::MenuEdit.get(lang), |ui| {
            action_button(ui, Action::Undo, lang, doc.undo.can_undo(), out);
            action_button(ui, Action::Redo, lang, doc.undo.can_redo(), out);
            ui.separator();
            action_button(ui, Action::SelectAll, lang, true, out);
            action_button(ui, Action::SelectNone, lang, true, out);
            ui.separator();
            action_button(ui, Action::MergeSelected, lang, true, out);
            action_button(ui, Action::KeepSelected, lang, true, out);
            action_button(ui, Action::ClearSelected, lang, true, out);
        });
        ui.menu_button(S::MenuView.get(lang), |ui| {
            for a in [
                Action::ShowInventory,
                Action::ShowRules,
                Action::ShowParams,
                Action::ShowReport,
            ] {
                action_button(ui, a, lang, true, out);
            }
        });
        ui.menu_button(S::MenuLanguage.get(lang), |ui| {
            for (a, l) in [(Action::LangZh, Lang::Zh), (Action::LangEn, Lang::En)] {
                if ui
                    .selectable_label(lang == l, a.label(lang))
                    .on_hover_text(a.tooltip(lang))
                    .clicked()
                {
                    out.push(Command::SetLang(l));
                }
            }
        });
        ui.menu_button(S::MenuHelp.get(lang), |ui| {
            ui.set_max_width(420.0);
            ui.label(S::AboutText.get(lang));
            ui.separator();
            ui.strong(S::GuideTitle.get(lang));
            for step in [S::Guide1, S::Guide2, S::Guide3, S::Guide4, S::Guide5] {
                ui.label(step.get(lang));
            }
            ui.separator();
            ui.strong(S::ShortcutsTitle.get(lang));
            egui::Grid::new("help_shortcuts")
                .num_columns(2)
                .striped(true)
                .show(ui, |ui| {
                    for &a in Action::ALL {
                        if let Some(keys) = a.shortcut_label(ui.ctx()) {
                            ui.label(a.label(lang));
                            ui.monospace(keys);
                            ui.end_row();
                        }
                    }
                });
            ui.separator();
            ui.weak(format!("Sitefold {}", env!("CARGO_PKG_VERSION")));
        });
        ui.separator();
        let undo = ui.add_enabled(
            doc.undo.can_undo(),
            egui::Button::new(Action::Undo.label(lang)),
        );
        if undo.on_hover_text(Action::Undo.tooltip(lang)).clicked() {
            out.push(Command::Action(Action::Undo));
        }
        let redo = ui.add_enabled(
            doc.undo.can_redo(),
            egui::Button::new(Action::Redo.label(lang)),
        );
        if redo.on_hover_text(Action::Redo.tooltip(lang)).clicked() {
            out.push(Command::Action(Action::Redo));
        }
    });
}
