//! `TestApp`: a real server on a free loopback port over its own database.

use reqwest::Client;
use std::net::SocketAddr;
use std::sync::Arc;
use xinrong_core::clock::{Clock, SystemClock};
use xinrong_services::Platform;
use xinrong_services::demo::{DemoOptions, DemoSummary, seed_demo};
use xinrong_store::Backend;
use xinrong_store::testing::TestDb;
use xinrong_web::{AppState, RoutePolicy};

/// Generates one `#[tokio::test]` per backend from an `async fn(Backend)`.
#[macro_export]
macro_rules! on_all_backends {
    ($name:ident) => {
        mod $name {
            use xinrong_store::Backend;
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::$name(Backend::Sqlite).await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                super::$name(Backend::Postgres).await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn mysql() {
                super::$name(Backend::MySql).await
            }
        }
    };
}

pub struct TestApp {
    pub base: String,
    pub platform: Platform,
    pub policies: Vec<RoutePolicy>,
    pub demo: Option<DemoSummary>,
    // Dropped last: the server must stop before its database goes.
    _server: tokio::task::JoinHandle<()>,
    _db: TestDb,
}

impl TestApp {
    pub async fn spawn(backend: Backend) -> TestApp {
        Self::spawn_with(backend, None, Arc::new(SystemClock)).await
    }

    /// A server over a small demo city (seed 7, 200 enterprises in 郑州).
    pub async fn with_demo(backend: Backend) -> TestApp {
        Self::spawn_with(
            backend,
            Some(DemoOptions {
                enterprises: 200,
                seed: 7,
                region: "4101".into(),
                records_per_enterprise: 0,
                finance: false,
            }),
            Arc::new(SystemClock),
        )
        .await
    }

