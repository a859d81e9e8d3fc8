//! 政策 (`policies`, `policy_matches`) and 绿色金融 (`green_entries`, `green_projects`).
//!
//! A policy match is unique per (policy, enterprise), so matching is idempotent and each
//! enterprise is notified once per policy. A green entry is unique per (enterprise, source):
//! one rule-based entry recomputed by `xinrong green refresh`, one self-declaration that the
//! operator reviews.

use super::{col, create_index, create_table, id_col};
use sea_orm::DbBackend;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Long free text: MySQL's TEXT stops at 64 KiB.
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
                create_table(manager, "policies")
                    .col(id_col("id").primary_key())
                    .col(col("title").string_len(200).not_null())
                    .col(col("kind").string_len(32).not_null())
                    .col(id_col("issuer_org_id"))
                    .col(col("region_code").string_len(12).not_null())
                    .col(text_col(manager, "eligibility", false))
                    .col(text_col(manager, "benefit", false))
                    .col(text_col(manager, "body", false))
                    .col(col("valid_from").date().not_null())
                    .col(col("valid_to").date().null())
                    .col(col("status").string_len(16).not_null())
                    .col(id_col("created_by_user_id"))
                    .col(col("published_at").date_time().null())
                    .col(col("withdrawn_at").date_time().null())
                    .col(col("matched_at").date_time().null())
                    .col(col("created_at").date_time().not_null())
                    .col(col("updated_at").date_time().not_null())
                    .to_owned(),
            )
            .await?;
        create_index(
            manager,
            "ix_policies_status",
            "policies",
            &["status", "region_code"],
            false,
        )
        .await?;
        create_index(
            manager,
            "ix_policies_issuer",
            "policies",
            &["issuer_org_id", "created_at"],
            false,
        )
        .await?;

        manager
            .create_table(
                create_table(manager, "policy_matches")
                    .col(id_col("id").primary_key())
                    .col(id_col("policy_id"))
                    .col(col("subject").string_len(32).not_null())
                    .col(col("matched_at").date_time().not_null())
                    .col(col("notified_at").date_time().null())
                    .to_owned(),
            )
            .await?;
        create_index(
            manager,
            "ux_policy_matches",
            "policy_matches",
            &["policy_id", "subject"],
            true,
        )
        .await?;
        create_index(
            manager,
            "ix_policy_matches_subject",
            "policy_matches",
            &["subject"],
            false,
        )
        .await?;

        manager
            .create_table(
                create_table(manager, "green_entries")
                    .col(id_col("id").primary_key())
                    .col(col("subject").string_len(32).not_null())
                    .col(col("source").string_len(16).not_null())
                    .col(col("category").string_len(32).null())
                    .col(col("status").string_len(16).not_null())
                    .col(text_col(manager, "reasons", false))
                    .col(text_col(manager, "evidence", true))
                    .col(col("env_grade").string_len(32).null())
                    .col(null_id("declared_by_user_id"))
                    .col(null_id("reviewer_user_id"))
                    .col(text_col(manager, "review_reason", true))
                    .col(col("reviewed_at").date_time().null())
                    .col(col("created_at").date_time().not_null())
                    .col(col("updated_at").date_time().not_null())
                    .to_owned(),
            )
            .await?;
        create_index(
            manager,
            "ux_green_entries",
            "green_entries",
            &["subject", "source"],
            true,
        )
        .await?;
        create_index(
            manager,
            "ix_green_entries_status",
            "green_entries",
            &["status", "category"],
            false,
        )
        .await?;

        manager
            .create_table(
                create_table(manager, "green_projects")
                    .col(id_col("id").primary_key())
                    .col(col("subject").string_len(32).not_null())
                    .col(col("name").string_len(200).not_null())
                    .col(col("category").string_len(32).not_null())
                    .col(col("investment_fen").big_integer().not_null())
                    .col(col("co2_reduction_t").big_integer().not_null())
                    .col(text_col(manager, "description", false))
                    .col(col("status").string_len(16).not_null())
                    .col(id_col("submitted_by_user_id"))
                    .col(null_id("reviewer_user_id"))
                    .col(text_col(manager, "review_reason", true))
                    .col(col("reviewed_at").date_time().null())
                    .col(col("created_at").date_time().not_null())
                    .col(col("updated_at").date_time().not_null())
                    .to_owned(),
            )
            .await?;
        create_index(
            manager,
            "ix_green_projects_subject",
            "green_projects",
            &["subject", "created_at"],
            false,
        )
        .await?;
        create_index(
            manager,
            "ix_green_projects_status",
            "green_projects",
            &["status", "created_at"],
            false,
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            "green_projects",
            "green_entries",
            "policy_matches",
            "policies",
        ] {
            manager
                .drop_table(Table::drop().table(Alias::new(t)).to_owned())
                .await?;
        }
        Ok(())
    }
}
