//! 应付账款 — an account payable a core enterprise (the debtor) owes a supplier, declared by the
//! supplier and confirmed or disputed by the debtor (or registered by the debtor, confirmed).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "payables")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    /// The core enterprise that owes.
    pub debtor_uscc: String,
    /// The supplier owed.
    pub supplier_uscc: String,
    pub amount_fen: i64,
    pub due_on: Date,
    /// JSON array of invoice references.
    pub invoice_refs: String,
    /// declared, confirmed, disputed, settled or cancelled.
    pub status: String,
    pub declared_by_user_id: String,
    /// Which party declared it (the supplier, or the debtor registering it directly).
    pub declared_by_uscc: String,
    pub confirmed_by_user_id: Option<String>,
    pub confirmed_at: Option<DateTime>,
    pub dispute_reason: Option<String>,
    pub created_at: DateTime,
    pub updated_at: DateTime,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