    pub async fn spawn_with(
        backend: Backend,
        demo: Option<DemoOptions>,
        clock: Arc<dyn Clock>,
    ) -> TestApp {
        let db = TestDb::new(backend).await;
        // The server signs with the key the CLI uses for this database, so heads written by
        // either (the demo's agreements, a batch, a read) verify with one public key.
        let (key, _) = xinrong_services::ledger::load_or_create_key(&cli_ledger_key(&db.url))
            .expect("ledger key");
        let platform = Platform::with_clock(db.db.clone(), clock).with_ledger_key(key);
        let demo = match demo {
            Some(options) => Some(seed_demo(&platform, &options).await.expect("seed demo")),
            None => None,
        };
        let (router, policies) = xinrong_web::app(AppState {
            platform: platform.clone(),
            secure_cookies: false,
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr: SocketAddr = listener.local_addr().expect("addr");
        let server = tokio::spawn(async move {
            axum::serve(listener, router).await.expect("serve");
        });
        TestApp {
            base: format!("http://{addr}"),
            platform,
            policies,
            demo,
            _server: server,
            _db: db,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// The demo password (one for all demo users).
    pub fn demo_password(&self) -> String {
        self.demo.as_ref().expect("demo app").credentials[0]
            .password
            .clone()
    }

    /// A browser-like client: keeps cookies, does not follow redirects.
    pub fn browser() -> Client {
        Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client")
    }

    /// Logs in through the login form like a person, returning the cookie-carrying client.
    pub async fn login(&self, username: &str, password: &str) -> (Client, reqwest::Response) {
        let client = Self::browser();
        let page = client
            .get(self.url("/login"))
            .send()
            .await
            .expect("login page");
        assert_eq!(page.status(), 200);
        let csrf = csrf_of(&page.text().await.expect("body"));
        let response = client
            .post(self.url("/login"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("username", username),
                ("password", password),
                ("next", "/"),
            ])
            .send()
            .await
            .expect("login post");
        (client, response)
    }

    /// A logged-in client for a demo user.
    pub async fn logged_in(&self, username: &str) -> Client {
        let (client, response) = self.login(username, &self.demo_password()).await;
        assert_eq!(
            response.status(),
            303,
            "login of {username} should redirect"
        );
        client
    }

    /// A bearer token for a demo user, created through the API with its session.
    pub async fn token_for(&self, username: &str) -> String {
        let client = self.logged_in(username).await;
        let csrf = self.csrf_of_session(&client).await;
        let created: serde_json::Value = client
            .post(self.url("/api/v1/tokens"))
            .header("x-csrf-token", csrf)
            .json(&serde_json::json!({"name": "test"}))
            .send()
            .await
            .expect("create token")
            .json()
            .await
            .expect("json");
        created["token"].as_str().expect("token").to_owned()
    }

    /// The CSRF token of a logged-in browser client, read off a page with a form.
    pub async fn csrf_of_session(&self, client: &Client) -> String {
        let html = client
            .get(self.url("/tokens"))
            .send()
            .await
            .expect("tokens page")
            .text()
            .await
            .expect("body");
        csrf_of(&html)
    }
}

/// The value of the hidden `csrf` field of a page.
pub fn csrf_of(html: &str) -> String {
    let marker = "name=\"csrf\" value=\"";
    let start = html.find(marker).expect("page has a CSRF field") + marker.len();
    html[start..].split('"').next().expect("value").to_owned()
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self._server.abort();
    }
}

/// One demo login per role.
pub fn demo_user(role: xinrong_core::role::Role) -> &'static str {
    use xinrong_core::role::Role;
    match role {
        Role::Operator => "operator",
        Role::Government => "gov",
        Role::Provider => "provider-market",
        Role::Institution => "bank-icbc",
        Role::Enterprise => "ent-1",
    }
}

/// A concrete path for a routed path: placeholders become a harmless value.
pub fn concrete(path: &str) -> String {
    path.split('/')
        .map(|seg| {
            if seg.starts_with('{') {
                "00000000-0000-0000-0000-000000000000"
            } else {
                seg
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

impl TestApp {
    /// An API call with a bearer token; the status and the JSON body (`null` when empty).
    pub async fn api(
        &self,
        method: reqwest::Method,
        token: &str,
        path: &str,
        body: Option<serde_json::Value>,
    ) -> (u16, serde_json::Value) {
        let mut request = Client::new()
            .request(method, self.url(path))
            .bearer_auth(token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.expect("API request");
        let status = response.status().as_u16();
        (
            status,
            response.json().await.unwrap_or(serde_json::Value::Null),
        )
    }

    pub async fn api_get(&self, token: &str, path: &str) -> (u16, serde_json::Value) {
        self.api(reqwest::Method::GET, token, path, None).await
    }
}

impl TestApp {
    /// The URL of this app's database, for driving the CLI against it.
    pub fn db_url(&self) -> String {
        self._db.url.clone()
    }
}

/// Runs the `xinrong` binary against a database; quiet logs.
pub fn xinrong(db_url: &str, args: &[&str]) -> std::process::Output {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_xinrong"));
    command
        .args(args)
        .env("XINRONG_DATABASE_URL", db_url)
        .env("XINRONG_LOG", "warn");
    if let Some(key) = ledger_key_for(db_url) {
        command.env("XINRONG_LEDGER_KEY", key);
    }
    command.output().expect("run xinrong")
}

/// A ledger key of its own for a server database, outside the source tree: the CLI's default
/// for servers is `data/ledger-sm2.key` in the working directory. SQLite keeps its default,
/// beside the database file.
pub fn ledger_key_for(db_url: &str) -> Option<std::path::PathBuf> {
    (!db_url.starts_with("sqlite:")).then(|| {
        let digest = xinrong_ledger::sm3(&[db_url.as_bytes()]).to_hex();
        std::env::temp_dir().join(format!("xrt-ledger-{}.key", &digest[..16]))
    })
}

/// The key file the CLI loads for `db_url`: beside a SQLite file, else the per-database one.
pub fn cli_ledger_key(db_url: &str) -> std::path::PathBuf {
    if let Some(key) = ledger_key_for(db_url) {
        return key;
    }
    let path = db_url
        .trim_start_matches("sqlite:")
        .trim_start_matches("//")
        .split('?')
        .next()
        .unwrap_or_default();
    std::path::Path::new(path)
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."))
        .join(xinrong_services::ledger::DEFAULT_KEY_FILE)
}

/// A file with these bytes, removed when dropped: the batch path reads uploads from disk.
pub struct TempFile(pub std::path::PathBuf);

pub fn temp_file(bytes: impl AsRef<[u8]>) -> TempFile {
    let path = std::env::temp_dir().join(format!("xrt-upload-{}", uuid::Uuid::new_v4().simple()));
    std::fs::write(&path, bytes).expect("write temp file");
    TempFile(path)
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// The body of a page fetched with a (browser-like) client.
pub async fn page_text(client: &Client, url: impl reqwest::IntoUrl) -> String {
    client
        .get(url)
        .send()
        .await
        .expect("page request")
        .text()
        .await
        .expect("page body")
}
