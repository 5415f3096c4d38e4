//! The timeline's parameters (MODEL.md §8) in a parameters file: where
//! the timeline starts, how many years it covers, and the scheduler's
//! three limits.
//!
//! ```toml
//! start_quarter = "2027Q1"          # or "2027年第1季度"; absent: the quarter after today
//! horizon_years = 5
//! max_closures_per_quarter = 40     # each limit: absent or "none" = no limit
//! max_closures_per_target_per_quarter = 3
//! max_one_time_per_year = "300万"    # yuan
//! ```
//!
//! They sit beside [`Params`](super::Params) rather than in it, and not
//! in [`super::ParamKey`] (whose values are plain numbers): a quarter is
//! not a number, and a limit of none is not zero. `Params::parse` leaves
//! these keys to [`TimelineParams::parse`].

use serde::{Deserialize, Serialize};
use toml::de::DeValue;

use crate::diag::FileIssue;
use crate::i18n::{Lang, Text};
use crate::money::{MAX_AMOUNT, Money};
use crate::timeline::Quarter;

use super::toml_file::{self, TomlDoc};

/// The default `horizon_years`.
pub const DEFAULT_HORIZON_YEARS: u32 = 5;
/// The longest timeline, in years.
pub const MAX_HORIZON_YEARS: u32 = 100;

/// The timeline's parameters, with the contract's defaults.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TimelineParams {
    /// The first quarter; none: the quarter after today.
    pub start_quarter: Option<Quarter>,
    /// Years covered, from `start_quarter` on.
    pub horizon_years: u32,
    /// The scheduler's limit on closures in one quarter (none: no limit).
    pub max_closures_per_quarter: Option<u64>,
    /// The scheduler's limit on closures into one receiving site in one
    /// quarter (none: no limit).
    pub max_closures_per_target_per_quarter: Option<u64>,
    /// The scheduler's limit on one-time spending in a calendar year, in
    /// yuan (none: no limit).
    pub max_one_time_per_year: Option<Money>,
}

impl Default for TimelineParams {
    fn default() -> Self {
        TimelineParams {
            start_quarter: None,
            horizon_years: DEFAULT_HORIZON_YEARS,
            max_closures_per_quarter: None,
            max_closures_per_target_per_quarter: None,
            max_one_time_per_year: None,
        }
    }
}

impl TimelineParams {
    /// True when every value is the default (a project then stores none).
    pub fn is_default(&self) -> bool {
        *self == TimelineParams::default()
    }

    /// Reads the timeline's keys of a parameters file (at the top or in a
    /// `[params]` table, as [`Params::parse`](super::Params::parse) reads
    /// the others, which it reports on; other keys are left to it). A bad
    /// value is reported and its default kept.
    pub fn parse(text: &str, source: &str) -> (TimelineParams, Vec<FileIssue>) {
        let doc = TomlDoc::parse(text, source);
        let mut params = TimelineParams::default();
        let mut issues = Vec::new();
        for (key, value) in doc.table_or_section(&["params", "parameters", "参数"]) {
            let name = key.get_ref().as_ref();
            let Some(k) = TimelineKey::from_key(name) else {
                continue;
            };
            if !k.read(&mut params, value.get_ref()) {
                let line = doc.line(key.span().start);
                issues.push(k.invalid(&toml_file::show(value.get_ref()), source, line));
            }
        }
        (params, issues)
    }

    /// The parameters as TOML lines (absent ones as comments), readable
    /// by [`TimelineParams::parse`], alone or after the other parameters.
    pub fn to_toml(&self) -> String {
        let mut s = String::new();
        for k in TimelineKey::ALL {
            let quoted = matches!(
                k,
                TimelineKey::StartQuarter | TimelineKey::MaxOneTimePerYear
            );
            match (k.value_text(self), k) {
                (Some(v), _) if quoted => s.push_str(&format!("{} = \"{v}\"\n", k.key())),
                (Some(v), _) => s.push_str(&format!("{} = {v}\n", k.key())),
                (None, TimelineKey::StartQuarter) => s.push_str(
                    "# start_quarter = \"2027Q1\"  # the quarter after today when absent\n",
                ),
                (None, _) => s.push_str(&format!("# {} = 10  # no limit when absent\n", k.key())),
            }
        }
        s
    }

