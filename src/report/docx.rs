//! The report laid out as a Word document (`docx-rs`), on A4 pages in the
//! layout of Chinese official documents (GB/T 9704).
//!
//! Page: A4, margins 37 mm top, 35 mm bottom, 28 mm inside, 26 mm outside
//! (a text block of 156 × 225 mm). Chinese text: body in FangSong (仿宋)
//! 16 pt (三号) on a fixed 29 pt line pitch (22 lines a page), the first
//! line of each paragraph indented two characters; section headings
//! 一、 in SimHei (黑体), sub-headings （一） in KaiTi (楷体), the title
//! in SimSun (宋体) bold 22 pt (二号); tables in FangSong 10.5 pt with
//! SimHei headers; page numbers "— 1 —" in SimSun 14 pt (四号) at the
//! foot. The fonts are named as Windows names them (FangSong, SimHei,
//! KaiTi, SimSun): Word and WPS find them by that name, and LibreOffice
//! has a replacement for each in its font substitution table (for
//! FangSong: FZFangSong, then the Kai fonts, then any Chinese font).
//! Latin letters and digits are in Times New Roman. English reports keep
//! the structure in 12 pt Times New Roman with Arial headings.

use docx_rs::{
    AlignmentType, Docx, FieldCharType, Footer, InstrPAGE, InstrText, LineSpacing, LineSpacingType,
    PageMargin, Paragraph, Pic, Run, RunFonts, Shading, SpecialIndentType, Style, StyleType, Table,
    TableAlignmentType, TableCell, TableLayoutType, TableRow, VAlignType, WidthType,
};

use crate::export::{ExportError, PlanExport};
use crate::i18n::Lang;

use super::content::{Block, Picture, Report, ReportTable, Section, build};
use super::words::{chinese_number, section_number};

/// A4 in twentieths of a point.
const PAGE: (u32, u32) = (11_906, 16_838);
/// Margins (GB/T 9704): top 37 mm, bottom 35 mm, inside 28 mm, outside 26 mm.
const MARGIN_TOP: i32 = 2_098;
const MARGIN_BOTTOM: i32 = 1_984;
const MARGIN_LEFT: i32 = 1_587;
const MARGIN_RIGHT: i32 = 1_474;
/// The page number's line sits 7 mm below the text block.
const FOOTER: i32 = 1_276;
/// The text block's width: 156 mm.
const TEXT_WIDTH: u32 = PAGE.0 - MARGIN_LEFT as u32 - MARGIN_RIGHT as u32;
/// English Metric Units per twip (pictures are sized in EMU).
const EMU_PER_TWIP: u32 = 635;

/// Fonts, by the names Word, WPS and LibreOffice all resolve.
const FANGSONG: &str = "FangSong";
const SIMHEI: &str = "SimHei";
const KAITI: &str = "KaiTi";
const SIMSUN: &str = "SimSun";
const TIMES: &str = "Times New Roman";
const ARIAL: &str = "Arial";

/// Sizes (half-points) and fonts of one language's reports.
struct Look {
    lang: Lang,
    body: usize,
    title: usize,
    heading: usize,
    sub_heading: usize,
    table: usize,
    caption: usize,
    page_number: usize,
    /// Line pitch in twips: exact for Chinese (22 lines a page), else
    /// proportional (240 = single).
    line: (i32, LineSpacingType),
    latin: &'static str,
    latin_heading: &'static str,
}

impl Look {
    fn of(lang: Lang) -> Look {
        match lang {
            Lang::Zh => Look {
                lang,
                body: 32,
                title: 44,
                heading: 32,
                sub_heading: 32,
                table: 21,
                caption: 24,
                page_number: 28,
                line: (580, LineSpacingType::Exact),
                latin: TIMES,
                latin_heading: TIMES,
            },
            Lang::En => Look {
                lang,
                body: 24,
                title: 36,
                heading: 28,
                sub_heading: 24,
                table: 18,
                caption: 20,
                page_number: 20,
                line: (288, LineSpacingType::Auto),
                latin: TIMES,
                latin_heading: ARIAL,
            },
        }
    }

