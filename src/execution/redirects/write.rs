//! The redirect map as files: a CSV table for Excel (every closing site,
//! with what could not be made), an nginx configuration that defines
//! `$sitefold_redirect`, and an Apache `RewriteMap` text file. The server
//! files start with how to use them and the sites left out, in the
//! planner's language; they are UTF-8 without a byte-order mark and with
//! LF line ends, as servers read them, and the same plan always gives the
//! same bytes.
//!
//! nginx: two maps. `$sitefold_redirect_host` matches the host alone
//! (`$host`, an exact lookup in a hash, for the old sites given by their
//! host); `$sitefold_redirect` matches `$host$uri` (the host and the
//! decoded path, without the query) against a regular expression per old
//! site given with a path, deepest first and letter case ignored, and
//! falls back on the first. `$uri` rather than `$request_uri`: it is
//! decoded and normalised (`/%E6%95%99/` and `//教/` are `/教/`), as the
//! keys are.
//!
//! Apache: keys are the host (`www.a.gov.cn`) or the host and path
//! (`www.a.gov.cn/jyj`) in lower case; the rules in the header look up the
//! host with the first N path segments, deepest first, then the host.

use std::collections::BTreeSet;
use std::io::{self, Write};

use crate::i18n::Lang;
use crate::inventory::Inventory;

use super::{Redirect, RedirectFormat, RedirectMap};

/// The columns of the CSV table and of the workbook's redirect sheet.
pub fn redirect_headers(lang: Lang) -> [&'static str; 9] {
    [
        lang.pick("网站标识码", "site_id"),
        lang.pick("网站名称", "name"),
        lang.pick("关停季度", "quarter"),
        lang.pick("原网址", "old_address"),
        lang.pick("跳转源（域名和路径）", "from (host and path)"),
        lang.pick("新网址", "to"),
        lang.pick("承接网站标识码", "target_id"),
        lang.pick("承接网站名称", "target_name"),
        lang.pick("说明", "note"),
    ]
}

/// The cells of one entry, as [`redirect_headers`] names them.
pub fn redirect_row(r: &Redirect, inv: &Inventory, lang: Lang) -> [String; 9] {
    let s = inv.site(r.site);
    let t = inv.site(r.target);
    [
        s.id.to_string(),
        s.name.to_string(),
        r.quarter.map(|q| q.to_string()).unwrap_or_default(),
        r.address.clone(),
        r.from.as_ref().map(|a| a.key()).unwrap_or_default(),
        r.to.clone().unwrap_or_default(),
        t.id.to_string(),
        t.name.to_string(),
        r.problem
            .as_ref()
            .map(|p| p.message(inv, lang))
            .unwrap_or_default(),
    ]
}

/// Writes `map` as `format` to `out`. `pattern` is the pattern the new
/// addresses were made with (named in the server files' header).
pub fn write_redirects(
    map: &RedirectMap,
    inv: &Inventory,
    format: RedirectFormat,
    pattern: &str,
    lang: Lang,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        RedirectFormat::Csv => write_csv(map, inv, lang, out),
        RedirectFormat::Nginx => write_nginx(map, inv, pattern, lang, out),
        RedirectFormat::Apache => write_apache(map, inv, pattern, lang, out),
    }
}

fn write_csv(
    map: &RedirectMap,
    inv: &Inventory,
    lang: Lang,
    out: &mut dyn Write,
) -> io::Result<()> {
    let mut w = crate::inventory::excel_csv(out)?;
    w.write_record(redirect_headers(lang))?;
    for r in &map.entries {
        let row = redirect_row(r, inv, lang);
        let cells: Vec<std::borrow::Cow<'_, str>> =
            row.iter().map(|c| crate::export::neutralise(c)).collect();
        w.write_record(cells.iter().map(|c| c.as_bytes()))?;
    }
    w.flush()?;
    Ok(())
}

