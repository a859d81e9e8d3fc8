//! 接口调用 connectors: how the platform calls a provider's query API, one per provider.

use super::{col, create_table, id_col};
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[sea_orm_migration::async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                create_table(manager, "connectors")
                    .col(id_col("org_id").primary_key())
                    .col(col("base_url").string_len(500).not_null())
                    .col(col("timeout_ms").integer().not_null())
                    .col(col("retries").integer().not_null())
                    .col(col("max_concurrency").integer().not_null())
                    .col(col("rate_per_minute").integer().not_null())
                    .col(col("cache_ttl_seconds").integer().not_null())
                    .col(col("breaker_threshold").integer().not_null())
                    .col(col("breaker_cooldown_seconds").integer().not_null())
                    .col(col("enabled").boolean().not_null())
                    .col(col("updated_at").date_time().not_null())
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Alias::new("connectors")).to_owned())
            .await
    }
}
