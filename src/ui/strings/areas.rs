//! Strings of the areas panel (subtotals per prefecture and county).

strings! {
    /// Areas panel strings.
    AreasStr {
        Tab => ("地区", "Areas"),
        Area => ("地区", "Area"),
        Sites => ("网站数", "Sites"),
        Kept => ("保留", "Kept"),
        Merged => ("合并", "Merged"),
        CostBefore => ("年度成本（现状）", "Cost before"),
        CostAfter => ("年度成本（方案后）", "Cost after"),
        Savings => ("每年节约", "Savings / year"),
        OneTime => ("一次性成本", "One-time cost"),
        CoverageBefore => ("覆盖率（现状）", "Coverage before"),
        CoverageAfter => ("覆盖率（方案后）", "Coverage after"),
        UnitNote => ("金额单位：万元", "Amounts in yuan (¥)"),
        SortBySavings => ("按每年节约排序", "Sort by savings"),
        SortTip => ("节约最多的地区在前；不勾选则按清单顺序", "Areas saving most first; unticked, in inventory order"),
        ExpandAll => ("全部展开", "Expand all"),
        CollapseAll => ("全部收起", "Collapse all"),
        Expand => ("展开", "Expand"),
        Collapse => ("收起", "Collapse"),
        ShowInTable => ("在清单表格中只看该地区的网站", "Show only this area's sites in the table"),
        Total => ("合计", "Total"),
        Empty => ("清单中没有网站", "The inventory has no sites"),
        Help => (
            "每个地市门户及其下级为一个地区，其中每个县级门户及其下级为一个县区。合并网站的承接成本计入承接网站所在地区，一次性成本计入被合并网站所在地区，各地区相加等于总数。",
            "Each prefecture portal's subtree is an area, each county portal's subtree within it a county. A merged site's absorb cost counts in the area of the site serving it, its one-time cost in its own; the areas add up to the totals."
        ),
    }
}
