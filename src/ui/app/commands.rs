//! The one place where commands are applied: every change to the
//! document goes through here (and, where it changes the plan, through undo).

use crate::i18n::{Lang, Text};
use crate::inventory::Column;

use crate::ui::actions::Action;
use crate::ui::command::{Command, Decide, SelectMode, Tab};
use crate::ui::file_dialog::FilePurpose;
use crate::ui::strings::{S, ScenStr};

use super::*;

impl SitefoldApp {
    /// Applies every queued command (the only place the document changes);
    /// true when there were any.
    pub fn apply_commands(&mut self) -> bool {
        let commands = std::mem::take(&mut self.queue);
        let any = !commands.is_empty();
        for c in commands {
            self.apply(c);
        }
        any
    }

    pub(super) fn apply(&mut self, c: Command) {
        let lang = self.lang();
        match c {
            Command::Action(a) => self.action(a),
            Command::Decide { sites, how } => {
                use crate::plan::Decision;
                let inv = self.doc.inventory();
                // Each site's new decision; `None` inside: clear it. A site
                // with no ancestor at the level asked for is left out.
                let wanted: std::collections::HashMap<usize, Option<Decision>> = sites
                    .iter()
                    .filter_map(|&s| {
                        let d = match how {
                            Decide::Keep => Some(Decision::Keep),
                            Decide::MergeIntoParent => Some(Decision::merge_into(inv.parent(s))),
                            Decide::MergeInto(t) => Some(Decision::merge_into(Some(t))),
                            Decide::MergeIntoLevel(level) => Some(Decision::merge_into(Some(
                                inv.ancestors(s).find(|&a| inv.site(a).level == level)?,
                            ))),
                            Decide::MergeNearest => Some(Decision::Merge { target: None }),
                            Decide::Clear => None,
                        };
                        Some((s, d))
                    })
                    .collect();
                let no_level = sites.len() - wanted.len();
                let chosen: Vec<usize> = sites
                    .iter()
                    .copied()
                    .filter(|s| wanted.contains_key(s))
                    .collect();
                let (skipped, why) = self
                    .doc
                    .decide(&chosen, |s| wanted.get(&s).copied().flatten());
                let why = if no_level > 0 {
                    Some(Text::new(
                        S::NoAncestorAtLevel.get(Lang::Zh),
                        S::NoAncestorAtLevel.get(Lang::En),
                    ))
                } else {
                    why
                };
                let skipped = skipped + no_level;
                self.status = Some(match why {
                    Some(w) if skipped > 0 => format!(
                        "{} {}: {}",
                        skipped,
                        S::SitesUnchanged.get(lang),
                        w.get(lang)
                    ),
                    _ => format!("{} {}", sites.len() - skipped, S::SitesUpdated.get(lang)),
                });
            }
            Command::SetRules { rules, group } => self.doc.change_rules(rules, group.as_deref()),
            Command::SetParams { params, group } => {
                self.doc.change_params(params, group.as_deref())
            }
            Command::EndInteraction => self.doc.undo.close_group(),
            Command::Open(path) => self.after_confirm(AfterConfirm::Open(path)),
            Command::OpenWithMapping { path, mapping } => {
                self.open_in_background(path, Some(mapping))
            }
            Command::Mappings(c) => {
                let status =
                    crate::ui::remembered::apply(c, &mut self.settings, &mut self.mapping, lang);
                self.status = status.or(self.status.take());
            }
            Command::Select { site, mode } => {
                match mode {
                    SelectMode::Replace => self.selection.replace(site),
                    SelectMode::Toggle => self.selection.toggle(site),
                    SelectMode::Range => {
                        let shown = self.table.shown().to_vec();
                        self.selection.range(site, &shown);
                    }
                }
                // A site selected in a chart or the tree is shown: in the
                // table (clearing filters that hide it) and in the detail.
                self.table.reveal(site);
                self.reveal_detail = true;
            }
            Command::FilterSubtree(root) => {
                self.table.set_subtree(root);
                self.settings.tab = Tab::Inventory;
            }
            Command::ShowTab(t) => self.settings.tab = t,
            Command::SetLang(l) => self.settings.lang = l,
            Command::ExportChart { kind, svg } => {
                self.choose_file(FilePurpose::ExportChart { kind, svg })
            }
            Command::ChooseFile(purpose) => self.choose_file(purpose),
            Command::Scenario(sc) => self.scenario(sc),
            Command::Optimize(options) => {
                self.start_job(crate::ui::jobs::JobKind::Optimize, options, 0)
            }
            Command::Frontier { options, points } => {
                self.start_job(crate::ui::jobs::JobKind::Frontier, options, points)
            }
            Command::ApplyOptimized(decisions) => {
                let changed = self.doc.apply_optimized(&decisions);
                self.status = Some(format!("{} {changed}", ScenStr::Applied.get(lang)));
            }
            Command::SetNote { site, note } => self.doc.set_note(site, &note),
            Command::Schedule(c) => self.schedule(c),
            Command::RemoveRound(q) => self.doc.remove_round(q),
            Command::SetExecutionText { template, text } => {
                if let Err(why) = self.doc.set_text(template, &text) {
                    self.progress.show_notice(true, why);
                }
            }
            Command::SetWorkflow(w) => {
                if let Err(why) = self.doc.set_workflow(w) {
                    self.progress.show_notice(true, why);
                }
            }
            Command::SetPerson(name) => {
                self.settings.person = name.trim().to_string();
                self.doc.person = if self.settings.person.is_empty() {
                    crate::execution::default_person()
                } else {
                    self.settings.person.clone()
                };
            }
            Command::RecordStatus {
                sites,
                status,
                date,
                note,
            } => {
                let inv = self.doc.inventory();
                let changes = sites
                    .iter()
                    .filter_map(|&i| inv.sites().get(i))
                    .map(|s| crate::execution::StatusChange {
                        site_id: s.id.to_string(),
                        status: status.clone(),
                        date,
                        person: self.doc.person.clone(),
                        note: note.clone(),
                    })
                    .collect();
                self.doc.add_statuses(changes);
            }
            Command::EditCells { cells, clipped } => self.edit_cells(&cells, clipped),
            Command::TableNotice(text) => self.status = Some(text),
            Command::Answer(answer) => self.answer(answer),
            Command::CancelOpen => self.cancel_open(),
            Command::CancelExport => self.cancel_export(),
            Command::CancelAdd => self.cancel_add(),
            Command::FileChosen { purpose, path } => self.file_chosen(purpose, path),
            Command::ClearOptimized => {
                let changed = self.doc.clear_optimized();
                self.status = Some(format!("{} {changed}", S::SitesUpdated.get(lang)));
            }
            Command::CancelJob => {
                if let Some(job) = &self.optimizer.job {
                    job.control.cancel();
                }
            }
            Command::LoadRulesText { text, source } => {
                // The rules panel lists the file's problems.
                let (rules, _issues) = crate::plan::RuleSet::parse(&text, &source);
                self.doc.change_rules(rules, None);
            }
        }
    }

