//! Several inventory files into one inventory (issue #16): a province
//! asks each prefecture for its sites and gets back a file from each,
//! with its own headers, encoding and mistakes.
//!
//! ```no_run
//! use sitefold::inventory::{ImportOptions, Keep, assemble_paths};
//! let files = ["柳坪市.csv".into(), "高集市.xlsx".into()];
//! let a = assemble_paths(&files, &ImportOptions::default(), None, Keep::First)?;
//! for (source, kept) in a.sources.iter().zip(a.sites_per_source()) {
//!     println!("{}: {kept} sites", source.path);
//! }
//! for c in &a.conflicts {
//!     println!("{} is in {} files", c.site_id, c.rows.len());
//! }
//! # Ok::<(), sitefold::inventory::AssembleError>(())
//! ```
//!
//! Each file is read by the importer on its own, with its own report
//! (rejected rows, bad cells, warnings: MODEL.md §1); then the sites of
//! every file are linked together ([`Inventory::link`]), so a site's parent
//! may be in another file. A parent found in another file is no longer an
//! unknown parent: the link problems (unknown parents, cycles, parents
//! below their child) and the populations clamped are worked out again
//! over all the files and reported in the file of the site concerned.
//!
//! The same `site_id` in two files is a [`Conflict`], listed field by
//! field, never resolved silently: one row is kept, by a rule for all
//! conflicts ([`Keep`]) or by the planner's choice per conflict
//! ([`Choice`]); every row left out is a warning in its file's report
//! naming the row kept and why. The kept row takes the place of the
//! site's first row, so the sites stay in the order of the files given
//! (the first file's sites first).
//!
//! "The newer inspection" ([`Keep::NewerInspection`]): inventory rows
//! carry no inspection date, so a row with an inspection (a result or a
//! score) is taken as newer than one without, and between rows that both
//! have one, or neither, the row of the file given later is the newer
//! (give the files oldest first). File times are not used: a file copied
//! or sent by mail gets a new one.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::i18n::Lang;

use super::columns::Column;
use super::derived::own_population;
use super::edit::cell_text;
use super::import::{ImportOptions, Imported};
use super::mapping::{ColumnMapping, Mapping};
use super::model::{Inventory, Site};
use super::report::{Finding, ImportReport, Issue, Severity};
use super::source::{ImportError, MAX_ROWS};

/// One file of an assembled inventory, as the project keeps it.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct SourceFile {
    /// The file, as the planner named it.
    pub path: String,
    /// The sites it gave to the inventory: its own, less those whose row
    /// in another file was kept.
    pub sites: usize,
    /// Its own import report (its rows rejected, its bad cells, its
    /// warnings, including the link problems of its sites found across
    /// all the files, and its rows left out for another file's).
    pub report: ImportReport,
    /// Its header, as found in it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub header: Vec<String>,
    /// The column of each of its headers (where later warnings about its
    /// sites point).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub mapping: ColumnMapping,
}

impl SourceFile {
    /// The encoding it was read in.
    pub fn encoding(&self) -> &str {
        &self.report.encoding
    }

    /// Data rows read (blank lines excluded).
    pub fn rows_read(&self) -> usize {
        self.report.rows_read
    }

    /// Sites its own import gave, before conflicts with other files.
    pub fn sites_imported(&self) -> usize {
        self.report.sites
    }
}

/// Which row to keep when a site is in several files, for every conflict.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Keep {
    /// The row of the file given first.
    #[default]
    First,
    /// The row of the file given last.
    Last,
    /// The row with the newer inspection: one with an inspection result
    /// or score over one without, then the file given later.
    NewerInspection,
}

impl Keep {
    /// Every rule.
    pub const ALL: [Keep; 3] = [Keep::First, Keep::Last, Keep::NewerInspection];

