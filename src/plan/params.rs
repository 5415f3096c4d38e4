//! The model's parameters and their TOML file.

use serde::{Deserialize, Serialize};

use crate::diag::FileIssue;
use crate::i18n::{Lang, Text};

use super::toml_file::{self, TomlDoc};

/// The parameters of the consolidation model, with the contract's defaults.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Params {
    /// Score at which a site is up to standard.
    pub pass_threshold: f64,
    /// Yuan per year the target spends per absorbed site.
    pub absorb_fixed: f64,
    /// Share of the absorbed site's budget the target spends per year.
    pub absorb_rate: f64,
    /// One-time yuan per merged site.
    pub migrate_fixed: f64,
    /// One-time yuan per online service of a merged site.
    pub migrate_per_service: f64,
    /// Share of a merged site's services carried to its target.
    pub service_migration_rate: f64,
    /// Capacity: more absorbed sites than this flags the target.
    pub max_absorbed_per_target: Option<u64>,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            pass_threshold: 60.0,
            absorb_fixed: 5000.0,
            absorb_rate: 0.10,
            migrate_fixed: 10000.0,
            migrate_per_service: 2000.0,
            service_migration_rate: 1.0,
            max_absorbed_per_target: None,
        }
    }
}

/// One parameter, for editors and documentation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamKey {
    /// pass_threshold
    PassThreshold,
    /// absorb_fixed
    AbsorbFixed,
    /// absorb_rate
    AbsorbRate,
    /// migrate_fixed
    MigrateFixed,
    /// migrate_per_service
    MigratePerService,
    /// service_migration_rate
    ServiceMigrationRate,
    /// max_absorbed_per_target
    MaxAbsorbedPerTarget,
}

impl ParamKey {
    /// Every parameter.
    pub const ALL: [ParamKey; 7] = [
        ParamKey::PassThreshold,
        ParamKey::AbsorbFixed,
        ParamKey::AbsorbRate,
        ParamKey::MigrateFixed,
        ParamKey::MigratePerService,
        ParamKey::ServiceMigrationRate,
        ParamKey::MaxAbsorbedPerTarget,
    ];

