//! Outbound notifications (外发通知): after a workflow step committed its inbox rows, a
//! dispatcher delivers a copy of every `pending` row through the configured channels — an SMTP
//! relay (to the user's e-mail address, when one is known) and/or a webhook (one HTTP POST of
//! JSON per message, signed with HMAC-SM3). The inbox table is the outbox: a row stays
//! `pending` until every channel accepted it, is retried with exponential backoff, and becomes
//! `failed` after the last attempt. Delivery is at least once: a receiver de-duplicates by the
//! message `id` (also in the `X-Xinrong-Delivery` header).
//!
//! Secrets (SMTP password, webhook key) live in [`Secret`], whose `Debug` prints nothing, and
//! never reach a log line or an error stored in the table.

use super::OUTBOUND_PENDING;
use super::inbox::to_message;
use crate::error::{ServiceError, ServiceResult};
use crate::platform::Platform;
use hmac::{KeyInit, Mac, SimpleHmac};
use serde::Serialize;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;
use xinrong_store::repo::inbox;
use xinrong_store::repo::registrations as contacts;
use xinrong_store::repo::users;

/// A row that gave up after the last attempt.
pub const OUTBOUND_FAILED: &str = "failed";
/// A row every channel accepted.
pub const OUTBOUND_SENT: &str = "sent";

/// A configured secret: usable, never printed.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl std::str::FromStr for Secret {
    type Err = std::convert::Infallible;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(Secret(s.to_owned()))
    }
}

/// How the SMTP connection is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SmtpSecurity {
    /// STARTTLS on the submission port (587) — the default.
    #[default]
    StartTls,
    /// TLS from the first byte (465).
    Tls,
    /// Plain text: only for a relay on the same host or a test sink.
    None,
}

impl std::str::FromStr for SmtpSecurity {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "starttls" => Ok(SmtpSecurity::StartTls),
            "tls" => Ok(SmtpSecurity::Tls),
            "none" => Ok(SmtpSecurity::None),
            other => Err(format!(
                "unknown SMTP security {other:?}: starttls, tls or none"
            )),
        }
    }
}

#[derive(Debug, Clone)]
pub struct SmtpConfig {
    pub host: String,
    pub port: u16,
    /// `平台通知 <noreply@example.gov.cn>` or a bare address.
    pub from: String,
    pub username: Option<String>,
    pub password: Option<Secret>,
    pub security: SmtpSecurity,
}

#[derive(Debug, Clone)]
pub struct WebhookConfig {
    pub url: String,
    /// Key of the HMAC-SM3 signature header; unsigned without one.
    pub secret: Option<Secret>,
}

/// Every outbound setting.
#[derive(Debug, Clone)]
pub struct OutboundConfig {
    pub smtp: Option<SmtpConfig>,
    pub webhook: Option<WebhookConfig>,
    /// Attempts before a row is marked `failed`.
    pub max_attempts: i32,
    /// Wait before the second attempt; doubled for each further one (capped at one hour).
    pub backoff: Duration,
    /// Per-attempt timeout of one channel.
    pub timeout: Duration,
}

impl Default for OutboundConfig {
    fn default() -> Self {
        OutboundConfig {
            smtp: None,
            webhook: None,
            max_attempts: 6,
            backoff: Duration::from_secs(30),
            timeout: Duration::from_secs(10),
        }
    }
}

impl OutboundConfig {
    pub fn is_configured(&self) -> bool {
        self.smtp.is_some() || self.webhook.is_some()
    }
}

/// One message as it leaves the platform.
#[derive(Debug, Clone, Serialize)]
pub struct Message {
    pub id: String,
    pub kind: String,
    pub title: String,
    pub body: String,
    pub link: Option<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub user_id: String,
    pub username: String,
    /// Where SMTP sends it; not part of the webhook body.
    #[serde(skip)]
    pub email: Option<String>,
}

/// The result of one channel's attempt.
pub type SendFuture<'a> = Pin<Box<dyn Future<Output = Result<(), String>> + Send + 'a>>;

