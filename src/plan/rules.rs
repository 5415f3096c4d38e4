//! Rules: "merge every township site that failed inspection", in order, the
//! first that matches deciding.

use serde::{Deserialize, Serialize};
use toml::de::DeValue;

use crate::diag::FileIssue;
use crate::i18n::{Lang, Text};
use crate::inventory::values::{parse_kind, parse_level};
use crate::inventory::{Kind, Level, Site};

use super::toml_file::{self, TomlDoc};

/// What a rule does to the sites it matches.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    /// Merge into the nearest kept ancestor.
    Merge,
    /// Keep.
    Keep,
}

impl Action {
    /// The name a planner reads.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Action::Merge => lang.pick("合并", "merge"),
            Action::Keep => lang.pick("保留", "keep"),
        }
    }
}

/// One rule: an action and conditions, all of which must hold.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Rule {
    /// The rule's name, shown as the reason of a decision.
    pub name: String,
    /// Merge or keep.
    pub action: Action,
    /// False to switch the rule off without deleting it.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub enabled: bool,
    /// The site's level is one of these.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub levels: Option<Vec<Level>>,
    /// The site's kind is one of these.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kinds: Option<Vec<Kind>>,
    /// budget < x.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub budget_below: Option<f64>,
    /// score < x (a site without a score does not match).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score_below: Option<f64>,
    /// true: the site does not pass; false: it passes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failed_inspection: Option<bool>,
    /// visits < x (a site without visits does not match).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visits_below: Option<f64>,
    /// reprint hours > x (a site without the figure does not match).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reprint_hours_above: Option<f64>,
    /// `[k, n]`: the site failed at least k of the last n inspection
    /// rounds loaded (MODEL.md §9; a site missing from a round did not
    /// fail it; with fewer than n rounds, all of them count).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failed_rounds: Option<[u32; 2]>,
}

fn yes() -> bool {
    true
}

fn is_true(b: &bool) -> bool {
    *b
}

/// [`crate::money::decimal_of`] a budget limit, remembered for the last
/// few limits asked on this thread: rules check a million sites against
/// the same few limits, and working one out writes the float as text.
fn budget_limit(x: f64) -> Option<rust_decimal::Decimal> {
    type Memo = [Option<(u64, Option<rust_decimal::Decimal>)>; 4];
    thread_local! {
        static MEMO: std::cell::Cell<Memo> = const { std::cell::Cell::new([None; 4]) };
    }
    let bits = x.to_bits();
    MEMO.with(|memo| {
        let mut m = memo.get();
        if let Some((_, d)) = m.iter().flatten().find(|(b, _)| *b == bits) {
            return *d;
        }
        let d = crate::money::decimal_of(x);
        m.rotate_right(1);
        m[0] = Some((bits, d));
        memo.set(m);
        d
    })
}

impl Rule {
    /// A rule with no conditions.
    pub fn new(name: impl Into<String>, action: Action) -> Rule {
        Rule {
            name: name.into(),
            action,
            enabled: true,
            levels: None,
            kinds: None,
            budget_below: None,
            score_below: None,
            failed_inspection: None,
            visits_below: None,
            reprint_hours_above: None,
            failed_rounds: None,
        }
    }

    /// True when every condition holds for `site` (`passes`: passes(site)).
    pub fn matches(&self, site: &Site, passes: bool) -> bool {
        Prepared::new(0, self).matches(site, passes)
    }

