//! Excel inventory, structure-aware: the input is the XML of the worksheet,
//! then (after a line `=====`) the shared strings, then optionally the
//! workbook part. The target packs them with fixed content types and
//! relationships into a real `.xlsx` (stored, so the fuzzer's edits reach
//! calamine's XML reading and Sitefold's grid, header and merge handling
//! instead of failing the zip checksum) and imports it like a user's file.
//! (A panic inside the spreadsheet reader that Sitefold catches is not a
//! crash: see `common/mod.rs`.)
#![no_main]

use std::io::Write;
use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

mod common;
use sitefold::i18n::Lang;
use sitefold::inventory::{ImportOptions, import_path};
use sitefold::workspace::Workspace;
use zip::write::SimpleFileOptions;

const SEPARATOR: &[u8] = b"\n=====\n";

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>"#;

const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;

const WORKBOOK_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#;

const WORKBOOK: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#;

fn path() -> &'static PathBuf {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| {
        std::env::temp_dir().join(format!("sitefold-fuzz-parts-{}.xlsx", std::process::id()))
    })
}

fn split(data: &[u8]) -> Vec<&[u8]> {
    let mut parts = Vec::new();
    let mut rest = data;
    while let Some(at) = rest.windows(SEPARATOR.len()).position(|w| w == SEPARATOR) {
        parts.push(&rest[..at]);
        rest = &rest[at + SEPARATOR.len()..];
    }
    parts.push(rest);
    parts
}

fn pack(parts: &[&[u8]]) -> zip::result::ZipResult<Vec<u8>> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let mut add = |name: &str, bytes: &[u8]| -> zip::result::ZipResult<()> {
        zip.start_file(name, opts)?;
        zip.write_all(bytes)?;
        Ok(())
    };
    add("[Content_Types].xml", CONTENT_TYPES.as_bytes())?;
    add("_rels/.rels", RELS.as_bytes())?;
    add("xl/_rels/workbook.xml.rels", WORKBOOK_RELS.as_bytes())?;
    add(
        "xl/workbook.xml",
        parts.get(2).copied().unwrap_or(WORKBOOK.as_bytes()),
    )?;
    add("xl/worksheets/sheet1.xml", parts[0])?;
    if let Some(strings) = parts.get(1) {
        add("xl/sharedStrings.xml", strings)?;
    }
    Ok(zip.finish()?.into_inner())
}

fuzz_target!(init: common::install_panic_policy(), |data: &[u8]| {
    common::run(|| one(data));
});

fn one(data: &[u8]) {
    let parts = split(data);
    if parts.len() > 3 {
        return;
    }
    let Ok(bytes) = pack(&parts) else {
        return;
    };
    let path = path();
    if std::fs::write(path, &bytes).is_err() {
        return;
    }
    let name = path.display().to_string();
    match import_path(path, &ImportOptions::default()) {
        Ok(imported) => {
            let ws = Workspace::new(imported);
            let _ = ws.summary();
        }
        Err(e) => {
            let en = e.to_string();
            let zh = e.message(Lang::Zh);
            assert!(en.contains(&name), "error does not name the file: {en}");
            assert!(zh.contains(&name), "error does not name the file: {zh}");
        }
    }
}
