//! The sites of a project, stored column by column (one array per field),
//! with numbers that read back to the same bits: written from the sites,
//! read back as the cells of rows for the re-check.

use std::fmt;

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::de::{self, Deserializer, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};

use crate::inventory::{Column, Kind, Level, Site};

use super::ProjectError;
use super::recheck::{SavedRow, passed_text};

/// The sites, written column by column.
pub(super) struct SitesOut<'a>(pub &'a [Site]);

/// One column of the sites.
struct Col<'a, T, F: Fn(&'a Site) -> T>(&'a [Site], F);

impl<'a, T: Serialize, F: Fn(&'a Site) -> T> Serialize for Col<'a, T, F> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(&self.1))
    }
}

impl Serialize for SitesOut<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let v = self.0;
        let mut m = s.serialize_map(Some(17))?;
        m.serialize_entry("count", &v.len())?;
        m.serialize_entry("id", &Col(v, |s| s.id.as_str()))?;
        m.serialize_entry("name", &Col(v, |s| s.name.as_str()))?;
        m.serialize_entry("url", &Col(v, |s| s.url.as_str()))?;
        m.serialize_entry("level", &Col(v, |s| s.level))?;
        m.serialize_entry("kind", &Col(v, |s| s.kind))?;
        m.serialize_entry("parent_id", &Col(v, |s| s.parent_id.as_str()))?;
        m.serialize_entry("region", &Col(v, |s| s.region.as_str()))?;
        // A value missing in the file is saved as null, so that it reads
        // back as missing (counted as 0, shown as missing).
        let known = |s: &Site, c: Column| !s.missing.has(c);
        m.serialize_entry(
            "budget",
            &Col(v, |s| {
                known(s, Column::AnnualBudget).then(|| ExactDecimal(s.budget.decimal()))
            }),
        )?;
        m.serialize_entry(
            "staff",
            &Col(v, |s| {
                known(s, Column::Staff).then_some(ExactDecimal(s.staff))
            }),
        )?;
        m.serialize_entry(
            "population",
            &Col(v, |s| known(s, Column::Population).then_some(s.population)),
        )?;
        m.serialize_entry("monthly_visits", &Col(v, |s| s.monthly_visits))?;
        m.serialize_entry(
            "online_services",
            &Col(v, |s| {
                known(s, Column::OnlineServices).then_some(s.online_services)
            }),
        )?;
        m.serialize_entry(
            "inspection_score",
            &Col(v, |s| s.inspection_score.map(Exact)),
        )?;
        m.serialize_entry("inspection_passed", &Col(v, |s| s.inspection_passed))?;
        m.serialize_entry("reprint_hours", &Col(v, |s| s.reprint_hours.map(Exact)))?;
        m.serialize_entry("line", &Col(v, |s| s.line))?;
        // Written only for an inventory assembled from several files.
        if v.iter().any(|s| s.source != 0) {
            m.serialize_entry("source", &Col(v, |s| s.source))?;
        }
        m.end()
    }
}

/// A number that reads back to the same bits: a JSON number when any JSON
/// reader gets it exactly (an integer below 2^53, or at most 15
/// significant digits with a small exponent), else its exact decimal text.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Exact(f64);

impl Exact {
    fn plain_number_is_exact(v: f64) -> bool {
        // `{:e}` gives the shortest digits that read back to v.
        let s = format!("{v:e}");
        let (mantissa, exp) = s.split_once('e').unwrap_or((&s, "0"));
        let digits = mantissa.bytes().filter(u8::is_ascii_digit).count();
        let exp: i32 = exp.parse().unwrap_or(i32::MAX);
        let scale = exp.saturating_sub(digits as i32 - 1);
        digits <= 15 && (-22..=22).contains(&scale)
    }
}

impl Serialize for Exact {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let v = self.0;
        if v.fract() == 0.0 && v.abs() < 9.0e15 {
            s.serialize_i64(v as i64)
        } else if v.is_finite() && Exact::plain_number_is_exact(v) {
            s.serialize_f64(v)
        } else {
            // Debug gives the shortest text that reads back exactly (and
            // NaN/inf, which JSON numbers cannot hold).
            s.serialize_str(&format!("{v:?}"))
        }
    }
}

