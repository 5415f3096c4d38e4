//! The grid of filled cells: a sheet kept compactly, cells merged down
//! copied into their rows ([`Table`], which side tables read row by row),
//! the header block found, and the rows handed to the importer.

use calamine::{Data, Dimensions};

use super::cells::{data_text, header_text};
use super::{HEADER_SEARCH_ROWS, MAX_CELLS, MAX_SHEET_TEXT, SHEET_COLUMNS, SHEET_ROWS, fail};
use crate::inventory::columns::{Column, header_cell};
use crate::inventory::import::{
    ImportOptions, Imported, SparseRow, detect_columns, import_sparse_table,
};
use crate::inventory::source::ImportError;

/// One row's cells in [`Grid::cells`].
#[derive(Clone, Copy)]
struct RowSpan {
    /// 0-based sheet row.
    number: u32,
    /// First cell of the row.
    first: u32,
}

/// A filled cell: its column and where its text is in the grid's text.
#[derive(Clone, Copy)]
struct CellAt {
    col: u32,
    start: u32,
    end: u32,
}

/// The filled cells of a sheet, compactly (12 bytes a cell besides its
/// text): rows in sheet order, each row's cells in one flat list.
#[derive(Default)]
pub(super) struct Grid {
    rows: Vec<RowSpan>,
    cells: Vec<CellAt>,
    text: String,
    sorted: bool,
    started: bool,
}

impl Grid {
    pub(super) fn push(
        &mut self,
        row: u32,
        col: u32,
        value: &str,
        path: &str,
    ) -> Result<(), ImportError> {
        if value.is_empty() {
            return Ok(());
        }
        if col >= SHEET_COLUMNS || row >= SHEET_ROWS {
            return Err(fail(
                path,
                &format!(
                    "工作表中有单元格位于第 {} 行第 {} 列，超出工作表范围（最多 {SHEET_ROWS} 行、{SHEET_COLUMNS} 列），文件已损坏或是恶意构造的",
                    u64::from(row) + 1,
                    u64::from(col) + 1
                ),
                &format!(
                    "the sheet has a cell at row {}, column {}, outside any sheet ({SHEET_ROWS} rows and {SHEET_COLUMNS} columns at most): the file is damaged or was crafted",
                    u64::from(row) + 1,
                    u64::from(col) + 1
                ),
            ));
        }
        if self.cells.len() >= MAX_CELLS {
            return Err(fail(
                path,
                &format!("工作表的非空单元格超过 {MAX_CELLS} 个，超出清单的合理大小"),
                &format!(
                    "the sheet has more than {MAX_CELLS} filled cells, more than an inventory can hold"
                ),
            ));
        }
        if self.text.len() + value.len() > MAX_SHEET_TEXT {
            return Err(fail(
                path,
                &format!(
                    "工作表的单元格文字合计超过 {} MB（在第 {} 行），超出清单的合理大小，可能是恶意构造的文件",
                    MAX_SHEET_TEXT >> 20,
                    u64::from(row) + 1
                ),
                &format!(
                    "the sheet's cells hold more than {} MB of text in all (reached at row {}), more than an inventory can hold: the file may have been made to exhaust memory",
                    MAX_SHEET_TEXT >> 20,
                    u64::from(row) + 1
                ),
            ));
        }
        if !self.started {
            self.started = true;
            self.sorted = true;
        }
        match self.rows.last() {
            Some(last) if last.number == row => {
                if self.cells.last().is_some_and(|prev| col <= prev.col) {
                    self.sorted = false;
                }
            }
            last => {
                if last.is_some_and(|l| l.number > row) {
                    self.sorted = false;
                }
                self.rows.push(RowSpan {
                    number: row,
                    first: self.cells.len() as u32,
                });
            }
        }
        // Within u32: the text is at most MAX_SHEET_TEXT bytes.
        let start = self.text.len() as u32;
        self.text.push_str(value);
        self.cells.push(CellAt {
            col,
            start,
            end: self.text.len() as u32,
        });
        Ok(())
    }

    pub(super) fn push_range(
        &mut self,
        range: &calamine::Range<Data>,
        path: &str,
    ) -> Result<(), ImportError> {
        let Some((r0, c0)) = range.start() else {
            return Ok(());
        };
        for (r, c, v) in range.used_cells() {
            let text = data_text(v);
            self.push(r0 + r as u32, c0 + c as u32, &text, path)?;
        }
        Ok(())
    }

