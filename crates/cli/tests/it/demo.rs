//! The demo city is realistic: valid codes from real districts, every role present, a plausible
//! mix of industries and sizes.

use std::collections::{HashMap, HashSet};
use xinrong_core::codes::industry::industries;
use xinrong_core::codes::region::regions;
use xinrong_core::codes::resident_id::ResidentId;
use xinrong_core::codes::uscc::Uscc;
use xinrong_core::role::Role;
use xinrong_services::Platform;
use xinrong_services::demo::{DemoOptions, seed_demo};
use xinrong_services::identity::list_organizations;
use xinrong_store::Backend;
use xinrong_store::repo::enterprises::{self, EnterpriseFilter};
use xinrong_store::testing::TestDb;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_city_is_realistic() {
    let db = TestDb::new(Backend::Sqlite).await;
    let platform = Platform::new(db.db.clone());
    let summary = seed_demo(
        &platform,
        &DemoOptions {
            enterprises: 3_000,
            seed: 5,
            region: "411500".into(),
            records_per_enterprise: 0,
            finance: false,
        },
    )
    .await
    .unwrap();
    assert_eq!(summary.region_name, "信阳市");

    let rows = enterprises::scan_after(
        &platform.db.conn,
        &EnterpriseFilter::default(),
        None,
        10_000,
    )
    .await
    .unwrap();
    assert_eq!(rows.len(), 3_000);
    let counties: HashSet<&str> = regions()
        .counties_of("4115")
        .iter()
        .map(|r| r.code)
        .collect();
    let mut usccs = HashSet::new();
    let mut names = HashSet::new();
    let mut sizes: HashMap<String, usize> = HashMap::new();
    let mut sections: HashMap<&str, usize> = HashMap::new();
    for e in &rows {
        let uscc = Uscc::parse(&e.uscc).expect("valid USCC");
        assert_eq!(
            uscc.region_code(),
            e.region_code,
            "USCC region part is the district"
        );
        assert!(
            counties.contains(e.region_code.as_str()),
            "{} is a district of 信阳",
            e.region_code
        );
        assert!(usccs.insert(e.uscc.clone()), "unique USCC");
        assert!(names.insert(e.name.clone()), "unique name {}", e.name);
        let id = ResidentId::parse(&e.legal_rep_id_number).expect("valid ID");
        assert!(
            id.region_code().starts_with("41"),
            "legal representatives are from the province"
        );
        assert!(e.established < chrono::Utc::now().date_naive());
        assert!(
            e.registered_capital_fen > 0 && e.registered_capital_fen % 1_000_000 == 0,
            "whole 万元"
        );
        *sizes.entry(e.size_class.clone()).or_default() += 1;
        *sections
            .entry(
                industries()
                    .section_of_division(&e.industry_code)
                    .unwrap()
                    .code,
            )
            .or_default() += 1;
    }
    // Micro and small enterprises dominate, as in every Chinese city; a few are large.
    let micro_small =
        sizes.get("micro").copied().unwrap_or(0) + sizes.get("small").copied().unwrap_or(0);
    assert!(micro_small * 100 / rows.len() >= 75, "{sizes:?}");
    assert!(
        sizes.get("large").copied().unwrap_or(0) < rows.len() / 20,
        "{sizes:?}"
    );
    // Wholesale and retail is the largest section; manufacturing is well represented.
    let top = sections.iter().max_by_key(|(_, n)| **n).unwrap().0;
    assert_eq!(*top, "F", "{sections:?}");
    assert!(sections["C"] > rows.len() / 20);

    let orgs = list_organizations(&platform, None).await.unwrap();
    for role in Role::ALL {
        assert!(orgs.iter().any(|o| o.kind == role.code()), "{role} present");
    }
    let banks = orgs
        .iter()
        .filter(|o| o.institution_kind.as_deref() == Some("bank"))
        .count();
    assert!(banks >= 10, "{banks} banks");
    for kind in ["guarantor", "insurer", "credit_agency"] {
        assert!(
            orgs.iter()
                .any(|o| o.institution_kind.as_deref() == Some(kind)),
            "{kind}"
        );
    }
    let providers: Vec<&str> = orgs
        .iter()
        .filter(|o| o.kind == "provider")
        .map(|o| o.name.as_str())
        .collect();
    for unit in [
        "市场监督管理局",
        "税务局",
        "法院",
        "人力资源和社会保障局",
        "医疗保障局",
        "住房公积金",
        "自来水",
        "供电",
        "燃气",
    ] {
        assert!(
            providers.iter().any(|p| p.contains(unit)),
            "provider {unit}"
        );
    }
    let governments = orgs.iter().filter(|o| o.kind == "government").count();
    assert_eq!(
        governments,
        counties.len() + 1,
        "the city and each district"
    );
    for org in orgs.iter().filter_map(|o| o.uscc.as_deref()) {
        Uscc::parse(org).expect("organisation USCCs are valid too");
    }
    let roles: HashSet<&str> = summary
        .credentials
        .iter()
        .map(|c| c.role.as_str())
        .collect();
    assert_eq!(roles.len(), 5, "a login for every role");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_rejects_a_region_that_is_not_a_city() {
    let db = TestDb::new(Backend::Sqlite).await;
    let platform = Platform::new(db.db.clone());
    for region in ["410105", "410000", "999900", "abc"] {
        let err = seed_demo(
            &platform,
            &DemoOptions {
                enterprises: 10,
                seed: 1,
                region: region.into(),
                records_per_enterprise: 0,
                finance: false,
            },
        )
        .await
        .unwrap_err();
        assert_eq!(err.code(), "demo.region", "{region}");
    }
}
