//! 标准化信用信息报告 (credit reports): one row per issued report — who asked about whom, for what
//! purpose, the SM3 digest of its canonical JSON body and of the one PDF rendered from it, the
//! body itself (so the requester can download it again without a new read), and the ledger leaf
//! that anchors it.

use super::{col, create_index, create_table, id_col};
use sea_orm::DbBackend;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Long text: MySQL's TEXT stops at 64 KiB.
fn long_text(manager: &SchemaManager, name: &str) -> ColumnDef {
    let mut c = col(name);
    match manager.get_database_backend() {
        DbBackend::MySql => c.custom(Alias::new("MEDIUMTEXT")),
        _ => c.text(),
    };
    c.not_null().to_owned()
}

#[sea_orm_migration::async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                create_table(manager, "reports")
                    .col(id_col("id").primary_key())
                    .col(col("subject").string_len(18).not_null())
                    .col(col("requester_org_id").string_len(36).not_null())
                    .col(col("requester_user_id").string_len(36).null())
                    .col(col("purpose").string_len(32).null())
                    .col(col("json_digest").string_len(64).not_null())
                    .col(col("pdf_digest").string_len(64).null())
                    .col(long_text(manager, "body"))
                    .col(col("created_at").date_time().not_null())
                    .col(col("ledger_index").big_integer().not_null())
                    .to_owned(),
            )
            .await?;
        create_index(
            manager,
            "ix_reports_subject",
            "reports",
            &["subject", "created_at"],
            false,
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Alias::new("reports")).to_owned())
            .await
    }
}
