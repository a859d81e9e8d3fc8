//! The enterprise list: search by name or USCC, filter by district and industry, page through.
//! A government user sees only its jurisdiction; the operator sees all.

use super::region_prefix;
use crate::error::{ServiceError, ServiceResult};
use crate::identity::Principal;
use crate::platform::Platform;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use xinrong_core::codes::industry::industries;
use xinrong_core::codes::region::regions;
use xinrong_core::codes::size_class::SizeClass;
use xinrong_core::role::Role;
use xinrong_store::repo::enterprises::{self, EnterpriseFilter, EnterpriseRow};

pub const MAX_PER_PAGE: u64 = 100;

#[derive(Debug, Clone, Default, Deserialize)]
pub struct EnterpriseQuery {
    /// Part of the name, or the (leading part of the) USCC.
    pub q: Option<String>,
    /// A GB/T 2260 code: a district, or a city to mean all its districts.
    pub region: Option<String>,
    /// A GB/T 4754 section letter (e.g. `C`) or two-digit division (e.g. `52`).
    pub industry: Option<String>,
    pub page: Option<u64>,
    pub per_page: Option<u64>,
}

/// What the list shows of an enterprise: registration facts that are public (公示) by law.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct EnterpriseSummary {
    pub uscc: String,
    pub name: String,
    pub region_code: String,
    pub region_name: String,
    pub industry_code: String,
    pub industry_name: String,
    pub established: NaiveDate,
    pub size_class: String,
    pub size_class_label: String,
    pub registered_capital_fen: i64,
}

impl From<EnterpriseRow> for EnterpriseSummary {
    fn from(row: EnterpriseRow) -> Self {
        let region_name = regions()
            .get(&row.region_code)
            .map(|r| r.name.to_string())
            .unwrap_or_default();
        let industry_name = industries()
            .division(&row.industry_code)
            .map(|d| d.name.to_string())
            .unwrap_or_default();
        let size_class_label = row
            .size_class
            .parse::<SizeClass>()
            .map(|s| s.label_zh().to_owned())
            .unwrap_or_default();
        EnterpriseSummary {
            uscc: row.uscc,
            name: row.name,
            region_code: row.region_code,
            region_name,
            industry_code: row.industry_code,
            industry_name,
            established: row.established,
            size_class: row.size_class,
            size_class_label,
            registered_capital_fen: row.registered_capital_fen,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct SearchPage {
    pub items: Vec<EnterpriseSummary>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
}

impl SearchPage {
    pub fn pages(&self) -> u64 {
        self.total.div_ceil(self.per_page).max(1)
    }
}

pub async fn search(
    platform: &Platform,
    principal: &Principal,
    query: &EnterpriseQuery,
) -> ServiceResult<SearchPage> {
    principal.require(&[Role::Operator, Role::Government])?;
    let filter = filter_for(principal, query)?;
    let page = query.page.unwrap_or(1).max(1);
    let per_page = query.per_page.unwrap_or(20).clamp(1, MAX_PER_PAGE);
    let (rows, total) = enterprises::search(&platform.db.conn, &filter, page, per_page).await?;
    Ok(SearchPage {
        items: rows.into_iter().map(EnterpriseSummary::from).collect(),
        total,
        page,
        per_page,
    })
}

/// Turns a query into a storage filter, narrowed to what the principal may see.
pub(crate) fn filter_for(
    principal: &Principal,
    query: &EnterpriseQuery,
) -> ServiceResult<EnterpriseFilter> {
    let requested = match query.region.as_deref().filter(|r| !r.is_empty()) {
        Some(code) => {
            if regions().get(code).is_none() {
                return Err(ServiceError::invalid(
                    "region.unknown",
                    format!("未知行政区划代码：{code}"),
                ));
            }
            Some(region_prefix(code))
        }
        None => None,
    };
    let allowed = match principal.role {
        Role::Government => Some(region_prefix(
            principal.region_code.as_deref().unwrap_or("--"),
        )),
        _ => None,
    };
    let region_prefixes = match (requested, allowed) {
        (None, None) => None,
        (Some(r), None) | (None, Some(r)) => Some(vec![r]),
        // The narrower of the two if one contains the other; nothing if they are disjoint.
        (Some(r), Some(a)) if r.starts_with(&a) => Some(vec![r]),
        (Some(r), Some(a)) if a.starts_with(&r) => Some(vec![a]),
        (Some(_), Some(_)) => Some(vec![]),
    };
    let industry_codes = match query.industry.as_deref().filter(|i| !i.is_empty()) {
        None => None,
        Some(code) if code.len() == 1 => {
            let section = code.to_uppercase();
            if industries().section(&section).is_none() {
                return Err(ServiceError::invalid(
                    "industry.unknown",
                    format!("未知行业门类：{code}"),
                ));
            }
            Some(
                industries()
                    .divisions_of(&section)
                    .map(|d| d.code.to_string())
                    .collect(),
            )
        }
        Some(code) => {
            if industries().division(code).is_none() {
                return Err(ServiceError::invalid(
                    "industry.unknown",
                    format!("未知行业大类：{code}"),
                ));
            }
            Some(vec![code.to_owned()])
        }
    };
    Ok(EnterpriseFilter {
        text: query.q.clone(),
        region_prefixes,
        industry_codes,
    })
}
