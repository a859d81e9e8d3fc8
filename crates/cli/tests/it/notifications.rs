//! 通知: each user's inbox (only theirs), and the outbound copies delivered after commit to a
//! real local webhook receiver (HMAC-SM3 signed) and a real local SMTP sink.

use crate::on_all_backends;
use crate::support::{TestApp, csrf_of, demo_user, page_text, xinrong};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use hmac::{KeyInit, Mac, SimpleHmac};
use serde_json::Value;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use xinrong_core::role::Role;
use xinrong_services::Platform;
use xinrong_services::notifications::outbound::{
    Dispatcher, OutboundConfig, Secret, SmtpConfig, SmtpSecurity, WebhookConfig,
};
use xinrong_services::notifications::{Notice, Recipient, notify};
use xinrong_store::Backend;
use xinrong_store::repo::inbox;
use xinrong_store::repo::registrations::{UserContactRow, upsert_contact};
use xinrong_store::repo::users;

async fn user_id(platform: &Platform, username: &str) -> String {
    users::by_username(&platform.db.conn, username)
        .await
        .unwrap()
        .expect("demo user")
        .id
}

/// Writes one notice for a user, committed, as a workflow step would.
async fn notice(platform: &Platform, user: &str, kind: &'static str, title: &str) {
    let txn = platform.db.begin().await.unwrap();
    let n = notify(
        &txn,
        platform,
        Notice {
            recipient: Recipient::User(user.to_owned()),
            kind,
            title: title.to_owned(),
            body: format!("{title}：请及时处理。"),
            link: Some("/inbox".to_owned()),
        },
    )
    .await
    .unwrap();
    assert_eq!(n, 1);
    txn.commit().await.unwrap();
}

