//! Each closing site's progress through the procedure: status changes,
//! each with a date, the person and a note; a site's status is its latest
//! change (by date; of changes on one day, the one recorded last). A
//! progress table counts, by prefecture and by level, the closures done,
//! in progress, not started and overdue (past their quarter and not yet
//! offline).

use serde::{Deserialize, Serialize};

use crate::i18n::Lang;
use crate::inventory::{Inventory, Level};
use crate::outcome::AreaMap;
use crate::plan::Decision;
use crate::timeline::Quarter;

use super::{Date, Workflow};

/// One status change of one site.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusChange {
    /// The site.
    pub site_id: String,
    /// The key of its new status (see [`Workflow`]).
    pub status: String,
    /// The day it happened.
    pub date: Date,
    /// Who recorded it.
    #[serde(default)]
    pub person: String,
    /// Why, or what was done.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

/// A site's status now: the place of its status in the workflow (`None`
/// when the workflow no longer lists it) and the change that set it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Current {
    /// Place in the workflow.
    pub stage: Option<usize>,
    /// Index of the change in the list of changes.
    pub change: usize,
}

/// The status of every site (by index): its latest change.
pub fn current(
    inv: &Inventory,
    workflow: &Workflow,
    changes: &[StatusChange],
) -> Vec<Option<Current>> {
    let mut out: Vec<Option<Current>> = vec![None; inv.len()];
    for (k, c) in changes.iter().enumerate() {
        let Some(i) = inv.find(&c.site_id) else {
            continue;
        };
        let newer = match out[i] {
            Some(cur) => changes[cur.change].date <= c.date,
            None => true,
        };
        if newer {
            out[i] = Some(Current {
                stage: workflow.find(&c.status),
                change: k,
            });
        }
    }
    out
}

/// The changes of one site, oldest first (by date, then as recorded).
pub fn history<'a>(changes: &'a [StatusChange], site_id: &str) -> Vec<&'a StatusChange> {
    let mut out: Vec<&StatusChange> = changes.iter().filter(|c| c.site_id == site_id).collect();
    out.sort_by_key(|c| c.date);
    out
}

/// Where a closing site stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum State {
    /// No status yet, or only the first (planned).
    NotStarted,
    /// Between the first status and the last.
    InProgress,
    /// At the last status.
    Done,
    /// Its closure quarter is over and it is not offline yet.
    Overdue,
}

impl State {
    /// Its name in a language.
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (State::NotStarted, Lang::Zh) => "未开始",
            (State::NotStarted, Lang::En) => "Not started",
            (State::InProgress, Lang::Zh) => "进行中",
            (State::InProgress, Lang::En) => "In progress",
            (State::Done, Lang::Zh) => "已完成",
            (State::Done, Lang::En) => "Done",
            (State::Overdue, Lang::Zh) => "已逾期",
            (State::Overdue, Lang::En) => "Overdue",
        }
    }
}

/// Where a closing site stands, from its status, its closure quarter and
/// today's date. An unknown status (one the workflow no longer lists)
/// counts as in progress.
pub fn state(
    status: Option<Current>,
    quarter: Option<Quarter>,
    workflow: &Workflow,
    today: Date,
) -> State {
    let stage = status.map(|c| c.stage);
    let done = workflow.done_index();
    if let Some(Some(s)) = stage
        && s >= done
    {
        return State::Done;
    }
    let offline = match stage {
        Some(Some(s)) => s >= workflow.offline_index(),
        _ => false,
    };
    if !offline && quarter.is_some_and(|q| q < today.quarter()) {
        return State::Overdue;
    }
    match stage {
        None | Some(Some(0)) => State::NotStarted,
        _ => State::InProgress,
    }
}

/// Counts of closing sites by where they stand.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ProgressRow {
    /// What the row counts: an area's or a level's name.
    pub label: String,
    /// Closing (merged) sites.
    pub closing: usize,
    /// Of them, not started.
    pub not_started: usize,
    /// In progress (not overdue).
    pub in_progress: usize,
    /// Done.
    pub done: usize,
    /// Overdue.
    pub overdue: usize,
    /// Closing sites with a closure quarter.
    pub scheduled: usize,
}

impl ProgressRow {
    fn add(&mut self, s: State, scheduled: bool) {
        self.closing += 1;
        self.scheduled += usize::from(scheduled);
        match s {
            State::NotStarted => self.not_started += 1,
            State::InProgress => self.in_progress += 1,
            State::Done => self.done += 1,
            State::Overdue => self.overdue += 1,
        }
    }
}

/// The progress of a plan's closures.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Progress {
    /// The day it was worked out for.
    pub today: Option<Date>,
    /// Where each site stands (`None` for kept sites).
    #[serde(skip)]
    pub states: Vec<Option<State>>,
    /// By prefecture (the areas of the Areas view), in their order.
    pub by_area: Vec<ProgressRow>,
    /// By level, province first; levels without closures left out.
    pub by_level: Vec<ProgressRow>,
    /// Every closing site.
    pub total: ProgressRow,
}

/// Works out the progress of the merged sites of `decisions`.
pub fn progress(
    inv: &Inventory,
    decisions: &[Decision],
    quarters: &[Option<Quarter>],
    workflow: &Workflow,
    changes: &[StatusChange],
    today: Date,
    lang: Lang,
) -> Progress {
    let cur = current(inv, workflow, changes);
    let areas = AreaMap::new(inv);
    let mut by_area: Vec<ProgressRow> = (0..areas.area_count())
        .map(|a| ProgressRow {
            label: match areas.area(a) {
                Some((_, Some(site))) => {
                    let s = inv.site(site);
                    if s.name.is_empty() {
                        s.id.clone()
                    } else {
                        s.name.clone()
                    }
                }
                Some((kind, None)) => kind.label(lang).to_string(),
                None => String::new(),
            },
            ..Default::default()
        })
        .collect();
    let mut by_level: Vec<ProgressRow> = Level::ALL
        .iter()
        .map(|l| ProgressRow {
            label: l.label(lang).to_string(),
            ..Default::default()
        })
        .collect();
    let mut total = ProgressRow {
        label: match lang {
            Lang::Zh => "合计".into(),
            Lang::En => "Total".into(),
        },
        ..Default::default()
    };
    let mut states = vec![None; inv.len()];
    for i in 0..inv.len() {
        if !matches!(decisions.get(i), Some(Decision::Merge { .. })) {
            continue;
        }
        let q = quarters.get(i).copied().flatten();
        let s = state(cur[i], q, workflow, today);
        states[i] = Some(s);
        total.add(s, q.is_some());
        if let Some(row) = areas.area_of(i).and_then(|a| by_area.get_mut(a)) {
            row.add(s, q.is_some());
        }
        let level = inv.site(i).level;
        if let Some(row) = Level::ALL.iter().position(|l| *l == level) {
            by_level[row].add(s, q.is_some());
        }
    }
    by_area.retain(|r| r.closing > 0);
    by_level.retain(|r| r.closing > 0);
    Progress {
        today: Some(today),
        states,
        by_area,
        by_level,
        total,
    }
}
