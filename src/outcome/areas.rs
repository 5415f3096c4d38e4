//! Subtotals by area: the outcome of a plan per prefecture and, within
//! each prefecture, per county.
//!
//! ```
//! use sitefold::outcome::{Model, by_area, evaluate};
//! let imported = sitefold::sample::sample();
//! let inv = &imported.inventory;
//! let model = Model::new(inv, &Default::default());
//! let decisions = vec![sitefold::plan::Decision::Keep; inv.len()];
//! let outcome = evaluate(inv, &model, &decisions);
//! let rows = by_area(inv, &model, &outcome);
//! let sites: usize = rows.iter().map(|r| r.sites_before).sum();
//! assert_eq!(sites, inv.len());
//! ```
//!
//! Each prefecture-level portal's subtree is an area (a prefecture portal
//! inside another one's subtree belongs to the outer one); sites above
//! prefecture level outside every such subtree make the province row, and
//! the other sites outside them (a county the province governs directly,
//! say) the unassigned row. Within a prefecture, and within the unassigned
//! row, each county-level portal's subtree is a sub-area, and the sites in
//! none of them make one more sub-area (the prefecture's own sites).
//!
//! Every figure is attributed to a site exactly as the by-level breakdown
//! attributes it (MODEL.md §5), with the site's area in place of its level:
//! budgets, populations, passing and kept sites to the site's own area; the
//! absorb cost of a merged site to the area of the site serving it; the
//! one-time cost of a merged site to the merged site's area. So the rows
//! add up, exactly, to the plan's totals, and the sub-areas of an area to
//! the area.

use serde::Serialize;

use crate::i18n::Lang;
use crate::inventory::{Inventory, Kind, Level};
use crate::money::Money;

use super::{Model, Outcome, Share, ratio};

/// What an area row stands for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AreaKind {
    /// Sites above prefecture level outside every prefecture's subtree.
    #[default]
    Province,
    /// A prefecture-level portal's subtree.
    Prefecture,
    /// Sites at prefecture level and below outside every prefecture's
    /// subtree.
    Unassigned,
    /// A county-level portal's subtree, within a prefecture or the
    /// unassigned row.
    County,
    /// A prefecture's sites outside its counties (市本级).
    Own,
    /// The unassigned row's sites outside every county.
    Other,
}

impl AreaKind {
    /// Every kind.
    pub const ALL: [AreaKind; 6] = [
        AreaKind::Province,
        AreaKind::Prefecture,
        AreaKind::Unassigned,
        AreaKind::County,
        AreaKind::Own,
        AreaKind::Other,
    ];

    /// The name used in JSON and in the exports' key column.
    pub fn key(self) -> &'static str {
        match self {
            AreaKind::Province => "province",
            AreaKind::Prefecture => "prefecture",
            AreaKind::Unassigned => "unassigned",
            AreaKind::County => "county",
            AreaKind::Own => "own",
            AreaKind::Other => "other",
        }
    }

    /// The name a planner reads.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            AreaKind::Province => lang.pick("省级", "Province level"),
            AreaKind::Prefecture => lang.pick("地市", "Prefecture"),
            AreaKind::Unassigned => lang.pick("其他", "Unassigned"),
            AreaKind::County => lang.pick("县区", "County"),
            AreaKind::Own => lang.pick("市本级", "Prefecture's own"),
            AreaKind::Other => lang.pick("县区以外", "Outside counties"),
        }
    }

    /// True for the rows shown beneath an area.
    pub fn is_sub_area(self) -> bool {
        matches!(self, AreaKind::County | AreaKind::Own | AreaKind::Other)
    }
}

