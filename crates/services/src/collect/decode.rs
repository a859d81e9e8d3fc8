//! Reading an uploaded file row by row, without holding it in memory: CSV in UTF-8 or
//! GBK/GB18030 (as Chinese Excel saves it), XLSX (the first worksheet, streamed cell by cell
//! after a zip-bomb check) and JSON Lines. Each row reaches the caller as (field, text) pairs
//! already mapped to the item's fields, so every format is checked by the same rules.

use super::progress::{Counting, Progress};
use crate::error::{ServiceError, ServiceResult};
use std::io::{BufRead, BufReader, Read, Seek};
use std::ops::ControlFlow;
use std::path::Path;
use std::sync::Arc;
use xinrong_core::catalog::{Field, Item};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
    Jsonl,
}

impl Format {
    pub fn parse(text: &str) -> ServiceResult<Format> {
        match text {
            "csv" => Ok(Format::Csv),
            "xlsx" => Ok(Format::Xlsx),
            "jsonl" => Ok(Format::Jsonl),
            other => Err(ServiceError::invalid(
                "collect.format",
                format!("不支持的文件格式：{other}（支持 csv、xlsx、jsonl）"),
            )),
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
            Format::Jsonl => "jsonl",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8 when the file's first 64 KiB are valid UTF-8, else GB18030 (a superset of GBK).
    Auto,
    Utf8,
    Gbk,
}

impl Encoding {
    pub fn parse(text: &str) -> ServiceResult<Encoding> {
        match text.to_ascii_lowercase().as_str() {
            "auto" => Ok(Encoding::Auto),
            "utf-8" | "utf8" => Ok(Encoding::Utf8),
            "gbk" | "gb18030" | "gb2312" => Ok(Encoding::Gbk),
            other => Err(ServiceError::invalid(
                "collect.encoding",
                format!("不支持的编码：{other}（支持 auto、utf-8、gbk）"),
            )),
        }
    }
}

/// The uploaded file as the readers see it: counted for the progress bar.
type Input = Counting<std::fs::File>;

/// A seekable counted file, for XLSX.
struct SeekCounting {
    inner: std::fs::File,
    progress: Arc<Progress>,
}

impl Read for SeekCounting {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.progress.add_bytes(n as u64);
        Ok(n)
    }
}

impl Seek for SeekCounting {
    fn seek(&mut self, pos: std::io::SeekFrom) -> std::io::Result<u64> {
        self.inner.seek(pos)
    }
}

/// Longest cell accepted; a longer one is a row error, not a memory problem.
pub const MAX_CELL_CHARS: usize = 64 * 1024;

/// One data row: its line (CSV, JSONL) or row (XLSX) number in the file, and its cells.
#[derive(Debug)]
pub struct RawRow<'i> {
    pub line: usize,
    pub cells: Vec<(&'i Field, String)>,
    /// Why the row cannot be read as it stands (wrong column count, undecodable bytes…).
    pub defect: Option<String>,
}

/// Reads `path` and hands every non-blank data row to `sink`, which may stop the reading.
/// Errors are about the whole file (unreadable, unknown columns, not the declared format).
pub fn read_rows<'i>(
    path: &Path,
    format: Format,
    encoding: Encoding,
    item: &'i Item,
    progress: Arc<Progress>,
    sink: &mut dyn FnMut(RawRow<'i>) -> ControlFlow<()>,
) -> ServiceResult<()> {
    let file = std::fs::File::open(path)
        .map_err(|e| ServiceError::invalid("collect.unreadable", format!("无法读取文件：{e}")))?;
    let file = Counting {
        inner: file,
        progress,
    };
    match format {
        Format::Csv => read_csv(file, encoding, item, sink),
        Format::Jsonl => read_jsonl(file, encoding, item, sink),
        Format::Xlsx => read_xlsx(file, item, sink),
    }
}

fn map_header<'i>(item: &'i Item, header: &[String]) -> ServiceResult<Vec<&'i Field>> {
    if header.iter().all(|h| h.trim().is_empty()) {
        return Err(ServiceError::invalid(
            "collect.no_header",
            "文件没有表头行（第一行应为字段名）",
        ));
    }
    item.map_headers(header).map_err(|unknown| {
        ServiceError::invalid(
            "collect.unknown_columns",
            format!(
                "表头中有信息项“{}”未定义的字段：{}",
                item.label,
                unknown.join("、")
            ),
        )
    })
}

