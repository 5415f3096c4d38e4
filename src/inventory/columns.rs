//! The inventory's columns and the header names each one answers to.

use serde::{Deserialize, Serialize};

use crate::i18n::Lang;

/// A canonical inventory column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Column {
    /// 网站标识码 (required).
    SiteId,
    /// 网站名称.
    Name,
    /// 网址.
    Url,
    /// 层级 (required).
    Level,
    /// 类型.
    Kind,
    /// 上级网站标识码.
    ParentId,
    /// 地区.
    Region,
    /// 年度预算.
    AnnualBudget,
    /// 人员.
    Staff,
    /// 服务人口.
    Population,
    /// 月访问量.
    MonthlyVisits,
    /// 在线服务事项.
    OnlineServices,
    /// 检查得分.
    InspectionScore,
    /// 检查结果.
    InspectionPassed,
    /// 转载时效.
    ReprintHours,
}

impl Column {
    /// Every column, in the order of the template.
    pub const ALL: [Column; 15] = [
        Column::SiteId,
        Column::Name,
        Column::Url,
        Column::Level,
        Column::Kind,
        Column::ParentId,
        Column::Region,
        Column::AnnualBudget,
        Column::Staff,
        Column::Population,
        Column::MonthlyVisits,
        Column::OnlineServices,
        Column::InspectionScore,
        Column::InspectionPassed,
        Column::ReprintHours,
    ];

    /// The canonical (English) header.
    pub fn key(self) -> &'static str {
        match self {
            Column::SiteId => "site_id",
            Column::Name => "name",
            Column::Url => "url",
            Column::Level => "level",
            Column::Kind => "kind",
            Column::ParentId => "parent_id",
            Column::Region => "region",
            Column::AnnualBudget => "annual_budget",
            Column::Staff => "staff",
            Column::Population => "population",
            Column::MonthlyVisits => "monthly_visits",
            Column::OnlineServices => "online_services",
            Column::InspectionScore => "inspection_score",
            Column::InspectionPassed => "inspection_passed",
            Column::ReprintHours => "reprint_hours",
        }
    }

    /// The Chinese header used in templates and exports.
    pub fn zh(self) -> &'static str {
        match self {
            Column::SiteId => "网站标识码",
            Column::Name => "网站名称",
            Column::Url => "网址",
            Column::Level => "层级",
            Column::Kind => "类型",
            Column::ParentId => "上级网站标识码",
            Column::Region => "地区",
            Column::AnnualBudget => "年度预算（元）",
            Column::Staff => "人员数",
            Column::Population => "服务人口",
            Column::MonthlyVisits => "月访问量",
            Column::OnlineServices => "在线服务事项",
            Column::InspectionScore => "检查得分",
            Column::InspectionPassed => "检查结果",
            Column::ReprintHours => "转载时效（小时）",
        }
    }

    /// The header in `lang`.
    pub fn header(self, lang: Lang) -> &'static str {
        lang.pick(self.zh(), self.key())
    }

    /// A short description for tooltips and the template.
    pub fn describe(self, lang: Lang) -> &'static str {
        match self {
            Column::SiteId => lang.pick("唯一标识，必填", "unique identifier, required"),
            Column::Name => lang.pick("网站名称", "site name"),
            Column::Url => lang.pick("网址或域名", "address or domain"),
            Column::Level => lang.pick(
                "国家/省/市/县/乡镇，或 0–4，必填",
                "national/province/prefecture/county/township or 0–4, required",
            ),
            Column::Kind => lang.pick(
                "门户 或 部门（默认门户）",
                "portal or department (default portal)",
            ),
            Column::ParentId => lang.pick(
                "上一级网站的标识码，顶层留空",
                "the parent site's id; empty for a top site",
            ),
            Column::Region => lang.pick("地区名称或区划代码", "region name or division code"),
            Column::AnnualBudget => lang.pick(
                "每年运维经费（元），可写 2.5万",
                "yuan per year; 2.5万 is accepted",
            ),
            Column::Staff => lang.pick("运维人员数", "staff running the site"),
            Column::Population => lang.pick(
                "辖区服务人口（整数）",
                "population of the jurisdiction (whole number)",
            ),
            Column::MonthlyVisits => lang.pick("月访问量（整数）", "monthly visits (whole number)"),
            Column::OnlineServices => {
                lang.pick("在线办事事项数（整数）", "online services (whole number)")
            }
            Column::InspectionScore => lang.pick("检查得分，0–100", "inspection score, 0–100"),
            Column::InspectionPassed => lang.pick("合格/不合格，是/否", "pass/fail, yes/no"),
            Column::ReprintHours => lang.pick(
                "转载国务院文件所用小时数",
                "hours to reprint State Council notices",
            ),
        }
    }

    /// True for the columns a file must have.
    pub fn required(self) -> bool {
        matches!(self, Column::SiteId | Column::Level)
    }

    /// Header names this column answers to, besides its key.
    pub fn aliases(self) -> &'static [&'static str] {
        match self {
            Column::SiteId => &[
                "id",
                "网站标识码",
                "站点编号",
                "编号",
                "网站编号",
                "标识码",
                "site id",
                "siteid",
            ],
            Column::Name => &["网站名称", "名称", "site_name", "站点名称"],
            Column::Url => &["网址", "域名", "address", "website", "link"],
            Column::Level => &["层级", "级别", "行政级别", "网站层级"],
            Column::Kind => &["类型", "网站类型", "type", "site_type"],
            Column::ParentId => &[
                "上级网站标识码",
                "上级编号",
                "上级",
                "parent",
                "上级标识码",
                "上级网站编号",
            ],
            Column::Region => &["地区", "行政区划", "区划代码", "区划", "所属地区"],
            Column::AnnualBudget => &["budget", "年度预算", "年预算", "运维经费", "年度经费"],
            Column::Staff => &["人员", "工作人员", "人员数", "运维人员"],
            Column::Population => &["服务人口", "人口", "pop"],
            Column::MonthlyVisits => &["月访问量", "访问量", "visits"],
            Column::OnlineServices => &[
                "在线服务事项",
                "服务事项",
                "办事事项",
                "services",
                "在线服务",
            ],
            Column::InspectionScore => &["检查得分", "得分", "评分", "score", "分数"],
            Column::InspectionPassed => &[
                "检查结果",
                "是否合格",
                "合格",
                "passed",
                "inspection_result",
                "result",
            ],
            Column::ReprintHours => &["转载时效", "转载时效小时", "reprint_hours"],
        }
    }

    /// The column a header names, if any.
    pub fn from_header(header: &str) -> Option<Column> {
        // Every alias, normalised once.
        static NAMES: std::sync::OnceLock<Vec<(String, Column)>> = std::sync::OnceLock::new();
        let names = NAMES.get_or_init(|| {
            Column::ALL
                .into_iter()
                .flat_map(|c| {
                    std::iter::once(c.key())
                        .chain(c.aliases().iter().copied())
                        .map(move |a| (normalize_header(a), c))
                })
                .collect()
        });
        // No column's name is this long (a whole file on one line can be
        // one header cell): not worth normalising.
        if header.len() > MAX_HEADER_BYTES {
            return None;
        }
        let k = normalize_header(header);
        if k.is_empty() {
            return None;
        }
        names.iter().find(|(n, _)| *n == k).map(|&(_, c)| c)
    }
}

