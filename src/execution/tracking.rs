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
            label: areas.label(inv, a, lang),
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
        // A top site never closes, whatever its decision says (as
        // everywhere else: `is_merged`).
        if !crate::outcome::is_merged(inv, decisions, i) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::{Kind, Site};

    fn day(s: &str) -> Date {
        Date::parse(s).expect("a date")
    }

    fn q(s: &str) -> Option<Quarter> {
        Quarter::parse(s)
    }

    fn change(site: &str, status: &str, date: &str) -> StatusChange {
        StatusChange {
            site_id: site.into(),
            status: status.into(),
            date: day(date),
            person: "li".into(),
            note: String::new(),
        }
    }

    /// A province portal, two prefecture portals, two townships under the
    /// first and one under the second.
    fn inv() -> Inventory {
        let mut sites = vec![Site::new("P", Level::Province)];
        for (id, name, parent, level) in [
            ("C1", "甲市", "P", Level::Prefecture),
            ("C2", "乙市", "P", Level::Prefecture),
            ("T1", "镇一", "C1", Level::Township),
            ("T2", "镇二", "C1", Level::Township),
            ("T3", "镇三", "C2", Level::Township),
        ] {
            let mut s = Site::new(id, level);
            s.name = name.into();
            s.kind = Kind::Portal;
            s.parent_id = parent.into();
            sites.push(s);
        }
        Inventory::link(sites).0
    }

    #[test]
    fn the_latest_change_by_date_is_the_status() {
        let inv = inv();
        let w = Workflow::default();
        let changes = vec![
            change("T1", "notice", "2027-03-10"),
            // Recorded later, but earlier in time: not the status.
            change("T1", "approved", "2027-02-01"),
            change("T2", "approved", "2027-03-01"),
            // The same day: the one recorded last.
            change("T2", "migrated", "2027-03-01"),
            change("X9", "done", "2027-03-01"),
            change("T3", "paused", "2027-01-01"),
        ];
        let cur = current(&inv, &w, &changes);
        assert_eq!(cur.len(), 6);
        assert_eq!(cur[0], None);
        assert_eq!(
            cur[3],
            Some(Current {
                stage: Some(3),
                change: 0
            })
        );
        assert_eq!(
            cur[4],
            Some(Current {
                stage: Some(2),
                change: 3
            })
        );
        assert_eq!(
            cur[5],
            Some(Current {
                stage: None,
                change: 5
            })
        );
        let h: Vec<&str> = history(&changes, "T1")
            .iter()
            .map(|c| c.status.as_str())
            .collect();
        assert_eq!(h, vec!["approved", "notice"]);
    }

    #[test]
    fn states_from_status_quarter_and_today() {
        let w = Workflow::default();
        let at = |stage: Option<usize>| Some(Current { stage, change: 0 });
        let today = day("2027-07-01");
        // No status, or the first: not started, unless the quarter is over.
        assert_eq!(state(None, None, &w, today), State::NotStarted);
        assert_eq!(
            state(at(Some(0)), q("2027Q3"), &w, today),
            State::NotStarted
        );
        assert_eq!(state(None, q("2027Q2"), &w, today), State::Overdue);
        // Between: in progress; overdue once the quarter is over and the
        // site is not offline yet.
        assert_eq!(
            state(at(Some(4)), q("2027Q3"), &w, today),
            State::InProgress
        );
        assert_eq!(state(at(Some(4)), q("2027Q2"), &w, today), State::Overdue);
        assert_eq!(
            state(at(Some(4)), q("2027Q2"), &w, day("2027-06-30")),
            State::InProgress
        );
        let offline = w.offline_index();
        assert_eq!(
            state(at(Some(offline)), q("2026Q1"), &w, today),
            State::InProgress
        );
        assert_eq!(
            state(at(Some(offline + 1)), q("2026Q1"), &w, today),
            State::InProgress
        );
        // The last status: done, whatever the quarter.
        assert_eq!(
            state(at(Some(w.done_index())), q("2026Q1"), &w, today),
            State::Done
        );
        // A status the workflow no longer lists: in progress (or overdue).
        assert_eq!(state(at(None), None, &w, today), State::InProgress);
        assert_eq!(state(at(None), q("2027Q1"), &w, today), State::Overdue);
    }

    #[test]
    fn progress_counts_the_closing_sites() {
        let inv = inv();
        let w = Workflow::default();
        let m = Decision::Merge { target: None };
        // P (top) and C2 kept; C1 merged into P (counts as closing), the
        // townships merged.
        let decisions = vec![m, m, Decision::Keep, m, m, m];
        let quarters = vec![
            None,
            q("2027Q1"),
            q("2027Q1"),
            q("2027Q1"),
            q("2027Q4"),
            None,
        ];
        let changes = vec![
            change("C1", "done", "2027-03-01"),
            change("T1", "redirect", "2027-03-20"),
            change("T2", "approved", "2027-04-01"),
            // A kept site's status is not counted.
            change("C2", "done", "2027-03-01"),
        ];
        let p = progress(
            &inv,
            &decisions,
            &quarters,
            &w,
            &changes,
            day("2027-05-01"),
            Lang::Zh,
        );
        assert_eq!(p.today, Some(day("2027-05-01")));
        assert_eq!(
            p.states,
            vec![
                None,
                Some(State::Done),
                None,
                Some(State::Overdue),
                Some(State::InProgress),
                Some(State::NotStarted),
            ]
        );
        let row = |r: &ProgressRow| {
            (
                r.label.clone(),
                r.closing,
                r.not_started,
                r.in_progress,
                r.done,
                r.overdue,
                r.scheduled,
            )
        };
        assert_eq!(row(&p.total), ("合计".into(), 4, 1, 1, 1, 1, 3));
        let areas: Vec<_> = p.by_area.iter().map(row).collect();
        assert_eq!(
            areas,
            vec![
                ("甲市".into(), 3, 0, 1, 1, 1, 3),
                ("乙市".into(), 1, 1, 0, 0, 0, 0),
            ]
        );
        let levels: Vec<_> = p.by_level.iter().map(row).collect();
        assert_eq!(
            levels,
            vec![
                (Level::Prefecture.label(Lang::Zh).into(), 1, 0, 0, 1, 0, 1),
                (Level::Township.label(Lang::Zh).into(), 3, 1, 1, 0, 1, 2),
            ]
        );
    }
}
