//! How a planner says what a file holds: the column of each header and,
//! for the columns with a fixed set of values, what the file's own words
//! mean (`State` → province). A [`Mapping`] is plain data: the app keeps
//! remembered ones in its settings, and it reads and writes as TOML:
//!
//! ```toml
//! columns = ["site_id", "name", "level", "", "parent_id"]   # "" = ignored
//!
//! [values.level]
//! State = "province"
//! Local = "county"
//! Federal = "national"
//!
//! [values.inspection_passed]
//! OK = true
//! ```
//!
//! The importer reads a cell through its column's value map first and its
//! own aliases (`省`, `county`, `2` …) after; a value neither knows is
//! reported as before, with its line and column.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use crate::i18n::Lang;

use super::columns::Column;
use super::model::{Kind, Level};
use super::values;

/// Which column each header position holds (`None`: ignored).
pub type ColumnMapping = Vec<Option<Column>>;

/// The columns whose values a planner can map, in the order shown.
pub const VALUE_COLUMNS: [Column; 3] = [Column::Level, Column::Kind, Column::InspectionPassed];

/// A file's mapping: the column of each header, and value maps.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Mapping {
    /// The column of each header position (`None`: ignored). Written as
    /// column keys, `""` for an ignored header (TOML has no null); read
    /// from keys or any header alias of a column.
    #[serde(with = "column_list")]
    pub columns: ColumnMapping,
    /// What the file's own values mean.
    #[serde(skip_serializing_if = "ValueMaps::is_empty")]
    pub values: ValueMaps,
}

impl From<ColumnMapping> for Mapping {
    fn from(columns: ColumnMapping) -> Self {
        Mapping {
            columns,
            values: ValueMaps::default(),
        }
    }
}

impl Mapping {
    /// Reads a mapping from TOML text (see the module's example).
    pub fn from_toml(text: &str) -> Result<Mapping, toml::de::Error> {
        toml::from_str(text)
    }

    /// The mapping as TOML text.
    pub fn to_toml(&self) -> Result<String, toml::ser::Error> {
        toml::to_string(self)
    }
}

/// What a value written in a file stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MappedValue {
    /// A level.
    Level(Level),
    /// A kind of site.
    Kind(Kind),
    /// An inspection result: passed (true) or failed.
    Passed(bool),
}

impl MappedValue {
    /// Every value a cell of `column` can stand for (none for a column
    /// without a value map).
    pub fn choices(column: Column) -> Vec<MappedValue> {
        match column {
            Column::Level => Level::ALL.into_iter().map(MappedValue::Level).collect(),
            Column::Kind => Kind::ALL.into_iter().map(MappedValue::Kind).collect(),
            Column::InspectionPassed => vec![MappedValue::Passed(true), MappedValue::Passed(false)],
            _ => Vec::new(),
        }
    }

    /// What the importer makes of `raw` in `column` without a value map.
    pub fn recognised(column: Column, raw: &str) -> Option<MappedValue> {
        match column {
            Column::Level => values::parse_level(raw).map(MappedValue::Level),
            Column::Kind => values::parse_kind(raw).map(MappedValue::Kind),
            Column::InspectionPassed => values::parse_bool(raw).map(MappedValue::Passed),
            _ => None,
        }
    }

    /// The name a planner reads in either language, the Chinese with the
    /// English key beside it (`省级 province`), as columns are offered.
    pub fn label(self) -> String {
        match self {
            MappedValue::Level(l) => format!("{} {}", l.label(Lang::Zh), l.key()),
            MappedValue::Kind(k) => format!("{} {}", k.label(Lang::Zh), k.key()),
            MappedValue::Passed(true) => "合格 pass".to_string(),
            MappedValue::Passed(false) => "不合格 fail".to_string(),
        }
    }
}

/// Values as written in a file → what they mean, one map per column. Keys
/// are kept as the planner wrote them (trimmed) and match cells ignoring
/// case and surrounding white space.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ValueMaps {
    /// Levels (`State = "province"`); values are read like level cells
    /// (`省`, `province`, `1`).
    #[serde(skip_serializing_if = "BTreeMap::is_empty", with = "level_map")]
    pub level: BTreeMap<String, Level>,
    /// Kinds (`Agency = "department"`).
    #[serde(skip_serializing_if = "BTreeMap::is_empty", with = "kind_map")]
    pub kind: BTreeMap<String, Kind>,
    /// Inspection results (`OK = true`).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub inspection_passed: BTreeMap<String, bool>,
}

impl ValueMaps {
    /// True when no value is mapped.
    pub fn is_empty(&self) -> bool {
        self.level.is_empty() && self.kind.is_empty() && self.inspection_passed.is_empty()
    }