    fn fonts(&self, latin: &str, east_asia: &str) -> RunFonts {
        let f = RunFonts::new()
            .ascii(latin)
            .hi_ansi(latin)
            .cs(latin)
            .east_asia(east_asia);
        match self.lang {
            // Quotes and dashes take the Chinese font's shapes.
            Lang::Zh => f.hint("eastAsia"),
            Lang::En => f,
        }
    }

    fn body_line(&self) -> LineSpacing {
        LineSpacing::new()
            .line(self.line.0)
            .line_rule(self.line.1)
            .before(0)
            .after(match self.lang {
                Lang::Zh => 0,
                Lang::En => 120,
            })
    }

    /// The document's styles.
    fn styles(&self, docx: Docx) -> Docx {
        let zh = self.lang == Lang::Zh;
        // Two characters of the body text: in twips for LibreOffice, in
        // characters for Word and WPS.
        let two_chars = self.body as i32 * 20;
        let indent = |s: Style| {
            if zh {
                s.indent(
                    None,
                    Some(SpecialIndentType::FirstLine(two_chars)),
                    None,
                    None,
                )
                .first_line_chars(200)
            } else {
                s
            }
        };
        let single = LineSpacing::new()
            .line(240)
            .line_rule(LineSpacingType::Auto)
            .before(0)
            .after(0);
        let para = |id: &str, name: &str| {
            Style::new(id, StyleType::Paragraph)
                .name(name)
                .based_on("Normal")
                .q_format(true)
        };
        let sub_heading_font = if zh { KAITI } else { SIMHEI };
        docx.default_fonts(self.fonts(self.latin, FANGSONG))
            .default_size(self.body)
            .default_line_spacing(self.body_line())
            .add_style(
                Style::new("Normal", StyleType::Paragraph)
                    .name("Normal")
                    .q_format(true)
                    .fonts(self.fonts(self.latin, FANGSONG))
                    .size(self.body)
                    .align(AlignmentType::Both)
                    .line_spacing(self.body_line()),
            )
            .add_style(indent(para("BodyText", "Body Text")))
            .add_style(
                para("Title", "Title")
                    .fonts(self.fonts(self.latin_heading, SIMSUN))
                    .size(self.title)
                    .bold()
                    .align(AlignmentType::Center)
                    .line_spacing(
                        LineSpacing::new()
                            .line(if zh { 760 } else { 480 })
                            .line_rule(if zh {
                                LineSpacingType::Exact
                            } else {
                                LineSpacingType::Auto
                            })
                            .before(0)
                            .after(240),
                    ),
            )
            .add_style(
                para("Subtitle", "Subtitle")
                    .fonts(self.fonts(self.latin, KAITI))
                    .align(AlignmentType::Center)
                    .line_spacing(self.body_line().after(360)),
            )
            .add_style(indent(
                para("Heading1", "heading 1")
                    .fonts(self.fonts(self.latin_heading, SIMHEI))
                    .size(self.heading)
                    .outline_lvl(0)
                    .line_spacing(self.body_line().before(if zh { 0 } else { 240 })),
            ))
            .add_style(indent(
                para("Heading2", "heading 2")
                    .fonts(self.fonts(self.latin_heading, sub_heading_font))
                    .size(self.sub_heading)
                    .outline_lvl(1),
            ))
            .add_style(
                para("AppendixLabel", "Appendix label")
                    .fonts(self.fonts(self.latin_heading, SIMHEI))
                    .size(self.heading)
                    .align(AlignmentType::Left),
            )
            .add_style(
                para("Caption", "caption")
                    .fonts(self.fonts(self.latin_heading, SIMHEI))
                    .size(self.caption)
                    .align(AlignmentType::Center)
                    .line_spacing(single.clone().before(120).after(120)),
            )
            .add_style(
                para("Figure", "Figure")
                    .align(AlignmentType::Center)
                    .line_spacing(single.clone().before(120)),
            )
            .add_style(
                para("TableText", "Table text")
                    .size(self.table)
                    .align(AlignmentType::Left)
                    .line_spacing(single.clone()),
            )
            .add_style(
                para("TableHead", "Table heading")
                    .fonts(self.fonts(self.latin_heading, SIMHEI))
                    .size(self.table)
                    .align(AlignmentType::Center)
                    .line_spacing(single.clone()),
            )
            .add_style(
                para("PageNumber", "footer")
                    .fonts(self.fonts(SIMSUN, SIMSUN))
                    .size(self.page_number)
                    .align(AlignmentType::Center)
                    .line_spacing(single),
            )
    }
}