    /// A one-line description of the conditions.
    pub fn describe(&self, lang: Lang) -> String {
        let mut parts = Vec::new();
        if let Some(l) = &self.levels {
            let names: Vec<&str> = l.iter().map(|x| x.label(lang)).collect();
            parts.push(format!(
                "{}: {}",
                lang.pick("层级", "level"),
                names.join("/")
            ));
        }
        if let Some(k) = &self.kinds {
            let names: Vec<&str> = k.iter().map(|x| x.label(lang)).collect();
            parts.push(format!(
                "{}: {}",
                lang.pick("类型", "kind"),
                names.join("/")
            ));
        }
        if let Some(x) = self.budget_below {
            parts.push(format!("{} < {x}", lang.pick("预算", "budget")));
        }
        if let Some(x) = self.score_below {
            parts.push(format!("{} < {x}", lang.pick("得分", "score")));
        }
        if let Some(f) = self.failed_inspection {
            parts.push(
                if f {
                    lang.pick("检查不合格", "failed inspection")
                } else {
                    lang.pick("检查合格", "passed inspection")
                }
                .to_string(),
            );
        }
        if let Some(x) = self.visits_below {
            parts.push(format!("{} < {x}", lang.pick("月访问量", "visits")));
        }
        if let Some(x) = self.reprint_hours_above {
            parts.push(format!("{} > {x}h", lang.pick("转载时效", "reprint")));
        }
        if let Some([k, n]) = self.failed_rounds {
            parts.push(match lang {
                Lang::Zh => format!("最近 {n} 轮检查中至少 {k} 轮不合格"),
                Lang::En => format!("failed at least {k} of the last {n} rounds"),
            });
        }
        if parts.is_empty() {
            lang.pick("所有网站", "every site").to_string()
        } else {
            parts.join(lang.pick("，且 ", ", and "))
        }
    }
}

/// An ordered list of rules.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RuleSet {
    /// The rules, first match deciding.
    pub rules: Vec<Rule>,
}

impl RuleSet {
    /// The index of the first enabled rule matching `site`.
    pub fn first_match(&self, site: &Site, passes: bool) -> Option<usize> {
        self.rules
            .iter()
            .position(|r| r.enabled && r.matches(site, passes))
    }

    /// The enabled rules prepared for checking many sites (see
    /// [`Matcher`]).
    pub(crate) fn matcher(&self) -> Matcher {
        Matcher {
            rules: self
                .rules
                .iter()
                .enumerate()
                .filter(|(_, r)| r.enabled)
                .map(|(i, r)| Prepared::new(i, r))
                .collect(),
        }
    }

    /// Reads a rules file (`[[rules]]` tables). A rule with a mistake is
    /// reported with its line and skipped; the others are used.
    pub fn parse(text: &str, source: &str) -> (RuleSet, Vec<FileIssue>) {
        let doc = TomlDoc::parse(text, source);
        let mut issues = doc.issues.clone();
        let mut rules = Vec::new();
        let list = doc
            .table
            .iter()
            .find(|(k, _)| matches!(k.get_ref().as_ref(), "rules" | "rule" | "规则"));
        let Some((key, list)) = list else {
            if issues.is_empty() {
                issues.push(FileIssue::warning(
                    source,
                    0,
                    Text::new("文件中没有 [[rules]] 规则", "the file has no [[rules]]"),
                ));
            }
            return (RuleSet { rules }, issues);
        };
        let DeValue::Array(items) = list.get_ref() else {
            issues.push(FileIssue::error(
                source,
                doc.line(key.span().start),
                Text::new(
                    "rules 应写成 [[rules]] 表的列表",
                    "rules must be a list of [[rules]] tables",
                ),
            ));
            return (RuleSet { rules }, issues);
        };
        for (n, item) in items.iter().enumerate() {
            let line = doc.line(item.span().start);
            match rule_from_toml(item.get_ref(), n + 1) {
                Ok((rule, warnings)) => {
                    for w in warnings {
                        issues.push(FileIssue::warning(source, line, w));
                    }
                    rules.push(rule);
                }
                Err(e) => issues.push(FileIssue::error(source, line, e)),
            }
        }
        (RuleSet { rules }, issues)
    }

    /// Writes the rules as TOML, readable by [`RuleSet::parse`].
    pub fn to_toml(&self) -> String {
        toml::to_string_pretty(self).unwrap_or_default()
    }
}

