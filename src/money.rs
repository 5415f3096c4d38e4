//! Exact amounts (MODEL.md §7). A budget written `1.14万` is 11,400 yuan
//! exactly, `¥20,000.50` is 20,000.50: amounts are parsed into decimals,
//! added and multiplied exactly, compared exactly by rules, and rounded to
//! the fen only when they are written out.

use std::fmt;
use std::iter::Sum;
use std::ops::{Add, AddAssign, Neg, Sub, SubAssign};
use std::str::FromStr;

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Why a number cell was not accepted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NumberError {
    /// Not a number at all.
    NotANumber,
    /// Below zero.
    Negative,
    /// Has a fractional part where a whole number is needed.
    NotWhole,
    /// Larger than any real figure can be (over [`MAX_AMOUNT`]).
    TooLarge,
}

/// The largest amount accepted: 10^15 (a thousand trillion). Far above any
/// real budget or population, and low enough that sums over millions of
/// sites stay exact.
pub const MAX_AMOUNT: i64 = 1_000_000_000_000_000;

/// Decimal places kept from a cell: more than anyone writes for yuan,
/// staff or hours, few enough that sums never lose a digit.
pub const MAX_PLACES: u32 = 6;

/// Parses an amount as planners write it, exactly: `20,000`, `¥2000`,
/// `￥2,000.50`, `3000元`, `2.5万`, `2.5万元`, `1亿`, `1.5E+07` (what
/// spreadsheets write for large numbers). `Ok(None)` for an empty cell.
/// Digits past the sixth decimal place are rounded off.
pub fn parse_amount(raw: &str) -> Result<Option<Decimal>, NumberError> {
    let s = trim(raw);
    if let Some(plain) = plain_digits(s) {
        return plain.map(|(mantissa, scale)| Some(Decimal::new(mantissa, scale)));
    }
    parse_amount_general(s)
}

/// [`str::trim`], quicker on a cell that starts and ends with a character
/// that cannot be white space (as most cells do): the first byte of every
/// white-space character is an ASCII white space or 0xC2, 0xE1, 0xE2 or
/// 0xE3 (a test checks every character), so a cell whose first and last
/// characters begin otherwise is returned as it is.
pub fn trim(s: &str) -> &str {
    let b = s.as_bytes();
    let (Some(&first), Some(&last)) = (b.first(), b.last()) else {
        return s;
    };
    // The first byte of the last character (at most 3 bytes back).
    let last_lead = if last < 0x80 {
        last
    } else {
        b.iter()
            .rev()
            .take(4)
            .find(|&&c| !(0x80..0xC0).contains(&c))
            .copied()
            .unwrap_or(0xC2)
    };
    let may_be_space = |lead: u8| matches!(lead, b'\t'..=b'\r' | b' ' | 0xC2 | 0xE1..=0xE3);
    if may_be_space(first) || may_be_space(last_lead) {
        s.trim()
    } else {
        s
    }
}

/// The most digits [`plain_digits`] reads (their value fits in an `i64`).
const PLAIN_DIGITS: usize = 18;

/// The common cell, read without the general path's allocations: plain
/// digits, with a point and up to [`MAX_PLACES`] places (`12000`, `79.5`).
/// The same decimal as [`parse_amount_general`] (normalized), as its
/// mantissa and scale, or `None` when the cell needs the general path.
pub(crate) fn plain_digits(s: &str) -> Option<Result<(i64, u32), NumberError>> {
    plain_parts(s).map(|r| r.map(|p| (p.whole * 10i64.pow(p.scale) + p.fraction, p.scale)))
}

/// A plain-digits cell's value in parts: `whole` + `fraction` ×10^-`scale`,
/// the fraction without trailing zeros (so the scale is the normalized
/// decimal's). Worked out without a division.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct PlainParts {
    pub(crate) whole: i64,
    pub(crate) fraction: i64,
    pub(crate) scale: u32,
}

