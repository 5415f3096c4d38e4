//! Strings of the import report panel.

strings! {
    /// Import report panel strings.
    ReportStr {
        Title => ("导入报告", "Import report"),
        File => ("文件", "File"),
        Sites => ("导入网站", "Sites imported"),
        ColLocation => ("位置", "Location"),
        ColSite => ("网站标识码", "Site ID"),
        ColRaw => ("原始行", "Raw row"),
        WholeFile => ("整个文件", "whole file"),
        LinePrefix => ("第 ", "line "),
        LineSuffix => (" 行", ""),
        RowPrefix => ("第 ", "row "),
        RowSuffix => (" 行", ""),
        ColPrefix => ("第 ", "col "),
        ColSuffix => (" 列", ""),
        ClearFilter => ("清除", "Clear"),
        NoMatches => ("没有符合筛选条件的问题。", "No issues match the filters."),
        ClickToSelect => ("点击在清单中选中该网站", "Click to select this site in the inventory"),
        NotImportedSite => ("该行未导入，清单中没有这个网站", "This row was not imported; the site is not in the inventory"),
        RawRowHover => ("原始行：", "Raw row: "),
        NoFileIssues => ("方案、规则和参数文件没有问题。", "No problems in the plan, rules and parameter files."),
        FilterHint => ("按说明、标识码或原始行筛选", "Filter by message, site ID or raw row"),
    }
}
