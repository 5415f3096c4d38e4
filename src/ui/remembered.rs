//! The column mappings remembered per set of headers: kept in the
//! settings, listed in a window where each can be edited (in the mapping
//! dialog, without a file) or deleted.
//!
//! A remembered mapping is kept in two maps of the settings under the same
//! header signature: its columns in `mappings` (as older versions wrote
//! and read them) and its value maps in `mapping_values`, so settings of
//! either age load in both.

use std::collections::BTreeMap;

use crate::i18n::Lang;
use crate::inventory::{Mapping, VALUE_COLUMNS, excerpt_chars};

use super::app::{Settings, header_signature};
use super::command::{Command, MappingCommand};
use super::mapping::MappingDialog;
use super::strings::{MappingStr, S};

/// Headers shown per remembered mapping before "…".
const SHOWN_HEADERS: usize = 8;
/// Characters shown of a header or value.
const SHOWN_CHARS: usize = 16;
/// Mapped values shown per remembered mapping before "…".
const SHOWN_VALUES: usize = 6;

/// Every remembered mapping (columns and values), by header signature.
pub fn all(settings: &Settings) -> BTreeMap<String, Mapping> {
    settings
        .mappings
        .iter()
        .map(|(sig, columns)| {
            let values = settings.mapping_values.get(sig).cloned();
            let mapping = Mapping {
                columns: columns.clone(),
                values: values.unwrap_or_default(),
            };
            (sig.clone(), mapping)
        })
        .collect()
}

/// Remembers `mapping` for `header`, replacing what was remembered.
pub fn remember(settings: &mut Settings, header: &[String], mapping: Mapping) {
    let sig = header_signature(header);
    if mapping.values.is_empty() {
        settings.mapping_values.remove(&sig);
    } else {
        settings.mapping_values.insert(sig.clone(), mapping.values);
    }
    settings.mappings.insert(sig, mapping.columns);
}

/// Forgets the mapping remembered for `header`.
pub fn forget(settings: &mut Settings, header: &[String]) {
    let sig = header_signature(header);
    settings.mappings.remove(&sig);
    settings.mapping_values.remove(&sig);
}

/// The headers a signature was made of.
pub fn header_of(signature: &str) -> Vec<String> {
    signature.split('\u{1f}').map(str::to_string).collect()
}

/// Carries out a change to the remembered mappings; `dialog` is where the
/// editor opens. Returns a status message.
pub fn apply(
    c: MappingCommand,
    settings: &mut Settings,
    dialog: &mut Option<MappingDialog>,
    lang: Lang,
) -> Option<String> {
    match c {
        MappingCommand::Edit(header) => {
            let mapping = all(settings)
                .remove(&header_signature(&header))
                .unwrap_or_default();
            *dialog = Some(MappingDialog::for_remembered(header, mapping));
            None
        }
        MappingCommand::Remember { header, mapping } => {
            remember(settings, &header, mapping);
            Some(MappingStr::Saved.get(lang).to_string())
        }
        MappingCommand::Forget(header) => {
            forget(settings, &header);
            Some(MappingStr::Forgotten.get(lang).to_string())
        }
    }
}

/// The window listing the remembered mappings.
#[derive(Default)]
pub struct RememberedWindow {
    /// The headers whose mapping the planner asked to delete, waiting for
    /// the answer.
    confirm: Option<Vec<String>>,
}

impl RememberedWindow {
    /// True while the question before a delete is open (it gets the keys).
    pub fn is_asking(&self) -> bool {
        self.confirm.is_some()
    }

    /// Draws the window; false once closed.
    pub fn ui(
        &mut self,
        ctx: &egui::Context,
        lang: Lang,
        settings: &Settings,
        out: &mut Vec<Command>,
    ) -> bool {
        let mut open = true;
        let remembered = all(settings);
        egui::Window::new(MappingStr::RememberedTitle.get(lang))
            .id(egui::Id::unique("remembered_mappings_window"))
            .open(&mut open)
            .collapsible(false)
            .default_width(620.0)
            .max_height(ctx.content_rect().height() * 0.8)
            .show(ctx, |ui| {
                ui.weak(MappingStr::RememberedHelp.get(lang));
                ui.separator();
                if remembered.is_empty() {
                    ui.label(MappingStr::NoneRemembered.get(lang));
                }
                egui::ScrollArea::vertical()
                    .id_salt("remembered_scroll")
                    .show(ui, |ui| {
                        for (i, (sig, mapping)) in remembered.iter().enumerate() {
                            ui.push_id(i, |ui| self.entry_ui(ui, sig, mapping, lang, out));
                            ui.separator();
                        }
                    });
            });
        if let Some(header) = self.confirm.clone() {
            let shown = abbreviated(&header);
            let answer = super::dialogs::question(
                ctx,
                "forget_mapping_dialog",
                MappingStr::ForgetTitle.get(lang),
                MappingStr::ForgetText.get(lang),
                Some(&shown),
                &[MappingStr::Delete.get(lang), S::Cancel.get(lang)],
                Some(1),
            );
            match answer {
                Some(0) => {
                    out.push(Command::Mappings(MappingCommand::Forget(header)));
                    self.confirm = None;
                }
                Some(_) => self.confirm = None,
                None => {}
            }
        }
        open
    }