/// The figures of one area or sub-area.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct AreaOutcome {
    /// What the row stands for.
    pub area: AreaKind,
    /// The portal whose subtree the area is (prefectures and counties).
    pub site_id: Option<String>,
    /// Its index (not in JSON).
    #[serde(skip)]
    pub site: Option<usize>,
    /// The portal's name.
    pub name: Option<String>,
    /// Sites in the area.
    pub sites_before: usize,
    /// Kept sites in the area.
    pub sites_after: usize,
    /// Merged (closing) sites in the area.
    pub merged: usize,
    /// Σ budgets of the area's sites.
    pub cost_before: Money,
    /// Kept budgets in the area + absorb costs of the sites its kept
    /// sites serve.
    pub cost_after: Money,
    /// cost_before − cost_after, per year.
    pub savings: Money,
    /// Migration cost of the area's merged sites.
    pub one_time_cost: Money,
    /// own_pop of the area's sites.
    pub population: u64,
    /// Of it, served by a passing site today.
    pub covered_before: u64,
    /// Of it, served by a passing site after the plan.
    pub covered_after: u64,
    /// covered / population (absent without population).
    pub coverage: Share,
    /// Passing sites in the area.
    pub passing_before: usize,
    /// Passing kept sites in the area.
    pub passing_after: usize,
    /// The sub-areas (counties and the rest), when the area has counties.
    pub sub_areas: Vec<AreaOutcome>,
}

impl AreaOutcome {
    /// The sum of `rows` (counts, money and population added exactly; the
    /// coverage shares worked out from the sums). Over the top-level rows
    /// of [`by_area`] it is the plan's totals.
    pub fn total(rows: &[AreaOutcome]) -> AreaOutcome {
        let mut t = AreaOutcome::default();
        for r in rows {
            t.sites_before += r.sites_before;
            t.sites_after += r.sites_after;
            t.merged += r.merged;
            t.cost_before += r.cost_before;
            t.cost_after += r.cost_after;
            t.savings += r.savings;
            t.one_time_cost += r.one_time_cost;
            t.population += r.population;
            t.covered_before += r.covered_before;
            t.covered_after += r.covered_after;
            t.passing_before += r.passing_before;
            t.passing_after += r.passing_after;
        }
        let share = |c: u64| (t.population > 0).then(|| c as f64 / t.population as f64);
        t.coverage.before = share(t.covered_before);
        t.coverage.after = share(t.covered_after);
        t
    }

    /// The row's name: the portal's name, or what the row stands for.
    pub fn label(&self, lang: Lang) -> &str {
        match &self.name {
            Some(n) if !n.is_empty() => n,
            _ => self.site_id.as_deref().unwrap_or(self.area.label(lang)),
        }
    }
}

/// Marks a site that starts no area.
const NONE: u32 = u32::MAX;

/// One row of the map: what it stands for and, for a sub-area, its area.
#[derive(Clone, Copy, Debug)]
struct Part {
    kind: AreaKind,
    site: Option<usize>,
    area: u32,
}

/// The area and sub-area of every site (from the inventory alone, so it
/// stays valid while only decisions or parameters change).
#[derive(Clone, Debug, Default)]
pub struct AreaMap {
    /// Sub-area of every site (index into `subs`).
    sub_of: Vec<u32>,
    /// The areas, in the order shown: province, prefectures in file order,
    /// unassigned.
    areas: Vec<Part>,
    /// The sub-areas, grouped by area: its own sites first, then its
    /// counties in file order. The province row has only the first.
    subs: Vec<Part>,
}

/// The group of sites an area row holds, while the map is built.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Group {
    Province,
    /// The prefecture portal at the top of the subtree.
    Prefecture(u32),
    Unassigned,
}

fn is_portal_at(inv: &Inventory, i: usize, level: Level) -> bool {
    let s = inv.site(i);
    s.kind == Kind::Portal && s.level == level
}

