//! Strings of the column-mapping dialog.

strings! {
    /// Column-mapping dialog strings.
    MappingStr {
        FileLabel => ("文件：", "File: "),
        HeaderInFile => ("文件中的列", "Column in the file"),
        Meaning => ("含义", "Holds"),
        Samples => ("示例值", "Sample values"),
        NoPreview => ("（无法预览）", "(no preview)"),
        Required => ("必填", "required"),
        MissingRequired => ("还需要指定：", "Still to choose: "),
        ChosenTwice => ("被选了不止一次", "is chosen more than once"),
        ForColumns => ("（列 ", " (columns "),
        ForColumnsEnd => ("）", ")"),
        Ready => ("可以导入。", "Ready to import."),
        Remembered => ("Sitefold 会记住这种表头的对应方式，下次打开同样表头的文件时直接导入。", "Sitefold remembers this mapping and uses it for files with the same headers."),
        EmptyHeader => ("（空表头）", "(empty header)"),
    }
}
