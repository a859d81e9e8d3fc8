//! Which items a provider may push: the items it is a source unit (责任单位) for.

use crate::error::{ServiceError, ServiceResult};
use crate::platform::Platform;
use xinrong_core::role::Role;
use xinrong_store::repo::{organizations, provider_items};

/// Lets a provider push these items (operator or CLI). Unknown items and non-providers are
/// refused; granting an item twice changes nothing.
pub async fn grant_items(
    platform: &Platform,
    org_id: &str,
    item_keys: &[String],
) -> ServiceResult<()> {
    let org = organizations::get(&platform.db.conn, org_id)
        .await?
        .ok_or(ServiceError::NotFound("机构"))?;
    if org.kind != Role::Provider.code() {
        return Err(ServiceError::invalid(
            "collect.not_provider",
            format!("{} 不是数据提供单位", org.name),
        ));
    }
    let catalog = crate::catalog::current();
    if let Some(unknown) = item_keys.iter().find(|k| catalog.item(k).is_none()) {
        return Err(ServiceError::invalid(
            "catalog.unknown_item",
            format!("目录中没有信息项 {unknown}"),
        ));
    }
    provider_items::grant(
        &platform.db.conn,
        org_id,
        item_keys,
        platform.clock.now_naive(),
    )
    .await?;
    Ok(())
}

pub async fn items_of(platform: &Platform, org_id: &str) -> ServiceResult<Vec<String>> {
    Ok(provider_items::items_of(&platform.db.conn, org_id).await?)
}

/// The demo city's source units: which catalogue sections (or single items) each demo provider
/// answers for, following the responsible units the policy texts name.
pub(crate) fn demo_sources(provider_key: &str) -> &'static [&'static str] {
    match provider_key {
        "market" => &[
            "market_registration",
            "intellectual_property",
            "software_copyright",
            "contract_performance",
            "administrative",
        ],
        "tax" => &["tax"],
        "court" => &["judicial"],
        "hrss" => &["social_insurance"],
        "medins" => &["medical_insurance", "medical_insurance_designation"],
        "housingfund" => &["housing_fund"],
        "ecology" => &["environment"],
        "customs" => &["customs"],
        "natres" => &["real_estate"],
        "agri" => &["agriculture", "agri_related_list"],
        "science" => &["tech_innovation"],
        "trading" => &["public_resource_trading"],
        "health" => &["qualifications.medical"],
        "civil" => &["marital_status"],
        "urban" => &["qualifications.construction", "qualifications.transport"],
        "finance" => &["qualifications.education"],
        "water" => &[
            "utilities.water_account",
            "utilities.water_usage_statistics",
        ],
        "power" => &[
            "utilities.electricity_account",
            "utilities.electricity_usage_statistics",
        ],
        "gas" => &["utilities.gas_account", "utilities.gas_usage_statistics"],
        _ => &[],
    }
}

/// Expands section keys and item keys to the item keys of the catalogue in force.
pub(crate) fn expand(sources: &[&str]) -> Vec<String> {
    let catalog = crate::catalog::current();
    catalog
        .items
        .iter()
        .filter(|i| sources.iter().any(|s| *s == i.key || *s == i.section))
        .map(|i| i.key.clone())
        .collect()
}
