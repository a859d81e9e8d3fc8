//! 金融产品 (`products`): one row per product, its terms, eligibility (JSON), the authorization
//! scope the institution needs, its review status and the latest review's facts. Every step is
//! also a trail entry (留痕); nothing is deleted (a delisted product stays).

use super::{col, create_index, create_table, id_col};
use sea_orm::DbBackend;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Long text (descriptions, JSON): MySQL's TEXT stops at 64 KiB.
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

#[sea_orm_migration::async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                create_table(manager, "products")
                    .col(id_col("id").primary_key())
                    .col(id_col("institution_org_id"))
                    .col(col("institution_name").string_len(200).not_null())
                    .col(col("name").string_len(200).not_null())
                    .col(col("kind").string_len(24).not_null())
                    .col(text_col(manager, "scenarios", false))
                    .col(text_col(manager, "description", false))
                    .col(col("amount_min_fen").big_integer().not_null())
                    .col(col("amount_max_fen").big_integer().not_null())
                    .col(col("term_min_months").integer().not_null())
                    .col(col("term_max_months").integer().not_null())
                    .col(col("rate_min_bp").integer().not_null())
                    .col(col("rate_max_bp").integer().not_null())
                    .col(text_col(manager, "guarantee_types", false))
                    .col(text_col(manager, "eligibility", false))
                    .col(text_col(manager, "required_items", false))
                    .col(col("purpose_code").string_len(40).not_null())
                    .col(col("status").string_len(16).not_null())
                    .col(id_col("created_by_user_id"))
                    .col(col("submitted_at").date_time().null())
                    .col(col("reviewed_by_user_id").string_len(36).null())
                    .col(col("reviewed_at").date_time().null())
                    .col(text_col(manager, "review_reason", true))
                    .col(col("listed_at").date_time().null())
                    .col(col("delisted_at").date_time().null())
                    .col(col("created_at").date_time().not_null())
                    .col(col("updated_at").date_time().not_null())
                    .col(col("version").integer().not_null())
                    .to_owned(),
            )
            .await?;
        create_index(
            manager,
            "ix_products_status",
            "products",
            &["status", "listed_at"],
            false,
        )
        .await?;
        create_index(
            manager,
            "ix_products_institution",
            "products",
            &["institution_org_id", "status"],
            false,
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Alias::new("products")).to_owned())
            .await
    }
}
