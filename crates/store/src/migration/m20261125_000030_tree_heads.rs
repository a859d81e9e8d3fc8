//! Signed tree heads (签名树头) of the ledger, and the results of ledger verifications.

use super::{col, create_index, create_table, id_col};
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[sea_orm_migration::async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                create_table(manager, "tree_heads")
                    .col(col("tree_size").big_integer().not_null().primary_key())
                    .col(col("root").string_len(64).not_null())
                    .col(col("signed_at").date_time().not_null())
                    .col(col("signature").string_len(128).not_null())
                    .col(col("key_id").string_len(64).not_null())
                    .col(col("frontier").text().not_null())
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                create_table(manager, "ledger_verifications")
                    .col(id_col("id").primary_key())
                    .col(col("checked_at").date_time().not_null())
                    .col(col("ok").boolean().not_null())
                    .col(col("tree_size").big_integer().not_null())
                    .col(col("root").string_len(64).not_null())
                    .col(col("heads_checked").big_integer().not_null())
                    .col(col("problem_count").big_integer().not_null())
                    .col(col("first_problem").text().null())
                    .to_owned(),
            )
            .await?;
        create_index(
            manager,
            "idx_ledger_verifications_at",
            "ledger_verifications",
            &["checked_at"],
            false,
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["ledger_verifications", "tree_heads"] {
            manager
                .drop_table(Table::drop().table(Alias::new(table)).to_owned())
                .await?;
        }
        Ok(())
    }
}