impl AreaMap {
    /// Works out every site's area: O(n).
    pub fn new(inv: &Inventory) -> AreaMap {
        let n = inv.len();
        let mut group = vec![Group::Unassigned; n];
        // The county portal at the top of the site's county subtree.
        let mut county = vec![NONE; n];
        for &i in inv.parents_first() {
            let i = i as usize;
            let parent = inv.parent(i);
            let g = match parent.map(|p| group[p]) {
                Some(g @ Group::Prefecture(_)) => g,
                _ if is_portal_at(inv, i, Level::Prefecture) => Group::Prefecture(i as u32),
                _ if inv.site(i).level < Level::Prefecture => Group::Province,
                _ => Group::Unassigned,
            };
            group[i] = g;
            county[i] = match (g, parent) {
                (Group::Province, _) => NONE,
                (_, Some(p)) if group[p] == g && county[p] != NONE => county[p],
                _ if is_portal_at(inv, i, Level::County) => i as u32,
                _ => NONE,
            };
        }
        // Areas in the order shown; `slot` maps a top portal to its row.
        let mut slot = vec![NONE; n];
        let mut areas = Vec::new();
        let push_area = |areas: &mut Vec<Part>, kind, site| {
            let a = areas.len() as u32;
            areas.push(Part {
                kind,
                site,
                area: a,
            });
            a
        };
        let province = group
            .contains(&Group::Province)
            .then(|| push_area(&mut areas, AreaKind::Province, None));
        for (i, g) in group.iter().enumerate() {
            if *g == Group::Prefecture(i as u32) {
                slot[i] = push_area(&mut areas, AreaKind::Prefecture, Some(i));
            }
        }
        let unassigned = group
            .contains(&Group::Unassigned)
            .then(|| push_area(&mut areas, AreaKind::Unassigned, None));
        let area_of = |g: Group| match g {
            Group::Province => province.unwrap_or(0),
            Group::Prefecture(root) => slot[root as usize],
            Group::Unassigned => unassigned.unwrap_or(0),
        };
        // Sub-areas: each area's own sites, then its counties.
        let mut counties: Vec<Vec<usize>> = vec![Vec::new(); areas.len()];
        for (i, &c) in county.iter().enumerate() {
            if c == i as u32 {
                counties[area_of(group[i]) as usize].push(i);
            }
        }
        let mut subs =
            Vec::with_capacity(areas.len() + counties.iter().map(Vec::len).sum::<usize>());
        let mut own = vec![0u32; areas.len()];
        let mut county_sub = vec![NONE; n];
        for (a, part) in areas.iter().enumerate() {
            own[a] = subs.len() as u32;
            let kind = match part.kind {
                AreaKind::Prefecture => AreaKind::Own,
                _ => AreaKind::Other,
            };
            subs.push(Part {
                kind,
                site: None,
                area: a as u32,
            });
            for &c in &counties[a] {
                county_sub[c] = subs.len() as u32;
                subs.push(Part {
                    kind: AreaKind::County,
                    site: Some(c),
                    area: a as u32,
                });
            }
        }
        let sub_of = (0..n)
            .map(|i| match county[i] {
                NONE => own[area_of(group[i]) as usize],
                c => county_sub[c as usize],
            })
            .collect();
        AreaMap {
            sub_of,
            areas,
            subs,
        }
    }

    /// The number of sites the map was made for.
    pub fn sites(&self) -> usize {
        self.sub_of.len()
    }

    /// The number of areas (rows of [`Self::outcomes`]).
    pub fn area_count(&self) -> usize {
        self.areas.len()
    }

    /// What area `a` stands for and, for a prefecture, its portal.
    pub fn area(&self, a: usize) -> Option<(AreaKind, Option<usize>)> {
        self.areas.get(a).map(|p| (p.kind, p.site))
    }

    /// The name of area `a`: its portal's name (its id when unnamed), or
    /// what the row stands for.
    pub fn label(&self, inv: &Inventory, a: usize, lang: Lang) -> String {
        match self.area(a) {
            Some((_, Some(i))) => {
                let s = inv.site(i);
                if s.name.is_empty() { &s.id } else { &s.name }.to_string()
            }
            Some((kind, None)) => kind.label(lang).to_string(),
            None => String::new(),
        }
    }

    /// The area site `i` belongs to: its row's index in [`Self::outcomes`]
    /// (`None` for a site the map was not made for).
    pub fn area_of(&self, i: usize) -> Option<usize> {
        let sub = *self.sub_of.get(i)? as usize;
        self.subs.get(sub).map(|p| p.area as usize)
    }

