//! Figures and rules in words: how numbers are written in the report, the
//! section numbers, and the rules and parameters as sentences.

use crate::export::Cell;
use crate::i18n::Lang;
use crate::inventory::fmt_number;
use crate::money::{Money, group_digits};
use crate::plan::{Action, Params, Rule};

/// Yuan exactly as the summary has them, grouped, with the fen when there
/// are any: `1,234,567`, `20,000.50`.
pub fn yuan(v: Money) -> String {
    v.grouped()
}

/// Ten-thousands of yuan to two places, for reading (`123.46`).
pub fn wan(v: Money) -> String {
    let d = (v.decimal() / rust_decimal::Decimal::from(10_000)).round_dp(2);
    let text = format!("{d:.2}");
    let (int, frac) = text.split_once('.').unwrap_or((&text, "00"));
    let (sign, digits) = int.strip_prefix('-').map_or(("", int), |d| ("-", d));
    format!("{sign}{}.{frac}", group_digits(digits))
}

/// A whole number with separators: `84,224`.
pub fn int(v: impl Into<u64>) -> String {
    group_digits(&v.into().to_string())
}

/// A share as a percentage to one place (`85.3%`), or a dash.
pub fn percent(v: Option<f64>) -> String {
    crate::outcome::percent(v)
}

/// A number as written in a file (`0.5`, `20000` → `20,000`).
pub fn number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        let digits = group_digits(&format!("{}", v.abs() as u64));
        if v < 0.0 {
            format!("-{digits}")
        } else {
            digits
        }
    } else {
        fmt_number(v)
    }
}

/// A fraction as a percentage without needless places (`0.1` → `10%`).
pub fn rate(v: f64) -> String {
    format!("{}%", fmt_number((v * 100.0 * 1e6).round() / 1e6))
}

/// A table cell as the report shows it: money as [`yuan`], counts with
/// separators, shares as percentages, an absent figure as a dash.
pub fn cell(c: &Cell) -> String {
    match c {
        Cell::Empty => "—".into(),
        Cell::Text(s) => s.clone(),
        Cell::Int(v) => {
            let digits = group_digits(&v.unsigned_abs().to_string());
            if *v < 0 { format!("-{digits}") } else { digits }
        }
        Cell::Money(m) => yuan(*m),
        Cell::Share(v) => percent(Some(*v)),
        Cell::Decimal(v) => format!("{v:.1}"),
        Cell::Number(v) => number(*v),
    }
}

/// True for the cells shown flush right (numbers).
pub fn is_numeric(c: &Cell) -> bool {
    !matches!(c, Cell::Text(_))
}

/// The number of the `n`-th section (from 1): 一 … 九十九 in Chinese,
/// `1` … in English.
pub fn section_number(n: usize, lang: Lang) -> String {
    match lang {
        Lang::En => n.to_string(),
        Lang::Zh => chinese_number(n),
    }
}

/// 1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 99 → 九十九 (larger numbers
/// as digits).
pub fn chinese_number(n: usize) -> String {
    const DIGITS: [&str; 10] = ["〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => DIGITS[n].to_string(),
        10..=99 => {
            let (tens, ones) = (n / 10, n % 10);
            let mut s = String::new();
            if tens > 1 {
                s.push_str(DIGITS[tens]);
            }
            s.push('十');
            if ones > 0 {
                s.push_str(DIGITS[ones]);
            }
            s
        }
        _ => n.to_string(),
    }
}

/// Items joined as a list: `A、B 或 C` / `A, B or C`.
fn either(items: &[&str], lang: Lang) -> String {
    match items {
        [] => String::new(),
        [one] => one.to_string(),
        [rest @ .., last] => format!(
            "{}{}{last}",
            rest.join(lang.pick("、", ", ")),
            lang.pick("或", " or ")
        ),
    }
}