async fn inbox_is_private_and_marks_read(backend: Backend) {
    let app = TestApp::with_demo(backend).await;
    let ent = user_id(&app.platform, demo_user(Role::Enterprise)).await;
    notice(&app.platform, &ent, "objection.corrected", "异议已更正").await;
    notice(&app.platform, &ent, "repair.approved", "信用修复已通过").await;

    let token = app.token_for(demo_user(Role::Enterprise)).await;
    let (status, inbox) = app.api_get(&token, "/api/v1/notifications").await;
    assert_eq!(status, 200);
    assert_eq!(inbox["unread"], 2);
    let messages = inbox["notifications"].as_array().unwrap().clone();
    assert_eq!(messages.len(), 2);
    assert_eq!(messages[0]["title"], "信用修复已通过", "newest first");
    let first = messages[0]["id"].as_str().unwrap().to_owned();

    // Another user sees none of it and cannot mark it: “not found”, like a made-up ID.
    let bank = app.token_for(demo_user(Role::Institution)).await;
    let (_, theirs) = app.api_get(&bank, "/api/v1/notifications").await;
    assert!(
        theirs["notifications"]
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m["id"] != first.as_str())
    );
    let (status, _) = app
        .api(
            reqwest::Method::POST,
            &bank,
            &format!("/api/v1/notifications/{first}/read"),
            None,
        )
        .await;
    assert_eq!(status, 404);
    let (status, _) = app
        .api(
            reqwest::Method::POST,
            &bank,
            "/api/v1/notifications/00000000-0000-0000-0000-000000000000/read",
            None,
        )
        .await;
    assert_eq!(status, 404);
    let (status, marked) = app
        .api(
            reqwest::Method::POST,
            &bank,
            "/api/v1/notifications/read-all",
            None,
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        marked["marked"], theirs["unread"],
        "the bank's read-all marks its own messages only"
    );
    let (_, still) = app
        .api_get(&token, "/api/v1/notifications?unread=true")
        .await;
    assert_eq!(still["unread"], 2);

    // The owner marks one read, then all.
    let (status, read) = app
        .api(
            reqwest::Method::POST,
            &token,
            &format!("/api/v1/notifications/{first}/read"),
            None,
        )
        .await;
    assert_eq!(status, 200);
    assert!(read["read_at"].is_string());
    let (_, after) = app
        .api_get(&token, "/api/v1/notifications?unread=true")
        .await;
    assert_eq!(after["unread"], 1);
    assert_eq!(after["notifications"].as_array().unwrap().len(), 1);

    // The page shows the badge and marks read with htmx (a row fragment back).
    let client = app.logged_in(demo_user(Role::Enterprise)).await;
    let badge = page_text(&client, app.url("/inbox/badge")).await;
    assert!(badge.contains("data-unread=\"1\""), "{badge}");
    let page = page_text(&client, app.url("/inbox")).await;
    assert!(page.contains("异议已更正") && page.contains("信用修复已通过"));
    assert!(
        page.contains("hx-get=\"/inbox/badge\""),
        "nav carries the badge"
    );
    let second = messages[1]["id"].as_str().unwrap();
    let csrf = csrf_of(&page);
    let fragment = client
        .post(app.url(&format!("/inbox/{second}/read")))
        .header("hx-request", "true")
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(fragment.status(), 200);
    assert_eq!(
        fragment.headers().get("hx-trigger").unwrap(),
        "inbox-changed"
    );
    let row = fragment.text().await.unwrap();
    assert!(
        row.starts_with("<tr id=\"msg-") && row.contains("data-read=\"true\""),
        "{row}"
    );
    let (_, none) = app
        .api_get(&token, "/api/v1/notifications?unread=true")
        .await;
    assert_eq!(none["unread"], 0);

    // The CLI lists a user's inbox.
    let out = xinrong(
        &app.db_url(),
        &[
            "notifications",
            "list",
            "--user",
            demo_user(Role::Enterprise),
            "--format",
            "json",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let listed: Value = serde_json::from_slice(&out.stdout).unwrap();
    let kinds: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["repair.approved", "objection.corrected"]);
    let out = xinrong(
        &app.db_url(),
        &["notifications", "list", "--user", "nobody-here"],
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("error[not_found]"));

    // Each user sets the address outbound notices are e-mailed to; a bad one is refused.
    let (status, contact) = app
        .api(
            reqwest::Method::PUT,
            &token,
            "/api/v1/notifications/contact",
            Some(serde_json::json!({"email": "cfo@ent.example.cn"})),
        )
        .await;
    assert_eq!(status, 200, "{contact}");
    let (_, contact) = app.api_get(&token, "/api/v1/notifications/contact").await;
    assert_eq!(contact["email"], "cfo@ent.example.cn");
    let (status, refused) = app
        .api(
            reqwest::Method::PUT,
            &token,
            "/api/v1/notifications/contact",
            Some(serde_json::json!({"email": "not-an-address"})),
        )
        .await;
    assert_eq!(
        (status, refused["code"].as_str()),
        (422, Some("contact.email"))
    );
    let (_, theirs) = app.api_get(&bank, "/api/v1/notifications/contact").await;
    assert!(
        theirs["email"].is_null(),
        "another user's address is their own"
    );
    let page = page_text(&client, app.url("/inbox")).await;
    assert!(page.contains("value=\"cfo@ent.example.cn\""), "{page}");
    let response = client
        .post(app.url("/inbox/contact"))
        .form(&[("csrf", csrf.as_str()), ("email", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    let (_, cleared) = app.api_get(&token, "/api/v1/notifications/contact").await;
    assert!(cleared["email"].is_null());
}
on_all_backends!(inbox_is_private_and_marks_read);

/// What the local webhook receiver got.
#[derive(Clone, Default)]
struct Received(Arc<Mutex<Vec<Request>>>);

/// One request a receiver got: its headers and body.
type Request = (HeaderMap, Vec<u8>);

/// A real HTTP receiver on a free loopback port; answers `status`.
async fn receiver(status: StatusCode) -> (String, Received) {
    async fn hook(
        State((got, status)): State<(Received, StatusCode)>,
        headers: HeaderMap,
        body: axum::body::Bytes,
    ) -> StatusCode {
        got.0.lock().unwrap().push((headers, body.to_vec()));
        status
    }
    let got = Received::default();
    let router = axum::Router::new()
        .route("/hook", axum::routing::post(hook))
        .with_state((got.clone(), status));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    (format!("http://{addr}/hook"), got)
}

/// HMAC-SM3, computed here independently of the platform's code.
fn expected_signature(key: &str, timestamp: &str, body: &[u8]) -> String {
    let mut mac = <SimpleHmac<sm3_hmac::Sm3> as KeyInit>::new_from_slice(key.as_bytes()).unwrap();
    mac.update(timestamp.as_bytes());
    mac.update(b".");
    mac.update(body);
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

async fn outbound_state(platform: &Platform, id: &str) -> (String, i32, Option<String>) {
    for state in ["pending", "sent", "failed", "none"] {
        if let Some(row) = inbox::pending_outbound(&platform.db.conn, state, 1000)
            .await
            .unwrap()
            .into_iter()
            .find(|r| r.id == id)
        {
            return (
                row.outbound_state,
                row.outbound_attempts,
                row.outbound_error,
            );
        }
    }
    panic!("no notification {id}");
}

async fn webhook_delivers_signed_after_commit(backend: Backend) {
    let app = TestApp::with_demo(backend).await;
    let mut platform = app.platform.clone();
    platform.outbound_enabled = true;
    let gov = user_id(&platform, demo_user(Role::Government)).await;
    notice(&platform, &gov, "objection.overdue", "异议处理逾期").await;
    let rows = xinrong_store::repo::notifications::for_user(&platform.db.conn, &gov, false, 10)
        .await
        .unwrap();
    let id = rows[0].id.clone();
    assert_eq!(outbound_state(&platform, &id).await.0, "pending");

    // A transaction that rolls back leaves nothing to deliver.
    {
        let txn = platform.db.begin().await.unwrap();
        notify(
            &txn,
            &platform,
            Notice {
                recipient: Recipient::User(gov.clone()),
                kind: "objection.filed",
                title: "不会送达".to_owned(),
                body: String::new(),
                link: None,
            },
        )
        .await
        .unwrap();
        drop(txn);
    }

    let (url, got) = receiver(StatusCode::NO_CONTENT).await;
    let secret = "s3cret-key-for-hmac";
    let config = OutboundConfig {
        webhook: Some(WebhookConfig {
            url,
            secret: Some(Secret::new(secret)),
        }),
        ..OutboundConfig::default()
    };
    assert!(
        !format!("{config:?}").contains(secret),
        "the secret never prints"
    );
    let dispatcher = Dispatcher::from_config(&config).unwrap().unwrap();
    let report = dispatcher.run_once(&platform).await.unwrap();
    assert_eq!(report.sent, 1, "{report:?}");
    let received = got.0.lock().unwrap().clone();
    assert_eq!(received.len(), 1);
    let (headers, body) = &received[0];
    let json: Value = serde_json::from_slice(body).unwrap();
    assert_eq!(json["id"], id.as_str());
    assert_eq!(json["kind"], "objection.overdue");
    assert_eq!(json["title"], "异议处理逾期");
    assert_eq!(json["username"], demo_user(Role::Government));
    assert_eq!(headers["x-xinrong-delivery"], id.as_str());
    assert_eq!(headers["x-xinrong-event"], "objection.overdue");
    let timestamp = headers["x-xinrong-timestamp"].to_str().unwrap();
    let signature = headers["x-xinrong-signature"].to_str().unwrap();
    assert_eq!(
        signature,
        format!("sm3={}", expected_signature(secret, timestamp, body))
    );
    assert_ne!(
        signature,
        format!("sm3={}", expected_signature("another key", timestamp, body))
    );
    assert_eq!(outbound_state(&platform, &id).await.0, "sent");
    // Delivered once: the next pass has nothing to do.
    assert_eq!(dispatcher.run_once(&platform).await.unwrap().sent, 0);
    assert_eq!(got.0.lock().unwrap().len(), 1);

    // A receiver that fails: retried with backoff, then given up; the error is kept.
    notice(&platform, &gov, "repair.submitted", "信用修复申请").await;
    let id2 = xinrong_store::repo::notifications::for_user(&platform.db.conn, &gov, false, 10)
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.kind == "repair.submitted")
        .unwrap()
        .id;
    let (bad_url, bad_got) = receiver(StatusCode::INTERNAL_SERVER_ERROR).await;
    let failing = Dispatcher::from_config(&OutboundConfig {
        webhook: Some(WebhookConfig {
            url: bad_url.clone(),
            secret: None,
        }),
        max_attempts: 2,
        backoff: Duration::from_secs(3600),
        ..OutboundConfig::default()
    })
    .unwrap()
    .unwrap();
    let first = failing.run_once(&platform).await.unwrap();
    assert_eq!((first.retrying, first.sent), (1, 0));
    let (state, attempts, error) = outbound_state(&platform, &id2).await;
    assert_eq!((state.as_str(), attempts), ("pending", 1));
    assert!(error.unwrap().contains("HTTP 500"));
    // Within the backoff it waits, without calling the receiver.
    let second = failing.run_once(&platform).await.unwrap();
    assert_eq!(second.waiting, 1);
    assert_eq!(bad_got.0.lock().unwrap().len(), 1);
    // Past the backoff (no waiting configured) the last attempt gives up.
    let impatient = Dispatcher::from_config(&OutboundConfig {
        webhook: Some(WebhookConfig {
            url: bad_url,
            secret: None,
        }),
        max_attempts: 2,
        backoff: Duration::ZERO,
        ..OutboundConfig::default()
    })
    .unwrap()
    .unwrap();
    let third = impatient.run_once(&platform).await.unwrap();
    assert_eq!(third.failed, 1, "{third:?}");
    assert_eq!(outbound_state(&platform, &id2).await.0, "failed");
    assert_eq!(bad_got.0.lock().unwrap().len(), 2);

    // The CLI's dispatcher is configured from the environment (notify.webhook.*).
    notice(&platform, &gov, "agreement.expiring", "协议即将到期").await;
    let (cli_url, cli_got) = receiver(StatusCode::OK).await;
    let db_url = app.db_url();
    let out = tokio::task::spawn_blocking(move || {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_xinrong"));
        command
            .args(["notifications", "dispatch", "--format", "json"])
            .env("XINRONG_DATABASE_URL", &db_url)
            .env("XINRONG_LOG", "warn")
            .env("XINRONG_NOTIFY_WEBHOOK_URL", &cli_url)
            .env("XINRONG_NOTIFY_WEBHOOK_SECRET", "cli-secret");
        if let Some(key) = crate::support::ledger_key_for(&db_url) {
            command.env("XINRONG_LEDGER_KEY", key);
        }
        command.output().unwrap()
    })
    .await
    .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["sent"], 1, "{report}");
    assert!(!String::from_utf8_lossy(&out.stderr).contains("cli-secret"));
    let cli_received = cli_got.0.lock().unwrap().clone();
    let (headers, body) = &cli_received[0];
    let timestamp = headers["x-xinrong-timestamp"].to_str().unwrap();
    assert_eq!(
        headers["x-xinrong-signature"].to_str().unwrap(),
        format!("sm3={}", expected_signature("cli-secret", timestamp, body))
    );
}
on_all_backends!(webhook_delivers_signed_after_commit);

/// One message an SMTP client delivered: the envelope recipients and the DATA.
type Mail = (Vec<String>, String);

/// A minimal SMTP sink on a free loopback port (RFC 5321 server side: greeting, EHLO, MAIL,
/// RCPT, DATA, QUIT). Written here rather than taken from crates.io: the embeddable SMTP
/// servers there (mailin-embedded) pull in rustls with the aws-lc-rs provider, a C build that
/// also makes rustls' default provider ambiguous for the whole test binary.
async fn smtp_sink() -> (u16, Arc<Mutex<Vec<Mail>>>) {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let mails: Arc<Mutex<Vec<Mail>>> = Arc::default();
    let keep = mails.clone();
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                return;
            };
            let keep = keep.clone();
            tokio::spawn(async move {
                let (read, mut write) = stream.into_split();
                let mut lines = BufReader::new(read).lines();
                write.write_all(b"220 sink.test ESMTP\r\n").await.unwrap();
                let mut to = Vec::new();
                while let Ok(Some(line)) = lines.next_line().await {
                    let upper = line.to_ascii_uppercase();
                    let reply: &[u8] = if upper.starts_with("EHLO") || upper.starts_with("HELO") {
                        b"250-sink.test\r\n250 8BITMIME\r\n"
                    } else if upper.starts_with("RCPT TO:") {
                        to.push(line[8..].trim().trim_matches(['<', '>']).to_owned());
                        b"250 OK\r\n"
                    } else if upper == "DATA" {
                        write.write_all(b"354 go ahead\r\n").await.unwrap();
                        let mut data = String::new();
                        while let Ok(Some(l)) = lines.next_line().await {
                            if l == "." {
                                break;
                            }
                            data.push_str(&l);
                            data.push('\n');
                        }
                        keep.lock().unwrap().push((std::mem::take(&mut to), data));
                        b"250 queued\r\n"
                    } else if upper == "QUIT" {
                        write.write_all(b"221 bye\r\n").await.unwrap();
                        return;
                    } else {
                        b"250 OK\r\n"
                    };
                    write.write_all(reply).await.unwrap();
                }
            });
        }
    });
    (port, mails)
}

