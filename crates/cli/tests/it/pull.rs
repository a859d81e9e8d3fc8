//! Pull collection (接口调用) end to end against the provider simulator — a real HTTP server —
//! on every backend: access decision, cache, timeout and retries, breaker, quotas, the clear
//! "source unavailable" answer; through the API, the pages and the CLI.

use crate::on_all_backends;
use crate::support::{TestApp, xinrong};
use reqwest::Method;
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::{Duration, Instant};
use xinrong_core::clock::{Clock, FixedClock};
use xinrong_core::codes::uscc::Uscc;
use xinrong_core::role::Role;
use xinrong_provider_sim::{Control, SimHandle, SimOptions};
use xinrong_services::demo::DemoOptions;
use xinrong_services::identity::list_organizations;
use xinrong_store::Backend;

const UNAVAILABLE: &str = "数据源暂不可用，请稍后再试";
const DENIED: &str = "无权查看该信息项";

/// A valid USCC per number, so reads about different subjects do not share cache entries.
fn subject(n: u32) -> String {
    Uscc::from_body(&format!("91410100MA{n:07}"))
        .unwrap()
        .as_str()
        .to_owned()
}

struct Fixture {
    app: TestApp,
    clock: Arc<FixedClock>,
    sim: SimHandle,
    operator: String,
    bank: String,
    /// The demo tax bureau, source unit of `tax.*`.
    tax: String,
}

async fn fixture(backend: Backend) -> Fixture {
    let clock = Arc::new(FixedClock::new(chrono::Utc::now()));
    let app = TestApp::spawn_with(
        backend,
        Some(DemoOptions {
            enterprises: 20,
            seed: 7,
            region: "4101".into(),
            records_per_enterprise: 0,
            finance: false,
        }),
        clock.clone() as Arc<dyn Clock>,
    )
    .await;
    let sim = xinrong_provider_sim::spawn(SimOptions::default())
        .await
        .unwrap();
    let tax = provider(&app, "税务局").await;
    let operator = app.token_for("operator").await;
    let bank = app.token_for("bank-icbc").await;
    Fixture {
        app,
        clock,
        sim,
        operator,
        bank,
        tax,
    }
}

async fn provider(app: &TestApp, name_part: &str) -> String {
    list_organizations(&app.platform, Some(Role::Provider))
        .await
        .unwrap()
        .into_iter()
        .find(|o| o.name.contains(name_part))
        .expect("demo provider")
        .id
}

impl Fixture {
    async fn connect(&self, org: &str, settings: Value) -> Value {
        let mut body = json!({"base_url": self.sim.url()});
        body.as_object_mut()
            .unwrap()
            .extend(settings.as_object().unwrap().clone());
        let (status, view) = self
            .app
            .api(
                Method::PUT,
                &self.operator,
                &format!("/api/v1/connectors/{org}"),
                Some(body),
            )
            .await;
        assert_eq!(status, 200, "{view}");
        view
    }

    async fn pull(&self, token: &str, item: &str, subject: &str) -> (u16, Value) {
        self.app
            .api(
                Method::POST,
                token,
                "/api/v1/pull",
                Some(json!({"item": item, "subject": subject, "purpose": "贷前调查"})),
            )
            .await
    }

    async fn live(&self, org: &str) -> Value {
        let (status, list) = self.app.api_get(&self.operator, "/api/v1/connectors").await;
        assert_eq!(status, 200);
        list.as_array()
            .unwrap()
            .iter()
            .find(|c| c["org_id"] == org)
            .expect("connector listed")["live"]
            .clone()
    }
}