    /// The rows, sorted, with the values of cells merged down over
    /// several rows copied into the rows of the block that have data.
    pub(super) fn into_rows(self, merges: &[Dimensions]) -> Table {
        let mut table = self.into_table();
        if !table.rows.is_empty() {
            table.fill_merged_down(merges);
        }
        table
    }

    /// The rows, sorted by row then column (the last of two cells at the
    /// same place wins). A sheet read in order (the usual case) is taken
    /// as it is, without a copy.
    fn into_table(self) -> Table {
        if self.sorted || self.cells.is_empty() {
            return Table {
                text: self.text,
                rows: self.rows,
                cells: self.cells,
                fills: Vec::new(),
            };
        }
        // Row, column and order of arrival of every cell.
        let mut order: Vec<(u32, u32, u32)> = Vec::with_capacity(self.cells.len());
        for (i, span) in self.rows.iter().enumerate() {
            let end = self
                .rows
                .get(i + 1)
                .map_or(self.cells.len(), |n| n.first as usize);
            for k in span.first as usize..end {
                order.push((span.number, self.cells[k].col, k as u32));
            }
        }
        order.sort_unstable();
        let mut rows: Vec<RowSpan> = Vec::new();
        let mut cells: Vec<CellAt> = Vec::with_capacity(order.len());
        for (i, &(row, col, k)) in order.iter().enumerate() {
            if order
                .get(i + 1)
                .is_some_and(|&(r, c, _)| (r, c) == (row, col))
            {
                // A later cell at the same place wins.
                continue;
            }
            if rows.last().is_none_or(|l| l.number != row) {
                rows.push(RowSpan {
                    number: row,
                    first: cells.len() as u32,
                });
            }
            cells.push(self.cells[k as usize]);
        }
        Table {
            text: self.text,
            rows,
            cells,
            fills: Vec::new(),
        }
    }
}

/// The filled cells of a sheet by row, sorted, merged-down values
/// included.
pub(super) struct Table {
    text: String,
    rows: Vec<RowSpan>,
    cells: Vec<CellAt>,
    /// Cells given the value of a cell merged down over them: row index
    /// and cell, sorted by row then column, none where a row has a cell.
    fills: Vec<(u32, CellAt)>,
}

impl Table {
    /// The number of rows with a filled cell.
    pub(super) fn len(&self) -> usize {
        self.rows.len()
    }

    /// The number Excel shows for row `i` (an index, `< len()`): 1-based.
    pub(super) fn row_number(&self, i: usize) -> u64 {
        self.rows.get(i).map_or(0, |r| u64::from(r.number) + 1)
    }

    /// The cells of row `i` (an index into `rows`) as the file has them.
    fn own_cells(&self, i: usize) -> &[CellAt] {
        let first = self.rows[i].first as usize;
        let end = self
            .rows
            .get(i + 1)
            .map_or(self.cells.len(), |n| n.first as usize);
        &self.cells[first..end]
    }

    /// The cells of row `i`, merged-down values included, by column, with
    /// their text.
    pub(super) fn row_cells(&self, i: usize) -> Vec<(u32, &str)> {
        let own = self.own_cells(i);
        let from = self.fills.partition_point(|&(r, _)| (r as usize) < i);
        let to = self.fills.partition_point(|&(r, _)| (r as usize) <= i);
        let fills = self.fills[from..to].iter().map(|(_, c)| c);
        let text = |c: &CellAt| (c.col, &self.text[c.start as usize..c.end as usize]);
        if from == to {
            return own.iter().map(text).collect();
        }
        let mut out: Vec<(u32, &str)> = own.iter().chain(fills).map(text).collect();
        out.sort_by_key(|&(c, _)| c);
        out
    }

    /// A row's cells with their text, owned.
    fn strings(&self, row: usize) -> Vec<(u32, String)> {
        self.row_cells(row)
            .into_iter()
            .map(|(c, t)| (c, t.to_string()))
            .collect()
    }

    /// The leftmost column row `i` has a cell in.
    pub(super) fn first_col(&self, i: usize) -> Option<u32> {
        let own = self.own_cells(i).first().map(|c| c.col);
        let at = self.fills.partition_point(|&(r, _)| (r as usize) < i);
        let fill = self
            .fills
            .get(at)
            .filter(|&&(r, _)| r as usize == i)
            .map(|(_, c)| c.col);
        own.into_iter().chain(fill).min()
    }

