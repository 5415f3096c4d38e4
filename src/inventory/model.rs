//! The inventory: one [`Site`] per government website, linked into a forest
//! by parent links.

pub(crate) use super::id_index::IdIndex;
use super::id_index::hash_id;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::Column;
use crate::i18n::Lang;
use crate::money::Money;

/// Administrative level of a site. A lower number is a higher level.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// 国家级 (0).
    #[default]
    National = 0,
    /// 省级 (1).
    Province = 1,
    /// 地市级 (2).
    Prefecture = 2,
    /// 县级 (3).
    County = 3,
    /// 乡镇级 (4).
    Township = 4,
}

impl Level {
    /// All levels, highest first.
    pub const ALL: [Level; 5] = [
        Level::National,
        Level::Province,
        Level::Prefecture,
        Level::County,
        Level::Township,
    ];

    /// The level number, 0 (national) to 4 (township).
    pub fn number(self) -> u8 {
        self as u8
    }

    /// The level with this number.
    pub fn from_number(n: u8) -> Option<Level> {
        Level::ALL.get(n as usize).copied()
    }

    /// The English name used in files and JSON (`national` … `township`).
    pub fn key(self) -> &'static str {
        match self {
            Level::National => "national",
            Level::Province => "province",
            Level::Prefecture => "prefecture",
            Level::County => "county",
            Level::Township => "township",
        }
    }

    /// The name written in a file of `lang`: `省级` in a Chinese file,
    /// `province` in an English one (both import back).
    pub fn in_file(self, lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => self.label(lang),
            Lang::En => self.key(),
        }
    }

    /// The name a planner reads.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Level::National => lang.pick("国家级", "National"),
            Level::Province => lang.pick("省级", "Province"),
            Level::Prefecture => lang.pick("地市级", "Prefecture"),
            Level::County => lang.pick("县级", "County"),
            Level::Township => lang.pick("乡镇级", "Township"),
        }
    }
}

/// Whether a site is a government's portal or one of its departments' sites.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// 政府门户网站.
    #[default]
    Portal,
    /// 部门网站.
    Department,
}

impl Kind {
    /// True for portals.
    pub fn is_portal(self) -> bool {
        self == Kind::Portal
    }

    /// Both kinds.
    pub const ALL: [Kind; 2] = [Kind::Portal, Kind::Department];

    /// The name written in a file of `lang`: `门户` in a Chinese file,
    /// `portal` in an English one (both import back).
    pub fn in_file(self, lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => self.label(lang),
            Lang::En => self.key(),
        }
    }

    /// The English name used in files.
    pub fn key(self) -> &'static str {
        match self {
            Kind::Portal => "portal",
            Kind::Department => "department",
        }
    }

    /// The name a planner reads.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Kind::Portal => lang.pick("门户", "Portal"),
            Kind::Department => lang.pick("部门", "Department"),
        }
    }
}

/// A site's text (its id, name, address, parent's id or region): the
/// characters in an allocation of their own size, 16 bytes in the site
/// against a `String`'s 24 (40 MB less at a million sites). It reads as a
/// `str` and compares with one.
#[derive(Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Text(Box<str>);

impl Text {
    /// The text as a `str`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::ops::Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Text {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&*self.0, f)
    }
}

impl std::fmt::Display for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Text {
        Text(s.into())
    }
}

impl From<String> for Text {
    fn from(s: String) -> Text {
        Text(s.into_boxed_str())
    }
}

impl From<&Text> for String {
    fn from(t: &Text) -> String {
        t.0.to_string()
    }
}

impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        *self.0 == **other
    }
}

impl PartialEq<String> for Text {
    fn eq(&self, other: &String) -> bool {
        *self.0 == **other
    }
}

impl PartialEq<Text> for &str {
    fn eq(&self, other: &Text) -> bool {
        **self == *other.0
    }
}

impl PartialEq<Text> for String {
    fn eq(&self, other: &Text) -> bool {
        **self == *other.0
    }
}

