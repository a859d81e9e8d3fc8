//! 获贷明细 — one loan disbursed by an institution to an enterprise, with its running
//! repayment totals and status. Unique per institution and contract number.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "loans")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    /// The lending institution (接入机构).
    pub institution_org_id: String,
    /// The borrower's USCC.
    pub subject: String,
    /// The borrower's GB/T 2260 region when the loan was recorded (government jurisdiction).
    pub region_code: String,
    /// The financing application it disburses, if any.
    pub application_id: Option<String>,
    pub product_id: Option<String>,
    pub contract_no: String,
    pub amount_fen: i64,
    /// Annual rate in basis points.
    pub rate_bp: i64,
    pub term_months: i64,
    /// credit, mortgage, pledge or guarantee.
    pub guarantee: String,
    pub pure_credit: bool,
    pub first_loan: bool,
    pub renewal: bool,
    pub no_principal_renewal: bool,
    pub disbursed_on: Date,
    pub maturity_on: Date,
    /// normal, overdue, default or settled.
    pub status: String,
    pub outstanding_fen: i64,
    pub principal_repaid_fen: i64,
    pub interest_repaid_fen: i64,
    pub created_by_user_id: String,
    /// The batch upload that recorded it.
    pub batch_id: Option<String>,
    pub created_at: DateTime,
    pub updated_at: DateTime,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