/// [`plain_digits`] in parts.
pub(crate) fn plain_parts(s: &str) -> Option<Result<PlainParts, NumberError>> {
    let (int, frac) = match memchr::memchr(b'.', s.as_bytes()) {
        Some(i) => (&s[..i], &s[i + 1..]),
        None => (s, ""),
    };
    let all_digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
    if int.is_empty()
        || frac.len() > MAX_PLACES as usize
        || int.len() + frac.len() > PLAIN_DIGITS
        || (s.len() > int.len() && frac.is_empty())
        || !all_digits(int)
        || !all_digits(frac)
    {
        return None;
    }
    let value = |t: &str| t.bytes().fold(0i64, |m, b| m * 10 + i64::from(b - b'0'));
    let whole = value(int);
    // Normalized: no trailing zeros after the point.
    let frac = frac.trim_end_matches('0');
    // Over MAX_AMOUNT: the whole part is, or equals it with a fraction.
    if whole > MAX_AMOUNT || (whole == MAX_AMOUNT && !frac.is_empty()) {
        return Some(Err(NumberError::TooLarge));
    }
    Some(Ok(PlainParts {
        whole,
        fraction: value(frac),
        scale: frac.len() as u32,
    }))
}

/// The float [`Decimal::to_f64`] makes of the decimal `mantissa`
/// ×10^-`scale` ([`plain_digits`]'s), worked out as it does it, in 64
/// bits (the mantissa has at most 18 digits; a test compares the two).
#[cfg(test)]
fn plain_f64(mantissa: i64, scale: u32) -> f64 {
    let m = mantissa.unsigned_abs();
    let precision = 10u64.pow(scale);
    let value = parts_f64(PlainParts {
        whole: (m / precision) as i64,
        fraction: (m % precision) as i64,
        scale,
    });
    if mantissa < 0 { -value } else { value }
}

/// [`plain_f64`] of a value in parts (≥ 0), without its divisions.
pub(crate) fn parts_f64(p: PlainParts) -> f64 {
    if p.fraction == 0 {
        return p.whole as f64;
    }
    let precision = 10u64.pow(p.scale);
    let frac = p.fraction as f64 / precision as f64;
    let round_to = 10f64.powi(p.scale as i32);
    ((p.whole as f64 + frac) * round_to).round() / round_to
}

/// A whole number written as plain digits (`12000`), at most
/// [`MAX_AMOUNT`]: what [`parse_amount`] reads it as, without a decimal.
/// `None` when the cell is anything else.
pub(crate) fn plain_whole(s: &str) -> Option<u64> {
    if s.is_empty() || s.len() > PLAIN_DIGITS || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let v = s.bytes().fold(0u64, |m, b| m * 10 + u64::from(b - b'0'));
    (v <= MAX_AMOUNT as u64).then_some(v)
}

/// [`parse_amount`] of a trimmed cell, any form.
fn parse_amount_general(s: &str) -> Result<Option<Decimal>, NumberError> {
    let mut s = s;
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
    if !negative && let Some(rest) = s.strip_prefix('+') {
        s = rest.trim_start();
    }
    if let Some(rest) = s.strip_suffix('元') {
        s = rest.trim_end();
    }
    let mut multiplier = Decimal::ONE;
    if let Some(rest) = s.strip_suffix('万') {
        multiplier = Decimal::from(10_000);
        s = rest.trim_end();
    } else if let Some(rest) = s.strip_suffix('亿') {
        multiplier = Decimal::from(100_000_000);
        s = rest.trim_end();
    }
    if s.is_empty() {
        return Err(NumberError::NotANumber);
    }
    let digits = strip_thousands(s).ok_or(NumberError::NotANumber)?;
    let value = parse_plain(&digits)?;
    let value = value.checked_mul(multiplier).ok_or(NumberError::TooLarge)?;
    if value > Decimal::from(MAX_AMOUNT) {
        return Err(NumberError::TooLarge);
    }
    if negative && !value.is_zero() {
        return Err(NumberError::Negative);
    }
    Ok(Some(
        value
            .abs()
            .round_dp_with_strategy(MAX_PLACES, RoundingStrategy::MidpointAwayFromZero)
            .normalize(),
    ))
}