async fn reads_rows_then_caches_within_ttl(backend: Backend) {
    let f = fixture(backend).await;
    f.connect(&f.tax, json!({"cache_ttl_seconds": 60})).await;
    let s = subject(1);
    let (status, first) = f.pull(&f.bank, "tax.tax_arrears", &s).await;
    assert_eq!(status, 200, "{first}");
    assert_eq!(first["rows"][0]["uscc"], s.as_str());
    assert_eq!(first["from_cache"], false);
    assert_eq!(first["provider_org_id"], f.tax.as_str());
    assert!(first["columns"].as_array().unwrap().len() >= 3);
    assert_eq!(f.sim.stats().requests, 1);

    f.clock.advance(chrono::Duration::seconds(59));
    let (status, again) = f.pull(&f.bank, "tax.tax_arrears", &s).await;
    assert_eq!(status, 200);
    assert_eq!(again["from_cache"], true);
    assert_eq!(again["rows"], first["rows"]);
    assert_eq!(
        f.sim.stats().requests,
        1,
        "a cache hit does not call the provider"
    );

    f.clock.advance(chrono::Duration::seconds(2));
    let (status, later) = f.pull(&f.bank, "tax.tax_arrears", &s).await;
    assert_eq!(status, 200);
    assert_eq!(later["from_cache"], false);
    assert_eq!(
        f.sim.stats().requests,
        2,
        "after the TTL the provider is asked again"
    );

    let live = f.live(&f.tax).await;
    assert_eq!(live["calls"], 2);
    assert_eq!(live["cache_hits"], 1);
    assert_eq!(live["breaker"], "closed");
    // Every read that reached the reader is recorded for the provider's usage feedback.
    let reads =
        xinrong_store::repo::data_reads::counts(&f.app.platform.db.conn, Some(&f.tax), None)
            .await
            .unwrap();
    assert_eq!(reads.len(), 1, "{reads:?}");
    assert_eq!(reads[0].reads, 3, "cache hits are reads too");
    assert_eq!(reads[0].reader_kind, "bank");
    assert_eq!(reads[0].item_key, "tax.tax_arrears");
}
on_all_backends!(reads_rows_then_caches_within_ttl);

async fn refusals_are_clear_and_never_reach_the_provider(backend: Backend) {
    let f = fixture(backend).await;
    let natres = provider(&f.app, "自然资源").await;
    f.connect(&natres, json!({})).await;
    f.connect(&f.tax, json!({})).await;

    let (status, body) = f
        .pull(
            &f.bank,
            "real_estate.property_mortgage",
            "410102198001010014",
        )
        .await;
    assert_eq!(status, 403, "{body}");
    assert_eq!(body["code"], "access.authorization_required");
    assert!(
        body["message"].as_str().unwrap().starts_with(DENIED),
        "{body}"
    );

    let (status, body) = f.pull(&f.bank, "tax.tax_credit_rating", &subject(2)).await;
    assert_eq!(status, 422);
    assert_eq!(body["code"], "pull.not_pull_item");

    let (status, body) = f
        .pull(&f.bank, "housing_fund.deposit_info", &subject(2))
        .await;
    assert_eq!(status, 422);
    assert_eq!(body["code"], "pull.no_connector");

    let (status, body) = f
        .pull(&f.bank, "tax.tax_arrears", "91410100MA0000000X")
        .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["code"], "uscc.check");
    assert_eq!(
        f.sim.stats().requests,
        0,
        "no refused read called the provider"
    );

    let gov = f.app.token_for("gov").await;
    let (status, _) = f.pull(&gov, "tax.tax_arrears", &subject(2)).await;
    assert_eq!(status, 403);

    // The operator may read items with authorized fields.
    let (status, body) = f
        .pull(
            &f.operator,
            "real_estate.property_mortgage",
            "410102198001010014",
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(f.sim.stats().requests, 1);
}
on_all_backends!(refusals_are_clear_and_never_reach_the_provider);

