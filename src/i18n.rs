//! Languages. Every string a planner reads exists in Simplified Chinese and
//! English; the language is passed around as a value, never kept globally.

use serde::{Deserialize, Serialize};

/// A user interface language.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Lang {
    /// Simplified Chinese (the default: Sitefold's users are Chinese planners).
    #[default]
    Zh,
    /// English.
    En,
}

impl Lang {
    /// Picks `zh` or `en` text.
    pub fn pick<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }

    /// Parses `zh`, `zh-CN`, `zh_CN.UTF-8`, `en`, `en_US`… (case-insensitive).
    pub fn parse(s: &str) -> Option<Lang> {
        let s = s.trim().to_ascii_lowercase();
        if s.starts_with("zh") || s == "cn" || s == "chinese" || s == "中文" {
            Some(Lang::Zh)
        } else if s.starts_with("en") || s == "english" {
            Some(Lang::En)
        } else {
            None
        }
    }

    /// The language to start in: `SITEFOLD_LANG` when set, else the
    /// system's (the user's preferred languages on Windows and macOS,
    /// `LC_ALL`, `LC_MESSAGES` or `LANG` on Linux), Chinese when nothing
    /// says otherwise.
    pub fn from_environment() -> Lang {
        let own = std::env::var("SITEFOLD_LANG").ok();
        Lang::from_locales(own.into_iter().chain(sys_locale::get_locales()))
    }

    /// The first of `locales` (most preferred first, as `zh-Hans-CN`,
    /// `en-US`, `zh_CN.UTF-8`) that names Chinese or English; Chinese when
    /// none does (`C`, `POSIX`, `fr-FR`, nothing).
    pub fn from_locales<S: AsRef<str>>(locales: impl IntoIterator<Item = S>) -> Lang {
        locales
            .into_iter()
            .find_map(|l| Lang::parse(l.as_ref()))
            .unwrap_or(Lang::Zh)
    }

    /// The short code, `zh` or `en`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }
}

/// Text in both languages, for messages built at run time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Text {
    /// Simplified Chinese.
    pub zh: String,
    /// English.
    pub en: String,
}

impl Text {
    /// Builds a text from its two versions.
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Self {
        Text {
            zh: zh.into(),
            en: en.into(),
        }
    }

    /// The version in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        lang.pick(&self.zh, &self.en)
    }
}

#[cfg(test)]
mod tests {
    use super::Lang;

    #[test]
    fn the_system_locale_chooses_the_language() {
        // Windows and macOS name the language with a script or region,
        // Linux with a code set.
        for zh in ["zh-CN", "zh-Hans-CN", "zh_CN.UTF-8", "zh_TW", "ZH"] {
            assert_eq!(Lang::from_locales([zh]), Lang::Zh, "{zh}");
        }
        for en in ["en-US", "en_GB.UTF-8", "en", "EN-au"] {
            assert_eq!(Lang::from_locales([en]), Lang::En, "{en}");
        }
        // The first language the user prefers that Sitefold speaks wins.
        assert_eq!(Lang::from_locales(["fr-FR", "en-US", "zh-CN"]), Lang::En);
        assert_eq!(Lang::from_locales(["de-DE", "zh-Hans-CN"]), Lang::Zh);
        // Nothing usable: Chinese, the planners' language.
        assert_eq!(Lang::from_locales(["C", "POSIX", "fr-FR"]), Lang::Zh);
        assert_eq!(Lang::from_locales(Vec::<String>::new()), Lang::Zh);
    }
}
