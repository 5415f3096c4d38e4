//! The progress panel: where the closures stand, by prefecture and by
//! level (done, in progress, not started, overdue), the overdue sites, and
//! recording a status change for the selected sites.

use crate::execution::{Date, tracking};
use crate::i18n::Lang;

use super::command::{Command, SelectMode};
use super::context::Cx;
use super::strings::TimelineStr as T;

/// Overdue sites listed.
const OVERDUE_LISTED: usize = 300;

struct Computed {
    revision: u64,
    today: Date,
    lang: Lang,
    progress: tracking::Progress,
}

/// The progress panel's state.
#[derive(Default)]
pub struct ProgressPanel {
    computed: Option<Computed>,
    /// The status chosen for the selection (its key).
    status: String,
    /// The date typed (empty: today).
    date_text: String,
    /// The note typed.
    note: String,
    /// The person's name being typed.
    person: Option<String>,
    /// What the last progress sheet gave (error or not, the text).
    notice: Option<(bool, String)>,
    /// The redirect pattern being typed.
    pattern: Option<String>,
    /// The notice template being edited, for the document it was taken
    /// from (another one shows its own).
    template: Option<(u64, String)>,
    /// The publishing office typed, to put in the template's place for
    /// `{publisher}` (as `sitefold notices --publisher` does).
    publisher: String,
    /// The statuses being edited, for the document they were taken from
    /// (`None`: the project's, unchanged).
    draft: Option<(u64, crate::execution::Workflow)>,
}

impl ProgressPanel {
    /// Shows what an import gave, above the tables.
    pub fn show_notice(&mut self, error: bool, text: String) {
        self.notice = Some((error, text));
    }

    /// What the last import gave.
    pub fn notice(&self) -> Option<&(bool, String)> {
        self.notice.as_ref()
    }

    /// The progress shown (after [`Self::refresh`]).
    pub fn progress(&self) -> Option<&tracking::Progress> {
        self.computed.as_ref().map(|c| &c.progress)
    }

    /// Works the progress out again when the document, the day or the
    /// language changed.
    pub fn refresh(&mut self, cx: &Cx<'_>) {
        let today = Date::today();
        if self
            .computed
            .as_ref()
            .is_some_and(|c| c.revision == cx.doc.revision && c.today == today && c.lang == cx.lang)
        {
            return;
        }
        let doc = cx.doc;
        let ws = &doc.ws;
        let progress = tracking::progress(
            doc.inventory(),
            &doc.resolved.decisions,
            &ws.schedule,
            &ws.execution.workflow,
            &ws.execution.statuses,
            today,
            cx.lang,
        );
        self.computed = Some(Computed {
            revision: doc.revision,
            today,
            lang: cx.lang,
            progress,
        });
    }

    /// Draws the panel.
    pub fn ui(&mut self, ui: &mut egui::Ui, cx: &Cx<'_>, out: &mut Vec<Command>) {
        self.refresh(cx);
        let lang = cx.lang;
        egui::ScrollArea::vertical()
            .id_salt("progress_scroll")
            .show(ui, |ui| {
                ui.label(egui::RichText::new(T::ProgressHelp.get(lang)).weak());
                ui.add_space(4.0);
                self.record_ui(ui, cx, out);
                ui.horizontal(|ui| {
                    if ui.button(T::ImportProgress.get(lang)).clicked() {
                        out.push(Command::ChooseFile(
                            super::file_dialog::FilePurpose::ImportProgress,
                        ));
                    }
                    if ui.button(T::ExportAudit.get(lang)).clicked() {
                        out.push(Command::ChooseFile(
                            super::file_dialog::FilePurpose::ExportAudit,
                        ));
                    }
                });
                super::dialogs::notice_box(ui, "progress_notice", &mut self.notice, lang);
                egui::CollapsingHeader::new(
                    lang.pick("跳转表与关停公告", "Redirect map and closure notices"),
                )
                .id_salt("progress_redirects")
                .show(ui, |ui| self.redirects_ui(ui, cx, out));
                egui::CollapsingHeader::new(
                    lang.pick("状态列表（本项目）", "Statuses (this project)"),
                )
                .id_salt("progress_workflow")
                .show(ui, |ui| self.workflow_ui(ui, cx, out));
                ui.separator();
                let Some(c) = &self.computed else {
                    return;
                };
                let p = &c.progress;
                if p.total.closing == 0 {
                    ui.label(T::NoMerged.get(lang));
                    return;
                }
                ui.label(format!("{}: {}", T::Today.get(lang), c.today));
                ui.add_space(4.0);
                table(
                    ui,
                    "progress_levels",
                    T::Level.get(lang),
                    &p.by_level,
                    &p.total,
                    lang,
                );
                ui.add_space(8.0);
                table(
                    ui,
                    "progress_areas",
                    T::Area.get(lang),
                    &p.by_area,
                    &p.total,
                    lang,
                );
                ui.add_space(8.0);
                overdue_ui(ui, cx, p, out);
            });
    }