async fn a_down_provider_answers_503_quickly(backend: Backend) {
    let f = fixture(backend).await;
    f.connect(&f.tax, json!({"retries": 2, "breaker_threshold": 10}))
        .await;
    f.sim.control(Control {
        down: Some(true),
        ..Control::default()
    });
    let started = Instant::now();
    let (status, body) = f.pull(&f.bank, "tax.tax_arrears", &subject(3)).await;
    assert_eq!(status, 503, "{body}");
    assert_eq!(body["code"], "pull.source_unavailable");
    assert!(body["message"].as_str().unwrap().contains(UNAVAILABLE));
    assert_eq!(f.sim.stats().requests, 3, "one call and two retries");
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );

    // A provider that refuses connections altogether.
    let closed = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let dead = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let (status, _) = f
        .app
        .api(
            Method::PUT,
            &f.operator,
            &format!("/api/v1/connectors/{}", f.tax),
            Some(json!({"base_url": dead})),
        )
        .await;
    assert_eq!(status, 200);
    let started = Instant::now();
    let (status, body) = f.pull(&f.bank, "tax.tax_arrears", &subject(4)).await;
    assert_eq!(status, 503, "{body}");
    assert!(body["message"].as_str().unwrap().contains(UNAVAILABLE));
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
}
on_all_backends!(a_down_provider_answers_503_quickly);

