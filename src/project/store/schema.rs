//! The tables of a project file (format version 2) and how connections to
//! it are set up. The README's "Project file format" section documents the
//! same tables for readers with other tools; keep the two in step.

use rusqlite::Connection;
use rusqlite::config::DbConfig;

/// The SQLite header's `application_id` of a Sitefold project: `SFLD`.
/// `PRAGMA application_id` reads it; tools such as `file` recognise it.
pub const APPLICATION_ID: i32 = 0x5346_4C44;

/// The first bytes of every SQLite database file.
pub const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// Every table, created in one go in a new file.
pub(super) const SCHEMA: &str = "
CREATE TABLE meta (
    key   TEXT PRIMARY KEY NOT NULL,
    value
) WITHOUT ROWID;
CREATE TABLE sites (
    pos               INTEGER PRIMARY KEY,
    id                TEXT NOT NULL,
    name              TEXT NOT NULL,
    url               TEXT NOT NULL,
    level             TEXT NOT NULL,
    kind              TEXT NOT NULL,
    parent_id         TEXT NOT NULL,
    region            TEXT NOT NULL,
    budget            TEXT,
    staff             TEXT,
    population        INTEGER,
    monthly_visits    INTEGER,
    online_services   INTEGER,
    inspection_score  REAL,
    inspection_passed INTEGER,
    reprint_hours     REAL,
    line              INTEGER NOT NULL
);
CREATE TABLE decisions (
    layer     TEXT NOT NULL,
    site_id   TEXT NOT NULL,
    action    TEXT NOT NULL,
    target_id TEXT,
    PRIMARY KEY (layer, site_id)
) WITHOUT ROWID;
CREATE TABLE notes (
    site_id TEXT PRIMARY KEY NOT NULL,
    note    TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE schedule (
    site_id TEXT PRIMARY KEY NOT NULL,
    quarter TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE statuses (
    seq     INTEGER PRIMARY KEY,
    site_id TEXT NOT NULL,
    status  TEXT NOT NULL,
    date    TEXT NOT NULL,
    person  TEXT NOT NULL,
    note    TEXT NOT NULL
);
CREATE TABLE audit (
    seq     INTEGER PRIMARY KEY,
    time    TEXT NOT NULL,
    person  TEXT NOT NULL,
    action  TEXT NOT NULL,
    site_id TEXT NOT NULL,
    before  TEXT NOT NULL,
    after   TEXT NOT NULL,
    reason  TEXT NOT NULL
);
CREATE TABLE scenarios (
    pos    INTEGER PRIMARY KEY,
    name   TEXT NOT NULL,
    rules  TEXT NOT NULL,
    params TEXT NOT NULL
);
CREATE TABLE scenario_decisions (
    scenario  INTEGER NOT NULL,
    layer     TEXT NOT NULL,
    seq       INTEGER NOT NULL,
    site_id   TEXT NOT NULL,
    action    TEXT NOT NULL,
    target_id TEXT,
    PRIMARY KEY (scenario, layer, seq)
) WITHOUT ROWID;
";

/// The tables a project file must have.
pub(super) const TABLES: [&str; 9] = [
    "meta",
    "sites",
    "decisions",
    "notes",
    "schedule",
    "statuses",
    "audit",
    "scenarios",
    "scenario_decisions",
];

/// Hardens a connection to a file that may come from anywhere: the
/// schema cannot call functions with side effects, and a damaged or
/// crafted file cannot be used to write outside what SQL allows
/// (SQLite's "defensive" mode), and damaged cells are noticed early.
pub(super) fn harden(conn: &Connection) -> rusqlite::Result<()> {
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_DEFENSIVE, true)?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_TRUSTED_SCHEMA, false)?;
    conn.execute_batch("PRAGMA cell_size_check = ON;")?;
    // Another program (a reader of the file) may hold it for a moment.
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    Ok(())
}

/// A connection that saves into the project in place: every save one
/// transaction with a rollback journal beside the file while it runs
/// (`NAME.sitefold-journal`, deleted at the commit) and `synchronous=FULL`,
/// so that a save survives a crash or a power cut whole, or not at all,
/// and the file itself always holds the last save.
///
/// Not a write-ahead log, although its commit flushes the disk once
/// instead of two or three times: the log holds saves beside the project
/// until it is emptied into it, so a planner who copies or mails the
/// `.sitefold` file while the app is open (or after it crashed) would send
/// an older project, and a log does not work on the network shares where
/// offices keep their files (it needs memory shared between the
/// programs using the file). Trust before speed: an edit saved in place
/// takes 4–10 ms, the commit and its flushes under 1 ms of it, when no
/// other program is writing gigabytes to the same disk (BENCHMARKS.md).
pub(super) fn for_saving(conn: &Connection) -> rusqlite::Result<()> {
    harden(conn)?;
    conn.pragma_update(None, "journal_mode", "DELETE")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    Ok(())
}

/// Closes a connection made by [`for_saving`]. A file left in
/// write-ahead mode (by an earlier version of this code, or another
/// program) has its log emptied into it and goes back to a rollback
/// journal, so that it is one file that can be copied, mailed or opened
/// from a read-only folder.
pub(super) fn close(conn: Connection) {
    // Readers finish quickly; a close does not wait long for them.
    let _ = conn.busy_timeout(std::time::Duration::from_millis(500));
    let back =
        conn.pragma_update_and_check(None, "journal_mode", "DELETE", |r| r.get::<_, String>(0));
    if !back.is_ok_and(|m| m.eq_ignore_ascii_case("delete")) {
        let _ = conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);");
    }
    let _ = conn.close();
}

/// A connection writing a new file that nobody else sees until it is
/// renamed into place: no journal and no syncs (the file is synced once,
/// before the rename).
pub(super) fn for_new_file(conn: &Connection) -> rusqlite::Result<()> {
    harden(conn)?;
    conn.execute_batch(
        "PRAGMA journal_mode = OFF;
         PRAGMA synchronous = OFF;
         PRAGMA locking_mode = EXCLUSIVE;
         PRAGMA cache_size = -65536;",
    )?;
    conn.pragma_update(None, "application_id", APPLICATION_ID)?;
    conn.pragma_update(None, "user_version", super::super::VERSION)?;
    Ok(())
}

/// What the 100-byte SQLite header says of a file, read before SQLite
/// opens it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Header {
    /// `PRAGMA application_id`.
    pub application_id: u32,
    /// `PRAGMA user_version`: the project format version.
    pub user_version: u32,
    /// The size the header gives the database, in bytes (0 when the
    /// header does not know it).
    pub expected_len: u64,
}

/// Reads the SQLite header from the first bytes of a file; `None` when
/// they are not an SQLite header (or fewer than 100 bytes).
pub fn parse_header(b: &[u8]) -> Option<Header> {
    if b.len() < 100 || !b.starts_with(SQLITE_MAGIC) {
        return None;
    }
    let be32 = |at: usize| u32::from_be_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]]);
    let page_size = match u16::from_be_bytes([b[16], b[17]]) {
        1 => 65_536,
        n => u64::from(n),
    };
    // The page count is valid only when the change counter matches the
    // "version valid for" number (SQLite 3.7.0 and later).
    let pages = if be32(24) == be32(92) {
        u64::from(be32(28))
    } else {
        0
    };
    Some(Header {
        application_id: be32(68),
        user_version: be32(60),
        expected_len: pages * page_size,
    })
}
