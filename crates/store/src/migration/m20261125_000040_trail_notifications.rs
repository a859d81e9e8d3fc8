//! Subject rights, shared tables: 留痕 (`trail_entries`, every workflow step and every access
//! decision that showed data, each a ledger leaf), 站内通知 (`notifications`, with the state of
//! their outbound delivery), 附件 (`attachments`) and 信用承诺 (`commitments`).

use super::{col, create_index, create_table, id_col};
use sea_orm::DbBackend;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// A column for file bytes: MySQL's plain BLOB stops at 64 KiB.
fn bytes_col(manager: &SchemaManager, name: &str) -> ColumnDef {
    let mut c = col(name);
    match manager.get_database_backend() {
        DbBackend::MySql => c.custom(Alias::new("LONGBLOB")),
        DbBackend::Postgres => c.custom(Alias::new("BYTEA")),
        _ => c.blob(),
    };
    c.not_null().to_owned()
}

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
                create_table(manager, "trail_entries")
                    .col(id_col("id").primary_key())
                    .col(col("kind").string_len(64).not_null())
                    .col(col("ref_id").string_len(64).not_null())
                    .col(col("subject").string_len(32).null())
                    .col(col("actor_user_id").string_len(36).null())
                    .col(col("actor_org_id").string_len(36).null())
                    .col(long_text(manager, "body"))
                    .col(col("created_at").date_time().not_null())
                    .col(col("leaf_index").big_integer().not_null())
                    .to_owned(),
            )
            .await?;
        create_index(
            manager,
            "ix_trail_ref",
            "trail_entries",
            &["ref_id", "created_at"],
            false,
        )
        .await?;
        create_index(
            manager,
            "ix_trail_subject",
            "trail_entries",
            &["subject", "created_at"],
            false,
        )
        .await?;
        create_index(
            manager,
            "ix_trail_org",
            "trail_entries",
            &["actor_org_id", "created_at"],
            false,
        )
        .await?;
        create_index(
            manager,
            "ix_trail_kind",
            "trail_entries",
            &["kind", "created_at"],
            false,
        )
        .await?;

        manager
            .create_table(
                create_table(manager, "notifications")
                    .col(id_col("id").primary_key())
                    .col(id_col("user_id"))
                    .col(col("kind").string_len(64).not_null())
                    .col(col("title").string_len(200).not_null())
                    .col(col("body").text().not_null())
                    .col(col("link").string_len(300).null())
                    .col(col("created_at").date_time().not_null())
                    .col(col("read_at").date_time().null())
                    .col(col("outbound_state").string_len(16).not_null())
                    .col(col("outbound_attempts").integer().not_null())
                    .col(col("outbound_error").string_len(500).null())
                    .col(col("outbound_at").date_time().null())
                    .to_owned(),
            )
            .await?;
        create_index(
            manager,
            "ix_notifications_user",
            "notifications",
            &["user_id", "created_at"],
            false,
        )
        .await?;
        create_index(
            manager,
            "ix_notifications_outbound",
            "notifications",
            &["outbound_state", "created_at"],
            false,
        )
        .await?;

        manager
            .create_table(
                create_table(manager, "attachments")
                    .col(id_col("id").primary_key())
                    .col(col("filename").string_len(255).not_null())
                    .col(col("content_type").string_len(64).not_null())
                    .col(col("size").big_integer().not_null())
                    .col(col("sm3").string_len(64).not_null())
                    .col(bytes_col(manager, "content"))
                    .col(col("uploaded_by_user_id").string_len(36).null())
                    .col(col("uploaded_by_org_id").string_len(36).null())
                    .col(col("created_at").date_time().not_null())
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                create_table(manager, "commitments")
                    .col(id_col("id").primary_key())
                    .col(col("subject").string_len(32).null())
                    .col(col("user_id").string_len(36).null())
                    .col(col("org_id").string_len(36).null())
                    .col(col("context").string_len(32).not_null())
                    .col(col("ref_id").string_len(64).null())
                    .col(long_text(manager, "text"))
                    .col(col("text_sm3").string_len(64).not_null())
                    .col(col("signed_at").date_time().not_null())
                    .to_owned(),
            )
            .await?;
        create_index(
            manager,
            "ix_commitments_subject",
            "commitments",
            &["subject", "signed_at"],
            false,
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            "commitments",
            "attachments",
            "notifications",
            "trail_entries",
        ] {
            manager
                .drop_table(Table::drop().table(Alias::new(t)).to_owned())
                .await?;
        }
        Ok(())
    }
}
