//! Source-unit grants of providers.

use crate::entity::provider_item::{self, Entity as ProviderItem};
use crate::error::StoreResult;
use chrono::NaiveDateTime;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder,
};

pub use provider_item::Model as ProviderItemRow;

/// Grants items to a provider; granting again is a no-op. (Existing grants are skipped by a
/// read first: `ON CONFLICT DO NOTHING` has no portable spelling on MySQL.)
pub async fn grant(
    db: &impl ConnectionTrait,
    org_id: &str,
    item_keys: &[String],
    at: NaiveDateTime,
) -> StoreResult<()> {
    let existing = items_of(db, org_id).await?;
    let mut rows: Vec<_> = item_keys
        .iter()
        .filter(|k| !existing.contains(k))
        .map(|k| provider_item::ActiveModel {
            org_id: Set(org_id.to_owned()),
            item_key: Set(k.clone()),
            created_at: Set(at),
        })
        .collect();
    rows.dedup_by(|a, b| a.item_key == b.item_key);
    for chunk in rows.chunks(500) {
        ProviderItem::insert_many(chunk.to_vec())
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

pub async fn is_granted(
    db: &impl ConnectionTrait,
    org_id: &str,
    item_key: &str,
) -> StoreResult<bool> {
    Ok(ProviderItem::find()
        .filter(provider_item::Column::OrgId.eq(org_id))
        .filter(provider_item::Column::ItemKey.eq(item_key))
        .count(db)
        .await?
        > 0)
}

pub async fn items_of(db: &impl ConnectionTrait, org_id: &str) -> StoreResult<Vec<String>> {
    Ok(ProviderItem::find()
        .filter(provider_item::Column::OrgId.eq(org_id))
        .order_by_asc(provider_item::Column::ItemKey)
        .all(db)
        .await?
        .into_iter()
        .map(|r| r.item_key)
        .collect())
}
