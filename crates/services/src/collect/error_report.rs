//! 错误报告 (per-row error report) of a batch as a file a provider's clerk opens: CSV (UTF-8
//! with a BOM, so Excel shows the Chinese) or XLSX. Every value goes through the platform's
//! formula neutralisation: an uploaded `=cmd|…` comes back as text, never as a formula.

use super::decode::Format;
use super::ingest::RowProblem;
use crate::error::{ServiceError, ServiceResult};
use xinrong_core::export::safe_cell;

const HEADER: [&str; 4] = ["行号", "字段", "值", "原因"];

pub fn error_report(problems: &[RowProblem], format: Format) -> ServiceResult<Vec<u8>> {
    let io = |e: &dyn std::fmt::Display| {
        ServiceError::invalid("collect.report", format!("无法生成错误报告：{e}"))
    };
    match format {
        Format::Csv | Format::Jsonl => {
            let mut out = b"\xef\xbb\xbf".to_vec();
            {
                let mut w = csv::Writer::from_writer(&mut out);
                w.write_record(HEADER).map_err(|e| io(&e))?;
                for p in problems {
                    w.write_record([
                        p.row.to_string().as_str(),
                        safe_cell(&p.field).as_ref(),
                        safe_cell(&p.value).as_ref(),
                        safe_cell(&p.reason).as_ref(),
                    ])
                    .map_err(|e| io(&e))?;
                }
                w.flush().map_err(|e| io(&e))?;
            }
            Ok(out)
        }
        Format::Xlsx => {
            let mut book = rust_xlsxwriter::Workbook::new();
            let sheet = book.add_worksheet();
            sheet.set_name("错误报告").map_err(|e| io(&e))?;
            let bold = rust_xlsxwriter::Format::new().set_bold();
            for (c, title) in HEADER.iter().enumerate() {
                sheet
                    .write_string_with_format(0, c as u16, *title, &bold)
                    .map_err(|e| io(&e))?;
            }
            for (r, p) in problems.iter().enumerate() {
                let r = r as u32 + 1;
                sheet.write_number(r, 0, p.row as f64).map_err(|e| io(&e))?;
                // write_string never makes a formula; the apostrophe still marks risky text
                // for anyone who copies it into a cell by hand.
                sheet
                    .write_string(r, 1, safe_cell(&p.field))
                    .map_err(|e| io(&e))?;
                sheet
                    .write_string(r, 2, safe_cell(&p.value))
                    .map_err(|e| io(&e))?;
                sheet
                    .write_string(r, 3, safe_cell(&p.reason))
                    .map_err(|e| io(&e))?;
            }
            sheet.set_column_width(2, 30).map_err(|e| io(&e))?;
            sheet.set_column_width(3, 60).map_err(|e| io(&e))?;
            book.save_to_buffer().map_err(|e| io(&e))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{Reader, Xlsx};

    fn problems() -> Vec<RowProblem> {
        vec![RowProblem {
            row: 3,
            field: "amount".into(),
            value: "=cmd|' /C calc'!A0".into(),
            reason: "“欠税金额”不是有效数值".into(),
        }]
    }

    #[test]
    fn csv_report_neutralises_formulas() {
        let bytes = error_report(&problems(), Format::Csv).unwrap();
        let text = String::from_utf8(bytes).unwrap();
        assert!(text.starts_with('\u{feff}'));
        assert!(text.contains("'=cmd"), "{text}");
        assert!(text.contains("行号,字段,值,原因"));
    }

    #[test]
    fn xlsx_report_reads_back_as_text() {
        let bytes = error_report(&problems(), Format::Xlsx).unwrap();
        let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        let range = book.worksheet_range("错误报告").unwrap();
        assert_eq!(
            range.get_value((1, 2)).unwrap().to_string(),
            "'=cmd|' /C calc'!A0"
        );
        assert_eq!(range.get_value((1, 0)).unwrap().to_string(), "3");
        assert!(book.worksheet_formula("错误报告").unwrap().is_empty());
    }
}
