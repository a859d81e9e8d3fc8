//! 接口调用配置 (connectors): where a provider's query API is and how the platform calls it —
//! one per provider, set by the operator — and the one HTTP call to it.

use crate::error::{ServiceError, ServiceResult};
use crate::platform::Platform;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::time::Duration;
use xinrong_core::role::Role;
use xinrong_store::repo::connectors::{self, ConnectorRow};
use xinrong_store::repo::organizations;

/// A connector's settings as the operator sets them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConnectorSettings {
    /// Base URL of the provider's query API; the platform calls
    /// `GET {base_url}/items/{item_key}?subject=…`.
    pub base_url: String,
    /// Per-attempt timeout, 50–60,000 ms.
    pub timeout_ms: u32,
    /// Further attempts after a failed one, 0–5 (queries are GET, hence idempotent).
    pub retries: u32,
    /// Calls in flight at once, 1–1,000.
    pub max_concurrency: u32,
    /// Calls per minute, 1–100,000.
    pub rate_per_minute: u32,
    /// How long an answer is reused, 0–3,600 s (0 = never).
    pub cache_ttl_seconds: u32,
    /// Consecutive failures that open the breaker, 1–100.
    pub breaker_threshold: u32,
    /// How long an open breaker refuses calls, 1–3,600 s.
    pub breaker_cooldown_seconds: u32,
    pub enabled: bool,
}

impl ConnectorSettings {
    /// The defaults for a new connector at `base_url`.
    pub fn new(base_url: impl Into<String>) -> Self {
        ConnectorSettings {
            base_url: base_url.into(),
            timeout_ms: 3_000,
            retries: 2,
            max_concurrency: 8,
            rate_per_minute: 600,
            cache_ttl_seconds: 60,
            breaker_threshold: 5,
            breaker_cooldown_seconds: 30,
            enabled: true,
        }
    }

    fn of_row(row: &ConnectorRow) -> Self {
        let n = |v: i32| u32::try_from(v).unwrap_or(0);
        ConnectorSettings {
            base_url: row.base_url.clone(),
            timeout_ms: n(row.timeout_ms),
            retries: n(row.retries),
            max_concurrency: n(row.max_concurrency),
            rate_per_minute: n(row.rate_per_minute),
            cache_ttl_seconds: n(row.cache_ttl_seconds),
            breaker_threshold: n(row.breaker_threshold),
            breaker_cooldown_seconds: n(row.breaker_cooldown_seconds),
            enabled: row.enabled,
        }
    }

    /// Refuses settings outside their ranges, naming the setting.
    pub fn check(&self) -> ServiceResult<()> {
        let url = reqwest::Url::parse(self.base_url.trim()).map_err(|_| {
            ServiceError::invalid(
                "connector.base_url",
                format!("接口地址“{}”不是有效的网址", self.base_url),
            )
        })?;
        if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
            return Err(ServiceError::invalid(
                "connector.base_url",
                "接口地址须以 http:// 或 https:// 开头并含主机名",
            ));
        }
        let ranges: [(&str, &str, u32, u32, u32); 7] = [
            ("timeout_ms", "超时（毫秒）", self.timeout_ms, 50, 60_000),
            ("retries", "重试次数", self.retries, 0, 5),
            (
                "max_concurrency",
                "并发上限",
                self.max_concurrency,
                1,
                1_000,
            ),
            (
                "rate_per_minute",
                "每分钟调用上限",
                self.rate_per_minute,
                1,
                100_000,
            ),
            (
                "cache_ttl_seconds",
                "缓存时长（秒）",
                self.cache_ttl_seconds,
                0,
                3_600,
            ),
            (
                "breaker_threshold",
                "熔断阈值",
                self.breaker_threshold,
                1,
                100,
            ),
            (
                "breaker_cooldown_seconds",
                "熔断冷却（秒）",
                self.breaker_cooldown_seconds,
                1,
                3_600,
            ),
        ];
        for (key, label, value, min, max) in ranges {
            if !(min..=max).contains(&value) {
                return Err(ServiceError::invalid(
                    "connector.range",
                    format!("{label}（{key}）应在 {min}–{max} 之间，收到 {value}"),
                ));
            }
        }
        Ok(())
    }
}

