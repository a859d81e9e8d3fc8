//! A real browser (Debian chromium, driven over WebDriver by chromedriver) logs in as every role
//! and sees its home page, at desktop and phone width. Screenshots go to `target/screenshots/`.

use crate::support::{TestApp, demo_user};
use fantoccini::{Client, ClientBuilder, Locator};
use std::io::BufRead;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use xinrong_core::role::Role;
use xinrong_store::Backend;

pub(crate) struct Driver {
    child: Child,
    port: u16,
}

impl Driver {
    pub(crate) fn start() -> Driver {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let binary =
            std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into());
        let mut child = Command::new(&binary)
            .arg(format!("--port={port}"))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("start {binary} ({e}); install Debian's chromium-driver"));
        // chromedriver says when it listens; wait for that line rather than sleeping.
        let stdout = child.stdout.take().unwrap();
        let mut lines = std::io::BufReader::new(stdout).lines();
        let started = lines
            .by_ref()
            .map_while(Result::ok)
            .any(|l| l.contains("started successfully"));
        assert!(started, "chromedriver did not start");
        // Keep draining its output so it never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines.map_while(Result::ok) {});
        Driver { child, port }
    }

    pub(crate) async fn client(&self, width: u32, height: u32) -> Client {
        let mut caps = serde_json::Map::new();
        let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
        caps.insert(
            "goog:chromeOptions".into(),
            serde_json::json!({
                "binary": chromium,
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync",
                    format!("--window-size={width},{height}"), "--lang=zh-CN"
                ]
            }),
        );
        ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{}", self.port))
            .await
            .expect("connect to chromedriver")
    }

    /// A client at phone width (390 × 844).
    pub(crate) async fn phone(&self) -> Client {
        self.client(390, 844).await
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        self.child.kill().ok();
        self.child.wait().ok();
    }
}

pub(crate) fn screenshot_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Saves a screenshot to `target/screenshots/<name>.png` for people to look at.
pub(crate) async fn screenshot(browser: &Client, name: &str) {
    let png = browser.screenshot().await.unwrap();
    std::fs::write(screenshot_dir().join(format!("{name}.png")), png).unwrap();
}

