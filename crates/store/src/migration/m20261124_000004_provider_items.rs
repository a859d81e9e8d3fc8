//! Which items each provider is a source unit (责任单位) for.

use super::{col, create_table, id_col};
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[sea_orm_migration::async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                create_table(manager, "provider_items")
                    .col(id_col("org_id"))
                    .col(col("item_key").string_len(120).not_null())
                    .col(col("created_at").date_time().not_null())
                    .primary_key(
                        Index::create()
                            .col(Alias::new("org_id"))
                            .col(Alias::new("item_key")),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Alias::new("provider_items")).to_owned())
            .await
    }
}