    /// Drops from the selection the sites an undone file added.
    fn forget_missing_sites(&mut self) {
        let n = self.doc.inventory().len();
        self.selection.sites.retain(|&i| i < n);
        if self.selection.focus.is_some_and(|i| i >= n) {
            self.selection.focus = None;
        }
    }

    pub(super) fn action(&mut self, a: Action) {
        let lang = self.lang();
        match a {
            Action::Open => self.after_confirm(AfterConfirm::OpenDialog),
            Action::OpenSample => self.after_confirm(AfterConfirm::OpenSample),
            Action::AddInventoryFile => self.choose_file(FilePurpose::AddToInventory),
            Action::SaveProject => {
                let path = self.doc.project_path.clone();
                self.save_project(path);
            }
            Action::SaveProjectAs => {
                self.save_project(None);
            }
            Action::ExportPlanXlsx => self.choose_file(FilePurpose::ExportPlanXlsx),
            Action::ExportPlanCsv => self.choose_file(FilePurpose::ExportPlanCsv),
            Action::ExportReport => self.choose_file(FilePurpose::ExportReport),
            Action::MapColumns => self.after_confirm(AfterConfirm::MapColumns),
            Action::RememberedMappings => self.remembered = Some(Default::default()),
            Action::Undo => {
                let done = self.doc.undo();
                self.forget_missing_sites();
                self.status = Some(
                    if done { S::Undone } else { S::NothingToUndo }
                        .get(lang)
                        .into(),
                );
            }
            Action::Redo => {
                let done = self.doc.redo();
                self.forget_missing_sites();
                self.status = Some(
                    if done { S::Redone } else { S::NothingToRedo }
                        .get(lang)
                        .into(),
                );
            }
            Action::SelectAll => {
                let shown = self.table.shown().to_vec();
                self.selection.sites.extend(shown);
            }
            Action::SelectNone => self.selection.clear(),
            Action::MergeSelected => self.push_and_apply(Decide::MergeIntoParent),
            Action::KeepSelected => self.push_and_apply(Decide::Keep),
            Action::ClearSelected => self.push_and_apply(Decide::Clear),
            Action::LangZh => self.settings.lang = Lang::Zh,
            Action::LangEn => self.settings.lang = Lang::En,
            Action::ShowInventory => self.settings.tab = Tab::Inventory,
            Action::ShowRules => self.settings.tab = Tab::Rules,
            Action::ShowParams => self.settings.tab = Tab::Params,
            Action::ShowReport => self.settings.tab = Tab::Report,
            Action::Quit => self.after_confirm(AfterConfirm::Quit),
        }
    }

