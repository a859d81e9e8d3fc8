//! 自愿填报: the batches enterprises sent about themselves (kind `self_report`).

use crate::entity::batch::{self, Entity as Batch};
use crate::error::StoreResult;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

pub use batch::Model as BatchRow;

pub const KIND: &str = "self_report";

/// The self-report batches sent by these organisations, newest first.
pub async fn batches_of(
    db: &impl ConnectionTrait,
    provider_org_ids: &[String],
) -> StoreResult<Vec<BatchRow>> {
    if provider_org_ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(Batch::find()
        .filter(batch::Column::Kind.eq(KIND))
        .filter(batch::Column::ProviderOrgId.is_in(provider_org_ids.to_vec()))
        .order_by_desc(batch::Column::CreatedAt)
        .order_by_desc(batch::Column::Id)
        .all(db)
        .await?)
}
