//! Texts with `{placeholders}`: the redirect map's address pattern and the
//! closure notice's template. A placeholder is written `{key}` (any case)
//! or by its Chinese name (`{网站名称}`); `{{` and `}}` write a brace. An
//! unknown name or a brace left open is refused with the column where it
//! is and the names there are, in both languages.
//!
//! ```
//! use sitefold::execution::placeholders::{Placeholder, Template, TemplateKind};
//! const FIELDS: &[Placeholder] = &[Placeholder::new("site_name", "网站名称", "网站名称", "the site's name")];
//! let t = Template::parse("关于{网站名称}的公告 {{site_name}}", TemplateKind::Notice, FIELDS).expect("valid");
//! assert_eq!(t.fill(|_| "某某网站".into()), "关于某某网站的公告 {site_name}");
//! assert!(Template::parse("{site}", TemplateKind::Notice, FIELDS).is_err());
//! ```

use std::borrow::Cow;

use crate::i18n::Lang;

/// One placeholder a template may use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Placeholder {
    /// Its key, written `{key}`.
    pub key: &'static str,
    /// Its Chinese name, also accepted (`{网站名称}`).
    pub zh: &'static str,
    /// What it stands for, in Chinese.
    pub zh_help: &'static str,
    /// What it stands for, in English.
    pub en_help: &'static str,
}

impl Placeholder {
    /// A placeholder.
    pub const fn new(
        key: &'static str,
        zh: &'static str,
        zh_help: &'static str,
        en_help: &'static str,
    ) -> Placeholder {
        Placeholder {
            key,
            zh,
            zh_help,
            en_help,
        }
    }

    /// What it stands for, in `lang`.
    pub fn help(&self, lang: Lang) -> &'static str {
        lang.pick(self.zh_help, self.en_help)
    }

    fn is(&self, name: &str) -> bool {
        self.key.eq_ignore_ascii_case(name) || self.zh == name
    }
}

/// What a template is for, to name it in messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TemplateKind {
    /// The redirect map's pattern of new addresses.
    RedirectPattern,
    /// The closure notice's template.
    Notice,
}

impl TemplateKind {
    fn name(self, lang: Lang) -> &'static str {
        match self {
            TemplateKind::RedirectPattern => lang.pick("跳转地址模式", "the redirect pattern"),
            TemplateKind::Notice => lang.pick("公告模板", "the notice template"),
        }
    }
}

/// A piece of a template.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Piece {
    Text(String),
    /// The index of a placeholder in the list the template was read with.
    Field(usize),
}

/// A template read: text and placeholders.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Template {
    pieces: Vec<Piece>,
    /// The keys of the placeholders it was read with.
    keys: Vec<&'static str>,
}

/// Why a template cannot be used.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.message(Lang::En))]
pub struct TemplateError {
    /// Which template.
    pub kind: TemplateKind,
    /// Character column (from 1) on its line where the problem is.
    pub column: usize,
    /// Its line (from 1).
    pub line: usize,
    /// What is wrong.
    pub problem: TemplateProblem,
    /// The placeholders there are.
    pub known: &'static [Placeholder],
}

/// What is wrong with a template.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TemplateProblem {
    /// `{name}` names no placeholder.
    Unknown(String),
    /// A `{` without its `}`.
    Unclosed,
    /// A `}` without its `{` (write `}}` for a brace).
    StrayClose,
    /// A redirect pattern that does not make an absolute web address: it
    /// must start with `http://`, `https://` or `{target_url}`.
    NotAbsolute,
}

impl TemplateError {
    /// The message in `lang`, with the placeholders there are.
    pub fn message(&self, lang: Lang) -> String {
        let what = self.kind.name(lang);
        let at = match lang {
            Lang::Zh => format!("第 {} 行第 {} 个字符", self.line, self.column),
            Lang::En => format!("line {}, character {}", self.line, self.column),
        };
        let problem = match (&self.problem, lang) {
            (TemplateProblem::Unknown(name), Lang::Zh) => {
                format!("{what}（{at}）中的占位符 {{{name}}} 不存在")
            }
            (TemplateProblem::Unknown(name), Lang::En) => {
                format!("{what} ({at}) has an unknown placeholder {{{name}}}")
            }
            (TemplateProblem::Unclosed, Lang::Zh) => {
                format!("{what}（{at}）中的 {{ 没有对应的 }}（要写花括号本身，请写 {{{{）")
            }
            (TemplateProblem::Unclosed, Lang::En) => {
                format!("{what} ({at}) has a {{ without its }} (write {{{{ for a brace)")
            }
            (TemplateProblem::StrayClose, Lang::Zh) => {
                format!("{what}（{at}）中的 }} 没有对应的 {{（要写花括号本身，请写 }}}}）")
            }
            (TemplateProblem::StrayClose, Lang::En) => {
                format!("{what} ({at}) has a }} without its {{ (write }}}} for a brace)")
            }
            (TemplateProblem::NotAbsolute, Lang::Zh) => {
                format!("{what}必须得出完整的网址：以 http://、https:// 或 {{target_url}} 开头")
            }
            (TemplateProblem::NotAbsolute, Lang::En) => format!(
                "{what} must make a whole web address: start it with http://, https:// or {{target_url}}"
            ),
        };
        let list = known_list(self.known, lang);
        match lang {
            Lang::Zh => format!("{problem}。可用的占位符：{list}"),
            Lang::En => format!("{problem}. The placeholders are: {list}"),
        }
    }
}

