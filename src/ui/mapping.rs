//! The column-mapping dialog: shown when a file's headers do not name the
//! required columns, so the planner can say what each column holds.

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::i18n::Lang;
use crate::inventory::{Column, ColumnMapping};

use super::strings::{MappingStr, S};

/// What the dialog decided this frame.
pub enum Outcome {
    /// Still open.
    Open,
    /// Closed without importing.
    Cancel,
    /// Import with this mapping.
    Import(PathBuf, ColumnMapping),
}

/// Why the chosen mapping cannot be imported yet.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MappingProblems {
    /// Required columns nobody was mapped to.
    pub missing: Vec<Column>,
    /// Columns chosen for more than one header, with those headers' positions (0-based).
    pub repeated: Vec<(Column, Vec<usize>)>,
}

impl MappingProblems {
    /// True when the mapping can be imported.
    pub fn is_empty(&self) -> bool {
        self.missing.is_empty() && self.repeated.is_empty()
    }

    /// The problems as the planner reads them, one line each.
    pub fn lines(&self, header: &[String], lang: Lang) -> Vec<String> {
        let mut out = Vec::new();
        if !self.missing.is_empty() {
            let names: Vec<String> = self.missing.iter().map(|&c| column_label(c)).collect();
            out.push(format!(
                "{}{}",
                MappingStr::MissingRequired.get(lang),
                names.join(lang.pick("、", ", "))
            ));
        }
        for (c, positions) in &self.repeated {
            let headers: Vec<String> = positions
                .iter()
                .map(|&i| {
                    let h = header.get(i).map_or("", String::as_str);
                    format!("{} {h}", i + 1)
                })
                .collect();
            out.push(format!(
                "{} {}{}{}{}",
                column_label(*c),
                MappingStr::ChosenTwice.get(lang),
                MappingStr::ForColumns.get(lang),
                headers.join(lang.pick("、", ", ")),
                MappingStr::ForColumnsEnd.get(lang)
            ));
        }
        out
    }
}

/// How many sample values are shown per column.
const SAMPLES: usize = 3;
/// How much of a text file is read for the preview.
const PREVIEW_BYTES: u64 = 64 * 1024;

/// The column-mapping dialog.
pub struct MappingDialog {
    /// The file.
    pub path: PathBuf,
    /// Its headers.
    pub header: Vec<String>,
    /// The column chosen for each header.
    pub mapping: ColumnMapping,
    /// A few values of each column, when the file could be previewed.
    samples: Option<Vec<Vec<String>>>,
}

impl MappingDialog {
    /// A dialog for a file's headers, pre-filled with what was recognised.
    pub fn new(path: PathBuf, header: Vec<String>) -> Self {
        let mut mapping = crate::inventory::detect_columns(&header);
        mapping.resize(header.len(), None);
        let samples = read_samples(&path, header.len());
        MappingDialog {
            path,
            header,
            mapping,
            samples,
        }
    }

    /// What keeps the current mapping from being imported.
    pub fn problems(&self) -> MappingProblems {
        let missing = Column::ALL
            .into_iter()
            .filter(|c| c.required() && !self.mapping.contains(&Some(*c)))
            .collect();
        let repeated = Column::ALL
            .into_iter()
            .filter_map(|c| {
                let at: Vec<usize> = self
                    .mapping
                    .iter()
                    .enumerate()
                    .filter(|(_, m)| **m == Some(c))
                    .map(|(i, _)| i)
                    .collect();
                (at.len() > 1).then_some((c, at))
            })
            .collect();
        MappingProblems { missing, repeated }
    }