fn rule_from_toml(v: &DeValue<'_>, n: usize) -> Result<(Rule, Vec<Text>), Text> {
    let DeValue::Table(t) = v else {
        return Err(Text::new(
            format!("第 {n} 条规则不是表"),
            format!("rule {n} is not a table"),
        ));
    };
    let mut warnings = Vec::new();
    let mut rule = Rule::new(format!("rule {n}"), Action::Merge);
    let mut action = None;
    for (k, val) in t.iter() {
        let key = k.get_ref().as_ref();
        let val = val.get_ref();
        let bad = |what_zh: &str, what_en: &str| {
            let key = toml_file::key(key);
            Text::new(
                format!(
                    "规则 {n} 的 {key} = {} 无效：应为{what_zh}，该规则已跳过",
                    toml_file::show(val)
                ),
                format!(
                    "rule {n}: {key} = {} is not valid: expected {what_en}; rule skipped",
                    toml_file::show(val)
                ),
            )
        };
        match key {
            "name" | "名称" => match val {
                DeValue::String(s) => rule.name = s.to_string(),
                _ => return Err(bad("文字", "text")),
            },
            "action" | "动作" | "处理方式" => {
                let s = match val {
                    DeValue::String(s) => s.trim().to_lowercase(),
                    _ => String::new(),
                };
                action = Some(match s.as_str() {
                    "merge" | "合并" | "并入" | "关停" => Action::Merge,
                    "keep" | "保留" => Action::Keep,
                    _ => return Err(bad("merge 或 keep", "merge or keep")),
                });
            }
            "enabled" | "启用" => match val {
                DeValue::Boolean(b) => rule.enabled = *b,
                _ => return Err(bad("true 或 false", "true or false")),
            },
            "levels" | "层级" => {
                let names = string_list(val).ok_or_else(|| bad("层级列表", "a list of levels"))?;
                let mut levels = Vec::new();
                for s in names {
                    levels
                        .push(parse_level(&s).ok_or_else(|| bad("层级列表", "a list of levels"))?);
                }
                rule.levels = Some(levels);
            }
            "kinds" | "类型" => {
                let names = string_list(val).ok_or_else(|| bad("类型列表", "a list of kinds"))?;
                let mut kinds = Vec::new();
                for s in names {
                    kinds.push(parse_kind(&s).ok_or_else(|| bad("类型列表", "a list of kinds"))?);
                }
                rule.kinds = Some(kinds);
            }
            "failed_rounds" | "不合格轮次" => {
                let pair = match val {
                    DeValue::Array(items) if items.len() == 2 => {
                        let mut out = [0u32; 2];
                        let mut ok = true;
                        for (slot, item) in out.iter_mut().zip(items.iter()) {
                            match toml_file::as_f64(item.get_ref()) {
                                Some(x) if x.fract() == 0.0 && (1.0..=64.0).contains(&x) => {
                                    *slot = x as u32
                                }
                                _ => ok = false,
                            }
                        }
                        ok.then_some(out)
                    }
                    _ => None,
                };
                match pair {
                    Some([k, n]) if k <= n => rule.failed_rounds = Some([k, n]),
                    _ => {
                        return Err(bad(
                            "[k, n]：最近 n 轮中至少 k 轮不合格，1 ≤ k ≤ n ≤ 64",
                            "[k, n]: failed at least k of the last n rounds, 1 ≤ k ≤ n ≤ 64",
                        ));
                    }
                }
            }
            "failed_inspection" => match val {
                DeValue::Boolean(b) => rule.failed_inspection = Some(*b),
                _ => return Err(bad("true 或 false", "true or false")),
            },
            "budget_below" | "score_below" | "visits_below" | "reprint_hours_above" => {
                let x = toml_file::as_f64(val).ok_or_else(|| bad("数字", "a number"))?;
                match key {
                    "budget_below" => rule.budget_below = Some(x),
                    "score_below" => rule.score_below = Some(x),
                    "visits_below" => rule.visits_below = Some(x),
                    _ => rule.reprint_hours_above = Some(x),
                }
            }
            other => {
                let other = toml_file::key(other);
                warnings.push(Text::new(
                    format!("规则 {n}：未知条件“{other}”，已忽略"),
                    format!("rule {n}: unknown condition \"{other}\"; ignored"),
                ))
            }
        }
    }
    rule.action = action.ok_or_else(|| {
        Text::new(
            format!("规则 {n} 缺少 action（merge 或 keep），该规则已跳过"),
            format!("rule {n} has no action (merge or keep); rule skipped"),
        )
    })?;
    Ok((rule, warnings))
}