/// What a rule asks of a site, in words (empty for a rule without
/// conditions).
fn conditions(r: &Rule, lang: Lang) -> Vec<String> {
    let mut parts = Vec::new();
    if let Some(levels) = &r.levels {
        let names: Vec<&str> = levels.iter().map(|l| l.label(lang)).collect();
        parts.push(match lang {
            Lang::Zh => format!("层级为{}", either(&names, lang)),
            Lang::En => format!("at {} level", either(&names, lang).to_lowercase()),
        });
    }
    if let Some(kinds) = &r.kinds {
        let names: Vec<&str> = kinds.iter().map(|k| k.label(lang)).collect();
        parts.push(match lang {
            Lang::Zh => format!("类型为{}网站", either(&names, lang)),
            Lang::En => format!("of kind {}", either(&names, lang).to_lowercase()),
        });
    }
    if let Some(x) = r.budget_below {
        let amount = Money::from_f64(x).map_or_else(|| number(x), yuan);
        parts.push(match lang {
            Lang::Zh => format!("年度预算低于 {amount} 元"),
            Lang::En => format!("with an annual budget below {amount} yuan"),
        });
    }
    if let Some(x) = r.score_below {
        parts.push(match lang {
            Lang::Zh => format!("检查得分低于 {} 分", number(x)),
            Lang::En => format!("with an inspection score below {}", number(x)),
        });
    }
    if let Some(failed) = r.failed_inspection {
        parts.push(
            match (failed, lang) {
                (true, Lang::Zh) => "检查不合格",
                (false, Lang::Zh) => "检查合格",
                (true, Lang::En) => "that are not up to standard",
                (false, Lang::En) => "that are up to standard",
            }
            .to_string(),
        );
    }
    if let Some(x) = r.visits_below {
        parts.push(match lang {
            Lang::Zh => format!("月访问量低于 {}", number(x)),
            Lang::En => format!("with fewer than {} visits a month", number(x)),
        });
    }
    if let Some(x) = r.reprint_hours_above {
        parts.push(match lang {
            Lang::Zh => format!("转载时效超过 {} 小时", number(x)),
            Lang::En => format!("taking more than {} hours to reprint", number(x)),
        });
    }
    if let Some([k, n]) = r.failed_rounds {
        parts.push(match lang {
            Lang::Zh => format!("最近 {n} 轮检查中至少 {k} 轮不合格"),
            Lang::En => format!("that failed at least {k} of the last {n} inspection rounds"),
        });
    }
    parts
}

/// Rule `n` (from 1) as a sentence, with the number of sites it decides.
pub fn rule(n: usize, r: &Rule, decided: usize, lang: Lang) -> String {
    let conds = conditions(r, lang);
    let count = int(decided as u64);
    match lang {
        Lang::Zh => {
            let who = if conds.is_empty() {
                "前面未决定的网站一律".to_string()
            } else {
                format!("凡{}的网站，", conds.join("、"))
            };
            let what = match r.action {
                Action::Merge => "关停并入最近的保留上级网站",
                Action::Keep => "予以保留",
            };
            let state = if r.enabled {
                format!("按此规则决定 {count} 个网站。")
            } else {
                "此规则未启用，未决定任何网站。".to_string()
            };
            format!(
                "规则{}“{}”：{who}{what}；{state}",
                chinese_number(n),
                r.name
            )
        }
        Lang::En => {
            let who = if conds.is_empty() {
                "every site not decided before".to_string()
            } else {
                format!("sites {}", conds.join(", "))
            };
            let what = match r.action {
                Action::Merge => "close and fold into their nearest kept ancestor",
                Action::Keep => "are kept",
            };
            let state = if r.enabled {
                format!(
                    "it decides {count} site{}.",
                    if decided == 1 { "" } else { "s" }
                )
            } else {
                "it is switched off and decides no site.".to_string()
            };
            format!("Rule {n}, “{}”: {who} {what}; {state}", r.name)
        }
    }
}

