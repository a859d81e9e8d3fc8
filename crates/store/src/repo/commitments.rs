//! Signed commitments (信用承诺).

use crate::entity::commitment::{self, Entity as Commitment};
use crate::error::StoreResult;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder,
};

pub use commitment::Model as CommitmentRow;

pub async fn insert(db: &impl ConnectionTrait, row: CommitmentRow) -> StoreResult<()> {
    Commitment::insert(row.into_active_model())
        .exec_without_returning(db)
        .await?;
    Ok(())
}

pub async fn get(db: &impl ConnectionTrait, id: &str) -> StoreResult<Option<CommitmentRow>> {
    Ok(Commitment::find_by_id(id.to_owned()).one(db).await?)
}

/// Every commitment about one subject, newest first.
pub async fn for_subject(
    db: &impl ConnectionTrait,
    subject: &str,
) -> StoreResult<Vec<CommitmentRow>> {
    Ok(Commitment::find()
        .filter(commitment::Column::Subject.eq(subject))
        .order_by_desc(commitment::Column::SignedAt)
        .all(db)
        .await?)
}
