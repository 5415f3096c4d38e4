//! Packaging: the desktop entry, the MIME type, the icons and the assets
//! `cargo deb` installs ([package.metadata.deb] in Cargo.toml). Fast: no
//! package is built here.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

fn repo(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(repo(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

const DESKTOP: &str = "assets/linux/sitefold.desktop";
const MIME_XML: &str = "assets/linux/sitefold-mime.xml";
const PNG_SIZES: [u32; 7] = [16, 32, 48, 64, 128, 256, 512];
const ICO_SIZES: [u32; 6] = [16, 32, 48, 64, 128, 256];

/// The keys of the `[Desktop Entry]` group.
fn desktop_entry() -> HashMap<String, String> {
    let text = read(DESKTOP);
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("[Desktop Entry]"),
        "first line of {DESKTOP}"
    );
    let mut keys = HashMap::new();
    for line in lines {
        if line.starts_with('[') {
            break;
        }
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (k, v) = line.split_once('=').expect("key=value");
        assert!(
            keys.insert(k.to_owned(), v.to_owned()).is_none(),
            "{k} twice"
        );
    }
    keys
}

#[test]
fn desktop_entry_has_the_required_keys() {
    let e = desktop_entry();
    let get = |k: &str| {
        e.get(k)
            .map(String::as_str)
            .unwrap_or_else(|| panic!("no {k}"))
    };
    assert_eq!(get("Type"), "Application");
    assert_eq!(get("Name"), "Sitefold");
    assert!(
        get("Name[zh_CN]")
            .chars()
            .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
    );
    for k in [
        "GenericName",
        "GenericName[zh_CN]",
        "Comment",
        "Comment[zh_CN]",
        "Keywords[zh_CN]",
    ] {
        assert!(!get(k).is_empty(), "{k} is empty");
    }
    assert_eq!(get("Exec"), "sitefold %f");
    assert_eq!(get("Icon"), "sitefold");
    assert_eq!(get("Terminal"), "false");
    assert!(get("Categories").split(';').any(|c| c == "Office"));
    let mime: Vec<&str> = get("MimeType").split(';').collect();
    for m in [
        "application/x-sitefold",
        "text/csv",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ] {
        assert!(mime.contains(&m), "MimeType lacks {m}");
    }
    // The window's app id (Wayland) / WM class (X11) must match, or the
    // dock shows a second, icon-less entry for the running window.
    assert_eq!(get("StartupWMClass"), "sitefold");
    assert!(read("src/ui/mod.rs").contains(".with_app_id(\"sitefold\")"));
}

#[test]
fn desktop_entry_passes_desktop_file_validate() {
    let out = match std::process::Command::new("desktop-file-validate")
        .arg(repo(DESKTOP))
        .output()
    {
        Ok(out) => out,
        Err(_) => {
            println!("note: desktop-file-validate not installed (desktop-file-utils); skipped");
            return;
        }
    };
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.status.success() && said.trim().is_empty(),
        "desktop-file-validate: {said}"
    );
}

/// Checks that every element is closed in order; returns the element names
/// with their attribute text, in document order.
fn xml_elements(text: &str) -> Vec<(String, String)> {
    let mut open: Vec<String> = Vec::new();
    let mut seen = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find('<') {
        rest = &rest[i..];
        if let Some(after) = rest.strip_prefix("<!--") {
            let end = after.find("-->").expect("unclosed comment");
            rest = &after[end + 3..];
            continue;
        }
        let end = rest.find('>').expect("unclosed tag");
        let tag = &rest[1..end];
        rest = &rest[end + 1..];
        if tag.starts_with('?') {
            continue;
        }
        if let Some(name) = tag.strip_prefix('/') {
            assert_eq!(
                open.pop().as_deref(),
                Some(name.trim()),
                "mismatched </{name}>"
            );
            continue;
        }
        let self_closing = tag.ends_with('/');
        let tag = tag.trim_end_matches('/');
        let (name, attrs) = tag.split_once(char::is_whitespace).unwrap_or((tag, ""));
        seen.push((name.to_owned(), attrs.trim().to_owned()));
        if !self_closing {
            open.push(name.to_owned());
        }
    }
    assert!(open.is_empty(), "unclosed elements: {open:?}");
    seen
}

#[test]
fn mime_type_is_well_formed_with_the_sitefold_glob() {
    let text = read(MIME_XML);
    assert!(text.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
    let elements = xml_elements(&text);
    assert_eq!(elements[0].0, "mime-info");
    assert!(
        elements[0]
            .1
            .contains("http://www.freedesktop.org/standards/shared-mime-info")
    );
    let types: Vec<_> = elements.iter().filter(|(n, _)| n == "mime-type").collect();
    assert_eq!(types.len(), 1);
    assert_eq!(types[0].1, "type=\"application/x-sitefold\"");
    let globs: Vec<_> = elements.iter().filter(|(n, _)| n == "glob").collect();
    assert_eq!(globs.len(), 1);
    assert_eq!(globs[0].1, "pattern=\"*.sitefold\"");
    assert!(text.contains("<comment>Sitefold project</comment>"));
    assert!(text.contains("<comment xml:lang=\"zh_CN\">"));
    // The extension the app saves projects with.
    assert_eq!(sitefold::project::EXTENSION, "sitefold");
}

/// The `[package.metadata.deb]` table of Cargo.toml.
fn deb_metadata() -> toml::Table {
    let manifest: toml::Table = read("Cargo.toml").parse().expect("Cargo.toml");
    manifest["package"]["metadata"]["deb"]
        .as_table()
        .expect("[package.metadata.deb]")
        .clone()
}

#[test]
fn every_deb_asset_exists() {
    let deb = deb_metadata();
    for key in [
        "maintainer",
        "extended-description",
        "section",
        "priority",
        "depends",
    ] {
        assert!(deb.contains_key(key), "[package.metadata.deb] lacks {key}");
    }
    let license = deb["license-file"].as_str().expect("license-file");
    assert!(repo(license).is_file(), "{license} missing");
    let assets = deb["assets"].as_array().expect("assets");
    let mut dests = Vec::new();
    for a in assets {
        let (src, dest) = (a[0].as_str().unwrap(), a[1].as_str().unwrap());
        dests.push(dest);
        if src == "target/release/sitefold" {
            assert_eq!(dest, "usr/bin/");
            continue;
        }
        assert!(repo(src).is_file(), "asset {src} missing");
        // An icon goes to the hicolor directory of its own size.
        if let Some(n) = png_size_in_name(src) {
            assert_eq!(
                dest,
                format!("usr/share/icons/hicolor/{n}x{n}/apps/sitefold.png")
            );
        }
    }
    for d in [
        "usr/bin/",
        "usr/share/applications/sitefold.desktop",
        "usr/share/mime/packages/sitefold.xml",
        "usr/share/icons/hicolor/scalable/apps/sitefold.svg",
        "usr/share/doc/sitefold/README.md",
    ] {
        assert!(dests.contains(&d), "nothing installed to {d}");
    }
    for n in PNG_SIZES {
        let d = format!("usr/share/icons/hicolor/{n}x{n}/apps/sitefold.png");
        assert!(dests.contains(&d.as_str()), "no {n} px icon installed");
    }
}

fn png_size_in_name(path: &str) -> Option<u32> {
    path.strip_prefix("assets/icons/sitefold-")?
        .strip_suffix(".png")?
        .parse()
        .ok()
}

/// Width and height from a PNG's IHDR chunk.
fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "not a PNG");
    assert_eq!(&bytes[12..16], b"IHDR");
    let be = |r: std::ops::Range<usize>| u32::from_be_bytes(bytes[r].try_into().unwrap());
    (be(16..20), be(20..24))
}