    fn record_ui(&mut self, ui: &mut egui::Ui, cx: &Cx<'_>, out: &mut Vec<Command>) {
        let lang = cx.lang;
        let wf = &cx.doc.ws.execution.workflow;
        if wf.find(&self.status).is_none() {
            self.status = wf.stages.first().map(|s| s.key.clone()).unwrap_or_default();
        }
        let selected = cx.selection.to_vec();
        let merged: Vec<usize> = selected
            .iter()
            .copied()
            .filter(|&i| {
                crate::outcome::is_merged(cx.doc.inventory(), &cx.doc.resolved.decisions, i)
            })
            .collect();
        ui.horizontal_wrapped(|ui| {
            ui.label(format!(
                "{} ({})",
                lang.pick(
                    "记录选中合并网站的进度",
                    "Record the progress of the selected merged sites"
                ),
                merged.len()
            ));
            egui::ComboBox::new("progress_status", lang.pick("状态", "Status"))
                .selected_text(wf.label(&self.status, lang).to_string())
                .show_ui(ui, |ui| {
                    for st in &wf.stages {
                        ui.selectable_value(&mut self.status, st.key.clone(), st.label(lang));
                    }
                });
            ui.add(
                egui::TextEdit::singleline(&mut self.date_text)
                    .desired_width(100.0)
                    .hint_text(Date::today().to_string()),
            );
            let date = if self.date_text.trim().is_empty() {
                Some(Date::today())
            } else {
                Date::parse(&self.date_text)
            };
            ui.add(
                egui::TextEdit::singleline(&mut self.note)
                    .desired_width(200.0)
                    .hint_text(lang.pick("备注（可选）", "Note (optional)")),
            );
            let ok = !merged.is_empty() && date.is_some();
            if ui
                .add_enabled(ok, egui::Button::new(lang.pick("记录", "Record")))
                .clicked()
                && let Some(date) = date
            {
                out.push(Command::RecordStatus {
                    sites: merged.clone(),
                    status: self.status.clone(),
                    date,
                    note: self.note.trim().to_string(),
                });
                self.note.clear();
            }
            if date.is_none() {
                ui.colored_label(
                    ui.visuals().error_fg_color,
                    lang.pick(
                        "无法识别的日期，请写成 2027-03-15",
                        "Not a date: write 2027-03-15",
                    ),
                );
            } else if merged.is_empty() {
                ui.label(egui::RichText::new(T::NoSelection.get(lang)).weak());
            }
        });
        ui.horizontal(|ui| {
            let label = ui.label(T::Person.get(lang));
            let text = self.person.get_or_insert_with(|| cx.doc.person.clone());
            let r = ui
                .add(egui::TextEdit::singleline(text).desired_width(160.0))
                .labelled_by(label.id)
                .on_hover_text(lang.pick(
                    "记录在审计记录和进度中的姓名；留空为系统用户名",
                    "The name recorded in the audit trail and statuses; empty: the account name",
                ));
            if r.lost_focus() {
                if let Some(name) = self.person.take()
                    && name.trim() != cx.doc.person
                {
                    out.push(Command::SetPerson(name));
                }
            } else if !r.has_focus() {
                self.person = None;
            }
        });
    }
}