async fn slow_provider_times_out_then_the_breaker_opens_and_half_opens(backend: Backend) {
    let f = fixture(backend).await;
    f.connect(
        &f.tax,
        json!({"timeout_ms": 150, "retries": 1, "breaker_threshold": 4,
               "breaker_cooldown_seconds": 30, "cache_ttl_seconds": 0}),
    )
    .await;
    f.sim.control(Control {
        latency_ms: Some(1_000),
        ..Control::default()
    });
    for round in 1..=2u64 {
        let (status, body) = f.pull(&f.bank, "tax.tax_arrears", &subject(5)).await;
        assert_eq!(status, 504, "{body}");
        assert_eq!(body["code"], "pull.timeout");
        assert!(body["message"].as_str().unwrap().contains(UNAVAILABLE));
        assert_eq!(
            f.sim.stats().requests,
            2 * round,
            "a timed-out call is retried once"
        );
    }
    assert_eq!(f.live(&f.tax).await["breaker"], "open");

    // Open: refused at once without calling the provider.
    f.sim.control(Control {
        latency_ms: Some(0),
        ..Control::default()
    });
    let started = Instant::now();
    let (status, body) = f.pull(&f.bank, "tax.tax_arrears", &subject(5)).await;
    assert_eq!(status, 503, "{body}");
    assert_eq!(body["code"], "pull.source_unavailable");
    assert_eq!(f.sim.stats().requests, 4, "short-circuited");
    assert!(started.elapsed() < Duration::from_millis(500));
    assert_eq!(f.live(&f.tax).await["short_circuits"], 1);

    // After the cooldown one probe goes through; its success closes the breaker.
    f.clock.advance(chrono::Duration::seconds(30));
    assert_eq!(f.live(&f.tax).await["breaker"], "half_open");
    let (status, body) = f.pull(&f.bank, "tax.tax_arrears", &subject(5)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(f.sim.stats().requests, 5);
    assert_eq!(f.live(&f.tax).await["breaker"], "closed");
}
on_all_backends!(slow_provider_times_out_then_the_breaker_opens_and_half_opens);

async fn quotas_limit_rate_and_concurrency(backend: Backend) {
    let f = fixture(backend).await;
    f.connect(
        &f.tax,
        json!({"rate_per_minute": 2, "cache_ttl_seconds": 0, "retries": 0}),
    )
    .await;
    for n in 0..2 {
        let (status, _) = f.pull(&f.bank, "tax.tax_arrears", &subject(10 + n)).await;
        assert_eq!(status, 200);
    }
    let response = reqwest::Client::new()
        .post(f.app.url("/api/v1/pull"))
        .bearer_auth(&f.bank)
        .json(&json!({"item": "tax.tax_arrears", "subject": subject(12), "purpose": "贷前调查"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 429);
    assert_eq!(response.headers()["retry-after"], "30");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["code"], "pull.rate_limited");
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("接口调用容量不足")
    );
    assert_eq!(f.sim.stats().requests, 2);
    f.clock.advance(chrono::Duration::seconds(30));
    let (status, _) = f.pull(&f.bank, "tax.tax_arrears", &subject(12)).await;
    assert_eq!(status, 200, "a token is back after 30 s at 2 a minute");

    // At most two calls in flight; the others wait for a slot and still succeed.
    f.connect(
        &f.tax,
        json!({"rate_per_minute": 1000, "max_concurrency": 2, "timeout_ms": 5000}),
    )
    .await;
    f.sim.control(Control {
        latency_ms: Some(200),
        reset_stats: true,
        ..Control::default()
    });
    let reads = (0..6).map(|n| {
        let subject = subject(20 + n);
        let f = &f;
        async move { f.pull(&f.bank, "tax.tax_arrears", &subject).await.0 }
    });
    let statuses = futures_join_all(reads).await;
    assert!(statuses.iter().all(|s| *s == 200), "{statuses:?}");
    let stats = f.sim.stats();
    assert_eq!(stats.requests, 6);
    assert_eq!(stats.max_in_flight, 2, "{stats:?}");

    // A read that finds no free slot within the timeout is refused clearly: one slot, calls of
    // 600 ms, a 1 s wait — the second read gets the slot at 600 ms, the third gives up at 1 s.
    f.connect(&f.tax, json!({"max_concurrency": 1, "timeout_ms": 1000}))
        .await;
    f.sim.control(Control {
        latency_ms: Some(600),
        reset_stats: true,
        ..Control::default()
    });
    let reads = (0..3).map(|n| {
        let subject = subject(40 + n);
        let f = &f;
        async move { f.pull(&f.bank, "tax.tax_arrears", &subject).await }
    });
    let mut answers = futures_join_all(reads).await;
    answers.sort_by_key(|(status, _)| *status);
    assert_eq!(answers[0].0, 200);
    assert_eq!(answers[1].0, 200);
    assert_eq!(answers[2].0, 429, "{:?}", answers[2]);
    assert_eq!(answers[2].1["code"], "pull.busy");
    assert!(
        answers[2].1["message"]
            .as_str()
            .unwrap()
            .contains("接口调用容量不足")
    );
    assert_eq!(f.sim.stats().requests, 2);
}
on_all_backends!(quotas_limit_rate_and_concurrency);

/// Runs futures concurrently on this task and collects their outputs in order.
async fn futures_join_all<F: std::future::Future>(
    futures: impl Iterator<Item = F>,
) -> Vec<F::Output> {
    let mut set = Vec::new();
    for fut in futures {
        set.push(Box::pin(fut));
    }
    let mut outputs: Vec<Option<F::Output>> = (0..set.len()).map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut pending = false;
        for (i, fut) in set.iter_mut().enumerate() {
            if outputs[i].is_none() {
                match fut.as_mut().poll(cx) {
                    std::task::Poll::Ready(v) => outputs[i] = Some(v),
                    std::task::Poll::Pending => pending = true,
                }
            }
        }
        if pending {
            std::task::Poll::Pending
        } else {
            std::task::Poll::Ready(())
        }
    })
    .await;
    outputs.into_iter().map(|o| o.expect("ready")).collect()
}

