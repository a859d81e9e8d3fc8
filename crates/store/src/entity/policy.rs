//! 政策 — a policy a government unit issues for its jurisdiction, with structured eligibility
//! (JSON of `xinrong_core::finance::eligibility::Eligibility`). draft → published → withdrawn.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "policies")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub title: String,
    /// tech_loan, startup_guarantee_loan, srdi_loan, interest_subsidy, guarantee_fee_subsidy, other.
    pub kind: String,
    /// The issuing government organisation.
    pub issuer_org_id: String,
    /// GB/T 2260 code of the area the policy applies to.
    pub region_code: String,
    /// JSON eligibility rule.
    pub eligibility: String,
    pub benefit: String,
    pub body: String,
    pub valid_from: Date,
    pub valid_to: Option<Date>,
    /// draft, published, withdrawn.
    pub status: String,
    pub created_by_user_id: String,
    pub published_at: Option<DateTime>,
    pub withdrawn_at: Option<DateTime>,
    /// When matching last ran for it.
    pub matched_at: Option<DateTime>,
    pub created_at: DateTime,
    pub updated_at: DateTime,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