/// The parameters as sentences.
pub fn params(p: &Params, lang: Lang) -> Vec<String> {
    let money = |v: f64| Money::from_f64(v).map_or_else(|| number(v), yuan);
    let capacity = match (p.max_absorbed_per_target, lang) {
        (Some(c), Lang::Zh) => {
            format!("每个承接网站最多承接 {} 个网站，超过即视为超负荷。", int(c))
        }
        (Some(c), Lang::En) => format!(
            "A receiving site that absorbs more than {} sites is over capacity.",
            int(c)
        ),
        (None, Lang::Zh) => "未设每个承接网站的承接上限，不判断超负荷。".to_string(),
        (None, Lang::En) => {
            "No receiving site has a limit on the sites it absorbs, so none is over capacity."
                .to_string()
        }
    };
    match lang {
        Lang::Zh => vec![
            format!(
                "网站有检查结论的，按结论判断是否合格；没有检查结论的，检查得分达到 {} 分即视为合格。",
                number(p.pass_threshold)
            ),
            format!(
                "每关停并入一个网站，承接网站每年增加支出 {} 元，另加被并入网站原年度预算的 {}；一次性迁移费用为每个网站 {} 元，另加每项在线服务事项 {} 元；被并入网站的在线服务事项按 {} 迁移至承接网站。",
                money(p.absorb_fixed),
                rate(p.absorb_rate),
                money(p.migrate_fixed),
                money(p.migrate_per_service),
                rate(p.service_migration_rate)
            ),
            capacity,
        ],
        Lang::En => vec![
            format!(
                "A site with an inspection result is up to standard as the result says; a site without one is up to standard when its inspection score is at least {}.",
                number(p.pass_threshold)
            ),
            format!(
                "For each site it absorbs, a receiving site spends {} yuan a year plus {} of the absorbed site's budget. Closing a site costs {} yuan once, plus {} yuan for each of its online services; {} of its online services move to the receiving site.",
                money(p.absorb_fixed),
                rate(p.absorb_rate),
                money(p.migrate_fixed),
                money(p.migrate_per_service),
                rate(p.service_migration_rate)
            ),
            capacity,
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::{Kind, Level};

    #[test]
    fn numbers_read_as_planners_write_them() {
        assert_eq!(yuan(Money::yuan(1_234_567)), "1,234,567");
        assert_eq!(wan(Money::yuan(1_234_567)), "123.46");
        assert_eq!(wan(Money::yuan(-50_000)), "-5.00");
        assert_eq!(wan(Money::yuan(123_456_789_000)), "12,345,678.90");
        assert_eq!(int(84_224u64), "84,224");
        assert_eq!(rate(0.1), "10%");
        assert_eq!(rate(0.07), "7%");
        assert_eq!(rate(1.0), "100%");
        assert_eq!(number(20000.0), "20,000");
        assert_eq!(number(0.5), "0.5");
        assert_eq!(cell(&Cell::Int(-1234)), "-1,234");
        assert_eq!(cell(&Cell::Empty), "—");
        assert_eq!(cell(&Cell::Decimal(12.345)), "12.3");
    }

    #[test]
    fn sections_are_numbered_in_chinese() {
        let n: Vec<String> = [1, 2, 9, 10, 11, 20, 23, 99, 100]
            .iter()
            .map(|&n| chinese_number(n))
            .collect();
        assert_eq!(
            n,
            [
                "一",
                "二",
                "九",
                "十",
                "十一",
                "二十",
                "二十三",
                "九十九",
                "100"
            ]
        );
        assert_eq!(section_number(3, Lang::En), "3");
    }

    #[test]
    fn rules_read_as_sentences() {
        let mut r = Rule::new("县级部门并入", Action::Merge);
        r.levels = Some(vec![Level::County, Level::Township]);
        r.kinds = Some(vec![Kind::Department]);
        r.budget_below = Some(20000.0);
        r.failed_inspection = Some(true);
        assert_eq!(
            rule(2, &r, 1234, Lang::Zh),
            "规则二“县级部门并入”：凡层级为县级或乡镇级、类型为部门网站、年度预算低于 20,000 元、检查不合格的网站，关停并入最近的保留上级网站；按此规则决定 1,234 个网站。"
        );
        assert_eq!(
            rule(2, &r, 1, Lang::En),
            "Rule 2, “县级部门并入”: sites at county or township level, of kind department, with an annual budget below 20,000 yuan, that are not up to standard close and fold into their nearest kept ancestor; it decides 1 site."
        );
        let mut keep = Rule::new("其余保留", Action::Keep);
        keep.enabled = false;
        assert_eq!(
            rule(3, &keep, 0, Lang::Zh),
            "规则三“其余保留”：前面未决定的网站一律予以保留；此规则未启用，未决定任何网站。"
        );
    }

    #[test]
    fn parameters_read_as_sentences() {
        let p = Params::default();
        let zh = params(&p, Lang::Zh).join("");
        assert!(zh.contains("达到 60 分"), "{zh}");
        assert!(
            zh.contains("每年增加支出 5,000 元，另加被并入网站原年度预算的 10%"),
            "{zh}"
        );
        assert!(
            zh.contains("每个网站 10,000 元，另加每项在线服务事项 2,000 元"),
            "{zh}"
        );
        assert!(zh.contains("按 100% 迁移"), "{zh}");
        let mut p = p;
        p.max_absorbed_per_target = Some(25);
        let en = params(&p, Lang::En).join(" ");
        assert!(en.contains("more than 25 sites is over capacity"), "{en}");
    }
}