    /// Draws the dialog.
    pub fn ui(&mut self, ctx: &egui::Context, lang: Lang) -> Outcome {
        let mut outcome = Outcome::Open;
        let problems = self.problems();
        let max_list = (ctx.content_rect().height() * 0.55).max(160.0);
        let modal = egui::Modal::new(egui::Id::unique("column_mapping_dialog")).show(ctx, |ui| {
            ui.set_max_width(super::file_dialog::fit_width(ctx, 820.0));
            ui.heading(S::ColumnMapping.get(lang));
            ui.label(S::ColumnMappingHelp.get(lang));
            let file = self.path.display().to_string();
            ui.add(
                egui::Label::new(format!("{}{file}", MappingStr::FileLabel.get(lang))).truncate(),
            )
            .on_hover_text(file);
            ui.separator();
            egui::ScrollArea::vertical()
                .id_salt("mapping_scroll")
                .max_height(max_list)
                .show(ui, |ui| self.grid_ui(ui, &problems, lang));
            ui.separator();
            if problems.is_empty() {
                ui.label(MappingStr::Ready.get(lang));
                ui.weak(MappingStr::Remembered.get(lang));
            } else {
                let red = ui.visuals().error_fg_color;
                for line in problems.lines(&self.header, lang) {
                    ui.colored_label(red, line);
                }
            }
            ui.add_space(4.0);
            ui.horizontal(|ui| {
                let import =
                    ui.add_enabled(problems.is_empty(), egui::Button::new(S::Import.get(lang)));
                if import.clicked() {
                    outcome = Outcome::Import(self.path.clone(), self.mapping.clone());
                }
                if ui.button(S::Cancel.get(lang)).clicked() {
                    outcome = Outcome::Cancel;
                }
            });
        });
        // Escape cancels (a click outside does not: it closes combo popups).
        if matches!(outcome, Outcome::Open)
            && modal.is_top_modal
            && !modal.any_popup_open
            && ctx.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Escape))
        {
            outcome = Outcome::Cancel;
        }
        outcome
    }

    fn grid_ui(&mut self, ui: &mut egui::Ui, problems: &MappingProblems, lang: Lang) {
        let red = ui.visuals().error_fg_color;
        egui::Grid::new("mapping_grid")
            .num_columns(3)
            .striped(true)
            .spacing([12.0, 6.0])
            .show(ui, |ui| {
                ui.strong(MappingStr::HeaderInFile.get(lang));
                ui.strong(MappingStr::Meaning.get(lang));
                ui.strong(MappingStr::Samples.get(lang));
                ui.end_row();
                for (i, h) in self.header.iter().enumerate() {
                    let repeated = problems.repeated.iter().any(|(_, at)| at.contains(&i));
                    let name = if h.trim().is_empty() {
                        MappingStr::EmptyHeader.get(lang).to_string()
                    } else {
                        h.clone()
                    };
                    let text = egui::RichText::new(name);
                    let label = ui.label(if repeated { text.color(red) } else { text });
                    let Some(slot) = self.mapping.get_mut(i) else {
                        continue;
                    };
                    let selected =
                        slot.map_or_else(|| S::Ignore.get(lang).to_string(), column_label);
                    let combo = egui::ComboBox::from_id_salt(("mapping_column", i))
                        .width(230.0)
                        .height(420.0)
                        .selected_text(selected)
                        .show_ui(ui, |ui| {
                            ui.selectable_value(slot, None, S::Ignore.get(lang));
                            for c in Column::ALL {
                                ui.selectable_value(slot, Some(c), column_label(c))
                                    .on_hover_text(c.describe(lang));
                            }
                        });
                    let combo = combo.response.labelled_by(label.id);
                    if let Some(c) = *slot {
                        combo.on_hover_text(c.describe(lang));
                    }
                    match &self.samples {
                        Some(samples) => {
                            let values = samples.get(i).map_or_else(String::new, |v| v.join(" · "));
                            ui.add(egui::Label::new(egui::RichText::new(values).weak()).truncate());
                        }
                        None => {
                            ui.weak(MappingStr::NoPreview.get(lang));
                        }
                    }
                    ui.end_row();
                }
            });
    }
}

/// A column as offered in the dialog: its Chinese header and its key,
/// which a planner recognises in either language.
pub fn column_label(c: Column) -> String {
    format!("{} {}", c.zh(), c.key())
}

/// The first few values of each column of a text file, read from its
/// beginning only; `None` for spreadsheets and unreadable files.
fn read_samples(path: &Path, columns: usize) -> Option<Vec<Vec<String>>> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    if matches!(ext.as_str(), "xlsx" | "xlsm" | "xlsb" | "xls" | "ods") {
        return None;
    }
    let file = std::fs::File::open(path).ok()?;
    let mut bytes = Vec::new();
    file.take(PREVIEW_BYTES).read_to_end(&mut bytes).ok()?;
    if bytes.len() as u64 == PREVIEW_BYTES {
        // Cut at a line end so that no character or quoted cell is split
        // (a line feed is never part of a multi-byte UTF-8 or GB18030 character).
        let end = bytes.iter().rposition(|&b| b == b'\n')?;
        bytes.truncate(end + 1);
    }
    let decoded = crate::inventory::decode(&bytes, &path.display().to_string()).ok()?;
    let text: &str = &decoded.text;
    // The delimiter that splits the header into as many cells as it has.
    let rows = [b',', b'\t', b';']
        .into_iter()
        .map(|d| first_rows(text, d))
        .find(|rows| rows.first().is_some_and(|h| h.len() == columns))?;
    let mut samples = vec![Vec::new(); columns];
    for row in rows.iter().skip(1) {
        for (i, cell) in row.iter().enumerate().take(columns) {
            let cell = cell.trim();
            if !cell.is_empty() && samples[i].len() < SAMPLES {
                samples[i].push(cell.to_string());
            }
        }
    }
    Some(samples)
}

/// The header and the first data rows, blank lines skipped.
fn first_rows(text: &str, delimiter: u8) -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    reader
        .records()
        .map_while(Result::ok)
        .filter(|r| r.iter().any(|c| !c.trim().is_empty()))
        .take(1 + 2 * SAMPLES)
        .map(|r| r.iter().map(str::to_string).collect())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dialog(mapping: ColumnMapping) -> MappingDialog {
        let header: Vec<String> = (0..mapping.len()).map(|i| format!("h{i}")).collect();
        MappingDialog {
            path: PathBuf::from("x.csv"),
            header,
            mapping,
            samples: None,
        }
    }

    #[test]
    fn import_needs_site_id_and_level_once_each() {
        let d = dialog(vec![Some(Column::SiteId), None, Some(Column::Level)]);
        assert!(d.problems().is_empty());
        let d = dialog(vec![Some(Column::SiteId), None, None]);
        assert_eq!(d.problems().missing, vec![Column::Level]);
        let d = dialog(vec![
            Some(Column::SiteId),
            Some(Column::SiteId),
            Some(Column::Level),
        ]);
        let p = d.problems();
        assert_eq!(p.repeated, vec![(Column::SiteId, vec![0, 1])]);
        assert!(p.lines(&d.header, Lang::En)[0].contains("h0"));
    }

    #[test]
    fn samples_come_from_the_first_rows() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("a.csv");
        std::fs::write(&path, "编码;级别x\n\nA;省\nB;市\n").expect("write");
        let s = read_samples(&path, 2).expect("samples");
        assert_eq!(
            s,
            vec![
                vec!["A".to_string(), "B".into()],
                vec!["省".into(), "市".into()]
            ]
        );
    }
}
