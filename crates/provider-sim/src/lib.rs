//! 数据提供单位接口模拟器 — a data provider's query API (接口调用), simulated: a real HTTP
//! server answering `GET /items/{item_key}?subject=…` with deterministic rows shaped by the
//! catalogue, whose latency and failures tests (and demos) inject at start and change at run
//! time through `POST /control`.
//!
//! Routes:
//! - `GET /items/{item_key}?subject=S` → `{"item", "subject", "rows": [{field: value}]}`;
//!   404 for an item the catalogue does not have, 400 without a subject.
//! - `POST /control` with any of `{"latency_ms", "fail_rate", "fail_status", "down",
//!   "reset_stats"}` → the behaviour now in force.
//! - `GET /stats` → requests received, failures injected, requests in flight and the most
//!   ever in flight at once.
//! - `GET /healthz`.

mod rows;

pub use rows::{rows_for, stable_hash};

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How the simulator behaves at start.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SimOptions {
    /// Delay before every answer, in milliseconds.
    pub latency_ms: u64,
    /// Share of requests answered with `fail_status` (0.0–1.0).
    pub fail_rate: f64,
    /// The status of an injected failure (default 500).
    pub fail_status: u16,
    /// Seed of the rows and of the failure draws.
    pub seed: u64,
}

impl Default for SimOptions {
    fn default() -> Self {
        SimOptions {
            latency_ms: 0,
            fail_rate: 0.0,
            fail_status: 500,
            seed: 1,
        }
    }
}

/// The behaviour in force, as `POST /control` changes and reports it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Behaviour {
    pub latency_ms: u64,
    pub fail_rate: f64,
    pub fail_status: u16,
    /// Answer every item query with 503 at once, as a provider in maintenance does.
    pub down: bool,
}

/// A change of behaviour; absent fields stay as they are.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Control {
    pub latency_ms: Option<u64>,
    pub fail_rate: Option<f64>,
    pub fail_status: Option<u16>,
    pub down: Option<bool>,
    /// Zero the counters.
    #[serde(default)]
    pub reset_stats: bool,
}

/// What the simulator has seen.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stats {
    /// Item queries received (answered, failed or refused).
    pub requests: u64,
    /// Queries answered with an injected failure or because the provider was down.
    pub failures: u64,
    pub in_flight: u64,
    pub max_in_flight: u64,
}

#[derive(Debug)]
pub struct SimState {
    behaviour: Mutex<Behaviour>,
    rng: Mutex<ChaCha8Rng>,
    seed: u64,
    requests: AtomicU64,
    failures: AtomicU64,
    in_flight: AtomicU64,
    max_in_flight: AtomicU64,
}

impl SimState {
    pub fn new(options: SimOptions) -> Self {
        SimState {
            behaviour: Mutex::new(Behaviour {
                latency_ms: options.latency_ms,
                fail_rate: options.fail_rate.clamp(0.0, 1.0),
                fail_status: options.fail_status,
                down: false,
            }),
            rng: Mutex::new(ChaCha8Rng::seed_from_u64(options.seed)),
            seed: options.seed,
            requests: AtomicU64::new(0),
            failures: AtomicU64::new(0),
            in_flight: AtomicU64::new(0),
            max_in_flight: AtomicU64::new(0),
        }
    }

    pub fn stats(&self) -> Stats {
        Stats {
            requests: self.requests.load(Ordering::SeqCst),
            failures: self.failures.load(Ordering::SeqCst),
            in_flight: self.in_flight.load(Ordering::SeqCst),
            max_in_flight: self.max_in_flight.load(Ordering::SeqCst),
        }
    }

    pub fn behaviour(&self) -> Behaviour {
        *self.behaviour.lock().expect("behaviour lock")
    }

    /// Applies a change of behaviour and returns the behaviour now in force.
    pub fn control(&self, change: Control) -> Behaviour {
        let mut b = self.behaviour.lock().expect("behaviour lock");
        if let Some(ms) = change.latency_ms {
            b.latency_ms = ms;
        }
        if let Some(rate) = change.fail_rate {
            b.fail_rate = rate.clamp(0.0, 1.0);
        }
        if let Some(status) = change.fail_status {
            b.fail_status = status;
        }
        if let Some(down) = change.down {
            b.down = down;
        }
        if change.reset_stats {
            self.requests.store(0, Ordering::SeqCst);
            self.failures.store(0, Ordering::SeqCst);
            self.max_in_flight
                .store(self.in_flight.load(Ordering::SeqCst), Ordering::SeqCst);
        }
        *b
    }
}

/// The simulator's routes over a shared state.
pub fn router(state: Arc<SimState>) -> Router {
    Router::new()
        .route("/items/{item_key}", get(item))
        .route("/control", post(control).get(show_control))
        .route("/stats", get(stats))
        .route("/healthz", get(|| async { "ok" }))
        .with_state(state)
}

#[derive(Deserialize)]
struct ItemQuery {
    subject: Option<String>,
}

/// Counts a request in flight for as long as it lives.
struct InFlight<'a>(&'a SimState);

impl<'a> InFlight<'a> {
    fn enter(state: &'a SimState) -> Self {
        let now = state.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        state.max_in_flight.fetch_max(now, Ordering::SeqCst);
        InFlight(state)
    }
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::SeqCst);
    }
}

