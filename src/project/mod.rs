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
//! # Format (version 1)
//!
//! One compact UTF-8 JSON object whose first two keys are always
//! `"format": "sitefold-project"` and `"version": 1`, so that any file can
//! be recognised (or refused) from its first bytes:
//!
//! ```text
//! {"format":"sitefold-project","version":1,"saved_by":"sitefold 0.1.0",
//!  "created":"2026-01-05T08:00:00Z","saved":"2026-01-06T17:30:12Z","lang":"zh",
//!  "inventory":{"header":[…],"mapping":["site_id",null,…],"report":{…},
//!               "sites":{"count":N,"id":[…],"name":[…],"level":["province",…],…}},
//!  "manual":[{"site_id":"T1","decision":"merge","target_id":"C1"},…],
//!  "rules":{"rules":[…]},"params":{…},"plan_errors":0,"file_issues":[…],
//!  "scenarios":[{"name":"…","manual":[…],"rules":{…},"params":{…}}],
//!  "schedule":[{"site_id":"T1","quarter":"2027Q2"},…]}
//! ```
//!
//! An inventory assembled from several files (`sitefold assemble`) also
//! keeps `"sources"`: each file's name, the sites it gave and its own
//! import report; its sites then have a `"source"` column (the index of
//! their file in that list). Both are left out for one file.
//!
//! Sites are stored column by column (one array per field, all `count`
//! long), which keeps 100,000 sites to about 20 MB and makes a missing
//! column (from an older or newer writer) default cleanly. Fractional
//! numbers that JSON readers might not read back to the same bits (more
//! than 15 significant digits) are written as strings, so a round trip is
//! exact. Unknown keys are ignored, so a later version 1 writer can add
//! fields that this reader skips.
//!
//! # Versions
//!
//! [`VERSION`] is the version written. [`open_project`] reads every
//! version up to it and takes older ones forward ([`migrate`]); a newer
//! one is refused with a message asking for a newer Sitefold. Version 0
//! (early builds) stored sites as objects, manual decisions by position,
//! and no report, mapping, scenarios, language or timestamps.
//!
//! Saves are atomic ([`crate::atomic`]: a temporary file beside the target, then a rename):
//! a failed save leaves the previous file as it was.
//!
//! # Modules
//!
//! `model` holds what a project is; `format` writes and reads version 1;
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

/// The value of the `format` key.
pub const FORMAT: &str = "sitefold-project";
/// The version this build writes, and the newest it reads.
pub const VERSION: u32 = 1;
/// The file extension, without the dot.
pub const EXTENSION: &str = "sitefold";
/// Largest project file opened (2 GiB).
pub const MAX_PROJECT_BYTES: u64 = 2 << 30;
/// Most named scenarios a project holds (each is a whole plan; a planner
/// compares a handful): a file that holds more is refused, and those past
/// the limit are skipped unread, so memory stays bounded.
pub const MAX_SCENARIOS: usize = 10_000;
