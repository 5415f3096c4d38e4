//! Sitefold: plan the consolidation of government websites.
//!
//! The core (`inventory`, `plan`, `outcome`, `export`) knows nothing of the
//! user interface; the command line and the desktop app call the same
//! functions.

pub mod diag;
pub mod i18n;
pub mod inventory;
pub mod outcome;
pub mod plan;