/// A change to a connector: absent fields keep their value (or the default for a new one).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct ConnectorChange {
    pub base_url: Option<String>,
    pub timeout_ms: Option<u32>,
    pub retries: Option<u32>,
    pub max_concurrency: Option<u32>,
    pub rate_per_minute: Option<u32>,
    pub cache_ttl_seconds: Option<u32>,
    pub breaker_threshold: Option<u32>,
    pub breaker_cooldown_seconds: Option<u32>,
    pub enabled: Option<bool>,
}

impl ConnectorChange {
    fn apply(self, mut s: ConnectorSettings) -> ConnectorSettings {
        if let Some(v) = self.base_url {
            s.base_url = v.trim().to_owned();
        }
        macro_rules! take {
            ($($f:ident),*) => { $( if let Some(v) = self.$f { s.$f = v; } )* };
        }
        take!(
            timeout_ms,
            retries,
            max_concurrency,
            rate_per_minute,
            cache_ttl_seconds,
            breaker_threshold,
            breaker_cooldown_seconds,
            enabled
        );
        s
    }
}

/// A provider's connector with its live state.
#[derive(Debug, Clone, Serialize)]
pub struct Connector {
    pub org_id: String,
    pub org_name: String,
    #[serde(flatten)]
    pub settings: ConnectorSettings,
    pub updated_at: chrono::NaiveDateTime,
    pub live: super::registry::LiveState,
}

/// Creates or changes the connector of provider `org_id` (operator, API or CLI).
pub async fn set_connector(
    platform: &Platform,
    org_id: &str,
    change: ConnectorChange,
) -> ServiceResult<Connector> {
    let org = organizations::get(&platform.db.conn, org_id)
        .await?
        .ok_or(ServiceError::NotFound("机构"))?;
    if org.kind != Role::Provider.code() {
        return Err(ServiceError::invalid(
            "connector.not_provider",
            format!("{} 不是数据提供单位，不能配置数据源接口", org.name),
        ));
    }
    let existing = connectors::get(&platform.db.conn, org_id).await?;
    let base = match &existing {
        Some(row) => ConnectorSettings::of_row(row),
        None => ConnectorSettings::new(change.base_url.clone().ok_or_else(|| {
            ServiceError::invalid("connector.base_url", "新建数据源接口须填写接口地址")
        })?),
    };
    let settings = change.apply(base);
    settings.check()?;
    let i = |v: u32| i32::try_from(v).unwrap_or(i32::MAX);
    let row = ConnectorRow {
        org_id: org_id.to_owned(),
        base_url: settings.base_url.trim().trim_end_matches('/').to_owned(),
        timeout_ms: i(settings.timeout_ms),
        retries: i(settings.retries),
        max_concurrency: i(settings.max_concurrency),
        rate_per_minute: i(settings.rate_per_minute),
        cache_ttl_seconds: i(settings.cache_ttl_seconds),
        breaker_threshold: i(settings.breaker_threshold),
        breaker_cooldown_seconds: i(settings.breaker_cooldown_seconds),
        enabled: settings.enabled,
        updated_at: platform.clock.now_naive(),
    };
    connectors::upsert(&platform.db.conn, row.clone()).await?;
    Ok(view(platform, row, org.name))
}

fn view(platform: &Platform, row: ConnectorRow, org_name: String) -> Connector {
    let live = platform.pull.live(&row, platform.clock.now());
    Connector {
        org_id: row.org_id.clone(),
        org_name,
        settings: ConnectorSettings::of_row(&row),
        updated_at: row.updated_at,
        live,
    }
}

/// Every connector with its provider's name and live state (breaker, calls, cache hits).
pub async fn list_connectors(platform: &Platform) -> ServiceResult<Vec<Connector>> {
    let rows = connectors::list(&platform.db.conn).await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let name = organizations::get(&platform.db.conn, &row.org_id)
            .await?
            .map(|o| o.name)
            .unwrap_or_default();
        out.push(view(platform, row, name));
    }
    out.sort_by(|a, b| a.org_name.cmp(&b.org_name));
    Ok(out)
}

