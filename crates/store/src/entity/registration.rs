//! 企业注册申请 — one enterprise registration attempt: matched at once against the held
//! registration data (`verified`), or waiting for / decided by the operator's review.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "registrations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub uscc: String,
    pub enterprise_name: String,
    pub legal_rep_name: String,
    /// SM3 of the ID number as entered (upper case): never the number in clear.
    pub legal_rep_id_sm3: String,
    /// `4101**********123X`.
    pub legal_rep_id_masked: String,
    pub username: String,
    /// Argon2id PHC string: the login is created from it on approval.
    pub password_hash: String,
    pub contact_phone: String,
    pub contact_email: Option<String>,
    /// The business-licence scan the applicant uploaded, if any (`attachments`).
    pub licence_attachment_id: Option<String>,
    /// `verified`, `pending`, `approved` or `rejected`.
    pub status: String,
    /// Why the operator rejected it.
    pub reason: Option<String>,
    /// SM3 of the status token handed to the applicant.
    pub status_token_sm3: String,
    pub org_id: Option<String>,
    pub user_id: Option<String>,
    pub created_at: DateTime,
    pub decided_at: Option<DateTime>,
    pub decided_by_user_id: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