/// An outbound channel. `send` returns an error text safe to store (no secrets).
pub trait Channel: Send + Sync {
    fn name(&self) -> &'static str;
    /// Whether this message has somewhere to go on this channel (SMTP needs an address).
    fn applies(&self, message: &Message) -> bool;
    fn send<'a>(&'a self, message: &'a Message) -> SendFuture<'a>;
}

/// HMAC-SM3 of `timestamp.body` under `key`, lowercase hex: the `X-Xinrong-Signature` header
/// is `sm3=<this>`.
pub fn webhook_signature(key: &[u8], timestamp: &str, body: &[u8]) -> String {
    let mut mac = <SimpleHmac<sm3_hmac::Sm3> as KeyInit>::new_from_slice(key)
        .expect("HMAC takes keys of any length");
    mac.update(timestamp.as_bytes());
    mac.update(b".");
    mac.update(body);
    hex::encode(mac.finalize().into_bytes())
}

/// Webhook: `POST url` with the message as JSON.
pub struct Webhook {
    config: WebhookConfig,
    client: reqwest::Client,
}

impl Webhook {
    pub fn new(config: WebhookConfig, timeout: Duration) -> ServiceResult<Webhook> {
        let url = reqwest::Url::parse(&config.url).map_err(|e| {
            ServiceError::invalid("notify.webhook_url", format!("Webhook 地址无效：{e}"))
        })?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(ServiceError::invalid(
                "notify.webhook_url",
                "Webhook 地址须为 http 或 https",
            ));
        }
        let client = reqwest::Client::builder()
            .timeout(timeout)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| ServiceError::invalid("notify.webhook", e.to_string()))?;
        Ok(Webhook { config, client })
    }
}

impl Channel for Webhook {
    fn name(&self) -> &'static str {
        "webhook"
    }

    fn applies(&self, _message: &Message) -> bool {
        true
    }

    fn send<'a>(&'a self, message: &'a Message) -> SendFuture<'a> {
        Box::pin(async move {
            let body = serde_json::to_vec(message).map_err(|e| e.to_string())?;
            let timestamp = chrono::Utc::now().timestamp().to_string();
            let mut request = self
                .client
                .post(&self.config.url)
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .header("X-Xinrong-Event", &message.kind)
                .header("X-Xinrong-Delivery", &message.id)
                .header("X-Xinrong-Timestamp", &timestamp);
            if let Some(secret) = &self.config.secret {
                let signature = webhook_signature(secret.expose().as_bytes(), &timestamp, &body);
                request = request.header("X-Xinrong-Signature", format!("sm3={signature}"));
            }
            let response = request.body(body).send().await.map_err(|e| {
                // reqwest's error names the URL, which is configuration, not a secret.
                format!("webhook: {}", e.without_url())
            })?;
            if response.status().is_success() {
                Ok(())
            } else {
                Err(format!("webhook: HTTP {}", response.status().as_u16()))
            }
        })
    }
}

/// SMTP through `lettre`.
pub struct Smtp {
    transport: lettre::AsyncSmtpTransport<lettre::Tokio1Executor>,
    from: lettre::message::Mailbox,
}

impl Smtp {
    pub fn new(config: SmtpConfig, timeout: Duration) -> ServiceResult<Smtp> {
        use lettre::AsyncSmtpTransport;
        use lettre::Tokio1Executor;
        let invalid = |m: String| ServiceError::invalid("notify.smtp", m);
        let from: lettre::message::Mailbox = config
            .from
            .parse()
            .map_err(|e| invalid(format!("发件人地址无效：{e}")))?;
        let builder = match config.security {
            SmtpSecurity::StartTls => {
                AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&config.host)
                    .map_err(|e| invalid(e.to_string()))?
            }
            SmtpSecurity::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(&config.host)
                .map_err(|e| invalid(e.to_string()))?,
            SmtpSecurity::None => {
                AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&config.host)
            }
        };
        let mut builder = builder.port(config.port).timeout(Some(timeout));
        if let (Some(user), Some(password)) = (&config.username, &config.password) {
            builder =
                builder.credentials(lettre::transport::smtp::authentication::Credentials::new(
                    user.clone(),
                    password.expose().to_owned(),
                ));
        }
        Ok(Smtp {
            transport: builder.build(),
            from,
        })
    }
}

