//! Batch upload of loans (批量导入获贷明细): a CSV (UTF-8 or GBK) or XLSX file, one loan per
//! row, applied ALL OR NOTHING. Every row is checked first; any bad row means nothing is
//! written and the answer lists every problem with its row number and code. A row repeating a
//! contract already recorded with the same values is unchanged (a retried upload is harmless).

use super::{Names, NewLoan, Prepared, Written, check_values, invalid, view, write_in};
use crate::collect::{check_zip, xlsx_cell_text};
use crate::error::{ServiceError, ServiceResult};
use crate::identity::Principal;
use crate::objections::today;
use crate::platform::Platform;
use crate::trail::{self, TrailEntry};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use xinrong_core::finance::loan::{Flags, LoanView};
use xinrong_core::ids;
use xinrong_core::money::Fen;
use xinrong_core::money::parse_rate_percent;
use xinrong_core::role::Role;
use xinrong_store::StoreError;
use xinrong_store::repo::enterprises;

/// Largest file accepted.
pub const MAX_FILE_BYTES: usize = 10 * 1024 * 1024;
/// Most rows in one file.
pub const MAX_ROWS: usize = 5_000;

/// The columns: key, Chinese header, required, example value.
pub const COLUMNS: [(&str, &str, bool, &str); 12] = [
    (
        "subject_uscc",
        "统一社会信用代码",
        true,
        "91410100MA0000001X",
    ),
    ("contract_no", "合同编号", true, "HT-2026-0001"),
    ("amount_yuan", "放款金额（元）", true, "1000000.00"),
    ("rate_percent", "年利率（%）", true, "3.85"),
    ("term_months", "期限（月）", true, "12"),
    ("guarantee", "担保方式", true, "信用"),
    ("pure_credit", "纯信用", false, "是"),
    ("first_loan", "首贷", false, "是"),
    ("renewal", "续贷", false, "否"),
    ("no_principal_renewal", "无还本续贷", false, "否"),
    ("disbursed_on", "放款日期", true, "2026-11-20"),
    ("application_id", "融资申请编号", false, ""),
];

/// A file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileFormat {
    Csv,
    Xlsx,
}

impl FileFormat {
    pub fn parse(text: &str) -> ServiceResult<FileFormat> {
        match text.trim().to_ascii_lowercase().as_str() {
            "" | "csv" => Ok(FileFormat::Csv),
            "xlsx" => Ok(FileFormat::Xlsx),
            other => Err(ServiceError::invalid(
                "loan.batch_format",
                format!("不支持的文件格式：{other}（csv 或 xlsx）"),
            )),
        }
    }

    /// From a file name's extension (CSV unless it ends in .xlsx).
    pub fn of_filename(name: &str) -> FileFormat {
        if name.to_ascii_lowercase().ends_with(".xlsx") {
            FileFormat::Xlsx
        } else {
            FileFormat::Csv
        }
    }
}

/// One problem with one row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowError {
    /// The row number in the file (the header is row 1).
    pub row: usize,
    /// The column key, empty when the problem is the whole row.
    pub field: String,
    pub code: String,
    pub message: String,
}

/// What an upload did.
#[derive(Debug, Clone, Serialize)]
pub struct BatchReport {
    /// True when the rows were written (all of them); false when refused (none of them).
    pub applied: bool,
    pub batch_id: Option<String>,
    /// Data rows read.
    pub received: usize,
    /// New loans written.
    pub created: usize,
    /// Rows repeating a loan already recorded with the same values.
    pub unchanged: usize,
    /// Every problem; empty when applied.
    pub errors: Vec<RowError>,
    /// The loans written or found, in file order (when applied).
    pub loans: Vec<LoanView>,
}

/// The template: the Chinese header and one example row.
pub fn template_csv() -> String {
    let header: Vec<&str> = COLUMNS.iter().map(|c| c.1).collect();
    let example: Vec<&str> = COLUMNS.iter().map(|c| c.3).collect();
    format!("\u{feff}{}\r\n{}\r\n", header.join(","), example.join(","))
}

