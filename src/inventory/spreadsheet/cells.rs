//! Cells to text: every kind of cell value written as the importer reads
//! it (numbers as Excel shows them, dates as ISO text, durations as hours).

use std::borrow::Cow;

use calamine::{Data, DataRef, ExcelDateTime};

use crate::inventory::values::fmt_number;

/// The text of a streamed cell.
pub(super) fn ref_text<'s>(v: &'s DataRef<'_>) -> Cow<'s, str> {
    match v {
        DataRef::Int(i) => Cow::Owned(i.to_string()),
        DataRef::Float(f) => Cow::Owned(number_text(*f)),
        DataRef::String(s) => Cow::Borrowed(s.trim()),
        DataRef::SharedString(s) => Cow::Borrowed(s.trim()),
        DataRef::Bool(b) => Cow::Borrowed(if *b { "true" } else { "false" }),
        DataRef::DateTime(d) => Cow::Owned(datetime_text(d)),
        DataRef::DateTimeIso(s) => Cow::Owned(iso_datetime_text(s)),
        DataRef::DurationIso(s) => Cow::Owned(iso_duration_text(s)),
        DataRef::Error(e) => Cow::Owned(e.to_string()),
        DataRef::Empty => Cow::Borrowed(""),
    }
}

/// The text of a cell of a whole-sheet range.
pub(super) fn data_text(v: &Data) -> Cow<'_, str> {
    match v {
        Data::Int(i) => Cow::Owned(i.to_string()),
        Data::Float(f) => Cow::Owned(number_text(*f)),
        Data::String(s) => Cow::Borrowed(s.trim()),
        Data::Bool(b) => Cow::Borrowed(if *b { "true" } else { "false" }),
        Data::DateTime(d) => Cow::Owned(datetime_text(d)),
        Data::DateTimeIso(s) => Cow::Owned(iso_datetime_text(s)),
        Data::DurationIso(s) => Cow::Owned(iso_duration_text(s)),
        Data::Error(e) => Cow::Owned(e.to_string()),
        Data::Empty => Cow::Borrowed(""),
    }
}

/// A number as Excel shows it: at most 15 significant digits, no `.0`.
fn number_text(v: f64) -> String {
    if !v.is_finite() {
        return String::new();
    }
    if v.fract() == 0.0 && v.abs() < 1e15 {
        // Whole numbers of at most 15 digits (and -0) are exact.
        return (v as i64).to_string();
    }
    let shortest = format!("{v}");
    let digits = shortest
        .bytes()
        .skip_while(|b| !matches!(b, b'1'..=b'9'))
        .filter(u8::is_ascii_digit)
        .count();
    if digits <= 15 {
        return shortest;
    }
    let rounded = format!("{v:.14e}").parse::<f64>().unwrap_or(v);
    fmt_number(rounded)
}

/// An Excel date, time or duration as text.
fn datetime_text(d: &ExcelDateTime) -> String {
    if d.is_duration() {
        // Hours, to the millisecond.
        let ms = (d.as_f64() * 86_400_000.0).round();
        return number_text(ms / 3_600_000.0);
    }
    let (y, mo, day, h, mi, s, _) = d.to_ymd_hms_milli();
    let serial = d.as_f64();
    let has_time = (h, mi, s) != (0, 0, 0);
    if (0.0..1.0).contains(&serial) {
        format!("{h:02}:{mi:02}:{s:02}")
    } else if has_time {
        format!("{y:04}-{mo:02}-{day:02}T{h:02}:{mi:02}:{s:02}")
    } else {
        format!("{y:04}-{mo:02}-{day:02}")
    }
}

/// An ODS date: midnight dropped.
fn iso_datetime_text(s: &str) -> String {
    let s = s.trim();
    for suffix in ["T00:00:00.000", "T00:00:00"] {
        if let Some(d) = s.strip_suffix(suffix) {
            return d.to_string();
        }
    }
    s.to_string()
}

/// An ODS duration (`PT36H00M00S`, `P1DT2H`) as hours; other text as is.
fn iso_duration_text(s: &str) -> String {
    let t = s.trim();
    let parse = || -> Option<f64> {
        let rest = t.strip_prefix('P')?;
        let (days, time) = match rest.split_once('T') {
            Some((d, t)) => (d, t),
            None => (rest, ""),
        };
        let mut hours = 0.0;
        if !days.is_empty() {
            hours += days.strip_suffix('D')?.parse::<f64>().ok()? * 24.0;
        }
        let mut num = String::new();
        for ch in time.chars() {
            match ch {
                'H' | 'M' | 'S' => {
                    let v: f64 = num.parse().ok()?;
                    num.clear();
                    hours += match ch {
                        'H' => v,
                        'M' => v / 60.0,
                        _ => v / 3600.0,
                    };
                }
                c => num.push(c),
            }
        }
        num.is_empty().then_some(hours)
    };
    match parse() {
        Some(h) => number_text((h * 3_600_000.0).round() / 3_600_000.0),
        None => t.to_string(),
    }
}

/// A header cell on one line: a line break between Chinese characters
/// disappears, elsewhere it becomes a space.
pub(crate) fn header_text(s: &str) -> String {
    if !s.contains(['\n', '\r']) {
        return s.trim().to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut pending_break = false;
    for ch in s.chars() {
        if ch == '\n' || ch == '\r' {
            pending_break = true;
            continue;
        }
        if pending_break {
            let before_ascii = out.chars().last().is_none_or(|c| c.is_ascii());
            if before_ascii && ch.is_ascii() && !out.is_empty() {
                out.push(' ');
            }
            pending_break = false;
        }
        out.push(ch);
    }
    out.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_excel_shows_them() {
        assert_eq!(number_text(2000.0), "2000");
        assert_eq!(number_text(2.5), "2.5");
        assert_eq!(number_text(0.1 + 0.2), "0.3");
        assert_eq!(number_text(-0.0), "0");
        assert_eq!(number_text(123456789012.0), "123456789012");
        assert_eq!(number_text(1234.5600000000002), "1234.56");
    }

    #[test]
    fn header_line_breaks() {
        assert_eq!(header_text("年度预算\n（元）"), "年度预算（元）");
        assert_eq!(header_text("annual\r\nbudget"), "annual budget");
        assert_eq!(header_text(" 网站\n标识码 "), "网站标识码");
    }

    #[test]
    fn ods_durations_and_dates() {
        assert_eq!(iso_duration_text("PT36H00M00S"), "36");
        assert_eq!(iso_duration_text("P1DT2H30M"), "26.5");
        assert_eq!(iso_duration_text("soon"), "soon");
        assert_eq!(iso_datetime_text("2024-03-01T00:00:00"), "2024-03-01");
        assert_eq!(
            iso_datetime_text("2024-03-01T08:30:00"),
            "2024-03-01T08:30:00"
        );
    }

    #[test]
    fn excel_dates() {
        use calamine::ExcelDateTimeType;
        let d = ExcelDateTime::new(45352.0, ExcelDateTimeType::DateTime, false);
        assert_eq!(datetime_text(&d), "2024-03-01");
        let d = ExcelDateTime::new(45352.5, ExcelDateTimeType::DateTime, false);
        assert_eq!(datetime_text(&d), "2024-03-01T12:00:00");
        let d = ExcelDateTime::new(0.25, ExcelDateTimeType::DateTime, false);
        assert_eq!(datetime_text(&d), "06:00:00");
        let d = ExcelDateTime::new(1.5, ExcelDateTimeType::TimeDelta, false);
        assert_eq!(datetime_text(&d), "36");
    }
}