/// `123`, `123.45`, `.5`, `1.5E+07`, `2e-3` into a decimal; anything else
/// (a sign, letters, two points) is not a number.
fn parse_plain(s: &str) -> Result<Decimal, NumberError> {
    let (mantissa, exponent) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let well_formed = !mantissa.is_empty()
        && mantissa.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && mantissa.bytes().filter(|&b| b == b'.').count() <= 1
        && mantissa.bytes().any(|b| b.is_ascii_digit());
    if !well_formed {
        return Err(NumberError::NotANumber);
    }
    // Very long digit strings: a decimal holds 28 digits. Leading zeros and
    // trailing fractional zeros carry nothing.
    let mantissa = trim_zeros(mantissa);
    let significant = mantissa.bytes().filter(u8::is_ascii_digit).count();
    let int_digits = mantissa.split('.').next().map_or(0, str::len);
    let value = if significant > 28 {
        if int_digits > 20 {
            return Err(NumberError::TooLarge);
        }
        // More places than anyone means: keep what a decimal holds.
        let keep = mantissa.len().min(28 + usize::from(mantissa.contains('.')));
        Decimal::from_str(&mantissa[..keep]).map_err(|_| NumberError::NotANumber)?
    } else if mantissa == "." || mantissa.is_empty() {
        Decimal::ZERO
    } else {
        Decimal::from_str(&mantissa).map_err(|_| NumberError::NotANumber)?
    };
    let Some(exp) = exponent else {
        return Ok(value);
    };
    let exp: i32 = exp
        .strip_prefix('+')
        .unwrap_or(exp)
        .parse()
        .map_err(|_| NumberError::NotANumber)?;
    if value.is_zero() {
        return Ok(Decimal::ZERO);
    }
    if exp > 20 {
        return Err(NumberError::TooLarge);
    }
    if exp < -28 {
        return Ok(Decimal::ZERO);
    }
    let ten = Decimal::TEN;
    let mut v = value;
    for _ in 0..exp.unsigned_abs() {
        v = if exp > 0 {
            v.checked_mul(ten).ok_or(NumberError::TooLarge)?
        } else {
            v.checked_div(ten).ok_or(NumberError::NotANumber)?
        };
    }
    Ok(v)
}

/// `007.500` → `7.5`; `000` → `0`.
fn trim_zeros(s: &str) -> String {
    let s = s.trim_start_matches('0');
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.')
    } else {
        s
    };
    if s.is_empty() || s == "." {
        "0".into()
    } else if s.starts_with('.') {
        format!("0{s}")
    } else {
        s.into()
    }
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

/// The exact decimal a float was written as: `0.1` is one tenth, not the
/// binary number nearest to it. `None` for NaN, infinities and values too
/// large for a decimal.
pub fn decimal_of(v: f64) -> Option<Decimal> {
    if !v.is_finite() {
        return None;
    }
    // Rust writes the shortest text that reads back as the same float.
    Decimal::from_str(&format!("{v}")).ok()
}

/// An exact amount of yuan.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Money(Decimal);

impl Money {
    /// Nothing.
    pub const ZERO: Money = Money(Decimal::ZERO);

    /// Whole yuan.
    pub fn yuan(v: i64) -> Money {
        Money(Decimal::from(v))
    }

    /// The amount `v` is written as (see [`decimal_of`]); `None` for NaN
    /// or infinities.
    pub fn from_f64(v: f64) -> Option<Money> {
        decimal_of(v).map(Money)
    }

    /// An exact decimal amount.
    pub fn from_decimal(d: Decimal) -> Money {
        Money(d)
    }

