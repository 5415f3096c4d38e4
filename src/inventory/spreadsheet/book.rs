//! Opening a workbook of any supported format, judged by its content
//! first and its extension second, and choosing the sheet to read.

use std::io::Cursor;

use calamine::{Dimensions, Ods, Reader, Sheet, SheetType, SheetVisible, Xls, Xlsb, Xlsx};

use super::cells::ref_text;
use super::grid::Grid;
use super::zip_limits::{check_shared_strings, check_zip_limits, zip_entries};
use super::{damaged, fail};
use crate::i18n::Lang;
use crate::inventory::report::{excerpt, quoted_list};
use crate::inventory::source::{self, ImportError, Sniffed};

/// An open workbook of any supported format.
pub(super) enum Book<'a> {
    Xlsx(Xlsx<Cursor<&'a [u8]>>),
    Xlsb(Xlsb<Cursor<&'a [u8]>>),
    Xls(Xls<Cursor<&'a [u8]>>),
    Ods(Ods<Cursor<&'a [u8]>>),
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum ZipKind {
    Xlsx,
    Xlsb,
    Ods,
}

impl<'a> Book<'a> {
    /// Opens a workbook, judging the format by its content first and its
    /// extension second (an `.xls` that is really an `.xlsx` opens).
    pub(super) fn open(bytes: &'a [u8], ext: &str, path: &str) -> Result<Book<'a>, ImportError> {
        if bytes.is_empty() {
            return Err(ImportError::Empty {
                path: path.to_string(),
            });
        }
        match source::sniff(bytes) {
            Sniffed::Zip => {
                let entries = zip_entries(bytes);
                if let Some(entries) = &entries {
                    check_zip_limits(entries, path)?;
                    check_shared_strings(bytes, entries, path)?;
                }
                let has = |name: &str| {
                    entries
                        .as_ref()
                        .is_some_and(|e| e.iter().any(|(n, _)| n.eq_ignore_ascii_case(name)))
                };
                let is_ods = bytes.get(30..38) == Some(b"mimetype")
                    && bytes[..bytes.len().min(120)]
                        .windows(11)
                        .any(|w| w == b"opendocumen");
                let first = if is_ods || (ext == "ods" && !has("xl/workbook.xml")) {
                    ZipKind::Ods
                } else if has("xl/workbook.bin") || (ext == "xlsb" && !has("xl/workbook.xml")) {
                    ZipKind::Xlsb
                } else {
                    ZipKind::Xlsx
                };
                let mut first_error = None;
                for kind in [first, ZipKind::Xlsx, ZipKind::Xlsb, ZipKind::Ods] {
                    if kind == first && first_error.is_some() {
                        continue;
                    }
                    let cursor = Cursor::new(bytes);
                    let opened = match kind {
                        ZipKind::Xlsx => {
                            Xlsx::new(cursor).map(Book::Xlsx).map_err(|e| e.to_string())
                        }
                        ZipKind::Xlsb => {
                            Xlsb::new(cursor).map(Book::Xlsb).map_err(|e| e.to_string())
                        }
                        ZipKind::Ods => Ods::new(cursor).map(Book::Ods).map_err(|e| e.to_string()),
                    };
                    match opened {
                        Ok(b) => return Ok(b),
                        Err(e) => {
                            if first_error.is_none() {
                                first_error = Some(e);
                            }
                        }
                    }
                    // Only a readable archive is worth trying as another format.
                    if entries.is_none() {
                        break;
                    }
                }
                Err(damaged(path, first_error.unwrap_or_default()))
            }
            Sniffed::Ole => {
                if is_encrypted_package(bytes) {
                    return Err(fail(
                        path,
                        "工作簿设有打开密码（已加密）：请在 Excel 中取消密码（文件 → 信息 → 保护工作簿）后另存",
                        "the workbook is password-protected (encrypted): remove the password in Excel (File → Info → Protect Workbook) and save it again",
                    ));
                }
                Xls::new(Cursor::new(bytes))
                    .map(Book::Xls)
                    .map_err(|e| damaged(path, e))
            }
            Sniffed::Other => Err(not_a_workbook(bytes, ext, path)),
        }
    }

    pub(super) fn format(&self) -> &'static str {
        match self {
            Book::Xlsx(_) => "XLSX",
            Book::Xlsb(_) => "XLSB",
            Book::Xls(_) => "XLS",
            Book::Ods(_) => "ODS",
        }
    }

    fn metadata(&self) -> &[Sheet] {
        match self {
            Book::Xlsx(b) => b.sheets_metadata(),
            Book::Xlsb(b) => b.sheets_metadata(),
            Book::Xls(b) => b.sheets_metadata(),
            Book::Ods(b) => b.sheets_metadata(),
        }
    }

    /// The worksheets (not chart, dialog or macro sheets), in order.
    pub(super) fn worksheets(&self) -> Vec<Sheet> {
        self.metadata()
            .iter()
            .filter(|s| s.typ == SheetType::WorkSheet)
            .cloned()
            .collect()
    }

    /// Reads the filled cells of a sheet into `grid`.
    pub(super) fn read(
        &mut self,
        name: &str,
        grid: &mut Grid,
        path: &str,
    ) -> Result<(), ImportError> {
        match self {
            Book::Xlsx(b) => {
                let mut cells = b
                    .worksheet_cells_reader(name)
                    .map_err(|e| damaged(path, e))?;
                while let Some(cell) = cells.next_cell().map_err(|e| damaged(path, e))? {
                    let (r, c) = cell.get_position();
                    grid.push(r, c, &ref_text(cell.get_value()), path)?;
                }
                Ok(())
            }
            Book::Xlsb(b) => {
                let mut cells = b
                    .worksheet_cells_reader(name)
                    .map_err(|e| damaged(path, e))?;
                while let Some(cell) = cells.next_cell().map_err(|e| damaged(path, e))? {
                    let (r, c) = cell.get_position();
                    grid.push(r, c, &ref_text(cell.get_value()), path)?;
                }
                Ok(())
            }
            Book::Xls(b) => {
                let range = b.worksheet_range(name).map_err(|e| damaged(path, e))?;
                grid.push_range(&range, path)
            }
            Book::Ods(b) => {
                let range = b.worksheet_range(name).map_err(|e| damaged(path, e))?;
                grid.push_range(&range, path)
            }
        }
    }

    /// Merged regions of a sheet, when the format tells them (best effort:
    /// a sheet whose merge list cannot be read is imported without it).
    pub(super) fn merges(&mut self, name: &str) -> Vec<Dimensions> {
        match self {
            Book::Xlsx(b) => b.merge_cells_by_sheet_name(name).unwrap_or_default(),
            Book::Xls(b) => b.merge_cells_by_sheet_name(name).unwrap_or_default(),
            Book::Xlsb(_) | Book::Ods(_) => Vec::new(),
        }
    }
}

/// The merged regions of an .xlsx sheet, read with a workbook of its own
/// (empty when they cannot be read).
pub(super) fn xlsx_merges(bytes: &[u8], sheet: &str) -> Vec<Dimensions> {
    Xlsx::new(Cursor::new(bytes))
        .and_then(|mut b| b.merge_cells_by_sheet_name(sheet))
        .unwrap_or_default()
}

/// The message for a file named like a workbook that is not one.
fn not_a_workbook(bytes: &[u8], ext: &str, path: &str) -> ImportError {
    let head = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let head = &head[..head.len().min(4096)];
    let start = head
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .map_or(&[][..], |i| &head[i..]);
    let lower: Vec<u8> = start.iter().take(512).map(u8::to_ascii_lowercase).collect();
    let is_markup = lower.starts_with(b"<")
        && (lower.windows(5).any(|w| w == b"<html")
            || lower.windows(6).any(|w| w == b"<table")
            || lower.starts_with(b"<?xml")
            || lower.starts_with(b"<!doctype"));
    if is_markup {
        return fail(
            path,
            &format!(
                "这不是真正的 .{ext} 工作簿，而是以 .{ext} 命名的网页（HTML/XML）表格：请用 Excel 打开后“另存为” .xlsx"
            ),
            &format!(
                "this is not a real .{ext} workbook but a web page (HTML/XML) table named .{ext}: open it in Excel and use Save As .xlsx"
            ),
        );
    }
    if source::decode(bytes, path).is_ok() {
        return fail(
            path,
            &format!(
                "这不是 .{ext} 工作簿，而是以 .{ext} 命名的文本（CSV）文件：请把扩展名改为 .csv 再打开"
            ),
            &format!(
                "this is not a .{ext} workbook but a text (CSV) file named .{ext}: rename it to .csv and open it again"
            ),
        );
    }
    fail(
        path,
        &format!("这不是有效的 .{ext} 工作簿（文件可能已损坏，或者不是电子表格）"),
        &format!(
            "this is not a valid .{ext} workbook (the file is damaged or is not a spreadsheet)"
        ),
    )
}

/// True for an OLE container holding an encrypted OOXML package (what
/// Excel writes for a workbook with an opening password).
fn is_encrypted_package(bytes: &[u8]) -> bool {
    let needle: Vec<u8> = "EncryptedPackage"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    bytes
        .windows(needle.len())
        .take(1 << 20)
        .any(|w| w == needle.as_slice())
}

/// Picks the sheet asked for, or the first visible worksheet.
pub(super) fn choose_sheet(
    sheets: &[Sheet],
    wanted: Option<&str>,
    path: &str,
) -> Result<Sheet, ImportError> {
    let Some(wanted) = wanted else {
        return sheets
            .iter()
            .find(|s| s.visible == SheetVisible::Visible)
            .or_else(|| sheets.first())
            .cloned()
            .ok_or_else(|| fail(path, "工作簿中没有工作表", "the workbook has no worksheet"));
    };
    let w = wanted.trim();
    let found = sheets
        .iter()
        .find(|s| s.name == wanted)
        .or_else(|| {
            sheets
                .iter()
                .find(|s| s.name.trim().to_lowercase() == w.to_lowercase())
        })
        .or_else(|| {
            w.parse::<usize>()
                .ok()
                .filter(|&n| n >= 1)
                .and_then(|n| sheets.get(n - 1))
        });
    found.cloned().ok_or_else(|| {
        let names: Vec<&str> = sheets.iter().map(|s| s.name.as_str()).collect();
        let wanted = excerpt(wanted);
        fail(
            path,
            &format!(
                "没有名为“{wanted}”的工作表；工作簿中的工作表：{}",
                quoted_list(&names, Lang::Zh)
            ),
            &format!(
                "there is no sheet named \"{wanted}\"; the workbook's sheets are: {}",
                quoted_list(&names, Lang::En)
            ),
        )
    })
}
