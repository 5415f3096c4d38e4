//! The import report: what the import rejected, repaired or flagged, with
//! where in the file, filterable by severity and text; and below it the
//! problems found in the plan, rules and parameter files.

use egui_extras::{Column as TableColumn, TableBuilder};

use crate::i18n::Lang;
use crate::inventory::{ImportReport, Issue, Severity};

use super::command::{Command, SelectMode};
use super::context::Cx;
use super::document::Document;
use super::strings::{ReportStr, S};

/// The severities, in the order of the toggles.
const SEVERITIES: [Severity; 4] = [
    Severity::Rejected,
    Severity::Error,
    Severity::Warning,
    Severity::Info,
];

fn severity_index(s: Severity) -> usize {
    match s {
        Severity::Rejected => 0,
        Severity::Error => 1,
        Severity::Warning => 2,
        Severity::Info => 3,
    }
}

fn severity_toggle_label(s: Severity) -> S {
    match s {
        Severity::Rejected => S::Rejected,
        Severity::Error => S::Errors,
        Severity::Warning => S::Warnings,
        Severity::Info => S::Notes,
    }
}

/// Which import report the caches were built for. A new document starts
/// its revisions again, so the report itself is identified too.
#[derive(Clone, Debug, PartialEq, Eq)]
struct ReportId {
    issues_at: usize,
    issues: usize,
    rows_read: usize,
    source: String,
}

impl ReportId {
    fn of(report: &ImportReport) -> Self {
        ReportId {
            issues_at: report.issues.as_ptr() as usize,
            issues: report.issues.len(),
            rows_read: report.rows_read,
            source: report.source.clone(),
        }
    }
}

/// What the shown list depends on.
#[derive(Clone, Debug, PartialEq, Eq)]
struct ShownKey {
    revision: u64,
    report: ReportId,
    show: [bool; 4],
    needle: String,
    lang: Lang,
}

/// The panel's own state.
pub struct ReportPanel {
    /// Severities shown (Rejected, Error, Warning, Info).
    pub show: [bool; 4],
    /// Text searched in messages, site ids and raw rows.
    pub filter: String,
    shown: Vec<usize>,
    shown_key: Option<ShownKey>,
    counts: [usize; 4],
    counts_key: Option<ReportId>,
    /// Lower-cased searchable text per issue, built on the first search.
    haystack: Option<(ReportId, Lang, Vec<String>)>,
}

impl Default for ReportPanel {
    fn default() -> Self {
        ReportPanel {
            show: [true; 4],
            filter: String::new(),
            shown: Vec::new(),
            shown_key: None,
            counts: [0; 4],
            counts_key: None,
            haystack: None,
        }
    }
}

impl ReportPanel {
    /// The issues shown (indices into the report's issues), as of the last refresh.
    pub fn shown(&self) -> &[usize] {
        &self.shown
    }

    /// Issues per severity (Rejected, Error, Warning, Info), as of the last refresh.
    pub fn counts(&self) -> [usize; 4] {
        self.counts
    }

    /// Recomputes the counts and the shown issues when the report or the
    /// filters changed.
    pub fn refresh(&mut self, doc: &Document, lang: Lang) {
        let report = &doc.ws.imported.report;
        let id = ReportId::of(report);
        if self.counts_key.as_ref() != Some(&id) {
            let mut counts = [0; 4];
            for issue in &report.issues {
                counts[severity_index(issue.severity)] += 1;
            }
            self.counts = counts;
            self.counts_key = Some(id.clone());
        }
        let needle = self.filter.trim().to_lowercase();
        let key = ShownKey {
            revision: doc.revision,
            report: id.clone(),
            show: self.show,
            needle: needle.clone(),
            lang,
        };
        if self.shown_key.as_ref() == Some(&key) {
            return;
        }
        let show = self.show;
        let wanted = |issue: &Issue| show[severity_index(issue.severity)];
        self.shown = if needle.is_empty() {
            report
                .issues
                .iter()
                .enumerate()
                .filter(|(_, issue)| wanted(issue))
                .map(|(i, _)| i)
                .collect()
        } else {
            let fresh = self
                .haystack
                .as_ref()
                .is_some_and(|(hid, hlang, _)| *hid == id && *hlang == lang);
            if !fresh {
                let texts = report
                    .issues
                    .iter()
                    .map(|issue| searchable(report, issue, lang))
                    .collect();
                self.haystack = Some((id, lang, texts));
            }
            let texts = self
                .haystack
                .as_ref()
                .map_or(&[][..], |(_, _, t)| t.as_slice());
            report
                .issues
                .iter()
                .zip(texts)
                .enumerate()
                .filter(|(_, (issue, text))| wanted(issue) && text.contains(&needle))
                .map(|(i, _)| i)
                .collect()
        };
        self.shown_key = Some(key);
    }

