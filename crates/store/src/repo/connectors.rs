//! Connectors (接口调用配置) of providers.

use crate::entity::connector::{self, Entity as Connector};
use crate::entity::provider_item::{self, Entity as ProviderItem};
use crate::error::StoreResult;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder,
};

pub use connector::Model as ConnectorRow;

/// Creates or replaces a provider's connector.
pub async fn upsert(db: &impl ConnectionTrait, row: ConnectorRow) -> StoreResult<()> {
    let exists = Connector::find_by_id(row.org_id.clone())
        .one(db)
        .await?
        .is_some();
    let active = row.into_active_model().reset_all();
    if exists {
        active.update(db).await?;
    } else {
        Connector::insert(active).exec_without_returning(db).await?;
    }
    Ok(())
}

pub async fn get(db: &impl ConnectionTrait, org_id: &str) -> StoreResult<Option<ConnectorRow>> {
    Ok(Connector::find_by_id(org_id.to_owned()).one(db).await?)
}

pub async fn list(db: &impl ConnectionTrait) -> StoreResult<Vec<ConnectorRow>> {
    Ok(Connector::find()
        .order_by_asc(connector::Column::OrgId)
        .all(db)
        .await?)
}

/// The enabled connectors of the providers granted `item_key` (its source units), in a stable
/// order.
pub async fn for_item(db: &impl ConnectionTrait, item_key: &str) -> StoreResult<Vec<ConnectorRow>> {
    let orgs: Vec<String> = ProviderItem::find()
        .filter(provider_item::Column::ItemKey.eq(item_key))
        .all(db)
        .await?
        .into_iter()
        .map(|g| g.org_id)
        .collect();
    if orgs.is_empty() {
        return Ok(Vec::new());
    }
    Ok(Connector::find()
        .filter(connector::Column::OrgId.is_in(orgs))
        .filter(connector::Column::Enabled.eq(true))
        .order_by_asc(connector::Column::OrgId)
        .all(db)
        .await?)
}