/// One government website, as imported.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Site {
    /// Unique identifier (网站标识码), trimmed.
    pub id: Text,
    /// Name; the id when the file had none.
    pub name: Text,
    /// Address.
    pub url: Text,
    /// Administrative level.
    pub level: Level,
    /// Portal or department.
    pub kind: Kind,
    /// The parent's id as written in the file (empty for none).
    pub parent_id: Text,
    /// Index of the parent site after the import's fixes (unknown parents
    /// and cycles removed); `None` for a top site. Four bytes (an
    /// inventory's sites are counted in `u32`): read it with
    /// [`Site::parent_index`].
    pub parent: Option<u32>,
    /// Region name or division code.
    pub region: Text,
    /// Annual budget in yuan, exact (missing = 0).
    pub budget: Money,
    /// Staff, exact (missing = 0).
    #[serde(with = "crate::money::decimal_number")]
    pub staff: Decimal,
    /// Population of the whole jurisdiction (missing = 0).
    pub population: u64,
    /// Monthly visits, when known.
    pub monthly_visits: Option<u64>,
    /// Online services offered (missing = 0).
    pub online_services: u64,
    /// Inspection score in [0, 100], when known.
    pub inspection_score: Option<f64>,
    /// Inspection result, when known.
    pub inspection_passed: Option<bool>,
    /// Hours taken to reprint State Council notices, when known.
    pub reprint_hours: Option<f64>,
    /// Line (CSV) or row (spreadsheet) the site came from; 0 when made in code.
    pub line: u64,
    /// Which of the inventory's source files the site came from: an index
    /// into the workspace's `sources` when the inventory was assembled
    /// from several files ([`super::assemble`]); 0 for an inventory read
    /// from one file.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub source: u32,
    /// Which of the fields counted as 0 when missing (budget, staff,
    /// population, online services) had no readable value in the file, so
    /// that views show them as missing rather than as 0.
    #[serde(default, skip_serializing_if = "Missing::is_none")]
    pub missing: Missing,
    /// The site's record in the inspection rounds loaded (MODEL.md §9),
    /// worked out from them (never read from or written to a file).
    #[serde(skip)]
    pub rounds: RoundRecord,
}

/// Which of the last inspection rounds loaded (up to 64, the latest
/// first) inspected a site and which it failed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct RoundRecord {
    /// Bit k: the site appears in the k-th latest round.
    pub seen: u64,
    /// Bit k: the site failed the k-th latest round.
    pub failed: u64,
}

impl RoundRecord {
    /// The rounds of the last `n` (all when there are fewer) that the site
    /// failed: a site missing from a round did not fail it.
    pub fn failed_in_last(self, n: u32) -> u32 {
        let mask = if n >= 64 { u64::MAX } else { (1u64 << n) - 1 };
        (self.failed & mask).count_ones()
    }
}

/// The fields of a site that the model counts as 0 when missing, and that
/// were missing (empty, absent or unreadable) in its file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Missing(u8);

impl Missing {
    /// The columns this can mark.
    pub const COLUMNS: [Column; 4] = [
        Column::AnnualBudget,
        Column::Staff,
        Column::Population,
        Column::OnlineServices,
    ];

    fn bit(c: Column) -> u8 {
        match c {
            Column::AnnualBudget => 1,
            Column::Staff => 2,
            Column::Population => 4,
            Column::OnlineServices => 8,
            _ => 0,
        }
    }

    /// True when nothing is missing.
    pub fn is_none(&self) -> bool {
        self.0 == 0
    }

    /// True when the value of `c` was missing.
    pub fn has(self, c: Column) -> bool {
        self.0 & Missing::bit(c) != 0
    }

    /// Marks `c` missing or present.
    pub fn set(&mut self, c: Column, missing: bool) {
        if missing {
            self.0 |= Missing::bit(c);
        } else {
            self.0 &= !Missing::bit(c);
        }
    }
}

fn is_zero(v: &u32) -> bool {
    *v == 0
}