/// Text for a comment line: line breaks and control characters as spaces.
fn comment_text(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// The header's first lines: what the file is, the counts, the pattern.
fn head(
    map: &RedirectMap,
    what: &str,
    pattern: &str,
    written: usize,
    lang: Lang,
    out: &mut dyn Write,
) -> io::Result<()> {
    let failed = map.failures().count();
    match lang {
        Lang::Zh => {
            writeln!(
                out,
                "# Sitefold 生成的 {what}：关停网站的原网址 → 承接网站的新网址"
            )?;
            writeln!(
                out,
                "# 关停网站 {} 个，写入跳转 {written} 条；无法跳转 {failed} 条，列在本说明末尾。",
                map.closing_sites()
            )?;
            writeln!(out, "# 新网址模式：{}", comment_text(pattern))?;
        }
        Lang::En => {
            writeln!(
                out,
                "# {what} written by Sitefold: closing sites' old addresses -> their receiving sites' new ones"
            )?;
            writeln!(
                out,
                "# {} closing sites, {written} redirects written; {failed} could not be made (listed at the end of these notes).",
                map.closing_sites()
            )?;
            writeln!(out, "# New address pattern: {}", comment_text(pattern))?;
        }
    }
    writeln!(out, "#")
}

/// The entries left out, as comment lines.
fn left_out(
    map: &RedirectMap,
    inv: &Inventory,
    extra: &[(&Redirect, String)],
    lang: Lang,
    out: &mut dyn Write,
) -> io::Result<()> {
    let failures: Vec<(&Redirect, String)> = map
        .failures()
        .filter_map(|r| Some((r, r.problem.as_ref()?.message(inv, lang))))
        .chain(extra.iter().cloned())
        .collect();
    if failures.is_empty() {
        return Ok(());
    }
    writeln!(out, "#")?;
    writeln!(out, "# {}", lang.pick("未写入的跳转：", "Not written:"))?;
    for (r, why) in failures {
        let s = inv.site(r.site);
        let line = match (lang, r.address.is_empty()) {
            (Lang::Zh, true) => format!("{} {}：{why}", s.id, s.name),
            (Lang::Zh, false) => format!("{} {}（{}）：{why}", s.id, s.name, r.address),
            (Lang::En, true) => format!("{} {}: {why}", s.id, s.name),
            (Lang::En, false) => format!("{} {} ({}): {why}", s.id, s.name, r.address),
        };
        writeln!(out, "#   {}", comment_text(&line))?;
    }
    Ok(())
}

/// `s` quoted for nginx: `\` and `"` escaped; a `$` (which would start a
/// variable) written as `${sitefold_dollar}` when `dollar` says how.
fn nginx_quoted(s: &str, dollar: bool) -> String {
    let mut q = String::with_capacity(s.len() + 2);
    q.push('"');
    for c in s.chars() {
        match c {
            '\\' => q.push_str("\\\\"),
            '"' => q.push_str("\\\""),
            '$' if dollar => q.push_str("${sitefold_dollar}"),
            _ => q.push(c),
        }
    }
    q.push('"');
    q
}

/// `s` as a literal in a regular expression.
fn regex_literal(s: &str) -> String {
    let mut r = String::with_capacity(s.len());
    for c in s.chars() {
        if "\\.+*?()|[]{}^$".contains(c) {
            r.push('\\');
        }
        r.push(c);
    }
    r
}

/// The bytes of one key in nginx's hash (a pointer, the length, the name
/// aligned to a pointer).
fn nginx_element(len: usize) -> usize {
    8 + (len + 2).div_ceil(8) * 8
}

/// The bucket size nginx's hash needs for `keys` keys of at most
/// `longest` bytes: one key and the closing pointer when there are few;
/// three when there are many, so that a hash of a few times as many
/// buckets as keys is found. `None` when nginx's default (64) does.
fn nginx_bucket(keys: usize, longest: usize) -> Option<usize> {
    let per_bucket = if keys > 256 { 3 } else { 1 };
    let size = (8 + per_bucket * nginx_element(longest)).next_power_of_two();
    (size > 64).then_some(size)
}

fn write_nginx(
    map: &RedirectMap,
    inv: &Inventory,
    pattern: &str,
    lang: Lang,
    out: &mut dyn Write,
) -> io::Result<()> {
    let mut hosts: Vec<(String, &str)> = Vec::new();
    let mut paths: Vec<(usize, String, &str)> = Vec::new();
    for r in map.written() {
        let (Some(from), Some(to)) = (&r.from, &r.to) else {
            continue;
        };
        if from.segments.is_empty() {
            hosts.push((from.host.clone(), to));
        } else {
            paths.push((from.segments.len(), from.key(), to));
        }
    }
    hosts.sort();
    // Deepest first: nginx takes the first regular expression that matches.
    paths.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    let dollar = hosts.iter().any(|h| h.1.contains('$')) || paths.iter().any(|p| p.2.contains('$'));
    let longest = hosts.iter().map(|h| h.0.len()).max().unwrap_or(0);

    head(
        map,
        lang.pick("nginx 跳转表", "nginx redirect map"),
        pattern,
        hosts.len() + paths.len(),
        lang,
        out,
    )?;
    let usage = match lang {
        Lang::Zh => {
            "\
# 用法：把本文件存为 /etc/nginx/sitefold-redirects.conf，在 http 块中 include 它；
# 在原网站域名的 server 块中，查到跳转就返回 301：
#
#   http {
#       include /etc/nginx/sitefold-redirects.conf;
#       server {
#           listen 80;
#           server_name www.a.gov.cn www.b.gov.cn;   # 原网站的域名
#           if ($sitefold_redirect) {
#               return 301 $sitefold_redirect;
#           }
#       }
#   }
#
# 匹配方式：按请求的域名和路径（$host$uri：已解码，不含查询参数，不区分大小写）。
# 只写域名的原网站，该域名下的所有地址都跳转（按 $host 精确查找）；带路径的原网站
# （www.a.gov.cn/jyj）跳转该路径及其下级，路径最深者优先。新网址按模式写出，不附带
# 请求的路径。检查配置：nginx -t。
"
        }
        Lang::En => {
            "\
# Use: save this file as /etc/nginx/sitefold-redirects.conf and include it in the http block;
# in the server block of the old sites' hosts, answer 301 when the map has a redirect:
#
#   http {
#       include /etc/nginx/sitefold-redirects.conf;
#       server {
#           listen 80;
#           server_name www.a.gov.cn www.b.gov.cn;   # the old sites' hosts
#           if ($sitefold_redirect) {
#               return 301 $sitefold_redirect;
#           }
#       }
#   }
#
# Matching: on the request's host and path ($host$uri: decoded, without the query, letter
# case ignored). An old site given by its host alone redirects every address on that host
# (an exact lookup of $host); one given with a path (www.a.gov.cn/jyj) redirects that path
# and what is below it, the deepest path first. The new address is written as the pattern
# makes it, without the request's path. Check the configuration with nginx -t.
"
        }
    };
    out.write_all(usage.as_bytes())?;
    left_out(map, inv, &[], lang, out)?;
    writeln!(out)?;
    if dollar {
        writeln!(
            out,
            "# {}",
            lang.pick(
                "nginx 的字符串中 $ 表示变量：新网址中的 $ 写作 ${sitefold_dollar}",
                "a $ in an nginx string starts a variable: a $ of a new address is written ${sitefold_dollar}"
            )
        )?;
        writeln!(out, "geo $sitefold_dollar {{ default \"$\"; }}\n")?;
    }
    // nginx's defaults (buckets of 64 bytes, at most 2048 of them) hold a
    // couple of hundred short hosts; more, or longer ones, need larger.
    if let Some(bucket) = nginx_bucket(hosts.len(), longest) {
        writeln!(
            out,
            "# {}",
            match lang {
                Lang::Zh => format!(
                    "{} 个域名（最长 {longest} 个字符）超出 nginx 散列表的默认大小；如 nginx.conf 已设置这两项，保留较大的值并删去这里的",
                    hosts.len()
                ),
                Lang::En => format!(
                    "{} hosts (the longest of {longest} characters) are more than nginx's default hash holds; if nginx.conf sets these already, keep the larger values and delete these lines",
                    hosts.len()
                ),
            }
        )?;
        writeln!(out, "map_hash_bucket_size {bucket};")?;
        writeln!(
            out,
            "map_hash_max_size {};\n",
            (hosts.len() * 4).next_power_of_two().max(2048)
        )?;
    }
    writeln!(out, "map $host $sitefold_redirect_host {{")?;
    writeln!(out, "    default \"\";")?;
    for (host, to) in &hosts {
        writeln!(
            out,
            "    {} {};",
            nginx_quoted(host, false),
            nginx_quoted(to, dollar)
        )?;
    }
    writeln!(out, "}}\n")?;
    writeln!(out, "map $host$uri $sitefold_redirect {{")?;
    writeln!(out, "    default $sitefold_redirect_host;")?;
    for (_, key, to) in &paths {
        let regex = format!("~*^{}(?:/|$)", regex_literal(key));
        writeln!(
            out,
            "    {} {};",
            nginx_quoted(&regex, false),
            nginx_quoted(to, dollar)
        )?;
    }
    writeln!(out, "}}")?;
    Ok(())
}

/// The Apache rules for old sites under paths of `depth` segments (0:
/// the host alone).
fn apache_rules(depth: usize) -> String {
    if depth == 0 {
        return "\
#   RewriteCond \"${sitefold_lc:%{HTTP_HOST}}\" \"^([^:]+)\"
#   RewriteCond \"${sitefold:%1}\" \"^(.+)$\"
#   RewriteRule ^ %1 [R=301,L,NE,QSD]
"
        .to_string();
    }
    let segments = "/[^/]+".repeat(depth);
    format!(
        "\
#   RewriteCond \"${{sitefold_lc:%{{HTTP_HOST}}}}%{{REQUEST_URI}}\" \"^([^:/]+)(?::[0-9]*)?({segments})(?:/|$)\"
#   RewriteCond \"${{sitefold:%1${{sitefold_lc:%2}}}}\" \"^(.+)$\"
#   RewriteRule ^ %1 [R=301,L,NE,QSD]
"
    )
}

fn write_apache(
    map: &RedirectMap,
    inv: &Inventory,
    pattern: &str,
    lang: Lang,
    out: &mut dyn Write,
) -> io::Result<()> {
    let mut lines: Vec<(String, &str)> = Vec::new();
    let mut depths = BTreeSet::new();
    let mut spaced: Vec<(&Redirect, String)> = Vec::new();
    for r in map.written() {
        let (Some(from), Some(to)) = (&r.from, &r.to) else {
            continue;
        };
        let key = from.key().to_ascii_lowercase();
        if key.contains(char::is_whitespace) {
            let why = lang.pick(
                "路径含空格，RewriteMap 的键不能含空格（请在 Apache 中手工设置）",
                "the path has a space, which a RewriteMap key cannot hold (set it up by hand)",
            );
            spaced.push((r, why.to_string()));
            continue;
        }
        depths.insert(from.segments.len());
        lines.push((key, to));
    }
    lines.sort();
    head(
        map,
        lang.pick("Apache RewriteMap 跳转表", "Apache RewriteMap"),
        pattern,
        lines.len(),
        lang,
        out,
    )?;
    let usage = match lang {
        Lang::Zh => {
            "\
# 用法：把本文件存为 /etc/apache2/sitefold-redirects.txt，在原网站的 VirtualHost（或服务器
# 配置，不能写在 .htaccess 中）启用 mod_rewrite 并写入下列规则（按本文件中的路径层数生成；
# 键为小写的“域名”或“域名/路径”，路径已解码，不区分大小写，路径最深者优先）：
#
#   RewriteEngine On
#   RewriteMap sitefold \"txt:/etc/apache2/sitefold-redirects.txt\"
#   RewriteMap sitefold_lc \"int:tolower\"
"
        }
        Lang::En => {
            "\
# Use: save this file as /etc/apache2/sitefold-redirects.txt and, in the VirtualHost of the old
# sites (or the server configuration: not in .htaccess), turn mod_rewrite on and add these
# rules (made for the path depths this file holds; keys are the host, or the host and path,
# in lower case, the path decoded; letter case is ignored; the deepest path first):
#
#   RewriteEngine On
#   RewriteMap sitefold \"txt:/etc/apache2/sitefold-redirects.txt\"
#   RewriteMap sitefold_lc \"int:tolower\"
"
        }
    };
    out.write_all(usage.as_bytes())?;
    for &depth in depths.iter().rev() {
        out.write_all(apache_rules(depth).as_bytes())?;
    }
    writeln!(
        out,
        "#\n# {}",
        lang.pick(
            "检查配置：apachectl configtest。",
            "Check the configuration with apachectl configtest."
        )
    )?;
    left_out(map, inv, &spaced, lang, out)?;
    writeln!(out)?;
    for (key, to) in lines {
        writeln!(out, "{key} {to}")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nginx_quoting_and_regexes() {
        assert_eq!(
            nginx_quoted("a\"b\\c$d;e f", true),
            "\"a\\\"b\\\\c${sitefold_dollar}d;e f\""
        );
        assert_eq!(nginx_quoted("$", false), "\"$\"");
        assert_eq!(regex_literal("a.gov.cn/x(1)$"), "a\\.gov\\.cn/x\\(1\\)\\$");
        assert_eq!(nginx_bucket(10, 46), None);
        assert_eq!(nginx_bucket(10, 47), Some(128));
        assert_eq!(nginx_bucket(3000, 20), Some(128));
        assert_eq!(nginx_bucket(3000, 60), Some(256));
    }

    #[test]
    fn apache_rules_per_depth() {
        assert!(apache_rules(0).contains("${sitefold:%1}"));
        let two = apache_rules(2);
        assert!(two.contains("(/[^/]+/[^/]+)(?:/|$)"), "{two}");
        assert!(two.contains("${sitefold:%1${sitefold_lc:%2}}"), "{two}");
    }
}
