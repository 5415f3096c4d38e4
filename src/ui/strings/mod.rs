//! Every string the app shows, in Simplified Chinese and English.
//!
//! Each panel's strings live in a file here, declared with [`strings!`], so
//! that translations stay in one place and a test can check that the bundled
//! font covers every one of them.

use crate::i18n::Lang;

/// Declares an enum of UI strings with their Chinese and English text.
macro_rules! strings {
    ($(#[$meta:meta])* $name:ident { $($key:ident => ($zh:expr, $en:expr)),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum $name { $(#[allow(missing_docs)] $key),+ }

        impl $name {
            /// Every string of this group.
            pub const ALL: &'static [$name] = &[$($name::$key),+];

            /// The text in `lang`.
            pub fn get(self, lang: $crate::i18n::Lang) -> &'static str {
                match self { $($name::$key => lang.pick($zh, $en)),+ }
            }
        }
    };
}

mod areas;
mod assemble;
mod charts;
mod common;
mod detail;
mod mapping;
mod params;
mod report;
mod rules;
mod scenarios;
mod table;
mod timeline;
mod tree;
mod treemap;

pub use areas::AreasStr;
pub use assemble::AssembleStr;
pub use charts::ChartsStr;
pub use common::S;
pub use detail::DetailStr;
pub use mapping::MappingStr;
pub use params::ParamsStr;
pub use report::ReportStr;
pub use rules::RulesStr;
pub use scenarios::ScenStr;
pub use table::TableStr;
pub use timeline::TimelineStr;
pub use tree::TreeStr;
pub use treemap::TreemapStr;

/// Every string of every group in `lang`, for the font-coverage test.
pub fn all_texts(lang: Lang) -> Vec<&'static str> {
    let mut v: Vec<&'static str> = S::ALL.iter().map(|s| s.get(lang)).collect();
    v.extend(AreasStr::ALL.iter().map(|s| s.get(lang)));
    v.extend(ChartsStr::ALL.iter().map(|s| s.get(lang)));
    v.extend(crate::outcome::AreaKind::ALL.iter().map(|k| k.label(lang)));
    v.extend(DetailStr::ALL.iter().map(|s| s.get(lang)));
    v.extend(MappingStr::ALL.iter().map(|s| s.get(lang)));
    v.extend(ParamsStr::ALL.iter().map(|s| s.get(lang)));
    v.extend(ReportStr::ALL.iter().map(|s| s.get(lang)));
    v.extend(RulesStr::ALL.iter().map(|s| s.get(lang)));
    v.extend(ScenStr::ALL.iter().map(|s| s.get(lang)));
    v.extend(TableStr::ALL.iter().map(|s| s.get(lang)));
    v.extend(TimelineStr::ALL.iter().map(|s| s.get(lang)));
    v.extend(AssembleStr::ALL.iter().map(|s| s.get(lang)));
    v.extend(TreeStr::ALL.iter().map(|s| s.get(lang)));
    v.extend(TreemapStr::ALL.iter().map(|s| s.get(lang)));
    v.extend(
        crate::ui::actions::Action::ALL
            .iter()
            .flat_map(|a| [a.label(lang), a.tooltip(lang)]),
    );
    v
}