impl Site {
    /// A site with the given id and level and every other field empty.
    pub fn new(id: impl Into<Text>, level: Level) -> Site {
        let id = id.into();
        Site {
            name: id.clone(),
            id,
            url: Text::default(),
            level,
            kind: Kind::Portal,
            parent_id: Text::default(),
            parent: None,
            region: Text::default(),
            budget: Money::ZERO,
            staff: Decimal::ZERO,
            population: 0,
            monthly_visits: None,
            online_services: 0,
            inspection_score: None,
            inspection_passed: None,
            reprint_hours: None,
            line: 0,
            source: 0,
            missing: Missing::default(),
            rounds: RoundRecord::default(),
        }
    }

    /// The index of the parent site (see [`Site::parent`]).
    pub fn parent_index(&self) -> Option<usize> {
        self.parent.map(|p| p as usize)
    }

    /// Sets the index of the parent site.
    pub fn set_parent(&mut self, parent: Option<usize>) {
        self.parent = parent.map(site_index);
    }

    /// passes(s) of the model: the inspection result when present, else the
    /// score against `pass_threshold`, else false.
    pub fn passes(&self, pass_threshold: f64) -> bool {
        match (self.inspection_passed, self.inspection_score) {
            (Some(p), _) => p,
            (None, Some(score)) => score >= pass_threshold,
            (None, None) => false,
        }
    }
}

/// The sites of one inventory, linked into a forest.
///
/// Built by [`Inventory::link`], which resolves parent ids to indices,
/// turns unknown parents and cycles into top sites, and precomputes the
/// children lists and a parents-first order.
#[derive(Clone, Debug, Default)]
pub struct Inventory {
    sites: Vec<Site>,
    index: IdIndex,
    child_start: Vec<u32>,
    child_list: Vec<u32>,
    order: Vec<u32>,
    depth: Vec<u32>,
}

/// A problem found while linking sites (reported by the importer).
#[derive(Clone, Debug, PartialEq)]
pub enum LinkProblem {
    /// The parent id names no site; the site became a top site.
    UnknownParent {
        /// Index of the site.
        site: usize,
    },
    /// Parent links formed a cycle; `broken` (the member that comes first in
    /// the file) became a top site.
    Cycle {
        /// Members in link order, starting at `broken`.
        members: Vec<usize>,
        /// The member made a top site.
        broken: usize,
    },
    /// The parent is at a lower level (greater number) than the child.
    LevelInversion {
        /// Index of the child.
        site: usize,
    },
}

/// A top site in a list of parent positions.
const TOP: u32 = u32::MAX;

/// A site's index as a site stores it (see [`Site::parent`]).
pub(crate) fn site_index(i: usize) -> u32 {
    // An inventory is far below four billion sites (a file holds at most
    // `MAX_ROWS`, and every site is in memory).
    debug_assert!(i < TOP as usize);
    i as u32
}

/// Each site's parent's position ([`TOP`] for none) and level number,
/// and the sites whose parent id names no site (made top sites), in file
/// order; looked up on `threads` threads (the index is only read).
fn parent_positions(
    sites: &[Site],
    index: &IdIndex,
    threads: usize,
) -> (Vec<u32>, Vec<u8>, Vec<usize>) {
    let mut parents = vec![TOP; sites.len()];
    let mut levels = vec![0u8; sites.len()];
    let fill = |start: usize, parents: &mut [u32], levels: &mut [u8]| {
        let mut unknown = Vec::new();
        for (k, (p, l)) in parents.iter_mut().zip(levels.iter_mut()).enumerate() {
            let s = &sites[start + k];
            *l = s.level as u8;
            let pid = s.parent_id.trim();
            if pid.is_empty() {
                continue;
            }
            // Positions fit in 32 bits (at most MAX_ROWS sites); one
            // that would not is unknown.
            match index
                .find(pid, hash_id(pid), |p| &sites[p].id)
                .and_then(|p| u32::try_from(p).ok())
                .filter(|&p| p != TOP)
            {
                Some(pos) => *p = pos,
                None => unknown.push(start + k),
            }
        }
        unknown
    };
    let unknown = if threads < 2 {
        fill(0, &mut parents, &mut levels)
    } else {
        let size = sites.len().div_ceil(threads).max(1);
        let fill = &fill;
        std::thread::scope(|scope| {
            let handles: Vec<_> = parents
                .chunks_mut(size)
                .zip(levels.chunks_mut(size))
                .enumerate()
                .map(|(k, (p, l))| scope.spawn(move || fill(k * size, p, l)))
                .collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
                .collect()
        })
    };
    (parents, levels, unknown)
}