    /// `units` × 10^−`scale` yuan.
    pub fn from_units(units: i128, scale: u32) -> Money {
        Money(Decimal::from_i128_with_scale(units, scale))
    }

    /// Parses an amount cell (see [`parse_amount`]).
    pub fn parse(raw: &str) -> Result<Option<Money>, NumberError> {
        parse_amount(raw).map(|v| v.map(Money))
    }

    /// The exact value.
    pub fn decimal(self) -> Decimal {
        self.0
    }

    /// The amount in units of 10^−`scale` yuan, when it is a whole number
    /// of them.
    pub fn units(self, scale: u32) -> Option<i128> {
        let mut d = self.0;
        if d.scale() > scale {
            return None;
        }
        d.rescale(scale);
        (d.scale() == scale).then(|| d.mantissa())
    }

    /// Decimal places the exact value needs.
    pub fn places(self) -> u32 {
        self.0.normalize().scale()
    }

    /// The nearest float (charts, the optimizer's search); never for a
    /// figure that is shown or written.
    pub fn to_f64(self) -> f64 {
        self.0.to_f64().unwrap_or(0.0)
    }

    /// Rounded to the fen (half away from zero), as every output writes it.
    pub fn to_fen(self) -> Money {
        Money(
            self.0
                .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero),
        )
    }

    /// Rounded to the yuan (half away from zero), for compact displays.
    pub fn to_yuan(self) -> Money {
        Money(
            self.0
                .round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero),
        )
    }

    /// `self` × `rate`, exactly.
    pub fn times(self, rate: Decimal) -> Money {
        Money(self.0.checked_mul(rate).unwrap_or(Decimal::MAX))
    }

    /// `self` × a whole number, exactly.
    pub fn times_count(self, n: u64) -> Money {
        self.times(Decimal::from(n))
    }

    /// True above zero.
    pub fn is_positive(self) -> bool {
        self.0 > Decimal::ZERO
    }

    /// True below zero.
    pub fn is_negative(self) -> bool {
        self.0 < Decimal::ZERO
    }

    /// True for nothing.
    pub fn is_zero(self) -> bool {
        self.0.is_zero()
    }

    /// `self` / `other` as a float (ratios such as payback months).
    pub fn ratio(self, other: Money) -> Option<f64> {
        if other.is_zero() {
            return None;
        }
        self.0.checked_div(other.0).and_then(|d| d.to_f64())
    }

    /// Yuan with thousands separators and the fen when there are any:
    /// `1,234,567`, `20,000.50`, `-5,000`.
    pub fn grouped(self) -> String {
        let fen = self.to_fen().0.normalize();
        let text = fen.abs().to_string();
        let (int, frac) = match text.split_once('.') {
            Some((i, f)) => (i, format!(".{f:0<2}")),
            None => (text.as_str(), String::new()),
        };
        let mut out = String::with_capacity(text.len() + text.len() / 3 + 1);
        if fen.is_sign_negative() && !fen.is_zero() {
            out.push('-');
        }
        out.push_str(&group_digits(int));
        out.push_str(&frac);
        out
    }

    /// Rounded to the yuan with thousands separators: `1,234,567`.
    pub fn grouped_yuan(self) -> String {
        self.to_yuan().grouped()
    }
}

/// `1234567` → `1,234,567`.
pub fn group_digits(int: &str) -> String {
    let mut out = String::with_capacity(int.len() + int.len() / 3);
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// The amount rounded to the fen, without separators or trailing zeros:
/// `11400`, `20000.5`, `0.07` (what files and JSON hold).
impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let v = self.to_fen().0.normalize();
        // `-0` never shows.
        if v.is_zero() {
            return f.write_str("0");
        }
        write!(f, "{v}")
    }
}

/// An amount equals a float when it is exactly the decimal the float is
/// written as: `Money(11400) == 11400.0`, `Money(0.1) == 0.1`.
impl PartialEq<f64> for Money {
    fn eq(&self, other: &f64) -> bool {
        Money::from_f64(*other) == Some(*self)
    }
}