/// Positional cells against the header: a row with more or fewer cells than the header (a
/// truncated or garbled line) is refused as a whole rather than guessed at.
fn positional<'i>(line: usize, fields: &[&'i Field], cells: Vec<String>) -> RawRow<'i> {
    let extra_empty =
        cells.len() > fields.len() && cells[fields.len()..].iter().all(|c| c.is_empty());
    let defect = if cells.len() != fields.len() && !extra_empty {
        Some(format!(
            "该行有 {} 列，表头有 {} 列（行被截断或格式错乱）",
            cells.len(),
            fields.len()
        ))
    } else {
        None
    };
    RawRow {
        line,
        cells: fields.iter().copied().zip(cells).collect(),
        defect,
    }
}

fn blank(cells: &[String]) -> bool {
    cells.iter().all(|c| c.trim().is_empty())
}

/// Resolves `Auto` from the first bytes of the file, after a UTF-8 BOM.
fn sniff(reader: &mut BufReader<Input>, encoding: Encoding) -> ServiceResult<Encoding> {
    let head = reader
        .fill_buf()
        .map_err(|e| ServiceError::invalid("collect.unreadable", format!("无法读取文件：{e}")))?;
    if head.starts_with(b"\xef\xbb\xbf") {
        reader.consume(3);
        return Ok(Encoding::Utf8);
    }
    if encoding != Encoding::Auto {
        return Ok(encoding);
    }
    // `fill_buf` returns at most the buffer's size: 64 KiB, as the callers make it.
    Ok(match std::str::from_utf8(head) {
        Ok(_) => Encoding::Utf8,
        // Cut in the middle of a character at the end of the sample: still UTF-8.
        Err(e) if e.error_len().is_none() => Encoding::Utf8,
        Err(_) => Encoding::Gbk,
    })
}

/// A byte stream as UTF-8 text: as it is, or decoded from GB18030.
fn text_stream(reader: BufReader<Input>, encoding: Encoding) -> Box<dyn Read + Send> {
    match encoding {
        Encoding::Gbk => Box::new(
            encoding_rs_io::DecodeReaderBytesBuilder::new()
                .encoding(Some(encoding_rs::GB18030))
                .build(reader),
        ),
        Encoding::Utf8 | Encoding::Auto => Box::new(reader),
    }
}

/// A cell's text, or why it has none: invalid UTF-8, or GBK bytes that decoded to U+FFFD.
fn cell_text(bytes: &[u8], encoding: Encoding) -> Result<String, String> {
    match std::str::from_utf8(bytes) {
        Ok(text) if encoding == Encoding::Gbk && text.contains('\u{fffd}') => {
            Err("含有无法按 GBK/GB18030 解码的字节".to_owned())
        }
        Ok(text) => Ok(text.to_owned()),
        Err(_) => {
            Err("含有无效的 UTF-8 字节（文件可能是 GBK 编码，请指定 --encoding gbk）".to_owned())
        }
    }
}

fn read_csv<'i>(
    file: Input,
    encoding: Encoding,
    item: &'i Item,
    sink: &mut dyn FnMut(RawRow<'i>) -> ControlFlow<()>,
) -> ServiceResult<()> {
    let mut buffered = BufReader::with_capacity(64 * 1024, file);
    let encoding = sniff(&mut buffered, encoding)?;
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(false)
        .from_reader(text_stream(buffered, encoding));
    let mut record = csv::ByteRecord::new();
    let csv_error = |e: csv::Error| {
        let line = e.position().map_or(0, |p| p.line());
        ServiceError::invalid("collect.csv", format!("第 {line} 行无法解析：{e}"))
    };
    if !reader.read_byte_record(&mut record).map_err(csv_error)? {
        return Err(ServiceError::invalid("collect.no_header", "文件是空的"));
    }
    let header: Vec<String> = record
        .iter()
        .map(|c| cell_text(c, encoding))
        .collect::<Result<_, _>>()
        .map_err(|reason| ServiceError::invalid("collect.encoding", format!("表头{reason}")))?;
    let fields = map_header(item, &header)?;
    while reader.read_byte_record(&mut record).map_err(csv_error)? {
        let line = record.position().map_or(0, |p| p.line() as usize);
        let mut defect = None;
        let cells: Vec<String> = record
            .iter()
            .map(|c| {
                cell_text(c, encoding).unwrap_or_else(|reason| {
                    defect.get_or_insert(reason);
                    String::new()
                })
            })
            .collect();
        if defect.is_none() && blank(&cells) {
            continue;
        }
        let mut row = positional(line, &fields, cells);
        if defect.is_some() {
            row.defect = defect;
        }
        if sink(row).is_break() {
            break;
        }
    }
    Ok(())
}