/// Builds the paragraphs, numbering them (the ids Word keeps for each
/// paragraph, counted here so the same report gives the same file).
struct Writer {
    look: Look,
    paragraphs: u32,
    tables: u32,
    figures: u32,
}

impl Writer {
    fn para(&mut self, style: &str) -> Paragraph {
        self.paragraphs += 1;
        Paragraph::new()
            .id(format!("{:08X}", self.paragraphs))
            .style(style)
    }

    fn text(&mut self, style: &str, text: &str) -> Paragraph {
        self.para(style).add_run(Run::new().add_text(text))
    }

    fn heading(&mut self, text: String) -> Paragraph {
        self.text("Heading1", &text).keep_next(true)
    }

    fn sub_heading(&mut self, text: String) -> Paragraph {
        self.text("Heading2", &text).keep_next(true)
    }

    fn caption(&mut self, kind: &str, n: u32, text: &str, above: bool) -> Paragraph {
        let sep = if self.look.lang == Lang::Zh {
            " "
        } else {
            ". "
        };
        self.text("Caption", &format!("{kind}{n}{sep}{text}"))
            .keep_next(above)
    }

    /// A cell of one paragraph; `width` for the first and last rows (the
    /// others take the table's grid: a large appendix is written faster
    /// with less in each cell).
    fn cell(
        &mut self,
        style: &str,
        text: &str,
        align: Option<AlignmentType>,
        width: Option<u32>,
        keep: bool,
    ) -> TableCell {
        let mut p = self.text(style, text).keep_next(keep);
        if let Some(a) = align {
            p = p.align(a);
        }
        let cell = TableCell::new().add_paragraph(p);
        match width {
            Some(w) => cell.width(w as usize, WidthType::Dxa),
            None => cell,
        }
    }

