//! The catalogue (信用信息目录): shipped as data, checked by the CLI, served by API and UI.

use crate::support::TestApp;
use crate::support::page_text;
use std::process::Command;
use xinrong_core::catalog::{self, Mode, Sensitivity};
use xinrong_store::Backend;

fn xinrong(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_xinrong"))
        .args(args)
        .env("XINRONG_LOG", "warn")
        .output()
        .unwrap()
}

fn repo_catalog() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../catalog/v1")
}

#[test]
fn shipped_catalogue_covers_the_reference() {
    let c = catalog::builtin();
    assert_eq!(c.sections.len(), 21);
    assert_eq!(c.items.len(), 91);
    assert!(c.field_count() >= 800, "{} fields", c.field_count());
    let deposit = c
        .item("housing_fund.deposit_statistics_12m")
        .expect("item from the issue text");
    assert!(!deposit.fields.is_empty());
    let license = c.item("market_registration.business_license").unwrap();
    assert_eq!(license.subject_fields, ["uscc"]);
    assert!(license.modes.contains(&Mode::Push));
    // Natural persons' ID numbers are never public.
    for item in &c.items {
        for f in &item.fields {
            if f.code_table == Some(catalog::CodeTable::ResidentId) {
                assert!(
                    f.sensitivity >= Sensitivity::Authorized,
                    "{}.{}",
                    item.key,
                    f.key
                );
            }
        }
    }
}

#[test]
fn cli_checks_and_lists_the_catalogue() {
    let dir = repo_catalog();
    let check = xinrong(&["catalog", "check", dir.to_str().unwrap()]);
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    assert!(String::from_utf8_lossy(&check.stdout).contains("信息项 91 个"));

    let list = xinrong(&["catalog", "list", "--section", "tax", "--format", "json"]);
    assert!(list.status.success());
    let items: serde_json::Value = serde_json::from_slice(&list.stdout).unwrap();
    assert!(
        items
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["section"] == "tax")
    );
    let bad = xinrong(&["catalog", "list", "--section", "nope"]);
    assert!(String::from_utf8_lossy(&bad.stderr).starts_with("error[catalog.section]:"));
}

#[test]
fn a_broken_catalogue_is_rejected_with_file_and_reason() {
    let src = repo_catalog();
    let dir = std::env::temp_dir().join(format!("xr-cat-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(dir.join("items")).unwrap();
    std::fs::copy(src.join("catalog.toml"), dir.join("catalog.toml")).unwrap();
    let tax = std::fs::read_to_string(src.join("items/tax.toml")).unwrap();
    // Duplicate the first field key of the first item: a data error the check must catch.
    let first_field = tax.split("[[items.fields]]").nth(1).unwrap();
    let broken = tax.replacen(
        "[[items.fields]]",
        &format!("[[items.fields]]{first_field}[[items.fields]]"),
        1,
    );
    std::fs::write(dir.join("items/tax.toml"), broken).unwrap();
    let out = xinrong(&["catalog", "check", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(err.starts_with("error[catalog.rule]: tax.toml："), "{err}");
    assert!(err.contains("重复"), "{err}");
    std::fs::remove_dir_all(dir).ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn api_and_pages_serve_the_catalogue() {
    let app = TestApp::with_demo(Backend::Sqlite).await;
    let token = app.token_for("provider-tax").await;
    let (status, c) = app.api_get(&token, "/api/v1/catalog").await;
    assert_eq!(status, 200);
    assert_eq!(c["items"].as_array().unwrap().len(), 91);
    let key = c["items"][0]["key"].as_str().unwrap().to_owned();
    let (_, item) = app
        .api_get(&token, &format!("/api/v1/catalog/items/{key}"))
        .await;
    assert!(!item["fields"].as_array().unwrap().is_empty());
    let (missing, body) = app.api_get(&token, "/api/v1/catalog/items/tax.nope").await;
    assert_eq!(
        (missing, body["code"].as_str().unwrap()),
        (404, "not_found")
    );

    let client = app.logged_in("bank-icbc").await;
    let index = page_text(&client, app.url("/catalog")).await;
    assert!(index.contains("信用信息目录") && index.contains("营业执照信息"));
    let page = page_text(
        &client,
        app.url("/catalog/market_registration.business_license"),
    )
    .await;
    assert!(page.contains("统一社会信用代码") && page.contains("物理归集"));
    assert!(page.contains("data-sensitivity=\"public\""));
    assert!(page.contains("更新频率") && !page.contains("id=\"severity\""));
    let adverse = page_text(
        &client,
        app.url("/catalog/judicial.dishonest_judgment_debtors"),
    )
    .await;
    assert!(
        adverse.contains("严重（serious）"),
        "失信被执行人 shows its severity"
    );
}