    /// The rule's key (`first`, `last`, `newer`), as the command line takes it.
    pub fn key(self) -> &'static str {
        match self {
            Keep::First => "first",
            Keep::Last => "last",
            Keep::NewerInspection => "newer",
        }
    }

    /// The rule of a key.
    pub fn parse(s: &str) -> Option<Keep> {
        Keep::ALL.into_iter().find(|k| k.key() == s.trim())
    }

    /// What it does, as a planner reads it.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Keep::First => lang.pick("保留先给出的文件中的行", "keep the first file's row"),
            Keep::Last => lang.pick("保留后给出的文件中的行", "keep the last file's row"),
            Keep::NewerInspection => lang.pick(
                "保留检查结果较新的行",
                "keep the row with the newer inspection",
            ),
        }
    }
}

/// What [`Finding::SiteConflict`] says of the planner's own choice.
const CHOSEN: &str = "chosen";

/// How a conflict was resolved, as a report's finding names it: a
/// [`Keep`] key or `chosen`, in `lang`.
pub fn choice_label(key: &str, lang: Lang) -> &'static str {
    match Keep::parse(key) {
        Some(k) => k.label(lang),
        None => lang.pick("规划人员选定", "chosen by the planner"),
    }
}

/// How one conflict is resolved.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Choice {
    /// By a rule.
    Rule(Keep),
    /// The planner chose this row (an index into [`Conflict::rows`]).
    Row(usize),
}

impl Choice {
    /// The key a report's finding keeps.
    fn key(self) -> &'static str {
        match self {
            Choice::Rule(k) => k.key(),
            Choice::Row(_) => CHOSEN,
        }
    }
}

/// One row of a site that is in several files.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConflictRow {
    /// The file (an index into the files given, and into
    /// [`Assembled::sources`]).
    pub file: usize,
    /// Its line (CSV) or row (workbook) there.
    pub line: u64,
    /// True when the row has an inspection result or score.
    pub has_inspection: bool,
    /// The stretch of sites it is in, and its position there.
    chunk: usize,
    at: usize,
}

/// A column whose value differs between the rows of a conflict.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldDiff {
    /// The column.
    pub column: Column,
    /// Its value in each row, as a planner would type it (empty when
    /// missing), in the order of [`Conflict::rows`].
    pub values: Vec<String>,
}

/// The same `site_id` in several files.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Conflict {
    /// The site.
    pub site_id: String,
    /// Its rows, in the order of the files (at least two).
    pub rows: Vec<ConflictRow>,
    /// The columns whose values differ, side by side (none: the rows say
    /// the same).
    pub fields: Vec<FieldDiff>,
}

impl Conflict {
    /// True when the rows say the same in every column.
    pub fn is_identical(&self) -> bool {
        self.fields.is_empty()
    }

    /// The row `keep` keeps (an index into [`Conflict::rows`]).
    pub fn pick(&self, keep: Keep) -> usize {
        let last = self.rows.len().saturating_sub(1);
        match keep {
            Keep::First => 0,
            Keep::Last => last,
            Keep::NewerInspection => self
                .rows
                .iter()
                .rposition(|r| r.has_inspection)
                .unwrap_or(last),
        }
    }

    /// The row `choice` keeps (a row that does not exist: the first).
    pub fn kept_by(&self, choice: Choice) -> usize {
        match choice {
            Choice::Rule(k) => self.pick(k),
            Choice::Row(r) if r < self.rows.len() => r,
            Choice::Row(_) => 0,
        }
    }
}

/// How a conflict was resolved.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Resolution {
    /// The row kept (an index into [`Conflict::rows`]).
    pub kept: usize,
    /// Why.
    pub choice: Choice,
}

/// Several files as one inventory.
#[derive(Clone, Debug)]
pub struct Assembled {
    /// The inventory: every file's sites, each once, linked together.
    /// Its report holds every file's issues, each naming its file
    /// ([`Issue::file`]), and counts them all.
    pub imported: Imported,
    /// The files, in the order given; each site's
    /// [`Site::source`](super::Site::source) is an index into it.
    pub sources: Vec<SourceFile>,
    /// The sites found in several files, in the order of their first row.
    pub conflicts: Vec<Conflict>,
    /// How each conflict was resolved (one per conflict, in order).
    pub resolutions: Vec<Resolution>,
}

