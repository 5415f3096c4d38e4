//! Strings of the charts panel.

strings! {
    /// Charts panel strings.
    ChartsStr {
        ExportPng => ("导出 PNG…", "Export PNG…"),
        ExportSvg => ("导出 SVG…", "Export SVG…"),
        ClickToSelect => ("点击散点选择网站", "Click a point to select its site"),
        Merged => ("已合并", "merged"),
        Kept => ("保留", "kept"),
        Score => ("得分", "score"),
        Budget => ("预算", "budget"),
    }
}