    /// The figures of every area, in the order shown, each with its
    /// sub-areas when it has counties. O(n).
    pub fn outcomes(&self, inv: &Inventory, model: &Model, o: &Outcome) -> Vec<AreaOutcome> {
        let n = inv.len().min(self.sub_of.len()).min(model.budget.len());
        let mut sums = vec![Sums::default(); self.subs.len()];
        for i in 0..n {
            let t = o.serving.get(i).map_or(i, |&t| t as usize).min(n - 1);
            let budget = model.budget.get(i);
            let pop = model.own_pop[i];
            let passes = model.passes[i];
            let s = &mut sums[self.sub_of[i] as usize];
            s.sites += 1;
            s.before += budget;
            s.population = s.population.saturating_add(pop);
            if passes {
                s.passing_before += 1;
                s.covered_before = s.covered_before.saturating_add(pop);
            }
            if model.passes[t] {
                s.covered_after = s.covered_after.saturating_add(pop);
            }
            if t == i {
                s.kept += 1;
                s.kept_budget += budget;
                if passes {
                    s.passing_after += 1;
                }
            } else {
                s.merged += 1;
                s.migrated_services = s.migrated_services.saturating_add(model.services[i]);
                let st = &mut sums[self.sub_of[t] as usize];
                st.absorbed += 1;
                st.absorbed_budget += budget;
            }
        }
        let mut rows: Vec<AreaOutcome> = self
            .areas
            .iter()
            .map(|p| row(inv, model, p, &Sums::default()))
            .collect();
        let mut totals = vec![Sums::default(); self.areas.len()];
        for (part, s) in self.subs.iter().zip(&sums) {
            let a = part.area as usize;
            totals[a].add(s);
            if s.sites > 0 {
                rows[a].sub_areas.push(row(inv, model, part, s));
            }
        }
        for (r, (p, s)) in rows.iter_mut().zip(self.areas.iter().zip(&totals)) {
            let subs = std::mem::take(&mut r.sub_areas);
            *r = row(inv, model, p, s);
            // An area without counties has nothing to show beneath it.
            if subs.iter().any(|s| s.area == AreaKind::County) {
                r.sub_areas = subs;
            }
        }
        rows
    }
}

/// The figures of every area (see [`AreaMap`]).
pub fn by_area(inv: &Inventory, model: &Model, outcome: &Outcome) -> Vec<AreaOutcome> {
    AreaMap::new(inv).outcomes(inv, model, outcome)
}

/// Sums of one sub-area, money in budget units.
#[derive(Clone, Copy, Debug, Default)]
struct Sums {
    sites: usize,
    kept: usize,
    merged: usize,
    before: i128,
    kept_budget: i128,
    /// Merged sites served from this sub-area, and their budgets.
    absorbed: u64,
    absorbed_budget: i128,
    /// Online services of the sub-area's merged sites.
    migrated_services: u64,
    population: u64,
    covered_before: u64,
    covered_after: u64,
    passing_before: usize,
    passing_after: usize,
}

impl Sums {
    fn add(&mut self, o: &Sums) {
        self.sites += o.sites;
        self.kept += o.kept;
        self.merged += o.merged;
        self.before += o.before;
        self.kept_budget += o.kept_budget;
        self.absorbed += o.absorbed;
        self.absorbed_budget += o.absorbed_budget;
        self.migrated_services = self.migrated_services.saturating_add(o.migrated_services);
        self.population = self.population.saturating_add(o.population);
        self.covered_before = self.covered_before.saturating_add(o.covered_before);
        self.covered_after = self.covered_after.saturating_add(o.covered_after);
        self.passing_before += o.passing_before;
        self.passing_after += o.passing_after;
    }
}

