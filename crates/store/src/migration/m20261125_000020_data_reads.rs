//! 数据使用反馈 — one row per read of a provider's data, so providers learn how often and by
//! which kind of institution their data is used.

use super::{col, create_index, create_table, id_col};
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[sea_orm_migration::async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                create_table(manager, "data_reads")
                    .col(id_col("id").primary_key())
                    .col(id_col("provider_org_id"))
                    .col(col("item_key").string_len(120).not_null())
                    .col(col("subject").string_len(32).not_null())
                    .col(id_col("reader_org_id"))
                    .col(col("reader_kind").string_len(32).not_null())
                    .col(col("channel").string_len(16).not_null())
                    .col(col("created_at").date_time().not_null())
                    .to_owned(),
            )
            .await?;
        create_index(
            manager,
            "ix_data_reads_provider",
            "data_reads",
            &["provider_org_id", "created_at"],
            false,
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Alias::new("data_reads")).to_owned())
            .await
    }
}