impl ProgressPanel {
    /// The redirect pattern and the notice template of the project, and
    /// the exports of the redirect map and the notices.
    fn redirects_ui(&mut self, ui: &mut egui::Ui, cx: &Cx<'_>, out: &mut Vec<Command>) {
        use super::file_dialog::FilePurpose;
        use crate::execution::notices::{NoticeFormat, default_template};
        use crate::execution::redirects::RedirectFormat;
        let lang = cx.lang;
        let ex = &cx.doc.ws.execution;
        ui.horizontal(|ui| {
            let label = ui.label(T::RedirectPattern.get(lang));
            let text = self
                .pattern
                .get_or_insert_with(|| ex.redirect_pattern.clone());
            let r = ui
                .add(
                    egui::TextEdit::singleline(text)
                        .desired_width(280.0)
                        .hint_text(crate::execution::DEFAULT_REDIRECT_PATTERN),
                )
                .labelled_by(label.id)
                .on_hover_text(lang.pick(
                    "如 {target_url}/archive/{site_id}；留空为承接网站的地址",
                    "e.g. {target_url}/archive/{site_id}; empty: the receiving site's address",
                ));
            if r.lost_focus() {
                if let Some(text) = self.pattern.take()
                    && text != ex.redirect_pattern
                {
                    out.push(Command::SetExecutionText {
                        template: false,
                        text,
                    });
                }
            } else if !r.has_focus() {
                self.pattern = None;
            }
        });
        ui.horizontal_wrapped(|ui| {
            ui.label(T::ExportRedirects.get(lang));
            for f in RedirectFormat::ALL {
                if ui.small_button(format!("{}…", f.name(lang))).clicked() {
                    out.push(Command::ChooseFile(FilePurpose::ExportRedirects(f)));
                }
            }
        });
        ui.add_space(4.0);
        let label = ui.label(T::NoticeTemplate.get(lang));
        let shown = if ex.notice_template.is_empty() {
            default_template(lang).to_string()
        } else {
            ex.notice_template.clone()
        };
        let id = cx.doc.inventory_id;
        if self.template.as_ref().is_some_and(|(of, _)| *of != id) {
            self.template = None;
        }
        let (_, text) = self.template.get_or_insert_with(|| (id, shown.clone()));
        ui.add(
            egui::TextEdit::multiline(text)
                .desired_rows(6)
                .desired_width(f32::INFINITY),
        )
        .labelled_by(label.id);
        let changed = *text != shown;
        let (mut apply, mut reset) = (false, false);
        ui.horizontal_wrapped(|ui| {
            if ui
                .add_enabled(
                    changed,
                    egui::Button::new(lang.pick("应用模板", "Apply template")),
                )
                .clicked()
            {
                apply = true;
            }
            if ui
                .button(lang.pick("恢复默认模板", "Default template"))
                .clicked()
            {
                reset = true;
            }
            ui.label(T::ExportNotices.get(lang));
            for (f, name) in [
                (
                    NoticeFormat::Folder,
                    lang.pick("文本文件（文件夹）…", "Text files (folder)…"),
                ),
                (NoticeFormat::Csv, "CSV…"),
                (NoticeFormat::Xlsx, "Excel…"),
            ] {
                if ui.small_button(name).clicked() {
                    out.push(Command::ChooseFile(FilePurpose::ExportNotices(f)));
                }
            }
        });
        // Who publishes the notices: by default the receiving site, else
        // the office named here, written into the template.
        let mut publish = false;
        ui.horizontal_wrapped(|ui| {
            let label = ui.label(lang.pick("发布单位", "Published by"));
            let r = ui
                .add(
                    egui::TextEdit::singleline(&mut self.publisher)
                        .desired_width(240.0)
                        .hint_text(
                            lang.pick("默认：承接网站的名称", "default: the receiving site"),
                        ),
                )
                .labelled_by(label.id);
            let enter = r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            let has_place = text.contains("{publisher}") || text.contains("{发布单位}");
            let button = ui
                .add_enabled(
                    has_place && !self.publisher.trim().is_empty(),
                    egui::Button::new(lang.pick("写入模板", "Put in the template")),
                )
                .on_disabled_hover_text(lang.pick(
                    "模板中没有 {发布单位}，或尚未填写发布单位",
                    "The template has no {publisher}, or no office is typed",
                ));
            publish = button.clicked() || (enter && has_place);
        });
        if publish && !self.publisher.trim().is_empty() {
            match crate::execution::notices::template_with_publisher(text, lang, &self.publisher) {
                Ok(filled) => {
                    self.template = None;
                    out.push(Command::SetExecutionText {
                        template: true,
                        text: filled,
                    });
                }
                Err(e) => self.notice = Some((true, e.message(lang))),
            }
            return;
        }
        if apply && let Some((_, text)) = self.template.take() {
            // The default as shown stays the default (empty).
            let text = if text == default_template(lang) {
                String::new()
            } else {
                text
            };
            out.push(Command::SetExecutionText {
                template: true,
                text,
            });
        }
        if reset {
            self.template = None;
            out.push(Command::SetExecutionText {
                template: true,
                text: String::new(),
            });
        }
    }

