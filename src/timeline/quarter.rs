//! Calendar quarters: `2027Q1`, also written `2027年第1季度` (MODEL.md §8).
//!
//! ```
//! use sitefold::timeline::Quarter;
//! let q = Quarter::parse("2027年第三季度").expect("a quarter");
//! assert_eq!(q.to_string(), "2027Q3");
//! assert_eq!(q.next().to_string(), "2027Q4");
//! assert_eq!(Quarter::parse("２０２８Ｑ１"), Some(q.plus(2)));
//! ```

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Earliest and latest years a quarter may name (four digits).
const YEARS: std::ops::RangeInclusive<i32> = 1000..=9999;

/// One calendar quarter. Ordered by time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Quarter(i32);

impl Quarter {
    /// Quarter `q` (1 to 4) of `year`; `None` outside them or outside the
    /// years 1000 to 9999.
    pub fn new(year: i32, q: u8) -> Option<Quarter> {
        ((1..=4).contains(&q) && YEARS.contains(&year))
            .then(|| Quarter(year * 4 + i32::from(q) - 1))
    }

    /// The year.
    pub fn year(self) -> i32 {
        self.0.div_euclid(4)
    }

    /// The quarter of the year, 1 to 4.
    pub fn q(self) -> u8 {
        self.0.rem_euclid(4) as u8 + 1
    }

    /// The quarter after this one.
    pub fn next(self) -> Quarter {
        self.plus(1)
    }

    /// `n` quarters later.
    pub fn plus(self, n: u32) -> Quarter {
        Quarter(self.0.saturating_add(n.min(i32::MAX as u32) as i32))
    }

    /// How many quarters `self` lies after `start` (negative before it).
    pub fn since(self, start: Quarter) -> i64 {
        i64::from(self.0) - i64::from(start.0)
    }

    /// The quarter of a date (month 1 to 12).
    pub fn of_month(year: i32, month: u32) -> Quarter {
        Quarter(year * 4 + (month.clamp(1, 12) as i32 - 1) / 3)
    }

    /// The quarter after today's (the default start of a timeline). Today
    /// is the date in China (UTC+8), where the planners are.
    pub fn after_today() -> Quarter {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let (year, month, _) = crate::time::civil_date(secs + 8 * 3600);
        Quarter::of_month(year as i32, month).next()
    }

    /// Reads `2027Q1` (also `2027q1`, `2027-Q1`, `2027 Q1`) and
    /// `2027年第1季度` (also `2027年1季度`, `2027年第一季度`, `2027年一季度`,
    /// `2027年第1季`), with full-width digits and letters as well.
    pub fn parse(raw: &str) -> Option<Quarter> {
        let s: String = raw
            .chars()
            .filter_map(|c| match c {
                '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32),
                'Ｑ' | 'ｑ' | 'q' => Some('Q'),
                '－' | '-' | '_' | '/' | '.' => None,
                c if c.is_whitespace() || c == '\u{3000}' => None,
                c => Some(c),
            })
            .collect();
        let year_end = s.find(|c: char| !c.is_ascii_digit())?;
        if year_end != 4 {
            return None;
        }
        let year: i32 = s[..4].parse().ok()?;
        let rest = &s[4..];
        let q = if let Some(n) = rest.strip_prefix('Q') {
            n
        } else {
            let n = rest.strip_prefix('年')?;
            let n = n.strip_prefix('第').unwrap_or(n);
            n.strip_suffix("季度").or_else(|| n.strip_suffix('季'))?
        };
        let q = match q {
            "1" | "一" => 1,
            "2" | "二" => 2,
            "3" | "三" => 3,
            "4" | "四" => 4,
            _ => return None,
        };
        Quarter::new(year, q)
    }

    /// `2027年第1季度`, as a Chinese table reads.
    pub fn chinese(self) -> String {
        format!("{}年第{}季度", self.year(), self.q())
    }
}

/// `2027Q1`: how files, JSON and tables write a quarter.
impl fmt::Display for Quarter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}Q{}", self.year(), self.q())
    }
}

impl std::str::FromStr for Quarter {
    type Err = String;

    fn from_str(s: &str) -> Result<Quarter, String> {
        Quarter::parse(s).ok_or_else(|| {
            format!(
                "'{}' is not a quarter: write 2027Q1 or 2027年第1季度",
                crate::inventory::excerpt(s)
            )
        })
    }
}

impl Serialize for Quarter {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Quarter {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Quarter, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(s: &str) -> Quarter {
        Quarter::parse(s).unwrap_or_else(|| panic!("{s} is a quarter"))
    }

    #[test]
    fn quarters_read_in_every_spelling() {
        let q1 = Quarter::new(2027, 1).expect("2027Q1");
        for s in [
            "2027Q1",
            "2027q1",
            " 2027-Q1 ",
            "2027 Q1",
            "2027年第1季度",
            "2027年1季度",
            "2027年第一季度",
            "2027年一季度",
            "2027年第1季",
            "２０２７Ｑ１",
            "２０２７年第１季度",
            "2027年 第 1 季度",
        ] {
            assert_eq!(Quarter::parse(s), Some(q1), "{s}");
        }
        assert_eq!(q("2027年第四季度"), Quarter::new(2027, 4).expect("Q4"));
        assert_eq!(q("2030Q3").to_string(), "2030Q3");
        assert_eq!(q("2030Q3").chinese(), "2030年第3季度");
    }

    #[test]
    fn what_is_not_a_quarter() {
        for s in [
            "",
            "2027",
            "2027Q0",
            "2027Q5",
            "27Q1",
            "20270Q1",
            "Q1 2027",
            "2027年第五季度",
            "2027年第1月",
            "2027Q1x",
            "2027Q12",
            "abcdQ1",
            "0999Q1",
        ] {
            assert_eq!(Quarter::parse(s), None, "{s}");
        }
    }

    #[test]
    fn quarters_count_and_order() {
        let a = q("2027Q4");
        assert_eq!(a.next(), q("2028Q1"));
        assert_eq!(a.plus(5), q("2029Q1"));
        assert_eq!(q("2029Q1").since(a), 5);
        assert_eq!(a.since(q("2029Q1")), -5);
        assert!(q("2027Q4") < q("2028Q1"));
        assert!(q("2027Q2") > q("2027Q1"));
        assert_eq!(Quarter::of_month(2026, 1), q("2026Q1"));
        assert_eq!(Quarter::of_month(2026, 6), q("2026Q2"));
        assert_eq!(Quarter::of_month(2026, 12), q("2026Q4"));
        let after = Quarter::after_today();
        assert!(after > q("2025Q1"), "{after}");
    }

    #[test]
    fn quarters_serialise_as_text() {
        let a = q("2027Q3");
        assert_eq!(serde_json::to_string(&a).expect("json"), "\"2027Q3\"");
        let back: Quarter = serde_json::from_str("\"2027年第三季度\"").expect("read");
        assert_eq!(back, a);
        assert!(serde_json::from_str::<Quarter>("\"soon\"").is_err());
    }
}
