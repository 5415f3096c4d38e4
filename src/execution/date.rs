//! Calendar dates of status changes (`2027-03-15`), read as planners and
//! spreadsheets write them: `2027-03-15`, `2027/3/15`, `2027.3.15`,
//! `2027年3月15日`, `20270315`, or an Excel date serial number.
//!
//! ```
//! use sitefold::execution::Date;
//! let d = Date::parse("2027年3月5日").expect("a date");
//! assert_eq!(d.to_string(), "2027-03-05");
//! assert_eq!(Date::parse("2027/3/5"), Some(d));
//! assert_eq!(d.quarter().to_string(), "2027Q1");
//! assert_eq!(Date::parse("2027-02-30"), None);
//! ```

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::timeline::Quarter;

/// A day of the (proleptic Gregorian) calendar. Ordered by time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: i32,
    month: u8,
    day: u8,
}

impl Date {
    /// The date, when it exists (years 1000 to 9999).
    pub fn new(year: i32, month: u32, day: u32) -> Option<Date> {
        let ok = (1000..=9999).contains(&year)
            && (1..=12).contains(&month)
            && day >= 1
            && day <= days_in_month(year, month);
        ok.then_some(Date {
            year,
            month: month as u8,
            day: day as u8,
        })
    }

    /// The year.
    pub fn year(self) -> i32 {
        self.year
    }

    /// The month, 1 to 12.
    pub fn month(self) -> u32 {
        u32::from(self.month)
    }

    /// The day of the month.
    pub fn day(self) -> u32 {
        u32::from(self.day)
    }

    /// The quarter the date falls in.
    pub fn quarter(self) -> Quarter {
        Quarter::of_month(self.year, self.month())
    }

    /// Today, in the computer's time zone when the system tells it (UTC
    /// otherwise).
    pub fn today() -> Date {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let (y, m, d) = crate::time::civil_date(secs);
        Date::new(y as i32, m, d).unwrap_or(Date {
            year: 2000,
            month: 1,
            day: 1,
        })
    }

    /// The date of an Excel serial number (days since 1899-12-30, the
    /// 1900 date system; the fraction, a time of day, is dropped). Serials
    /// before 61 (1900-03-01) are refused: Excel counts a 29 February 1900
    /// that never was, so they mean a day other than their count.
    pub fn from_excel_serial(serial: f64) -> Option<Date> {
        if !serial.is_finite() || !(61.0..2_958_466.0).contains(&serial) {
            return None;
        }
        // Days from 1970-01-01: 1899-12-30 is 25,569 days before it.
        let days = serial.floor() as i64 - 25_569;
        let secs = days.checked_mul(86_400)?;
        if secs < 0 {
            // Before 1970: count from an earlier epoch.
            let (y, m, d) = civil_from_days(days);
            return Date::new(y as i32, m, d);
        }
        let (y, m, d) = crate::time::civil_date(secs as u64);
        Date::new(y as i32, m, d)
    }

    /// Reads a date as planners write one; `None` when it is not one.
    pub fn parse(raw: &str) -> Option<Date> {
        let s: String = raw
            .trim()
            .chars()
            .map(|c| match c {
                // Full-width digits and separators, as typed with a
                // Chinese input method.
                '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
                '－' | '／' | '．' => '-',
                _ => c,
            })
            .collect();
        if s.is_empty() {
            return None;
        }
        // A date and time (2027-03-15T10:00:00, 2027-03-15 10:00): the date.
        let s = s
            .split(['T', ' '])
            .next()
            .unwrap_or_default()
            .trim_end_matches('日');
        if s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit()) {
            let n: u32 = s.parse().ok()?;
            return Date::new((n / 10_000) as i32, n / 100 % 100, n % 100);
        }
        let parts: Vec<&str> = s.split(['-', '/', '.', '年', '月']).collect();
        if parts.len() == 3 && parts.iter().all(|p| !p.is_empty() && p.len() <= 4) {
            let nums: Option<Vec<u32>> = parts.iter().map(|p| p.parse().ok()).collect();
            let nums = nums?;
            if parts[0].len() == 4 {
                return Date::new(nums[0] as i32, nums[1], nums[2]);
            }
            return None;
        }
        // An Excel serial number typed as text.
        let serial: f64 = s.parse().ok()?;
        (serial >= 20_000.0).then(|| Date::from_excel_serial(serial))?
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        let s = String::deserialize(d)?;
        Date::parse(&s).ok_or_else(|| serde::de::Error::custom(format!("not a date: {s}")))
    }
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

/// Civil date of a day count from 1970 (any sign).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m as u32, d as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_planners_write() {
        let d = Date::new(2027, 3, 15).expect("valid");
        for s in [
            "2027-03-15",
            "2027/3/15",
            "2027.3.15",
            "2027年3月15日",
            "20270315",
            " 2027-03-15T10:30:00Z ",
            "2027-03-15 10:30",
            "２０２７－０３－１５",
            "46461",
        ] {
            assert_eq!(Date::parse(s), Some(d), "{s}");
        }
        for s in [
            "",
            "2027-13-01",
            "2027-02-29",
            "15/03/2027",
            "soon",
            "12",
            "2027-3",
        ] {
            assert_eq!(Date::parse(s), None, "{s}");
        }
        assert_eq!(Date::parse("2028-02-29").map(|d| d.day()), Some(29));
    }

    #[test]
    fn excel_serials() {
        assert_eq!(Date::from_excel_serial(1.0).map(|d| d.to_string()), None);
        assert_eq!(
            Date::from_excel_serial(61.0).map(|d| d.to_string()),
            Some("1900-03-01".into())
        );
        assert_eq!(
            Date::from_excel_serial(25_569.0).map(|d| d.to_string()),
            Some("1970-01-01".into())
        );
        assert_eq!(
            Date::from_excel_serial(36_526.75).map(|d| d.to_string()),
            Some("2000-01-01".into())
        );
        assert_eq!(
            Date::from_excel_serial(10_000.0).map(|d| d.to_string()),
            Some("1927-05-18".into())
        );
        assert_eq!(Date::from_excel_serial(f64::NAN), None);
    }

    #[test]
    fn order_and_quarters() {
        let a = Date::new(2027, 3, 31).expect("valid");
        let b = Date::new(2027, 4, 1).expect("valid");
        assert!(a < b);
        assert_eq!(a.quarter().to_string(), "2027Q1");
        assert_eq!(b.quarter().to_string(), "2027Q2");
        let json = serde_json::to_string(&a).expect("serialise");
        assert_eq!(json, "\"2027-03-31\"");
        assert_eq!(serde_json::from_str::<Date>(&json).ok(), Some(a));
    }
}
