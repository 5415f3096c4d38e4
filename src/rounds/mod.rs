//! Inspection rounds (MODEL.md §9): the State Council's quarterly
//! inspections, each a file of results keyed by site ID.
//!
//! A round file has `site_id` (aliases as §1), `round` (轮次, 季度,
//! 检查批次: `2016Q2`, `2016年第二季度`), and `inspection_score` /
//! `inspection_passed` as §1; any other column is kept as an indicator.
//! Rounds are ordered by their quarter; a file may hold several (its
//! lines say which). Every line is matched to a site or reported with its
//! file, line and column: an unknown site, a round or score that does not
//! read, a line with neither score nor result, a site given twice in one
//! round (the first line stands).
//!
//! When rounds are loaded, passes(s) uses the site's latest round in which
//! it appears; a site that appears in none keeps its inventory fields. The
//! inventory's own fields are kept aside ([`Rounds::base`]) and come back
//! when the rounds are removed, and projects save them, not the rounds'.
//! Each site also gets its [`RoundRecord`] (which of the last rounds it
//! failed), read by the rule condition `failed_rounds = [k, n]`.
//!
//! ```
//! use sitefold::rounds::{Rounds, parse_round_table};
//! use sitefold::inventory::{RawTable, RawRow};
//! let imported = sitefold::sample::sample();
//! let id = imported.inventory.site(5).id.clone();
//! let table = RawTable {
//!     source: "2027Q1.csv".into(),
//!     header: vec!["site_id".into(), "round".into(), "inspection_score".into()],
//!     header_line: 1,
//!     rows: vec![RawRow { line: 2, cells: vec![id.clone(), "2027年第一季度".into(), "41".into()] }],
//!     ..Default::default()
//! };
//! let file = parse_round_table(&table, &imported.inventory).expect("a round file");
//! assert!(file.issues.is_empty());
//! let mut rounds = Rounds::default();
//! rounds.add(file.rounds);
//! assert_eq!(rounds.rounds[0].quarter.to_string(), "2027Q1");
//! ```

mod file;

use serde::{Deserialize, Serialize};

use crate::inventory::{Imported, Inventory, RoundRecord, Site};
use crate::timeline::Quarter;

pub use file::{ROUND_HEADERS, RoundFile, RoundFileError, parse_round_table, read_round_file};

/// One site's result in one round.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RoundResult {
    /// The site.
    pub site_id: String,
    /// Its score, when the line gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
    /// Its result, when the line gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub passed: Option<bool>,
    /// The line it was read from.
    #[serde(default)]
    pub line: u64,
    /// The indicator columns' cells, in the order of [`Round::indicators`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub indicators: Vec<String>,
}

impl RoundResult {
    /// passes(s) for this round: the result when given, else the score
    /// against `pass_threshold`, else false (as §2 for the inventory).
    pub fn passes(&self, pass_threshold: f64) -> bool {
        match (self.passed, self.score) {
            (Some(p), _) => p,
            (None, Some(s)) => s >= pass_threshold,
            (None, None) => false,
        }
    }
}

/// One inspection round.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Round {
    /// Its quarter (rounds are ordered by it).
    pub quarter: Quarter,
    /// The files it was read from.
    #[serde(default)]
    pub sources: Vec<String>,
    /// The names of its indicator columns.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub indicators: Vec<String>,
    /// The sites inspected, in file order.
    pub results: Vec<RoundResult>,
}

impl Round {
    /// The result of a site, when the round inspected it.
    pub fn result(&self, site_id: &str) -> Option<&RoundResult> {
        self.results.iter().find(|r| r.site_id == site_id)
    }
}

/// A site's own inspection fields (score, result), kept while a round
/// stands in for them.
pub type OwnInspection = (Option<f64>, Option<bool>);

/// The rounds loaded, oldest first.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Rounds {
    /// The rounds, by quarter.
    pub rounds: Vec<Round>,
    /// The inventory's own fields of the sites a round stands in for, by
    /// site id (kept by [`Rounds::apply`]).
    #[serde(skip)]
    pub base: rustc_hash::FxHashMap<String, OwnInspection>,
}

