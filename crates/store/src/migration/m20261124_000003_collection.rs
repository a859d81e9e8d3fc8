//! Collection (归集): batches, versioned records, the outbox and the ledger's leaves.

use super::{col, create_index as index, create_table, id_col};
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[sea_orm_migration::async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                create_table(manager, "batches")
                    .col(id_col("id").primary_key())
                    .col(col("item_key").string_len(120).not_null())
                    .col(id_col("provider_org_id"))
                    .col(col("content_hash").string_len(64).not_null())
                    .col(col("format").string_len(8).not_null())
                    .col(col("strict").boolean().not_null())
                    .col(col("catalog_version").integer().not_null())
                    .col(col("rows_total").integer().not_null())
                    .col(col("rows_new").integer().not_null())
                    .col(col("rows_versioned").integer().not_null())
                    .col(col("rows_unchanged").integer().not_null())
                    .col(col("rows_rejected").integer().not_null())
                    .col(col("created_at").date_time().not_null())
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "ux_batches_content",
            "batches",
            &["provider_org_id", "item_key", "content_hash"],
            true,
        )
        .await?;
        manager
            .create_table(
                create_table(manager, "records")
                    .col(id_col("id").primary_key())
                    .col(col("item_key").string_len(120).not_null())
                    .col(col("subject").string_len(32).not_null())
                    .col(col("natural_key_hash").string_len(64).not_null())
                    .col(col("version").integer().not_null())
                    .col(col("payload").text().not_null())
                    .col(col("content_hash").string_len(64).not_null())
                    .col(id_col("batch_id"))
                    .col(id_col("provider_org_id"))
                    .col(col("catalog_version").integer().not_null())
                    .col(col("ledger_index").big_integer().not_null())
                    .col(col("created_at").date_time().not_null())
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "ux_records_version",
            "records",
            &["item_key", "subject", "natural_key_hash", "version"],
            true,
        )
        .await?;
        index(
            manager,
            "idx_records_subject",
            "records",
            &["subject"],
            false,
        )
        .await?;
        index(
            manager,
            "idx_records_batch",
            "records",
            &["batch_id"],
            false,
        )
        .await?;
        manager
            .create_table(
                create_table(manager, "outbox")
                    .col(
                        col("id")
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(col("topic").string_len(64).not_null())
                    .col(col("payload").text().not_null())
                    .col(col("created_at").date_time().not_null())
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                create_table(manager, "ledger_leaves")
                    .col(col("leaf_index").big_integer().not_null().primary_key())
                    .col(col("leaf_hash").string_len(64).not_null())
                    .col(col("kind").string_len(32).not_null())
                    .col(id_col("ref_id"))
                    .col(col("created_at").date_time().not_null())
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["ledger_leaves", "outbox", "records", "batches"] {
            manager
                .drop_table(Table::drop().table(Alias::new(table)).to_owned())
                .await?;
        }
        Ok(())
    }
}
