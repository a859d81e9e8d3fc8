//! 企业基础信息 (enterprise master data) kept current from the registration items: a business
//! licence (营业执照信息) creates or updates the enterprise, the legal representative and
//! industry items update their columns. Other items only add records about known subjects.

use crate::error::ServiceResult;
use chrono::{NaiveDate, NaiveDateTime};
use serde_json::{Map, Value};
use std::collections::{HashMap, HashSet};
use xinrong_core::codes::region::regions;
use xinrong_core::codes::uscc::Uscc;
use xinrong_core::money::Fen;
use xinrong_store::repo::enterprises::{self, EnterpriseRow, MasterUpdate};

pub(super) const BUSINESS_LICENSE: &str = "market_registration.business_license";
const LEGAL_REPRESENTATIVE: &str = "market_registration.legal_representative_info";
const INDUSTRY: &str = "market_registration.industry_classification";

/// Whether records of this item may name an enterprise the platform does not know yet.
pub(super) fn creates_subjects(item_key: &str) -> bool {
    item_key == BUSINESS_LICENSE
}

/// Whether records of this item update the enterprise master.
pub(super) fn updates_master(item_key: &str) -> bool {
    matches!(item_key, BUSINESS_LICENSE | LEGAL_REPRESENTATIVE | INDUSTRY)
}

fn text<'a>(values: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    values
        .get(key)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
}

/// What one accepted row of a master item says about its enterprise.
fn update_of(item_key: &str, values: &Map<String, Value>) -> MasterUpdate {
    let mut update = MasterUpdate::default();
    match item_key {
        BUSINESS_LICENSE => {
            update.name = text(values, "enterprise_name").map(str::to_owned);
            update.legal_rep_name = text(values, "legal_representative").map(str::to_owned);
            update.established = text(values, "establishment_date")
                .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
            update.registered_capital_fen = text(values, "registered_capital")
                .and_then(Fen::parse_yuan)
                .map(|f| f.0);
        }
        LEGAL_REPRESENTATIVE => {
            update.name = text(values, "enterprise_name").map(str::to_owned);
            update.legal_rep_name = text(values, "legal_rep_name").map(str::to_owned);
        }
        INDUSTRY => {
            update.name = text(values, "enterprise_name").map(str::to_owned);
            update.industry_code = text(values, "industry_code")
                .map(|c| {
                    c.chars()
                        .filter(char::is_ascii_digit)
                        .take(2)
                        .collect::<String>()
                })
                .filter(|c| c.len() == 2);
        }
        _ => {}
    }
    update
}

/// Applies the rows of one chunk: updates known enterprises, creates new ones from business
/// licences (region from the USCC's registering authority). Returns nothing to report: a master
/// update never rejects a row that passed the catalogue checks.
pub(super) async fn apply(
    conn: &impl sea_orm::ConnectionTrait,
    item_key: &str,
    rows: &[(&str, &Map<String, Value>)],
    known: &HashSet<String>,
    now: NaiveDateTime,
) -> ServiceResult<()> {
    let mut created: HashMap<String, EnterpriseRow> = HashMap::new();
    for (subject, values) in rows {
        let update = update_of(item_key, values);
        if known.contains(*subject) {
            enterprises::apply_master(conn, subject, &update).await?;
        } else if creates_subjects(item_key) {
            let region = Uscc::parse(subject)
                .ok()
                .map(|u| u.region_code().to_owned())
                .filter(|r| regions().get(r).is_some())
                .unwrap_or_default();
            // A later row of the same chunk for the same new enterprise wins.
            created.insert(
                (*subject).to_owned(),
                EnterpriseRow {
                    uscc: (*subject).to_owned(),
                    name: update.name.clone().unwrap_or_default(),
                    region_code: region,
                    industry_code: String::new(),
                    established: update.established.unwrap_or_else(|| now.date()),
                    registered_capital_fen: update.registered_capital_fen.unwrap_or(0),
                    employees: 0,
                    size_class: String::new(),
                    legal_rep_name: update.legal_rep_name.clone().unwrap_or_default(),
                    legal_rep_id_number: String::new(),
                    created_at: now,
                },
            );
        }
    }
    enterprises::insert_many(conn, created.into_values().collect()).await?;
    Ok(())
}
