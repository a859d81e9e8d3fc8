//! 信用承诺 — a commitment signed by a user: the exact text, when, and its SM3 digest.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "commitments")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub subject: Option<String>,
    pub user_id: Option<String>,
    pub org_id: Option<String>,
    /// What it was signed for: `self_report`, `repair`, `agreement` …
    pub context: String,
    /// The workflow object it belongs to.
    pub ref_id: Option<String>,
    pub text: String,
    pub text_sm3: String,
    pub signed_at: DateTime,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
