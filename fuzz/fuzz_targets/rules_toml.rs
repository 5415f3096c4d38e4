//! Rules TOML: any text gives the rules that could be read and located
//! issues naming the file; never a panic. The rules read are applied to a
//! small inventory, and must survive the app's save-and-reload: what
//! `to_toml` writes reads back as the same rules without a complaint.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use sitefold::i18n::Lang;
use sitefold::inventory::{ImportOptions, Imported, import_bytes};
use sitefold::plan::RuleSet;
use sitefold::workspace::Workspace;

const SOURCE: &str = "fuzz-rules.toml";

const INVENTORY: &str = "site_id,level,kind,parent_id,annual_budget,inspection_score,monthly_visits,reprint_hours\n\
P,province,portal,,1000000,90,100000,1\n\
C,prefecture,portal,P,200000,80,,\n\
T1,township,portal,C,10000,40,20,48\n\
T2,township,department,C,30000,,5,\n";

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
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (rules, issues) = RuleSet::parse(text, SOURCE);
    for issue in &issues {
        assert_eq!(issue.source, SOURCE);
        let _ = issue.render(Lang::Zh);
    }
    for rule in &rules.rules {
        let _ = rule.describe(Lang::Zh);
        let _ = rule.describe(Lang::En);
    }
    let mut ws = Workspace::new(inventory().clone());
    ws.rules = rules.clone();
    let _ = ws.summary();

    let saved = rules.to_toml();
    let (again, issues) = RuleSet::parse(&saved, "saved.toml");
    let errors: Vec<String> = issues
        .iter()
        .filter(|i| i.is_error)
        .map(|i| i.render(Lang::En))
        .collect();
    assert!(
        errors.is_empty(),
        "saved rules do not read back: {errors:?}\n{saved}"
    );
    assert_eq!(again, rules, "saved rules read back different:\n{saved}");
});