    /// A table with its caption and the line after it; `defer` leaves
    /// the table itself to be built as the document is written (see
    /// [`Doc::Deferred`]).
    fn table<'r>(
        &mut self,
        t: &'r ReportTable,
        defer: bool,
        report: &dyn Fn(f32) -> bool,
    ) -> Result<Vec<Doc<'r>>, ExportError> {
        let mut out = Vec::new();
        if !t.caption.is_empty() {
            self.tables += 1;
            let kind = self.look.lang.pick("表", "Table ");
            out.push(Doc::para(self.caption(kind, self.tables, &t.caption, true)));
        }
        out.push(if defer {
            Doc::Deferred(t)
        } else {
            Doc::Table(Box::new(self.table_body(t, report)?))
        });
        // A little air after a table.
        out.push(Doc::para(self.para("TableText")));
        Ok(out)
    }

    /// The table of `t`: its header, rows and totals.
    fn table_body(
        &mut self,
        t: &ReportTable,
        report: &dyn Fn(f32) -> bool,
    ) -> Result<Table, ExportError> {
        let grid = grid(&t.widths, t.headers.len());
        let header: Vec<TableCell> = t
            .headers
            .iter()
            .zip(&grid)
            .map(|(h, &w)| {
                self.cell("TableHead", h, None, Some(w), true)
                    .shading(Shading::new().fill("E7E6E6"))
                    .vertical_align(VAlignType::Center)
            })
            .collect();
        let mut rows = vec![TableRow::new(header).cant_split()];
        let align = |c: usize| {
            if t.numeric.get(c).copied().unwrap_or(false) {
                Some(AlignmentType::Right)
            } else {
                None
            }
        };
        for (n, r) in t.rows.iter().enumerate() {
            if n % 2048 == 0 && !report(n as f32 / t.rows.len().max(1) as f32) {
                return Err(ExportError::Cancelled);
            }
            let cells = r
                .iter()
                .enumerate()
                // The header and the first two rows are kept with what
                // follows, so that a table never starts on the last line
                // of a page with its heading alone above it.
                .map(|(c, text)| self.cell("TableText", text, align(c), None, n < 2))
                .collect();
            rows.push(TableRow::new(cells).cant_split());
        }
        if let Some(total) = &t.total {
            let cells = total
                .iter()
                .zip(&grid)
                .enumerate()
                .map(|(c, (text, &w))| {
                    self.cell(
                        "TableHead",
                        text,
                        align(c).or(Some(AlignmentType::Left)),
                        Some(w),
                        false,
                    )
                })
                .collect();
            rows.push(TableRow::new(cells).cant_split());
        }
        Ok(Table::new(rows)
            .set_grid(grid.iter().map(|&w| w as usize).collect())
            .layout(TableLayoutType::Fixed)
            .width(TEXT_WIDTH as usize, WidthType::Dxa)
            .align(TableAlignmentType::Center))
    }

    fn picture<'r>(&mut self, p: &Picture) -> Vec<Doc<'r>> {
        self.figures += 1;
        let w = TEXT_WIDTH * EMU_PER_TWIP;
        let h = (u64::from(w) * u64::from(p.height) / u64::from(p.width.max(1))) as u32;
        let pic = Pic::new_with_dimensions(p.png.clone(), p.width, p.height)
            .size(w, h)
            .id(format!("rIdReportFigure{}", self.figures));
        let kind = self.look.lang.pick("图", "Figure ");
        let n = self.figures;
        vec![
            Doc::para(
                self.para("Figure")
                    .keep_next(true)
                    .add_run(Run::new().add_image(pic)),
            ),
            Doc::para(self.caption(kind, n, &p.caption, false)),
        ]
    }

    /// The paragraphs and tables of a section; `defer` leaves its tables
    /// to be built as the document is written.
    fn section<'r>(
        &mut self,
        number: Option<usize>,
        s: &'r Section,
        defer: bool,
        report: &dyn Fn(f32) -> bool,
    ) -> Result<Vec<Doc<'r>>, ExportError> {
        let lang = self.look.lang;
        let mut out = Vec::new();
        if let Some(n) = number {
            let title = match lang {
                Lang::Zh => format!("{}、{}", section_number(n, lang), s.title),
                Lang::En => format!("{n}. {}", s.title),
            };
            out.push(Doc::para(self.heading(title)));
        }
        let mut sub = 0;
        let blocks = s.blocks.len().max(1) as f32;
        for (k, b) in s.blocks.iter().enumerate() {
            let within = |f: f32| report((k as f32 + f) / blocks);
            match b {
                Block::Heading(h) => {
                    sub += 1;
                    let text = match (lang, number) {
                        (Lang::Zh, _) => format!("（{}）{h}", chinese_number(sub)),
                        (Lang::En, Some(n)) => format!("{n}.{sub} {h}"),
                        (Lang::En, None) => format!("A.{sub} {h}"),
                    };
                    out.push(Doc::para(self.sub_heading(text)));
                }
                Block::Paragraph(t) => out.push(Doc::para(self.text("BodyText", t))),
                Block::Table(t) => out.extend(self.table(t, defer, &within)?),
                Block::Picture(p) => out.extend(self.picture(p)),
            }
            if !within(1.0) {
                return Err(ExportError::Cancelled);
            }
        }
        Ok(out)
    }
}

/// A paragraph or a table of the document's body, in order.
enum Doc<'r> {
    Para(Box<Paragraph>),
    Table(Box<Table>),
    /// A table built only as the document is written, one at a time: the
    /// appendix of a province lists tens of thousands of sites, and
    /// `docx-rs` holds a few kilobytes for each cell of a table until the
    /// whole document is written. A placeholder paragraph stands in its
    /// place (see [`placeholder`]).
    Deferred(&'r ReportTable),
}