    /// The parameters with every value checked (a project may have been
    /// edited by hand): a value out of range is reported, located in
    /// `source`, and replaced by its default.
    pub fn checked(&self, source: &str) -> (TimelineParams, Vec<FileIssue>) {
        let mut params = self.clone();
        let mut issues = Vec::new();
        if !(1..=MAX_HORIZON_YEARS).contains(&params.horizon_years) {
            let shown = params.horizon_years.to_string();
            params.horizon_years = DEFAULT_HORIZON_YEARS;
            issues.push(TimelineKey::HorizonYears.invalid(&shown, source, 0));
        }
        for (key, limit) in [
            (
                TimelineKey::MaxClosuresPerQuarter,
                &mut params.max_closures_per_quarter,
            ),
            (
                TimelineKey::MaxClosuresPerTargetPerQuarter,
                &mut params.max_closures_per_target_per_quarter,
            ),
        ] {
            if let Some(v) = *limit
                && v > MAX_AMOUNT as u64
            {
                *limit = None;
                issues.push(key.invalid(&v.to_string(), source, 0));
            }
        }
        if let Some(m) = params.max_one_time_per_year
            && !within_amounts(m)
        {
            params.max_one_time_per_year = None;
            issues.push(TimelineKey::MaxOneTimePerYear.invalid(&m.to_string(), source, 0));
        }
        (params, issues)
    }
}

/// One timeline parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimelineKey {
    /// start_quarter
    StartQuarter,
    /// horizon_years
    HorizonYears,
    /// max_closures_per_quarter
    MaxClosuresPerQuarter,
    /// max_closures_per_target_per_quarter
    MaxClosuresPerTargetPerQuarter,
    /// max_one_time_per_year
    MaxOneTimePerYear,
}

impl TimelineKey {
    /// Every timeline parameter.
    pub const ALL: [TimelineKey; 5] = [
        TimelineKey::StartQuarter,
        TimelineKey::HorizonYears,
        TimelineKey::MaxClosuresPerQuarter,
        TimelineKey::MaxClosuresPerTargetPerQuarter,
        TimelineKey::MaxOneTimePerYear,
    ];

