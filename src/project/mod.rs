//! Project files (`.sitefold`): a planner's whole work in one
//! self-contained file, to come back to tomorrow or hand to a colleague.
//!
//! A project holds the inventory snapshot (the sites as imported, the
//! original header and column mapping, and the import report, so the
//! report survives without the original file), the manual decisions (by
//! site id, not position), the rules, the parameters, the plan-file
//! problems, the UI language, named scenarios, and when it was created and
//! last saved.
//!
//! # Format (version 2)
//!
//! An SQLite database (see [`store`] and the README's "Project file
//! format" section for every table): `PRAGMA application_id` is
//! [`store::APPLICATION_ID`] and `PRAGMA user_version` the format version,
//! so a file is recognised (or refused) from its first 100 bytes; the
//! `meta` table repeats both (`format = 'sitefold-project'`,
//! `version = 2`). Sites are rows with real columns (money as exact
//! decimal text, scores as 8-byte floats, a missing value as NULL);
//! decisions, notes and closure quarters are rows keyed by site id; status
//! changes and the audit trail are rows in order; rules, parameters and
//! the import report are JSON text in `meta`.
//!
//! A project open in a window is written in place, one transaction per
//! save, writing only what changed ([`ProjectStore`]); a crash mid-save
//! leaves the previous save, and the file is locked against a second
//! writer while the window has it.
//!
//! An inventory assembled from several files (`sitefold assemble`) also
//! keeps its sources: each file's name, the sites it gave and its own
//! import report, and each site's file.
//!
//! # Versions
//!
//! [`VERSION`] is the version written. [`open_project`] reads every
//! version up to it: versions 0 and 1 were one JSON object whose first
//! two keys are `"format": "sitefold-project"` and `"version": N`; they are
//! read with their own types ([`migrate`]) and become version 2 when
//! saved. A newer version is refused with a message asking for a newer
//! Sitefold. Version 1 stored the sites column by column; version 0
//! (early builds) stored sites as objects, manual decisions by position,
//! and no report, mapping, scenarios, language or timestamps.
//!
//! # Modules
//!
//! `model` holds what a project is; `store` writes and reads version 2
//! (SQLite) and locks a project against a second writer; `format` writes
//! and reads version 1;
//! `site_columns` stores the sites column by column with exact numbers;
//! `recheck` checks saved sites as an import checks a file; `migration`
//! reads any version and takes older ones forward; `sniff` recognises a
//! project from its name or first bytes; `file` opens and saves the file
//! on disk; `error` says why that failed.

mod error;
mod file;
mod format;
mod migration;
mod model;
mod recheck;
mod site_columns;
mod sniff;
pub mod store;
mod view;

pub use crate::time::now_rfc3339;
pub use error::ProjectError;
pub use file::{FileStamp, open_project, save_project};
pub use format::to_bytes;
pub use migration::{from_bytes, migrate};
pub use model::{
    ManualDecision, Project, Scenario, ScheduledSite, SiteNote, Snapshot, manual_by_id,
    manual_by_index, schedule_by_id, schedule_by_index,
};
pub use sniff::is_project_path;
pub use store::{ProjectStore, SaveStats};
pub use view::ProjectView;

/// The value of the `format` key.
pub const FORMAT: &str = "sitefold-project";
/// The version this build writes, and the newest it reads.
pub const VERSION: u32 = 2;
/// The file extension, without the dot.
pub const EXTENSION: &str = "sitefold";
/// Largest project file opened (2 GiB).
pub const MAX_PROJECT_BYTES: u64 = 2 << 30;
/// Most named scenarios a project holds (each is a whole plan; a planner
/// compares a handful): a file that holds more is refused, and those past
/// the limit are skipped unread, so memory stays bounded.
pub const MAX_SCENARIOS: usize = 10_000;