impl Doc<'_> {
    fn para(p: Paragraph) -> Self {
        Doc::Para(Box::new(p))
    }
}

/// How the placeholder of a deferred table begins in the document's XML:
/// a paragraph whose id is `7F` and the table's number in six hex digits
/// (the report's own paragraphs count up from 1, never near `7F000000`).
const PLACEHOLDER: &[u8] = b"<w:p w14:paraId=\"7F";

/// The placeholder paragraph of deferred table `k`.
fn placeholder(k: usize) -> Paragraph {
    Paragraph::new().id(format!("7F{k:06X}"))
}

/// Column widths in twips filling the text block, from relative widths
/// (equal columns when they do not fit the headers).
fn grid(widths: &[u32], columns: usize) -> Vec<u32> {
    let widths: Vec<u32> = if widths.len() == columns && widths.iter().any(|&w| w > 0) {
        widths.to_vec()
    } else {
        vec![1; columns]
    };
    let sum: u64 = widths.iter().map(|&w| u64::from(w)).sum::<u64>().max(1);
    let mut out: Vec<u32> = widths
        .iter()
        .map(|&w| (u64::from(w) * u64::from(TEXT_WIDTH) / sum) as u32)
        .collect();
    let used: u32 = out.iter().sum();
    if let Some(last) = out.last_mut() {
        *last += TEXT_WIDTH - used;
    }
    out
}

/// The page number at the foot of every page: "— 1 —".
fn footer(w: &mut Writer) -> Footer {
    let dash = match w.look.lang {
        Lang::Zh => "— ",
        Lang::En => "",
    };
    let end = match w.look.lang {
        Lang::Zh => " —",
        Lang::En => "",
    };
    let page = Run::new()
        .add_field_char(FieldCharType::Begin, false)
        .add_instr_text(InstrText::PAGE(InstrPAGE::new()))
        .add_field_char(FieldCharType::Separate, false)
        .add_text("1")
        .add_field_char(FieldCharType::End, false);
    let p = w
        .para("PageNumber")
        .add_run(Run::new().add_text(dash))
        .add_run(page)
        .add_run(Run::new().add_text(end));
    Footer::new().add_paragraph(p)
}

