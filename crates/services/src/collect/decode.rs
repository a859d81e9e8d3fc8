//! Reading an uploaded file into header + rows of text cells: CSV in UTF-8 or GBK/GB18030 (as
//! Chinese Excel saves it), and JSON Lines.

use crate::error::{ServiceError, ServiceResult};
use std::borrow::Cow;

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
    /// UTF-8 when the bytes are valid UTF-8, else GB18030 (a superset of GBK).
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

pub(super) fn decode(bytes: &[u8], encoding: Encoding) -> ServiceResult<Cow<'_, str>> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let utf8 = std::str::from_utf8(bytes);
    match (encoding, utf8) {
        (Encoding::Auto | Encoding::Utf8, Ok(text)) => Ok(Cow::Borrowed(text)),
        (Encoding::Utf8, Err(e)) => Err(ServiceError::invalid(
            "collect.encoding",
            format!(
                "文件不是有效的 UTF-8（第 {} 字节），可改用 --encoding gbk",
                e.valid_up_to() + 1
            ),
        )),
        (Encoding::Auto | Encoding::Gbk, _) => {
            let (text, _, had_errors) = encoding_rs::GB18030.decode(bytes);
            if had_errors {
                Err(ServiceError::invalid(
                    "collect.encoding",
                    "文件既不是 UTF-8 也不是 GBK/GB18030 编码",
                ))
            } else {
                Ok(text)
            }
        }
    }
}

/// A table: header cells and data rows (with their 1-based line or record numbers).
pub(super) struct Table {
    pub header: Vec<String>,
    pub rows: Vec<(usize, Vec<String>)>,
}

/// Reads a file of any supported format into a table.
pub(super) fn read_file(bytes: &[u8], format: Format, encoding: Encoding) -> ServiceResult<Table> {
    match format {
        Format::Xlsx => read_xlsx(bytes),
        Format::Csv | Format::Jsonl => read_table(&decode(bytes, encoding)?, format),
    }
}

pub(super) fn read_table(text: &str, format: Format) -> ServiceResult<Table> {
    match format {
        Format::Csv => read_csv(text),
        Format::Jsonl => read_jsonl(text),
        Format::Xlsx => unreachable!("XLSX is binary; see read_file"),
    }
}

/// The first worksheet of an XLSX workbook. Excel keeps numbers as binary floating point; they
/// are written back in their shortest exact decimal form, dates as `YYYY-MM-DD`.
fn read_xlsx(bytes: &[u8]) -> ServiceResult<Table> {
    use calamine::{Data, Reader, Xlsx};
    let bad = |e: &dyn std::fmt::Display| {
        ServiceError::invalid("collect.xlsx", format!("XLSX 文件无法读取：{e}"))
    };
    let mut workbook: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).map_err(|e| bad(&e))?;
    let range = workbook
        .worksheet_range_at(0)
        .ok_or_else(|| ServiceError::invalid("collect.xlsx", "XLSX 文件中没有工作表"))?
        .map_err(|e| bad(&e))?;
    let cell = |d: &Data| -> String {
        match d {
            Data::Empty | Data::Error(_) => String::new(),
            Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
            Data::Int(i) => i.to_string(),
            Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
            Data::Float(f) => format!("{f}"),
            Data::Bool(b) => if *b { "是" } else { "否" }.to_owned(),
            Data::DateTime(dt) => excel_date(dt.as_f64()),
        }
    };
    let mut rows = range.rows();
    let header: Vec<String> = rows
        .next()
        .map(|r| r.iter().map(cell).collect())
        .unwrap_or_default();
    let rows = rows
        .enumerate()
        .map(|(i, r)| (i + 2, r.iter().map(cell).collect::<Vec<_>>()))
        .filter(|(_, cells)| cells.iter().any(|c| !c.trim().is_empty()))
        .collect();
    Ok(Table { header, rows })
}

/// An Excel serial date (days since 1899-12-30) as `YYYY-MM-DD`.
fn excel_date(serial: f64) -> String {
    let epoch = chrono::NaiveDate::from_ymd_opt(1899, 12, 30).expect("date");
    (epoch + chrono::Duration::days(serial.floor() as i64)).to_string()
}