impl Add for Money {
    type Output = Money;
    fn add(self, o: Money) -> Money {
        Money(self.0 + o.0)
    }
}

impl Sub for Money {
    type Output = Money;
    fn sub(self, o: Money) -> Money {
        Money(self.0 - o.0)
    }
}

impl Neg for Money {
    type Output = Money;
    fn neg(self) -> Money {
        Money(-self.0)
    }
}

impl AddAssign for Money {
    fn add_assign(&mut self, o: Money) {
        self.0 += o.0;
    }
}

impl SubAssign for Money {
    fn sub_assign(&mut self, o: Money) {
        self.0 -= o.0;
    }
}

impl Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        iter.fold(Money::ZERO, Add::add)
    }
}

impl<'a> Sum<&'a Money> for Money {
    fn sum<I: Iterator<Item = &'a Money>>(iter: I) -> Money {
        iter.fold(Money::ZERO, |a, b| a + *b)
    }
}

/// JSON and other formats get a number rounded to the fen: the float
/// nearest to `20000.5` prints as `20000.5`.
impl Serialize for Money {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(self.to_fen().to_f64())
    }
}

/// Read from a number (the decimal it is written as) or a text amount.
impl<'de> Deserialize<'de> for Money {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Money, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Int(i64),
            Float(f64),
            Text(String),
        }
        match Raw::deserialize(d)? {
            Raw::Int(i) => Ok(Money::yuan(i)),
            Raw::Float(f) => {
                Money::from_f64(f).ok_or_else(|| serde::de::Error::custom("not a finite amount"))
            }
            Raw::Text(t) => {
                let t = t.trim();
                let neg = t.starts_with('-');
                let v = parse_amount(t.trim_start_matches('-'))
                    .ok()
                    .flatten()
                    .ok_or_else(|| serde::de::Error::custom(format!("not an amount: {t}")))?;
                Ok(Money(if neg { -v } else { v }))
            }
        }
    }
}

/// Serde for a plain decimal (staff): written as a JSON number, read from
/// a number (the decimal it is written as) or a text.
pub mod decimal_number {
    use super::*;

    /// Writes the number.
    pub fn serialize<S: Serializer>(v: &Decimal, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(v.to_f64().unwrap_or(0.0))
    }

    /// Reads a number or a text.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
        Money::deserialize(d).map(Money::decimal)
    }
}

/// Staff, a decimal with one place (MODEL.md §7): sums are exact and
/// written rounded to one place.
pub fn staff_text(v: Decimal) -> String {
    let r = v
        .round_dp_with_strategy(1, RoundingStrategy::MidpointAwayFromZero)
        .normalize();
    if r.is_zero() {
        "0".into()
    } else {
        r.to_string()
    }
}