impl Assembled {
    /// The sites each file gave, in the order of [`Assembled::sources`].
    pub fn sites_per_source(&self) -> Vec<usize> {
        self.sources.iter().map(|s| s.sites).collect()
    }
}

/// Why files could not be assembled at all.
#[derive(Debug, thiserror::Error)]
pub enum AssembleError {
    /// A file could not be imported (the error names it).
    #[error(transparent)]
    Import(#[from] ImportError),
    /// No file was given.
    #[error("no inventory file was given")]
    NoFiles,
    /// The files hold more sites than one inventory may.
    #[error("the {files} files hold {sites} sites, more than the {MAX_ROWS} one inventory may")]
    TooManySites {
        /// Sites in all the files.
        sites: usize,
        /// The files.
        files: usize,
    },
}

impl AssembleError {
    /// The message in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (AssembleError::Import(e), _) => e.message(lang),
            (e, Lang::En) => e.to_string(),
            (AssembleError::NoFiles, Lang::Zh) => "没有给出清单文件".to_string(),
            (AssembleError::TooManySites { sites, files }, Lang::Zh) => {
                format!("{files} 个文件共有 {sites} 个网站，超过一个清单最多可有的 {MAX_ROWS} 个")
            }
        }
    }
}

/// A column's position in a file and its header there.
type ColumnAt = Option<(usize, String)>;

/// One file of an assembly while it is made: its report and what is
/// known of its columns (for the issues found across files).
#[derive(Clone, Debug)]
struct FileInfo {
    name: String,
    report: ImportReport,
    header: Vec<String>,
    mapping: ColumnMapping,
    id_col: ColumnAt,
    parent_col: ColumnAt,
    pop_col: ColumnAt,
}

impl FileInfo {
    fn new(
        name: String,
        report: ImportReport,
        header: Vec<String>,
        mapping: ColumnMapping,
    ) -> FileInfo {
        let at = |c: Column| -> ColumnAt {
            let i = mapping.iter().position(|m| *m == Some(c))?;
            Some((i, header.get(i).cloned().unwrap_or_default()))
        };
        let (id_col, parent_col, pop_col) = (
            at(Column::SiteId),
            at(Column::ParentId),
            at(Column::Population),
        );
        FileInfo {
            name,
            report,
            header,
            mapping,
            id_col,
            parent_col,
            pop_col,
        }
    }

    /// A warning about the site `id` on `line` of this file, in `col`.
    fn issue(line: u64, id: &str, col: &ColumnAt, finding: Finding) -> Issue {
        Issue {
            severity: Severity::Warning,
            line,
            column: col.as_ref().map(|c| c.0 + 1),
            header: col.as_ref().map(|c| c.1.clone()),
            site_id: Some(id.to_string()),
            finding,
            raw: None,
            file: None,
        }
    }
}

/// Files read and their conflicts found, before the conflicts are
/// resolved: [`Gathered::conflicts`] to show them, then
/// [`Gathered::finish`] with a choice for each, or
/// [`Gathered::finish_with`] with one rule for all.
#[derive(Clone, Debug)]
pub struct Gathered {
    /// Every file, in order (an inventory's own first when adding to it).
    files: Vec<FileInfo>,
    /// The sites, in stretches: an inventory's own (its sites from any of
    /// its files, in its order), then one per file added.
    chunks: Vec<Vec<Site>>,
    conflicts: Vec<Conflict>,
}

impl Gathered {
    /// Takes imported files (in the order given) and finds the sites that
    /// are in more than one. Fails when there are none, or when they hold
    /// more sites than one inventory may.
    pub fn new(files: Vec<Imported>) -> Result<Gathered, AssembleError> {
        if files.is_empty() {
            return Err(AssembleError::NoFiles);
        }
        Gathered::build(Vec::new(), Vec::new(), files)
    }

