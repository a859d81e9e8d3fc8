//! Organisations, users, browser sessions and API tokens.

use super::{col, create_table, id_col};
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[sea_orm_migration::async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                create_table(manager, "organizations")
                    .col(id_col("id").primary_key())
                    .col(col("kind").string_len(16).not_null())
                    .col(col("name").string_len(200).not_null())
                    .col(col("uscc").string_len(18).null().unique_key())
                    .col(col("region_code").string_len(6).null())
                    .col(col("institution_kind").string_len(16).null())
                    .col(col("created_at").date_time().not_null())
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                create_table(manager, "users")
                    .col(id_col("id").primary_key())
                    .col(id_col("org_id"))
                    .col(col("username").string_len(64).not_null().unique_key())
                    .col(col("display_name").string_len(100).not_null())
                    .col(col("password_hash").string_len(255).not_null())
                    .col(col("failed_logins").integer().not_null().default(0))
                    .col(col("locked_until").date_time().null())
                    .col(col("disabled").boolean().not_null().default(false))
                    .col(col("created_at").date_time().not_null())
                    .col(col("last_login_at").date_time().null())
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_users_org")
                            .from(Alias::new("users"), Alias::new("org_id"))
                            .to(Alias::new("organizations"), Alias::new("id")),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                create_table(manager, "sessions")
                    .col(col("token_hash").string_len(64).not_null().primary_key())
                    .col(id_col("user_id"))
                    .col(col("created_at").date_time().not_null())
                    .col(col("expires_at").date_time().not_null())
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_sessions_user")
                            .from(Alias::new("sessions"), Alias::new("user_id"))
                            .to(Alias::new("users"), Alias::new("id"))
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                create_table(manager, "api_tokens")
                    .col(id_col("id").primary_key())
                    .col(id_col("user_id"))
                    .col(col("name").string_len(100).not_null())
                    .col(col("token_hash").string_len(64).not_null().unique_key())
                    .col(col("prefix").string_len(16).not_null())
                    .col(col("created_at").date_time().not_null())
                    .col(col("expires_at").date_time().null())
                    .col(col("last_used_at").date_time().null())
                    .col(col("revoked_at").date_time().null())
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_api_tokens_user")
                            .from(Alias::new("api_tokens"), Alias::new("user_id"))
                            .to(Alias::new("users"), Alias::new("id"))
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_users_org")
                    .table(Alias::new("users"))
                    .col(Alias::new("org_id"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_sessions_user")
                    .table(Alias::new("sessions"))
                    .col(Alias::new("user_id"))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["api_tokens", "sessions", "users", "organizations"] {
            manager
                .drop_table(Table::drop().table(Alias::new(table)).to_owned())
                .await?;
        }
        Ok(())
    }
}
