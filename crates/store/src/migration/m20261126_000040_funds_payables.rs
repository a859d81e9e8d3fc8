//! 风险补偿基金 (compensation funds: pools, movements, registered loans, claims) and 应付账款
//! (payables and their attachment to financing applications). A fund's balance changes only
//! together with a movement row, in one transaction (the services' rule).

use super::{col, create_index, create_table, id_col};
use sea_orm::DbBackend;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Long text (JSON rules, reasons): MySQL's TEXT stops at 64 KiB.
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

fn money(name: &str) -> ColumnDef {
    col(name).big_integer().not_null().to_owned()
}

#[sea_orm_migration::async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                create_table(manager, "compensation_funds")
                    .col(id_col("id").primary_key())
                    .col(col("name").string_len(200).not_null())
                    .col(col("region_code").string_len(12).not_null())
                    .col(id_col("manager_org_id"))
                    .col(text_col(manager, "rules", false))
                    .col(money("balance_fen"))
                    .col(col("status").string_len(16).not_null())
                    .col(col("created_at").date_time().not_null())
                    .col(col("updated_at").date_time().not_null())
                    .to_owned(),
            )
            .await?;
        create_index(
            manager,
            "ix_compensation_funds_region",
            "compensation_funds",
            &["region_code"],
            false,
        )
        .await?;
        create_index(
            manager,
            "ux_compensation_funds_name",
            "compensation_funds",
            &["region_code", "name"],
            true,
        )
        .await?;

        manager
            .create_table(
                create_table(manager, "fund_movements")
                    .col(id_col("id").primary_key())
                    .col(id_col("fund_id"))
                    .col(col("kind").string_len(16).not_null())
                    .col(money("amount_fen"))
                    .col(money("balance_after_fen"))
                    .col(null_id("claim_id"))
                    .col(text_col(manager, "note", false))
                    .col(id_col("actor_user_id"))
                    .col(id_col("actor_org_id"))
                    .col(col("created_at").date_time().not_null())
                    .to_owned(),
            )
            .await?;
        create_index(
            manager,
            "ix_fund_movements_fund",
            "fund_movements",
            &["fund_id", "created_at"],
            false,
        )
        .await?;
        // One payout per claim: a second pay of the same claim cannot write a second row.
        create_index(
            manager,
            "ux_fund_movements_claim",
            "fund_movements",
            &["claim_id"],
            true,
        )
        .await?;

        manager
            .create_table(
                create_table(manager, "fund_loans")
                    .col(id_col("id").primary_key())
                    .col(id_col("fund_id"))
                    .col(id_col("loan_id"))
                    .col(id_col("institution_org_id"))
                    .col(col("subject").string_len(32).not_null())
                    .col(money("covered_amount_fen"))
                    .col(id_col("registered_by_user_id"))
                    .col(col("registered_at").date_time().not_null())
                    .to_owned(),
            )
            .await?;
        create_index(
            manager,
            "ux_fund_loans_loan",
            "fund_loans",
            &["loan_id"],
            true,
        )
        .await?;
        create_index(
            manager,
            "ix_fund_loans_fund",
            "fund_loans",
            &["fund_id", "institution_org_id"],
            false,
        )
        .await?;

        manager
            .create_table(
                create_table(manager, "fund_claims")
                    .col(id_col("id").primary_key())
                    .col(id_col("fund_id"))
                    .col(id_col("loan_id"))
                    .col(id_col("institution_org_id"))
                    .col(money("loss_fen"))
                    .col(text_col(manager, "reason", false))
                    .col(text_col(manager, "attachment_ids", false))
                    .col(col("status").string_len(16).not_null())
                    .col(col("payout_fen").big_integer().null())
                    .col(col("limited_by").string_len(24).null())
                    .col(id_col("filed_by_user_id"))
                    .col(null_id("reviewer_user_id"))
                    .col(null_id("reviewer_org_id"))
                    .col(text_col(manager, "review_reason", true))
                    .col(col("reviewed_at").date_time().null())
                    .col(null_id("paid_by_user_id"))
                    .col(col("paid_at").date_time().null())
                    .col(col("created_at").date_time().not_null())
                    .col(col("updated_at").date_time().not_null())
                    .to_owned(),
            )
            .await?;
        create_index(
            manager,
            "ix_fund_claims_fund",
            "fund_claims",
            &["fund_id", "status"],
            false,
        )
        .await?;
        create_index(
            manager,
            "ix_fund_claims_loan",
            "fund_claims",
            &["loan_id"],
            false,
        )
        .await?;

        manager
            .create_table(
                create_table(manager, "payables")
                    .col(id_col("id").primary_key())
                    .col(col("debtor_uscc").string_len(32).not_null())
                    .col(col("supplier_uscc").string_len(32).not_null())
                    .col(money("amount_fen"))
                    .col(col("due_on").date().not_null())
                    .col(text_col(manager, "invoice_refs", false))
                    .col(col("status").string_len(16).not_null())
                    .col(id_col("declared_by_user_id"))
                    .col(col("declared_by_uscc").string_len(32).not_null())
                    .col(null_id("confirmed_by_user_id"))
                    .col(col("confirmed_at").date_time().null())
                    .col(text_col(manager, "dispute_reason", true))
                    .col(col("created_at").date_time().not_null())
                    .col(col("updated_at").date_time().not_null())
                    .to_owned(),
            )
            .await?;
        create_index(
            manager,
            "ix_payables_debtor",
            "payables",
            &["debtor_uscc", "status"],
            false,
        )
        .await?;
        create_index(
            manager,
            "ix_payables_supplier",
            "payables",
            &["supplier_uscc", "status"],
            false,
        )
        .await?;

        manager
            .create_table(
                create_table(manager, "application_payables")
                    .col(id_col("application_id"))
                    .col(id_col("payable_id"))
                    .col(id_col("attached_by_user_id"))
                    .col(col("attached_at").date_time().not_null())
                    .primary_key(
                        Index::create()
                            .col(Alias::new("application_id"))
                            .col(Alias::new("payable_id")),
                    )
                    .to_owned(),
            )
            .await?;
        create_index(
            manager,
            "ix_application_payables_payable",
            "application_payables",
            &["payable_id"],
            false,
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            "application_payables",
            "payables",
            "fund_claims",
            "fund_loans",
            "fund_movements",
            "compensation_funds",
        ] {
            manager
                .drop_table(Table::drop().table(Alias::new(t)).to_owned())
                .await?;
        }
        Ok(())
    }
}