async fn smtp_delivers_to_the_users_address(backend: Backend) {
    let app = TestApp::with_demo(backend).await;
    let mut platform = app.platform.clone();
    platform.outbound_enabled = true;
    let ent = user_id(&platform, demo_user(Role::Enterprise)).await;
    let bank = user_id(&platform, demo_user(Role::Institution)).await;
    upsert_contact(
        &platform.db.conn,
        UserContactRow {
            user_id: ent.clone(),
            email: Some("finance@ent.example.cn".to_owned()),
            phone: None,
            updated_at: platform.clock.now_naive(),
        },
    )
    .await
    .unwrap();
    notice(&platform, &ent, "objection.confirmed", "异议处理结果").await;
    // A user without an address: nothing to send by e-mail, nothing fails.
    notice(&platform, &bank, "authorization.revoked", "授权已撤销").await;

    let (port, mails) = smtp_sink().await;

    let dispatcher = Dispatcher::from_config(&OutboundConfig {
        smtp: Some(SmtpConfig {
            host: "127.0.0.1".to_owned(),
            port,
            from: "信融平台 <noreply@xinrong.example.cn>".to_owned(),
            username: None,
            password: None,
            security: SmtpSecurity::None,
        }),
        ..OutboundConfig::default()
    })
    .unwrap()
    .unwrap();
    let report = dispatcher.run_once(&platform).await.unwrap();
    assert_eq!(
        (report.sent, report.failed, report.retrying),
        (2, 0, 0),
        "{report:?}"
    );
    let got = mails.lock().unwrap().clone();
    assert_eq!(got.len(), 1, "only the user with an address gets mail");
    let (to, data) = &got[0];
    assert_eq!(to, &["finance@ent.example.cn".to_owned()]);
    let text = data;
    assert!(text.contains("noreply@xinrong.example.cn"), "{text}");
    assert!(text.contains("Subject:"), "{text}");
    assert!(text.contains("finance@ent.example.cn"));
}
on_all_backends!(smtp_delivers_to_the_users_address);
