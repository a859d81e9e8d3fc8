//! The one access decision and the one masking policy, through every output path: API JSON, the
//! HTML page, CSV and XLSX exports and `xinrong view`. 授权共享 values never leave in clear
//! without an active authorization; 有条件共享 values are masked; refusals say why and carry no
//! data; every read that shows data is in the access log the subject reads and `xinrong audit`.

use crate::on_all_backends;
use crate::support::{TestApp, demo_user, page_text, temp_file, xinrong};
use std::io::Read;
use xinrong_core::codes::resident_id::ResidentId;
use xinrong_core::role::{InstitutionKind, Role};
use xinrong_services::Platform;
use xinrong_services::collect::{BatchKind, Encoding, Format, IngestRequest, ingest};
use xinrong_services::identity::{
    NewOrganization, NewUser, create_organization, create_user, list_organizations,
};
use xinrong_store::Backend;

const JUDGMENTS: &str = "judicial.court_judgments";
const ARREARS: &str = "tax.tax_arrears";

async fn provider(platform: &Platform, name_part: &str) -> String {
    list_organizations(platform, Some(Role::Provider))
        .await
        .unwrap()
        .into_iter()
        .find(|o| o.name.contains(name_part))
        .expect("demo provider")
        .id
}

async fn push(platform: &Platform, provider: &str, item: &str, csv: &str) {
    let file = temp_file(csv.as_bytes());
    let report = ingest(
        platform,
        IngestRequest {
            item_key: item,
            provider_org_id: provider,
            format: Format::Csv,
            encoding: Encoding::Auto,
            strict: true,
            kind: BatchKind::Regular,
            path: &file.0,
            progress: None,
        },
    )
    .await
    .expect("batch accepted");
    assert!(report.applied && report.rejected == 0, "{report:?}");
}

/// The enterprise user `ent-1`'s USCC: the subject of these tests.
pub(crate) async fn subject_of_ent1(app: &TestApp) -> String {
    let token = app.token_for(demo_user(Role::Enterprise)).await;
    let (_, me) = app.api_get(&token, "/api/v1/me").await;
    me["org_uscc"]
        .as_str()
        .expect("enterprise user has a USCC")
        .to_owned()
}

/// A plaintiff's name and ID number no test fixture contains: found anywhere, they leaked.
fn random(range: std::ops::Range<u128>) -> u128 {
    range.start + uuid::Uuid::new_v4().as_u128() % (range.end - range.start)
}

fn secrets() -> (String, String) {
    let name = format!("原告{}", random(100_000..999_999));
    let body = format!("410105{}0101{:03}", random(1950..2000), random(0..999));
    let id = ResidentId::from_body(&body)
        .expect("valid body")
        .as_str()
        .to_owned();
    (name, id)
}

pub(crate) async fn seed(app: &TestApp, subject: &str) -> (String, String) {
    let (name, id) = secrets();
    let court = provider(&app.platform, "法院").await;
    push(
        &app.platform,
        &court,
        JUDGMENTS,
        &format!(
            "uscc,case_no,cause_of_action,plaintiff_name,plaintiff_id_no_or_uscc,judgment_result\n{subject},（2026）豫01民初{}号,买卖合同纠纷,{name},{id},驳回诉讼请求\n",
            random(1000..9999)
        ),
    )
    .await;
    let tax = provider(&app.platform, "税务").await;
    push(
        &app.platform,
        &tax,
        ARREARS,
        &format!("uscc,has_tax_arrears,tax_arrears_amount\n{subject},true,1234567.89\n"),
    )
    .await;
    (name, id)
}

fn xlsx_text(bytes: &[u8]) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("an XLSX is a zip");
    let mut text = String::new();
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).unwrap();
        part.read_to_string(&mut text).ok();
    }
    text
}

async fn bank_org_id(app: &TestApp) -> String {
    let token = app.token_for(demo_user(Role::Institution)).await;
    let (_, me) = app.api_get(&token, "/api/v1/me").await;
    me["org_id"].as_str().unwrap().to_owned()
}

