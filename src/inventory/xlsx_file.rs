//! An inventory written as an Excel workbook: one sheet, the headers of
//! the template in the language asked for, one row per site, numbers as
//! numbers; it imports back to the same sites.

use rust_xlsxwriter::{Workbook, XlsxError};

use crate::i18n::Lang;

use super::columns::Column;
use super::edit::cell_text;
use super::model::Site;

/// Rows a worksheet holds (Excel's limit), the header's included.
const SHEET_ROWS: usize = 1_048_576;

/// The columns written as numbers when their text reads back the same.
const NUMBER_COLUMNS: [Column; 7] = [
    Column::AnnualBudget,
    Column::Staff,
    Column::Population,
    Column::MonthlyVisits,
    Column::OnlineServices,
    Column::InspectionScore,
    Column::ReprintHours,
];

/// The bytes of a workbook (`.xlsx`) holding `sites` as an inventory with
/// the headers in `lang`; a value missing in the file the site came from
/// is an empty cell. Fails for more sites than a sheet has rows.
pub fn inventory_workbook(sites: &[Site], lang: Lang) -> Result<Vec<u8>, XlsxError> {
    if sites.len() >= SHEET_ROWS {
        return Err(XlsxError::RowColumnLimitError);
    }
    let mut wb = Workbook::new();
    let sheet = wb.add_worksheet();
    sheet.set_name(lang.pick("网站清单", "Inventory"))?;
    for (col, c) in Column::ALL.iter().enumerate() {
        sheet.write_string(0, col as u16, c.header(lang))?;
    }
    for (row, site) in sites.iter().enumerate() {
        let row = row as u32 + 1;
        for (col, &c) in Column::ALL.iter().enumerate() {
            let text = cell_text(site, c, lang);
            if text.is_empty() {
                continue;
            }
            // A number only when Excel's number shows the same digits.
            let number = NUMBER_COLUMNS
                .contains(&c)
                .then(|| text.parse::<f64>().ok())
                .flatten()
                .filter(|v| v.is_finite() && format!("{v}") == text);
            match number {
                Some(v) => sheet.write_number(row, col as u16, v)?,
                None => sheet.write_string(row, col as u16, &text)?,
            };
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    wb.save_to_buffer()
}