/// `{key}`（中文名）what… for each placeholder, in `lang`.
pub fn known_list(known: &[Placeholder], lang: Lang) -> String {
    let items: Vec<String> = known
        .iter()
        .map(|p| match lang {
            Lang::Zh => format!("{{{}}} 或 {{{}}}（{}）", p.key, p.zh, p.zh_help),
            Lang::En => format!("{{{}}} ({})", p.key, p.en_help),
        })
        .collect();
    items.join(lang.pick("；", "; "))
}

impl Template {
    /// Reads `src` with the placeholders `known`. Full-width braces
    /// (`｛网站名称｝`, as a Chinese input method types them) are read as
    /// braces around a known name and kept as text otherwise.
    pub fn parse(
        src: &str,
        kind: TemplateKind,
        known: &'static [Placeholder],
    ) -> Result<Template, TemplateError> {
        let mut pieces = Vec::new();
        let mut text = String::new();
        let chars: Vec<char> = src.chars().collect();
        let (mut line, mut line_start) = (1, 0);
        let error = |problem, at: usize, line: usize, line_start: usize| TemplateError {
            kind,
            column: at - line_start + 1,
            line,
            problem,
            known,
        };
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            match c {
                '\n' => {
                    text.push(c);
                    line += 1;
                    line_start = i + 1;
                    i += 1;
                }
                '{' | '}' if chars.get(i + 1) == Some(&c) => {
                    text.push(c);
                    i += 2;
                }
                '}' => return Err(error(TemplateProblem::StrayClose, i, line, line_start)),
                '{' | '｛' => {
                    let close = if c == '{' { '}' } else { '｝' };
                    let end = chars[i + 1..]
                        .iter()
                        .position(|&d| d == close || d == '\n' || (c == '{' && d == '{'))
                        .map(|p| i + 1 + p)
                        .filter(|&e| chars[e] == close);
                    let Some(end) = end else {
                        if c == '{' {
                            return Err(error(TemplateProblem::Unclosed, i, line, line_start));
                        }
                        text.push(c);
                        i += 1;
                        continue;
                    };
                    let name: String = chars[i + 1..end].iter().collect();
                    match known.iter().position(|p| p.is(name.trim())) {
                        Some(k) => {
                            if !text.is_empty() {
                                pieces.push(Piece::Text(std::mem::take(&mut text)));
                            }
                            pieces.push(Piece::Field(k));
                        }
                        None if c == '{' => {
                            return Err(error(
                                TemplateProblem::Unknown(name.trim().to_string()),
                                i,
                                line,
                                line_start,
                            ));
                        }
                        None => text.extend(&chars[i..=end]),
                    }
                    i = end + 1;
                }
                _ => {
                    text.push(c);
                    i += 1;
                }
            }
        }
        if !text.is_empty() {
            pieces.push(Piece::Text(text));
        }
        Ok(Template {
            pieces,
            keys: known.iter().map(|p| p.key).collect(),
        })
    }

    /// True when the template uses placeholder `k` (its index in the list
    /// it was read with).
    pub fn uses(&self, k: usize) -> bool {
        self.pieces.contains(&Piece::Field(k))
    }

    /// The text before the first placeholder (empty when it starts with one).
    pub fn leading_text(&self) -> &str {
        match self.pieces.first() {
            Some(Piece::Text(t)) => t,
            _ => "",
        }
    }

    /// The index of the first placeholder when the template starts with one.
    pub fn leading_field(&self) -> Option<usize> {
        match self.pieces.first() {
            Some(Piece::Field(k)) => Some(*k),
            _ => None,
        }
    }

    /// The template written back as a template, the placeholders for
    /// which `fixed(index)` gives a text replaced by that text (its braces
    /// doubled, so that it reads back as text).
    pub fn source_with(&self, mut fixed: impl FnMut(usize) -> Option<String>) -> String {
        let escape = |t: &str| t.replace('{', "{{").replace('}', "}}");
        let mut out = String::new();
        for p in &self.pieces {
            match p {
                Piece::Text(t) => out.push_str(&escape(t)),
                Piece::Field(k) => match fixed(*k) {
                    Some(t) => out.push_str(&escape(&t)),
                    None => {
                        out.push('{');
                        out.push_str(self.keys[*k]);
                        out.push('}');
                    }
                },
            }
        }
        out
    }

    /// The placeholder right after the leading text, if the template
    /// starts with text followed by one.
    pub fn field_after_leading_text(&self) -> Option<usize> {
        match self.pieces.as_slice() {
            [Piece::Text(_), Piece::Field(k), ..] => Some(*k),
            _ => None,
        }
    }

    /// The text with each placeholder written by `value(index, out)` and
    /// the text between them by `text(piece, out)`.
    pub fn fill_with(
        &self,
        mut value: impl FnMut(usize, &mut String),
        mut text: impl FnMut(&str, &mut String),
    ) -> String {
        let mut out = String::new();
        for p in &self.pieces {
            match p {
                Piece::Text(t) => text(t, &mut out),
                Piece::Field(k) => value(*k, &mut out),
            }
        }
        out
    }

    /// The text with each placeholder replaced by `value(index)`.
    pub fn fill<'b>(&self, mut value: impl FnMut(usize) -> Cow<'b, str>) -> String {
        self.fill_with(|k, out| out.push_str(&value(k)), |t, out| out.push_str(t))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KNOWN: &[Placeholder] = &[
        Placeholder::new("site_name", "网站名称", "网站名称", "the site's name"),
        Placeholder::new(
            "target_url",
            "承接网站网址",
            "承接网站网址",
            "the receiving site's address",
        ),
    ];

    fn parse(s: &str) -> Result<Template, TemplateError> {
        Template::parse(s, TemplateKind::Notice, KNOWN)
    }

    fn fill(s: &str) -> String {
        parse(s)
            .expect(s)
            .fill(|k| Cow::Borrowed(["NAME", "URL"][k]))
    }

    #[test]
    fn names_keys_aliases_and_braces() {
        assert_eq!(fill("a{site_name}b{ TARGET_URL }c"), "aNAMEbURLc");
        assert_eq!(fill("{网站名称}（{承接网站网址}）"), "NAME（URL）");
        assert_eq!(fill("｛网站名称｝｛其他｝"), "NAME｛其他｝");
        assert_eq!(fill("{{site_name}} }} {{"), "{site_name} } {");
        assert_eq!(fill(""), "");
        let t = parse("x{target_url}").expect("valid");
        assert!(t.uses(1) && !t.uses(0));
        assert_eq!(t.leading_text(), "x");
        assert_eq!(parse("{site_name}").expect("ok").leading_field(), Some(0));
        let t = parse("关于{网站名称}的{{公告}} {target_url}").expect("ok");
        let back = t.source_with(|k| (k == 1).then(|| "a{b}".to_string()));
        assert_eq!(back, "关于{site_name}的{{公告}} a{{b}}");
        assert_eq!(fill(&back), "关于NAME的{公告} a{b}");
    }

    #[test]
    fn mistakes_are_located_and_explained_in_both_languages() {
        let e = parse("第一行\n关于{site}的公告").expect_err("unknown");
        assert_eq!(e.problem, TemplateProblem::Unknown("site".into()));
        assert_eq!((e.line, e.column), (2, 3));
        let zh = e.message(Lang::Zh);
        assert!(
            zh.contains("公告模板（第 2 行第 3 个字符）中的占位符 {site} 不存在"),
            "{zh}"
        );
        assert!(zh.contains("{site_name} 或 {网站名称}（网站名称）"), "{zh}");
        let en = e.message(Lang::En);
        assert!(en.contains("unknown placeholder {site}"), "{en}");
        assert!(
            en.contains("{target_url} (the receiving site's address)"),
            "{en}"
        );

        let e = parse("ab{site_name").expect_err("unclosed");
        assert_eq!(
            (e.problem.clone(), e.column),
            (TemplateProblem::Unclosed, 3)
        );
        let e = parse("a{b{site_name}").expect_err("nested");
        assert_eq!(e.problem, TemplateProblem::Unclosed);
        let e = parse("a}b").expect_err("stray");
        assert_eq!(
            (e.problem.clone(), e.column),
            (TemplateProblem::StrayClose, 2)
        );
        assert!(e.message(Lang::Zh).contains("}}"));
    }
}