    /// Draws the panel.
    pub fn ui(&mut self, ui: &mut egui::Ui, cx: &Cx<'_>, out: &mut Vec<Command>) {
        let lang = cx.lang;
        let doc = cx.doc;
        self.refresh(doc, lang);
        summary_ui(ui, &doc.ws.imported.report, lang);
        sources_ui(ui, &doc.ws.sources, lang);
        self.filters_ui(ui, lang);
        ui.separator();
        file_issues_ui(ui, doc, lang);
        if doc.ws.imported.report.issues.is_empty() {
            ui.label(S::NoIssues.get(lang));
        } else if self.shown.is_empty() {
            ui.label(ReportStr::NoMatches.get(lang));
        } else {
            self.table_ui(ui, cx, out);
        }
    }

    fn filters_ui(&mut self, ui: &mut egui::Ui, lang: Lang) {
        ui.horizontal_wrapped(|ui| {
            for s in SEVERITIES {
                let k = severity_index(s);
                let text = format!(
                    "{} ({})",
                    severity_toggle_label(s).get(lang),
                    self.counts[k]
                );
                ui.toggle_value(
                    &mut self.show[k],
                    egui::RichText::new(text).color(severity_color(ui, s)),
                );
            }
            ui.separator();
            ui.add(
                egui::TextEdit::singleline(&mut self.filter)
                    .hint_text(ReportStr::FilterHint.get(lang))
                    .desired_width(260.0),
            )
            .on_hover_text(S::FilterMessages.get(lang));
            if !self.filter.is_empty() && ui.button(ReportStr::ClearFilter.get(lang)).clicked() {
                self.filter.clear();
            }
            ui.weak(format!(
                "{} {} {} {}",
                S::Shown.get(lang),
                self.shown.len(),
                S::Of.get(lang),
                self.counts.iter().sum::<usize>()
            ));
        });
    }