fn read_csv(text: &str) -> ServiceResult<Table> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| ServiceError::invalid("collect.csv", format!("无法读取表头：{e}")))?
        .iter()
        .map(str::to_owned)
        .collect();
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| {
            ServiceError::invalid("collect.csv", format!("第 {} 行无法解析：{e}", i + 2))
        })?;
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        // Data row n is line n + 1 of the file (line 1 is the header).
        rows.push((i + 2, record.iter().map(str::to_owned).collect()));
    }
    Ok(Table { header, rows })
}

/// JSON Lines: one object per line. Numbers are taken as written (raw text), so an amount such
/// as `12345678901234.56` reaches validation exactly, never through floating point.
fn read_jsonl(text: &str) -> ServiceResult<Table> {
    use serde_json::value::RawValue;
    use std::collections::BTreeMap;
    let mut header: Vec<String> = Vec::new();
    let mut objects = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let map: BTreeMap<String, Box<RawValue>> = serde_json::from_str(line).map_err(|e| {
            ServiceError::invalid(
                "collect.jsonl",
                format!("第 {} 行应为一个 JSON 对象：{e}", i + 1),
            )
        })?;
        for key in map.keys() {
            if !header.contains(key) {
                header.push(key.clone());
            }
        }
        objects.push((i + 1, map));
    }
    let rows = objects
        .into_iter()
        .map(|(line, map)| {
            let cells = header
                .iter()
                .map(|k| match map.get(k).map(|raw| raw.get()) {
                    None | Some("null") => String::new(),
                    Some(raw) if raw.starts_with('"') => {
                        serde_json::from_str::<String>(raw).unwrap_or_default()
                    }
                    Some(raw) => raw.to_owned(),
                })
                .collect();
            (line, cells)
        })
        .collect();
    Ok(Table { header, rows })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gbk_is_detected_and_decoded() {
        let (gbk, _, _) = encoding_rs::GBK.encode("统一社会信用代码,企业名称\n");
        assert!(std::str::from_utf8(&gbk).is_err());
        assert_eq!(
            decode(&gbk, Encoding::Auto).unwrap(),
            "统一社会信用代码,企业名称\n"
        );
        assert!(decode(&gbk, Encoding::Utf8).is_err());
        assert_eq!(decode("\u{feff}a".as_bytes(), Encoding::Auto).unwrap(), "a");
    }

    #[test]
    fn xlsx_reads_like_csv() {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        sheet.write_string(0, 0, "amount").unwrap();
        sheet.write_string(0, 1, "uscc").unwrap();
        sheet.write_number(1, 0, 12.5).unwrap();
        sheet.write_string(1, 1, "914403001922038216").unwrap();
        let bytes = book.save_to_buffer().unwrap();
        let xlsx = read_file(&bytes, Format::Xlsx, Encoding::Auto).unwrap();
        let csv = read_table("amount,uscc\n12.5,914403001922038216\n", Format::Csv).unwrap();
        assert_eq!(xlsx.header, csv.header);
        assert_eq!(xlsx.rows, csv.rows);
        assert!(read_file(b"PK\x03\x04 not a zip", Format::Xlsx, Encoding::Auto).is_err());
        assert_eq!(excel_date(45_658.0), "2025-01-01");
    }

    #[test]
    fn csv_and_jsonl_become_the_same_table() {
        let csv = read_table("amount,uscc\n12.5,914403001922038216\n\n", Format::Csv).unwrap();
        let jsonl = read_table(
            "{\"amount\":12.5,\"uscc\":\"914403001922038216\"}\n",
            Format::Jsonl,
        )
        .unwrap();
        assert_eq!(csv.header, jsonl.header);
        assert_eq!(csv.rows[0].1, jsonl.rows[0].1);
        assert_eq!(csv.rows[0].0, 2);
        assert!(read_table("[1,2]\n", Format::Jsonl).is_err());
        let exact = read_table("{\"amount\":12345678901234.56}\n", Format::Jsonl).unwrap();
        assert_eq!(exact.rows[0].1, ["12345678901234.56"]);
    }
}