#[test]
fn icons_exist_at_the_size_their_name_says() {
    let svg = read("assets/icons/sitefold.svg");
    assert!(svg.contains("<svg") && svg.contains("viewBox=\"0 0 512 512\""));
    xml_elements(&svg);
    for n in PNG_SIZES {
        let rel = format!("assets/icons/sitefold-{n}.png");
        let bytes = std::fs::read(repo(&rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
        assert_eq!(png_size(&bytes), (n, n), "{rel}");
        assert_eq!(bytes[25], 6, "{rel} should be RGBA (colour type 6)");
    }

    // The Windows icon: an ICONDIR of PNG entries, one per size.
    let ico = std::fs::read(repo("assets/icons/sitefold.ico")).expect("sitefold.ico");
    let le16 = |i: usize| u16::from_le_bytes([ico[i], ico[i + 1]]);
    let le32 = |i: usize| u32::from_le_bytes(ico[i..i + 4].try_into().unwrap()) as usize;
    assert_eq!((le16(0), le16(2)), (0, 1), "ICO header");
    assert_eq!(le16(4) as usize, ICO_SIZES.len());
    for (k, n) in ICO_SIZES.into_iter().enumerate() {
        let e = 6 + 16 * k;
        let dim = |b: u8| if b == 0 { 256 } else { u32::from(b) };
        assert_eq!((dim(ico[e]), dim(ico[e + 1])), (n, n), "ICO entry {k}");
        let (len, off) = (le32(e + 8), le32(e + 12));
        assert!(off + len <= ico.len(), "ICO entry {k} past the end");
        assert_eq!(png_size(&ico[off..off + len]), (n, n), "ICO image {k}");
    }
}
