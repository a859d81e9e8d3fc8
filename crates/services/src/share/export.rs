//! Exports of a subject view (CSV with BOM, XLSX): one row per field of each record, with the
//! value exactly as the view holds it — masked or empty where the access decision said so —
//! and the same flags. Built from [`SubjectView`] only, so an export can never show more than
//! the screen.

use super::{RecordView, SubjectView};
use crate::error::{ServiceError, ServiceResult};
use xinrong_core::access::Shown;
use xinrong_core::export::safe_cell;

const HEADER: [&str; 12] = [
    "统一社会信用代码",
    "信息项",
    "记录编号",
    "版本",
    "信息来源单位",
    "更新时间",
    "标记",
    "字段",
    "分级",
    "披露方式",
    "值",
    "说明",
];

fn flags(r: &RecordView) -> String {
    let mut f = Vec::new();
    if r.objection_pending {
        f.push("异议处理中");
    }
    if r.repaired {
        f.push("已信用修复");
    }
    if r.self_declared {
        f.push("企业自主填报");
    }
    f.join("；")
}

fn disclosure(shown: &Shown) -> &'static str {
    match shown {
        Shown::Clear(_) => "明文",
        Shown::Masked(_) => "脱敏",
        Shown::Withheld => "不提供",
    }
}

/// Every row of the export, as text cells.
fn rows(view: &SubjectView) -> Vec<[String; 12]> {
    let mut out = Vec::new();
    for item in &view.items {
        for r in &item.records {
            let base = |field: &str, level: &str, how: &str, value: &str, note: &str| {
                [
                    view.subject.clone(),
                    item.label.clone(),
                    r.record_id.clone(),
                    r.version.to_string(),
                    r.source_unit.clone(),
                    xinrong_core::clock::display(r.updated_at),
                    flags(r),
                    field.to_owned(),
                    level.to_owned(),
                    how.to_owned(),
                    value.to_owned(),
                    note.to_owned(),
                ]
            };
            if let Some(w) = &r.withheld {
                out.push(base("", "", "不提供", "", &w.message));
                continue;
            }
            let note = item.notice.as_ref().map_or("", |n| n.message.as_str());
            for f in &r.fields {
                out.push(base(
                    &f.label,
                    f.sensitivity.label_zh(),
                    disclosure(&f.shown),
                    f.shown.text(),
                    if matches!(f.shown, Shown::Clear(_)) {
                        ""
                    } else {
                        note
                    },
                ));
            }
        }
    }
    out
}

fn io(e: &dyn std::fmt::Display) -> ServiceError {
    ServiceError::invalid("export.write", format!("导出文件生成失败：{e}"))
}

/// The view as CSV (UTF-8 with BOM, so Excel opens it in Chinese), formula-safe.
pub fn view_csv(view: &SubjectView) -> ServiceResult<Vec<u8>> {
    let mut w = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    w.write_record(HEADER).map_err(|e| io(&e))?;
    for row in rows(view) {
        w.write_record(row.iter().map(|c| safe_cell(c).into_owned()))
            .map_err(|e| io(&e))?;
    }
    w.into_inner().map_err(|e| io(&e))
}

/// The view as an XLSX workbook, formula-safe.
pub fn view_xlsx(view: &SubjectView) -> ServiceResult<Vec<u8>> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("信用信息").map_err(|e| io(&e))?;
    let bold = rust_xlsxwriter::Format::new().set_bold();
    for (c, title) in HEADER.iter().enumerate() {
        sheet
            .write_string_with_format(0, c as u16, *title, &bold)
            .map_err(|e| io(&e))?;
    }
    for (r, row) in rows(view).iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            sheet
                .write_string(r as u32 + 1, c as u16, safe_cell(cell))
                .map_err(|e| io(&e))?;
        }
    }
    book.save_to_buffer().map_err(|e| io(&e))
}