fn file_error(message: impl Into<String>) -> ServiceError {
    ServiceError::invalid("loan.batch_file", message)
}

/// Rows of cells with their row numbers; the first is the header.
fn read_csv(bytes: &[u8]) -> ServiceResult<Vec<(usize, Vec<String>)>> {
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t.to_owned(),
        Err(_) => {
            let (decoded, _, bad) = encoding_rs::GB18030.decode(bytes);
            if bad {
                return Err(file_error("文件编码无法识别（请使用 UTF-8 或 GBK）"));
            }
            decoded.into_owned()
        }
    };
    let text = text.trim_start_matches('\u{feff}');
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(false)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            file_error(format!("第 {line} 行无法解析：{e}"))
        })?;
        let line = record.position().map_or(0, |p| p.line() as usize);
        rows.push((line, record.iter().map(str::to_owned).collect()));
        if rows.len() > MAX_ROWS + 1 {
            return Err(file_error(format!("一次最多导入 {MAX_ROWS} 行")));
        }
    }
    Ok(rows)
}

fn read_xlsx(bytes: &[u8]) -> ServiceResult<Vec<(usize, Vec<String>)>> {
    use calamine::{Reader, ReaderRef, Xlsx};
    let bad = |e: &dyn std::fmt::Display| file_error(format!("XLSX 文件无法读取：{e}"));
    let mut file = std::io::Cursor::new(bytes);
    check_zip(&mut file)?;
    let mut workbook: Xlsx<_> = Xlsx::new(file).map_err(|e| bad(&e))?;
    let sheet = workbook
        .sheet_names()
        .first()
        .cloned()
        .ok_or_else(|| file_error("XLSX 文件中没有工作表"))?;
    let range = workbook.worksheet_range_ref(&sheet).map_err(|e| bad(&e))?;
    let start_row = range.start().map_or(0, |(r, _)| r as usize);
    let start_col = range.start().map_or(0, |(_, c)| c as usize);
    let mut rows = Vec::new();
    for (i, row) in range.rows().enumerate() {
        let mut cells: Vec<String> = vec![String::new(); start_col];
        cells.extend(row.iter().map(xlsx_cell_text));
        rows.push((start_row + i + 1, cells));
        if rows.len() > MAX_ROWS + 1 {
            return Err(file_error(format!("一次最多导入 {MAX_ROWS} 行")));
        }
    }
    Ok(rows)
}

fn parse_bool(text: &str) -> Option<bool> {
    match text.trim().to_ascii_lowercase().as_str() {
        "" | "否" | "n" | "no" | "false" | "0" => Some(false),
        "是" | "y" | "yes" | "true" | "1" => Some(true),
        _ => None,
    }
}

