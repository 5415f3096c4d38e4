//! The value maps in the mapping dialog: for the level, kind and
//! inspection-result columns, each value the file holds (with its rows)
//! and what it means, chosen from a list pre-set to what the importer
//! reads it as.

use crate::i18n::Lang;
use crate::inventory::{Column, MappedValue, VALUE_COLUMNS, ValueCensus, ValueMaps, value_key};

use super::mapping::column_label;
use super::strings::MappingStr;

/// What the planner is typing to add a value, per value column (when
/// there is no file to list values from).
pub type NewValues = [String; VALUE_COLUMNS.len()];

/// Where the values listed come from.
#[derive(Clone, Copy)]
pub enum Listing<'a> {
    /// No file (a remembered mapping): the values mapped, and a field to
    /// type one in.
    NoFile,
    /// The file's values are still being counted.
    Counting,
    /// The file's values.
    Counted(&'a ValueCensus),
}

/// Draws the value maps of the value columns `columns` maps, editing
/// `values`: the values `listing` gives, then any others mapped.
pub fn values_ui(
    ui: &mut egui::Ui,
    header: &[String],
    columns: &[Option<Column>],
    values: &mut ValueMaps,
    listing: Listing<'_>,
    adding: &mut NewValues,
    lang: Lang,
) {
    let census = match listing {
        Listing::Counted(c) => Some(c),
        _ => None,
    };
    let mut first = true;
    for (k, column) in VALUE_COLUMNS.into_iter().enumerate() {
        let Some(at) = columns.iter().position(|c| *c == Some(column)) else {
            continue;
        };
        if first {
            ui.separator();
            ui.weak(MappingStr::ValuesHelp.get(lang));
            first = false;
        }
        let h = header.get(at).map_or("", String::as_str);
        ui.add_space(4.0);
        ui.strong(format!(
            "{}{h}{}{}{}",
            MappingStr::ValuesPre.get(lang),
            MappingStr::ValuesMid.get(lang),
            column_label(column),
            MappingStr::ValuesEnd.get(lang)
        ));
        if matches!(listing, Listing::Counting) {
            ui.weak(MappingStr::Previewing.get(lang));
        }
        let counts = census.and_then(|c| c.of(column));
        // The file's values, the most frequent first, then values mapped
        // that the file does not hold.
        let mut rows: Vec<(String, Option<usize>)> = counts
            .map(|c| c.by_rows().into_iter().map(|(v, n)| (v, Some(n))).collect())
            .unwrap_or_default();
        for (v, _) in values.entries(column) {
            let key = value_key(&v);
            if !rows.iter().any(|(r, _)| value_key(r) == key) {
                rows.push((v, None));
            }
        }
        if rows.is_empty() && census.is_some() {
            ui.weak(MappingStr::NoValues.get(lang));
        }
        if !rows.is_empty() {
            egui::Grid::new(("value_map_grid", column))
                .num_columns(3)
                .striped(true)
                .spacing([12.0, 4.0])
                .show(ui, |ui| {
                    ui.strong(MappingStr::Value.get(lang));
                    ui.strong(MappingStr::Rows.get(lang));
                    ui.strong(MappingStr::Means.get(lang));
                    ui.end_row();
                    for (i, (value, n)) in rows.iter().enumerate() {
                        let label = ui.label(value);
                        ui.label(n.map_or_else(|| "—".to_string(), |n| n.to_string()));
                        value_combo(ui, column, value, i, values, lang).labelled_by(label.id);
                        ui.end_row();
                    }
                });
        }
        if let Some(c) = counts.filter(|c| c.others > 0) {
            ui.weak(format!(
                "{}{}{}",
                MappingStr::OthersPre.get(lang),
                c.others,
                MappingStr::OthersEnd.get(lang)
            ));
        }
        if matches!(listing, Listing::NoFile)
            && let Some(text) = adding.get_mut(k)
        {
            ui.horizontal(|ui| {
                let label = ui.label(MappingStr::AddValue.get(lang));
                let field = ui
                    .add(
                        egui::TextEdit::singleline(text)
                            .hint_text(MappingStr::NewValueHint.get(lang))
                            .desired_width(160.0),
                    )
                    .labelled_by(label.id);
                let add = ui.add_enabled(
                    !text.trim().is_empty(),
                    egui::Button::new(MappingStr::Add.get(lang)),
                );
                let entered = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                if (add.clicked() || entered) && !text.trim().is_empty() {
                    let v = text.trim().to_string();
                    let meaning = MappedValue::recognised(column, &v)
                        .or_else(|| MappedValue::choices(column).first().copied());
                    values.set(column, &v, meaning);
                    text.clear();
                }
            });
        }
    }
}

/// The list of meanings for one value: "as read" (no map entry: what
/// the importer makes of it), then every value of the column.
fn value_combo(
    ui: &mut egui::Ui,
    column: Column,
    value: &str,
    row: usize,
    values: &mut ValueMaps,
    lang: Lang,
) -> egui::Response {
    let mapped = values.get(column, value);
    let as_read = format!(
        "{}{}",
        MappingStr::AsRead.get(lang),
        MappedValue::recognised(column, value).map_or_else(
            || MappingStr::NotRecognised.get(lang).to_string(),
            MappedValue::label
        )
    );
    let selected = mapped.map_or_else(|| as_read.clone(), MappedValue::label);
    let mut choice = mapped;
    let unread = mapped.is_none() && MappedValue::recognised(column, value).is_none();
    let text = egui::RichText::new(selected);
    let text = if unread {
        text.color(ui.visuals().error_fg_color)
    } else {
        text
    };
    let combo = egui::ComboBox::from_id_salt(("value_map", column, row))
        .width(200.0)
        .selected_text(text)
        .show_ui(ui, |ui| {
            ui.selectable_value(&mut choice, None, as_read);
            for v in MappedValue::choices(column) {
                ui.selectable_value(&mut choice, Some(v), v.label());
            }
        });
    if choice != mapped {
        values.set(column, value, choice);
    }
    combo.response
}