/// The children lists (start of each site's children in the list, then
/// the list, children in file order), the parents-first order (top sites
/// in file order, then breadth first) and the depth of every site, from
/// the parent positions ([`TOP`] for none). Sites under a cycle are left
/// out of the order.
struct Structure {
    child_start: Vec<u32>,
    child_list: Vec<u32>,
    order: Vec<u32>,
    depth: Vec<u32>,
}

fn structure(parent: &[u32]) -> Structure {
    let n = parent.len();
    let mut counts = vec![0u32; n + 1];
    for &p in parent {
        if p != TOP {
            counts[p as usize + 1] += 1;
        }
    }
    for i in 0..n {
        counts[i + 1] += counts[i];
    }
    let mut fill = counts.clone();
    let mut child_list = vec![0u32; counts[n] as usize];
    for (i, &p) in parent.iter().enumerate() {
        if p != TOP {
            let f = &mut fill[p as usize];
            child_list[*f as usize] = i as u32;
            *f += 1;
        }
    }
    drop(fill);
    let mut order: Vec<u32> = Vec::with_capacity(n);
    let mut depth = vec![0u32; n];
    order.extend(
        parent
            .iter()
            .enumerate()
            .filter(|&(_, &p)| p == TOP)
            .map(|(i, _)| i as u32),
    );
    let mut head = 0;
    while head < order.len() {
        let p = order[head] as usize;
        head += 1;
        let d = depth[p].saturating_add(1);
        let children = &child_list[counts[p] as usize..counts[p + 1] as usize];
        for &c in children {
            depth[c as usize] = d;
        }
        order.extend_from_slice(children);
    }
    Structure {
        child_start: counts,
        child_list,
        order,
        depth,
    }
}

/// Breaks the cycles of parent links: walks up from each site in file
/// order; a walk that meets its own path has found a cycle, whose member
/// that comes first in the file becomes a top site.
fn break_cycles(parent: &mut [u32], problems: &mut Vec<LinkProblem>) {
    const NEW: u8 = 0;
    const ON_PATH: u8 = 1;
    const DONE: u8 = 2;
    let n = parent.len();
    let mut state = vec![NEW; n];
    let mut path = Vec::new();
    for start in 0..n {
        if state[start] != NEW {
            continue;
        }
        path.clear();
        let mut cur = start;
        loop {
            if state[cur] == ON_PATH {
                let pos = path.iter().position(|&p| p == cur).unwrap_or(0);
                let cycle = &path[pos..];
                let broken = cycle.iter().copied().min().unwrap_or(cur);
                let at = cycle.iter().position(|&c| c == broken).unwrap_or(0);
                let mut members: Vec<usize> = cycle[at..].to_vec();
                members.extend_from_slice(&cycle[..at]);
                parent[broken] = TOP;
                problems.push(LinkProblem::Cycle { members, broken });
                break;
            }
            if state[cur] == DONE {
                break;
            }
            state[cur] = ON_PATH;
            path.push(cur);
            match parent[cur] {
                TOP => break,
                p => cur = p as usize,
            }
        }
        for &p in &path {
            state[p] = DONE;
        }
    }
}

impl Inventory {
    /// Links sites by their `parent_id`s. Ids must be unique (the importer
    /// rejects duplicates first); a later duplicate is treated as unknown.
    /// Returns the inventory and what had to be fixed, in file order.
    pub fn link(sites: Vec<Site>) -> (Inventory, Vec<LinkProblem>) {
        let mut index = IdIndex::with_capacity(sites.len());
        for (i, s) in sites.iter().enumerate() {
            // A later duplicate keeps the first one's place.
            let _ = index.insert(&s.id, hash_id(&s.id), i, |p| &sites[p].id);
        }
        Inventory::link_indexed(sites, index)
    }

    /// [`Inventory::link`] with the id index already built (id → position
    /// of its first site), as the importer has it.
    pub(crate) fn link_indexed(sites: Vec<Site>, index: IdIndex) -> (Inventory, Vec<LinkProblem>) {
        let threads = crate::par::threads_for(sites.len());
        Inventory::link_with_threads(sites, index, threads)
    }