    /// Edits cells: all applied, or none and every problem in a dialog.
    pub(super) fn edit_cells(&mut self, cells: &[(usize, Column, String)], clipped: bool) {
        use crate::ui::strings::TableStr;
        let lang = self.lang();
        match self.doc.edit_cells(cells) {
            Ok(n) => {
                let mut text = format!("{}{n}", TableStr::CellsEdited.get(lang));
                if clipped {
                    text = format!("{text} · {}", TableStr::PasteTooLarge.get(lang));
                }
                self.status = Some(text);
            }
            Err(problems) => {
                const SHOWN: usize = 50;
                let inv = self.doc.inventory();
                let mut lines: Vec<String> = problems
                    .iter()
                    .take(SHOWN)
                    .map(|p| {
                        format!(
                            "{} · {} · “{}”：{}",
                            inv.site(p.site).id,
                            p.column.header(lang),
                            p.text,
                            p.why.get(lang)
                        )
                    })
                    .collect();
                if problems.len() > SHOWN {
                    lines.push(format!(
                        "… {} {}",
                        TableStr::AndMore.get(lang),
                        problems.len() - SHOWN
                    ));
                }
                self.show_error(format!(
                    "{}\n\n{}",
                    TableStr::PasteRefused.get(lang),
                    lines.join("\n")
                ));
            }
        }
    }

    pub(super) fn push_and_apply(&mut self, how: Decide) {
        let sites = self.selection.to_vec();
        if !sites.is_empty() {
            self.apply(Command::Decide { sites, how });
        }
    }

