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
//!     rows: vec![RawRow { line: 2, cells: vec![id.to_string(), "2027年第一季度".into(), "41".into()] }],
//!     ..Default::default()
//! };
//! let file = parse_round_table(&table, &imported.inventory).expect("a round file");
//! assert!(file.issues.is_empty());
//! let mut rounds = Rounds::default();
//! rounds.add(file.rounds);
//! assert_eq!(rounds.rounds[0].quarter.to_string(), "2027Q1");
//! ```

mod file;

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::inventory::{Imported, Inventory, RoundRecord, Site};
use crate::timeline::Quarter;

pub use file::{ROUND_HEADERS, RoundFile, RoundFileError, parse_round_table, read_round_file};

/// A [`RoundResult::site`] that names no site (not matched yet, or the
/// site is not in the inventory).
const NO_SITE: u32 = u32::MAX;

/// One site's result in one round.
#[derive(Clone, Debug, Serialize, Deserialize)]
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
    /// Where the site was in the inventory the line was matched against,
    /// so that the id is looked up once: a hint, checked against
    /// `site_id` before use ([`RoundResult::site_in`]).
    #[serde(skip, default = "no_site")]
    site: u32,
}

fn no_site() -> u32 {
    NO_SITE
}

/// Results are equal when what they say is; where the site was found is
/// not part of it.
impl PartialEq for RoundResult {
    fn eq(&self, other: &Self) -> bool {
        self.site_id == other.site_id
            && self.score == other.score
            && self.passed == other.passed
            && self.line == other.line
            && self.indicators == other.indicators
    }
}

impl RoundResult {
    /// A result of the site at `site` of the inventory it was read
    /// against.
    pub fn new(
        site_id: String,
        site: usize,
        score: Option<f64>,
        passed: Option<bool>,
        line: u64,
    ) -> RoundResult {
        RoundResult {
            site_id,
            score,
            passed,
            line,
            indicators: Vec::new(),
            site: u32::try_from(site).unwrap_or(NO_SITE),
        }
    }

    /// passes(s) for this round: the result when given, else the score
    /// against `pass_threshold`, else false (as §2 for the inventory).
    pub fn passes(&self, pass_threshold: f64) -> bool {
        match (self.passed, self.score) {
            (Some(p), _) => p,
            (None, Some(s)) => s >= pass_threshold,
            (None, None) => false,
        }
    }

    /// The site's index in `inv`: where it was when matched, if the same
    /// site is still there, else looked up by its id.
    pub fn site_in(&self, inv: &Inventory) -> Option<usize> {
        match self.hinted(inv) {
            Some(i) => Some(i),
            None => inv.find(&self.site_id),
        }
    }

    /// The matched place, when it still holds the site.
    fn hinted(&self, inv: &Inventory) -> Option<usize> {
        let i = self.site as usize;
        (self.site != NO_SITE)
            .then_some(i)
            .filter(|&i| inv.sites().get(i).is_some_and(|s| *s.id == self.site_id))
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
    /// The sites inspected, in file order. Shared: the undo steps and
    /// the workspace hold the same results, not copies.
    pub results: Arc<Vec<RoundResult>>,
}

impl Round {
    /// The result of a site, when the round inspected it.
    pub fn result(&self, site_id: &str) -> Option<&RoundResult> {
        self.results.iter().find(|r| r.site_id == site_id)
    }

    /// Points every result at its site in `inv` (looked up again only
    /// where the place found before no longer holds the site). Results
    /// are copied only when they are shared and some place changed.
    fn match_sites(&mut self, inv: &Inventory) {
        let stale = |r: &RoundResult| {
            r.hinted(inv).is_none() && (r.site != NO_SITE || inv.find(&r.site_id).is_some())
        };
        if !self.results.iter().any(stale) {
            return;
        }
        for r in Arc::make_mut(&mut self.results) {
            if r.hinted(inv).is_none() {
                r.site = inv
                    .find(&r.site_id)
                    .and_then(|i| u32::try_from(i).ok())
                    .unwrap_or(NO_SITE);
            }
        }
    }
}

/// A site's own inspection fields (score, result), kept while a round
/// stands in for them.
pub type OwnInspection = (Option<f64>, Option<bool>);

/// The inventory's own inspection fields of the sites a round stands in
/// for, by site index: what [`Rounds::apply`] keeps so that the rounds can
/// be removed again. It belongs to the inventory it was kept from:
/// cleared when that inventory is replaced.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OwnFields {
    by_site: Vec<Option<OwnInspection>>,
}