/// Lays `report` out as a Word document; its bytes.
pub fn render(report: &Report, progress: &dyn Fn(f32) -> bool) -> Result<Vec<u8>, ExportError> {
    let step = |f: f32| {
        if progress(f) {
            Ok(())
        } else {
            Err(ExportError::Cancelled)
        }
    };
    let lang = report.lang;
    let mut w = Writer {
        look: Look::of(lang),
        paragraphs: 0,
        tables: 0,
        figures: 0,
    };
    let mut body = vec![
        Doc::para(w.text("Title", &report.title)),
        Doc::para(w.text("Subtitle", &report.subtitle)),
    ];
    // Sections to 30%, the appendix to 60%, packing the rest.
    let parts = report.sections.len().max(1) as f32;
    for (k, s) in report.sections.iter().enumerate() {
        let within = |f: f32| progress(0.3 * (k as f32 + f) / parts);
        body.extend(w.section(Some(k + 1), s, false, &within)?);
    }
    step(0.3)?;
    // The appendix starts a page: 附件 at the top left, then its title.
    body.push(Doc::para(
        w.text("AppendixLabel", lang.pick("附件", "Appendix"))
            .page_break_before(true),
    ));
    body.push(Doc::para(w.text("Title", &report.appendix.title)));
    body.extend(w.section(None, &report.appendix, true, &|f| progress(0.3 + 0.1 * f))?);
    step(0.4)?;
    let foot = footer(&mut w);
    let mut docx = w.look.styles(Docx::new());
    docx = docx
        .page_size(PAGE.0, PAGE.1)
        .page_margin(
            PageMargin::new()
                .top(MARGIN_TOP)
                .bottom(MARGIN_BOTTOM)
                .left(MARGIN_LEFT)
                .right(MARGIN_RIGHT)
                .header(851)
                .footer(FOOTER)
                .gutter(0),
        )
        .footer(foot);
    let mut deferred = Vec::new();
    for d in body {
        docx = match d {
            Doc::Para(p) => docx.add_paragraph(*p),
            Doc::Table(t) => docx.add_table(*t),
            Doc::Deferred(t) => {
                deferred.push(t);
                docx.add_paragraph(placeholder(deferred.len() - 1))
            }
        };
    }
    let mut stored = std::io::Cursor::new(Vec::new());
    docx.pack(&mut stored)
        .map_err(|e| ExportError::Document(e.to_string()))?;
    step(0.45)?;
    // The deferred tables, built one at a time where their placeholders
    // are, as the package is compressed.
    let rows = deferred
        .iter()
        .map(|t| t.rows.len() + 2)
        .sum::<usize>()
        .max(1);
    let mut done = 0;
    let bytes = compress(stored.get_ref(), |k, out| {
        let t = deferred
            .get(k)
            .ok_or_else(|| ExportError::Document(format!("no table {k} for its place")))?;
        let base = done as f32 / rows as f32;
        let share = (t.rows.len() + 2) as f32 / rows as f32;
        let table = w.table_body(t, &|f| progress(0.45 + 0.55 * (base + share * f)))?;
        let xml = docx_rs::BuildXML::build(&table);
        drop(table);
        // A table's XML holds no placeholder of its own.
        copy_document(&mut xml.as_slice(), out, &mut |k, _| {
            Err(ExportError::Document(format!("table {k} inside a table")))
        })?;
        done += t.rows.len() + 2;
        Ok(())
    })?;
    step(1.0)?;
    Ok(bytes)
}

/// The package `docx-rs` writes, with its parts compressed (it stores
/// them as they are, and the appendix of a large plan is a hundred
/// megabytes of XML), every table's header row marked to repeat, and the
/// deferred tables written by `table` (its number and where to) in place
/// of their placeholders.
fn compress(
    stored: &[u8],
    table: impl FnMut(usize, &mut dyn std::io::Write) -> Result<(), ExportError>,
) -> Result<Vec<u8>, ExportError> {
    let zip_error = |e: zip::result::ZipError| ExportError::Document(e.to_string());
    let io_error = |e: std::io::Error| ExportError::Document(e.to_string());
    let mut table = table;
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(stored)).map_err(zip_error)?;
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::with_capacity(stored.len() / 4)));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        // The fastest level: a few percent larger, several times faster.
        .compression_level(Some(1));
    for i in 0..archive.len() {
        let mut part = archive.by_index(i).map_err(zip_error)?;
        let name = part.name().map_err(zip_error)?.into_owned();
        if part.is_dir() {
            out.add_directory(name, zip::write::SimpleFileOptions::default())
                .map_err(zip_error)?;
            continue;
        }
        // Pictures are compressed already.
        let options = if name.ends_with(".png") {
            zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Stored)
        } else {
            options
        };
        out.start_file(name.as_str(), options).map_err(zip_error)?;
        if name == "word/document.xml" {
            copy_document(&mut part, &mut out, &mut table)?;
        } else {
            std::io::copy(&mut part, &mut out).map_err(io_error)?;
        }
    }
    Ok(out.finish().map_err(zip_error)?.into_inner())
}

