//! 异议 (`objections`) and 信用修复 (`repairs`): one row per application, its status and the
//! latest step's facts; every step is also a trail entry (留痕) and nothing is deleted.

use super::{col, create_index, create_table, id_col};
use sea_orm::DbBackend;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Long free text (reasons, explanations): MySQL's TEXT stops at 64 KiB.
fn text_col(manager: &SchemaManager, name: &str, null: bool) -> ColumnDef {
    let mut c = col(name);
    match manager.get_database_backend() {
        DbBackend::MySql => c.custom(Alias::new("MEDIUMTEXT")),
        _ => c.text(),
    };
    if null {
        c.null();
    } else {
        c.not_null();
    }
    c.to_owned()
}

fn null_id(name: &str) -> ColumnDef {
    col(name).string_len(36).null().to_owned()
}

#[sea_orm_migration::async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                create_table(manager, "objections")
                    .col(id_col("id").primary_key())
                    .col(col("subject").string_len(32).not_null())
                    .col(id_col("record_id"))
                    .col(col("item_key").string_len(120).not_null())
                    .col(col("natural_key_hash").string_len(64).not_null())
                    .col(col("record_version").integer().not_null())
                    .col(id_col("provider_org_id"))
                    .col(id_col("filed_by_user_id"))
                    .col(id_col("filed_by_org_id"))
                    .col(text_col(manager, "reason", false))
                    .col(text_col(manager, "attachment_ids", false))
                    .col(col("status").string_len(24).not_null())
                    .col(col("deadline_at").date_time().not_null())
                    .col(col("filed_at").date_time().not_null())
                    .col(text_col(manager, "provider_explanation", true))
                    .col(null_id("provider_user_id"))
                    .col(col("provider_decided_at").date_time().null())
                    .col(null_id("correction_record_id"))
                    .col(col("correction_version").integer().null())
                    .col(text_col(manager, "escalation_reason", true))
                    .col(col("escalated_at").date_time().null())
                    .col(col("operator_decision").string_len(24).null())
                    .col(text_col(manager, "operator_reason", true))
                    .col(null_id("operator_user_id"))
                    .col(col("operator_decided_at").date_time().null())
                    .col(col("closed_at").date_time().null())
                    .col(col("overdue_flagged_at").date_time().null())
                    .col(col("updated_at").date_time().not_null())
                    .to_owned(),
            )
            .await?;
        create_index(
            manager,
            "ix_objections_subject",
            "objections",
            &["subject", "filed_at"],
            false,
        )
        .await?;
        create_index(
            manager,
            "ix_objections_provider",
            "objections",
            &["provider_org_id", "status"],
            false,
        )
        .await?;
        create_index(
            manager,
            "ix_objections_status",
            "objections",
            &["status", "deadline_at"],
            false,
        )
        .await?;

        manager
            .create_table(
                create_table(manager, "repairs")
                    .col(id_col("id").primary_key())
                    .col(col("subject").string_len(32).not_null())
                    .col(id_col("record_id"))
                    .col(col("item_key").string_len(120).not_null())
                    .col(col("natural_key_hash").string_len(64).not_null())
                    .col(col("record_version").integer().not_null())
                    .col(id_col("provider_org_id"))
                    .col(col("severity").string_len(16).not_null())
                    .col(col("period_start").date().not_null())
                    .col(col("opens_on").date().not_null())
                    .col(id_col("applicant_user_id"))
                    .col(id_col("applicant_org_id"))
                    .col(text_col(manager, "statement", false))
                    .col(id_col("commitment_id"))
                    .col(text_col(manager, "attachment_ids", false))
                    .col(col("status").string_len(24).not_null())
                    .col(col("filed_at").date_time().not_null())
                    .col(null_id("reviewer_user_id"))
                    .col(null_id("reviewer_org_id"))
                    .col(text_col(manager, "review_reason", true))
                    .col(col("reviewed_at").date_time().null())
                    .col(col("updated_at").date_time().not_null())
                    .to_owned(),
            )
            .await?;
        create_index(
            manager,
            "ix_repairs_subject",
            "repairs",
            &["subject", "filed_at"],
            false,
        )
        .await?;
        create_index(
            manager,
            "ix_repairs_provider",
            "repairs",
            &["provider_org_id", "status"],
            false,
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in ["repairs", "objections"] {
            manager
                .drop_table(Table::drop().table(Alias::new(t)).to_owned())
                .await?;
        }
        Ok(())
    }
}