/// One provider's connector.
pub async fn get_connector(platform: &Platform, org_id: &str) -> ServiceResult<Connector> {
    let row = connectors::get(&platform.db.conn, org_id)
        .await?
        .ok_or(ServiceError::NotFound("数据源接口"))?;
    let name = organizations::get(&platform.db.conn, org_id)
        .await?
        .map(|o| o.name)
        .unwrap_or_default();
    Ok(view(platform, row, name))
}

/// Why one call to a provider failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum CallFailure {
    Timeout,
    /// No connection (refused, reset, DNS).
    Connect,
    /// The provider answered with this HTTP status.
    Status(u16),
    /// The provider answered 200 with a body that is not `{"rows": [...]}`.
    BadBody,
}

impl CallFailure {
    /// Worth another attempt: the provider may answer next time. A 4xx other than 408/429
    /// would be refused again.
    pub fn retryable(&self) -> bool {
        match self {
            CallFailure::Timeout | CallFailure::Connect | CallFailure::BadBody => true,
            CallFailure::Status(s) => *s >= 500 || *s == 408 || *s == 429,
        }
    }

    /// Whether the failure says the provider is unhealthy (counts towards the breaker).
    pub fn unhealthy(&self) -> bool {
        self.retryable()
    }
}

/// One GET to the provider: the rows it holds about `subject` for `item_key`.
pub(crate) async fn fetch(
    client: &reqwest::Client,
    config: &ConnectorRow,
    item_key: &str,
    subject: &str,
    reader_org_id: &str,
    purpose: Option<&str>,
) -> Result<Vec<Map<String, Value>>, CallFailure> {
    let url = format!("{}/items/{item_key}", config.base_url.trim_end_matches('/'));
    let mut query = vec![("subject", subject), ("reader", reader_org_id)];
    if let Some(p) = purpose {
        query.push(("purpose", p));
    }
    let classify = |e: reqwest::Error| {
        if e.is_timeout() {
            CallFailure::Timeout
        } else if e.is_decode() || e.is_body() {
            CallFailure::BadBody
        } else {
            CallFailure::Connect
        }
    };
    let response = client
        .get(&url)
        .query(&query)
        .timeout(Duration::from_millis(
            u64::try_from(config.timeout_ms).unwrap_or(3_000),
        ))
        .send()
        .await
        .map_err(classify)?;
    let status = response.status().as_u16();
    if status != 200 {
        return Err(CallFailure::Status(status));
    }
    let body: Value = response.json().await.map_err(classify)?;
    match body.get("rows") {
        Some(Value::Array(rows)) => rows
            .iter()
            .map(|r| r.as_object().cloned().ok_or(CallFailure::BadBody))
            .collect(),
        _ => Err(CallFailure::BadBody),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_out_of_range_are_named() {
        let mut s = ConnectorSettings::new("http://127.0.0.1:9100");
        assert!(s.check().is_ok());
        s.retries = 9;
        let err = s.check().unwrap_err();
        assert_eq!(err.code(), "connector.range");
        assert!(err.to_string().contains("重试次数"), "{err}");
        let bad = ConnectorSettings::new("ftp://example.org");
        assert_eq!(bad.check().unwrap_err().code(), "connector.base_url");
        assert_eq!(
            ConnectorSettings::new("not a url")
                .check()
                .unwrap_err()
                .code(),
            "connector.base_url"
        );
    }

    #[test]
    fn a_change_keeps_what_it_does_not_name() {
        let base = ConnectorSettings::new("http://a");
        let changed = ConnectorChange {
            retries: Some(0),
            enabled: Some(false),
            ..ConnectorChange::default()
        }
        .apply(base.clone());
        assert_eq!(changed.retries, 0);
        assert!(!changed.enabled);
        assert_eq!(changed.timeout_ms, base.timeout_ms);
        assert_eq!(changed.base_url, "http://a");
    }

    #[test]
    fn only_transient_failures_are_retried() {
        assert!(CallFailure::Timeout.retryable());
        assert!(CallFailure::Status(503).retryable());
        assert!(CallFailure::Status(429).retryable());
        assert!(!CallFailure::Status(404).retryable());
        assert!(!CallFailure::Status(400).unhealthy());
    }
}