/// One round's sites inspected and passing, per level of
/// [`crate::inventory::Level::ALL`].
pub type PassRates = (Quarter, [(usize, usize); 5]);

/// What changed for one site between two rounds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Change {
    /// Passed the previous round, failed the latest.
    NewlyFailed,
    /// Failed the previous round, passed the latest.
    Recovered,
}

impl Rounds {
    /// True when no round is loaded.
    pub fn is_empty(&self) -> bool {
        self.rounds.is_empty()
    }

    /// Adds rounds: a round of a quarter already loaded takes the new
    /// results of sites it did not have (a site already in it keeps its
    /// first result).
    pub fn add(&mut self, rounds: Vec<Round>) {
        for r in rounds {
            match self.rounds.iter_mut().find(|x| x.quarter == r.quarter) {
                Some(x) => {
                    let have: rustc_hash::FxHashSet<String> =
                        x.results.iter().map(|r| r.site_id.clone()).collect();
                    for name in &r.indicators {
                        if !x.indicators.contains(name) {
                            x.indicators.push(name.clone());
                        }
                    }
                    let at: Vec<Option<usize>> = r
                        .indicators
                        .iter()
                        .map(|n| x.indicators.iter().position(|m| m == n))
                        .collect();
                    let width = x.indicators.len();
                    for mut res in r.results {
                        if have.contains(&res.site_id) {
                            continue;
                        }
                        let mut cells = vec![String::new(); width];
                        for (k, cell) in res.indicators.drain(..).enumerate() {
                            if let Some(Some(j)) = at.get(k) {
                                cells[*j] = cell;
                            }
                        }
                        res.indicators = cells;
                        x.results.push(res);
                    }
                    x.sources.extend(r.sources);
                }
                None => self.rounds.push(r),
            }
        }
        self.rounds.sort_by_key(|r| r.quarter);
    }

    /// Every site's record in the rounds (bit 0: the latest round) and its
    /// latest result, for the sites of `inv`.
    fn records(
        &self,
        inv: &Inventory,
        pass_threshold: f64,
    ) -> (Vec<RoundRecord>, Vec<Option<&RoundResult>>) {
        let n = inv.len();
        let mut records = vec![RoundRecord::default(); n];
        let mut latest: Vec<Option<&RoundResult>> = vec![None; n];
        for (k, round) in self.rounds.iter().rev().enumerate().take(64) {
            let bit = 1u64 << k;
            for res in &round.results {
                let Some(i) = inv.find(&res.site_id) else {
                    continue;
                };
                records[i].seen |= bit;
                if !res.passes(pass_threshold) {
                    records[i].failed |= bit;
                }
                if latest[i].is_none() {
                    latest[i] = Some(res);
                }
            }
        }
        // Rounds older than the 64th still give a latest result.
        for round in self.rounds.iter().rev().skip(64) {
            for res in &round.results {
                if let Some(i) = inv.find(&res.site_id)
                    && latest[i].is_none()
                {
                    latest[i] = Some(res);
                }
            }
        }
        (records, latest)
    }

    /// The inventory as the model reads it with these rounds: each site's
    /// inspection fields from its latest round (its own kept in
    /// [`Rounds::base`], and back when no round holds it any more), its
    /// record in the rounds for `failed_rounds`. `imported` holds the
    /// fields as [`Rounds::base`] left them: one pass, one copy. Returns
    /// `None` when nothing changes.
    pub fn apply(&mut self, imported: &Imported, pass_threshold: f64) -> Option<Imported> {
        let inv = &imported.inventory;
        let (records, latest) = self.records(inv, pass_threshold);
        // Each site's fields with the rounds, and its own when a round
        // stands in for them.
        let fields: Vec<OwnInspection> = inv
            .sites()
            .iter()
            .zip(&latest)
            .map(|(s, r)| r.map_or_else(|| self.own(s), |r| (r.score, r.passed)))
            .collect();
        let base: rustc_hash::FxHashMap<String, OwnInspection> = inv
            .sites()
            .iter()
            .zip(&latest)
            .filter(|(_, r)| r.is_some())
            .map(|(s, _)| (s.id.clone(), self.own(s)))
            .collect();
        let changed = inv.sites().iter().enumerate().any(|(i, s)| {
            fields[i] != (s.inspection_score, s.inspection_passed) || records[i] != s.rounds
        });
        self.base = base;
        changed.then(|| {
            // Only inspection fields change: no link is made again.
            let mut out = imported.clone();
            out.inventory.update_fields(|i, s| {
                (s.inspection_score, s.inspection_passed) = fields[i];
                s.rounds = records[i];
            });
            out
        })
    }

