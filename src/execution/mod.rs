//! Carrying the plan out (issue #15): each closing site's progress through
//! the official procedure, the audit trail of who decided what, and the
//! settings of the redirect map and closure notices.
//!
//! The core knows nothing of the app: the command line and the app record
//! into the same [`Execution`], which a project saves with the plan.
//!
//! - `workflow`: the statuses a closure moves through (editable per
//!   project; the defaults follow the General Office's procedure);
//! - `tracking`: status changes (date, person, note) and each site's
//!   progress (done, in progress, overdue);
//! - `audit`: every decision, schedule and status change with its time,
//!   person and reason;
//! - `status_file`: progress sheets sent back by prefectures, every line
//!   recorded or reported;
//! - `report`: the progress as text, CSV and JSON.

pub mod audit;
pub mod date;
pub mod notices;
pub mod placeholders;
pub mod redirects;
pub mod report;
pub mod status_file;
pub mod tracking;
pub mod workflow;

use serde::{Deserialize, Serialize};

pub use audit::{AuditAction, AuditEntry};
pub use date::Date;
pub use report::{ProgressReport, progress_report};
pub use status_file::{
    SheetContext, StatusFileError, StatusSheet, one_change, parse_status_table, read_status_file,
};
pub use tracking::StatusChange;
pub use workflow::{Stage, Workflow};

/// The default pattern of a redirect's new address: the receiving site's
/// own address (see the redirect map).
pub const DEFAULT_REDIRECT_PATTERN: &str = "{target_url}";

/// What a project records about carrying its plan out.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Execution {
    /// The statuses a closure moves through.
    #[serde(default)]
    pub workflow: Workflow,
    /// Every status change, oldest first (the last one of a site is its
    /// status).
    #[serde(default)]
    pub statuses: Vec<StatusChange>,
    /// Every recorded decision, schedule and status change, oldest first.
    #[serde(default)]
    pub audit: Vec<AuditEntry>,
    /// The new address of a closed site's old one: `{target_url}` and
    /// the other placeholders of the redirect map; empty for the default.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub redirect_pattern: String,
    /// The closure notice's template; empty for the default of the
    /// language the notice is written in.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub notice_template: String,
}

impl Execution {
    /// The redirect pattern in force.
    pub fn redirect_pattern(&self) -> &str {
        if self.redirect_pattern.trim().is_empty() {
            DEFAULT_REDIRECT_PATTERN
        } else {
            &self.redirect_pattern
        }
    }
}

/// The person recorded with a change when none is given: the account
/// name the system gives, or "unknown".
pub fn default_person() -> String {
    crate::platform::user_name().unwrap_or_else(|| "unknown".to_string())
}