/// Copies the document's XML from `from` to `to`, a block at a time:
/// each table's first row marked as its header, and each placeholder
/// paragraph replaced by what `table` writes for its number.
fn copy_document(
    from: &mut impl std::io::Read,
    to: &mut dyn std::io::Write,
    table: &mut dyn FnMut(usize, &mut dyn std::io::Write) -> Result<(), ExportError>,
) -> Result<(), ExportError> {
    const BLOCK: usize = 1 << 20;
    const END: &[u8] = b"</w:p>";
    let io_error = |e: std::io::Error| ExportError::Document(e.to_string());
    let rows = memchr::memmem::Finder::new(FIRST_ROW);
    let places = memchr::memmem::Finder::new(PLACEHOLDER);
    let ends = memchr::memmem::Finder::new(END);
    let mut block = vec![0; BLOCK];
    let mut buf: Vec<u8> = Vec::with_capacity(2 * BLOCK);
    loop {
        let n = from.read(&mut block).map_err(io_error)?;
        buf.extend_from_slice(&block[..n]);
        let end = n == 0;
        let mut at = 0;
        // Where a placeholder begins whose end is not read yet.
        let mut open = None;
        loop {
            let row = rows.find(&buf[at..]).map(|i| at + i);
            let place = places.find(&buf[at..]).map(|i| at + i);
            match (row, place) {
                (Some(r), p) if p.is_none_or(|p| r < p) => {
                    to.write_all(&buf[at..r]).map_err(io_error)?;
                    to.write_all(FIRST_ROW_REPEATED).map_err(io_error)?;
                    at = r + FIRST_ROW.len();
                }
                (_, Some(p)) => {
                    let Some(e) = ends.find(&buf[p..]).map(|i| p + i + END.len()) else {
                        open = Some(p);
                        break;
                    };
                    let digits = p + PLACEHOLDER.len();
                    let k = buf
                        .get(digits..digits + 6)
                        .and_then(|hex| std::str::from_utf8(hex).ok())
                        .and_then(|hex| usize::from_str_radix(hex, 16).ok())
                        .ok_or_else(|| {
                            ExportError::Document("a table's place without its number".into())
                        })?;
                    to.write_all(&buf[at..p]).map_err(io_error)?;
                    table(k, to)?;
                    at = e;
                }
                _ => break,
            }
        }
        if end {
            if open.is_some() {
                return Err(ExportError::Document("a table's place cut short".into()));
            }
            to.write_all(&buf[at..]).map_err(io_error)?;
            return Ok(());
        }
        // What is left can begin a pattern only in its last bytes (a whole
        // one would have been found), or where an open placeholder begins.
        let keep = FIRST_ROW.len().max(PLACEHOLDER.len()) - 1;
        let hold_from = open.unwrap_or_else(|| buf.len() - keep.min(buf.len() - at));
        to.write_all(&buf[at..hold_from]).map_err(io_error)?;
        buf.drain(..hold_from);
    }
}

/// The first row of every table as `docx-rs` writes it (every row of
/// ours is kept on one page), and the same row marked as the table's
/// header, which Word and LibreOffice repeat at the top of each page the
/// table runs onto (`docx-rs` has no way to say so).
const FIRST_ROW: &[u8] = b"</w:tblGrid><w:tr><w:trPr><w:cantSplit /></w:trPr>";
const FIRST_ROW_REPEATED: &[u8] =
    b"</w:tblGrid><w:tr><w:trPr><w:cantSplit /><w:tblHeader /></w:trPr>";

/// The report of an evaluated plan as the bytes of a `.docx` file, with
/// the timeline section when there is one. `progress` hears how far it
/// is (0 to 1) and stops it by returning false ([`ExportError::Cancelled`]).
pub fn report_docx(
    data: &PlanExport<'_>,
    lang: Lang,
    timeline: Option<Section>,
    progress: &dyn Fn(f32) -> bool,
) -> Result<Vec<u8>, ExportError> {
    let report = build(data, lang, timeline, &|f| progress(0.5 * f))?;
    render(&report, &|f| progress(0.5 + 0.5 * f))
}