    /// The statuses a closure moves through, edited as a draft and applied
    /// as one undo step when usable.
    fn workflow_ui(&mut self, ui: &mut egui::Ui, cx: &Cx<'_>, out: &mut Vec<Command>) {
        use crate::execution::{Stage, Workflow};
        let lang = cx.lang;
        let current = &cx.doc.ws.execution.workflow;
        // Another document opened since: its statuses.
        if self
            .draft
            .as_ref()
            .is_some_and(|(id, _)| *id != cx.doc.inventory_id)
        {
            self.draft = None;
        }
        let (_, draft) = self
            .draft
            .get_or_insert_with(|| (cx.doc.inventory_id, current.clone()));
        ui.weak(lang.pick(
            "按办理顺序排列；最后一项为完成；标为“下线”的状态起网站视为已下线（关停季度已过仍未到此状态的为逾期）。",
            "In the order of the procedure; the last means done; from the status marked offline a site counts as offline (past its quarter and not there yet: overdue).",
        ));
        let mut remove = None;
        let mut swap = None;
        egui::Grid::new("workflow_grid")
            .striped(true)
            .spacing([6.0, 3.0])
            .show(ui, |ui| {
                let ids: Vec<egui::Id> = [
                    lang.pick("键", "Key"),
                    lang.pick("中文", "Chinese"),
                    lang.pick("英文", "English"),
                    lang.pick("下线", "Offline"),
                ]
                .into_iter()
                .map(|h| ui.strong(h).id)
                .collect();
                ui.label("");
                ui.end_row();
                let n = draft.stages.len();
                for (k, st) in draft.stages.iter_mut().enumerate() {
                    ui.add(egui::TextEdit::singleline(&mut st.key).desired_width(90.0))
                        .labelled_by(ids[0]);
                    ui.add(egui::TextEdit::singleline(&mut st.zh).desired_width(110.0))
                        .labelled_by(ids[1]);
                    ui.add(egui::TextEdit::singleline(&mut st.en).desired_width(140.0))
                        .labelled_by(ids[2]);
                    let mut offline = draft.offline == st.key;
                    if ui.radio(offline, "").labelled_by(ids[3]).clicked() {
                        offline = true;
                    }
                    if offline && draft.offline != st.key {
                        draft.offline = st.key.clone();
                    }
                    ui.horizontal(|ui| {
                        if ui
                            .add_enabled(k > 0, egui::Button::new("↑").small())
                            .clicked()
                        {
                            swap = Some((k - 1, k));
                        }
                        if ui
                            .add_enabled(k + 1 < n, egui::Button::new("↓").small())
                            .clicked()
                        {
                            swap = Some((k, k + 1));
                        }
                        if ui
                            .add_enabled(n > 1, egui::Button::new("×").small())
                            .clicked()
                        {
                            remove = Some(k);
                        }
                    });
                    ui.end_row();
                }
            });
        if let Some((a, b)) = swap {
            draft.stages.swap(a, b);
        }
        if let Some(k) = remove {
            draft.stages.remove(k);
        }
        let check = draft.check();
        let (mut apply, mut discard) = (false, false);
        ui.horizontal(|ui| {
            if ui.button(lang.pick("添加状态", "Add a status")).clicked() {
                let k = draft.stages.len() + 1;
                draft.stages.push(Stage::new(
                    &format!("step{k}"),
                    &format!("步骤{k}"),
                    &format!("Step {k}"),
                ));
            }
            if ui.button(lang.pick("恢复默认", "Defaults")).clicked() {
                *draft = Workflow::default();
            }
            let changed = draft != current;
            if ui
                .add_enabled(
                    changed && check.is_ok(),
                    egui::Button::new(lang.pick("应用", "Apply")),
                )
                .clicked()
            {
                out.push(Command::SetWorkflow(draft.clone()));
                apply = true;
            } else if changed && ui.button(lang.pick("放弃修改", "Discard")).clicked() {
                discard = true;
            }
        });
        if let Err(why) = check {
            ui.colored_label(ui.visuals().error_fg_color, why);
        }
        if apply || discard {
            self.draft = None;
        }
    }
}