    fn entry_ui(
        &mut self,
        ui: &mut egui::Ui,
        sig: &str,
        mapping: &Mapping,
        lang: Lang,
        out: &mut Vec<Command>,
    ) {
        let header = header_of(sig);
        ui.horizontal(|ui| {
            ui.add(egui::Label::new(egui::RichText::new(abbreviated(&header)).strong()).truncate())
                .on_hover_text(header.join(" · "));
        });
        ui.add(egui::Label::new(columns_text(&header, mapping, lang)).wrap());
        if let Some(values) = values_text(mapping, lang) {
            ui.add(egui::Label::new(values).wrap());
        }
        ui.horizontal(|ui| {
            if ui.button(MappingStr::Edit.get(lang)).clicked() {
                out.push(Command::Mappings(MappingCommand::Edit(header.clone())));
            }
            if ui.button(MappingStr::DeleteAsk.get(lang)).clicked() {
                self.confirm = Some(header.clone());
            }
        });
    }
}

/// The headers, short: the first few, each cut short, joined with " · ".
pub fn abbreviated(header: &[String]) -> String {
    let mut s = header
        .iter()
        .take(SHOWN_HEADERS)
        .map(|h| excerpt_chars(h, SHOWN_CHARS))
        .collect::<Vec<_>>()
        .join(" · ");
    if header.len() > SHOWN_HEADERS {
        s.push_str(&format!(" … (+{})", header.len() - SHOWN_HEADERS));
    }
    s
}

/// "列：编码 → site_id，级别x → level；忽略 1 列".
fn columns_text(header: &[String], mapping: &Mapping, lang: Lang) -> String {
    let arrow = MappingStr::Arrow.get(lang);
    let mapped: Vec<String> = header
        .iter()
        .zip(&mapping.columns)
        .filter_map(|(h, c)| {
            c.map(|c| format!("{}{arrow}{}", excerpt_chars(h, SHOWN_CHARS), c.key()))
        })
        .collect();
    let ignored = header.len().saturating_sub(mapped.len());
    let mut s = format!(
        "{}{}",
        MappingStr::ColumnsLabel.get(lang),
        mapped.join(lang.pick("，", ", "))
    );
    if ignored > 0 {
        s.push_str(&format!(
            "{}{}{ignored}{}",
            lang.pick("；", "; "),
            MappingStr::IgnoredPre.get(lang),
            MappingStr::IgnoredEnd.get(lang)
        ));
    }
    s
}

/// "取值：State → province，Local → county…", or `None` when no value is
/// mapped.
fn values_text(mapping: &Mapping, lang: Lang) -> Option<String> {
    let arrow = MappingStr::Arrow.get(lang);
    let entries: Vec<String> = VALUE_COLUMNS
        .into_iter()
        .flat_map(|c| mapping.values.entries(c))
        .map(|(v, m)| format!("{}{arrow}{}", excerpt_chars(&v, SHOWN_CHARS), m.label()))
        .collect();
    if entries.is_empty() {
        return None;
    }
    let mut s = format!(
        "{}{}",
        MappingStr::ValuesLabel.get(lang),
        entries
            .iter()
            .take(SHOWN_VALUES)
            .cloned()
            .collect::<Vec<_>>()
            .join(lang.pick("，", ", "))
    );
    if entries.len() > SHOWN_VALUES {
        s.push_str(&format!(" … (+{})", entries.len() - SHOWN_VALUES));
    }
    Some(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::{Column, Level, MappedValue};

    #[test]
    fn remembered_mappings_keep_columns_and_values_under_one_signature() {
        let mut settings = Settings::default();
        let header: Vec<String> = ["编码", "级别x", "备注"].map(String::from).to_vec();
        let mut m = Mapping::from(vec![Some(Column::SiteId), Some(Column::Level), None]);
        m.values.set(
            Column::Level,
            "State",
            Some(MappedValue::Level(Level::Province)),
        );
        remember(&mut settings, &header, m.clone());
        let all = all(&settings);
        assert_eq!(all.get(&header_signature(&header)), Some(&m));
        assert_eq!(header_of(&header_signature(&header)), header);
        assert_eq!(
            columns_text(&header, &m, Lang::Zh),
            "列：编码 → site_id，级别x → level；忽略 1 列"
        );
        assert_eq!(
            values_text(&m, Lang::En).as_deref(),
            Some("Values: State → 省级 province")
        );
        // Without values, nothing is left in the value maps.
        remember(&mut settings, &header, Mapping::from(m.columns.clone()));
        assert!(settings.mapping_values.is_empty());
        forget(&mut settings, &header);
        assert!(settings.mappings.is_empty());
        let long: Vec<String> = (0..10).map(|i| format!("第{i}列")).collect();
        assert!(abbreviated(&long).ends_with("… (+2)"));
    }
}
