//! 企业注册 (enterprise self-registration with a real-name check) and the contact addresses
//! outbound notifications go to.
//!
//! `registrations` keeps every attempt: those that matched the held registration data
//! (`verified`, the login was created at once) and those waiting for, or decided by, the
//! operator's review (`pending`, `approved`, `rejected`). The legal representative's ID number
//! is never stored in clear: only its SM3 digest and a masked form.

use super::{col, create_index, create_table, id_col};
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[sea_orm_migration::async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                create_table(manager, "registrations")
                    .col(id_col("id").primary_key())
                    .col(col("uscc").string_len(18).not_null())
                    .col(col("enterprise_name").string_len(200).not_null())
                    .col(col("legal_rep_name").string_len(100).not_null())
                    .col(col("legal_rep_id_sm3").string_len(64).not_null())
                    .col(col("legal_rep_id_masked").string_len(32).not_null())
                    .col(col("username").string_len(64).not_null())
                    .col(col("password_hash").string_len(255).not_null())
                    .col(col("contact_phone").string_len(32).not_null())
                    .col(col("contact_email").string_len(200).null())
                    .col(col("licence_attachment_id").string_len(36).null())
                    .col(col("status").string_len(16).not_null())
                    .col(col("reason").string_len(500).null())
                    .col(col("status_token_sm3").string_len(64).not_null())
                    .col(col("org_id").string_len(36).null())
                    .col(col("user_id").string_len(36).null())
                    .col(col("created_at").date_time().not_null())
                    .col(col("decided_at").date_time().null())
                    .col(col("decided_by_user_id").string_len(36).null())
                    .to_owned(),
            )
            .await?;
        create_index(
            manager,
            "ix_registrations_uscc",
            "registrations",
            &["uscc", "created_at"],
            false,
        )
        .await?;
        create_index(
            manager,
            "ix_registrations_status",
            "registrations",
            &["status", "created_at"],
            false,
        )
        .await?;
        create_index(
            manager,
            "ux_registrations_token",
            "registrations",
            &["status_token_sm3"],
            true,
        )
        .await?;

        manager
            .create_table(
                create_table(manager, "user_contacts")
                    .col(id_col("user_id").primary_key())
                    .col(col("email").string_len(200).null())
                    .col(col("phone").string_len(32).null())
                    .col(col("updated_at").date_time().not_null())
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in ["user_contacts", "registrations"] {
            manager
                .drop_table(Table::drop().table(Alias::new(t)).to_owned())
                .await?;
        }
        Ok(())
    }
}