on_all_backends!(authorized_values_never_leave_in_clear_without_an_authorization);
async fn authorized_values_never_leave_in_clear_without_an_authorization(backend: Backend) {
    let app = TestApp::with_demo(backend).await;
    let subject = subject_of_ent1(&app).await;
    let (name, id) = seed(&app, &subject).await;
    let bank = app.token_for(demo_user(Role::Institution)).await;
    let bank_org = bank_org_id(&app).await;
    let browser = app.logged_in(demo_user(Role::Institution)).await;
    let query =
        "purpose=pre_loan&purpose_text=%E6%B5%81%E5%8A%A8%E8%B5%84%E9%87%91%E8%B4%B7%E6%AC%BE";

    // Every output path, without an authorization.
    let (status, json) = app
        .api_get(&bank, &format!("/api/v1/subjects/{subject}?{query}"))
        .await;
    assert_eq!(status, 200, "{json}");
    let html = page_text(&browser, app.url(&format!("/subjects/{subject}?{query}"))).await;
    let csv = reqwest::Client::new()
        .get(app.url(&format!(
            "/api/v1/subjects/{subject}/export?format=csv&{query}"
        )))
        .bearer_auth(&bank)
        .send()
        .await
        .unwrap();
    assert_eq!(csv.status(), 200);
    let csv = csv.text().await.unwrap();
    let xlsx = browser
        .get(app.url(&format!("/subjects/{subject}/export?format=xlsx&{query}")))
        .send()
        .await
        .unwrap();
    assert_eq!(xlsx.status(), 200);
    let xlsx = xlsx_text(&xlsx.bytes().await.unwrap());
    let cli = xinrong(
        &app.db_url(),
        &[
            "view",
            "--subject",
            &subject,
            "--as",
            &bank_org,
            "--purpose",
            "贷前调查",
            "--format",
            "json",
        ],
    );
    assert!(
        cli.status.success(),
        "{}",
        String::from_utf8_lossy(&cli.stderr)
    );
    let cli_json = String::from_utf8(cli.stdout).unwrap();
    let cli_csv = xinrong(
        &app.db_url(),
        &[
            "view",
            "--subject",
            &subject,
            "--as",
            &bank_org,
            "--purpose",
            "pre_loan",
            "--format",
            "csv",
        ],
    );
    let cli_csv = String::from_utf8(cli_csv.stdout).unwrap();
    for (path, out) in [
        ("api", json.to_string()),
        ("html", html.clone()),
        ("csv", csv.clone()),
        ("xlsx", xlsx.clone()),
        ("cli json", cli_json.clone()),
        ("cli csv", cli_csv.clone()),
    ] {
        assert!(!out.contains(&name), "{path} leaked the plaintiff's name");
        assert!(
            !out.contains(&id),
            "{path} leaked the plaintiff's ID number"
        );
        assert!(
            !out.contains("1234567.89"),
            "{path} leaked the restricted amount"
        );
        assert!(
            out.contains("100万–500万元"),
            "{path} shows the amount's band: {out}"
        );
    }
    // The API and the CLI hand out the same view.
    let cli_view: serde_json::Value = serde_json::from_str(&cli_json).unwrap();
    assert_eq!(
        cli_view["items"], json["items"],
        "view --as prints what the API returns"
    );
    let judgments = json["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["item_key"] == JUDGMENTS)
        .expect("the judgment item");
    assert_eq!(judgments["notice"]["code"], "access.authorization_required");
    let field = |item: &serde_json::Value, key: &str| {
        item["records"][0]["fields"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["key"] == key)
            .cloned()
            .unwrap()
    };
    assert_eq!(field(judgments, "plaintiff_name")["disclosure"], "withheld");
    assert_eq!(field(judgments, "cause_of_action")["value"], "买卖合同纠纷");
    assert!(html.contains("未提供") && html.contains("买卖合同纠纷"));

    // An authorization for the judgments and this purpose opens them, in clear.
    let grant = xinrong(
        &app.db_url(),
        &[
            "authz",
            "grant",
            "--subject",
            &subject,
            "--grantee",
            &bank_org,
            "--items",
            JUDGMENTS,
            "--purpose",
            "贷前调查",
            "--days",
            "30",
        ],
    );
    assert!(
        grant.status.success(),
        "{}",
        String::from_utf8_lossy(&grant.stderr)
    );
    let grant: serde_json::Value = serde_json::from_slice(&grant.stdout).unwrap();
    let authz = grant["id"].as_str().unwrap().to_owned();
    let (_, json) = app
        .api_get(&bank, &format!("/api/v1/subjects/{subject}?{query}"))
        .await;
    let judgments = json["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["item_key"] == JUDGMENTS)
        .unwrap()
        .clone();
    assert_eq!(judgments["basis"]["kind"], "authorization");
    assert_eq!(field(&judgments, "plaintiff_name")["value"], name.as_str());
    assert_eq!(json["authorization_ids"][0], authz.as_str());
    // …but not for another purpose.
    let (_, other) = app
        .api_get(
            &bank,
            &format!("/api/v1/subjects/{subject}?purpose=post_loan"),
        )
        .await;
    assert!(!other.to_string().contains(&name), "the purpose is bound");

    // Revocation takes effect on the next read.
    let revoke = xinrong(&app.db_url(), &["authz", "revoke", &authz]);
    assert!(
        revoke.status.success(),
        "{}",
        String::from_utf8_lossy(&revoke.stderr)
    );
    let (_, json) = app
        .api_get(&bank, &format!("/api/v1/subjects/{subject}?{query}"))
        .await;
    assert!(
        !json.to_string().contains(&name),
        "a revoked authorization opens nothing"
    );
    let (status, refused) = app
        .api_get(
            &bank,
            &format!("/api/v1/subjects/{subject}?{query}&authorization={authz}"),
        )
        .await;
    assert_eq!(
        (status, refused["code"].as_str()),
        (403, Some("authz.revoked"))
    );

    // The enterprise sees who looked, free, in the API and the CLI.
    let ent = app.token_for(demo_user(Role::Enterprise)).await;
    let (status, log) = app.api_get(&ent, "/api/v1/access-log").await;
    assert_eq!(status, 200, "{log}");
    let entries = log["entries"].as_array().unwrap();
    let bank_reads: Vec<_> = entries
        .iter()
        .filter(|e| e["reader_org_id"] == bank_org.as_str())
        .collect();
    assert!(
        bank_reads.len() >= 7,
        "every read that showed data is logged: {log}"
    );
    assert!(
        bank_reads
            .iter()
            .any(|e| e["authorization_ids"][0] == authz.as_str())
    );
    assert!(bank_reads.iter().any(|e| e["channel"] == "export_xlsx"));
    assert!(bank_reads.iter().all(|e| e["subject"] == subject.as_str()));
    let audit = xinrong(
        &app.db_url(),
        &["audit", "--subject", &subject, "--format", "json"],
    );
    assert!(audit.status.success());
    let audit: serde_json::Value = serde_json::from_slice(&audit.stdout).unwrap();
    assert_eq!(audit["total"], log["total"]);
    // The enterprise's own page shows every value in clear, with where it came from.
    let own = app.logged_in(demo_user(Role::Enterprise)).await;
    let mine = page_text(&own, app.url("/my/data")).await;
    assert!(
        mine.contains(&name) && mine.contains("1234567.89"),
        "the subject sees all of its own data"
    );
    assert!(mine.contains("中级人民法院") && mine.contains("提出异议"));
    // Another enterprise's log is not the enterprise's to read.
    let (status, _) = app
        .api_get(&ent, "/api/v1/access-log?subject=91410100MA44XPMU3B")
        .await;
    assert_eq!(status, 403);
}

on_all_backends!(refusals_say_why_and_carry_no_data);
async fn refusals_say_why_and_carry_no_data(backend: Backend) {
    let app = TestApp::with_demo(backend).await;
    let subject = subject_of_ent1(&app).await;
    let (name, _) = seed(&app, &subject).await;
    let bank = app.token_for(demo_user(Role::Institution)).await;
    let cases: Vec<(String, &str, u16, &str)> = vec![
        (bank.clone(), "", 403, "access.purpose_required"),
        (bank.clone(), "purpose=炒股", 422, "access.unknown_purpose"),
        (
            bank.clone(),
            "purpose=pre_loan&authorization=0193a000-0000-7000-8000-00000000dead",
            403,
            "authz.unknown",
        ),
    ];
    for (token, query, status, code) in cases {
        let (s, body) = app
            .api_get(&token, &format!("/api/v1/subjects/{subject}?{query}"))
            .await;
        assert_eq!(
            (s, body["code"].as_str()),
            (status, Some(code)),
            "{query}: {body}"
        );
        assert!(!body.to_string().contains(&name));
    }
    // An institution without an agreement reads nothing.
    let org = create_organization(
        &app.platform,
        NewOrganization {
            id: None,
            role: Role::Institution,
            name: "无协议村镇银行".into(),
            uscc: None,
            region_code: Some("410100".into()),
            institution_kind: Some(InstitutionKind::Bank),
        },
    )
    .await
    .unwrap();
    create_user(
        &app.platform,
        NewUser {
            org_id: org.id.clone(),
            username: "bank-none".into(),
            display_name: "无协议".into(),
            password: app.demo_password(),
        },
    )
    .await
    .unwrap();
    let outsider = app.token_for("bank-none").await;
    let (s, body) = app
        .api_get(
            &outsider,
            &format!("/api/v1/subjects/{subject}?purpose=pre_loan"),
        )
        .await;
    assert_eq!(
        (s, body["code"].as_str()),
        (403, Some("access.no_agreement")),
        "{body}"
    );
    // With an agreement for the tax section and post-loan management only: another purpose is
    // refused, and under this one the court judgments stay closed with the reason.
    let agreement = xinrong(
        &app.db_url(),
        &[
            "agreements",
            "create",
            "--org",
            &org.id,
            "--items",
            "tax",
            "--purposes",
            "post_loan",
            "--days",
            "30",
        ],
    );
    assert!(
        agreement.status.success(),
        "{}",
        String::from_utf8_lossy(&agreement.stderr)
    );
    let (s, body) = app
        .api_get(
            &outsider,
            &format!("/api/v1/subjects/{subject}?purpose=pre_loan"),
        )
        .await;
    assert_eq!(
        (s, body["code"].as_str()),
        (403, Some("access.no_agreement")),
        "{body}"
    );
    assert!(!body.to_string().contains("1234567"));
    let (s, body) = app
        .api_get(
            &outsider,
            &format!("/api/v1/subjects/{subject}?purpose=post_loan"),
        )
        .await;
    assert_eq!(s, 200, "{body}");
    let item = |key: &str| {
        body["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["item_key"] == key)
            .cloned()
            .unwrap()
    };
    assert_eq!(item(ARREARS)["basis"]["kind"], "agreement");
    assert_eq!(item(JUDGMENTS)["basis"]["kind"], "none");
    assert_eq!(item(JUDGMENTS)["notice"]["code"], "access.no_agreement");
    assert!(
        item(JUDGMENTS)["records"][0]["fields"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    assert!(!body.to_string().contains("买卖合同纠纷") && !body.to_string().contains(&name));
    // A government unit outside its jurisdiction reads nothing; inside, public data.
    let gov = create_organization(
        &app.platform,
        NewOrganization {
            id: None,
            role: Role::Government,
            name: "武汉市发展和改革委员会".into(),
            uscc: None,
            region_code: Some("420100".into()),
            institution_kind: None,
        },
    )
    .await
    .unwrap();
    create_user(
        &app.platform,
        NewUser {
            org_id: gov.id,
            username: "gov-wuhan".into(),
            display_name: "武汉".into(),
            password: app.demo_password(),
        },
    )
    .await
    .unwrap();
    let wuhan = app.token_for("gov-wuhan").await;
    let (s, body) = app
        .api_get(&wuhan, &format!("/api/v1/subjects/{subject}"))
        .await;
    assert_eq!(
        (s, body["code"].as_str()),
        (403, Some("access.outside_jurisdiction"))
    );
    let local = app.token_for(demo_user(Role::Government)).await;
    let (s, body) = app
        .api_get(&local, &format!("/api/v1/subjects/{subject}"))
        .await;
    assert_eq!(s, 200, "{body}");
    assert!(!body.to_string().contains(&name) && body.to_string().contains("买卖合同纠纷"));
    // Another enterprise reads nothing of this one.
    let other_ent = {
        let orgs = list_organizations(&app.platform, Some(Role::Enterprise))
            .await
            .unwrap();
        orgs.into_iter()
            .find(|o| o.uscc.as_deref() != Some(subject.as_str()))
            .map(|o| o.id)
    };
    if let Some(other) = other_ent {
        let out = xinrong(
            &app.db_url(),
            &[
                "view",
                "--subject",
                &subject,
                "--as",
                &other,
                "--format",
                "json",
            ],
        );
        assert!(!out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("access.not_own_subject"), "{err}");
        assert!(!err.contains(&name));
    }
    // A page refusal is in Chinese and carries the code.
    let browser = app.logged_in(demo_user(Role::Institution)).await;
    let response = browser
        .get(app.url(&format!("/subjects/{subject}")))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
    let html = response.text().await.unwrap();
    assert!(html.contains("须说明查询用途") && html.contains("access.purpose_required"));
    assert!(!html.contains(&name));
}
