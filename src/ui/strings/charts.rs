//! Strings of the charts panel.

strings! {
    /// Charts panel strings.
    ChartsStr {
        Title => ("Charts", "Charts"),
    }
}