fn table(
    ui: &mut egui::Ui,
    id: &str,
    first: &str,
    rows: &[tracking::ProgressRow],
    total: &tracking::ProgressRow,
    lang: Lang,
) {
    let right = |ui: &mut egui::Ui, v: usize| {
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            ui.label(v.to_string());
        });
    };
    egui::Grid::new(id)
        .striped(true)
        .spacing([14.0, 4.0])
        .show(ui, |ui| {
            for h in [first, T::Closing.get(lang), T::Scheduled.get(lang)] {
                ui.strong(h);
            }
            for s in [
                tracking::State::Done,
                tracking::State::InProgress,
                tracking::State::NotStarted,
                tracking::State::Overdue,
            ] {
                ui.strong(s.label(lang));
            }
            ui.end_row();
            for r in rows.iter().chain(std::iter::once(total)) {
                ui.label(&r.label);
                right(ui, r.closing);
                right(ui, r.scheduled);
                right(ui, r.done);
                right(ui, r.in_progress);
                right(ui, r.not_started);
                if r.overdue > 0 {
                    ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                        ui.colored_label(ui.visuals().error_fg_color, r.overdue.to_string());
                    });
                } else {
                    right(ui, 0);
                }
                ui.end_row();
            }
        });
}

fn overdue_ui(ui: &mut egui::Ui, cx: &Cx<'_>, p: &tracking::Progress, out: &mut Vec<Command>) {
    let lang = cx.lang;
    let overdue: Vec<usize> = p
        .states
        .iter()
        .enumerate()
        .filter(|(_, s)| **s == Some(tracking::State::Overdue))
        .map(|(i, _)| i)
        .collect();
    egui::CollapsingHeader::new(format!("{} ({})", T::Overdue.get(lang), overdue.len()))
        .id_salt("progress_overdue")
        .default_open(!overdue.is_empty())
        .show(ui, |ui| {
            let inv = cx.doc.inventory();
            egui::Grid::new("progress_overdue_grid")
                .striped(true)
                .spacing([12.0, 3.0])
                .show(ui, |ui| {
                    ui.strong(T::Site.get(lang));
                    ui.strong(T::Quarter.get(lang));
                    ui.end_row();
                    for &i in overdue.iter().take(OVERDUE_LISTED) {
                        let s = inv.site(i);
                        let name = if s.name.is_empty() { &s.id } else { &s.name };
                        if ui
                            .link(name.as_ref())
                            .on_hover_text(s.id.as_str())
                            .clicked()
                        {
                            out.push(Command::Select {
                                site: i,
                                mode: SelectMode::Replace,
                            });
                        }
                        let q = cx.doc.ws.schedule.get(i).copied().flatten();
                        ui.label(q.map(|q| q.to_string()).unwrap_or_default());
                        ui.end_row();
                    }
                });
            if overdue.len() > OVERDUE_LISTED {
                ui.label(format!(
                    "{} {}",
                    T::More.get(lang),
                    overdue.len() - OVERDUE_LISTED
                ));
            }
        });
}