/// Reads one data row into a recording, or the problems with its cells.
fn parse_row(row: usize, cells: &HashMap<&'static str, String>) -> Result<NewLoan, Vec<RowError>> {
    let mut errors = Vec::new();
    let mut err = |field: &str, code: &str, message: String| {
        errors.push(RowError {
            row,
            field: field.to_owned(),
            code: code.to_owned(),
            message,
        });
    };
    let get = |k: &str| {
        cells
            .get(k)
            .map(|s| s.trim().to_owned())
            .unwrap_or_default()
    };
    for (key, label, required, _) in COLUMNS {
        if required && get(key).is_empty() {
            err(key, "loan.batch_missing", format!("缺少“{label}”"));
        }
    }
    let amount_text = get("amount_yuan");
    let amount_fen = match Fen::parse_yuan(&amount_text.replace(',', "")) {
        Some(f) => f.0,
        None if amount_text.is_empty() => 0,
        None => {
            err(
                "amount_yuan",
                "loan.amount",
                format!("放款金额“{amount_text}”不是以元为单位、最多两位小数的数字"),
            );
            0
        }
    };
    let rate_text = get("rate_percent");
    let rate_bp = match parse_rate_percent(&rate_text) {
        Some(r) => r,
        None if rate_text.is_empty() => 0,
        None => {
            err(
                "rate_percent",
                "loan.rate",
                format!("年利率“{rate_text}”须为百分数，最多两位小数（如 3.85）"),
            );
            0
        }
    };
    let term_text = get("term_months");
    let term_months = match term_text.parse::<i64>() {
        Ok(t) => t,
        Err(_) if term_text.is_empty() => 0,
        Err(_) => {
            err(
                "term_months",
                "loan.term",
                format!("期限“{term_text}”须为整数月数"),
            );
            0
        }
    };
    let date_text = get("disbursed_on");
    let disbursed_on = if date_text.is_empty() {
        None
    } else {
        let normalized = date_text.replace(['/', '.'], "-");
        match NaiveDate::parse_from_str(&normalized, "%Y-%m-%d") {
            Ok(d) => Some(d),
            Err(_) => {
                err(
                    "disbursed_on",
                    "loan.disbursed_on",
                    format!("放款日期“{date_text}”须为 YYYY-MM-DD"),
                );
                None
            }
        }
    };
    let mut flag = |key: &str| -> bool {
        let text = get(key);
        parse_bool(&text).unwrap_or_else(|| {
            err(key, "loan.batch_flag", format!("“{text}”须为 是 或 否"));
            false
        })
    };
    let flags = Flags {
        pure_credit: flag("pure_credit"),
        first_loan: flag("first_loan"),
        renewal: flag("renewal"),
        no_principal_renewal: flag("no_principal_renewal"),
    };
    let application_id = Some(get("application_id")).filter(|a| !a.is_empty());
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(NewLoan {
        subject: get("subject_uscc"),
        contract_no: get("contract_no"),
        amount_fen,
        rate_bp,
        term_months,
        guarantee: get("guarantee"),
        flags,
        disbursed_on,
        application_id,
    })
}

/// The column a rule's code is about.
fn field_of(code: &str) -> &'static str {
    match code {
        "loan.amount" => "amount_yuan",
        "loan.rate" => "rate_percent",
        "loan.term" => "term_months",
        "loan.guarantee" => "guarantee",
        "loan.pure_credit" => "pure_credit",
        "loan.renewal" => "no_principal_renewal",
        "loan.first_loan" => "first_loan",
        "loan.disbursed_on" => "disbursed_on",
        "loan.contract_no" => "contract_no",
        _ => "",
    }
}

/// Maps header cells to column keys (by key or Chinese header); unknown headers are refused.
fn map_header(header: &[String]) -> ServiceResult<Vec<Option<&'static str>>> {
    let mut seen = HashSet::new();
    let mut keys = Vec::new();
    for cell in header {
        let c = cell.trim().trim_start_matches('\u{feff}');
        if c.is_empty() {
            keys.push(None);
            continue;
        }
        let key = COLUMNS
            .iter()
            .find(|(k, label, _, _)| *k == c || *label == c)
            .map(|(k, _, _, _)| *k)
            .ok_or_else(|| {
                ServiceError::invalid(
                    "loan.batch_header",
                    format!("表头“{c}”不是获贷明细模板中的列（请下载模板）"),
                )
            })?;
        if !seen.insert(key) {
            return Err(ServiceError::invalid(
                "loan.batch_header",
                format!("表头“{c}”重复"),
            ));
        }
        keys.push(Some(key));
    }
    for (key, label, required, _) in COLUMNS {
        if required && !seen.contains(key) {
            return Err(ServiceError::invalid(
                "loan.batch_header",
                format!("缺少必填列“{label}”"),
            ));
        }
    }
    Ok(keys)
}

