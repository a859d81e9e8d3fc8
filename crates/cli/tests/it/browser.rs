//! A real browser (Debian chromium, driven over WebDriver by chromedriver) logs in as every role
//! and sees its home page, at desktop and phone width. Screenshots go to `target/screenshots/`.

use crate::support::{TestApp, demo_user};
use fantoccini::{Client, ClientBuilder, Locator};
use std::io::BufRead;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use xinrong_core::role::Role;
use xinrong_store::Backend;

struct Driver {
    child: Child,
    port: u16,
}

impl Driver {
    fn start() -> Driver {
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

    async fn client(&self, width: u32, height: u32) -> Client {
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
}

impl Drop for Driver {
    fn drop(&mut self) {
        self.child.kill().ok();
        self.child.wait().ok();
    }
}

fn screenshot_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

async fn log_in(browser: &Client, app: &TestApp, username: &str) {
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
            // Nothing may overflow the viewport sideways, at phone width least of all.
            let overflow = browser
                .execute(
                    "return document.documentElement.scrollWidth > window.innerWidth;",
                    vec![],
                )
                .await
                .unwrap();
            assert_eq!(
                overflow,
                serde_json::Value::Bool(false),
                "{role} at {label} overflows"
            );
            let png = browser.screenshot().await.unwrap();
            std::fs::write(dir.join(format!("home-{}-{label}.png", role.code())), png).unwrap();
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