/// Writes the report to `path` (atomically: a failure or a cancel leaves
/// an earlier file of that name as it was).
pub fn save_report_with(
    data: &PlanExport<'_>,
    lang: Lang,
    timeline: Option<Section>,
    path: &std::path::Path,
    progress: &dyn Fn(f32) -> bool,
) -> Result<(), ExportError> {
    let bytes = report_docx(data, lang, timeline, &|f| progress(0.95 * f))?;
    if !progress(0.95) {
        return Err(ExportError::Cancelled);
    }
    crate::atomic::write_atomic(path, &bytes).map_err(|source| ExportError::Io {
        path: path.to_path_buf(),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reader handing out a few bytes at a time.
    struct Trickle<'a>(&'a [u8], usize);

    impl std::io::Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = self.1.min(self.0.len()).min(buf.len());
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    #[test]
    fn every_pattern_is_replaced_wherever_the_reads_cut_it() {
        let row = std::str::from_utf8(FIRST_ROW).expect("text");
        let repeated = std::str::from_utf8(FIRST_ROW_REPEATED).expect("text");
        let part = &row[..row.len() - 3];
        let copy = |text: &str, step: usize| {
            let mut out = Vec::new();
            copy_document(
                &mut Trickle(text.as_bytes(), step),
                &mut out,
                &mut |_, _| Ok(()),
            )
            .expect("copied");
            String::from_utf8(out).expect("text")
        };
        let text = format!("ab{row}cd{part}{row}{row}e{part}");
        let want = format!("ab{repeated}cd{part}{repeated}{repeated}e{part}");
        for step in 1..=text.len() + 1 {
            assert_eq!(copy(&text, step), want, "reads of {step} bytes");
        }
        // Nothing to replace: the bytes as they were; nothing at all.
        assert_eq!(copy(part, 1), part);
        assert!(copy("", 1).is_empty());
    }

    #[test]
    fn placeholders_become_their_tables_and_header_rows_repeat() {
        let place =
            |k: usize| format!("<w:p w14:paraId=\"7F{k:06X}\"><w:pPr><w:rPr /></w:pPr></w:p>");
        let row = std::str::from_utf8(FIRST_ROW).expect("text");
        let repeated = std::str::from_utf8(FIRST_ROW_REPEATED).expect("text");
        let text = format!(
            "<w:body><w:p w14:paraId=\"00000001\"></w:p>{}<w:tbl>{row}x</w:tbl>{}{}<w:p w14:paraId=\"0000007F\"></w:p></w:body>",
            place(0),
            place(1),
            place(26)
        );
        let want = format!(
            "<w:body><w:p w14:paraId=\"00000001\"></w:p>[T0]<w:tbl>{repeated}x</w:tbl>[T1][T26]<w:p w14:paraId=\"0000007F\"></w:p></w:body>"
        );
        for step in 1..=text.len() + 1 {
            let mut out = Vec::new();
            let mut asked = Vec::new();
            copy_document(
                &mut Trickle(text.as_bytes(), step),
                &mut out,
                &mut |k, to| {
                    asked.push(k);
                    to.write_all(format!("[T{k}]").as_bytes())
                        .map_err(|e| ExportError::Document(e.to_string()))
                },
            )
            .expect("copied");
            assert_eq!(
                String::from_utf8(out).expect("text"),
                want,
                "reads of {step} bytes"
            );
            assert_eq!(asked, [0, 1, 26]);
        }
        // A placeholder cut short is an error, not a silent loss.
        let cut = &place(3)[..20];
        let err = copy_document(
            &mut Trickle(cut.as_bytes(), 7),
            &mut Vec::new(),
            &mut |_, _| Ok(()),
        );
        assert!(err.is_err());
    }

    #[test]
    fn columns_fill_the_text_block() {
        let g = grid(&[7, 29, 18, 9, 21, 16], 6);
        assert_eq!(g.iter().sum::<u32>(), TEXT_WIDTH);
        assert_eq!(g.len(), 6);
        assert!(g[1] > g[0] * 4);
        // Widths that do not match the columns: equal columns.
        let g = grid(&[1, 2], 3);
        assert_eq!(g.iter().sum::<u32>(), TEXT_WIDTH);
        assert!(g[0] == g[1] && g[2] >= g[1]);
        // 156 mm of text.
        assert!((TEXT_WIDTH as f64 / 56.692_9 - 156.0).abs() < 0.1);
    }
}
