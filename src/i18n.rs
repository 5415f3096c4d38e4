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

    /// The language of the system locale (`LC_ALL`, `LC_MESSAGES`, `LANG`),
    /// Chinese when nothing says otherwise.
    pub fn from_environment() -> Lang {
        for var in ["SITEFOLD_LANG", "LC_ALL", "LC_MESSAGES", "LANG"] {
            if let Ok(v) = std::env::var(var)
                && let Some(l) = Lang::parse(&v)
            {
                return l;
            }
        }
        Lang::Zh
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
