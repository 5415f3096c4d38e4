//! Cell values as planners write them: numbers with `¥`, `元`, `万` and
//! thousands separators; levels, kinds and yes/no in Chinese or English.

use super::model::{Kind, Level};

pub use crate::money::NumberError;
use crate::money::parse_amount;
use rust_decimal::prelude::ToPrimitive;

/// Parses a number (`20,000`, `¥2000`, `2.5万`, see
/// [`crate::money::parse_amount`]) as a float, for figures that are not
/// money (scores, hours). `Ok(None)` for an empty cell.
pub fn parse_number(raw: &str) -> Result<Option<f64>, NumberError> {
    // Plain digits (most cells): the same float, without a decimal.
    if let Some(plain) = crate::money::plain_parts(crate::money::trim(raw)) {
        return plain.map(|p| Some(crate::money::parts_f64(p)));
    }
    Ok(parse_amount(raw)?.map(|d| d.to_f64().unwrap_or(0.0)))
}

/// Parses a whole number ≥ 0 (`2.5万` = 25000 is whole), exactly.
pub fn parse_whole(raw: &str) -> Result<Option<u64>, NumberError> {
    if let Some(v) = crate::money::plain_whole(crate::money::trim(raw)) {
        return Ok(Some(v));
    }
    match parse_amount(raw)? {
        None => Ok(None),
        Some(v) if v.fract().is_zero() => v.to_u64().map(Some).ok_or(NumberError::TooLarge),
        Some(_) => Err(NumberError::NotWhole),
    }
}

/// What `known` makes of the trimmed, lower-cased cell. The cell as it is
/// is tried first (the importer calls this for every row, and the names
/// known have no capitals, so a cell with capitals matches none of them
/// as it is): only a cell that is not already known is lowered.
fn recognise<T>(raw: &str, known: impl Fn(&str) -> Option<T>) -> Option<T> {
    let t = crate::money::trim(raw);
    known(t).or_else(|| {
        t.chars()
            .any(char::is_uppercase)
            .then(|| known(&t.to_lowercase()))
            .flatten()
    })
}

/// Parses a level: English name, Chinese alias, or digit 0–4.
pub fn parse_level(raw: &str) -> Option<Level> {
    recognise(raw, level_named)
}

fn level_named(k: &str) -> Option<Level> {
    Some(match k {
        "national" | "国家" | "国家级" | "中央" | "0" => Level::National,
        "province" | "provincial" | "省" | "省级" | "1" => Level::Province,
        "prefecture" | "市" | "市级" | "地市" | "地市级" | "地级" | "2" => {
            Level::Prefecture
        }
        "county" | "县" | "县级" | "区县" | "县区" | "3" => Level::County,
        "township" | "乡镇" | "乡" | "镇" | "街道" | "乡镇级" | "4" => Level::Township,
        _ => return None,
    })
}

/// Parses a kind: `portal`/`department` or a Chinese alias.
pub fn parse_kind(raw: &str) -> Option<Kind> {
    recognise(raw, kind_named)
}

fn kind_named(k: &str) -> Option<Kind> {
    Some(match k {
        "portal" | "门户" | "政府门户" | "门户网站" | "政府门户网站" => {
            Kind::Portal
        }
        "department" | "dept" | "部门" | "部门网站" => Kind::Department,
        _ => return None,
    })
}

/// Parses a yes/no cell.
pub fn parse_bool(raw: &str) -> Option<bool> {
    recognise(raw, bool_named)
}

fn bool_named(k: &str) -> Option<bool> {
    Some(match k {
        "yes" | "true" | "y" | "1" | "pass" | "passed" | "是" | "合格" | "通过" => true,
        "no" | "false" | "n" | "0" | "fail" | "failed" | "否" | "不合格" | "未通过" => false,
        _ => return None,
    })
}

/// Formats a number without a trailing `.0` and without losing precision.
pub fn fmt_number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_in_planners_formats() {
        assert_eq!(parse_number("20,000"), Ok(Some(20000.0)));
        assert_eq!(parse_number("¥20,000"), Ok(Some(20000.0)));
        assert_eq!(parse_number("￥ 1,234.5"), Ok(Some(1234.5)));
        assert_eq!(parse_number("3000元"), Ok(Some(3000.0)));
        assert_eq!(parse_number("2.5万"), Ok(Some(25000.0)));
        assert_eq!(parse_number("2.5万元"), Ok(Some(25000.0)));
        assert_eq!(parse_number(" 7 "), Ok(Some(7.0)));
        assert_eq!(parse_number(""), Ok(None));
        assert_eq!(parse_number("   "), Ok(None));
        assert_eq!(parse_number("-5"), Err(NumberError::Negative));
        assert_eq!(parse_number("¥-5"), Err(NumberError::Negative));
        assert_eq!(parse_number("-0"), Ok(Some(0.0)));
        assert_eq!(parse_number("abc"), Err(NumberError::NotANumber));
        assert_eq!(parse_number("1,23"), Err(NumberError::NotANumber));
        assert_eq!(parse_number("万"), Err(NumberError::NotANumber));
        assert_eq!(parse_number("NaN"), Err(NumberError::NotANumber));
        assert_eq!(parse_number("inf"), Err(NumberError::NotANumber));
        assert_eq!(parse_number("1e400"), Err(NumberError::TooLarge));
    }

    #[test]
    fn whole_numbers() {
        assert_eq!(parse_whole("1.2345万"), Ok(Some(12345)));
        assert_eq!(parse_whole("12"), Ok(Some(12)));
        assert_eq!(parse_whole("12.5"), Err(NumberError::NotWhole));
    }

    #[test]
    fn levels_kinds_booleans() {
        assert_eq!(parse_level("地市级"), Some(Level::Prefecture));
        assert_eq!(parse_level(" County "), Some(Level::County));
        assert_eq!(parse_level("4"), Some(Level::Township));
        assert_eq!(parse_level("5"), None);
        assert_eq!(parse_kind("部门"), Some(Kind::Department));
        assert_eq!(parse_kind("x"), None);
        assert_eq!(parse_bool("未通过"), Some(false));
        assert_eq!(parse_bool("PASS"), Some(true));
        assert_eq!(parse_bool("maybe"), None);
    }
}