    /// [`Inventory::link_indexed`] on `threads` threads (the parts that
    /// are per site: looking parents up, setting them): the same result
    /// on any number of them.
    pub(crate) fn link_with_threads(
        mut sites: Vec<Site>,
        index: IdIndex,
        threads: usize,
    ) -> (Inventory, Vec<LinkProblem>) {
        let mut problems = Vec::new();
        // Everything below works on the dense lists of parents and levels,
        // not on the sites (a few bytes a site instead of a few hundred).
        let (mut parent, levels, unknown) = parent_positions(&sites, &index, threads);
        problems.extend(
            unknown
                .into_iter()
                .map(|site| LinkProblem::UnknownParent { site }),
        );
        let n = parent.len();
        let inverted = |parent: &[u32]| {
            (0..n)
                .filter(|&i| parent[i] != TOP && levels[parent[i] as usize] > levels[i])
                .map(|site| LinkProblem::LevelInversion { site })
                .collect::<Vec<_>>()
        };
        let set_parents = |sites: &mut [Site], parent: &[u32]| {
            for (s, &p) in sites.iter_mut().zip(parent) {
                s.parent = (p != TOP).then_some(p);
            }
        };
        // The children lists and the order on one thread, the sites'
        // parents and the level checks on another.
        let (mut st, mut inversions) = if threads < 2 {
            set_parents(&mut sites, &parent);
            (structure(&parent), inverted(&parent))
        } else {
            std::thread::scope(|scope| {
                let st = scope.spawn(|| structure(&parent));
                set_parents(&mut sites, &parent);
                let inversions = inverted(&parent);
                let st = st.join().unwrap_or_else(|p| std::panic::resume_unwind(p));
                (st, inversions)
            })
        };
        if st.order.len() < n {
            // Some sites are not reached from a top site: there are
            // cycles. Break them and work the rest out again.
            drop(st);
            break_cycles(&mut parent, &mut problems);
            set_parents(&mut sites, &parent);
            st = structure(&parent);
            inversions = inverted(&parent);
        }
        debug_assert_eq!(st.order.len(), n, "linking leaves no cycles");
        problems.extend(inversions);
        drop(levels);
        let inv = Inventory {
            sites,
            index,
            child_start: st.child_start,
            child_list: st.child_list,
            order: st.order,
            depth: st.depth,
        };
        (inv, problems)
    }

    /// Sets the inspection fields and the round record of site `i`
    /// (fields no link reads), in place; nothing when there is no such
    /// site.
    pub fn set_inspection(
        &mut self,
        i: usize,
        score: Option<f64>,
        passed: Option<bool>,
        rounds: RoundRecord,
    ) {
        if let Some(s) = self.sites.get_mut(i) {
            s.inspection_score = score;
            s.inspection_passed = passed;
            s.rounds = rounds;
        }
    }

    /// Changes fields of the sites that the links do not read (not the id,
    /// the parent id or the parent), in place and without linking again:
    /// `f` gets each site with its index. A change of a linked field is
    /// undone, so the links stay true.
    pub fn update_fields(&mut self, mut f: impl FnMut(usize, &mut Site)) {
        for (i, s) in self.sites.iter_mut().enumerate() {
            let (id, parent_id, parent) = (s.id.clone(), s.parent_id.clone(), s.parent);
            f(i, s);
            s.id = id;
            s.parent_id = parent_id;
            s.parent = parent;
        }
    }

    /// The inventory with some sites replaced (their ids unchanged), linked
    /// again as [`Inventory::link`] links: what linking had to fix.
    pub fn with_sites(&self, changes: &[(usize, Site)]) -> (Inventory, Vec<LinkProblem>) {
        let mut sites = self.sites.clone();
        for (i, site) in changes {
            if let Some(slot) = sites.get_mut(*i) {
                *slot = site.clone();
            }
        }
        Inventory::link_indexed(sites, self.index.clone())
    }

    /// The sites, in file order.
    pub fn sites(&self) -> &[Site] {
        &self.sites
    }

