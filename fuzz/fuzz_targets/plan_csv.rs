//! Plan CSV, read against a fixed small inventory: any bytes give manual
//! decisions with located issues, or one issue naming the file; never a
//! panic. Accepted decisions are then evaluated.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use sitefold::i18n::Lang;
use sitefold::inventory::{ImportOptions, Imported, import_bytes};
use sitefold::plan::parse_plan_file;
use sitefold::workspace::Workspace;

const SOURCE: &str = "fuzz-plan.csv";

const INVENTORY: &str = "site_id,name,level,kind,parent_id,annual_budget,population,online_services,inspection_score,inspection_passed\n\
P,省政府,province,portal,,1000000,1000,10,90,yes\n\
PD,省教育厅,province,department,P,50000,0,3,70,\n\
C,市政府,prefecture,portal,P,200000,600,5,80,yes\n\
T1,镇一,township,portal,C,10000,100,2,40,no\n\
T2,镇二,township,portal,C,30000,200,1,70,\n\
=X,公式,county,department,C,1,0,0,,\n";

fn inventory() -> &'static Imported {
    static INV: OnceLock<Imported> = OnceLock::new();
    INV.get_or_init(|| {
        import_bytes(
            INVENTORY.as_bytes(),
            "inventory.csv",
            &ImportOptions::default(),
        )
        .expect("the fixed inventory imports")
    })
}

fuzz_target!(|data: &[u8]| {
    let imported = inventory();
    match parse_plan_file(data, SOURCE, &imported.inventory) {
        Ok(plan) => {
            assert_eq!(plan.decisions.len(), imported.inventory.len());
            for issue in &plan.issues {
                assert_eq!(issue.source, SOURCE);
                let _ = issue.render(Lang::Zh);
            }
            let mut ws = Workspace::new(imported.clone());
            ws.apply_manual_plan(plan);
            let _ = ws.summary();
        }
        Err(issue) => {
            assert_eq!(issue.source, SOURCE);
            assert!(issue.render(Lang::En).contains(SOURCE));
            assert!(issue.render(Lang::Zh).contains(SOURCE));
        }
    }
});
