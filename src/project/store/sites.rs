//! The `sites` table: one row per site, in file order, with real columns.
//! Money and staff are exact decimal text (`12345.67`), counts are
//! integers, scores and hours are 8-byte floats (bit for bit), and a value
//! missing in the inventory is NULL (it reads back as missing).
//!
//! Each site is written through one description of its cells
//! ([`visit_site`]), which both binds the row and fingerprints it, so that
//! a save rewrites only the rows whose cells changed.

use std::hash::Hasher;

use rusqlite::types::ValueRef;
use rust_decimal::Decimal;

use crate::inventory::{Column, Site};

use super::super::recheck::{SavedRow, passed_text};

/// The columns of `sites` after `pos`, in the order [`visit_site`] gives them.
pub(super) const COLUMNS: [&str; 16] = [
    "id",
    "name",
    "url",
    "level",
    "kind",
    "parent_id",
    "region",
    "budget",
    "staff",
    "population",
    "monthly_visits",
    "online_services",
    "inspection_score",
    "inspection_passed",
    "reprint_hours",
    "line",
];

/// Where the cells of a site go.
pub(super) trait CellSink {
    fn null(&mut self);
    fn int(&mut self, v: i64);
    fn real(&mut self, v: f64);
    fn text(&mut self, v: &str);
    fn decimal(&mut self, d: Decimal);
}

fn whole(out: &mut impl CellSink, v: u64) {
    match i64::try_from(v) {
        Ok(v) => out.int(v),
        // Beyond any figure the importer accepts (10^18).
        Err(_) => out.text(&v.to_string()),
    }
}

fn float(out: &mut impl CellSink, v: Option<f64>) {
    match v {
        None => out.null(),
        // SQLite stores NaN as NULL: kept as text, as the file had it.
        Some(v) if v.is_nan() => out.text("NaN"),
        Some(v) => out.real(v),
    }
}

/// The cells of a site, in [`COLUMNS`] order.
pub(super) fn visit_site(s: &Site, out: &mut impl CellSink) {
    let known = |c: Column| !s.missing.has(c);
    out.text(&s.id);
    out.text(&s.name);
    out.text(&s.url);
    out.text(s.level.key());
    out.text(s.kind.key());
    out.text(&s.parent_id);
    out.text(&s.region);
    if known(Column::AnnualBudget) {
        out.decimal(s.budget.decimal());
    } else {
        out.null();
    }
    if known(Column::Staff) {
        out.decimal(s.staff);
    } else {
        out.null();
    }
    if known(Column::Population) {
        whole(out, s.population);
    } else {
        out.null();
    }
    match s.monthly_visits {
        Some(v) => whole(out, v),
        None => out.null(),
    }
    if known(Column::OnlineServices) {
        whole(out, s.online_services);
    } else {
        out.null();
    }
    float(out, s.inspection_score);
    match s.inspection_passed {
        Some(p) => out.int(i64::from(p)),
        None => out.null(),
    }
    float(out, s.reprint_hours);
    whole(out, s.line);
}

/// The fingerprint a save compares a site's row with: every field, read
/// as it is in memory (no text made), so that 100,000 sites are compared
/// in a few milliseconds.
pub(super) fn fingerprint(s: &Site) -> u64 {
    let mut h = rustc_hash::FxHasher::default();
    for t in [&s.id, &s.name, &s.url, &s.parent_id, &s.region] {
        h.write(t.as_bytes());
        h.write_u8(0xFF);
    }
    h.write_u8(s.level.number());
    h.write(s.kind.key().as_bytes());
    h.write(&s.budget.decimal().serialize());
    h.write(&s.staff.serialize());
    h.write_u64(s.population);
    h.write_u64(s.monthly_visits.map_or(u64::MAX, |v| v ^ 0x5A5A));
    h.write_u8(u8::from(s.monthly_visits.is_some()));
    h.write_u64(s.online_services);
    for v in [s.inspection_score, s.reprint_hours] {
        h.write_u8(u8::from(v.is_some()));
        h.write_u64(v.map_or(0, f64::to_bits));
    }
    h.write_u8(match s.inspection_passed {
        None => 2,
        Some(p) => u8::from(p),
    });
    h.write_u64(s.line);
    for c in crate::inventory::Missing::COLUMNS {
        h.write_u8(u8::from(s.missing.has(c)));
    }
    h.finish()
}

/// Fingerprints cells as they are stored: the same cells give the same
/// number whether they come from a site or from a row of the file (used
/// as a file opens, to find rows not written as this version writes them).
#[derive(Default)]
pub(super) struct CellHash(rustc_hash::FxHasher);

impl CellHash {
    /// The fingerprint of a site's row.
    pub(super) fn of_site(s: &Site) -> u64 {
        let mut h = CellHash::default();
        visit_site(s, &mut h);
        h.0.finish()
    }

    /// The fingerprint of a row as read (its cells after `pos`).
    pub(super) fn of_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<u64> {
        let mut h = CellHash::default();
        for i in 1..=COLUMNS.len() {
            match row.get_ref(i)? {
                ValueRef::Null => h.null(),
                ValueRef::Integer(v) => h.int(v),
                ValueRef::Real(v) => h.real(v),
                ValueRef::Text(t) => h.bytes(3, t),
                ValueRef::Blob(b) => h.bytes(4, b),
            }
        }
        Ok(h.0.finish())
    }