impl OwnFields {
    /// Forgets the fields kept (the inventory was replaced by one with
    /// its own fields).
    pub fn clear(&mut self) {
        self.by_site = Vec::new();
    }

    /// The fields kept for site `i`, when a round stands in for them.
    pub fn get(&self, i: usize) -> Option<OwnInspection> {
        self.by_site.get(i).copied().flatten()
    }
}

/// The rounds loaded, oldest first.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Rounds {
    /// The rounds, by quarter.
    pub rounds: Vec<Round>,
    /// The inventory's own fields of the sites a round stands in for
    /// (kept by [`Rounds::apply`]).
    #[serde(skip)]
    pub base: OwnFields,
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

    /// The rounds without the fields kept for an inventory: what an undo
    /// step needs to hold.
    pub fn rounds_only(&self) -> Rounds {
        Rounds {
            rounds: self.rounds.clone(),
            base: OwnFields::default(),
        }
    }

    /// Adds rounds: a round of a quarter already loaded takes the new
    /// results of sites it did not have (a site already in it keeps its
    /// first result).
    pub fn add(&mut self, rounds: Vec<Round>) {
        for r in rounds {
            match self.rounds.iter_mut().find(|x| x.quarter == r.quarter) {
                Some(x) => x.merge(r),
                None => self.rounds.push(r),
            }
        }
        self.rounds.sort_by_key(|r| r.quarter);
    }

    /// Every site's fields with the rounds (`None`: no round holds it)
    /// and its record in them (bit 0: the latest round), by site index:
    /// one pass over the results, each already pointing at its site.
    fn records(
        &self,
        n: usize,
        pass_threshold: f64,
    ) -> (Vec<Option<OwnInspection>>, Vec<RoundRecord>) {
        let mut fields: Vec<Option<OwnInspection>> = vec![None; n];
        let mut records = vec![RoundRecord::default(); n];
        let total = self.rounds.len();
        // Oldest first: a later round's result replaces an earlier one.
        for (k, round) in self.rounds.iter().enumerate() {
            let age = total - 1 - k;
            let bit = if age < 64 { 1u64 << age } else { 0 };
            for res in round.results.iter() {
                let i = res.site as usize;
                let (Some(f), Some(rec)) = (fields.get_mut(i), records.get_mut(i)) else {
                    continue;
                };
                *f = Some((res.score, res.passed));
                rec.seen |= bit;
                if !res.passes(pass_threshold) {
                    rec.failed |= bit;
                }
            }
        }
        (fields, records)
    }

    /// Works the inventory out as the model reads it with these rounds:
    /// each site's inspection fields from its latest round (its own kept
    /// in [`Rounds::base`], and back when no round holds it any more),
    /// its record in the rounds for `failed_rounds`. `imported` holds
    /// the fields as [`Rounds::base`] left them. Only the sites whose
    /// fields change are written, in place (the inventory is copied only
    /// when it is shared). Returns whether anything changed.
    pub fn apply(&mut self, imported: &mut Arc<Imported>, pass_threshold: f64) -> bool {
        let inv = &imported.inventory;
        for round in &mut self.rounds {
            round.match_sites(inv);
        }
        let n = inv.len();
        let (fields, records) = self.records(n, pass_threshold);
        self.base.by_site.resize(n, None);
        let mut changes: Vec<(usize, OwnInspection, RoundRecord)> = Vec::new();
        for (i, s) in inv.sites().iter().enumerate() {
            let now = (s.inspection_score, s.inspection_passed);
            let own = self.base.by_site[i].unwrap_or(now);
            self.base.by_site[i] = fields[i].map(|_| own);
            let want = fields[i].unwrap_or(own);
            if want != now || records[i] != s.rounds {
                changes.push((i, want, records[i]));
            }
        }
        if self.base.by_site.iter().all(Option::is_none) {
            self.base.clear();
        }
        if changes.is_empty() {
            return false;
        }
        // Only inspection fields change: no link is made again.
        let inv = &mut Arc::make_mut(imported).inventory;
        for (i, (score, passed), record) in changes {
            inv.set_inspection(i, score, passed, record);
        }
        true
    }

    /// A site's own inspection fields (the inventory's, not a round's).
    fn own(&self, i: usize, s: &Site) -> OwnInspection {
        self.base
            .get(i)
            .unwrap_or((s.inspection_score, s.inspection_passed))
    }

    /// The inventory with its own inspection fields back (and no round
    /// records): what the inventory is without the rounds. Returns `None`
    /// when nothing changes.
    pub fn restore(&self, imported: &Imported) -> Option<Imported> {
        let changed = imported.inventory.sites().iter().enumerate().any(|(i, s)| {
            self.own(i, s) != (s.inspection_score, s.inspection_passed)
                || s.rounds != RoundRecord::default()
        });
        if !changed {
            return None;
        }
        let mut out = imported.clone();
        for i in 0..out.inventory.len() {
            let (score, passed) = self.own(i, out.inventory.site(i));
            out.inventory
                .set_inspection(i, score, passed, RoundRecord::default());
        }
        Some(out)
    }

    /// The inventory's own fields of the sites, as they were before the
    /// rounds stood in for them (the sites as they are for the others).
    pub fn own_sites(&self, sites: &[Site]) -> Vec<Site> {
        sites
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let mut t = s.clone();
                (t.inspection_score, t.inspection_passed) = self.own(i, s);
                t.rounds = RoundRecord::default();
                t
            })
            .collect()
    }

    /// True when a round stands in for the inspection fields of site `i`.
    pub fn overrides(&self, i: usize) -> bool {
        self.base.get(i).is_some()
    }

    /// The sites whose result changed between the last two rounds (a site
    /// in both, passing one and failing the other), in inventory order.
    pub fn changes(&self, inv: &Inventory, pass_threshold: f64) -> Vec<(usize, Change)> {
        let [.., prev, last] = self.rounds.as_slice() else {
            return Vec::new();
        };
        let mut before: Vec<Option<bool>> = vec![None; inv.len()];
        for r in prev.results.iter() {
            if let Some(i) = r.site_in(inv) {
                before[i] = Some(r.passes(pass_threshold));
            }
        }
        let mut out: Vec<(usize, Change)> = last
            .results
            .iter()
            .filter_map(|r| {
                let i = r.site_in(inv)?;
                let was = before[i]?;
                match (was, r.passes(pass_threshold)) {
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
                for r in round.results.iter() {
                    if let Some(i) = r.site_in(inv) {
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

impl Round {
    /// Takes another file's results of the same quarter: the sites this
    /// round did not have, with their indicator cells under this round's
    /// columns (a site already here keeps its first result).
    fn merge(&mut self, r: Round) {
        for name in &r.indicators {
            if !self.indicators.contains(name) {
                self.indicators.push(name.clone());
            }
        }
        let at: Vec<Option<usize>> = r
            .indicators
            .iter()
            .map(|n| self.indicators.iter().position(|m| m == n))
            .collect();
        let width = self.indicators.len();
        let results = Arc::make_mut(&mut self.results);
        let mut have: rustc_hash::FxHashSet<String> =
            results.iter().map(|r| r.site_id.clone()).collect();
        for mut res in Arc::unwrap_or_clone(r.results) {
            if !have.insert(res.site_id.clone()) {
                continue;
            }
            let mut cells = vec![String::new(); width];
            for (k, cell) in res.indicators.drain(..).enumerate() {
                if let Some(Some(j)) = at.get(k) {
                    cells[*j] = cell;
                }
            }
            res.indicators = cells;
            results.push(res);
        }
        self.sources.extend(r.sources);
    }
}

#[cfg(test)]
mod tests;