/// Longest header (in bytes, with its unit in parentheses) matched to a
/// column; a longer one names no column.
pub const MAX_HEADER_BYTES: usize = 256;

/// A header cell as kept: trimmed, and one longer than any column name
/// ([`MAX_HEADER_BYTES`]) as a short excerpt, since it names no column and
/// is copied into every report entry about its column.
pub fn header_cell(text: &str) -> String {
    let t = text.trim();
    if t.len() > MAX_HEADER_BYTES {
        super::report::excerpt(t)
    } else {
        t.to_string()
    }
}

/// Normalizes a header for matching: trims, drops a byte-order mark and any
/// part in parentheses (full- or half-width: `年度预算（元）` = `年度预算`),
/// lower-cases, and treats spaces, `-` and `_` alike.
pub fn normalize_header(h: &str) -> String {
    let mut out = String::with_capacity(h.len());
    let mut depth = 0usize;
    for ch in h.trim_start_matches('\u{feff}').chars() {
        match ch {
            '(' | '（' => depth += 1,
            ')' | '）' => depth = depth.saturating_sub(1),
            _ if depth > 0 => {}
            c => out.push(c),
        }
    }
    let lowered = out.trim().to_lowercase();
    let mut norm = String::with_capacity(lowered.len());
    let mut sep = false;
    for ch in lowered.chars() {
        if ch.is_whitespace() || ch == '-' || ch == '_' {
            sep = true;
        } else {
            if sep && !norm.is_empty() {
                norm.push('_');
            }
            sep = false;
            norm.push(ch);
        }
    }
    norm
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_match_with_units_case_and_width() {
        assert_eq!(
            Column::from_header("年度预算（元）"),
            Some(Column::AnnualBudget)
        );
        assert_eq!(
            Column::from_header(" 年度预算(元) "),
            Some(Column::AnnualBudget)
        );
        assert_eq!(
            Column::from_header("Annual Budget (yuan)"),
            Some(Column::AnnualBudget)
        );
        assert_eq!(Column::from_header("SITE_ID"), Some(Column::SiteId));
        assert_eq!(
            Column::from_header("\u{feff}网站标识码"),
            Some(Column::SiteId)
        );
        assert_eq!(Column::from_header("上级"), Some(Column::ParentId));
        assert_eq!(
            Column::from_header("转载时效（小时）"),
            Some(Column::ReprintHours)
        );
        assert_eq!(Column::from_header("备注"), None);
        assert_eq!(Column::from_header(""), None);
        let long_unit = format!("年度预算（{}）", "元".repeat(100));
        assert!(long_unit.len() > MAX_HEADER_BYTES);
        assert_eq!(Column::from_header(&long_unit), None);
        assert_eq!(Column::from_header(&"level ".repeat(1 << 20)), None);
    }

    #[test]
    fn every_chinese_header_maps_back() {
        for c in Column::ALL {
            assert_eq!(Column::from_header(c.zh()), Some(c), "{c:?}");
            assert_eq!(Column::from_header(c.key()), Some(c), "{c:?}");
        }
    }
}