    /// The key in files.
    pub fn key(self) -> &'static str {
        match self {
            ParamKey::PassThreshold => "pass_threshold",
            ParamKey::AbsorbFixed => "absorb_fixed",
            ParamKey::AbsorbRate => "absorb_rate",
            ParamKey::MigrateFixed => "migrate_fixed",
            ParamKey::MigratePerService => "migrate_per_service",
            ParamKey::ServiceMigrationRate => "service_migration_rate",
            ParamKey::MaxAbsorbedPerTarget => "max_absorbed_per_target",
        }
    }

    /// The name a planner reads.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            ParamKey::PassThreshold => lang.pick("合格分数线", "Pass threshold"),
            ParamKey::AbsorbFixed => {
                lang.pick("每个并入网站的年固定成本", "Yearly cost per absorbed site")
            }
            ParamKey::AbsorbRate => lang.pick("并入网站预算的承接比例", "Share of absorbed budget"),
            ParamKey::MigrateFixed => {
                lang.pick("每个网站的一次性迁移成本", "One-time cost per merged site")
            }
            ParamKey::MigratePerService => {
                lang.pick("每项服务的迁移成本", "Migration cost per service")
            }
            ParamKey::ServiceMigrationRate => {
                lang.pick("服务迁移比例", "Share of services carried over")
            }
            ParamKey::MaxAbsorbedPerTarget => {
                lang.pick("每个承接网站最多并入数", "Most sites one target absorbs")
            }
        }
    }

    /// The unit.
    pub fn unit(self, lang: Lang) -> &'static str {
        match self {
            ParamKey::PassThreshold => lang.pick("分", "points"),
            ParamKey::AbsorbFixed => lang.pick("元/年", "yuan/year"),
            ParamKey::AbsorbRate | ParamKey::ServiceMigrationRate => {
                lang.pick("比例 0–1", "fraction 0–1")
            }
            ParamKey::MigrateFixed | ParamKey::MigratePerService => {
                lang.pick("元（一次性）", "yuan, one-time")
            }
            ParamKey::MaxAbsorbedPerTarget => {
                lang.pick("个网站（空 = 不限）", "sites (empty = no limit)")
            }
        }
    }

    /// What it means.
    pub fn help(self, lang: Lang) -> &'static str {
        match self {
            ParamKey::PassThreshold => lang.pick(
                "没有检查结果时，得分达到此分数即视为合格",
                "Without an inspection result, a score at or above this counts as up to standard",
            ),
            ParamKey::AbsorbFixed => lang.pick(
                "承接网站每年为每个并入的网站增加的固定支出",
                "Yuan per year the receiving site spends for each site it absorbs",
            ),
            ParamKey::AbsorbRate => lang.pick(
                "承接网站每年按被并入网站原预算的这一比例增加支出",
                "Share of the absorbed site's budget the receiving site spends each year",
            ),
            ParamKey::MigrateFixed => lang.pick(
                "每关停并入一个网站的一次性费用（内容迁移、域名跳转等）",
                "One-time yuan per merged site (content migration, redirects…)",
            ),
            ParamKey::MigratePerService => lang.pick(
                "被并入网站每项在线服务事项的一次性迁移费用",
                "One-time yuan per online service of a merged site",
            ),
            ParamKey::ServiceMigrationRate => lang.pick(
                "被并入网站的在线服务中迁移到承接网站的比例",
                "Share of a merged site's online services carried to its target",
            ),
            ParamKey::MaxAbsorbedPerTarget => lang.pick(
                "一个承接网站并入的网站数超过此数时标记为超负荷",
                "More absorbed sites than this flags the receiving site as over capacity",
            ),
        }
    }

    /// The value in `p` (capacity: `None` when unlimited).
    pub fn get(self, p: &Params) -> Option<f64> {
        Some(match self {
            ParamKey::PassThreshold => p.pass_threshold,
            ParamKey::AbsorbFixed => p.absorb_fixed,
            ParamKey::AbsorbRate => p.absorb_rate,
            ParamKey::MigrateFixed => p.migrate_fixed,
            ParamKey::MigratePerService => p.migrate_per_service,
            ParamKey::ServiceMigrationRate => p.service_migration_rate,
            ParamKey::MaxAbsorbedPerTarget => return p.max_absorbed_per_target.map(|v| v as f64),
        })
    }

    /// Sets the value in `p`; `None` clears the capacity.
    pub fn set(self, p: &mut Params, v: Option<f64>) {
        let x = v.unwrap_or(0.0);
        match self {
            ParamKey::PassThreshold => p.pass_threshold = x,
            ParamKey::AbsorbFixed => p.absorb_fixed = x,
            ParamKey::AbsorbRate => p.absorb_rate = x,
            ParamKey::MigrateFixed => p.migrate_fixed = x,
            ParamKey::MigratePerService => p.migrate_per_service = x,
            ParamKey::ServiceMigrationRate => p.service_migration_rate = x,
            ParamKey::MaxAbsorbedPerTarget => {
                p.max_absorbed_per_target = v.map(|v| v.max(0.0).round() as u64)
            }
        }
    }

    /// The accepted range.
    pub fn range(self) -> (f64, f64) {
        match self {
            ParamKey::PassThreshold => (0.0, 100.0),
            ParamKey::AbsorbRate | ParamKey::ServiceMigrationRate => (0.0, 1.0),
            // Amounts and counts: no real figure is larger (MODEL.md §7).
            _ => (0.0, crate::money::MAX_AMOUNT as f64),
        }
    }
}

