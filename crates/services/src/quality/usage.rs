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
    if crate::catalog::current().item(read.item_key).is_none() {
        return Err(ServiceError::invalid(
            "quality.item",
            format!("信息项“{}”不在信用信息目录中", read.item_key),
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

/// Reads are counted over this many days besides all time.
pub const RECENT_DAYS: i64 = 30;

/// How often data was read by one kind of institution.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct KindReads {
    pub reader_kind: String,
    /// The kind in Chinese (银行, 融资担保机构 …).
    pub label: String,
    pub reads_30d: i64,
    pub reads_total: i64,
}

/// 数据使用情况: reads in the last 30 days and all time, by reader kind (most read first).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Usage {
    pub reads_30d: i64,
    pub reads_total: i64,
    pub by_kind: Vec<KindReads>,
}

/// The Chinese name of a reader kind: an institution kind or a role code.
pub fn reader_kind_label(kind: &str) -> String {
    match kind {
        "bank" => "银行".into(),
        "guarantor" | "guarantee" => "融资担保机构".into(),
        "insurer" | "insurance" => "保险机构".into(),
        "credit_agency" => "征信 / 信用服务机构".into(),
        other => match other.parse::<xinrong_core::role::Role>() {
            Ok(role) => role.label_zh().into(),
            Err(_) => format!("其他（{other}）"),
        },
    }
}

impl Usage {
    /// Adds one (kind, recent, total) count.
    pub(crate) fn add(&mut self, kind: &str, recent: i64, total: i64) {
        self.reads_30d += recent;
        self.reads_total += total;
        match self.by_kind.iter_mut().find(|k| k.reader_kind == kind) {
            Some(k) => {
                k.reads_30d += recent;
                k.reads_total += total;
            }
            None => self.by_kind.push(KindReads {
                reader_kind: kind.to_owned(),
                label: reader_kind_label(kind),
                reads_30d: recent,
                reads_total: total,
            }),
        }
    }

    pub(crate) fn sort(&mut self) {
        self.by_kind.sort_by(|a, b| {
            b.reads_total
                .cmp(&a.reads_total)
                .then_with(|| a.reader_kind.cmp(&b.reader_kind))
        });
    }
}

/// Read counts keyed by (provider, item), of one provider or all, as of `now`.
pub(crate) async fn usage_by_item(
    platform: &Platform,
    provider_org_id: Option<&str>,
    now: chrono::NaiveDateTime,
) -> ServiceResult<std::collections::BTreeMap<(String, String), Usage>> {
    let conn = &platform.db.conn;
    let total = data_reads::counts(conn, provider_org_id, None).await?;
    let recent = data_reads::counts(
        conn,
        provider_org_id,
        Some(now - chrono::Duration::days(RECENT_DAYS)),
    )
    .await?;
    let recent: std::collections::HashMap<(&str, &str, &str), i64> = recent
        .iter()
        .map(|c| {
            (
                (
                    c.provider_org_id.as_str(),
                    c.item_key.as_str(),
                    c.reader_kind.as_str(),
                ),
                c.reads,
            )
        })
        .collect();
    let mut out: std::collections::BTreeMap<(String, String), Usage> = Default::default();
    for row in &total {
        let key = (
            row.provider_org_id.as_str(),
            row.item_key.as_str(),
            row.reader_kind.as_str(),
        );
        let r = recent.get(&key).copied().unwrap_or(0);
        out.entry((row.provider_org_id.clone(), row.item_key.clone()))
            .or_default()
            .add(&row.reader_kind, r, row.reads);
    }
    for usage in out.values_mut() {
        usage.sort();
    }
    Ok(out)
}