impl Channel for Smtp {
    fn name(&self) -> &'static str {
        "smtp"
    }

    fn applies(&self, message: &Message) -> bool {
        message.email.is_some()
    }

    fn send<'a>(&'a self, message: &'a Message) -> SendFuture<'a> {
        Box::pin(async move {
            use lettre::AsyncTransport;
            let Some(to) = &message.email else {
                return Ok(());
            };
            let to: lettre::message::Mailbox =
                to.parse().map_err(|e| format!("smtp: 收件地址无效：{e}"))?;
            let mut text = message.body.clone();
            if let Some(link) = &message.link {
                text.push_str(&format!("\n\n{link}"));
            }
            let email = lettre::Message::builder()
                .from(self.from.clone())
                .to(to)
                .subject(format!("【信融】{}", message.title))
                .header(lettre::message::header::ContentType::TEXT_PLAIN)
                .body(text)
                .map_err(|e| format!("smtp: {e}"))?;
            self.transport
                .send(email)
                .await
                .map(|_| ())
                .map_err(|e| format!("smtp: {e}"))
        })
    }
}

/// What one dispatch pass did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DispatchReport {
    pub sent: usize,
    /// Attempts that failed and will be retried.
    pub retrying: usize,
    /// Rows that gave up.
    pub failed: usize,
    /// Pending rows whose backoff has not elapsed yet.
    pub waiting: usize,
}

/// Delivers pending rows through the configured channels.
#[derive(Clone)]
pub struct Dispatcher {
    channels: Arc<Vec<Box<dyn Channel>>>,
    max_attempts: i32,
    backoff: Duration,
}

/// Rows looked at per pass.
const BATCH: u64 = 200;

impl Dispatcher {
    /// The dispatcher for `config`; `None` when no channel is configured.
    pub fn from_config(config: &OutboundConfig) -> ServiceResult<Option<Dispatcher>> {
        let mut channels: Vec<Box<dyn Channel>> = Vec::new();
        if let Some(smtp) = &config.smtp {
            channels.push(Box::new(Smtp::new(smtp.clone(), config.timeout)?));
        }
        if let Some(webhook) = &config.webhook {
            channels.push(Box::new(Webhook::new(webhook.clone(), config.timeout)?));
        }
        if channels.is_empty() {
            return Ok(None);
        }
        Ok(Some(Dispatcher::with_channels(
            channels,
            config.max_attempts,
            config.backoff,
        )))
    }

    pub fn with_channels(
        channels: Vec<Box<dyn Channel>>,
        max_attempts: i32,
        backoff: Duration,
    ) -> Dispatcher {
        Dispatcher {
            channels: Arc::new(channels),
            max_attempts: max_attempts.max(1),
            backoff,
        }
    }

    /// Whether a row that has had `attempts` attempts, the last at `last`, may be tried now.
    fn due(
        &self,
        attempts: i32,
        last: Option<chrono::NaiveDateTime>,
        now: chrono::NaiveDateTime,
    ) -> bool {
        match (attempts, last) {
            (0, _) | (_, None) => true,
            (n, Some(last)) => {
                let factor = 1u32 << (n - 1).clamp(0, 16) as u32;
                let wait = self
                    .backoff
                    .saturating_mul(factor)
                    .min(Duration::from_secs(3600));
                let wait = chrono::Duration::from_std(wait).unwrap_or(chrono::Duration::hours(1));
                now >= last + wait
            }
        }
    }