/// JSON Lines: one object per line. Numbers are taken as written (raw text), so an amount such
/// as `12345678901234.56` reaches validation exactly, never through floating point.
fn read_jsonl<'i>(
    file: Input,
    encoding: Encoding,
    item: &'i Item,
    sink: &mut dyn FnMut(RawRow<'i>) -> ControlFlow<()>,
) -> ServiceResult<()> {
    use serde_json::value::RawValue;
    use std::collections::BTreeMap;
    let mut buffered = BufReader::with_capacity(64 * 1024, file);
    let encoding = sniff(&mut buffered, encoding)?;
    let reader = BufReader::new(text_stream(buffered, encoding));
    for (i, line) in reader.split(b'\n').enumerate() {
        let line_no = i + 1;
        let bytes = line.map_err(|e| {
            ServiceError::invalid("collect.unreadable", format!("无法读取文件：{e}"))
        })?;
        let text = match cell_text(&bytes, encoding) {
            Ok(text) => text,
            Err(reason) => {
                let row = RawRow {
                    line: line_no,
                    cells: Vec::new(),
                    defect: Some(reason),
                };
                if sink(row).is_break() {
                    break;
                }
                continue;
            }
        };
        if text.trim().is_empty() {
            continue;
        }
        let map: BTreeMap<String, Box<RawValue>> = serde_json::from_str(&text).map_err(|e| {
            ServiceError::invalid(
                "collect.jsonl",
                format!("第 {line_no} 行应为一个 JSON 对象：{e}"),
            )
        })?;
        let keys: Vec<String> = map.keys().cloned().collect();
        let fields = item.map_headers(&keys).map_err(|unknown| {
            ServiceError::invalid(
                "collect.unknown_columns",
                format!(
                    "第 {line_no} 行有信息项“{}”未定义的字段：{}",
                    item.label,
                    unknown.join("、")
                ),
            )
        })?;
        let cells = fields
            .into_iter()
            .zip(map.values())
            .map(|(field, raw)| {
                let text = match raw.get() {
                    "null" => String::new(),
                    raw if raw.starts_with('"') => {
                        serde_json::from_str::<String>(raw).unwrap_or_default()
                    }
                    raw => raw.to_owned(),
                };
                (field, text)
            })
            .collect();
        let row = RawRow {
            line: line_no,
            cells,
            defect: None,
        };
        if sink(row).is_break() {
            break;
        }
    }
    Ok(())
}

/// Largest uncompressed size of one part of an XLSX package, and of the whole package. Excel's
/// own limit of 1,048,576 rows stays far below; a file claiming more is a zip bomb.
const XLSX_MAX_PART: u64 = 1024 * 1024 * 1024;
const XLSX_MAX_TOTAL: u64 = 2 * 1024 * 1024 * 1024;
/// Real worksheets compress about 5–20 times; a part that claims more than this ratio (and is
/// large) is refused before it is inflated.
const XLSX_MAX_RATIO: u64 = 200;

/// Refuses an XLSX whose parts would inflate too far (a zip bomb) before anything is inflated,
/// then rewinds the file for the reader. Every XLSX upload goes through here.
pub(crate) fn check_zip<F: Read + Seek>(file: &mut F) -> ServiceResult<()> {
    let bomb = |detail: String| {
        ServiceError::invalid(
            "collect.xlsx_bomb",
            format!("XLSX 文件解压后过大，疑似压缩炸弹，已拒绝：{detail}"),
        )
    };
    let mut archive = zip::ZipArchive::new(&mut *file)
        .map_err(|e| ServiceError::invalid("collect.xlsx", format!("XLSX 文件无法读取：{e}")))?;
    let mut total = 0u64;
    for i in 0..archive.len() {
        let part = archive.by_index_raw(i).map_err(|e| {
            ServiceError::invalid("collect.xlsx", format!("XLSX 文件无法读取：{e}"))
        })?;
        let (size, packed) = (part.size(), part.compressed_size().max(1));
        total = total.saturating_add(size);
        if size > XLSX_MAX_PART || (size > 16 * 1024 * 1024 && size / packed > XLSX_MAX_RATIO) {
            let name = part.name().map(|n| n.into_owned()).unwrap_or_default();
            return Err(bomb(format!("{name} 声明 {size} 字节")));
        }
    }
    if total > XLSX_MAX_TOTAL {
        return Err(bomb(format!("共 {total} 字节")));
    }
    file.rewind()
        .map_err(|e| ServiceError::invalid("collect.unreadable", format!("无法读取文件：{e}")))?;
    Ok(())
}

