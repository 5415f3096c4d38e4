//! The column-mapping dialog: shown when a file's headers do not name the
//! required columns, so the planner can say what each column holds and
//! what the values of the level, kind and inspection-result columns mean,
//! seeing how many rows would import as they go. The same dialog edits a
//! remembered mapping, without a file.

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::i18n::Lang;
use crate::inventory::{Column, ColumnMapping, Mapping, ValueMaps};

use super::command::{Command, MappingCommand};
use super::mapping_preview::PreviewJob;
use super::mapping_values::{Listing, NewValues, values_ui};
use super::strings::{MappingStr, S};

/// What the dialog decided this frame.
#[derive(Debug)]
pub enum Outcome {
    /// Still open.
    Open,
    /// Closed without importing.
    Cancel,
    /// Import the file with this mapping.
    Import(PathBuf, Mapping),
    /// Remember this mapping for these headers (editing without a file).
    Save(Vec<String>, Mapping),
    /// Write this mapping to a file the command line reads with `--map`
    /// (the dialog stays open).
    WriteFile(Mapping),
    /// Read a mapping file into the dialog (it stays open).
    ReadFile,
}

impl Outcome {
    /// The command that carries the decision out, if any.
    pub fn command(self) -> Option<Command> {
        match self {
            Outcome::Open | Outcome::Cancel => None,
            Outcome::Import(path, mapping) => Some(Command::OpenWithMapping { path, mapping }),
            Outcome::Save(header, mapping) => Some(Command::Mappings(MappingCommand::Remember {
                header,
                mapping,
            })),
            Outcome::WriteFile(mapping) => Some(Command::ChooseFile(
                super::file_dialog::FilePurpose::SaveMapping(mapping),
            )),
            Outcome::ReadFile => Some(Command::ChooseFile(
                super::file_dialog::FilePurpose::LoadMapping,
            )),
        }
    }

    /// True once the dialog is done.
    pub fn closes(&self) -> bool {
        !matches!(
            self,
            Outcome::Open | Outcome::WriteFile(_) | Outcome::ReadFile
        )
    }
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

/// Lines kept for the preview under the list: ready, counts, bad cells,
/// "first problems" and the problems.
const PREVIEW_LINES: f32 = 4.0 + crate::inventory::PREVIEW_PROBLEMS as f32;

/// How many sample values are shown per column.
const SAMPLES: usize = 3;
/// How much of a text file is read for the preview.
const PREVIEW_BYTES: u64 = 64 * 1024;

/// The column-mapping dialog.
pub struct MappingDialog {
    /// The file (`None` when editing a remembered mapping).
    pub path: Option<PathBuf>,
    /// Its headers.
    pub header: Vec<String>,
    /// The column chosen for each header.
    pub mapping: ColumnMapping,
    /// What the values of the level, kind and inspection-result columns mean.
    pub values: ValueMaps,
    /// The workbook's sheet the headers are from.
    sheet: Option<String>,
    /// A few values of each column, when the file could be previewed.
    samples: Option<Vec<Vec<String>>>,
    /// What importing with the mapping on screen gives.
    preview: PreviewJob,
    /// Values being typed in (no file).
    adding: NewValues,
    /// Frames drawn so far, up to [`SETTLE_FRAMES`].
    frames: u8,
}

/// Frames drawn one after the other when the dialog opens: a modal is
/// placed by its size in the frame before, and grids learn their column
/// widths in their first frame, so the dialog takes its place over a
/// couple of frames (without them it would sit off by a few points until
/// the next input, and a first click could miss).
const SETTLE_FRAMES: u8 = 2;

impl MappingDialog {
    /// A dialog for a file's headers, pre-filled with what was recognised.
    pub fn new(path: PathBuf, header: Vec<String>) -> Self {
        let mut mapping = crate::inventory::detect_columns(&header);
        mapping.resize(header.len(), None);
        let samples = read_samples(&path, header.len());
        MappingDialog {
            path: Some(path),
            header,
            mapping,
            values: ValueMaps::default(),
            sheet: None,
            samples,
            preview: PreviewJob::default(),
            adding: NewValues::default(),
            frames: 0,
        }
    }

    /// The dialog for a workbook's sheet.
    pub fn with_sheet(mut self, sheet: Option<String>) -> Self {
        self.sheet = sheet;
        self
    }

    /// The dialog pre-filled with `mapping` (a remembered one for the
    /// same headers).
    pub fn with_mapping(mut self, mapping: Mapping) -> Self {
        let mut columns = mapping.columns;
        columns.resize(self.header.len(), None);
        self.mapping = columns;
        self.values = mapping.values;
        self
    }

    /// True when the document comes from an inventory file (not the
    /// sample or a project) whose mapping can be chosen again.
    pub fn can_map(doc: &super::document::Document) -> bool {
        // An inventory with files added to it is no longer that one file.
        doc.ws.sources.is_empty()
            && doc
                .path
                .as_deref()
                .is_some_and(|p| !crate::project::is_project_path(p))
    }

    /// The dialog for the inventory file `doc` was imported from (sheet
    /// `sheet` of a workbook), set to the mapping remembered for its
    /// headers, else the one it was imported with: so that a file whose
    /// headers Sitefold knows can have its values mapped. `None` when
    /// [`Self::can_map`] is false.
    pub fn for_document(
        doc: &super::document::Document,
        remembered: &std::collections::BTreeMap<String, Mapping>,
        sheet: Option<String>,
    ) -> Option<Self> {
        if !Self::can_map(doc) {
            return None;
        }
        let path = doc.path.clone()?;
        let imported = &doc.ws.imported;
        let header = imported.header.clone();
        let mapping = remembered
            .get(&super::app::header_signature(&header))
            .cloned()
            .unwrap_or_else(|| Mapping::from(imported.mapping.clone()));
        Some(
            MappingDialog::new(path, header)
                .with_sheet(sheet)
                .with_mapping(mapping),
        )
    }