pub(crate) async fn log_in(browser: &Client, app: &TestApp, username: &str) {
    browser.goto(&app.url("/login")).await.unwrap();
    browser
        .find(Locator::Id("username"))
        .await
        .unwrap()
        .send_keys(username)
        .await
        .unwrap();
    browser
        .find(Locator::Id("password"))
        .await
        .unwrap()
        .send_keys(&app.demo_password())
        .await
        .unwrap();
    browser
        .find(Locator::Id("login-submit"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    browser
        .wait()
        .for_element(Locator::Css("#home"))
        .await
        .expect("home page after login");
}

/// Logs in after forgetting any earlier session's cookies (no need to log out first).
pub(crate) async fn log_in_afresh(browser: &Client, app: &TestApp, username: &str) {
    browser.goto(&app.url("/login")).await.unwrap();
    browser.delete_all_cookies().await.unwrap();
    log_in(browser, app, username).await;
}

/// Nothing may overflow the viewport sideways, at phone width least of all.
pub(crate) async fn assert_no_overflow(browser: &Client, what: &str) {
    let overflow = browser
        .execute(
            "return document.documentElement.scrollWidth > window.innerWidth;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(overflow, serde_json::Value::Bool(false), "{what} overflows");
}

/// Logs out through the header's form and waits for the login page.
pub(crate) async fn log_out(browser: &Client) {
    browser
        .find(Locator::Css("form[action='/logout'] button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    browser
        .wait()
        .for_element(Locator::Id("login-form"))
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_role_logs_in_and_sees_its_home_page() {
    let app = TestApp::with_demo(Backend::Sqlite).await;
    let driver = Driver::start();
    let dir = screenshot_dir();
    for (label, width, height) in [("desktop", 1280, 900), ("phone", 390, 844)] {
        let browser = driver.client(width, height).await;
        for role in Role::ALL {
            log_in(&browser, &app, demo_user(role)).await;
            let home = browser.find(Locator::Css("#home")).await.unwrap();
            assert_eq!(
                home.attr("data-role").await.unwrap().as_deref(),
                Some(role.code())
            );
            let text = browser
                .find(Locator::Css("body"))
                .await
                .unwrap()
                .text()
                .await
                .unwrap();
            assert!(text.contains(role.label_zh()), "{role}: {text}");
            assert_no_overflow(&browser, &format!("{role} at {label}")).await;
            let png = browser.screenshot().await.unwrap();
            std::fs::write(dir.join(format!("home-{}-{label}.png", role.code())), png).unwrap();
            log_out(&browser).await;
        }
        browser.close().await.unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn government_searches_its_enterprises_with_htmx() {
    let app = TestApp::with_demo(Backend::Sqlite).await;
    let driver = Driver::start();
    let browser = driver.client(1280, 900).await;
    log_in(&browser, &app, "gov").await;
    browser.goto(&app.url("/enterprises")).await.unwrap();
    let total_before = browser
        .find(Locator::Id("total"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(total_before.contains("200"), "{total_before}");
    // Choosing a district refreshes the results in place (htmx) and updates the URL.
    browser
        .find(Locator::Css("#region option[value='410105']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    browser
        .wait()
        .for_url(&url::Url::parse(&app.url("/enterprises?q=&region=410105&industry=")).unwrap())
        .await
        .expect("URL follows the filter");
    let total_after = browser
        .find(Locator::Id("total"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_ne!(total_after, total_before);
    std::fs::write(
        screenshot_dir().join("enterprises-gov-desktop.png"),
        browser.screenshot().await.unwrap(),
    )
    .unwrap();
    browser.close().await.unwrap();
}

/// USCCs of the demo city's first enterprises.
async fn demo_subjects(app: &TestApp, n: u64) -> Vec<String> {
    xinrong_store::repo::enterprises::scan_after(
        &app.platform.db.conn,
        &Default::default(),
        None,
        n,
    )
    .await
    .unwrap()
    .into_iter()
    .map(|e| e.uscc)
    .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_provider_uploads_through_the_page_and_watches_a_long_batch() {
    // PostgreSQL: on SQLite a running batch holds the one write lock, and logging in writes.
    let app = TestApp::with_demo(Backend::Postgres).await;
    let subjects = demo_subjects(&app, 100).await;
    let driver = Driver::start();
    let browser = driver.client(390, 844).await;
    log_in(&browser, &app, "provider-tax").await;

    // A small file through the form (sent by XMLHttpRequest with an upload progress bar).
    let file =
        std::env::temp_dir().join(format!("xrt-browser-{}.csv", uuid::Uuid::new_v4().simple()));
    std::fs::write(
        &file,
        format!(
            "uscc,tax_type,tax_arrears_amount\n{},增值税,10\n{},增值税,-1\n",
            subjects[0], subjects[1]
        ),
    )
    .unwrap();
    browser.goto(&app.url("/collect")).await.unwrap();
    browser
        .find(Locator::Css(
            "#upload-form select[name=item] option[value='tax.tax_arrears']",
        ))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    browser
        .find(Locator::Css("#upload-form input[type=file]"))
        .await
        .unwrap()
        .send_keys(file.to_str().unwrap())
        .await
        .unwrap();
    browser
        .find(Locator::Css("#upload-form button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let report = browser
        .wait()
        .for_element(Locator::Id("report"))
        .await
        .expect("the batch report");
    assert_eq!(
        report.attr("data-applied").await.unwrap().as_deref(),
        Some("true")
    );
    let rejected = browser
        .find(Locator::Id("rejected"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(rejected, "1");
    let links = browser
        .find(Locator::Id("error-downloads"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(links.contains("XLSX") && links.contains("CSV"), "{links}");
    std::fs::remove_file(&file).ok();

    // A long batch: its page shows progress, then turns into the report by itself (htmx).
    let token = app.token_for("provider-court").await;
    let mut body = String::from("uscc,case_no\n");
    for i in 0..100_000usize {
        body.push_str(&format!("{},（2026）豫01民初{i}号\n", subjects[i % 100]));
    }
    let job: serde_json::Value = reqwest::Client::new()
        .post(app.url("/api/v1/batches?item=judicial.court_judgments&async=true"))
        .bearer_auth(&token)
        .body(body)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = job["id"].as_str().unwrap();
    browser.delete_all_cookies().await.unwrap();
    log_in(&browser, &app, "provider-court").await;
    browser
        .goto(&app.url(&format!("/collect/jobs/{id}")))
        .await
        .unwrap();
    let shown_progress = browser.find(Locator::Id("job-status")).await.is_ok();
    if shown_progress {
        std::fs::write(
            screenshot_dir().join("collect-progress-phone.png"),
            browser.screenshot().await.unwrap(),
        )
        .unwrap();
    }
    browser
        .wait()
        .at_most(std::time::Duration::from_secs(120))
        .for_element(Locator::Id("report"))
        .await
        .expect("the finished batch replaces the progress page");
    assert!(
        shown_progress,
        "a 100,000-row batch was still running when its page opened"
    );
    let received = browser
        .find(Locator::Id("received"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(received, "100000");
    browser.close().await.unwrap();
}

/// At phone width: a bank officer queries a subject with a purpose and sees public values, a
/// masked amount and withheld authorized values; the enterprise then reads who looked (查询记录)
/// and its own data in full. Nothing overflows sideways.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bank_queries_a_subject_and_the_enterprise_sees_who_looked() {
    let app = TestApp::with_demo(Backend::Sqlite).await;
    let subject = crate::subjects::subject_of_ent1(&app).await;
    let (name, _) = crate::subjects::seed(&app, &subject).await;
    let driver = Driver::start();
    let dir = screenshot_dir();
    let browser = driver.client(390, 844).await;

    log_in(&browser, &app, demo_user(Role::Institution)).await;
    browser.goto(&app.url("/subjects")).await.unwrap();
    let form = browser.form(Locator::Id("subject-form")).await.unwrap();
    form.set_by_name("subject", &subject).await.unwrap();
    form.set_by_name("purpose", "pre_loan").await.unwrap();
    form.submit().await.unwrap();
    browser
        .wait()
        .for_element(Locator::Css("#subject-view"))
        .await
        .expect("the subject view");
    let masked = browser
        .find(Locator::Css("td.masked"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(masked, "100万–500万元");
    let page = browser.source().await.unwrap();
    assert!(page.contains("未提供") && !page.contains(&name));
    assert_no_overflow(&browser, "the subject view").await;
    std::fs::write(
        dir.join("subject-view-phone.png"),
        browser.screenshot().await.unwrap(),
    )
    .unwrap();
    log_out(&browser).await;

    log_in(&browser, &app, demo_user(Role::Enterprise)).await;
    browser.goto(&app.url("/access-log")).await.unwrap();
    let log = browser
        .wait()
        .for_element(Locator::Css("#access-log"))
        .await
        .expect("the access log")
        .text()
        .await
        .unwrap();
    assert!(
        log.contains("工商银行") && log.contains("贷前调查"),
        "{log}"
    );
    assert_no_overflow(&browser, "the access log").await;
    std::fs::write(
        dir.join("access-log-phone.png"),
        browser.screenshot().await.unwrap(),
    )
    .unwrap();
    browser.goto(&app.url("/my/data")).await.unwrap();
    let mine = browser
        .wait()
        .for_element(Locator::Css("#subject-view"))
        .await
        .unwrap();
    assert!(mine.text().await.unwrap().contains(&subject));
    assert!(
        browser.source().await.unwrap().contains(&name),
        "the subject sees its own data"
    );
    assert_no_overflow(&browser, "my data").await;
    std::fs::write(
        dir.join("my-data-phone.png"),
        browser.screenshot().await.unwrap(),
    )
    .unwrap();
    browser.close().await.unwrap();
}

/// At phone width: a bank officer sees the subject's evaluation, issues a credit report from the
/// subject page and reads it (grade, id, digest); anyone can open the report's public
/// verification page; a government user reads the grade distribution of its jurisdiction.
/// Nothing overflows sideways.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bank_issues_a_credit_report_and_government_reads_the_grades() {
    let app = TestApp::with_demo(Backend::Sqlite).await;
    let subject = crate::subjects::subject_of_ent1(&app).await;
    let evaluated = crate::support::xinrong(&app.db_url(), &["evaluate", "--all"]);
    assert!(evaluated.status.success(), "{evaluated:?}");
    let driver = Driver::start();
    let dir = screenshot_dir();
    let browser = driver.client(390, 844).await;

    log_in(&browser, &app, demo_user(Role::Institution)).await;
    browser
        .goto(&app.url(&format!("/subjects/{subject}?purpose=pre_loan")))
        .await
        .unwrap();
    let grade = browser
        .wait()
        .for_element(Locator::Css("#evaluation-grade"))
        .await
        .expect("the evaluation panel")
        .text()
        .await
        .unwrap();
    assert!(
        ["A+", "A", "B+", "B", "C", "D"]
            .iter()
            .any(|g| grade.contains(g)),
        "a grade symbol in {grade:?}"
    );
    assert_no_overflow(&browser, "the subject view with its evaluation").await;
    let form = browser.form(Locator::Id("report-form")).await.unwrap();
    form.set_by_name("purpose", "pre_loan").await.unwrap();
    form.submit().await.unwrap();
    let report_id = browser
        .wait()
        .for_element(Locator::Css("#report-id"))
        .await
        .expect("the report page")
        .text()
        .await
        .unwrap();
    let report_id = report_id.trim().to_owned();
    assert!(!report_id.is_empty());
    let digest = browser
        .find(Locator::Css("#report-digest"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        digest.chars().filter(|c| c.is_ascii_hexdigit()).count() >= 64,
        "an SM3 digest in {digest:?}"
    );
    assert!(browser.source().await.unwrap().contains(&subject));
    assert_no_overflow(&browser, "the credit report").await;
    std::fs::write(
        dir.join("credit-report-phone.png"),
        browser.screenshot().await.unwrap(),
    )
    .unwrap();
    log_out(&browser).await;

    // The public verification page knows the report without a login.
    browser
        .goto(&app.url(&format!("/verify/report/{report_id}")))
        .await
        .unwrap();
    browser
        .wait()
        .for_element(Locator::Css("#verify-known"))
        .await
        .expect("a known report");
    assert!(browser.source().await.unwrap().contains(&report_id));
    assert_no_overflow(&browser, "the verification page").await;

    log_in(&browser, &app, demo_user(Role::Government)).await;
    browser.goto(&app.url("/evaluations")).await.unwrap();
    let by_district = browser
        .wait()
        .for_element(Locator::Css("#by-district"))
        .await
        .expect("the distribution by district")
        .text()
        .await
        .unwrap();
    assert!(
        by_district.contains('区') || by_district.contains('县') || by_district.contains('市'),
        "district names in {by_district:?}"
    );
    browser
        .find(Locator::Css("#by-industry"))
        .await
        .expect("the distribution by industry");
    assert_no_overflow(&browser, "the grade distribution").await;
    std::fs::write(
        dir.join("evaluations-phone.png"),
        browser.screenshot().await.unwrap(),
    )
    .unwrap();
    browser.close().await.unwrap();
}
