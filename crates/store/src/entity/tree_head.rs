//! 签名树头 — the ledger's size and root at one moment, signed with the platform's SM2 key.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "tree_heads")]
pub struct Model {
    /// Number of leaves the head covers; one head per size.
    #[sea_orm(primary_key, auto_increment = false)]
    pub tree_size: i64,
    /// SM3 root, hex.
    pub root: String,
    /// UTC, whole seconds: the timestamp inside the signed message.
    pub signed_at: DateTime,
    /// SM2 signature `r ‖ s`, hex.
    pub signature: String,
    /// SM3 of the signing key's DER public key, hex.
    pub key_id: String,
    /// The tree's right edge at this size (hex, 64 characters per node), so the next head is
    /// computed from the new leaves alone. Checked against the leaves by verification.
    pub frontier: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