    /// Copies the values of cells merged down over several rows into the
    /// rows of the block that have data of their own (the block's first
    /// column).
    fn fill_merged_down(&mut self, merges: &[Dimensions]) {
        let mut budget = MAX_CELLS;
        let mut fills = Vec::new();
        for m in merges {
            if m.end.0 <= m.start.0 {
                continue;
            }
            let (r0, col) = m.start;
            let Ok(top) = self.rows.binary_search_by_key(&r0, |r| r.number) else {
                continue;
            };
            let Some(&value) = self.own_cells(top).iter().find(|c| c.col == col) else {
                continue;
            };
            for i in top + 1..self.rows.len() {
                if self.rows[i].number > m.end.0 || budget == 0 {
                    break;
                }
                // Every row visited counts, not only the filled ones:
                // overlapping regions (which Excel never writes) must not
                // make this rows × regions.
                budget -= 1;
                if self
                    .own_cells(i)
                    .binary_search_by_key(&col, |c| c.col)
                    .is_err()
                {
                    fills.push((i as u32, CellAt { col, ..value }));
                }
            }
        }
        // The first region to fill a place wins.
        fills.sort_by_key(|&(r, c)| (r, c.col));
        fills.dedup_by_key(|&mut (r, c)| (r, c.col));
        self.fills = fills;
    }
}

/// Overlays `lower` on `upper`: a header block's lower cells win, and an
/// empty lower cell keeps the upper one.
fn overlay(upper: &[(u32, String)], lower: &[(u32, String)]) -> Vec<(u32, String)> {
    let mut out: Vec<(u32, String)> = upper.to_vec();
    for (c, v) in lower {
        match out.binary_search_by_key(c, |(k, _)| *k) {
            Ok(i) => out[i].1 = v.clone(),
            Err(i) => out.insert(i, (*c, v.clone())),
        }
    }
    out
}

/// Whether header cells name both required columns, and how many known
/// columns they name.
fn names_columns(cells: &[(u32, String)]) -> (bool, usize) {
    let header: Vec<String> = cells.iter().map(|(_, v)| header_text(v)).collect();
    let mapping = detect_columns(&header);
    let has = |c: Column| mapping.contains(&Some(c));
    (
        has(Column::SiteId) && has(Column::Level),
        mapping.iter().flatten().count(),
    )
}

/// The header block (first and last row index) and its cells: see the
/// module documentation.
fn find_header(table: &Table) -> (usize, usize, Vec<(u32, String)>) {
    let searched = table.rows.len().min(HEADER_SEARCH_ROWS);
    for i in 0..searched {
        let mut cells = table.strings(i);
        let (ok, mut known) = names_columns(&cells);
        if !ok {
            continue;
        }
        let mut at = i;
        // A second header row continues the block when, laid over it, the
        // block still names the required columns and names more columns.
        while at + 1 < searched {
            let combined = overlay(&cells, &table.strings(at + 1));
            let (next_ok, next_known) = names_columns(&combined);
            if next_ok && next_known > known {
                at += 1;
                known = next_known;
                cells = combined;
            } else {
                break;
            }
        }
        return (i, at, cells);
    }
    (0, 0, table.strings(0))
}

/// Turns the rows of a sheet into the importer's header and rows. Each
/// row costs what its filled cells cost, however wide the header.
pub(super) fn table_to_import(
    table: Table,
    path: &str,
    opts: &ImportOptions,
) -> Result<Imported, ImportError> {
    if table.rows.is_empty() {
        return Err(ImportError::Empty {
            path: path.to_string(),
        });
    }
    let (first, last, header_cells) = find_header(&table);
    let left = (first..table.rows.len())
        .filter_map(|i| table.first_col(i))
        .min()
        .unwrap_or(0);
    let right = header_cells.last().map_or(left, |(c, _)| *c);
    let width = (right - left + 1) as usize;
    let mut header = vec![String::new(); width];
    for (c, v) in &header_cells {
        header[(c - left) as usize] = header_cell(&header_text(v));
    }
    let header_line = u64::from(table.rows[last].number) + 1;
    let table = &table;
    let data = (last + 1..table.rows.len()).map(move |i| {
        // Cells past the header's last column follow it as extra cells.
        let mut extra = width;
        let cells = table
            .row_cells(i)
            .into_iter()
            .map(|(c, text)| {
                let at = (c - left) as usize;
                if at < width {
                    (at, text)
                } else {
                    extra += 1;
                    (extra - 1, text)
                }
            })
            .collect();
        (
            u64::from(table.rows[i].number) + 1,
            SparseRow { cells, width },
        )
    });
    import_sparse_table(header, header_line, data, path, opts)
}