    /// One pass over the pending rows: each due row is offered to every channel that applies.
    pub async fn run_once(&self, platform: &Platform) -> ServiceResult<DispatchReport> {
        let conn = &platform.db.conn;
        let rows = inbox::pending_outbound(conn, OUTBOUND_PENDING, BATCH).await?;
        let mut report = DispatchReport::default();
        let user_ids: Vec<String> = {
            let mut ids: Vec<String> = rows.iter().map(|r| r.user_id.clone()).collect();
            ids.sort();
            ids.dedup();
            ids
        };
        let emails: std::collections::HashMap<String, Option<String>> =
            contacts::contacts_of(conn, &user_ids)
                .await?
                .into_iter()
                .map(|c| (c.user_id, c.email))
                .collect();
        let mut usernames = std::collections::HashMap::new();
        for id in &user_ids {
            if let Some(u) = users::get(conn, id).await? {
                usernames.insert(id.clone(), u.username);
            }
        }
        for row in rows {
            let now = platform.clock.now_naive();
            if !self.due(row.outbound_attempts, row.outbound_at, now) {
                report.waiting += 1;
                continue;
            }
            let message = to_message(
                &row,
                usernames.get(&row.user_id).cloned().unwrap_or_default(),
                emails.get(&row.user_id).cloned().flatten(),
            );
            let mut errors = Vec::new();
            for channel in self.channels.iter().filter(|c| c.applies(&message)) {
                if let Err(e) = channel.send(&message).await {
                    tracing::warn!(notification = %row.id, channel = channel.name(), error = %e, "outbound delivery failed");
                    errors.push(e);
                }
            }
            let attempts = row.outbound_attempts;
            let (state, error) = if errors.is_empty() {
                report.sent += 1;
                (OUTBOUND_SENT, None)
            } else if attempts + 1 >= self.max_attempts {
                report.failed += 1;
                (OUTBOUND_FAILED, Some(errors.join("; ")))
            } else {
                report.retrying += 1;
                (OUTBOUND_PENDING, Some(errors.join("; ")))
            };
            let error = error.map(|e| e.chars().take(500).collect::<String>());
            inbox::record_attempt(
                conn,
                &row.id,
                OUTBOUND_PENDING,
                attempts,
                state,
                error,
                platform.clock.now_naive(),
            )
            .await?;
        }
        Ok(report)
    }

    /// Runs [`Dispatcher::run_once`] every `interval` until the task is dropped.
    pub fn spawn(self, platform: Platform, interval: Duration) -> tokio::task::JoinHandle<()> {
        tokio::spawn(async move {
            let mut every = tokio::time::interval(interval);
            every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                every.tick().await;
                match self.run_once(&platform).await {
                    Ok(r) if r.sent + r.failed + r.retrying > 0 => {
                        tracing::info!(
                            sent = r.sent,
                            retrying = r.retrying,
                            failed = r.failed,
                            "outbound notifications"
                        );
                    }
                    Ok(_) => {}
                    Err(err) => tracing::warn!(error = %err, "outbound dispatch failed"),
                }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_do_not_print() {
        let s = Secret::new("hunter2");
        assert_eq!(format!("{s:?}"), "Secret(***)");
        let config = WebhookConfig {
            url: "http://x".into(),
            secret: Some(s),
        };
        assert!(!format!("{config:?}").contains("hunter2"));
    }

    #[test]
    fn backoff_doubles() {
        let d = Dispatcher::with_channels(Vec::new(), 5, Duration::from_secs(30));
        let t0 = chrono::NaiveDate::from_ymd_opt(2026, 11, 25)
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap();
        assert!(d.due(0, None, t0));
        assert!(!d.due(1, Some(t0), t0 + chrono::Duration::seconds(29)));
        assert!(d.due(1, Some(t0), t0 + chrono::Duration::seconds(30)));
        assert!(!d.due(2, Some(t0), t0 + chrono::Duration::seconds(59)));
        assert!(d.due(2, Some(t0), t0 + chrono::Duration::seconds(60)));
    }

    #[test]
    fn signature_is_hmac_sm3() {
        // Independent check: HMAC per RFC 2104 over SM3 (block 64 bytes), from the sm3 crate.
        use sm3::Digest;
        let key = b"key";
        let mut k = [0u8; 64];
        k[..key.len()].copy_from_slice(key);
        let ipad: Vec<u8> = k.iter().map(|b| b ^ 0x36).collect();
        let opad: Vec<u8> = k.iter().map(|b| b ^ 0x5c).collect();
        let inner = sm3::Sm3::new()
            .chain_update(&ipad)
            .chain_update(b"1.{}")
            .finalize();
        let outer = sm3::Sm3::new()
            .chain_update(&opad)
            .chain_update(inner)
            .finalize();
        assert_eq!(webhook_signature(key, "1", b"{}"), hex::encode(outer));
    }
}
