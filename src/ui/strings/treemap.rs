//! Strings of the treemap panel.

strings! {
    /// Treemap panel strings.
    TreemapStr {
        Tab => ("树图", "Treemap"),
        SizeBy => ("面积表示", "Size by"),
        Budget => ("年度预算", "Budget"),
        Population => ("自有人口", "Own population"),
        ColourBy => ("颜色表示", "Colour by"),
        Decision => ("决定", "Decision"),
        Inspection => ("检查结果", "Inspection"),
        Kept => ("保留", "Kept"),
        Merged => ("合并", "Merged"),
        Passes => ("合格", "Passes"),
        Fails => ("不合格", "Fails"),
        Help => ("每个矩形是一个网站及其下级，面积与所选数值成正比；单击选中网站", "Each rectangle is a site with the sites below it, its area in proportion to the measure chosen; click to select the site"),
        Empty => ("没有可显示的数值（所选数值全为 0 或缺失）", "Nothing to show: the measure is 0 or missing everywhere"),
        OwnShare => ("本级", "own"),
    }
}
