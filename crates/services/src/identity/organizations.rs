//! Organisations (机构).

use crate::error::{ServiceError, ServiceResult};
use crate::platform::Platform;
use xinrong_core::codes::region::regions;
use xinrong_core::codes::uscc::Uscc;
use xinrong_core::ids;
use xinrong_core::role::{InstitutionKind, Role};
use xinrong_store::repo::organizations::{self, OrganizationRow};

#[derive(Debug, Clone)]
pub struct NewOrganization {
    pub id: Option<String>,
    pub role: Role,
    pub name: String,
    pub uscc: Option<String>,
    pub region_code: Option<String>,
    pub institution_kind: Option<InstitutionKind>,
}

/// Validates and stores an organisation; returns its ID.
pub async fn create_organization(
    platform: &Platform,
    new: NewOrganization,
) -> ServiceResult<OrganizationRow> {
    let row = organization_row(platform, new)?;
    organizations::insert(&platform.db.conn, row.clone()).await?;
    Ok(row)
}

/// The row a new organisation becomes, after every check; no IO, so bulk loaders reuse it.
pub(crate) fn organization_row(
    platform: &Platform,
    new: NewOrganization,
) -> ServiceResult<OrganizationRow> {
    let name = new.name.trim().to_owned();
    if name.is_empty() || name.chars().count() > 200 {
        return Err(ServiceError::invalid(
            "organization.name",
            "机构名称不能为空且不超过200字",
        ));
    }
    let uscc = new.uscc.as_deref().map(Uscc::parse).transpose()?;
    if new.role == Role::Enterprise && uscc.is_none() {
        return Err(ServiceError::invalid(
            "organization.uscc_required",
            "企业须提供统一社会信用代码",
        ));
    }
    if let Some(code) = &new.region_code
        && regions().get(code).is_none()
    {
        return Err(ServiceError::invalid(
            "region.unknown",
            format!("未知行政区划代码：{code}"),
        ));
    }
    if new.role == Role::Government && new.region_code.is_none() {
        return Err(ServiceError::invalid(
            "organization.jurisdiction_required",
            "政府部门须指定管辖区域",
        ));
    }
    if new.institution_kind.is_some() != (new.role == Role::Institution) {
        return Err(ServiceError::invalid(
            "organization.institution_kind",
            "仅接入机构须指定机构类别",
        ));
    }
    Ok(OrganizationRow {
        id: new.id.unwrap_or_else(|| ids::new_id().to_string()),
        kind: new.role.code().to_owned(),
        name,
        uscc: uscc.map(|u| u.as_str().to_owned()),
        region_code: new.region_code,
        institution_kind: new.institution_kind.map(|k| k.code().to_owned()),
        created_at: platform.clock.now_naive(),
    })
}

pub async fn list_organizations(
    platform: &Platform,
    role: Option<Role>,
) -> ServiceResult<Vec<OrganizationRow>> {
    Ok(organizations::list(&platform.db.conn, role.map(|r| r.code())).await?)
}

/// The operator registers an organisation (a bank joining, a new provider, a district office).
pub async fn add_organization(
    platform: &Platform,
    actor: &super::Principal,
    new: NewOrganization,
) -> ServiceResult<OrganizationRow> {
    actor.require(&[Role::Operator])?;
    let row = create_organization(platform, new)
        .await
        .map_err(|e| match e {
            ServiceError::Store(xinrong_store::StoreError::Conflict(_)) => {
                ServiceError::Conflict("该统一社会信用代码的机构已存在".to_owned())
            }
            other => other,
        })?;
    tracing::info!(actor = %actor.username, org = %row.id, kind = %row.kind, "organization created");
    Ok(row)
}

pub async fn get_organization(platform: &Platform, id: &str) -> ServiceResult<OrganizationRow> {
    organizations::get(&platform.db.conn, id)
        .await?
        .ok_or(ServiceError::NotFound("机构"))
}
