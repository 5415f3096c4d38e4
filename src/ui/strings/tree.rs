//! Strings of the hierarchy tree.

strings! {
    /// Hierarchy tree strings.
    TreeStr {
        Departments => ("部门", "Departments"),
        ShowMore => ("显示更多", "Show more"),
        Expand => ("展开", "Expand"),
        Collapse => ("收起", "Collapse"),
        CollapseAll => ("全部收起", "Collapse all"),
        RevealSelected => ("在树中定位所选网站", "Reveal the selected site"),
        ShowAllSites => ("表格显示全部网站", "Show all sites in the table"),
        FindHint => ("查找网站（名称或标识码）", "Find a site (name or id)"),
        NoMatches => ("没有匹配的网站", "No matching sites"),
        FirstMatches => ("只列出前几个匹配，请输入更多文字缩小范围", "Only the first matches are listed; type more to narrow down"),
        MergedShort => ("合并", "merged"),
        SubtreeSites => ("本网站及下级网站", "Sites in this subtree"),
        SubtreeMerged => ("其中合并", "Merged in this subtree"),
        SubtreeFailing => ("其中不合格", "Failing in this subtree"),
        SiteFails => ("本网站检查不合格", "This site fails inspection"),
        MergedInto => ("合并至", "Merged into"),
        Legend => ("红点：下级有不合格网站；红字：本网站不合格；删除线：合并", "Red dot: failing sites below; red name: the site fails; struck out: merged"),
        ClickHint => ("单击网站：选中并在表格中只看其下级", "Click a site to select it and show its subtree in the table"),
        Empty => ("清单中没有网站", "The inventory has no sites"),
    }
}