fn row(inv: &Inventory, model: &Model, part: &Part, s: &Sums) -> AreaOutcome {
    let rates = &model.rates;
    let site = part.site.filter(|&i| i < inv.len()).map(|i| inv.site(i));
    let cost_before = model.money(s.before);
    let cost_after =
        model.money(s.kept_budget) + rates.absorb(s.absorbed, model.money(s.absorbed_budget));
    AreaOutcome {
        area: part.kind,
        site_id: site.map(|x| x.id.to_string()),
        site: part.site,
        name: site.map(|x| x.name.to_string()),
        sites_before: s.sites,
        sites_after: s.kept,
        merged: s.merged,
        cost_before,
        cost_after,
        savings: cost_before - cost_after,
        one_time_cost: rates.migrate(s.merged as u64, s.migrated_services),
        population: s.population,
        covered_before: s.covered_before,
        covered_after: s.covered_after,
        coverage: Share {
            before: ratio(s.covered_before as f64, s.population as f64),
            after: ratio(s.covered_after as f64, s.population as f64),
        },
        passing_before: s.passing_before,
        passing_after: s.passing_after,
        sub_areas: Vec::new(),
    }
}

/// The readable table of `summary --by-area`: one line per area, its
/// sub-areas indented beneath it, then the total. The name comes last so
/// that the figures line up whatever its width.
pub fn render_area_text(rows: &[AreaOutcome], lang: Lang) -> String {
    use super::summary::{percent, yuan};
    let l = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let mut out = format!("{}:\n", l("按地区", "By area"));
    let line = |out: &mut String, cells: [String; 9], name: &str| {
        let [a, b, c, d, e, f, g, h, i] = cells;
        out.push_str(&format!(
            "{a:>7} {b:>7} {c:>7} {d:>16} {e:>16} {f:>14} {g:>14} {h:>8} {i:>8}  {name}\n"
        ));
    };
    line(
        &mut out,
        [
            l("网站", "Sites"),
            l("保留", "Kept"),
            l("合并", "Merged"),
            l("成本（现状）", "Cost before"),
            l("成本（方案后）", "Cost after"),
            l("每年节约", "Savings"),
            l("一次性成本", "One-time"),
            l("覆盖（前）", "Cov. bef."),
            l("覆盖（后）", "Cov. aft."),
        ]
        .map(String::from),
        l("地区", "Area"),
    );
    let cells = |r: &AreaOutcome| {
        [
            r.sites_before.to_string(),
            r.sites_after.to_string(),
            r.merged.to_string(),
            yuan(r.cost_before),
            yuan(r.cost_after),
            yuan(r.savings),
            yuan(r.one_time_cost),
            percent(r.coverage.before),
            percent(r.coverage.after),
        ]
    };
    for r in rows {
        line(&mut out, cells(r), r.label(lang));
        for s in &r.sub_areas {
            line(&mut out, cells(s), &format!("  {}", s.label(lang)));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use rust_decimal::Decimal;

    use super::*;
    use crate::inventory::Site;
    use crate::outcome::evaluate;
    use crate::plan::{Decision, Params};

    fn site(id: &str, level: Level, kind: Kind, parent: &str, budget: i64) -> Site {
        let mut s = Site::new(id, level);
        s.kind = kind;
        s.parent_id = parent.into();
        s.budget = Money::yuan(budget);
        s
    }

    /// Every row's figures against the plan's totals, and every area's
    /// sub-areas against the area.
    fn check_sums(rows: &[AreaOutcome], o: &Outcome) -> Result<(), String> {
        let add = AreaOutcome::total;
        let t = add(rows);
        let want = (
            o.sites.before,
            o.sites.after,
            o.merged,
            o.annual_cost.before,
            o.annual_cost.after,
            o.annual_cost.savings,
            o.one_time_cost,
            o.population,
            o.covered.before,
            o.covered.after,
            o.passing.before,
            o.passing.after,
        );
        let got = (
            t.sites_before,
            t.sites_after,
            t.merged,
            t.cost_before,
            t.cost_after,
            t.savings,
            t.one_time_cost,
            t.population,
            t.covered_before,
            t.covered_after,
            t.passing_before,
            t.passing_after,
        );
        if got != want {
            return Err(format!("areas {got:?} != totals {want:?}"));
        }
        for r in rows {
            if r.sub_areas.is_empty() {
                continue;
            }
            let s = add(&r.sub_areas);
            let got = (
                s.sites_before,
                s.sites_after,
                s.merged,
                s.cost_before,
                s.cost_after,
                s.one_time_cost,
                s.population,
                s.covered_before,
                s.covered_after,
                s.passing_before,
                s.passing_after,
            );
            let want = (
                r.sites_before,
                r.sites_after,
                r.merged,
                r.cost_before,
                r.cost_after,
                r.one_time_cost,
                r.population,
                r.covered_before,
                r.covered_after,
                r.passing_before,
                r.passing_after,
            );
            if got != want {
                return Err(format!("{:?}: sub-areas {got:?} != {want:?}", r.site_id));
            }
        }
        Ok(())
    }

    /// Province P with a department; prefectures A (counties A1, A2, a
    /// department) and B (no county); county X straight under the province.
    #[test]
    fn two_prefectures_by_hand() {
        use Kind::{Department as D, Portal as Po};
        use Level::*;
        let mut sites = vec![
            site("P", Province, Po, "", 1_000_000),
            site("P-d", Province, D, "P", 50_000),
            site("A", Prefecture, Po, "P", 300_000),
            site("A-d", Prefecture, D, "A", 40_000),
            site("A1", County, Po, "A", 100_000),
            site("A1-t", Township, Po, "A1", 20_000),
            site("A2", County, Po, "A", 80_000),
            site("B", Prefecture, Po, "P", 200_000),
            site("B-t", Township, Po, "B", 10_000),
            site("X", County, Po, "P", 60_000),
        ];
        // Populations (own_pop = population − portal children's).
        for (id, pop, pass) in [
            ("P", 10_000u64, true),
            ("A", 5_000, true),
            ("A1", 2_000, false),
            ("A1-t", 500, false),
            ("A2", 1_000, true),
            ("B", 3_000, false),
            ("B-t", 300, true),
            ("X", 1_000, true),
        ] {
            let s = sites.iter_mut().find(|s| s.id == id).unwrap();
            s.population = pop;
            s.inspection_passed = Some(pass);
        }
        sites[5].online_services = 3; // A1-t
        let (inv, problems) = Inventory::link(sites);
        assert!(problems.is_empty());
        let model = Model::new(&inv, &Params::default());
        let id = |s: &str| inv.find(s).unwrap();
        let mut decisions = vec![Decision::Keep; inv.len()];
        // A1-t into A (across its county), A-d into A (nearest), B-t into
        // the province (explicit target, another area), X into P.
        decisions[id("A1-t")] = Decision::Merge {
            target: Some(id("A") as u32),
        };
        decisions[id("A-d")] = Decision::Merge { target: None };
        decisions[id("B-t")] = Decision::Merge {
            target: Some(id("P") as u32),
        };
        decisions[id("X")] = Decision::Merge { target: None };
        let o = evaluate(&inv, &model, &decisions);
        let rows = by_area(&inv, &model, &o);
        check_sums(&rows, &o).unwrap();
        let kinds: Vec<(AreaKind, Option<&str>)> = rows
            .iter()
            .map(|r| (r.area, r.site_id.as_deref()))
            .collect();
        assert_eq!(
            kinds,
            [
                (AreaKind::Province, None),
                (AreaKind::Prefecture, Some("A")),
                (AreaKind::Prefecture, Some("B")),
                (AreaKind::Unassigned, None),
            ]
        );
        let y = Money::yuan;
        // Province: P and P-d; absorbs B-t (5,000 + 1,000) and X (5,000 + 6,000).
        let p = &rows[0];
        assert_eq!((p.sites_before, p.sites_after, p.merged), (2, 2, 0));
        assert_eq!(p.cost_before, y(1_050_000));
        assert_eq!(p.cost_after, y(1_050_000 + 6_000 + 11_000));
        assert_eq!(p.savings, y(-17_000));
        assert_eq!(p.one_time_cost, Money::ZERO);
        // own_pop(P) = 10,000 − (5,000 + 3,000 + 1,000) = 1,000.
        assert_eq!(
            (p.population, p.covered_before, p.covered_after),
            (1_000, 1_000, 1_000)
        );
        assert!(p.sub_areas.is_empty());
        // A: A, A-d, A1, A1-t, A2; A-d and A1-t merge into A.
        let a = &rows[1];
        assert_eq!((a.sites_before, a.sites_after, a.merged), (5, 3, 2));
        assert_eq!(a.cost_before, y(540_000));
        // Kept 300,000 + 100,000 + 80,000; absorbs A-d (9,000) and A1-t (7,000).
        assert_eq!(a.cost_after, y(496_000));
        assert_eq!(a.savings, y(44_000));
        // Two merges: 2 × 10,000 + 3 services × 2,000.
        assert_eq!(a.one_time_cost, y(26_000));
        // own_pop: A 5,000 − 3,000 = 2,000 (passes); A1 2,000 − 500 =
        // 1,500 (fails); A1-t 500, now served by A (passes); A2 1,000.
        assert_eq!(a.population, 5_000);
        assert_eq!(a.covered_before, 3_000);
        assert_eq!(a.covered_after, 3_500);
        assert_eq!(a.coverage.after, Some(0.7));
        assert_eq!((a.passing_before, a.passing_after), (2, 2));
        let subs: Vec<(AreaKind, Option<&str>, usize, Money, Money)> = a
            .sub_areas
            .iter()
            .map(|s| {
                (
                    s.area,
                    s.site_id.as_deref(),
                    s.sites_before,
                    s.cost_before,
                    s.cost_after,
                )
            })
            .collect();
        assert_eq!(
            subs,
            [
                // A and A-d; A absorbs A-d and A1-t.
                (AreaKind::Own, None, 2, y(340_000), y(316_000)),
                // A1 kept, A1-t gone (its absorb cost is A's).
                (AreaKind::County, Some("A1"), 2, y(120_000), y(100_000)),
                (AreaKind::County, Some("A2"), 1, y(80_000), y(80_000)),
            ]
        );
        assert_eq!(a.sub_areas[1].one_time_cost, y(16_000));
        assert_eq!(a.sub_areas[1].savings, y(20_000));
        // B: B-t's absorb cost went to the province.
        let b = &rows[2];
        assert_eq!((b.sites_before, b.sites_after, b.merged), (2, 1, 1));
        assert_eq!((b.cost_before, b.cost_after), (y(210_000), y(200_000)));
        assert_eq!(b.one_time_cost, y(10_000));
        // B-t is served by the province, which passes; B fails.
        assert_eq!(
            (b.population, b.covered_before, b.covered_after),
            (3_000, 300, 300)
        );
        assert!(b.sub_areas.is_empty(), "no county: nothing beneath");
        // X, a county under the province, is unassigned and a sub-area.
        let x = &rows[3];
        assert_eq!((x.sites_before, x.merged), (1, 1));
        assert_eq!((x.cost_before, x.cost_after), (y(60_000), Money::ZERO));
        assert_eq!(x.sub_areas.len(), 1);
        assert_eq!(x.sub_areas[0].site_id.as_deref(), Some("X"));
        assert_eq!(x.label(Lang::Zh), "其他");
        assert_eq!(a.sub_areas[0].label(Lang::En), "Prefecture's own");
    }

    #[test]
    fn an_empty_inventory_has_no_areas() {
        let inv = Inventory::default();
        let model = Model::new(&inv, &Params::default());
        let o = evaluate(&inv, &model, &[]);
        assert!(by_area(&inv, &model, &o).is_empty());
    }

    #[test]
    fn the_sample_has_sixteen_prefectures_and_sums_exactly() {
        let imported = crate::sample::sample();
        let inv = &imported.inventory;
        let model = Model::new(inv, &Params::default());
        // Every other township and county department merges.
        let decisions: Vec<Decision> = (0..inv.len())
            .map(|i| {
                let s = inv.site(i);
                let merge = (s.level == Level::Township && i % 2 == 0)
                    || (s.level == Level::County && s.kind == Kind::Department);
                if merge {
                    Decision::Merge { target: None }
                } else {
                    Decision::Keep
                }
            })
            .collect();
        let o = evaluate(inv, &model, &decisions);
        let rows = by_area(inv, &model, &o);
        check_sums(&rows, &o).unwrap();
        let prefectures = rows
            .iter()
            .filter(|r| r.area == AreaKind::Prefecture)
            .count();
        assert_eq!(prefectures, 16);
        assert!(rows.iter().all(|r| r.area != AreaKind::Unassigned));
        assert!(
            rows.iter()
                .filter(|r| r.area == AreaKind::Prefecture)
                .all(|r| r.sub_areas.iter().any(|s| s.area == AreaKind::County))
        );
        let text = render_area_text(&rows, Lang::Zh);
        assert!(text.contains("省级"), "{text}");
        assert_eq!(text.lines().count(), 2 + rows.len() + 16 + 118);
    }

    /// A random forest (each site's parent an earlier site, or none), with
    /// budgets to the fen, and a random plan with explicit targets among
    /// the ancestors.
    fn forest() -> impl Strategy<Value = (Vec<Site>, Vec<(u8, u32)>, Params)> {
        let site = (
            0u8..5,
            prop::bool::weighted(0.3),
            prop::option::weighted(0.85, any::<u32>()),
            0i64..50_000_000,
            0u64..100_000,
            prop::option::of(any::<bool>()),
            0u64..40,
        );
        (
            prop::collection::vec(site, 0..60),
            prop::collection::vec((0u8..4, any::<u32>()), 60),
            (0u32..3, 0u32..30, 0u32..3),
        )
            .prop_map(|(raw, plan, (fixed, rate, per_service))| {
                let sites = raw
                    .into_iter()
                    .enumerate()
                    .map(|(i, (level, dept, parent, fen, pop, pass, services))| {
                        let mut s = Site::new(format!("s{i}"), Level::from_number(level).unwrap());
                        if dept {
                            s.kind = Kind::Department;
                        }
                        if let Some(p) = parent.filter(|_| i > 0) {
                            s.parent_id = format!("s{}", p as usize % i).into();
                        }
                        s.budget = Money::from_decimal(Decimal::new(fen, 2));
                        s.population = pop;
                        s.inspection_passed = pass;
                        s.online_services = services;
                        s
                    })
                    .collect();
                let params = Params {
                    absorb_fixed: [0.0, 5000.0, 1234.56][fixed as usize],
                    absorb_rate: f64::from(rate) / 100.0 + 0.003,
                    migrate_per_service: [0.0, 2000.0, 333.33][per_service as usize],
                    ..Params::default()
                };
                (sites, plan, params)
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        #[test]
        fn areas_add_up_to_the_totals((sites, plan, params) in forest()) {
            let (inv, _) = Inventory::link(sites);
            let model = Model::new(&inv, &params);
            let decisions: Vec<Decision> = (0..inv.len())
                .map(|i| {
                    let (how, pick) = plan[i % plan.len()];
                    let ancestors: Vec<usize> = inv.ancestors(i).collect();
                    match how {
                        0 | 1 => Decision::Keep,
                        2 => Decision::Merge { target: None },
                        _ if ancestors.is_empty() => Decision::Keep,
                        _ => Decision::Merge {
                            target: Some(ancestors[pick as usize % ancestors.len()] as u32),
                        },
                    }
                })
                .collect();
            let o = evaluate(&inv, &model, &decisions);
            let rows = by_area(&inv, &model, &o);
            prop_assert!(check_sums(&rows, &o).is_ok(), "{:?}", check_sums(&rows, &o));
            // The rows partition the sites: every prefecture portal outside
            // another's subtree has its row.
            let map = AreaMap::new(&inv);
            prop_assert_eq!(map.sub_of.len(), inv.len());
            for r in &rows {
                if let Some(i) = r.site {
                    let subtree = inv.subtree(i).len();
                    prop_assert_eq!(r.sites_before, subtree);
                }
            }
        }
    }
}
