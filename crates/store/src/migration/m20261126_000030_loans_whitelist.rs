//! 获贷明细 (`loans`, `loan_repayments`) and 白名单 (`whitelist_entries`, `whitelist_changes`).
//!
//! A loan is unique per lending institution and contract number (a retried recording finds
//! it); a repayment is unique per loan, date and amounts (a retried repayment finds it). A
//! white-list entry carries `open_subject` = its subject while applied, recommended or
//! approved and NULL otherwise, so a unique index allows one open entry per enterprise.

use super::{col, create_index, create_table, id_col};
use sea_orm::DbBackend;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Long free text (reasons): MySQL's TEXT stops at 64 KiB.
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
                create_table(manager, "loans")
                    .col(id_col("id").primary_key())
                    .col(id_col("institution_org_id"))
                    .col(col("subject").string_len(32).not_null())
                    .col(col("region_code").string_len(12).not_null())
                    .col(null_id("application_id"))
                    .col(null_id("product_id"))
                    .col(col("contract_no").string_len(64).not_null())
                    .col(col("amount_fen").big_integer().not_null())
                    .col(col("rate_bp").big_integer().not_null())
                    .col(col("term_months").big_integer().not_null())
                    .col(col("guarantee").string_len(16).not_null())
                    .col(col("pure_credit").boolean().not_null())
                    .col(col("first_loan").boolean().not_null())
                    .col(col("renewal").boolean().not_null())
                    .col(col("no_principal_renewal").boolean().not_null())
                    .col(col("disbursed_on").date().not_null())
                    .col(col("maturity_on").date().not_null())
                    .col(col("status").string_len(16).not_null())
                    .col(col("outstanding_fen").big_integer().not_null())
                    .col(col("principal_repaid_fen").big_integer().not_null())
                    .col(col("interest_repaid_fen").big_integer().not_null())
                    .col(id_col("created_by_user_id"))
                    .col(null_id("batch_id"))
                    .col(col("created_at").date_time().not_null())
                    .col(col("updated_at").date_time().not_null())
                    .to_owned(),
            )
            .await?;
        create_index(
            manager,
            "ux_loans_contract",
            "loans",
            &["institution_org_id", "contract_no"],
            true,
        )
        .await?;
        create_index(manager, "ix_loans_subject", "loans", &["subject"], false).await?;
        create_index(
            manager,
            "ix_loans_region",
            "loans",
            &["region_code", "disbursed_on"],
            false,
        )
        .await?;
        create_index(
            manager,
            "ix_loans_application",
            "loans",
            &["application_id"],
            false,
        )
        .await?;

        manager
            .create_table(
                create_table(manager, "loan_repayments")
                    .col(id_col("id").primary_key())
                    .col(id_col("loan_id"))
                    .col(col("paid_on").date().not_null())
                    .col(col("principal_fen").big_integer().not_null())
                    .col(col("interest_fen").big_integer().not_null())
                    .col(id_col("created_by_user_id"))
                    .col(col("created_at").date_time().not_null())
                    .to_owned(),
            )
            .await?;
        create_index(
            manager,
            "ux_loan_repayments_key",
            "loan_repayments",
            &["loan_id", "paid_on", "principal_fen", "interest_fen"],
            true,
        )
        .await?;

        manager
            .create_table(
                create_table(manager, "whitelist_entries")
                    .col(id_col("id").primary_key())
                    .col(col("subject").string_len(32).not_null())
                    .col(col("open_subject").string_len(32).null())
                    .col(col("region_code").string_len(12).not_null())
                    .col(col("status").string_len(16).not_null())
                    .col(text_col(manager, "apply_reason", false))
                    .col(id_col("applied_by_user_id"))
                    .col(col("applied_at").date_time().not_null())
                    .col(null_id("recommended_by_org_id"))
                    .col(null_id("recommended_by_user_id"))
                    .col(text_col(manager, "recommend_note", true))
                    .col(col("recommended_at").date_time().null())
                    .col(null_id("decided_by_user_id"))
                    .col(col("decided_at").date_time().null())
                    .col(text_col(manager, "decision_reason", true))
                    .col(col("removed_at").date_time().null())
                    .col(col("updated_at").date_time().not_null())
                    .to_owned(),
            )
            .await?;
        create_index(
            manager,
            "ux_whitelist_open_subject",
            "whitelist_entries",
            &["open_subject"],
            true,
        )
        .await?;
        create_index(
            manager,
            "ix_whitelist_subject",
            "whitelist_entries",
            &["subject", "applied_at"],
            false,
        )
        .await?;
        create_index(
            manager,
            "ix_whitelist_status",
            "whitelist_entries",
            &["status", "region_code"],
            false,
        )
        .await?;

        manager
            .create_table(
                create_table(manager, "whitelist_changes")
                    .col(id_col("id").primary_key())
                    .col(id_col("entry_id"))
                    .col(col("subject").string_len(32).not_null())
                    .col(col("region_code").string_len(12).not_null())
                    .col(col("action").string_len(16).not_null())
                    .col(col("status").string_len(16).not_null())
                    .col(text_col(manager, "reason", true))
                    .col(null_id("actor_org_id"))
                    .col(col("at").date_time().not_null())
                    .to_owned(),
            )
            .await?;
        create_index(
            manager,
            "ix_whitelist_changes_at",
            "whitelist_changes",
            &["at"],
            false,
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            "whitelist_changes",
            "whitelist_entries",
            "loan_repayments",
            "loans",
        ] {
            manager
                .drop_table(Table::drop().table(Alias::new(t)).to_owned())
                .await?;
        }
        Ok(())
    }
}
