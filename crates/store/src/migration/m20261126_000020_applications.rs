//! 融资需求与申请 (financing needs and applications): a need stated once by an enterprise, and
//! one application per product picked for it. `(need_id, product_id)` is unique, so a retried
//! one-click submission finds its applications instead of adding more.

use super::{col, create_index, create_table, id_col};
use sea_orm::DbBackend;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Long free text (purpose, rejection reason): MySQL's TEXT stops at 64 KiB.
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
                create_table(manager, "financing_needs")
                    .col(id_col("id").primary_key())
                    .col(col("subject").string_len(32).not_null())
                    .col(col("amount_fen").big_integer().not_null())
                    .col(col("term_months").integer().not_null())
                    .col(text_col(manager, "purpose", false))
                    .col(col("guarantee").string_len(24).not_null())
                    .col(col("max_rate_bp").integer().null())
                    .col(id_col("created_by_user_id"))
                    .col(col("created_at").date_time().not_null())
                    .to_owned(),
            )
            .await?;
        create_index(
            manager,
            "ix_financing_needs_subject",
            "financing_needs",
            &["subject", "created_at"],
            false,
        )
        .await?;

        manager
            .create_table(
                create_table(manager, "applications")
                    .col(id_col("id").primary_key())
                    .col(id_col("need_id"))
                    .col(col("subject").string_len(32).not_null())
                    .col(id_col("product_id"))
                    .col(id_col("institution_org_id"))
                    .col(col("status").string_len(24).not_null())
                    .col(col("amount_fen").big_integer().not_null())
                    .col(col("term_months").integer().not_null())
                    .col(col("accept_by").date().not_null())
                    .col(col("decide_by").date().null())
                    .col(null_id("authorization_id"))
                    .col(text_col(manager, "reason", true))
                    .col(col("approved_amount_fen").big_integer().null())
                    .col(col("submitted_at").date_time().not_null())
                    .col(col("accepted_at").date_time().null())
                    .col(col("decided_at").date_time().null())
                    .col(col("disbursed_at").date_time().null())
                    .col(col("closed_at").date_time().null())
                    .col(col("overdue_flagged_at").date_time().null())
                    .col(null_id("loan_id"))
                    .col(col("updated_at").date_time().not_null())
                    .to_owned(),
            )
            .await?;
        create_index(
            manager,
            "ux_applications_need_product",
            "applications",
            &["need_id", "product_id"],
            true,
        )
        .await?;
        create_index(
            manager,
            "ix_applications_subject",
            "applications",
            &["subject", "submitted_at"],
            false,
        )
        .await?;
        create_index(
            manager,
            "ix_applications_institution",
            "applications",
            &["institution_org_id", "status"],
            false,
        )
        .await?;
        create_index(
            manager,
            "ix_applications_status",
            "applications",
            &["status", "accept_by"],
            false,
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in ["applications", "financing_needs"] {
            manager
                .drop_table(Table::drop().table(Alias::new(t)).to_owned())
                .await?;
        }
        Ok(())
    }
}