    /// What `raw` in `column` is mapped to, if anything.
    pub fn get(&self, column: Column, raw: &str) -> Option<MappedValue> {
        fn find<V: Copy>(m: &BTreeMap<String, V>, k: &str) -> Option<V> {
            m.iter()
                .find(|(key, _)| value_key(key) == k)
                .map(|(_, &v)| v)
        }
        let k = value_key(raw);
        match column {
            Column::Level => find(&self.level, &k).map(MappedValue::Level),
            Column::Kind => find(&self.kind, &k).map(MappedValue::Kind),
            Column::InspectionPassed => find(&self.inspection_passed, &k).map(MappedValue::Passed),
            _ => None,
        }
    }

    /// Maps `raw` (trimmed) in `column` to `value`, replacing any entry for
    /// the same value in another case; `None` removes the entry. A value of
    /// the wrong kind for the column (a level for the kind column) is
    /// ignored.
    pub fn set(&mut self, column: Column, raw: &str, value: Option<MappedValue>) {
        let k = value_key(raw);
        let raw = raw.trim().to_string();
        match (column, value) {
            (Column::Level, v) => {
                self.level.retain(|key, _| value_key(key) != k);
                if let Some(MappedValue::Level(l)) = v {
                    self.level.insert(raw, l);
                }
            }
            (Column::Kind, v) => {
                self.kind.retain(|key, _| value_key(key) != k);
                if let Some(MappedValue::Kind(x)) = v {
                    self.kind.insert(raw, x);
                }
            }
            (Column::InspectionPassed, v) => {
                self.inspection_passed.retain(|key, _| value_key(key) != k);
                if let Some(MappedValue::Passed(b)) = v {
                    self.inspection_passed.insert(raw, b);
                }
            }
            _ => {}
        }
    }

    /// The entries of `column`'s map, as written.
    pub fn entries(&self, column: Column) -> Vec<(String, MappedValue)> {
        match column {
            Column::Level => self
                .level
                .iter()
                .map(|(k, &v)| (k.clone(), MappedValue::Level(v)))
                .collect(),
            Column::Kind => self
                .kind
                .iter()
                .map(|(k, &v)| (k.clone(), MappedValue::Kind(v)))
                .collect(),
            Column::InspectionPassed => self
                .inspection_passed
                .iter()
                .map(|(k, &v)| (k.clone(), MappedValue::Passed(v)))
                .collect(),
            _ => Vec::new(),
        }
    }

    /// What `raw` in `column` reads as: its mapped value, else what the
    /// importer recognises.
    pub fn read(&self, column: Column, raw: &str) -> Option<MappedValue> {
        self.get(column, raw)
            .or_else(|| MappedValue::recognised(column, raw))
    }
}

/// A value as value maps match it: trimmed and lower-cased.
pub fn value_key(raw: &str) -> String {
    raw.trim().to_lowercase()
}

/// [`value_key`], borrowed when nothing needs lowering (the importer looks
/// up every row).
fn value_key_cow(raw: &str) -> Cow<'_, str> {
    let t = raw.trim();
    if t.chars().any(char::is_uppercase) {
        Cow::Owned(t.to_lowercase())
    } else {
        Cow::Borrowed(t)
    }
}

type KeyMap<V> = HashMap<String, V, rustc_hash::FxBuildHasher>;

/// Value maps as the importer looks cells up in them: by [`value_key`].
#[derive(Clone, Debug, Default)]
pub(crate) struct ValueLookup {
    level: KeyMap<Level>,
    kind: KeyMap<Kind>,
    passed: KeyMap<bool>,
}

impl ValueLookup {
    /// The lookup for `maps`.
    pub(crate) fn new(maps: &ValueMaps) -> Self {
        fn keyed<V: Copy>(m: &BTreeMap<String, V>) -> KeyMap<V> {
            m.iter().map(|(k, &v)| (value_key(k), v)).collect()
        }
        ValueLookup {
            level: keyed(&maps.level),
            kind: keyed(&maps.kind),
            passed: keyed(&maps.inspection_passed),
        }
    }

    /// The level a (non-empty) cell stands for: mapped, else recognised.
    pub(crate) fn level(&self, raw: &str) -> Option<Level> {
        lookup(&self.level, raw).or_else(|| values::parse_level(raw))
    }

    /// The kind a (non-empty) cell stands for: mapped, else recognised.
    pub(crate) fn kind(&self, raw: &str) -> Option<Kind> {
        lookup(&self.kind, raw).or_else(|| values::parse_kind(raw))
    }

    /// The yes/no a (non-empty) cell stands for: mapped, else recognised.
    pub(crate) fn passed(&self, raw: &str) -> Option<bool> {
        lookup(&self.passed, raw).or_else(|| values::parse_bool(raw))
    }
}