    /// The sites, in file order, taken out of the inventory.
    pub fn into_sites(self) -> Vec<Site> {
        self.sites
    }

    /// The site at `i`.
    pub fn site(&self, i: usize) -> &Site {
        &self.sites[i]
    }

    /// Number of sites.
    pub fn len(&self) -> usize {
        self.sites.len()
    }

    /// True when there are no sites.
    pub fn is_empty(&self) -> bool {
        self.sites.is_empty()
    }

    /// Index of the site with this id.
    pub fn find(&self, id: &str) -> Option<usize> {
        let id = id.trim();
        self.index.find(id, hash_id(id), |p| &self.sites[p].id)
    }

    /// The sites whose parent is `i`, in file order.
    pub fn children(&self, i: usize) -> &[u32] {
        let (a, b) = (
            self.child_start[i] as usize,
            self.child_start[i + 1] as usize,
        );
        &self.child_list[a..b]
    }

    /// Every site, parents before their children.
    pub fn parents_first(&self) -> &[u32] {
        &self.order
    }

    /// Number of links from `i` up to its top site.
    pub fn depth(&self, i: usize) -> usize {
        self.depth[i] as usize
    }

    /// The parent of `i`.
    pub fn parent(&self, i: usize) -> Option<usize> {
        self.sites[i].parent_index()
    }