impl Params {
    /// Reads a parameters file. Keys may stand at the top or in a
    /// `[params]` table. A bad value is reported and its default kept.
    pub fn parse(text: &str, source: &str) -> (Params, Vec<FileIssue>) {
        let doc = TomlDoc::parse(text, source);
        let mut issues = doc.issues.clone();
        let mut params = Params::default();
        let table = doc.table_or_section(&["params", "parameters", "参数"]);
        for (key, value) in table {
            let line = doc.line(key.span().start);
            let name = key.get_ref().as_ref();
            let Some(pk) = ParamKey::ALL.into_iter().find(|k| k.key() == name) else {
                // The timeline's keys (TimelineParams::parse reads them).
                if super::TimelineKey::from_key(name).is_some() {
                    continue;
                }
                issues.push(FileIssue::warning(
                    source,
                    line,
                    Text::new(
                        format!("未知参数“{}”，已忽略", toml_file::key(name)),
                        format!("unknown parameter \"{}\"; ignored", toml_file::key(name)),
                    ),
                ));
                continue;
            };
            let v = value.get_ref();
            if pk == ParamKey::MaxAbsorbedPerTarget && toml_file::is_none_word(v) {
                params.max_absorbed_per_target = None;
                continue;
            }
            let (lo, hi) = pk.range();
            match toml_file::as_f64(v) {
                Some(x) if x >= lo && x <= hi && (pk != ParamKey::MaxAbsorbedPerTarget || x.fract() == 0.0) => {
                    pk.set(&mut params, Some(x));
                }
                _ => issues.push(FileIssue::error(
                    source,
                    line,
                    Text::new(
                        format!(
                            "参数 {name} 的值 {} 无效（应为 {} 内的数），使用默认值",
                            toml_file::show(v),
                            range_text(pk, Lang::Zh)
                        ),
                        format!(
                            "parameter {name} = {} is not valid (expected a number {}); the default is used",
                            toml_file::show(v),
                            range_text(pk, Lang::En)
                        ),
                    ),
                )),
            }
        }
        (params, issues)
    }

    /// The parameters with every value checked as a parameters file's are
    /// (a project may have been edited by hand): a value that is not a
    /// number in its range is reported, located in `source`, and replaced
    /// by its default.
    pub fn checked(&self, source: &str) -> (Params, Vec<FileIssue>) {
        let mut params = self.clone();
        let mut issues = Vec::new();
        let defaults = Params::default();
        for pk in ParamKey::ALL {
            let Some(x) = pk.get(self) else {
                continue;
            };
            let (lo, hi) = pk.range();
            if x.is_finite() && x >= lo && x <= hi {
                continue;
            }
            pk.set(&mut params, pk.get(&defaults));
            issues.push(FileIssue::error(
                source,
                0,
                Text::new(
                    format!(
                        "参数 {} 的值 {x} 无效（应为 {} 内的数），使用默认值",
                        pk.key(),
                        range_text(pk, Lang::Zh)
                    ),
                    format!(
                        "parameter {} = {x} is not valid (expected a number {}); the default is used",
                        pk.key(),
                        range_text(pk, Lang::En)
                    ),
                ),
            ));
        }
        (params, issues)
    }

    /// Writes the parameters as TOML, readable by [`Params::parse`].
    pub fn to_toml(&self) -> String {
        let mut s = String::from("# Sitefold parameters (see README: the model)\n");
        for k in ParamKey::ALL {
            match k.get(self) {
                Some(v) => s.push_str(&format!("{} = {}\n", k.key(), toml_number(v))),
                None => s.push_str(&format!("# {} = 20  # no limit when absent\n", k.key())),
            }
        }
        s
    }
}

fn toml_number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else if v.abs() >= 1e15 {
        // `{v}` would print 1e20 as a 21-digit integer, which TOML reads
        // as an out-of-range integer.
        format!("{v:e}")
    } else {
        format!("{v}")
    }
}

fn range_text(k: ParamKey, lang: Lang) -> String {
    match k {
        ParamKey::PassThreshold => "0–100".into(),
        ParamKey::AbsorbRate | ParamKey::ServiceMigrationRate => "0–1".into(),
        ParamKey::MaxAbsorbedPerTarget => lang.pick("≥ 0 的整数", "whole, ≥ 0").into(),
        _ => "0–10^15".into(),
    }
}