fn error(status: StatusCode, code: &str, message: &str) -> Response {
    (
        status,
        Json(serde_json::json!({"code": code, "message": message})),
    )
        .into_response()
}

async fn item(
    State(state): State<Arc<SimState>>,
    Path(item_key): Path<String>,
    Query(query): Query<ItemQuery>,
) -> Response {
    state.requests.fetch_add(1, Ordering::SeqCst);
    let _in_flight = InFlight::enter(&state);
    let behaviour = state.behaviour();
    if behaviour.down {
        state.failures.fetch_add(1, Ordering::SeqCst);
        return error(StatusCode::SERVICE_UNAVAILABLE, "down", "系统维护中");
    }
    if behaviour.latency_ms > 0 {
        tokio::time::sleep(Duration::from_millis(behaviour.latency_ms)).await;
    }
    let fail = behaviour.fail_rate > 0.0
        && state
            .rng
            .lock()
            .expect("rng lock")
            .random_bool(behaviour.fail_rate);
    if fail {
        state.failures.fetch_add(1, Ordering::SeqCst);
        let status = StatusCode::from_u16(behaviour.fail_status)
            .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        return error(status, "injected", "模拟故障");
    }
    let Some(subject) = query.subject.filter(|s| !s.trim().is_empty()) else {
        return error(StatusCode::BAD_REQUEST, "subject", "缺少 subject 参数");
    };
    let Some(item) = xinrong_core::catalog::builtin().item(&item_key) else {
        return error(StatusCode::NOT_FOUND, "unknown_item", "没有该信息项");
    };
    let subject = subject.trim();
    Json(serde_json::json!({
        "item": item.key,
        "subject": subject,
        "rows": rows_for(item, subject, state.seed),
    }))
    .into_response()
}

async fn control(
    State(state): State<Arc<SimState>>,
    Json(change): Json<Control>,
) -> Json<Behaviour> {
    Json(state.control(change))
}

async fn show_control(State(state): State<Arc<SimState>>) -> Json<Behaviour> {
    Json(state.behaviour())
}

async fn stats(State(state): State<Arc<SimState>>) -> Json<Stats> {
    Json(state.stats())
}

/// A running simulator. Dropping it stops the server.
#[derive(Debug)]
pub struct SimHandle {
    pub addr: SocketAddr,
    pub state: Arc<SimState>,
    server: tokio::task::JoinHandle<()>,
}

impl SimHandle {
    /// The base URL a connector points at, e.g. `http://127.0.0.1:41234`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn stats(&self) -> Stats {
        self.state.stats()
    }

    pub fn control(&self, change: Control) -> Behaviour {
        self.state.control(change)
    }

    /// Stops the server; the port refuses connections afterwards.
    pub async fn shutdown(mut self) {
        self.server.abort();
        let server = std::mem::replace(&mut self.server, tokio::spawn(async {}));
        let _ = server.await;
    }
}

impl Drop for SimHandle {
    fn drop(&mut self) {
        self.server.abort();
    }
}

/// Starts a simulator on a free loopback port (real TCP), for tests and `serve --demo`.
pub async fn spawn(options: SimOptions) -> std::io::Result<SimHandle> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    serve_on(listener, options)
}

/// Serves a simulator on a listener already bound.
pub fn serve_on(
    listener: tokio::net::TcpListener,
    options: SimOptions,
) -> std::io::Result<SimHandle> {
    let addr = listener.local_addr()?;
    let state = Arc::new(SimState::new(options));
    let app = router(state.clone());
    let server = tokio::spawn(async move {
        if let Err(err) = axum::serve(listener, app).await {
            eprintln!("provider simulator stopped: {err}");
        }
    });
    Ok(SimHandle {
        addr,
        state,
        server,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn answers_rows_and_obeys_control() {
        let sim = spawn(SimOptions::default()).await.unwrap();
        let client = reqwest::Client::new();
        let subject = xinrong_core::codes::uscc::Uscc::from_body("91410100MA44XPMU3").unwrap();
        let url = format!(
            "{}/items/tax.tax_arrears?subject={}",
            sim.url(),
            subject.as_str()
        );
        let body: serde_json::Value = client.get(&url).send().await.unwrap().json().await.unwrap();
        assert_eq!(body["rows"][0]["uscc"], subject.as_str());

        let missing = client
            .get(format!("{}/items/no.such?subject=x", sim.url()))
            .send()
            .await
            .unwrap();
        assert_eq!(missing.status(), 404);

        let now: Behaviour = client
            .post(format!("{}/control", sim.url()))
            .json(&serde_json::json!({"down": true}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert!(now.down);
        assert_eq!(client.get(&url).send().await.unwrap().status(), 503);

        sim.control(Control {
            down: Some(false),
            fail_rate: Some(1.0),
            fail_status: Some(502),
            ..Control::default()
        });
        assert_eq!(client.get(&url).send().await.unwrap().status(), 502);
        let stats: Stats = client
            .get(format!("{}/stats", sim.url()))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(stats.requests, 4);
        assert_eq!(stats.failures, 2);
        assert_eq!(stats.in_flight, 0);
        assert_eq!(stats.max_in_flight, 1);
    }
}
