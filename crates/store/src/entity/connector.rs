//! 接口调用配置 — how the platform calls one provider's query API: where, how long it waits,
//! how often it retries, and the quotas and breaker that protect the provider.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "connectors")]
pub struct Model {
    /// The provider organisation this connector calls.
    #[sea_orm(primary_key, auto_increment = false)]
    pub org_id: String,
    /// Base URL of the provider's query API, e.g. `https://api.example.gov.cn/credit`.
    pub base_url: String,
    /// Per-attempt timeout.
    pub timeout_ms: i32,
    /// Further attempts after a failed one (GET only, with jittered backoff).
    pub retries: i32,
    /// Calls in flight at once.
    pub max_concurrency: i32,
    /// Calls per minute (token bucket).
    pub rate_per_minute: i32,
    /// How long a successful answer is reused; 0 = never.
    pub cache_ttl_seconds: i32,
    /// Consecutive failures that open the breaker.
    pub breaker_threshold: i32,
    /// How long an open breaker refuses calls before letting one probe through.
    pub breaker_cooldown_seconds: i32,
    pub enabled: bool,
    pub updated_at: DateTime,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
