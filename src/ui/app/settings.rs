//! What the app remembers across runs.

use std::path::PathBuf;

use crate::i18n::Lang;
use crate::inventory::{Column, ValueMaps};

use crate::ui::command::Tab;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// What is remembered across runs.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Interface language.
    pub lang: Lang,
    /// Recently opened files, newest first.
    pub recent: Vec<PathBuf>,
    /// Column mappings chosen by the planner, by header signature.
    pub mappings: BTreeMap<String, Vec<Option<Column>>>,
    /// The value maps of those mappings, by the same signature (apart, so
    /// that settings of older versions load; see `remembered`).
    pub mapping_values: BTreeMap<String, ValueMaps>,
    /// The central tab.
    pub tab: Tab,
    /// The inventory table's columns right of the frozen id and name
    /// (empty: the default ones).
    #[serde(default)]
    pub table_columns: Vec<crate::ui::table::TableCol>,
    /// The name recorded with the planner's changes (audit trail, status
    /// changes); empty: the account name.
    #[serde(default)]
    pub person: String,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            lang: Lang::from_environment(),
            recent: Vec::new(),
            mappings: BTreeMap::new(),
            mapping_values: BTreeMap::new(),
            tab: Tab::Inventory,
            table_columns: Vec::new(),
            person: String::new(),
        }
    }
}

/// Most recent files remembered.
pub(super) const MAX_RECENT: usize = 10;

/// The key under which a header's mapping is remembered.
pub fn header_signature(header: &[String]) -> String {
    header.join("\u{1f}")
}