impl<'de> Deserialize<'de> for Exact {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Exact;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number")
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Exact, E> {
                Ok(Exact(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Exact, E> {
                Ok(Exact(v as f64))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Exact, E> {
                Ok(Exact(v as f64))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Exact, E> {
                v.parse::<f64>()
                    .map(Exact)
                    .map_err(|_| E::invalid_value(de::Unexpected::Str(v), &self))
            }
        }
        d.deserialize_any(V)
    }
}

/// An exact decimal (budgets, staff): a JSON number when the number's
/// text is the decimal itself (up to 15 significant digits), else its text.
/// Read back as a [`RawNumber`].
#[derive(Clone, Copy, Debug, PartialEq)]
struct ExactDecimal(Decimal);

impl Serialize for ExactDecimal {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let d = self.0.normalize();
        if d.scale() == 0 && d.mantissa().unsigned_abs() < 9_000_000_000_000_000 {
            s.serialize_i64(d.mantissa() as i64)
        } else if d.mantissa().unsigned_abs() < 1_000_000_000_000_000 {
            s.serialize_f64(d.to_f64().unwrap_or(0.0))
        } else {
            s.serialize_str(&d.to_string())
        }
    }
}

/// A saved number cell as text, whatever the file holds there (a number,
/// or a text such as `NaN` that an earlier build wrote): the re-check reads
/// it as an import reads a cell.
#[derive(Clone, Debug, Default, PartialEq)]
struct RawNumber(String);

impl<'de> Deserialize<'de> for RawNumber {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = RawNumber;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number")
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<RawNumber, E> {
                Ok(RawNumber(format!("{v}")))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<RawNumber, E> {
                Ok(RawNumber(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<RawNumber, E> {
                Ok(RawNumber(v.to_string()))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawNumber, E> {
                Ok(RawNumber(v.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

/// The site columns as read; a missing column takes its default.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct SitesIn {
    count: Option<usize>,
    id: Vec<String>,
    name: Vec<String>,
    url: Vec<String>,
    level: Vec<Level>,
    kind: Vec<Kind>,
    parent_id: Vec<String>,
    region: Vec<String>,
    budget: Vec<Option<RawNumber>>,
    staff: Vec<Option<RawNumber>>,
    population: Vec<Option<u64>>,
    monthly_visits: Vec<Option<u64>>,
    online_services: Vec<Option<u64>>,
    inspection_score: Vec<Option<RawNumber>>,
    inspection_passed: Vec<Option<bool>>,
    reprint_hours: Vec<Option<RawNumber>>,
    line: Vec<u64>,
    source: Vec<u32>,
}

impl SitesIn {
    pub(super) fn into_rows(self, name: &str) -> Result<Vec<SavedRow>, ProjectError> {
        let n = self.count.unwrap_or(self.id.len());
        let damaged = |detail: String| ProjectError::Damaged {
            path: name.to_string(),
            detail,
        };
        if self.id.len() != n {
            return Err(damaged(format!("{} site ids for {n} sites", self.id.len())));
        }
        if n > 0 && self.level.len() != n {
            return Err(damaged(format!(
                "{} levels for {n} sites",
                self.level.len()
            )));
        }
        // Every other column is either absent (defaults) or complete.
        let lens = [
            ("name", self.name.len()),
            ("url", self.url.len()),
            ("kind", self.kind.len()),
            ("parent_id", self.parent_id.len()),
            ("region", self.region.len()),
            ("budget", self.budget.len()),
            ("staff", self.staff.len()),
            ("population", self.population.len()),
            ("monthly_visits", self.monthly_visits.len()),
            ("online_services", self.online_services.len()),
            ("inspection_score", self.inspection_score.len()),
            ("inspection_passed", self.inspection_passed.len()),
            ("reprint_hours", self.reprint_hours.len()),
            ("line", self.line.len()),
            ("source", self.source.len()),
        ];
        if let Some((col, len)) = lens.iter().find(|(_, len)| *len != 0 && *len != n) {
            return Err(damaged(format!(
                "{len} values in column {col} for {n} sites"
            )));
        }
        fn take<T: Default>(v: Vec<T>, n: usize) -> impl Iterator<Item = T> {
            let missing = if v.is_empty() { n } else { 0 };
            v.into_iter()
                .chain(std::iter::repeat_with(T::default).take(missing))
        }
        let mut name_it = take(self.name, n);
        let mut url = take(self.url, n);
        let mut kind = take(self.kind, n);
        let mut parent_id = take(self.parent_id, n);
        let mut region = take(self.region, n);
        let mut budget = take(self.budget, n);
        let mut staff = take(self.staff, n);
        let mut population = take(self.population, n);
        let mut visits = take(self.monthly_visits, n);
        let mut services = take(self.online_services, n);
        let mut score = take(self.inspection_score, n);
        let mut passed = take(self.inspection_passed, n);
        let mut reprint = take(self.reprint_hours, n);
        let mut line = take(self.line, n);
        let mut source = take(self.source, n);
        let mut rows = Vec::with_capacity(n);
        for (id, level) in self.id.into_iter().zip(self.level) {
            let text = |v: Option<RawNumber>| v.map(|r| r.0).unwrap_or_default();
            let whole = |v: Option<u64>| v.map(|v| v.to_string()).unwrap_or_default();
            rows.push(SavedRow {
                line: line.next().unwrap_or_default(),
                source: source.next().unwrap_or_default(),
                cells: csv::StringRecord::from(vec![
                    id,
                    name_it.next().unwrap_or_default(),
                    url.next().unwrap_or_default(),
                    level.key().to_string(),
                    kind.next().unwrap_or_default().key().to_string(),
                    parent_id.next().unwrap_or_default(),
                    region.next().unwrap_or_default(),
                    text(budget.next().flatten()),
                    text(staff.next().flatten()),
                    whole(population.next().flatten()),
                    visits
                        .next()
                        .flatten()
                        .map(|v| v.to_string())
                        .unwrap_or_default(),
                    whole(services.next().flatten()),
                    text(score.next().flatten()),
                    passed_text(passed.next().flatten()).to_string(),
                    text(reprint.next().flatten()),
                ]),
            });
        }
        Ok(rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_round_trip_exactly() {
        let values = [
            0.0,
            -0.0,
            1.0,
            2.5,
            0.1,
            0.1 + 0.2,
            1234.5600000000002,
            1.0e-7,
            123_456_789.123_456_78,
            9.0e15,
            1.0e20,
            f64::MAX,
            f64::MIN_POSITIVE,
            5e-324,
            1.0 / 3.0,
        ];
        for v in values {
            let json = serde_json::to_string(&Exact(v)).expect("json");
            let back: Exact = serde_json::from_str(&json).expect("back");
            assert_eq!(
                back.0.to_bits(),
                if v == 0.0 {
                    0.0f64.to_bits()
                } else {
                    v.to_bits()
                },
                "{v} as {json}"
            );
        }
        assert_eq!(serde_json::to_string(&Exact(2000.0)).expect("json"), "2000");
        assert_eq!(serde_json::to_string(&Exact(2.5)).expect("json"), "2.5");
    }
}
