//! Enterprises (信息主体) with the registration facts every later feature needs.

use super::{col, create_table};
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[sea_orm_migration::async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                create_table(manager, "enterprises")
                    .col(col("uscc").string_len(18).not_null().primary_key())
                    .col(col("name").string_len(200).not_null())
                    .col(col("region_code").string_len(6).not_null())
                    .col(col("industry_code").string_len(2).not_null())
                    .col(col("established").date().not_null())
                    .col(col("registered_capital_fen").big_integer().not_null())
                    .col(col("employees").integer().not_null())
                    .col(col("size_class").string_len(8).not_null())
                    .col(col("legal_rep_name").string_len(50).not_null())
                    .col(col("legal_rep_id_number").string_len(18).not_null())
                    .col(col("created_at").date_time().not_null())
                    .to_owned(),
            )
            .await?;
        for (name, column) in [
            ("idx_enterprises_region", "region_code"),
            ("idx_enterprises_industry", "industry_code"),
            ("idx_enterprises_name", "name"),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(Alias::new("enterprises"))
                        .col(Alias::new(column))
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Alias::new("enterprises")).to_owned())
            .await
    }
}