    /// The editor of a remembered mapping: no file, so no samples and no
    /// preview; Save instead of Import.
    pub fn for_remembered(header: Vec<String>, mapping: Mapping) -> Self {
        MappingDialog {
            path: None,
            header,
            mapping: Vec::new(),
            values: ValueMaps::default(),
            sheet: None,
            samples: None,
            preview: PreviewJob::default(),
            adding: NewValues::default(),
            frames: 0,
        }
        .with_mapping(mapping)
    }

    /// Takes a mapping read from a file: refused (with the reason) when it
    /// is for a file with another number of columns.
    pub fn take_file(&mut self, m: Mapping, lang: Lang) -> Result<(), String> {
        if m.columns.len() != self.header.len() {
            return Err(format!(
                "{} {} ≠ {}",
                MappingStr::FileOtherColumns.get(lang),
                m.columns.len(),
                self.header.len()
            ));
        }
        self.mapping = m.columns;
        self.values = m.values;
        Ok(())
    }

    /// The mapping on screen: columns and value maps.
    pub fn current(&self) -> Mapping {
        Mapping {
            columns: self.mapping.clone(),
            values: self.values.clone(),
        }
    }

    /// The preview of the mapping on screen, once worked out.
    pub fn preview(
        &self,
    ) -> Option<&Result<crate::inventory::Preview, crate::inventory::ImportError>> {
        self.preview.of(&self.current())
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
        if self.frames < SETTLE_FRAMES {
            self.frames += 1;
            ctx.request_repaint();
        }
        let problems = self.problems();
        let wanted = self.current();
        if let Some(path) = &self.path
            && problems.is_empty()
        {
            self.preview
                .update(ctx, path, self.sheet.as_deref(), &wanted);
        }
        // The list and the preview keep their size, so that nothing moves
        // under the pointer when a preview lands.
        let list_height = (ctx.content_rect().height() * 0.45).max(160.0);
        let modal = egui::Modal::new(egui::Id::unique("column_mapping_dialog")).show(ctx, |ui| {
            // A set width: wrapped text then takes its height in the first
            // frame, and the dialog does not shift under the pointer.
            ui.set_width(super::file_dialog::fit_width(ctx, 820.0));
            match &self.path {
                Some(path) => {
                    ui.heading(S::ColumnMapping.get(lang));
                    ui.label(S::ColumnMappingHelp.get(lang));
                    let file = path.display().to_string();
                    ui.add(
                        egui::Label::new(format!("{}{file}", MappingStr::FileLabel.get(lang)))
                            .truncate(),
                    )
                    .on_hover_text(file);
                }
                None => {
                    ui.heading(MappingStr::EditTitle.get(lang));
                    ui.label(MappingStr::EditHelp.get(lang));
                }
            }
            ui.separator();
            egui::ScrollArea::vertical()
                .id_salt("mapping_scroll")
                .max_height(list_height)
                .auto_shrink([false, false])
                .show(ui, |ui| {
                    self.grid_ui(ui, &problems, lang);
                    let listing = match (&self.path, self.preview.with_columns_of(&wanted)) {
                        (None, _) => Listing::NoFile,
                        (Some(_), Some(p)) => Listing::Counted(&p.values),
                        (Some(_), None) => Listing::Counting,
                    };
                    values_ui(
                        ui,
                        &self.header,
                        &self.mapping,
                        &mut self.values,
                        listing,
                        &mut self.adding,
                        lang,
                    );
                });
            ui.separator();
            let line = ui.text_style_height(&egui::TextStyle::Body) + ui.spacing().item_spacing.y;
            ui.vertical(|ui| {
                if self.path.is_some() {
                    ui.set_min_height(line * PREVIEW_LINES);
                }
                if !problems.is_empty() {
                    let red = ui.visuals().error_fg_color;
                    for line in problems.lines(&self.header, lang) {
                        ui.colored_label(red, line);
                    }
                } else if self.path.is_some() {
                    ui.label(MappingStr::Ready.get(lang));
                    self.preview.ui(ui, &wanted, lang);
                }
            });
            if self.path.is_some() {
                ui.weak(MappingStr::Remembered.get(lang));
            }
            ui.add_space(4.0);
            ui.horizontal(|ui| {
                let label = match self.path {
                    Some(_) => S::Import.get(lang),
                    None => MappingStr::Save.get(lang),
                };
                let done = ui.add_enabled(problems.is_empty(), egui::Button::new(label));
                if done.clicked() {
                    outcome = match &self.path {
                        Some(path) => Outcome::Import(path.clone(), self.current()),
                        None => Outcome::Save(self.header.clone(), self.current()),
                    };
                }
                if ui.button(S::Cancel.get(lang)).clicked() {
                    outcome = Outcome::Cancel;
                }
                ui.separator();
                // The same mapping as a file for the command line (--map).
                if ui
                    .button(MappingStr::WriteFile.get(lang))
                    .on_hover_text(MappingStr::FileTip.get(lang))
                    .clicked()
                {
                    outcome = Outcome::WriteFile(self.current());
                }
                if ui
                    .button(MappingStr::ReadFile.get(lang))
                    .on_hover_text(MappingStr::FileTip.get(lang))
                    .clicked()
                {
                    outcome = Outcome::ReadFile;
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
                        None if self.path.is_none() => {
                            ui.weak(MappingStr::NoFile.get(lang));
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
    if crate::inventory::is_spreadsheet_path(path) {
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
            mapping,
            ..MappingDialog::for_remembered(header, Mapping::default())
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
