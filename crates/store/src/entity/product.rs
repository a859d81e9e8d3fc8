//! 金融产品 — a product an institution publishes: terms, eligibility, the authorization scope it
//! needs, and its review status (draft → pending → listed | rejected; listed → delisted).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "products")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    /// The publishing institution (接入机构).
    pub institution_org_id: String,
    /// Its name when the product was last written (for search and lists).
    pub institution_name: String,
    pub name: String,
    /// credit_loan, mortgage_loan, guaranteed_loan, insurance, supply_chain, bill, other.
    pub kind: String,
    /// JSON array of scenario codes (bidding, gov_procurement, … green, agri).
    pub scenarios: String,
    pub description: String,
    pub amount_min_fen: i64,
    pub amount_max_fen: i64,
    pub term_min_months: i32,
    pub term_max_months: i32,
    /// Annual rate range in basis points.
    pub rate_min_bp: i32,
    pub rate_max_bp: i32,
    /// JSON array of guarantee type codes.
    pub guarantee_types: String,
    /// JSON of `xinrong_core::finance::eligibility::Eligibility`.
    pub eligibility: String,
    /// JSON array of catalogue item keys the institution needs authorized.
    pub required_items: String,
    /// The purpose code of that authorization (`xinrong_core::purpose`).
    pub purpose_code: String,
    /// draft, pending, listed, rejected, delisted.
    pub status: String,
    pub created_by_user_id: String,
    pub submitted_at: Option<DateTime>,
    pub reviewed_by_user_id: Option<String>,
    pub reviewed_at: Option<DateTime>,
    /// Why the operator rejected (required on rejection) or why it was delisted.
    pub review_reason: Option<String>,
    pub listed_at: Option<DateTime>,
    pub delisted_at: Option<DateTime>,
    pub created_at: DateTime,
    pub updated_at: DateTime,
    /// Bumped on every write.
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
