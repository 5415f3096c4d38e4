//! Params TOML: any text gives parameters (defaults where a value is bad)
//! and located issues naming the file; never a panic. Every value read is
//! in its range, and the app's save-and-reload keeps it: what `to_toml`
//! writes reads back as the same parameters without a complaint.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sitefold::i18n::Lang;
use sitefold::plan::{ParamKey, Params};

const SOURCE: &str = "fuzz-params.toml";

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (params, issues) = Params::parse(text, SOURCE);
    for issue in &issues {
        assert_eq!(issue.source, SOURCE);
        let _ = issue.render(Lang::Zh);
    }
    for key in ParamKey::ALL {
        if let Some(v) = key.get(&params) {
            let (lo, hi) = key.range();
            assert!(v.is_finite() && v >= lo && v <= hi, "{} = {v}", key.key());
        }
    }
    let saved = params.to_toml();
    let (again, issues) = Params::parse(&saved, "saved.toml");
    let errors: Vec<String> = issues.iter().map(|i| i.render(Lang::En)).collect();
    assert!(
        errors.is_empty(),
        "saved params do not read back: {errors:?}\n{saved}"
    );
    assert_eq!(again, params, "saved params read back different:\n{saved}");
});