    /// A site's own inspection fields (the inventory's, not a round's).
    fn own(&self, s: &Site) -> OwnInspection {
        self.base
            .get(&s.id)
            .copied()
            .unwrap_or((s.inspection_score, s.inspection_passed))
    }

    /// The inventory with its own inspection fields back (and no round
    /// records): what the inventory is without the rounds. Returns `None`
    /// when nothing changes.
    pub fn restore(&self, imported: &Imported) -> Option<Imported> {
        let changed = imported.inventory.sites().iter().any(|s| {
            self.own(s) != (s.inspection_score, s.inspection_passed)
                || s.rounds != RoundRecord::default()
        });
        if !changed {
            return None;
        }
        let mut out = imported.clone();
        out.inventory.update_fields(|_, s| {
            (s.inspection_score, s.inspection_passed) = self.own(s);
            s.rounds = RoundRecord::default();
        });
        Some(out)
    }

    /// The inventory's own fields of the sites, as they were before the
    /// rounds stood in for them (the sites as they are for the others).
    pub fn own_sites(&self, sites: &[Site]) -> Vec<Site> {
        sites
            .iter()
            .map(|s| {
                let mut t = s.clone();
                (t.inspection_score, t.inspection_passed) = self.own(s);
                t.rounds = RoundRecord::default();
                t
            })
            .collect()
    }

    /// True when a round stands in for the site's inspection fields.
    pub fn overrides(&self, site_id: &str) -> bool {
        self.base.contains_key(site_id)
    }

    /// The sites whose result changed between the last two rounds (a site
    /// in both, passing one and failing the other), in inventory order.
    pub fn changes(&self, inv: &Inventory, pass_threshold: f64) -> Vec<(usize, Change)> {
        let [.., prev, last] = self.rounds.as_slice() else {
            return Vec::new();
        };
        let before: rustc_hash::FxHashMap<&str, bool> = prev
            .results
            .iter()
            .map(|r| (r.site_id.as_str(), r.passes(pass_threshold)))
            .collect();
        let mut out: Vec<(usize, Change)> = last
            .results
            .iter()
            .filter_map(|r| {
                let was = *before.get(r.site_id.as_str())?;
                let now = r.passes(pass_threshold);
                let i = inv.find(&r.site_id)?;
                match (was, now) {
                    (true, false) => Some((i, Change::NewlyFailed)),
                    (false, true) => Some((i, Change::Recovered)),
                    _ => None,
                }
            })
            .collect();
        out.sort_unstable_by_key(|&(i, _)| i);
        out
    }

    /// A site's result in every round (`None` where it was not inspected),
    /// oldest first.
    pub fn history<'a>(&'a self, site_id: &str) -> Vec<(&'a Round, Option<&'a RoundResult>)> {
        self.rounds.iter().map(|r| (r, r.result(site_id))).collect()
    }

    /// The pass rate of each level in each round: (quarter, per level of
    /// [`crate::inventory::Level::ALL`]: sites inspected and passing).
    pub fn pass_rates(&self, inv: &Inventory, pass_threshold: f64) -> Vec<PassRates> {
        self.rounds
            .iter()
            .map(|round| {
                let mut by = [(0usize, 0usize); 5];
                for r in &round.results {
                    if let Some(i) = inv.find(&r.site_id) {
                        let l = inv.site(i).level.number() as usize;
                        if let Some(slot) = by.get_mut(l) {
                            slot.0 += 1;
                            slot.1 += usize::from(r.passes(pass_threshold));
                        }
                    }
                }
                (round.quarter, by)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests;