    fn table_ui(&mut self, ui: &mut egui::Ui, cx: &Cx<'_>, out: &mut Vec<Command>) {
        let lang = cx.lang;
        let report = &cx.doc.ws.imported.report;
        let inv = cx.doc.inventory();
        let any_raw = self.counts[severity_index(Severity::Rejected)] > 0;
        let mut clicked = None;
        let mut builder = TableBuilder::new(ui)
            .id_salt("import_report_table")
            .striped(true)
            .resizable(true)
            .sense(egui::Sense::click())
            .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
            .column(TableColumn::initial(190.0).at_least(80.0).clip(true))
            .column(TableColumn::initial(64.0).at_least(40.0))
            .column(TableColumn::initial(110.0).at_least(50.0).clip(true));
        builder = if any_raw {
            builder
                .column(TableColumn::initial(420.0).at_least(120.0).clip(true))
                .column(TableColumn::remainder().at_least(80.0).clip(true))
        } else {
            builder.column(TableColumn::remainder().at_least(120.0).clip(true))
        };
        builder
            .min_scrolled_height(0.0)
            .header(22.0, |mut header| {
                let mut titles = vec![
                    ReportStr::ColLocation.get(lang),
                    S::Severity.get(lang),
                    ReportStr::ColSite.get(lang),
                    S::Message.get(lang),
                ];
                if any_raw {
                    titles.push(ReportStr::ColRaw.get(lang));
                }
                for t in titles {
                    header.col(|ui| {
                        ui.strong(t);
                    });
                }
            })
            .body(|body| {
                body.rows(20.0, self.shown.len(), |mut row| {
                    let Some(issue) = self
                        .shown
                        .get(row.index())
                        .and_then(|&i| report.issues.get(i))
                    else {
                        return;
                    };
                    let site = issue.site_id.as_deref().and_then(|id| inv.find(id));
                    row.set_selected(site.is_some_and(|s| cx.selection.contains(s)));
                    row.col(|ui| {
                        cell(ui, location(report, issue, lang));
                    });
                    row.col(|ui| {
                        let color = severity_color(ui, issue.severity);
                        ui.add(
                            egui::Label::new(
                                egui::RichText::new(issue.severity.label(lang)).color(color),
                            )
                            .selectable(false),
                        );
                    });
                    row.col(|ui| {
                        let Some(id) = issue.site_id.as_deref() else {
                            return;
                        };
                        let (text, hover) = if site.is_some() {
                            (
                                egui::RichText::new(id).color(ui.visuals().hyperlink_color),
                                ReportStr::ClickToSelect,
                            )
                        } else {
                            (egui::RichText::new(id).weak(), ReportStr::NotImportedSite)
                        };
                        ui.add(egui::Label::new(text).selectable(false).truncate())
                            .on_hover_text(hover.get(lang));
                    });
                    row.col(|ui| {
                        let message = issue.finding.message(lang);
                        ui.add(
                            egui::Label::new(message.as_str())
                                .selectable(false)
                                .truncate(),
                        )
                        .on_hover_text(message);
                    });
                    if any_raw {
                        row.col(|ui| {
                            if let Some(raw) = &issue.raw {
                                let text = raw.join(", ");
                                ui.add(
                                    egui::Label::new(
                                        egui::RichText::new(text.as_str()).monospace(),
                                    )
                                    .selectable(false)
                                    .truncate(),
                                )
                                .on_hover_text(format!(
                                    "{}{text}",
                                    ReportStr::RawRowHover.get(lang)
                                ));
                            }
                        });
                    }
                    if row.response().clicked() {
                        clicked = site;
                    }
                });
            });
        if let Some(site) = clicked {
            out.push(Command::Select {
                site,
                mode: SelectMode::Replace,
            });
        }
    }
}

/// A table cell's text: not selectable, so that a click selects the row.
fn cell(ui: &mut egui::Ui, text: String) {
    ui.add(egui::Label::new(text).selectable(false).truncate());
}

fn severity_color(ui: &egui::Ui, s: Severity) -> egui::Color32 {
    let v = ui.visuals();
    match s {
        Severity::Rejected => v.error_fg_color,
        Severity::Error => egui::Color32::from_rgb(0xd3, 0x6b, 0x00),
        Severity::Warning => v.warn_fg_color,
        Severity::Info => v.weak_text_color(),
    }
}

/// Where an issue is, as the planner reads it: "第 12 行 · 第 3 列 级别" /
/// "line 12 · col 3 级别" ("row" for spreadsheets); in an inventory
/// assembled from several files, after the file's name ("柳坪市.csv ·
/// 第 12 行 …").
pub fn location(report: &ImportReport, issue: &Issue, lang: Lang) -> String {
    let at = location_in(issue.is_row(report.location_is_row), issue, lang);
    match &issue.file {
        Some(file) => {
            let name = std::path::Path::new(file)
                .file_name()
                .map_or_else(|| file.clone(), |n| n.to_string_lossy().into_owned());
            format!("{name} · {at}")
        }
        None => at,
    }
}

/// [`location`] for a file whose locations are sheet rows (`is_row`) or
/// lines.
pub fn location_in(is_row: bool, issue: &Issue, lang: Lang) -> String {
    if issue.line == 0 {
        return ReportStr::WholeFile.get(lang).to_string();
    }
    let (pre, post) = if is_row {
        (ReportStr::RowPrefix, ReportStr::RowSuffix)
    } else {
        (ReportStr::LinePrefix, ReportStr::LineSuffix)
    };
    let mut s = format!("{}{}{}", pre.get(lang), issue.line, post.get(lang));
    if let Some(c) = issue.column {
        s.push_str(&format!(
            " · {}{c}{}",
            ReportStr::ColPrefix.get(lang),
            ReportStr::ColSuffix.get(lang)
        ));
    }
    if let Some(h) = issue.header.as_deref().filter(|h| !h.is_empty()) {
        s.push(' ');
        s.push_str(h);
    }
    s
}

