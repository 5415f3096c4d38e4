//! Inventory CSV: any bytes give an inventory with its report, or an error
//! naming the file; never a panic. A successful import is then summarised
//! (linking, own population, the outcome of the empty plan) and its report
//! rendered, so odd inventories reach the code after the parser too, and
//! every text read is checked to be valid UTF-8.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sitefold::i18n::Lang;
use sitefold::inventory::{ImportOptions, import_bytes};
use sitefold::workspace::Workspace;

const SOURCE: &str = "fuzz-inventory.csv";

fuzz_target!(|data: &[u8]| {
    match import_bytes(data, SOURCE, &ImportOptions::default()) {
        Ok(imported) => {
            // The importer reads cells without a second UTF-8 check (an
            // `unsafe` conversion): every text that comes out must be valid.
            for site in imported.inventory.sites() {
                for text in [
                    &site.id,
                    &site.name,
                    &site.url,
                    &site.parent_id,
                    &site.region,
                ] {
                    assert!(std::str::from_utf8(text.as_bytes()).is_ok());
                }
            }
            for h in &imported.header {
                assert!(std::str::from_utf8(h.as_bytes()).is_ok());
            }
            let r = &imported.report;
            for issue in &r.issues {
                let _ = r.render_issue(issue, Lang::Zh);
                let _ = r.render_issue(issue, Lang::En);
            }
            let ws = Workspace::new(imported);
            let summary = ws.summary();
            let _ = summary.to_json();
        }
        Err(e) => {
            let en = e.to_string();
            let zh = e.message(Lang::Zh);
            assert!(en.contains(SOURCE), "error does not name the file: {en}");
            assert!(zh.contains(SOURCE), "error does not name the file: {zh}");
        }
    }
});