    pub(super) fn scenario(&mut self, c: crate::ui::command::ScenarioCommand) {
        use crate::project::{Scenario, manual_by_id, manual_by_index};
        use crate::ui::command::ScenarioCommand as Sc;
        let lang = self.lang();
        let doc = &mut self.doc;
        let n = doc.scenarios.len();
        // A project holds at most MAX_SCENARIOS (it would not reopen with
        // more): nothing adds one past that, whichever panel asks.
        let adds = matches!(
            c,
            Sc::SaveCurrent(_) | Sc::Duplicate(_) | Sc::AddPlan { .. }
        );
        if adds && n >= crate::project::MAX_SCENARIOS {
            self.status = Some(
                lang.pick(
                    "情景已达项目上限，请先删除一些",
                    "The project holds the most scenarios it can: delete some to add more",
                )
                .to_string(),
            );
            return;
        }
        match c {
            Sc::SaveCurrent(name) => {
                let scenario = Scenario::from_workspace(name, &doc.ws);
                doc.insert_scenario(n, scenario);
            }
            Sc::Overwrite(i) if i < n => {
                let name = doc.scenarios[i].name.clone();
                let scenario = Scenario::from_workspace(name, &doc.ws);
                doc.replace_scenario(i, scenario);
            }
            Sc::Load(i) if i < n => {
                let sc = doc.scenarios[i].clone();
                let (manual, mut issues) = manual_by_index(doc.inventory(), &sc.manual, &sc.name);
                let (optimized, more) = manual_by_index(doc.inventory(), &sc.optimized, &sc.name);
                issues.extend(more);
                doc.replace_plan(manual, optimized, sc.rules, sc.params);
                self.status = Some(match issues.first() {
                    Some(first) => first.render(lang),
                    None => format!("{} {}", ScenStr::Load.get(lang), sc.name),
                });
            }
            Sc::Duplicate(i) if i < n => {
                let mut copy = doc.scenarios[i].clone();
                copy.name = format!("{} ({})", copy.name, ScenStr::Copy.get(lang));
                doc.insert_scenario(i + 1, copy);
            }
            Sc::Rename(i, name) if i < n && !name.is_empty() => {
                let mut renamed = doc.scenarios[i].clone();
                renamed.name = name;
                doc.replace_scenario(i, renamed);
            }
            Sc::Delete(i) if i < n => doc.remove_scenario(i),
            Sc::AddPlan { name, decisions } => {
                // The computed decisions are the scenario's optimizer
                // layer, under the planner's own (locked) decisions.
                let inv = doc.inventory();
                let optimized = doc.ws.optimizer_layer(&decisions);
                let scenario = Scenario {
                    name,
                    manual: manual_by_id(inv, &doc.ws.manual),
                    optimized: manual_by_id(inv, &optimized),
                    rules: doc.ws.rules.clone(),
                    params: doc.ws.params.clone(),
                };
                doc.insert_scenario(n, scenario);
                self.settings.tab = Tab::Scenarios;
            }
            _ => {}
        }
    }

    /// Applies a change of the schedule, saying what it did.
    fn schedule(&mut self, c: super::super::command::ScheduleCommand) {
        use super::super::command::ScheduleCommand as Sc;
        let lang = self.lang();
        let said = |zh: String, en: String| lang.pick(&zh, &en).to_string();
        match c {
            Sc::SetQuarter { sites, quarter } => {
                let n = self.doc.set_quarters(&sites, quarter);
                self.status = Some(match quarter {
                    Some(q) => said(
                        format!("已为 {n} 个网站设定关停季度 {}", q.chinese()),
                        format!("{n} sites set to close in {q}"),
                    ),
                    None => said(
                        format!("已取消 {n} 个网站的排期"),
                        format!("{n} sites unscheduled"),
                    ),
                });
            }
            Sc::Fill => {
                let n = self.doc.fill_schedule();
                self.status = Some(said(
                    format!("排期工具安排了 {n} 个网站"),
                    format!("The scheduler placed {n} sites"),
                ));
            }
            Sc::Clear => {
                let n = self.doc.clear_schedule();
                self.status = Some(said(
                    format!("已清除 {n} 个关停季度"),
                    format!("{n} closure quarters cleared"),
                ));
            }
            Sc::SetTimeline { params, group } => self.doc.change_timeline(params, group.as_deref()),
        }
    }
}
