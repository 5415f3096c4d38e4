//! Cell values as planners write them: numbers with `¥`, `元`, `万` and
//! thousands separators; levels, kinds and yes/no in Chinese or English.

use super::model::{Kind, Level};

/// Why a number cell was not accepted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NumberError {
    /// Not a number at all.
    NotANumber,
    /// Below zero.
    Negative,
    /// Has a fractional part where a whole number is needed.
    NotWhole,
}

/// Parses a number: `20,000`, `¥2000`, `￥2,000.50`, `3000元`, `2.5万`,
/// `2.5万元`, `1亿`. Returns `Ok(None)` for an empty cell.
pub fn parse_number(raw: &str) -> Result<Option<f64>, NumberError> {
    let mut s = raw.trim();
    if s.is_empty() {
        return Ok(None);
    }
    let mut negative = false;
    if let Some(rest) = s.strip_prefix('-').or_else(|| s.strip_prefix('−')) {
        negative = true;
        s = rest.trim_start();
    }
    for prefix in ['¥', '￥'] {
        if let Some(rest) = s.strip_prefix(prefix) {
            s = rest.trim_start();
        }
    }
    if !negative && let Some(rest) = s.strip_prefix('-') {
        negative = true;
        s = rest.trim_start();
    }
    if let Some(rest) = s.strip_suffix('元') {
        s = rest.trim_end();
    }
    let mut multiplier = 1.0;
    if let Some(rest) = s.strip_suffix('万') {
        multiplier = 1e4;
        s = rest.trim_end();
    } else if let Some(rest) = s.strip_suffix('亿') {
        multiplier = 1e8;
        s = rest.trim_end();
    }
    if s.is_empty() {
        return Err(NumberError::NotANumber);
    }
    let digits = strip_thousands(s).ok_or(NumberError::NotANumber)?;
    if !digits
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-'))
        || !digits.bytes().any(|b| b.is_ascii_digit())
    {
        return Err(NumberError::NotANumber);
    }
    let v: f64 = digits.parse().map_err(|_| NumberError::NotANumber)?;
    if !v.is_finite() {
        return Err(NumberError::NotANumber);
    }
    let v = v * multiplier;
    if !v.is_finite() {
        return Err(NumberError::NotANumber);
    }
    if negative && v != 0.0 {
        return Err(NumberError::Negative);
    }
    if v < 0.0 {
        return Err(NumberError::Negative);
    }
    Ok(Some(v))
}

/// Removes thousands separators when they are well placed (`1,234,567.5`);
/// `None` when commas are misplaced (`1,23`).
fn strip_thousands(s: &str) -> Option<std::borrow::Cow<'_, str>> {
    if !s.contains([',', '，']) {
        return Some(std::borrow::Cow::Borrowed(s));
    }
    let (int, frac) = match s.find('.') {
        Some(i) => (&s[..i], &s[i..]),
        None => (s, ""),
    };
    let groups: Vec<&str> = int.split([',', '，']).collect();
    let first_ok = !groups[0].is_empty()
        && groups[0].len() <= 3
        && groups[0].bytes().all(|b| b.is_ascii_digit());
    let rest_ok = groups[1..]
        .iter()
        .all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()));
    if !first_ok || !rest_ok || frac.contains([',', '，']) {
        return None;
    }
    Some(std::borrow::Cow::Owned(format!(
        "{}{}",
        groups.concat(),
        frac
    )))
}

/// Parses a whole number ≥ 0 (`2.5万` = 25000 is whole).
pub fn parse_whole(raw: &str) -> Result<Option<u64>, NumberError> {
    match parse_number(raw)? {
        None => Ok(None),
        Some(v) => {
            let r = v.round();
            // `1.2345万` is 12344.999… in binary; accept tiny float noise.
            if (v - r).abs() > 1e-6 * r.max(1.0) || r > u64::MAX as f64 {
                Err(NumberError::NotWhole)
            } else {
                Ok(Some(r as u64))
            }
        }
    }
}

/// The trimmed, lower-cased cell; borrowed when nothing needs lowering
/// (the importer calls this for every row).
fn key(raw: &str) -> std::borrow::Cow<'_, str> {
    let t = raw.trim();
    if t.chars().any(char::is_uppercase) {
        std::borrow::Cow::Owned(t.to_lowercase())
    } else {
        std::borrow::Cow::Borrowed(t)
    }
}

/// Parses a level: English name, Chinese alias, or digit 0–4.
pub fn parse_level(raw: &str) -> Option<Level> {
    let k = key(raw);
    Some(match k.as_ref() {
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
    let k = key(raw);
    Some(match k.as_ref() {
        "portal" | "门户" | "政府门户" | "门户网站" | "政府门户网站" => {
            Kind::Portal
        }
        "department" | "dept" | "部门" | "部门网站" => Kind::Department,
        _ => return None,
    })
}

/// Parses a yes/no cell.
pub fn parse_bool(raw: &str) -> Option<bool> {
    let k = key(raw);
    Some(match k.as_ref() {
        "yes" | "true" | "y" | "1" | "pass" | "passed" | "是" | "合格" | "通过" => true,
        "no" | "false" | "n" | "0" | "fail" | "failed" | "否" | "不合格" | "未通过" => false,
        _ => return None,
    })
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
        assert_eq!(parse_number("1e400"), Err(NumberError::NotANumber));
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