fn lookup<V: Copy>(map: &KeyMap<V>, raw: &str) -> Option<V> {
    if map.is_empty() {
        return None;
    }
    map.get(value_key_cow(raw).as_ref()).copied()
}

/// The columns as a list of keys, `""` for an ignored header.
mod column_list {
    use super::{Column, ColumnMapping};
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(columns: &ColumnMapping, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(columns.iter().map(|c| c.map_or("", Column::key)))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<ColumnMapping, D::Error> {
        // Null (JSON) or "" / "ignore" / "-": an ignored header.
        let names: Vec<Option<String>> = Vec::deserialize(d)?;
        names
            .into_iter()
            .map(|n| match n.as_deref().map(str::trim) {
                None | Some("" | "-" | "ignore" | "忽略") => Ok(None),
                Some(name) => Column::from_header(name)
                    .map(Some)
                    .ok_or_else(|| serde::de::Error::custom(format!("unknown column \"{name}\""))),
            })
            .collect()
    }
}

/// A map to levels, written with their keys and read like level cells.
mod level_map {
    use super::{BTreeMap, Level};
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(m: &BTreeMap<String, Level>, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(m.iter().map(|(k, v)| (k, v.key())))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<BTreeMap<String, Level>, D::Error> {
        let raw: BTreeMap<String, String> = BTreeMap::deserialize(d)?;
        raw.into_iter()
            .map(|(k, v)| match crate::inventory::values::parse_level(&v) {
                Some(l) => Ok((k, l)),
                None => Err(serde::de::Error::custom(format!(
                    "unknown level \"{v}\" for \"{k}\""
                ))),
            })
            .collect()
    }
}

/// A map to kinds, written with their keys and read like kind cells.
mod kind_map {
    use super::{BTreeMap, Kind};
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(m: &BTreeMap<String, Kind>, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(m.iter().map(|(k, v)| (k, v.key())))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<BTreeMap<String, Kind>, D::Error> {
        let raw: BTreeMap<String, String> = BTreeMap::deserialize(d)?;
        raw.into_iter()
            .map(|(k, v)| match crate::inventory::values::parse_kind(&v) {
                Some(x) => Ok((k, x)),
                None => Err(serde::de::Error::custom(format!(
                    "unknown kind \"{v}\" for \"{k}\""
                ))),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state_local_federal() -> ValueMaps {
        let mut v = ValueMaps::default();
        v.set(
            Column::Level,
            " State ",
            Some(MappedValue::Level(Level::Province)),
        );
        v.set(
            Column::Level,
            "Local",
            Some(MappedValue::Level(Level::County)),
        );
        v.set(
            Column::Level,
            "Federal",
            Some(MappedValue::Level(Level::National)),
        );
        v.set(
            Column::Kind,
            "Agency",
            Some(MappedValue::Kind(Kind::Department)),
        );
        v.set(
            Column::InspectionPassed,
            "OK",
            Some(MappedValue::Passed(true)),
        );
        v
    }

    #[test]
    fn values_match_ignoring_case_and_space_and_mapped_values_come_first() {
        let mut v = state_local_federal();
        assert_eq!(
            v.level.keys().collect::<Vec<_>>(),
            ["Federal", "Local", "State"]
        );
        assert_eq!(
            v.get(Column::Level, "state"),
            Some(MappedValue::Level(Level::Province))
        );
        assert_eq!(
            v.get(Column::Level, "  LOCAL"),
            Some(MappedValue::Level(Level::County))
        );
        assert_eq!(v.get(Column::Level, "省"), None);
        assert_eq!(
            v.read(Column::Level, "省"),
            Some(MappedValue::Level(Level::Province))
        );
        assert_eq!(v.read(Column::Level, "Region"), None);
        // The same value in another case replaces the entry.
        v.set(
            Column::Level,
            "STATE",
            Some(MappedValue::Level(Level::Prefecture)),
        );
        assert_eq!(v.level.len(), 3);
        assert_eq!(v.level.get("STATE"), Some(&Level::Prefecture));
        v.set(Column::Level, "state", None);
        assert_eq!(v.level.len(), 2);
        // A value of the wrong kind is ignored.
        v.set(Column::Kind, "x", Some(MappedValue::Passed(true)));
        assert!(v.get(Column::Kind, "x").is_none());
        // A map overrides the importer's own reading.
        v.set(
            Column::Level,
            "1",
            Some(MappedValue::Level(Level::Township)),
        );
        let lookup = ValueLookup::new(&v);
        assert_eq!(lookup.level("1"), Some(Level::Township));
        assert_eq!(lookup.level("Federal"), Some(Level::National));
        assert_eq!(lookup.level("2"), Some(Level::Prefecture));
        assert_eq!(lookup.level("State"), None);
        assert_eq!(lookup.kind("AGENCY"), Some(Kind::Department));
        assert_eq!(lookup.passed("ok"), Some(true));
        assert_eq!(lookup.passed("合格"), Some(true));
    }

    #[test]
    fn the_importer_reads_mapped_values_and_reports_the_others_with_their_line() {
        use crate::inventory::{Finding, ImportOptions, Severity, import_bytes};
        let text = "\
site_id,level,kind,passed
F,Federal,portal,OK
S,STATE,Agency,no
L,local,Bureau,Maybe
X,Lunar,,
";
        let plain =
            import_bytes(text.as_bytes(), "t.csv", &ImportOptions::default()).expect("imports");
        assert_eq!(plain.inventory.len(), 0);
        assert_eq!(plain.report.rejected(), 4);

        let opts = ImportOptions {
            values: state_local_federal(),
            ..Default::default()
        };
        let imported = import_bytes(text.as_bytes(), "t.csv", &opts).expect("imports");
        let inv = &imported.inventory;
        let site = |id: &str| inv.site(inv.find(id).expect(id));
        assert_eq!(inv.len(), 3);
        assert_eq!(site("F").level, Level::National);
        assert_eq!(site("S").level, Level::Province);
        assert_eq!(site("L").level, Level::County);
        assert_eq!(site("S").kind, Kind::Department);
        assert_eq!(site("F").inspection_passed, Some(true));
        // The importer's own aliases still apply beside the map.
        assert_eq!(site("S").inspection_passed, Some(false));
        // Values in no map and unknown to the importer: reported as ever,
        // with line, column and header.
        type Found<'a> = (Severity, u64, Option<usize>, Option<&'a str>, &'a Finding);
        let found: Vec<Found<'_>> = imported
            .report
            .issues
            .iter()
            .filter(|i| i.severity <= Severity::Error)
            .map(|i| {
                (
                    i.severity,
                    i.line,
                    i.column,
                    i.header.as_deref(),
                    &i.finding,
                )
            })
            .collect();
        assert_eq!(
            found,
            [
                (
                    Severity::Error,
                    4,
                    Some(3),
                    Some("kind"),
                    &Finding::UnknownKind {
                        value: "Bureau".into()
                    }
                ),
                (
                    Severity::Error,
                    4,
                    Some(4),
                    Some("passed"),
                    &Finding::BadBoolean {
                        value: "Maybe".into()
                    }
                ),
                (
                    Severity::Rejected,
                    5,
                    Some(2),
                    Some("level"),
                    &Finding::UnknownLevel {
                        value: "Lunar".into()
                    }
                ),
            ]
        );
        // Nothing is counted unless asked.
        assert!(imported.report.values.is_empty());
    }

    #[test]
    fn a_mapping_round_trips_through_toml_and_reads_aliases() {
        let m = Mapping {
            columns: vec![Some(Column::SiteId), None, Some(Column::Level)],
            values: state_local_federal(),
        };
        let text = m.to_toml().expect("to TOML");
        assert!(
            text.contains(r#"columns = ["site_id", "", "level"]"#),
            "{text}"
        );
        assert!(text.contains(r#"State = "province""#), "{text}");
        assert_eq!(Mapping::from_toml(&text).expect("back"), m);

        let written = r#"
            columns = ["网站标识码", "ignore", "层级", "上级"]
            [values.level]
            State = "省"
            Local = "3"
            [values.inspection_passed]
            Yes = true
        "#;
        let m = Mapping::from_toml(written).expect("reads");
        assert_eq!(
            m.columns,
            [
                Some(Column::SiteId),
                None,
                Some(Column::Level),
                Some(Column::ParentId)
            ]
        );
        assert_eq!(m.values.level.get("State"), Some(&Level::Province));
        assert_eq!(m.values.level.get("Local"), Some(&Level::County));
        assert_eq!(m.values.inspection_passed.get("Yes"), Some(&true));

        let bad = Mapping::from_toml("columns = [\"site_id\"]\n[values.level]\nX = \"moon\"\n");
        assert!(bad.expect_err("unknown level").to_string().contains("moon"));
        let bad = Mapping::from_toml("columns = [\"colour\"]\n");
        assert!(
            bad.expect_err("unknown column")
                .to_string()
                .contains("colour")
        );
        // Columns alone; no values table is written for empty maps.
        let plain = Mapping::from(vec![Some(Column::SiteId), Some(Column::Level)]);
        assert!(!plain.to_toml().expect("TOML").contains("values"));
        // JSON's null is an ignored header too.
        let json: Mapping =
            serde_json::from_str(r#"{"columns":["site_id",null,"level"]}"#).expect("JSON");
        assert_eq!(
            json.columns,
            [Some(Column::SiteId), None, Some(Column::Level)]
        );
    }
}