/// The text a search looks in: location, site id, header, message, raw row.
fn searchable(report: &ImportReport, issue: &Issue, lang: Lang) -> String {
    let mut s = location(report, issue, lang);
    for part in [issue.site_id.as_deref(), issue.header.as_deref()]
        .into_iter()
        .flatten()
    {
        s.push('\n');
        s.push_str(part);
    }
    s.push('\n');
    s.push_str(&issue.finding.message(lang));
    if let Some(raw) = &issue.raw {
        s.push('\n');
        s.push_str(&raw.join(","));
    }
    s.to_lowercase()
}

fn summary_ui(ui: &mut egui::Ui, report: &ImportReport, lang: Lang) {
    ui.horizontal_wrapped(|ui| {
        ui.strong(ReportStr::Title.get(lang));
        ui.separator();
        let source = if report.source.is_empty() {
            S::Sample.get(lang)
        } else {
            report.source.as_str()
        };
        ui.label(format!("{}: {source}", ReportStr::File.get(lang)));
        ui.separator();
        if !report.encoding.is_empty() {
            ui.label(format!("{}: {}", S::Encoding.get(lang), report.encoding));
            ui.separator();
        }
        ui.label(format!("{}: {}", S::RowsRead.get(lang), report.rows_read));
        ui.separator();
        ui.label(format!("{}: {}", ReportStr::Sites.get(lang), report.sites));
    });
}

/// The files of an inventory assembled from several, with the sites each
/// gave and its own counts.
fn sources_ui(ui: &mut egui::Ui, sources: &[crate::inventory::SourceFile], lang: Lang) {
    use super::strings::AssembleStr;
    if sources.is_empty() {
        return;
    }
    ui.horizontal_wrapped(|ui| {
        ui.label(format!("{}:", AssembleStr::Files.get(lang)));
        for s in sources {
            let name = std::path::Path::new(&s.path)
                .file_name()
                .map_or_else(|| s.path.clone(), |n| n.to_string_lossy().into_owned());
            let given = AssembleStr::SitesGiven
                .get(lang)
                .replace("{}", &s.sites.to_string());
            let r = &s.report;
            ui.label(format!("{name} ({given})")).on_hover_text(format!(
                "{}: {} · {}: {} · {}: {} · {}: {} · {}",
                S::RowsRead.get(lang),
                r.rows_read,
                Severity::Rejected.label(lang),
                r.rejected(),
                Severity::Error.label(lang),
                r.errors(),
                Severity::Warning.label(lang),
                r.warnings(),
                r.encoding
            ));
            ui.separator();
        }
    });
}

/// Problems of the plan, rules and parameter files, in a panel of their own
/// at the bottom (a plan file can have many bad lines: rows are virtualised).
fn file_issues_ui(ui: &mut egui::Ui, doc: &Document, lang: Lang) {
    let issues = &doc.ws.file_issues;
    let panel = egui::Panel::bottom("report_file_issues");
    let panel = if issues.is_empty() {
        panel.resizable(false)
    } else {
        panel.resizable(true).default_size(150.0).min_size(60.0)
    };
    panel.show(ui, |ui| {
        ui.add_space(4.0);
        ui.strong(S::FileIssues.get(lang));
        if issues.is_empty() {
            ui.weak(ReportStr::NoFileIssues.get(lang));
            return;
        }
        let row_height = ui.text_style_height(&egui::TextStyle::Body);
        egui::ScrollArea::vertical()
            .id_salt("report_file_issues_scroll")
            .auto_shrink([false, true])
            .show_rows(ui, row_height, issues.len(), |ui, range| {
                let red = ui.visuals().error_fg_color;
                let warn = ui.visuals().warn_fg_color;
                for issue in issues.get(range).unwrap_or_default() {
                    let color = if issue.is_error { red } else { warn };
                    ui.add(
                        egui::Label::new(egui::RichText::new(issue.render(lang)).color(color))
                            .truncate(),
                    )
                    .on_hover_text(issue.render(lang));
                }
            });
    });
}