/// The first worksheet, cell by cell. Excel keeps numbers as binary floating point; they are
/// written back in their shortest exact decimal form, dates as `YYYY-MM-DD`.
fn read_xlsx<'i>(
    file: Input,
    item: &'i Item,
    sink: &mut dyn FnMut(RawRow<'i>) -> ControlFlow<()>,
) -> ServiceResult<()> {
    use calamine::{Reader, Xlsx};
    // The zip directory is at the end: XLSX needs a seekable file; progress counts what the
    // cell reader inflates from it, so it only approximates the share done.
    let Counting {
        inner: mut file,
        progress,
    } = file;
    check_zip(&mut file)?;
    let file = SeekCounting {
        inner: file,
        progress,
    };
    let bad = |e: &dyn std::fmt::Display| {
        ServiceError::invalid("collect.xlsx", format!("XLSX 文件无法读取：{e}"))
    };
    let mut workbook: Xlsx<_> = Xlsx::new(BufReader::new(file)).map_err(|e| bad(&e))?;
    let sheet = workbook
        .sheet_names()
        .first()
        .cloned()
        .ok_or_else(|| ServiceError::invalid("collect.xlsx", "XLSX 文件中没有工作表"))?;
    let mut cells = workbook
        .worksheet_cells_reader(&sheet)
        .map_err(|e| bad(&e))?;
    // Cells arrive in row order; gather one row at a time.
    let mut fields: Option<Vec<&'i Field>> = None;
    let mut header: Vec<String> = Vec::new();
    let mut current_row: Option<u32> = None;
    let mut row_cells: Vec<String> = Vec::new();
    let mut flush = |row: u32, row_cells: &mut Vec<String>| -> ServiceResult<ControlFlow<()>> {
        let cells = std::mem::take(row_cells);
        match &fields {
            None => {
                header = cells;
                fields = Some(map_header(item, &header)?);
                Ok(ControlFlow::Continue(()))
            }
            Some(fields) if blank(&cells) => {
                let _ = fields;
                Ok(ControlFlow::Continue(()))
            }
            Some(fields) => {
                let mut cells = cells;
                // Trailing empty cells are not stored in XLSX; pad to the header.
                if cells.len() < fields.len() {
                    cells.resize(fields.len(), String::new());
                }
                Ok(sink(positional(row as usize + 1, fields, cells)))
            }
        }
    };
    loop {
        let cell = cells.next_cell().map_err(|e| bad(&e))?;
        let Some(cell) = cell else { break };
        let (row, col) = cell.get_position();
        if current_row != Some(row) {
            if let Some(previous) = current_row
                && flush(previous, &mut row_cells)?.is_break()
            {
                return Ok(());
            }
            current_row = Some(row);
        }
        let col = col as usize;
        if col > 16_384 {
            return Err(bad(&"列数超过 Excel 上限"));
        }
        if row_cells.len() <= col {
            row_cells.resize(col + 1, String::new());
        }
        row_cells[col] = xlsx_cell_text(cell.get_value());
    }
    if let Some(previous) = current_row {
        let _ = flush(previous, &mut row_cells)?;
    }
    if fields.is_none() {
        return Err(ServiceError::invalid(
            "collect.no_header",
            "XLSX 工作表是空的",
        ));
    }
    Ok(())
}

/// One XLSX cell as text. Excel keeps numbers as binary floating point; they are written back
/// in their shortest exact decimal form (amounts are then parsed as decimal text into fen,
/// never computed as floats), dates as `YYYY-MM-DD`, booleans as 是/否.
pub(crate) fn xlsx_cell_text(d: &calamine::DataRef) -> String {
    use calamine::DataRef;
    match d {
        DataRef::Empty | DataRef::Error(_) => String::new(),
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::SharedString(s) => (*s).to_owned(),
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        DataRef::Float(f) => format!("{f}"),
        DataRef::Bool(b) => if *b { "是" } else { "否" }.to_owned(),
        DataRef::DateTime(dt) => excel_date(dt.as_f64()),
    }
}