/// The institution uploads a file of loans: all rows are written, or none (see the module).
/// File-level problems (unreadable, bad header, empty) are errors; row problems are the
/// report's `errors` with `applied` false.
pub async fn import(
    platform: &Platform,
    p: &Principal,
    format: FileFormat,
    bytes: &[u8],
) -> ServiceResult<BatchReport> {
    p.require(&[Role::Institution])?;
    if bytes.len() > MAX_FILE_BYTES {
        return Err(file_error("文件超过 10 MiB"));
    }
    let rows = match format {
        FileFormat::Csv => read_csv(bytes)?,
        FileFormat::Xlsx => read_xlsx(bytes)?,
    };
    let mut rows = rows.into_iter();
    let Some((_, header)) = rows.next() else {
        return Err(file_error("文件是空的"));
    };
    let keys = map_header(&header)?;
    let conn = &platform.db.conn;
    let day = today(platform);
    let mut errors: Vec<RowError> = Vec::new();
    let mut prepared: Vec<(usize, Prepared)> = Vec::new();
    let mut contracts: HashMap<String, usize> = HashMap::new();
    let mut regions: HashMap<String, Option<String>> = HashMap::new();
    let mut received = 0;
    for (row, cells) in rows {
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        received += 1;
        let mut map = HashMap::new();
        for (i, cell) in cells.into_iter().enumerate() {
            if let Some(Some(key)) = keys.get(i) {
                map.insert(*key, cell);
            }
        }
        let new = match parse_row(row, &map) {
            Ok(n) => n,
            Err(mut e) => {
                errors.append(&mut e);
                continue;
            }
        };
        let row_err = |e: ServiceError| RowError {
            row,
            field: field_of(e.code()).to_owned(),
            code: e.code().to_owned(),
            message: e.public_message(),
        };
        let (guarantee, disbursed_on, maturity_on) = match check_values(&new, day) {
            Ok(v) => v,
            Err(e) => {
                errors.push(row_err(invalid(e)));
                continue;
            }
        };
        let subject = new.subject.trim().to_uppercase();
        if !regions.contains_key(&subject) {
            let region = enterprises::get(conn, &subject)
                .await?
                .map(|e| e.region_code);
            regions.insert(subject.clone(), region);
        }
        let Some(Some(region_code)) = regions.get(&subject).cloned() else {
            errors.push(RowError {
                row,
                field: "subject_uscc".into(),
                code: "loan.subject_unknown".into(),
                message: format!("借款企业 {subject} 不在平台企业名录中"),
            });
            continue;
        };
        let contract_no = new.contract_no.trim().to_owned();
        if let Some(first) = contracts.insert(contract_no.clone(), row) {
            errors.push(RowError {
                row,
                field: "contract_no".into(),
                code: "loan.batch_duplicate".into(),
                message: format!("合同编号 {contract_no} 与第 {first} 行重复"),
            });
            continue;
        }
        let mut product_id = None;
        if let Some(app_id) = &new.application_id {
            match xinrong_store::repo::applications::get(conn, app_id).await? {
                Some(app) if app.institution_org_id == p.org_id && app.subject == subject => {
                    product_id = Some(app.product_id);
                }
                _ => {
                    errors.push(RowError {
                        row,
                        field: "application_id".into(),
                        code: "loan.application".into(),
                        message: "融资申请不存在，或不是本机构收到的该企业的申请".into(),
                    });
                    continue;
                }
            }
        }
        prepared.push((
            row,
            Prepared {
                subject,
                region_code,
                contract_no,
                amount_fen: new.amount_fen,
                rate_bp: new.rate_bp,
                term_months: new.term_months,
                guarantee,
                flags: new.flags,
                disbursed_on,
                maturity_on,
                application_id: new.application_id.clone(),
                product_id,
            },
        ));
    }
    if received == 0 && errors.is_empty() {
        return Err(file_error("文件中没有数据行"));
    }
    let refused = |errors: Vec<RowError>| BatchReport {
        applied: false,
        batch_id: None,
        received,
        created: 0,
        unchanged: 0,
        errors,
        loans: Vec::new(),
    };
    if !errors.is_empty() {
        errors.sort_by_key(|e| e.row);
        return Ok(refused(errors));
    }
    let batch_id = ids::new_id().to_string();
    let txn = platform.db.begin().await?;
    let mut written = Vec::new();
    let mut created = 0;
    let mut total_fen = 0i64;
    for (row, prep) in &prepared {
        match write_in(&txn, platform, p, prep, Some(&batch_id)).await {
            Ok(Written::Created(r)) => {
                created += 1;
                total_fen += r.amount_fen;
                written.push(r);
            }
            Ok(Written::Existing(r)) => written.push(r),
            Err(e @ (ServiceError::Invalid { .. } | ServiceError::NotFound(_)))
            | Err(e @ ServiceError::Store(StoreError::Conflict(_))) => {
                drop(txn);
                return Ok(refused(vec![RowError {
                    row: *row,
                    field: String::new(),
                    code: e.code().to_owned(),
                    message: e.public_message(),
                }]));
            }
            Err(e) => return Err(e),
        }
    }
    let unchanged = written.len() - created;
    if created > 0 {
        let ids: Vec<&str> = written
            .iter()
            .filter(|r| r.batch_id.as_deref() == Some(batch_id.as_str()))
            .map(|r| r.id.as_str())
            .collect();
        trail::append(
            &txn,
            platform,
            TrailEntry {
                kind: "loan.batch_recorded",
                ref_id: &batch_id,
                subject: None,
                actor_user_id: Some(&p.user_id),
                actor_org_id: Some(&p.org_id),
                body: serde_json::json!({
                    "format": match format { FileFormat::Csv => "csv", FileFormat::Xlsx => "xlsx" },
                    "received": received,
                    "created": created,
                    "unchanged": unchanged,
                    "amount_fen": total_fen,
                    "loan_ids": ids,
                }),
            },
        )
        .await?;
    }
    txn.commit().await.map_err(StoreError::from)?;
    let mut names = Names::default();
    let mut loans = Vec::with_capacity(written.len());
    for r in written {
        loans.push(view(conn, &mut names, r).await?);
    }
    Ok(BatchReport {
        applied: true,
        batch_id: (created > 0).then_some(batch_id),
        received,
        created,
        unchanged,
        errors: Vec::new(),
        loans,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_template_has_every_column_and_reads_back() {
        let t = template_csv();
        let rows = read_csv(t.as_bytes()).unwrap();
        assert_eq!(rows.len(), 2);
        let keys = map_header(&rows[0].1).unwrap();
        assert_eq!(keys.len(), COLUMNS.len());
        let map: HashMap<&'static str, String> = keys
            .into_iter()
            .zip(rows[1].1.clone())
            .filter_map(|(k, v)| k.map(|k| (k, v)))
            .collect();
        let n = parse_row(2, &map).unwrap();
        assert_eq!(n.amount_fen, 100_000_000);
        assert_eq!(n.rate_bp, 385);
        assert!(n.flags.pure_credit && n.flags.first_loan);
    }

    #[test]
    fn bad_cells_are_reported_with_their_row() {
        let mut map: HashMap<&'static str, String> = HashMap::new();
        map.insert("subject_uscc", "X".into());
        map.insert("amount_yuan", "-1.234".into());
        map.insert("pure_credit", "maybe".into());
        let errs = parse_row(7, &map).unwrap_err();
        assert!(errs.iter().all(|e| e.row == 7));
        assert!(errs.iter().any(|e| e.code == "loan.amount"));
        assert!(errs.iter().any(|e| e.code == "loan.batch_flag"));
        assert!(errs.iter().any(|e| e.code == "loan.batch_missing"));
    }

    #[test]
    fn unknown_headers_are_refused() {
        let h = vec!["统一社会信用代码".to_owned(), "colour".to_owned()];
        assert_eq!(map_header(&h).unwrap_err().code(), "loan.batch_header");
    }
}