async fn pages_show_answers_and_refusals_in_chinese(backend: Backend) {
    let f = fixture(backend).await;
    let bank = f.app.logged_in("bank-icbc").await;
    let form = bank.get(f.app.url("/pull")).send().await.unwrap();
    assert_eq!(form.status(), 200);
    let html = form.text().await.unwrap();
    assert!(html.contains("id=\"pull-form\""));
    assert!(html.contains("tax.tax_arrears"));
    let csrf = crate::support::csrf_of(&html);

    let post = |item: &str, subject: String| {
        let bank = bank.clone();
        let url = f.app.url("/pull");
        let fields = vec![
            ("csrf".to_owned(), csrf.clone()),
            ("item".to_owned(), item.to_owned()),
            ("subject".to_owned(), subject),
            ("purpose".to_owned(), "贷前调查".to_owned()),
        ];
        async move {
            let r = bank.post(url).form(&fields).send().await.unwrap();
            (r.status().as_u16(), r.text().await.unwrap())
        }
    };
    let (status, html) = post("real_estate.property_mortgage", "410102198001010014".into()).await;
    assert_eq!(status, 403);
    assert!(html.contains(DENIED));

    f.connect(&f.tax, json!({"retries": 0})).await;
    f.sim.control(Control {
        down: Some(true),
        ..Control::default()
    });
    let (status, html) = post("tax.tax_arrears", subject(30)).await;
    assert_eq!(status, 503);
    assert!(html.contains(UNAVAILABLE), "{html}");

    f.sim.control(Control {
        down: Some(false),
        ..Control::default()
    });
    let (status, html) = post("tax.tax_arrears", subject(31)).await;
    assert_eq!(status, 200);
    assert!(html.contains("id=\"pull-table\""));
    assert!(html.contains(&subject(31)));

    // The operator's connector page: live state, and the form that changes a connector.
    let operator = f.app.logged_in("operator").await;
    let page = operator.get(f.app.url("/connectors")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains(&format!("data-org=\"{}\"", f.tax)));
    assert!(html.contains("data-breaker=\"closed\""));
    let csrf = crate::support::csrf_of(&html);
    let saved = operator
        .post(f.app.url("/connectors"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("org", f.tax.as_str()),
            ("base_url", f.sim.url().as_str()),
            ("timeout_ms", "1500"),
            ("retries", "1"),
            ("max_concurrency", "4"),
            ("rate_per_minute", "120"),
            ("cache_ttl_seconds", "10"),
            ("breaker_threshold", "3"),
            ("breaker_cooldown_seconds", "20"),
            ("enabled", "true"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), 200);
    assert!(saved.text().await.unwrap().contains("接口配置已保存"));
    let bad = operator
        .post(f.app.url("/connectors"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("org", f.tax.as_str()),
            ("base_url", f.sim.url().as_str()),
            ("timeout_ms", "10"),
            ("retries", "1"),
            ("max_concurrency", "4"),
            ("rate_per_minute", "120"),
            ("cache_ttl_seconds", "10"),
            ("breaker_threshold", "3"),
            ("breaker_cooldown_seconds", "20"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 422);
    assert!(bad.text().await.unwrap().contains("超时（毫秒）"));
    let (_, list) = f.app.api_get(&f.operator, "/api/v1/connectors").await;
    assert_eq!(list[0]["timeout_ms"], 1500);
}
on_all_backends!(pages_show_answers_and_refusals_in_chinese);

async fn cli_sets_connectors_and_pulls(backend: Backend) {
    let f = fixture(backend).await;
    let db = f.app.db_url();
    let url = f.sim.url();
    let out = xinrong(
        &db,
        &[
            "connectors",
            "set",
            "--org",
            &f.tax,
            "--base-url",
            &url,
            "--retries",
            "0",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = xinrong(&db, &["connectors", "list", "--format", "json"]);
    let list: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(list[0]["org_id"], f.tax.as_str());
    assert_eq!(list[0]["retries"], 0);
    assert_eq!(list[0]["base_url"], url.as_str());

    let bank_org = list_organizations(&f.app.platform, Some(Role::Institution))
        .await
        .unwrap()
        .into_iter()
        .find(|o| o.name.contains("工商银行"))
        .unwrap()
        .id;
    let s = subject(40);
    let out = xinrong(
        &db,
        &[
            "pull",
            "--item",
            "tax.tax_arrears",
            "--subject",
            &s,
            "--as",
            &bank_org,
            "--purpose",
            "贷前调查",
            "--format",
            "json",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let result: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(result["rows"][0]["uscc"], s.as_str());
    assert_eq!(f.sim.stats().requests, 1);

    let out = xinrong(
        &db,
        &[
            "pull",
            "--item",
            "real_estate.property_mortgage",
            "--subject",
            "410102198001010014",
            "--as",
            &bank_org,
            "--purpose",
            "贷前调查",
        ],
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with("error[access.authorization_required]: 无权查看该信息项"),
        "{err}"
    );

    let out = xinrong(
        &db,
        &[
            "connectors",
            "set",
            "--org",
            &f.tax,
            "--base-url",
            "ftp://x",
        ],
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("error[connector.base_url]"));
}
on_all_backends!(cli_sets_connectors_and_pulls);

/// `xinrong simulate-provider` serves the simulator until it is stopped.
#[tokio::test]
async fn simulate_provider_command_serves_the_simulator() {
    use std::io::BufRead;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_xinrong"))
        .args([
            "simulate-provider",
            "--bind",
            "127.0.0.1:0",
            "--latency-ms",
            "5",
        ])
        .env("XINRONG_LOG", "warn")
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("start simulator");
    let mut line = String::new();
    std::io::BufReader::new(child.stderr.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let base = line.trim().rsplit('：').next().unwrap().to_owned();
    assert!(base.starts_with("http://127.0.0.1:"), "{line}");
    let s = subject(50);
    let body: Value = reqwest::get(format!("{base}/items/tax.tax_arrears?subject={s}"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(body["rows"][0]["uscc"], s.as_str());
    child.kill().ok();
    child.wait().ok();

    let bad = std::process::Command::new(env!("CARGO_BIN_EXE_xinrong"))
        .args(["simulate-provider", "--fail-rate", "2"])
        .output()
        .unwrap();
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).starts_with("error[sim.fail_rate]"));
}

/// `serve --demo` points the demo providers' connectors at an in-process simulator, so a fresh
/// demo city can pull (here through the CLI, against the server's database and simulator).
#[test]
fn serve_demo_city_can_pull() {
    use std::io::BufRead;
    let dir = std::env::temp_dir().join(format!("xr-pull-{}", uuid::Uuid::new_v4().simple()));
    let db = format!("sqlite://{}/xinrong.db", dir.display());
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_xinrong"))
        .args(["serve", "--demo", "--demo-enterprises", "20"])
        .args(["--bind", &format!("127.0.0.1:{port}")])
        .env("XINRONG_DATABASE_URL", &db)
        .env("XINRONG_LOG", "warn")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufReader::new(child.stderr.take().unwrap()).lines();
    let ready = lines
        .by_ref()
        .map_while(Result::ok)
        .any(|l| l.contains("xinrong 正在运行"));
    assert!(ready, "server announced itself");

    let out = xinrong(&db, &["connectors", "list", "--format", "json"]);
    let list: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(list.as_array().unwrap().len() >= 5, "{list}");
    let out = xinrong(
        &db,
        &["orgs", "list", "--kind", "institution", "--format", "json"],
    );
    let orgs: Value = serde_json::from_slice(&out.stdout).unwrap();
    let bank = orgs
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["name"].as_str().unwrap().contains("工商银行"))
        .expect("demo bank")["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let s = subject(60);
    let out = xinrong(
        &db,
        &[
            "pull",
            "--item",
            "utilities.electricity_usage_statistics",
            "--subject",
            &s,
            "--as",
            &bank,
            "--purpose",
            "贷前调查",
        ],
    );
    let pid = child.id().to_string();
    std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap();
    child.wait().unwrap();
    std::fs::remove_dir_all(&dir).ok();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let result: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(result["rows"][0]["uscc"], s.as_str());
}