/// Staff rounded to one place, as a float for JSON.
pub fn staff_f64(v: Decimal) -> f64 {
    v.round_dp_with_strategy(1, RoundingStrategy::MidpointAwayFromZero)
        .to_f64()
        .unwrap_or(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The quick reading of plain digits gives the general reading's
        /// decimal exactly (value and scale), or leaves the cell to it.
        #[test]
        fn plain_digits_read_as_the_general_path_reads_them(
            s in "[ ]?[0-9]{0,21}([.][0-9]{0,8})?[ ]?|0{0,3}[1-9]{0,3}[.]?0{0,4}"
        ) {
            let general = parse_amount_general(s.trim()).map(|v| v.map(|d| (d.mantissa(), d.scale())));
            let quick = parse_amount(&s).map(|v| v.map(|d| (d.mantissa(), d.scale())));
            prop_assert_eq!(quick, general);
            if let Some(w) = plain_whole(s.trim()) {
                let d = parse_amount_general(s.trim()).ok().flatten().map(|d| d.to_u64());
                prop_assert_eq!(d, Some(Some(w)));
            }
        }
    }

    proptest! {
        /// The quick trim is `str::trim`, on cells of any characters.
        #[test]
        fn trim_is_str_trim(s in "[ a\t\r\n\u{3000}\u{a0}\u{85}\u{2009}\u{205f}中¥é\u{e000}\u{10000}]{0,6}") {
            prop_assert_eq!(trim(&s), s.trim());
        }

        /// A plain decimal's float is the one `Decimal::to_f64` makes.
        #[test]
        fn plain_floats_are_the_decimals_floats(s in "[0-9]{1,12}([.][0-9]{1,6})?") {
            let (m, scale) = plain_digits(&s).expect("plain").expect("in range");
            let d = Decimal::new(m, scale);
            prop_assert_eq!(plain_f64(m, scale).to_bits(), d.to_f64().unwrap_or(f64::NAN).to_bits());
            // The parts the importer reads floats from give the same.
            let parts = plain_parts(&s).expect("plain").expect("in range");
            prop_assert_eq!(parts_f64(parts).to_bits(), plain_f64(m, scale).to_bits());
        }
    }

    #[test]
    fn white_space_begins_with_the_bytes_trim_looks_for() {
        let mut buf = [0u8; 4];
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let lead = c.encode_utf8(&mut buf).as_bytes()[0];
            if c.is_whitespace() {
                assert!(
                    matches!(lead, b'\t'..=b'\r' | b' ' | 0xC2 | 0xE1..=0xE3),
                    "{c:?}"
                );
            }
            // Each character alone and between others trims as str::trim.
            let one = c.to_string();
            assert_eq!(trim(&one), one.trim(), "{c:?}");
            let around = format!("{c}x{c}");
            assert_eq!(trim(&around), around.trim(), "{c:?}");
        }
    }

    #[test]
    fn plain_digits_stop_at_the_largest_amount() {
        assert_eq!(
            plain_digits("1000000000000000.00"),
            Some(Ok((1_000_000_000_000_000, 0)))
        );
        assert_eq!(
            plain_digits("1000000000000000.01"),
            Some(Err(NumberError::TooLarge))
        );
        assert_eq!(
            plain_digits("999999999999999.9"),
            Some(Ok((9_999_999_999_999_999, 1)))
        );
        assert_eq!(plain_digits("0.500"), Some(Ok((5, 1))));
        assert_eq!(plain_digits("000.000"), Some(Ok((0, 0))));
    }

    #[test]
    fn plain_digits_take_the_common_cells_only() {
        assert!(plain_digits("12000").is_some());
        assert!(plain_digits("79.5").is_some());
        assert!(plain_digits("0.000001").is_some());
        for general in [
            "",
            ".5",
            "5.",
            "1,000",
            "2.5万",
            "1.1234567",
            "1e5",
            "1234567890123456789",
        ] {
            assert!(plain_digits(general).is_none(), "{general}");
        }
        assert_eq!(
            plain_digits("1000000000000001"),
            Some(Err(NumberError::TooLarge))
        );
        assert_eq!(plain_whole("1000000000000000"), Some(MAX_AMOUNT as u64));
        assert_eq!(plain_whole("1000000000000001"), None);
    }

    fn amount(s: &str) -> Decimal {
        parse_amount(s).expect("parses").expect("not empty")
    }

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).expect("decimal")
    }

    #[test]
    fn amounts_are_exact() {
        assert_eq!(amount("1.14万"), d("11400"));
        assert_eq!(amount("1.2345万"), d("12345"));
        assert_eq!(amount("¥20,000.50"), d("20000.5"));
        assert_eq!(amount("￥2,000.50元"), d("2000.5"));
        assert_eq!(amount("2.5万元"), d("25000"));
        assert_eq!(amount("1亿"), d("100000000"));
        assert_eq!(amount("1.5E+07"), d("15000000"));
        assert_eq!(amount("2e-3"), d("0.002"));
        assert_eq!(amount("0.1"), d("0.1"));
        assert_eq!(amount(".5"), d("0.5"));
        assert_eq!(amount("007.50"), d("7.5"));
        assert_eq!(amount("-0"), d("0"));
        assert_eq!(amount("0.1234567"), d("0.123457"), "six places kept");
        assert_eq!(parse_amount("  "), Ok(None));
    }

    #[test]
    fn what_is_not_an_amount_says_why() {
        assert_eq!(amount("+5"), d("5"));
        for bad in [
            "abc", "1,23", "1.2.3", "--1", "+-5", "万", "1e", "e5", "¥", "1 000",
        ] {
            assert_eq!(parse_amount(bad), Err(NumberError::NotANumber), "{bad}");
        }
        assert_eq!(parse_amount("-5"), Err(NumberError::Negative));
        assert_eq!(parse_amount("−1.14万"), Err(NumberError::Negative));
        assert_eq!(parse_amount("1e308"), Err(NumberError::TooLarge));
        assert_eq!(parse_amount("2000000000000000"), Err(NumberError::TooLarge));
        assert_eq!(
            parse_amount("99999999999999999999999999999999999"),
            Err(NumberError::TooLarge)
        );
        assert_eq!(parse_amount("20亿亿"), Err(NumberError::NotANumber));
        assert_eq!(parse_amount("1000000000亿"), Err(NumberError::TooLarge));
    }

    #[test]
    fn money_prints_to_the_fen() {
        let m = |s: &str| Money::from_decimal(d(s));
        assert_eq!(m("17100").to_string(), "17100");
        assert_eq!(m("20000.5").to_string(), "20000.5");
        assert_eq!(m("1234.567").to_string(), "1234.57");
        assert_eq!(m("0.005").to_string(), "0.01", "half away from zero");
        assert_eq!(m("-0.004").to_string(), "0", "never -0");
        assert_eq!(m("1234567").grouped(), "1,234,567");
        assert_eq!(m("20000.5").grouped(), "20,000.50");
        assert_eq!(m("-5000").grouped(), "-5,000");
        assert_eq!(m("-0.001").grouped(), "0");
        assert_eq!(m("999.5").grouped_yuan(), "1,000");
        assert_eq!(
            serde_json::to_string(&m("11399.999999999998")).expect("json"),
            "11400.0"
        );
        assert_eq!(
            serde_json::to_string(&m("20000.5")).expect("json"),
            "20000.5"
        );
    }

    #[test]
    fn money_reads_back_what_it_wrote() {
        for s in ["0", "11400", "20000.5", "0.07", "123456789012.34"] {
            let m = Money::from_decimal(d(s));
            let json = serde_json::to_string(&m).expect("json");
            let back: Money = serde_json::from_str(&json).expect("read");
            assert_eq!(back, m, "{s} via {json}");
        }
        let text: Money = serde_json::from_str("\"1.14万\"").expect("text");
        assert_eq!(text, Money::yuan(11400));
        assert!(serde_json::from_str::<Money>("\"abc\"").is_err());
    }

    #[test]
    fn units_and_ratios() {
        let m = Money::from_decimal(d("12.34"));
        assert_eq!(m.units(2), Some(1234));
        assert_eq!(m.units(4), Some(123400));
        assert_eq!(m.units(1), None);
        assert_eq!(Money::from_units(1234, 2), m);
        assert_eq!(m.places(), 2);
        assert_eq!(Money::yuan(12).ratio(Money::yuan(4)), Some(3.0));
        assert_eq!(Money::yuan(12).ratio(Money::ZERO), None);
        assert_eq!(decimal_of(0.1), Some(d("0.1")));
        assert_eq!(decimal_of(f64::NAN), None);
        assert_eq!(staff_text(d("7360.70000000001")), "7360.7");
        assert_eq!(staff_text(d("0.04")), "0");
        assert_eq!(staff_f64(d("2.25")), 2.3);
    }
}