    /// The ancestors of `i`, nearest first.
    pub fn ancestors(&self, i: usize) -> impl Iterator<Item = usize> + '_ {
        std::iter::successors(self.sites[i].parent_index(), move |&p| {
            self.sites[p].parent_index()
        })
    }

    /// True when `a` is a strict ancestor of `i`.
    pub fn is_strict_ancestor(&self, a: usize, i: usize) -> bool {
        if a == i || self.depth[a] >= self.depth[i] {
            return false;
        }
        self.ancestors(i).any(|x| x == a)
    }

    /// Every site in the subtree of `i` (including `i`), parents first.
    pub fn subtree(&self, i: usize) -> Vec<usize> {
        let mut out = vec![i];
        let mut head = 0;
        while head < out.len() {
            let p = out[head];
            head += 1;
            out.extend(self.children(p).iter().map(|&c| c as usize));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_site_is_small() {
        // A million sites are held at once: each byte of a site is a
        // megabyte of the peak (texts in 16 bytes, the parent in 8).
        assert!(
            std::mem::size_of::<Site>() <= 216,
            "{}",
            std::mem::size_of::<Site>()
        );
        assert_eq!(std::mem::size_of::<Text>(), 16);
        let s = Site::new("广东省", Level::Province);
        assert_eq!(s.id, "广东省");
        assert_eq!(s.id.as_str(), "广东省");
        assert_eq!(format!("{:?}", s.id), format!("{:?}", "广东省"));
        assert_eq!(String::from(&s.id), "广东省");
    }

    /// Linking as it was done on the sites themselves, one thread, every
    /// site walked for cycles: the reference the dense linking must match.
    /// What [`link_on_sites`] gives.
    struct Linked {
        sites: Vec<Site>,
        problems: Vec<LinkProblem>,
        children: Vec<Vec<u32>>,
        order: Vec<u32>,
        depth: Vec<u32>,
    }

    fn link_on_sites(mut sites: Vec<Site>) -> Linked {
        let n = sites.len();
        let mut index = IdIndex::with_capacity(n);
        for (i, s) in sites.iter().enumerate() {
            let _ = index.insert(&s.id, hash_id(&s.id), i, |p| &sites[p].id);
        }
        let mut problems = Vec::new();
        let found: Vec<Option<Option<usize>>> = sites
            .iter()
            .map(|s| {
                let pid = s.parent_id.trim();
                if pid.is_empty() {
                    Some(None)
                } else {
                    index.find(pid, hash_id(pid), |p| &sites[p].id).map(Some)
                }
            })
            .collect();
        for (i, f) in found.into_iter().enumerate() {
            let parent = match f {
                Some(p) => p,
                None => {
                    problems.push(LinkProblem::UnknownParent { site: i });
                    None
                }
            };
            sites[i].set_parent(parent);
        }
        let mut state = vec![0u8; n];
        let mut path = Vec::new();
        for start in 0..n {
            if state[start] != 0 {
                continue;
            }
            path.clear();
            let mut cur = start;
            loop {
                if state[cur] == 1 {
                    let pos = path.iter().position(|&p| p == cur).unwrap_or(0);
                    let cycle = &path[pos..];
                    let broken = cycle.iter().copied().min().unwrap_or(cur);
                    let at = cycle.iter().position(|&c| c == broken).unwrap_or(0);
                    let mut members: Vec<usize> = cycle[at..].to_vec();
                    members.extend_from_slice(&cycle[..at]);
                    sites[broken].parent = None;
                    problems.push(LinkProblem::Cycle { members, broken });
                    break;
                }
                if state[cur] == 2 {
                    break;
                }
                state[cur] = 1;
                path.push(cur);
                match sites[cur].parent_index() {
                    Some(p) => cur = p,
                    None => break,
                }
            }
            for &p in &path {
                state[p] = 2;
            }
        }
        for (i, s) in sites.iter().enumerate() {
            if let Some(p) = s.parent_index()
                && sites[p].level > s.level
            {
                problems.push(LinkProblem::LevelInversion { site: i });
            }
        }
        let children: Vec<Vec<u32>> = (0..n)
            .map(|p| {
                (0..n)
                    .filter(|&c| sites[c].parent_index() == Some(p))
                    .map(|c| c as u32)
                    .collect()
            })
            .collect();
        let mut order: Vec<u32> = (0..n)
            .filter(|&i| sites[i].parent.is_none())
            .map(|i| i as u32)
            .collect();
        let mut depth = vec![0u32; n];
        let mut head = 0;
        while head < order.len() {
            let p = order[head] as usize;
            head += 1;
            for &c in &children[p] {
                depth[c as usize] = depth[p] + 1;
                order.push(c);
            }
        }
        Linked {
            sites,
            problems,
            children,
            order,
            depth,
        }
    }

    /// Sites with parents drawn from: none, an unknown id, any site
    /// (itself, earlier or later, so that cycles happen), and a
    /// duplicate id now and then.
    fn arb_sites() -> impl Strategy<Value = Vec<Site>> {
        proptest::collection::vec((0u8..5, 0usize..4, 0usize..50, any::<bool>()), 0..50).prop_map(
            |rows| {
                let n = rows.len();
                rows.iter()
                    .enumerate()
                    .map(|(i, &(level, how, parent, dup))| {
                        let id = if dup && i > 0 {
                            format!("s{}", i - 1)
                        } else {
                            format!("s{i}")
                        };
                        let mut s = Site::new(id, Level::from_number(level).unwrap_or_default());
                        s.parent_id = match how {
                            0 => Text::default(),
                            1 => "nobody".into(),
                            2 => format!(" s{} ", parent % n).into(),
                            _ => format!("s{}", parent % (i + 1)).into(),
                        };
                        s
                    })
                    .collect()
            },
        )
    }

    proptest! {
        #[test]
        fn linking_on_dense_lists_in_parts_is_linking_on_the_sites(
            sites in arb_sites(),
            threads in 1usize..5,
        ) {
            let Linked {
                sites: want_sites,
                problems: want_problems,
                children: want_children,
                order: want_order,
                depth: want_depth,
            } = link_on_sites(sites.clone());
            let mut index = IdIndex::with_capacity(sites.len());
            for (i, s) in sites.iter().enumerate() {
                let _ = index.insert(&s.id, hash_id(&s.id), i, |p| &sites[p].id);
            }
            let (inv, problems) = Inventory::link_with_threads(sites, index, threads);
            prop_assert_eq!(inv.sites(), &want_sites[..]);
            prop_assert_eq!(problems, want_problems);
            for (i, c) in want_children.iter().enumerate() {
                prop_assert_eq!(inv.children(i), &c[..]);
                prop_assert_eq!(inv.depth(i), want_depth[i] as usize);
            }
            prop_assert_eq!(inv.parents_first(), &want_order[..]);
        }
    }
}
