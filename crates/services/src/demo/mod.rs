//! The demo city (演示城市): `xinrong demo` and `serve --demo` fill an empty database with a
//! plausible synthetic city — enterprises, every kind of organisation, and a login for each role.
//! Deterministic for a seed (and for the database's "now" day).

mod city;
mod finance;
mod names;
mod organizations;
mod records;
mod rows;

use crate::error::{ServiceError, ServiceResult};
use crate::identity::hash_password;
use crate::platform::Platform;
use city::{CityRegions, EnterpriseGenerator};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::Serialize;
use std::time::Instant;
use xinrong_core::codes::region::regions;
use xinrong_store::repo::{enterprises, organizations as org_repo, provider_items, users};

pub use organizations::DEMO_PASSWORD_PREFIX;
pub use records::RecordSummary;

#[derive(Debug, Clone)]
pub struct DemoOptions {
    pub enterprises: u32,
    pub seed: u64,
    /// A prefecture-level region: 4-digit prefix (`4101`) or 6-digit code (`410100`).
    pub region: String,
    /// Catalogue records per enterprise on average (演示记录), written through the real push
    /// path after the city is committed; 0 leaves the city without records.
    pub records_per_enterprise: u32,
    /// Whether to fill the financing services (products, applications in every state, loans,
    /// white list, a fund with claims, payables, policies, the green library).
    pub finance: bool,
}

impl Default for DemoOptions {
    fn default() -> Self {
        DemoOptions {
            enterprises: 2_000,
            seed: 1,
            region: "4101".to_owned(),
            records_per_enterprise: 0,
            finance: false,
        }
    }
}

/// A demo login, printed for the person trying the platform.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct DemoCredential {
    pub role: String,
    pub username: String,
    pub password: String,
    pub organization: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct DemoSummary {
    pub region_code: String,
    pub region_name: String,
    pub enterprises: u32,
    pub organizations: usize,
    pub users: usize,
    pub seconds: f64,
    /// Catalogue records written (演示记录), and the seconds that took (inside `seconds`).
    pub records: u64,
    pub record_seconds: f64,
    /// Records per item.
    pub records_per_item: std::collections::BTreeMap<String, u64>,
    pub credentials: Vec<DemoCredential>,
}

