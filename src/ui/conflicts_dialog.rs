//! The sites found in two files when a file is added to the inventory:
//! each shown side by side, field by field, with the row to keep chosen
//! per site or by one rule for all; nothing is added until the planner
//! says so.

use crate::i18n::Lang;
use crate::inventory::{Assembled, Choice, Conflict, Gathered, Keep};

use super::strings::AssembleStr;

/// Most conflicts drawn one by one (the others follow the rule for all).
pub const MAX_SHOWN: usize = 500;

/// What the planner did with the dialog this frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConflictsOutcome {
    /// Still choosing.
    Open,
    /// Add nothing.
    Cancel,
    /// Add the file with the rows chosen.
    Add,
}

/// The conflicts of a file being added, and the row chosen for each.
pub struct ConflictsDialog {
    gathered: Gathered,
    choices: Vec<Choice>,
    /// The file being added, as the planner named it.
    pub file: String,
}

impl ConflictsDialog {
    /// The dialog for `gathered` (the file `file` added to the inventory),
    /// every conflict keeping the inventory's row until chosen otherwise.
    pub fn new(gathered: Gathered, file: String) -> ConflictsDialog {
        let choices = vec![Choice::Rule(Keep::First); gathered.conflicts().len()];
        ConflictsDialog {
            gathered,
            choices,
            file,
        }
    }

    /// The conflicts.
    pub fn conflicts(&self) -> &[Conflict] {
        self.gathered.conflicts()
    }

    /// The row conflict `k` keeps now.
    pub fn kept(&self, k: usize) -> Option<usize> {
        let c = self.conflicts().get(k)?;
        Some(c.kept_by(self.choices.get(k).copied()?))
    }

    /// Resolves every conflict by `keep`.
    pub fn keep_all(&mut self, keep: Keep) {
        self.choices.fill(Choice::Rule(keep));
    }

    /// Keeps `row` of conflict `k`.
    pub fn choose(&mut self, k: usize, row: usize) {
        if let Some(c) = self.choices.get_mut(k) {
            *c = Choice::Row(row);
        }
    }

    /// The inventory with the file added, the conflicts resolved as chosen.
    pub fn finish(self) -> Assembled {
        self.gathered.finish(&self.choices)
    }

    /// Draws the dialog.
    pub fn ui(&mut self, ctx: &egui::Context, lang: Lang) -> ConflictsOutcome {
        let mut outcome = ConflictsOutcome::Open;
        let mut open = true;
        egui::Window::new(AssembleStr::Title.get(lang))
            .id(egui::Id::unique("assemble_conflicts"))
            .open(&mut open)
            .collapsible(false)
            .default_width(760.0)
            .max_height(ctx.content_rect().height() * 0.85)
            .show(ctx, |ui| {
                ui.label(AssembleStr::Help.get(lang));
                ui.horizontal_wrapped(|ui| {
                    ui.label(AssembleStr::ForAll.get(lang));
                    for (keep, label) in [
                        (Keep::First, AssembleStr::KeepFirst),
                        (Keep::Last, AssembleStr::KeepLast),
                        (Keep::NewerInspection, AssembleStr::KeepNewer),
                    ] {
                        let mut b = ui.button(label.get(lang));
                        if keep == Keep::NewerInspection {
                            b = b.on_hover_text(AssembleStr::NewerTip.get(lang));
                        }
                        if b.clicked() {
                            self.keep_all(keep);
                        }
                    }
                });
                ui.separator();
                egui::ScrollArea::vertical()
                    .id_salt("assemble_conflicts_scroll")
                    .max_height(ctx.content_rect().height() * 0.6)
                    .show(ui, |ui| {
                        for k in 0..self.conflicts().len().min(MAX_SHOWN) {
                            ui.push_id(k, |ui| self.conflict_ui(ui, k, lang));
                            ui.separator();
                        }
                        let more = self.conflicts().len().saturating_sub(MAX_SHOWN);
                        if more > 0 {
                            ui.weak(match lang {
                                Lang::Zh => format!("另有 {more} 个冲突按上方的全部规则处理"),
                                Lang::En => {
                                    format!("{more} more conflict(s) follow the rule for all above")
                                }
                            });
                        }
                    });
                ui.horizontal(|ui| {
                    if ui.button(AssembleStr::Add.get(lang)).clicked() {
                        outcome = ConflictsOutcome::Add;
                    }
                    if ui.button(AssembleStr::Cancel.get(lang)).clicked() {
                        outcome = ConflictsOutcome::Cancel;
                    }
                });
            });
        if !open {
            outcome = ConflictsOutcome::Cancel;
        }
        outcome
    }

    /// One conflict: a column per row (its file and line, the choice to
    /// keep it), a line per field that differs.
    fn conflict_ui(&mut self, ui: &mut egui::Ui, k: usize, lang: Lang) {
        let names: Vec<String> = self
            .gathered
            .file_names()
            .iter()
            .map(|n| short_name(n))
            .collect();
        let kept = self.kept(k).unwrap_or(0);
        let Some(c) = self.conflicts().get(k).cloned() else {
            return;
        };
        ui.strong(&c.site_id);
        let mut chosen = None;
        egui::Grid::new("rows")
            .striped(true)
            .num_columns(c.rows.len() + 1)
            .show(ui, |ui| {
                ui.label(AssembleStr::Keep.get(lang));
                for (r, row) in c.rows.iter().enumerate() {
                    let file = names.get(row.file).map_or("", String::as_str);
                    let at = AssembleStr::Line
                        .get(lang)
                        .replace("{}", &row.line.to_string());
                    if ui.radio(kept == r, format!("{file} · {at}")).clicked() {
                        chosen = Some(r);
                    }
                }
                ui.end_row();
                for d in &c.fields {
                    ui.label(d.column.header(lang));
                    for v in &d.values {
                        ui.label(crate::inventory::excerpt(v));
                    }
                    ui.end_row();
                }
            });
        if c.fields.is_empty() {
            ui.weak(AssembleStr::Same.get(lang));
        }
        if let Some(r) = chosen {
            self.choose(k, r);
        }
    }
}

/// A file's name without its folder.
fn short_name(path: &str) -> String {
    std::path::Path::new(path)
        .file_name()
        .map_or_else(|| path.to_string(), |n| n.to_string_lossy().into_owned())
}
