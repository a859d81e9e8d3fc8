//! 反馈数据使用情况 — every read of a provider's data is recorded here, so each provider can see
//! how often its data was used and by which kind of institution.

use crate::{Platform, ServiceError, ServiceResult};
use xinrong_store::repo::data_reads::{self, DataReadRow};

/// The ways data leaves the platform: pulled by an institution, or shown as a record.
pub const CHANNELS: [&str; 2] = ["pull", "record"];

/// One read of one provider's data about one subject.
#[derive(Debug, Clone, Copy)]
pub struct DataRead<'a> {
    pub provider_org_id: &'a str,
    pub item_key: &'a str,
    pub subject: &'a str,
    pub reader_org_id: &'a str,
    /// The reader organisation's role code or institution kind (bank, guarantee, insurance,
    /// credit_agency, …).
    pub reader_kind: &'a str,
    /// `pull` or `record`.
    pub channel: &'a str,
    /// When the data was read, UTC.
    pub at: chrono::NaiveDateTime,
}

/// Stores one read in `data_reads`.
pub async fn record_read(platform: &Platform, read: DataRead<'_>) -> ServiceResult<()> {
    if !CHANNELS.contains(&read.channel) {
        return Err(ServiceError::invalid(
            "quality.channel",
            format!("数据使用渠道“{}”无效，应为 pull 或 record", read.channel),
        ));
    }
    let kind = read.reader_kind.trim();
    if kind.is_empty() || kind.len() > 32 {
        return Err(ServiceError::invalid(
            "quality.reader_kind",
            "使用机构类型不能为空且不超过 32 个字符",
        ));
    }
    data_reads::insert(
        &platform.db.conn,
        DataReadRow {
            id: xinrong_core::ids::new_id().to_string(),
            provider_org_id: read.provider_org_id.to_owned(),
            item_key: read.item_key.to_owned(),
            subject: read.subject.to_owned(),
            reader_org_id: read.reader_org_id.to_owned(),
            reader_kind: kind.to_owned(),
            channel: read.channel.to_owned(),
            created_at: read.at,
        },
    )
    .await?;
    Ok(())
}