    /// An inventory with more files added to it: `base` (its sites with
    /// their own inspection fields) read from `sources` (empty: from the
    /// one file its report names), then `files`. Its sites keep their
    /// places, and a site of an added file already in it is a conflict
    /// whose first row is the inventory's.
    pub fn adding(
        base: Imported,
        sources: Vec<SourceFile>,
        files: Vec<Imported>,
    ) -> Result<Gathered, AssembleError> {
        let Imported {
            inventory,
            report,
            header,
            mapping,
        } = base;
        let mut infos: Vec<FileInfo> = if sources.is_empty() {
            vec![FileInfo::new(
                report.source.clone(),
                report,
                header,
                mapping,
            )]
        } else {
            sources
                .into_iter()
                .map(|s| FileInfo::new(s.path, s.report, s.header, s.mapping))
                .collect()
        };
        let last = infos.len() - 1;
        let source_of = |s: &Site| (s.source as usize).min(last);
        let (_, clamped) = own_population(&inventory);
        for (f, info) in infos.iter_mut().enumerate() {
            let clamps = clamped
                .iter()
                .filter(|(i, _)| source_of(inventory.site(*i)) == f)
                .count();
            strip_link_findings(&mut info.report, &inventory, clamps, |s| source_of(s) == f);
        }
        let mut sites = inventory.into_sites();
        for s in &mut sites {
            s.source = source_of(s) as u32;
            s.parent = None;
        }
        Gathered::build(infos, vec![sites], files)
    }

    /// Adds `files` to the files and stretches of sites already there,
    /// and finds the conflicts.
    fn build(
        mut infos: Vec<FileInfo>,
        mut chunks: Vec<Vec<Site>>,
        files: Vec<Imported>,
    ) -> Result<Gathered, AssembleError> {
        let total: usize = chunks.iter().map(Vec::len).sum::<usize>()
            + files.iter().map(|f| f.inventory.len()).sum::<usize>();
        if total > MAX_ROWS {
            return Err(AssembleError::TooManySites {
                sites: total,
                files: infos.len() + files.len(),
            });
        }
        for imported in files {
            let source = u32::try_from(infos.len()).unwrap_or(u32::MAX);
            let Imported {
                inventory,
                mut report,
                header,
                mapping,
            } = imported;
            let clamps = own_population(&inventory).1.len();
            strip_link_findings(&mut report, &inventory, clamps, |_| true);
            let mut sites = inventory.into_sites();
            for s in &mut sites {
                s.source = source;
                s.parent = None;
            }
            infos.push(FileInfo::new(
                report.source.clone(),
                report,
                header,
                mapping,
            ));
            chunks.push(sites);
        }
        let conflicts = find_conflicts(&chunks, total);
        Ok(Gathered {
            files: infos,
            chunks,
            conflicts,
        })
    }

    /// The sites found in more than one file, in the order of their
    /// first row.
    pub fn conflicts(&self) -> &[Conflict] {
        &self.conflicts
    }

    /// The files' names, in the order given.
    pub fn file_names(&self) -> Vec<&str> {
        self.files.iter().map(|p| p.name.as_str()).collect()
    }

    /// The site of a conflict's row, as read from its file.
    pub fn row_site(&self, row: &ConflictRow) -> Option<&Site> {
        self.chunks.get(row.chunk)?.get(row.at)
    }

    /// Resolves every conflict by `keep` and assembles the inventory.
    pub fn finish_with(self, keep: Keep) -> Assembled {
        let choices = vec![Choice::Rule(keep); self.conflicts.len()];
        self.finish(&choices)
    }
}

/// The kinds ([`Finding::kind`]) of the findings that linking and the
/// populations give: unknown parent, cycle, parent below its child,
/// population clamped.
const LINK_FINDINGS: [usize; 4] = [11, 12, 13, 14];

fn is_link_finding(f: &Finding) -> bool {
    LINK_FINDINGS.contains(&f.kind())
}

