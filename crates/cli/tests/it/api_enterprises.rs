//! The enterprise list through the API: search, filters, paging, jurisdiction.

use crate::on_all_backends;
use crate::support::TestApp;
use serde_json::Value;
use xinrong_store::Backend;

async fn get(app: &TestApp, token: &str, query: &str) -> (u16, Value) {
    app.api_get(token, &format!("/api/v1/enterprises{query}"))
        .await
}

async fn search_filters_and_jurisdiction(backend: Backend) {
    let app = TestApp::with_demo(backend).await;
    let operator = app.token_for("operator").await;

    let (status, all) = get(&app, &operator, "?per_page=100").await;
    assert_eq!(status, 200);
    assert_eq!(all["total"], 200);
    assert_eq!(all["items"].as_array().unwrap().len(), 100);
    let (_, page3) = get(&app, &operator, "?per_page=90&page=3").await;
    assert_eq!(page3["items"].as_array().unwrap().len(), 20);

    // Search by part of a name and by a USCC prefix.
    let first = all["items"][0].clone();
    let name: String = first["name"]
        .as_str()
        .unwrap()
        .chars()
        .skip(2)
        .take(4)
        .collect();
    let (_, by_name) = get(&app, &operator, &format!("?q={}", urlencode(&name))).await;
    assert!(
        by_name["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["name"].as_str().unwrap().contains(&name))
    );
    assert!(by_name["total"].as_u64().unwrap() >= 1);
    let uscc = first["uscc"].as_str().unwrap();
    let (_, by_uscc) = get(&app, &operator, &format!("?q={}", &uscc.to_lowercase())).await;
    assert_eq!(by_uscc["total"], 1);
    assert_eq!(by_uscc["items"][0]["uscc"], uscc);
    // LIKE wildcards in user input match literally.
    let (_, wildcard) = get(&app, &operator, "?q=%25").await;
    assert_eq!(wildcard["total"], 0);

    // District and industry filters.
    let (_, jinshui) = get(&app, &operator, "?region=410105&per_page=100").await;
    assert!(
        jinshui["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["region_code"] == "410105")
    );
    let (_, retail) = get(&app, &operator, "?industry=F&per_page=100").await;
    assert!(retail["total"].as_u64().unwrap() > 0);
    assert!(
        retail["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| matches!(e["industry_code"].as_str().unwrap(), "51" | "52"))
    );
    let (_, division) = get(&app, &operator, "?industry=52&per_page=100").await;
    assert!(
        division["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["industry_code"] == "52")
    );

    // Bad filters are named.
    let (status, bad) = get(&app, &operator, "?region=999999").await;
    assert_eq!(status, 422);
    assert_eq!(bad["code"], "region.unknown");
    let (status, bad) = get(&app, &operator, "?industry=Z").await;
    assert_eq!(status, 422);
    assert_eq!(bad["code"], "industry.unknown");

    // A district government sees only its district, whatever it asks for.
    let district = app.token_for("gov-410105").await;
    let (_, own) = get(&app, &district, "?per_page=100").await;
    assert_eq!(own["total"], jinshui["total"]);
    let (_, other) = get(&app, &district, "?region=410102").await;
    assert_eq!(
        other["total"], 0,
        "another district is outside the jurisdiction"
    );
    let (_, wider) = get(&app, &district, "?region=410100&per_page=100").await;
    assert_eq!(
        wider["total"], jinshui["total"],
        "asking for the whole city still gives the district"
    );
    // The city government sees the whole city.
    let city = app.token_for("gov").await;
    let (_, whole) = get(&app, &city, "").await;
    assert_eq!(whole["total"], 200);
}
on_all_backends!(search_filters_and_jurisdiction);

fn urlencode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}
