//! `xinrong export enterprises`: the enterprise list as CSV, streamed in USCC order.

use super::region_prefix;
use crate::error::{ServiceError, ServiceResult};
use crate::platform::Platform;
use std::io::Write;
use xinrong_core::codes::region::regions;
use xinrong_core::export::safe_cell;
use xinrong_store::repo::enterprises::{self, EnterpriseFilter};

pub const EXPORT_HEADER: [&str; 9] = [
    "uscc",
    "name",
    "region_code",
    "industry_code",
    "established",
    "size_class",
    "employees",
    "registered_capital_fen",
    "legal_rep_name",
];

/// Rows fetched per query while streaming.
const BATCH: u64 = 5_000;

/// Writes every enterprise (optionally under one region) as CSV with a header row; returns the
/// number of rows. Personal ID numbers are not exported.
pub async fn export_csv(
    platform: &Platform,
    region: Option<&str>,
    out: impl Write,
) -> ServiceResult<u64> {
    let mut filter = EnterpriseFilter::default();
    if let Some(code) = region {
        if regions().get(code).is_none() {
            return Err(ServiceError::invalid(
                "region.unknown",
                format!("未知行政区划代码：{code}"),
            ));
        }
        filter.region_prefixes = Some(vec![region_prefix(code)]);
    }
    let mut writer = csv::Writer::from_writer(out);
    let io_err = |e: csv::Error| ServiceError::invalid("export.io", format!("写出失败：{e}"));
    writer.write_record(EXPORT_HEADER).map_err(io_err)?;
    let mut after: Option<String> = None;
    let mut count = 0u64;
    loop {
        let rows =
            enterprises::scan_after(&platform.db.conn, &filter, after.as_deref(), BATCH).await?;
        let Some(last) = rows.last() else { break };
        after = Some(last.uscc.clone());
        for row in rows {
            let cells = [
                row.uscc,
                row.name,
                row.region_code,
                row.industry_code,
                row.established.to_string(),
                row.size_class,
                row.employees.to_string(),
                row.registered_capital_fen.to_string(),
                row.legal_rep_name,
            ];
            writer
                .write_record(cells.iter().map(|c| safe_cell(c).into_owned()))
                .map_err(io_err)?;
            count += 1;
        }
    }
    writer
        .flush()
        .map_err(|e| ServiceError::invalid("export.io", format!("写出失败：{e}")))?;
    Ok(count)
}