/// Takes out of a file's report the findings that linking all the files
/// together works out again (unknown parents, cycles, parents below their
/// child, populations clamped), with the note of issues not listed, and
/// takes those of them that were only counted out of the counts. `inv`
/// is what they were found in, `mine` tells the file's sites in it, and
/// `clamps` is how many of them had their population clamped.
fn strip_link_findings(
    report: &mut ImportReport,
    inv: &Inventory,
    clamps: usize,
    mine: impl Fn(&Site) -> bool,
) {
    let sites = inv.sites();
    // How many of each were found: [unknown parents, cycles, inversions,
    // clamps], as LINK_FINDINGS orders them.
    let mut found = [0usize, 0, 0, clamps];
    for s in sites.iter().filter(|s| mine(s)) {
        let pid = s.parent_id.trim();
        match s.parent_index() {
            Some(p) if sites[p].level > s.level => found[2] += 1,
            Some(_) => {}
            None if pid.is_empty() => {}
            // A parent that exists but was cut: the member of a cycle
            // made a top site.
            None if inv.find(pid).is_some() => found[1] += 1,
            None => found[0] += 1,
        }
    }
    let mut listed = [0usize; 4];
    for issue in &report.issues {
        if let Some(k) = LINK_FINDINGS
            .iter()
            .position(|&k| k == issue.finding.kind())
        {
            listed[k] += 1;
        }
    }
    let counted_only: usize = (0..4).map(|k| found[k].saturating_sub(listed[k])).sum();
    let warnings = &mut report.unlisted[Severity::Warning as usize];
    *warnings = warnings.saturating_sub(counted_only);
    report.issues.retain(|i| {
        !is_link_finding(&i.finding) && !matches!(i.finding, Finding::NotListed { .. })
    });
    for k in LINK_FINDINGS {
        report.listed[k] = 0;
    }
}

/// The sites that are in more than one stretch, in the order of their
/// first row.
fn find_conflicts(chunks: &[Vec<Site>], total: usize) -> Vec<Conflict> {
    type Map<'a, V> = std::collections::HashMap<&'a str, V, rustc_hash::FxBuildHasher>;
    let mut first: Map<(usize, usize)> = Map::with_capacity_and_hasher(total, Default::default());
    let mut conflict_of: Map<usize> = Map::default();
    let mut found: Vec<Vec<(usize, usize)>> = Vec::new();
    for (c, chunk) in chunks.iter().enumerate() {
        for (i, site) in chunk.iter().enumerate() {
            match first.entry(site.id.as_str()) {
                std::collections::hash_map::Entry::Vacant(e) => {
                    e.insert((c, i));
                }
                std::collections::hash_map::Entry::Occupied(e) => {
                    match conflict_of.get(site.id.as_str()) {
                        Some(&k) => found[k].push((c, i)),
                        None => {
                            conflict_of.insert(site.id.as_str(), found.len());
                            found.push(vec![*e.get(), (c, i)]);
                        }
                    }
                }
            }
        }
    }
    found.sort_by_key(|rows| rows[0]);
    found
        .into_iter()
        .map(|rows| conflict(chunks, &rows))
        .collect()
}

/// The conflict of the rows (stretch, position) of one site.
fn conflict(chunks: &[Vec<Site>], rows: &[(usize, usize)]) -> Conflict {
    let sites: Vec<&Site> = rows.iter().map(|&(c, i)| &chunks[c][i]).collect();
    let fields = Column::ALL
        .iter()
        .filter(|&&c| c != Column::SiteId)
        .filter_map(|&c| {
            let values: Vec<String> = sites.iter().map(|s| cell_text(s, c, Lang::En)).collect();
            let differ = values.iter().any(|v| *v != values[0]);
            differ.then_some(FieldDiff { column: c, values })
        })
        .collect();
    Conflict {
        site_id: sites[0].id.to_string(),
        rows: rows
            .iter()
            .zip(&sites)
            .map(|(&(chunk, at), s)| ConflictRow {
                file: s.source as usize,
                line: s.line,
                has_inspection: s.inspection_passed.is_some() || s.inspection_score.is_some(),
                chunk,
                at,
            })
            .collect(),
        fields,
    }
}

/// The name of several files together, for the combined report's source.
fn combined_name(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [one] => one.to_string(),
        [_, _] | [_, _, _] => names.join(" + "),
        [first, .., last] => format!("{first} + … + {last} [{}]", names.len()),
    }
}