/// Fills an empty database with the demo city. Refuses a database that already has
/// organisations, so a real platform cannot be polluted by accident. The city (organisations,
/// logins, enterprises, agreements) is all or nothing; its records then follow item by item, each
/// batch through the push path in its own transaction.
pub async fn seed_demo(platform: &Platform, options: &DemoOptions) -> ServiceResult<DemoSummary> {
    let started = Instant::now();
    let city_code = normalise_city(&options.region)?;
    let city = regions().get(&city_code).expect("checked above");
    let city_name = city.name.to_string();
    let counties: Vec<(String, u32)> = regions()
        .counties_of(&city_code)
        .into_iter()
        .map(|r| {
            let code = r.code.to_string();
            // 市辖区 (districts, codes 01–20) are the urban core and hold most enterprises.
            let weight = if r.name.ends_with('区') { 3 } else { 1 };
            (code, weight)
        })
        .collect();
    if counties.is_empty() {
        return Err(ServiceError::invalid(
            "demo.region",
            format!("{city_name}没有下辖县区，无法生成演示城市"),
        ));
    }
    let province_prefix = &city_code[..2];
    let resident_regions: Vec<String> = regions()
        .counties_of(&format!("{province_prefix}0000"))
        .into_iter()
        .map(|r| r.code.to_string())
        .collect();

    if org_repo::count(&platform.db.conn).await? > 0 {
        return Err(ServiceError::invalid(
            "demo.not_empty",
            "数据库中已有机构数据，演示城市只能写入空数据库",
        ));
    }

    let password = organizations::demo_password(options.seed);
    let password_hash = hash_password(&password)?;
    let plan = organizations::plan(
        platform,
        options.seed,
        &city_code,
        &city_name,
        &counties,
        &password,
        &password_hash,
    )?;

    let now = platform.clock.now_naive();
    let city_regions = CityRegions {
        counties: counties.clone(),
        resident_regions,
    };
    let rng = ChaCha8Rng::seed_from_u64(options.seed);
    let mut generator = EnterpriseGenerator::new(rng, &city_regions, &city_name, now);
    let mut enterprise_rows = Vec::with_capacity(options.enterprises as usize);
    for _ in 0..options.enterprises {
        enterprise_rows.push(generator.next_enterprise());
    }
    let enterprise_logins =
        organizations::enterprise_logins(platform, &enterprise_rows, &password, &password_hash)?;

    let txn = platform.db.begin().await?;
    let mut org_count = 0;
    let mut user_count = 0;
    for (org, user) in plan
        .accounts
        .iter()
        .chain(enterprise_logins.accounts.iter())
    {
        org_repo::insert(&txn, org.clone()).await?;
        org_count += 1;
        if let Some(user) = user {
            users::insert(&txn, user.clone()).await?;
            user_count += 1;
        }
    }
    for (org_id, key) in &plan.providers {
        let items = crate::collect::grants::expand(crate::collect::grants::demo_sources(key));
        provider_items::grant(&txn, org_id, &items, now).await?;
    }
    let record_subjects = if options.records_per_enterprise > 0 {
        records::subjects(options.seed, &enterprise_rows)
    } else {
        Vec::new()
    };
    enterprises::insert_many(&txn, enterprise_rows).await?;
    // Every demo institution gets an active sharing agreement (all sections, all purposes,
    // three years), so a fresh demo city is usable at once.
    let institutions: Vec<_> = plan
        .accounts
        .iter()
        .map(|(org, _)| org.clone())
        .filter(|o| o.kind == xinrong_core::role::Role::Institution.code())
        .collect();
    crate::agreements::seed_demo(&txn, platform, &institutions).await?;
    txn.commit()
        .await
        .map_err(xinrong_store::StoreError::from)?;

    // Records go through the real push path, one batch per item from the provider that answers
    // for it, once the city they are about exists.
    let provider_orgs: Vec<_> = plan
        .providers
        .iter()
        .filter_map(|(id, key)| {
            plan.accounts
                .iter()
                .find(|(org, _)| &org.id == id)
                .map(|(org, _)| (org.clone(), *key))
        })
        .collect();
    let records = records::seed_records(
        platform,
        options.seed,
        options.records_per_enterprise,
        &city_name,
        &record_subjects,
        &provider_orgs,
    )
    .await?;

    if options.finance {
        // Products, policies and applications judge enterprises by their grade and tags, so
        // a city with records is evaluated first, as the server's follower would do.
        if options.records_per_enterprise > 0 {
            crate::evaluation::evaluate_all(platform, xinrong_core::evaluation::Model::builtin())
                .await?;
        }
        finance::seed(platform, options.seed).await?;
    }

    let mut credentials = plan.credentials;
    credentials.extend(enterprise_logins.credentials);
    Ok(DemoSummary {
        region_code: city_code,
        region_name: city_name,
        enterprises: options.enterprises,
        organizations: org_count,
        users: user_count,
        seconds: started.elapsed().as_secs_f64(),
        records: records.records,
        record_seconds: records.seconds,
        records_per_item: records.per_item,
        credentials,
    })
}

/// `4101` or `410100` → `410100`, checked to be a prefecture-level region.
fn normalise_city(region: &str) -> ServiceResult<String> {
    let code = match region.len() {
        4 => format!("{region}00"),
        _ => region.to_owned(),
    };
    let known = regions().get(&code).is_some();
    if !known || !code.ends_with("00") || code.ends_with("0000") {
        return Err(ServiceError::invalid(
            "demo.region",
            format!("演示城市须为地级行政区划代码（如 4101 或 410100），而不是“{region}”"),
        ));
    }
    Ok(code)
}