/// An Excel serial date (days since 1899-12-30) as `YYYY-MM-DD`.
fn excel_date(serial: f64) -> String {
    let epoch = chrono::NaiveDate::from_ymd_opt(1899, 12, 30).expect("date");
    (epoch + chrono::Duration::days(serial.floor() as i64)).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use xinrong_core::catalog::builtin;

    /// A row as read: line, (field key, text) cells, defect.
    type ReadRow = (usize, Vec<(String, String)>, Option<String>);

    fn item() -> &'static Item {
        builtin().item("tax.tax_arrears").expect("item")
    }

    fn rows_of(bytes: &[u8], format: Format, encoding: Encoding) -> ServiceResult<Vec<ReadRow>> {
        let dir = std::env::temp_dir().join(format!("xr-decode-{}", uuid::Uuid::new_v4()));
        std::fs::write(&dir, bytes).unwrap();
        let mut out = Vec::new();
        let progress = Arc::new(Progress::default());
        let result = read_rows(&dir, format, encoding, item(), progress, &mut |row| {
            out.push((
                row.line,
                row.cells
                    .iter()
                    .map(|(f, v)| (f.key.clone(), v.clone()))
                    .collect(),
                row.defect,
            ));
            ControlFlow::Continue(())
        });
        std::fs::remove_file(&dir).unwrap();
        result.map(|()| out)
    }

    fn header() -> (String, String) {
        let item = item();
        (item.fields[0].label.clone(), item.fields[1].label.clone())
    }

    #[test]
    fn gbk_is_detected_and_decoded() {
        let (a, b) = header();
        let text = format!("{a},{b}\n甲,乙\n");
        let (gbk, _, _) = encoding_rs::GBK.encode(&text);
        assert!(std::str::from_utf8(&gbk).is_err());
        let rows = rows_of(&gbk, Format::Csv, Encoding::Auto).unwrap();
        assert_eq!(rows[0].1[0].1, "甲");
        assert_eq!(rows[0].1[1].1, "乙");
        let strict_utf8 = rows_of(&gbk, Format::Csv, Encoding::Utf8);
        assert!(strict_utf8.is_err(), "a GBK header is not UTF-8");
        let bom = format!("\u{feff}{text}");
        assert_eq!(
            rows_of(bom.as_bytes(), Format::Csv, Encoding::Auto)
                .unwrap()
                .len(),
            1
        );
    }

    #[test]
    fn xlsx_reads_like_csv() {
        let (a, b) = header();
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        sheet.write_string(0, 0, &a).unwrap();
        sheet.write_string(0, 1, &b).unwrap();
        sheet.write_number(1, 0, 12.5).unwrap();
        sheet.write_string(1, 1, "914403001922038216").unwrap();
        let bytes = book.save_to_buffer().unwrap();
        let xlsx = rows_of(&bytes, Format::Xlsx, Encoding::Auto).unwrap();
        let csv = rows_of(
            format!("{a},{b}\n12.5,914403001922038216\n").as_bytes(),
            Format::Csv,
            Encoding::Auto,
        )
        .unwrap();
        assert_eq!(xlsx, csv);
        assert!(rows_of(b"PK\x03\x04 not a zip", Format::Xlsx, Encoding::Auto).is_err());
        assert_eq!(excel_date(45_658.0), "2025-01-01");
    }

    #[test]
    fn csv_and_jsonl_become_the_same_rows() {
        let (a, b) = header();
        let keys: Vec<String> = item().fields[..2].iter().map(|f| f.key.clone()).collect();
        let csv = rows_of(
            format!("{a},{b}\n12.5,914403001922038216\n\n").as_bytes(),
            Format::Csv,
            Encoding::Auto,
        )
        .unwrap();
        let jsonl = rows_of(
            format!(
                "{{\"{}\":12.5,\"{}\":\"914403001922038216\"}}\n",
                keys[0], keys[1]
            )
            .as_bytes(),
            Format::Jsonl,
            Encoding::Auto,
        )
        .unwrap();
        let sorted = |mut cells: Vec<(String, String)>| {
            cells.sort();
            cells
        };
        assert_eq!(sorted(csv[0].1.clone()), sorted(jsonl[0].1.clone()));
        assert_eq!(csv[0].0, 2);
        assert!(rows_of(b"[1,2]\n", Format::Jsonl, Encoding::Auto).is_err());
    }

    #[test]
    fn ragged_rows_are_defects_not_guesses() {
        let (a, b) = header();
        let rows = rows_of(
            format!("{a},{b}\nx\nx,y,z\nx,y,\n").as_bytes(),
            Format::Csv,
            Encoding::Auto,
        )
        .unwrap();
        assert!(rows[0].2.as_deref().unwrap().contains("1 列"));
        assert!(rows[1].2.as_deref().unwrap().contains("3 列"));
        assert_eq!(rows[2].2, None, "a trailing empty cell is harmless");
    }

    #[test]
    fn unknown_and_missing_headers_refuse_the_file() {
        let err = rows_of(b"no_such_column\n1\n", Format::Csv, Encoding::Auto).unwrap_err();
        assert_eq!(err.code(), "collect.unknown_columns");
        assert_eq!(
            rows_of(b"", Format::Csv, Encoding::Auto)
                .unwrap_err()
                .code(),
            "collect.no_header"
        );
    }
}