    fn bytes(&mut self, tag: u8, b: &[u8]) {
        self.0.write_u8(tag);
        self.0.write(b);
        // 0xFF never occurs in UTF-8: the end of one text is unambiguous.
        self.0.write_u8(0xFF);
    }
}

impl std::fmt::Write for CellHash {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0.write(s.as_bytes());
        Ok(())
    }
}

impl CellSink for CellHash {
    fn null(&mut self) {
        self.0.write_u8(0);
    }
    fn int(&mut self, v: i64) {
        self.0.write_u8(1);
        self.0.write_i64(v);
    }
    fn real(&mut self, v: f64) {
        self.0.write_u8(2);
        self.0.write_u64(v.to_bits());
    }
    fn text(&mut self, v: &str) {
        self.bytes(3, v.as_bytes());
    }
    fn decimal(&mut self, d: Decimal) {
        self.0.write_u8(3);
        let _ = std::fmt::Write::write_fmt(self, format_args!("{}", d.normalize()));
        self.0.write_u8(0xFF);
    }
}

/// Binds a site's cells to a statement's parameters, from `first` on.
pub(super) struct Binder<'s, 'c> {
    pub stmt: &'s mut rusqlite::Statement<'c>,
    pub at: usize,
    pub buf: String,
    pub error: Option<rusqlite::Error>,
}

impl Binder<'_, '_> {
    fn bind<T: rusqlite::ToSql>(&mut self, v: T) {
        if self.error.is_none()
            && let Err(e) = self.stmt.raw_bind_parameter(self.at, v)
        {
            self.error = Some(e);
        }
        self.at += 1;
    }
}

impl CellSink for Binder<'_, '_> {
    fn null(&mut self) {
        self.bind(rusqlite::types::Null);
    }
    fn int(&mut self, v: i64) {
        self.bind(v);
    }
    fn real(&mut self, v: f64) {
        self.bind(v);
    }
    fn text(&mut self, v: &str) {
        self.bind(v);
    }
    fn decimal(&mut self, d: Decimal) {
        use std::fmt::Write;
        let mut buf = std::mem::take(&mut self.buf);
        buf.clear();
        let _ = write!(buf, "{}", d.normalize());
        self.bind(buf.as_str());
        self.buf = buf;
    }
}

/// Writes one site as row `pos` with `stmt`, which takes `pos` and the
/// cells as parameters 1 to 17 (an insert, or an update by `pos`).
pub(super) fn write_site(
    stmt: &mut rusqlite::Statement<'_>,
    pos: usize,
    site: &Site,
    buf: &mut String,
) -> rusqlite::Result<()> {
    stmt.raw_bind_parameter(1, pos as i64)?;
    let mut b = Binder {
        stmt,
        at: 2,
        buf: std::mem::take(buf),
        error: None,
    };
    visit_site(site, &mut b);
    *buf = std::mem::take(&mut b.buf);
    if let Some(e) = b.error {
        return Err(e);
    }
    stmt.raw_execute()?;
    Ok(())
}

/// Adds a cell of a row to `record` as the importer reads a cell: text,
/// whatever the file holds there (a number, a text someone typed in
/// another tool). `buf` is room for numbers made text.
fn push_cell(record: &mut csv::StringRecord, v: ValueRef<'_>, buf: &mut String) {
    use std::fmt::Write;
    match v {
        ValueRef::Null => record.push_field(""),
        ValueRef::Integer(i) => {
            buf.clear();
            let _ = write!(buf, "{i}");
            record.push_field(buf);
        }
        ValueRef::Real(r) => {
            buf.clear();
            let _ = write!(buf, "{r}");
            record.push_field(buf);
        }
        ValueRef::Text(t) | ValueRef::Blob(t) => record.push_field(&String::from_utf8_lossy(t)),
    }
}

/// One row of `sites` as read: the cells for the re-check, the exact
/// floats (the re-check reads text), and where the row sits.
pub(super) struct ReadSite {
    pub row: SavedRow,
    pub score: Option<f64>,
    pub hours: Option<f64>,
}

/// Reads a row of `SELECT pos, <COLUMNS> FROM sites`; `buf` is room for
/// numbers made text.
pub(super) fn read_site(r: &rusqlite::Row<'_>, buf: &mut String) -> rusqlite::Result<ReadSite> {
    let real = |i: usize| {
        r.get_ref(i).map(|v| match v {
            ValueRef::Real(x) => Some(x),
            ValueRef::Integer(x) => Some(x as f64),
            _ => None,
        })
    };
    let line = match r.get_ref(16)? {
        ValueRef::Integer(l) => u64::try_from(l).unwrap_or(0),
        _ => 0,
    };
    let mut cells = csv::StringRecord::with_capacity(160, 15);
    for i in 1..=15 {
        match (i, r.get_ref(i)?) {
            (14, ValueRef::Integer(1)) => cells.push_field(passed_text(Some(true))),
            (14, ValueRef::Integer(0)) => cells.push_field(passed_text(Some(false))),
            (_, v) => push_cell(&mut cells, v, buf),
        }
    }
    Ok(ReadSite {
        row: SavedRow {
            line,
            // From the `site_sources` part (see `read`).
            source: 0,
            cells,
        },
        score: real(13)?,
        hours: real(15)?,
    })
}
