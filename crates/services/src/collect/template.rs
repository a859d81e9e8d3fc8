//! Upload templates (报送模板) per item: what a provider's clerk fills in.

use super::decode::Format;
use crate::error::{ServiceError, ServiceResult};
use xinrong_core::catalog::{CodeTable, Field, FieldType, Item, Sensitivity};

fn example(field: &Field) -> &'static str {
    match (field.code_table, field.field_type) {
        (Some(CodeTable::Uscc), _) => "914403001922038216",
        (Some(CodeTable::ResidentId), _) => "11010519491231002X",
        (Some(CodeTable::Region), _) => "410105",
        (Some(CodeTable::Industry), _) => "52",
        (_, FieldType::Date) => "2024-01-31",
        (_, FieldType::Month) => "2024-01",
        (_, FieldType::Decimal) => "1000.00",
        (_, FieldType::Integer) => "10",
        (_, FieldType::Boolean) => "是",
        _ => "示例",
    }
}

fn type_label(t: FieldType) -> &'static str {
    match t {
        FieldType::String => "文本",
        FieldType::Date => "日期 YYYY-MM-DD",
        FieldType::Month => "年月 YYYY-MM",
        FieldType::Decimal => "数值（金额为元，不得为负）",
        FieldType::Integer => "整数",
        FieldType::Boolean => "是/否",
        FieldType::Enum => "选项",
        FieldType::Code => "代码",
        FieldType::Object | FieldType::Array => "JSON 或文本",
    }
}

fn sensitivity_label(s: Sensitivity) -> &'static str {
    s.label_zh()
}

/// The template of an item as file bytes: CSV (the header row) or XLSX (a data sheet whose
/// header cells carry notes, and an instructions sheet with every field and an example row).
pub fn template(item_key: &str, format: Format) -> ServiceResult<Vec<u8>> {
    let item = crate::catalog::current().item(item_key).ok_or_else(|| {
        ServiceError::invalid(
            "catalog.unknown_item",
            format!("目录中没有信息项 {item_key}"),
        )
    })?;
    match format {
        Format::Csv => {
            let mut out = Vec::new();
            {
                let mut w = csv::Writer::from_writer(&mut out);
                w.write_record(item.fields.iter().map(|f| f.label.as_str()))
                    .map_err(io)?;
                w.flush().map_err(|e| io(e.into()))?;
            }
            Ok(out)
        }
        Format::Xlsx => xlsx(item)
            .map_err(|e| ServiceError::invalid("collect.template", format!("模板生成失败：{e}"))),
        Format::Jsonl => Err(ServiceError::invalid(
            "collect.template",
            "模板只提供 xlsx 与 csv 格式",
        )),
    }
}

fn io(e: csv::Error) -> ServiceError {
    ServiceError::invalid("collect.template", format!("模板生成失败：{e}"))
}

fn xlsx(item: &Item) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format as Style, Note, Workbook};
    let mut book = Workbook::new();
    let bold = Style::new().set_bold();
    let data = book.add_worksheet().set_name("数据")?;
    for (col, field) in item.fields.iter().enumerate() {
        let col = col as u16;
        data.write_string_with_format(0, col, &field.label, &bold)?;
        let note = format!(
            "{}（{}）{}{}",
            type_label(field.field_type),
            field.key,
            if field.required { "，必填" } else { "" },
            field
                .note
                .as_deref()
                .map(|n| format!("。{n}"))
                .unwrap_or_default()
        );
        data.insert_note(0, col, &Note::new(note).set_author("信融"))?;
        data.set_column_width(col, 18)?;
    }
    let help = book.add_worksheet().set_name("填写说明")?;
    help.write_string_with_format(0, 0, format!("{}（{}）", item.label, item.key), &bold)?;
    for (col, title) in ["字段", "键", "类型", "必填", "分级", "示例", "说明"]
        .iter()
        .enumerate()
    {
        help.write_string_with_format(2, col as u16, *title, &bold)?;
    }
    for (i, field) in item.fields.iter().enumerate() {
        let row = 3 + i as u32;
        help.write_string(row, 0, &field.label)?;
        help.write_string(row, 1, &field.key)?;
        help.write_string(row, 2, type_label(field.field_type))?;
        help.write_string(row, 3, if field.required { "是" } else { "否" })?;
        help.write_string(row, 4, sensitivity_label(field.sensitivity))?;
        help.write_string(row, 5, example(field))?;
        help.write_string(row, 6, field.note.as_deref().unwrap_or(""))?;
    }
    book.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::collect::decode::{Encoding, read_rows};

    /// The field keys of every data row a file yields through the upload path.
    fn rows_of(bytes: &[u8], format: Format) -> Vec<Vec<String>> {
        let item = crate::catalog::current().item("tax.tax_arrears").unwrap();
        let path = std::env::temp_dir().join(format!("xr-template-{}", uuid::Uuid::new_v4()));
        std::fs::write(&path, bytes).unwrap();
        let mut rows = Vec::new();
        let result = read_rows(
            &path,
            format,
            Encoding::Auto,
            item,
            Default::default(),
            &mut |row| {
                rows.push(row.cells.iter().map(|(f, _)| f.key.clone()).collect());
                std::ops::ControlFlow::Continue(())
            },
        );
        std::fs::remove_file(&path).unwrap();
        result.expect("the template's header maps to the item");
        rows
    }

    #[test]
    fn templates_read_back_as_the_items_header() {
        let item = crate::catalog::current().item("tax.tax_arrears").unwrap();
        let keys: Vec<String> = item.fields.iter().map(|f| f.key.clone()).collect();
        let mut csv = template("tax.tax_arrears", Format::Csv).unwrap();
        assert!(rows_of(&csv, Format::Csv).is_empty());
        csv.extend_from_slice(vec!["x"; keys.len()].join(",").as_bytes());
        assert_eq!(rows_of(&csv, Format::Csv), [keys]);
        let xlsx = template("tax.tax_arrears", Format::Xlsx).unwrap();
        assert!(
            rows_of(&xlsx, Format::Xlsx).is_empty(),
            "the data sheet has no example row to be uploaded by mistake"
        );
        assert_eq!(
            template("nope.nope", Format::Csv).unwrap_err().code(),
            "catalog.unknown_item"
        );
    }
}
