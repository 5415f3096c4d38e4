//! The distinct values of the columns a value map translates (level,
//! kind, inspection result), with how many rows hold each: counted while
//! importing when asked ([`super::ImportOptions::count_values`]), so that a
//! mapping preview can list the values a planner may need to map.

use std::collections::HashMap;

use super::columns::Column;
use super::mapping::value_key;

/// Most distinct values listed per column; rows holding further values
/// are only counted ([`ValueCounts::others`]).
pub const MAX_DISTINCT: usize = 200;

/// The distinct values of one column.
#[derive(Clone, Default, PartialEq)]
pub struct ValueCounts {
    /// Each distinct value as first written (trimmed, a long one cut
    /// short), with the rows holding it, in order of first appearance.
    /// Values that differ only in case or surrounding space are one, as
    /// value maps match them.
    pub values: Vec<(String, usize)>,
    /// Rows holding a value past the first [`MAX_DISTINCT`].
    pub others: usize,
    /// Position in `values` of each value's key.
    index: HashMap<String, usize, rustc_hash::FxBuildHasher>,
}

impl std::fmt::Debug for ValueCounts {
    // Without the index, whose order is a hash map's.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ValueCounts")
            .field("values", &self.values)
            .field("others", &self.others)
            .finish()
    }
}

impl ValueCounts {
    /// Counts one (non-empty) cell.
    fn count(&mut self, cell: &str) {
        let key = value_key(cell);
        if let Some(&at) = self.index.get(&key) {
            self.values[at].1 += 1;
        } else if self.values.len() < MAX_DISTINCT {
            self.index.insert(key, self.values.len());
            self.values.push((super::report::excerpt(cell), 1));
        } else {
            self.others += 1;
        }
    }

    /// The values, the most frequent first (ties in order of appearance).
    pub fn by_rows(&self) -> Vec<(String, usize)> {
        let mut v = self.values.clone();
        v.sort_by_key(|&(_, n)| std::cmp::Reverse(n));
        v
    }

    /// True when no value was counted.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty() && self.others == 0
    }
}

/// The distinct values of the level, kind and inspection-result columns.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ValueCensus {
    /// The level column.
    pub level: ValueCounts,
    /// The kind column.
    pub kind: ValueCounts,
    /// The inspection-result column.
    pub inspection_passed: ValueCounts,
}

impl ValueCensus {
    /// The counts of `column`, if it is one a value map translates.
    pub fn of(&self, column: Column) -> Option<&ValueCounts> {
        match column {
            Column::Level => Some(&self.level),
            Column::Kind => Some(&self.kind),
            Column::InspectionPassed => Some(&self.inspection_passed),
            _ => None,
        }
    }

    /// Counts one row's cells of the level, kind and inspection-result
    /// columns (empty cells are not counted).
    pub(crate) fn count(&mut self, [level, kind, passed]: &[String; 3]) {
        for (counts, cell) in [
            (&mut self.level, level),
            (&mut self.kind, kind),
            (&mut self.inspection_passed, passed),
        ] {
            if !cell.is_empty() {
                counts.count(cell);
            }
        }
    }

    /// True when nothing was counted.
    pub fn is_empty(&self) -> bool {
        self.level.is_empty() && self.kind.is_empty() && self.inspection_passed.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_counted_once_per_spelling_and_bounded() {
        let mut c = ValueCensus::default();
        for (l, k) in [
            ("State", "portal"),
            ("state", ""),
            ("Local", "x"),
            ("State ", ""),
        ] {
            c.count(&[l.trim().to_string(), k.to_string(), String::new()]);
        }
        assert_eq!(
            c.level.values,
            [("State".to_string(), 3), ("Local".to_string(), 1)]
        );
        assert_eq!(c.kind.values.len(), 2);
        assert!(c.inspection_passed.is_empty());
        assert_eq!(c.of(Column::Level).map(|v| v.by_rows()[0].1), Some(3));
        for i in 0..MAX_DISTINCT + 5 {
            c.count(&[String::new(), String::new(), format!("v{i}")]);
        }
        assert_eq!(c.inspection_passed.values.len(), MAX_DISTINCT);
        assert_eq!(c.inspection_passed.others, 5);
    }
}