fn string_list(v: &DeValue<'_>) -> Option<Vec<String>> {
    match v {
        DeValue::String(s) => Some(vec![s.to_string()]),
        DeValue::Integer(i) => Some(vec![i.as_str().to_string()]),
        DeValue::Array(items) => items
            .iter()
            .map(|i| match i.get_ref() {
                DeValue::String(s) => Some(s.to_string()),
                DeValue::Integer(n) => Some(n.as_str().to_string()),
                _ => None,
            })
            .collect(),
        _ => None,
    }
}

/// A rule set prepared for a pass over every site: the disabled rules
/// left out, the level and kind lists as bit sets, the budget limit as
/// its exact decimal. [`Matcher::first_match`] is
/// [`RuleSet::first_match`].
#[derive(Clone, Debug)]
pub(crate) struct Matcher {
    rules: Vec<Prepared>,
}

/// One enabled rule of a [`Matcher`].
#[derive(Clone, Debug)]
struct Prepared {
    /// Its index in the rule set.
    index: usize,
    /// Bit `1 << level number` for each level listed.
    levels: Option<u8>,
    /// Bit 1 for portals, 2 for departments.
    kinds: Option<u8>,
    /// The limit as an exact decimal; `Some(None)` when the limit is not
    /// a number (no site is below it).
    budget_below: Option<Option<rust_decimal::Decimal>>,
    score_below: Option<f64>,
    failed_inspection: Option<bool>,
    visits_below: Option<f64>,
    reprint_hours_above: Option<f64>,
    failed_rounds: Option<[u32; 2]>,
}

fn kind_bit(k: Kind) -> u8 {
    match k {
        Kind::Portal => 1,
        Kind::Department => 2,
    }
}

impl Prepared {
    fn new(index: usize, r: &Rule) -> Prepared {
        Prepared {
            index,
            levels: r
                .levels
                .as_ref()
                .map(|l| l.iter().fold(0u8, |m, l| m | 1 << l.number())),
            kinds: r
                .kinds
                .as_ref()
                .map(|k| k.iter().fold(0u8, |m, &k| m | kind_bit(k))),
            // Exactly: 11,400 is not below `budget_below = 11400`,
            // however the budget was written (`1.14万`, `11,400`).
            budget_below: r.budget_below.map(budget_limit),
            score_below: r.score_below,
            failed_inspection: r.failed_inspection,
            visits_below: r.visits_below,
            reprint_hours_above: r.reprint_hours_above,
            failed_rounds: r.failed_rounds,
        }
    }

    /// True when every condition of the rule holds for `site`.
    #[inline]
    fn matches(&self, site: &Site, passes: bool) -> bool {
        if let Some(m) = self.levels
            && m & (1 << site.level.number()) == 0
        {
            return false;
        }
        if let Some(m) = self.kinds
            && m & kind_bit(site.kind) == 0
        {
            return false;
        }
        if let Some(x) = self.budget_below
            && x.is_none_or(|x| site.budget.decimal() >= x)
        {
            return false;
        }
        if let Some(x) = self.score_below {
            match site.inspection_score {
                Some(s) if s < x => {}
                _ => return false,
            }
        }
        if let Some(failed) = self.failed_inspection
            && passes == failed
        {
            return false;
        }
        if let Some(x) = self.visits_below {
            match site.monthly_visits {
                Some(v) if (v as f64) < x => {}
                _ => return false,
            }
        }
        if let Some(x) = self.reprint_hours_above {
            match site.reprint_hours {
                Some(h) if h > x => {}
                _ => return false,
            }
        }
        if let Some([k, n]) = self.failed_rounds
            && site.rounds.failed_in_last(n) < k
        {
            return false;
        }
        true
    }
}

impl Matcher {
    /// The index of the first enabled rule matching `site`.
    #[inline]
    pub(crate) fn first_match(&self, site: &Site, passes: bool) -> Option<usize> {
        self.rules
            .iter()
            .find(|r| r.matches(site, passes))
            .map(|r| r.index)
    }
}
