//! Batch statistics for data quality, batch kinds (regular or correction), and the event log
//! with durable consumer cursors, replacing the first untyped outbox.

use super::{col, create_index, create_table, id_col};
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

fn add_column(column: ColumnDef) -> TableAlterStatement {
    Table::alter()
        .table(Alias::new("batches"))
        .add_column(column)
        .to_owned()
}

#[sea_orm_migration::async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per ALTER TABLE.
        for column in [
            col("kind")
                .string_len(16)
                .not_null()
                .default("regular")
                .to_owned(),
            col("rows_duplicate")
                .integer()
                .not_null()
                .default(0)
                .to_owned(),
            col("cells_filled")
                .big_integer()
                .not_null()
                .default(0)
                .to_owned(),
            col("cells_total")
                .big_integer()
                .not_null()
                .default(0)
                .to_owned(),
            col("first_leaf")
                .big_integer()
                .not_null()
                .default(0)
                .to_owned(),
            col("leaf_count")
                .big_integer()
                .not_null()
                .default(0)
                .to_owned(),
        ] {
            manager.alter_table(add_column(column)).await?;
        }
        manager
            .drop_table(Table::drop().table(Alias::new("outbox")).to_owned())
            .await?;
        // Records keep two indexes instead of four: every read is by subject (a subject's whole
        // file, or one item of it), so the unique key leads with the subject and serves both;
        // nothing reads records by batch. Fewer indexes are most of a bulk write's cost.
        for name in [
            "ux_records_version",
            "idx_records_subject",
            "idx_records_batch",
        ] {
            manager
                .drop_index(
                    Index::drop()
                        .name(name)
                        .table(Alias::new("records"))
                        .to_owned(),
                )
                .await?;
        }
        create_index(
            manager,
            "ux_records_subject_item",
            "records",
            &["subject", "item_key", "natural_key_hash", "version"],
            true,
        )
        .await?;
        manager
            .create_table(
                create_table(manager, "events")
                    .col(
                        col("seq")
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(col("kind").string_len(16).not_null())
                    .col(col("severity").string_len(16).null())
                    .col(col("item_key").string_len(120).not_null())
                    .col(col("subject").string_len(32).not_null())
                    .col(id_col("record_id"))
                    .col(col("version").integer().not_null())
                    .col(id_col("batch_id"))
                    .col(col("created_at").date_time().not_null())
                    .to_owned(),
            )
            .await?;
        // One row that every ledger writer updates first: it serialises appends (leaf indexes
        // never collide) and on SQLite takes the write lock at once instead of upgrading later.
        manager
            .create_table(
                create_table(manager, "ledger_writer")
                    .col(col("id").integer().not_null().primary_key())
                    .to_owned(),
            )
            .await?;
        manager
            .exec_stmt(
                Query::insert()
                    .into_table(Alias::new("ledger_writer"))
                    .columns([Alias::new("id")])
                    .values_panic([1.into()])
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                create_table(manager, "event_cursors")
                    .col(col("consumer").string_len(64).not_null().primary_key())
                    .col(col("last_seq").big_integer().not_null())
                    .col(col("updated_at").date_time().not_null())
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["event_cursors", "ledger_writer", "events"] {
            manager
                .drop_table(Table::drop().table(Alias::new(table)).to_owned())
                .await?;
        }
        Ok(())
    }
}