    /// The key in files.
    pub fn key(self) -> &'static str {
        match self {
            TimelineKey::StartQuarter => "start_quarter",
            TimelineKey::HorizonYears => "horizon_years",
            TimelineKey::MaxClosuresPerQuarter => "max_closures_per_quarter",
            TimelineKey::MaxClosuresPerTargetPerQuarter => "max_closures_per_target_per_quarter",
            TimelineKey::MaxOneTimePerYear => "max_one_time_per_year",
        }
    }

    /// The parameter a file's key names.
    pub fn from_key(name: &str) -> Option<TimelineKey> {
        TimelineKey::ALL.into_iter().find(|k| k.key() == name)
    }

    /// The name a planner reads.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            TimelineKey::StartQuarter => lang.pick("起始季度", "Start quarter"),
            TimelineKey::HorizonYears => lang.pick("测算年数", "Years covered"),
            TimelineKey::MaxClosuresPerQuarter => {
                lang.pick("每季度最多关停数", "Most closures per quarter")
            }
            TimelineKey::MaxClosuresPerTargetPerQuarter => lang.pick(
                "每个承接网站每季度最多并入数",
                "Most closures into one target per quarter",
            ),
            TimelineKey::MaxOneTimePerYear => {
                lang.pick("每年一次性支出上限", "Most one-time spending per year")
            }
        }
    }

    /// What it means.
    pub fn help(self, lang: Lang) -> &'static str {
        match self {
            TimelineKey::StartQuarter => lang.pick(
                "时间表的第一个季度，如 2027Q1；不填则为下一个季度",
                "The first quarter of the timeline, e.g. 2027Q1; the next quarter when empty",
            ),
            TimelineKey::HorizonYears => lang.pick(
                "从起始季度起测算的年数（每年四个季度）",
                "Years covered from the start quarter (four quarters each)",
            ),
            TimelineKey::MaxClosuresPerQuarter => lang.pick(
                "排期时每个季度关停的网站不超过此数；不填则不限",
                "The scheduler closes at most this many sites in a quarter; no limit when empty",
            ),
            TimelineKey::MaxClosuresPerTargetPerQuarter => lang.pick(
                "排期时每个承接网站每个季度并入的网站不超过此数；不填则不限",
                "The scheduler folds at most this many sites into one receiving site in a quarter; no limit when empty",
            ),
            TimelineKey::MaxOneTimePerYear => lang.pick(
                "排期时每个日历年的一次性迁移支出不超过此数（元）；不填则不限",
                "The scheduler spends at most this many yuan of one-time cost in a calendar year; no limit when empty",
            ),
        }
    }

    /// The value in `p` as a file writes it; `None` when absent.
    pub fn value_text(self, p: &TimelineParams) -> Option<String> {
        match self {
            TimelineKey::StartQuarter => p.start_quarter.map(|q| q.to_string()),
            TimelineKey::HorizonYears => Some(p.horizon_years.to_string()),
            TimelineKey::MaxClosuresPerQuarter => p.max_closures_per_quarter.map(|v| v.to_string()),
            TimelineKey::MaxClosuresPerTargetPerQuarter => {
                p.max_closures_per_target_per_quarter.map(|v| v.to_string())
            }
            TimelineKey::MaxOneTimePerYear => p.max_one_time_per_year.map(|v| v.to_string()),
        }
    }

    /// What a valid value is, for messages.
    fn expected(self, lang: Lang) -> &'static str {
        match self {
            TimelineKey::StartQuarter => lang.pick(
                "季度，如 \"2027Q1\" 或 \"2027年第1季度\"",
                "a quarter such as \"2027Q1\" or \"2027年第1季度\"",
            ),
            TimelineKey::HorizonYears => lang.pick("1–100 的整数", "a whole number 1–100"),
            TimelineKey::MaxClosuresPerQuarter | TimelineKey::MaxClosuresPerTargetPerQuarter => {
                lang.pick("≥ 0 的整数，或 \"none\"", "a whole number ≥ 0, or \"none\"")
            }
            TimelineKey::MaxOneTimePerYear => lang.pick(
                "0–10^15 元的金额，或 \"none\"",
                "an amount of 0–10^15 yuan, or \"none\"",
            ),
        }
    }

    /// Sets the value of `v` in `p`; `false` when it is not valid.
    fn read(self, p: &mut TimelineParams, v: &DeValue<'_>) -> bool {
        let none = toml_file::is_none_word(v);
        match self {
            TimelineKey::StartQuarter => match v {
                _ if none => p.start_quarter = None,
                DeValue::String(s) => match Quarter::parse(s) {
                    Some(q) => p.start_quarter = Some(q),
                    None => return false,
                },
                _ => return false,
            },
            TimelineKey::HorizonYears => match whole(v) {
                Some(n) if (1..=u64::from(MAX_HORIZON_YEARS)).contains(&n) => {
                    p.horizon_years = n as u32
                }
                _ => return false,
            },
            TimelineKey::MaxClosuresPerQuarter | TimelineKey::MaxClosuresPerTargetPerQuarter => {
                let value = match whole(v) {
                    _ if none => None,
                    Some(n) => Some(n),
                    None => return false,
                };
                if self == TimelineKey::MaxClosuresPerQuarter {
                    p.max_closures_per_quarter = value;
                } else {
                    p.max_closures_per_target_per_quarter = value;
                }
            }
            TimelineKey::MaxOneTimePerYear => {
                let text = match v {
                    _ if none => {
                        p.max_one_time_per_year = None;
                        return true;
                    }
                    DeValue::String(s) => s.to_string(),
                    DeValue::Integer(i) => i.as_str().replace('_', ""),
                    DeValue::Float(f) => f.as_str().replace('_', ""),
                    _ => return false,
                };
                match Money::parse(&text) {
                    Ok(Some(m)) if within_amounts(m) => p.max_one_time_per_year = Some(m),
                    _ => return false,
                }
            }
        }
        true
    }

    /// The problem with the value `shown` of this key, at `line` of `source`.
    fn invalid(self, shown: &str, source: &str, line: u64) -> FileIssue {
        let name = self.key();
        FileIssue::error(
            source,
            line,
            Text::new(
                format!(
                    "参数 {name} 的值 {shown} 无效（应为 {}），使用默认值",
                    self.expected(Lang::Zh)
                ),
                format!(
                    "parameter {name} = {shown} is not valid (expected {}); the default is used",
                    self.expected(Lang::En)
                ),
            ),
        )
    }
}