impl Gathered {
    /// Resolves conflict `k` by `choices[k]` (the first row when there
    /// are fewer choices than conflicts) and assembles the inventory.
    pub fn finish(self, choices: &[Choice]) -> Assembled {
        let Gathered {
            mut files,
            chunks,
            conflicts,
        } = self;
        let resolutions: Vec<Resolution> = conflicts
            .iter()
            .enumerate()
            .map(|(k, c)| {
                let choice = choices.get(k).copied().unwrap_or(Choice::Rule(Keep::First));
                Resolution {
                    kept: c.kept_by(choice),
                    choice,
                }
            })
            .collect();
        // Every site in its slot; a row left out empties its slot, and a
        // kept row moves to the slot of the site's first row.
        let mut slots: Vec<Vec<Option<Site>>> = chunks
            .into_iter()
            .map(|c| c.into_iter().map(Some).collect())
            .collect();
        for (c, r) in conflicts.iter().zip(&resolutions) {
            let kept = &c.rows[r.kept];
            let site = slots[kept.chunk][kept.at].take();
            for row in &c.rows {
                slots[row.chunk][row.at] = None;
            }
            let first = &c.rows[0];
            slots[first.chunk][first.at] = site;
        }
        let sites: Vec<Site> = slots.into_iter().flatten().flatten().collect();
        let (inventory, problems) = Inventory::link(sites);
        let sites = inventory.sites();
        let last = files.len() - 1;
        let source_of = |s: &Site| (s.source as usize).min(last);
        // What linking all the files found, in the file of the site concerned.
        for (i, finding) in super::import::link_findings(&inventory, problems) {
            let s = &sites[i];
            let file = &mut files[source_of(s)];
            let issue = FileInfo::issue(s.line, &s.id, &file.parent_col, finding);
            file.report.add(issue);
        }
        for (i, children) in own_population(&inventory).1 {
            let s = &sites[i];
            let file = &mut files[source_of(s)];
            let finding = Finding::PopulationClamped {
                population: s.population,
                children,
            };
            let issue = FileInfo::issue(s.line, &s.id, &file.pop_col, finding);
            file.report.add(issue);
        }
        // Every row left out, in its file, naming the row kept.
        for (c, r) in conflicts.iter().zip(&resolutions) {
            let kept = &c.rows[r.kept];
            let finding = Finding::SiteConflict {
                id: c.site_id.clone(),
                kept_file: files[kept.file.min(last)].name.clone(),
                kept_line: kept.line,
                fields: c
                    .fields
                    .iter()
                    .map(|d| d.column.key().to_string())
                    .collect(),
                choice: r.choice.key().to_string(),
            };
            for (k, row) in c.rows.iter().enumerate() {
                if k == r.kept {
                    continue;
                }
                let file = &mut files[row.file.min(last)];
                let issue = FileInfo::issue(row.line, &c.site_id, &file.id_col, finding.clone());
                file.report.add(issue);
            }
        }
        let mut given = vec![0usize; files.len()];
        for s in sites {
            given[source_of(s)] += 1;
        }
        for file in &mut files {
            file.report.note_unlisted();
            file.report.issues.sort_by_key(|i| i.line);
        }
        let report = combined_report(&files, inventory.len());
        let (header, mapping) = if let [one] = files.as_slice() {
            (one.header.clone(), one.mapping.clone())
        } else {
            (
                Column::ALL.iter().map(|c| c.key().to_string()).collect(),
                Column::ALL.iter().map(|&c| Some(c)).collect(),
            )
        };
        let sources = files
            .into_iter()
            .zip(given)
            .map(|(f, sites)| SourceFile {
                path: f.name,
                sites,
                report: f.report,
                header: f.header,
                mapping: f.mapping,
            })
            .collect();
        Assembled {
            imported: Imported {
                inventory,
                report,
                header,
                mapping,
            },
            sources,
            conflicts,
            resolutions,
        }
    }
}

