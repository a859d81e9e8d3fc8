//! 数据共享协议 (`agreements`, platform ↔ institution) and 授权 (`authorizations`, the
//! information subject's consent artefacts). Lists of keys are JSON text; nothing is deleted,
//! status columns record what happened and the trail keeps every step.

use super::{col, create_index, create_table, id_col};
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[sea_orm_migration::async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                create_table(manager, "agreements")
                    .col(id_col("id").primary_key())
                    .col(id_col("org_id"))
                    .col(col("scope").text().not_null())
                    .col(col("purposes").text().not_null())
                    .col(col("valid_from").date_time().not_null())
                    .col(col("valid_until").date_time().not_null())
                    .col(col("status").string_len(16).not_null())
                    .col(col("status_reason").string_len(500).null())
                    .col(col("commitment_id").string_len(36).null())
                    .col(col("created_by").string_len(36).null())
                    .col(col("created_at").date_time().not_null())
                    .col(col("updated_at").date_time().not_null())
                    .to_owned(),
            )
            .await?;
        create_index(
            manager,
            "ix_agreements_org",
            "agreements",
            &["org_id", "status"],
            false,
        )
        .await?;

        manager
            .create_table(
                create_table(manager, "authorizations")
                    .col(id_col("id").primary_key())
                    .col(col("subject").string_len(32).not_null())
                    .col(id_col("grantee_org_id"))
                    .col(col("scope").text().not_null())
                    .col(col("purpose_code").string_len(32).not_null())
                    .col(col("purpose_text").string_len(800).not_null())
                    .col(col("data_from").date().null())
                    .col(col("data_to").date().null())
                    .col(col("valid_from").date_time().not_null())
                    .col(col("valid_until").date_time().not_null())
                    .col(col("channel").string_len(16).not_null())
                    .col(col("evidence_id").string_len(36).null())
                    .col(col("evidence_sm3").string_len(64).null())
                    .col(col("status").string_len(16).not_null())
                    .col(col("status_reason").string_len(800).null())
                    .col(col("dispute").string_len(16).not_null())
                    .col(col("granted_by_user_id").string_len(36).null())
                    .col(col("granted_by_org_id").string_len(36).null())
                    .col(col("use_count").big_integer().not_null())
                    .col(col("last_used_at").date_time().null())
                    .col(col("created_at").date_time().not_null())
                    .col(col("updated_at").date_time().not_null())
                    .to_owned(),
            )
            .await?;
        create_index(
            manager,
            "ix_authorizations_grantee",
            "authorizations",
            &["grantee_org_id", "subject"],
            false,
        )
        .await?;
        create_index(
            manager,
            "ix_authorizations_subject",
            "authorizations",
            &["subject", "created_at"],
            false,
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["authorizations", "agreements"] {
            manager
                .drop_table(Table::drop().table(Alias::new(table)).to_owned())
                .await?;
        }
        Ok(())
    }
}