/// A whole number ≥ 0 (written as an integer, or a float or text without
/// a fraction), at most 10^15.
fn whole(v: &DeValue<'_>) -> Option<u64> {
    let x = toml_file::as_f64(v)?;
    (x >= 0.0 && x.fract() == 0.0 && x <= MAX_AMOUNT as f64).then_some(x as u64)
}

fn within_amounts(m: Money) -> bool {
    !m.is_negative() && m <= Money::yuan(MAX_AMOUNT)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::Params;

    #[test]
    fn a_parameters_file_carries_the_timeline() {
        let text = "absorb_fixed = 4000\nstart_quarter = \"2027年第2季度\"\nhorizon_years = 3\n\
             max_closures_per_quarter = 10\nmax_closures_per_target_per_quarter = \"none\"\n\
             max_one_time_per_year = \"1.5万\"\n";
        let (p, issues) = Params::parse(text, "p.toml");
        assert!(
            issues.is_empty(),
            "the other parameters' reader leaves them: {issues:?}"
        );
        assert_eq!(p.absorb_fixed, 4000.0);
        let (t, issues) = TimelineParams::parse(text, "p.toml");
        assert!(issues.is_empty(), "{issues:?}");
        assert_eq!(t.start_quarter, Quarter::parse("2027Q2"));
        assert_eq!(t.horizon_years, 3);
        assert_eq!(t.max_closures_per_quarter, Some(10));
        assert_eq!(t.max_closures_per_target_per_quarter, None);
        assert_eq!(t.max_one_time_per_year, Some(Money::yuan(15_000)));
        // In a [params] table too, and written back after the others.
        let saved = format!("[params]\n{}{}", p.to_toml(), t.to_toml());
        let (again, issues) = TimelineParams::parse(&saved, "saved.toml");
        assert!(issues.is_empty(), "{issues:?}\n{saved}");
        assert_eq!(again, t);
        let (others, issues) = Params::parse(&saved, "saved.toml");
        assert!(issues.is_empty(), "{issues:?}");
        assert_eq!(others, p);
        let d = TimelineParams::default();
        assert!(d.is_default());
        assert_eq!(d.horizon_years, DEFAULT_HORIZON_YEARS);
        let (again, issues) = TimelineParams::parse(&d.to_toml(), "default.toml");
        assert!(issues.is_empty(), "{issues:?}");
        assert_eq!(again, d);
    }

    #[test]
    fn bad_timeline_values_are_reported_with_their_line() {
        let (p, mut issues) = TimelineParams::parse(
            "start_quarter = \"soon\"\nhorizon_years = 0\nmax_closures_per_quarter = 2.5\n\
             max_one_time_per_year = -5\nmax_closures_per_target_per_quarter = 2\n",
            "p.toml",
        );
        issues.sort_by_key(|i| i.line);
        let lines: Vec<u64> = issues.iter().map(|i| i.line).collect();
        assert_eq!(lines, vec![1, 2, 3, 4], "{issues:?}");
        assert!(issues[0].en.contains("start_quarter"), "{}", issues[0].en);
        assert!(issues[0].zh.contains("2027年第1季度"), "{}", issues[0].zh);
        assert_eq!(p.start_quarter, None);
        assert_eq!(p.horizon_years, DEFAULT_HORIZON_YEARS);
        assert_eq!(p.max_closures_per_quarter, None);
        assert_eq!(p.max_one_time_per_year, None);
        assert_eq!(p.max_closures_per_target_per_quarter, Some(2));
    }

    #[test]
    fn a_project_out_of_range_is_put_right() {
        let p = TimelineParams {
            horizon_years: 500,
            max_one_time_per_year: Some(-Money::yuan(1)),
            ..TimelineParams::default()
        };
        let (p, issues) = p.checked("project");
        assert_eq!(issues.len(), 2);
        assert_eq!(p.horizon_years, DEFAULT_HORIZON_YEARS);
        assert_eq!(p.max_one_time_per_year, None);
    }
}