/// One report for all the files: every file's issues, each naming its
/// file (one file: its own report), and every count summed.
fn combined_report(files: &[FileInfo], sites: usize) -> ImportReport {
    if let [one] = files {
        let mut report = one.report.clone();
        report.sites = sites;
        return report;
    }
    let names: Vec<&str> = files.iter().map(|p| p.name.as_str()).collect();
    let mut encodings: Vec<&str> = Vec::new();
    for p in files {
        if !encodings.contains(&p.report.encoding.as_str()) {
            encodings.push(&p.report.encoding);
        }
    }
    let mut report = ImportReport {
        source: combined_name(&names),
        rows_read: files.iter().map(|p| p.report.rows_read).sum(),
        sites,
        encoding: encodings.join(", "),
        location_is_row: files.iter().all(|p| p.report.location_is_row),
        ..Default::default()
    };
    report
        .issues
        .reserve(files.iter().map(|p| p.report.issues.len()).sum());
    for p in files {
        for k in 0..4 {
            report.unlisted[k] += p.report.unlisted[k];
        }
        for k in 0..Finding::KINDS {
            report.listed[k] += p.report.listed[k];
        }
        report.issues.extend(p.report.issues.iter().map(|i| Issue {
            file: Some(p.name.clone()),
            ..i.clone()
        }));
    }
    report
}

/// Reads inventory files (CSV in any encoding §1 accepts, or workbooks),
/// several at a time. `opts` applies to every file (the sheet of a
/// workbook); `mapping`, when given, reads the files whose own headers
/// lack a required column (its columns and its value maps), and lends its
/// value maps to the others, which are read by their own headers. The
/// first file (in the order given) that cannot be read fails them all.
pub fn read_files(
    paths: &[PathBuf],
    opts: &ImportOptions,
    mapping: Option<&Mapping>,
) -> Result<Vec<Imported>, ImportError> {
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(paths.len())
        .max(1);
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut results: Vec<Option<Result<Imported, ImportError>>> =
        std::iter::repeat_with(|| None).take(paths.len()).collect();
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let k = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(path) = paths.get(k) else {
                            break;
                        };
                        done.push((k, read_one(path, opts, mapping)));
                    }
                    done
                })
            })
            .collect();
        for h in handles {
            // A worker that panicked leaves its files unread (reported
            // below as unreadable).
            if let Ok(done) = h.join() {
                for (k, r) in done {
                    results[k] = Some(r);
                }
            }
        }
    });
    results
        .into_iter()
        .zip(paths)
        .map(|(r, path)| {
            r.unwrap_or_else(|| {
                Err(ImportError::Io {
                    path: path.display().to_string(),
                    source: std::io::Error::other("the file could not be read"),
                })
            })
        })
        .collect()
}

/// One file of [`read_files`].
fn read_one(
    path: &Path,
    opts: &ImportOptions,
    mapping: Option<&Mapping>,
) -> Result<Imported, ImportError> {
    let Some(m) = mapping else {
        return super::open::import_path(path, opts);
    };
    let bytes = super::source::read_file(path)?;
    let mut own = opts.clone();
    own.mapping = None;
    own.values = m.values.clone();
    match super::open::import_file_bytes(&bytes, path, &own) {
        Err(ImportError::MissingColumns { .. }) if !m.columns.is_empty() => {
            own.mapping = Some(m.columns.clone());
            super::open::import_file_bytes(&bytes, path, &own)
        }
        r => r,
    }
}

/// Reads the files ([`read_files`]) and assembles them, every conflict
/// resolved by `keep`.
pub fn assemble_paths(
    paths: &[PathBuf],
    opts: &ImportOptions,
    mapping: Option<&Mapping>,
    keep: Keep,
) -> Result<Assembled, AssembleError> {
    let files = read_files(paths, opts, mapping)?;
    Ok(Gathered::new(files)?.finish_with(keep))
}

/// Assembles imported files (in the order given), every conflict
/// resolved by `keep`.
pub fn assemble(files: Vec<Imported>, keep: Keep) -> Result<Assembled, AssembleError> {
    Ok(Gathered::new(files)?.finish_with(keep))
}
