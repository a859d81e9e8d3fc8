//! Login, lockout with backoff, sessions, logout, and the first operator.

use crate::on_all_backends;
use crate::support::TestApp;
use chrono::{Duration, TimeZone, Utc};
use std::sync::Arc;
use xinrong_core::clock::FixedClock;
use xinrong_services::ServiceError;
use xinrong_services::demo::DemoOptions;
use xinrong_services::identity::{self, create_first_operator};
use xinrong_store::Backend;

/// A tiny demo city whose clock the test moves by hand.
async fn app_with_clock(backend: Backend) -> (TestApp, Arc<FixedClock>) {
    let clock = Arc::new(FixedClock::new(
        Utc.with_ymd_and_hms(2026, 11, 24, 8, 0, 0).unwrap(),
    ));
    let demo = DemoOptions {
        enterprises: 5,
        seed: 3,
        region: "4101".into(),
        records_per_enterprise: 0,
        finance: false,
    };
    let app = TestApp::spawn_with(backend, Some(demo), clock.clone()).await;
    (app, clock)
}

async fn lockout_and_backoff(backend: Backend) {
    let (app, clock) = app_with_clock(backend).await;
    let p = &app.platform;
    let password = app.demo_password();
    for _ in 0..4 {
        assert!(matches!(
            identity::login(p, "operator", "wrong-password-1").await,
            Err(ServiceError::BadCredentials)
        ));
    }
    // The fifth failure locks for 30 s; even the right password is refused meanwhile.
    assert!(matches!(
        identity::login(p, "operator", "wrong-password-1").await,
        Err(ServiceError::BadCredentials)
    ));
    match identity::login(p, "operator", &password).await {
        Err(ServiceError::Locked { retry_after_secs }) => assert_eq!(retry_after_secs, 30),
        Err(other) => panic!("expected a lock, got {other:?}"),
        Ok(_) => panic!("expected a lock, got a session"),
    }
    clock.advance(Duration::seconds(31));
    // Another failure doubles the lock.
    assert!(
        identity::login(p, "operator", "wrong-password-1")
            .await
            .is_err()
    );
    match identity::login(p, "operator", &password).await {
        Err(ServiceError::Locked { retry_after_secs }) => assert_eq!(retry_after_secs, 60),
        _ => panic!("expected a doubled lock"),
    }
    clock.advance(Duration::seconds(61));
    let outcome = identity::login(p, "operator", &password)
        .await
        .expect("login after the lock");
    assert_eq!(outcome.principal.username, "operator");
    // Success resets the counter: four more failures do not lock.
    for _ in 0..4 {
        let _ = identity::login(p, "operator", "wrong-password-1").await;
    }
    assert!(identity::login(p, "operator", &password).await.is_ok());
    // Unknown users get the same answer as wrong passwords.
    assert!(matches!(
        identity::login(p, "nobody", "x").await,
        Err(ServiceError::BadCredentials)
    ));
}
on_all_backends!(lockout_and_backoff);

async fn sessions_expire_and_logout_ends_them(backend: Backend) {
    let (app, clock) = app_with_clock(backend).await;
    let p = &app.platform;
    let outcome = identity::login(p, "gov", &app.demo_password())
        .await
        .unwrap();
    let principal = identity::principal_for_session(p, &outcome.session_token)
        .await
        .unwrap();
    assert_eq!(principal.role.code(), "government");
    assert_eq!(principal.region_code.as_deref(), Some("410100"));
    clock.advance(identity::SESSION_TTL + Duration::seconds(1));
    assert!(matches!(
        identity::principal_for_session(p, &outcome.session_token).await,
        Err(ServiceError::Unauthenticated)
    ));
    let again = identity::login(p, "gov", &app.demo_password())
        .await
        .unwrap();
    identity::logout(p, &again.session_token).await.unwrap();
    assert!(
        identity::principal_for_session(p, &again.session_token)
            .await
            .is_err()
    );
}
on_all_backends!(sessions_expire_and_logout_ends_them);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn first_operator_is_created_once_with_a_strong_password() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let p = &app.platform;
    let weak = create_first_operator(p, "admin", "管理员", "short")
        .await
        .unwrap_err();
    assert_eq!(weak.code(), "password.weak");
    let bad_name = create_first_operator(p, "Admin User", "管理员", "Zhengzhou2026")
        .await
        .unwrap_err();
    assert_eq!(bad_name.code(), "user.username");
    create_first_operator(p, "admin", "管理员", "Zhengzhou2026")
        .await
        .unwrap();
    let twice = create_first_operator(p, "admin", "管理员", "Zhengzhou2026")
        .await
        .unwrap_err();
    assert_eq!(twice.code(), "conflict");
    let outcome = identity::login(p, "admin", "Zhengzhou2026").await.unwrap();
    assert_eq!(outcome.principal.role.code(), "operator");
    // A second operator joins the same operator organisation.
    create_first_operator(p, "admin2", "管理员二", "Zhengzhou2027")
        .await
        .unwrap();
    let second = identity::login(p, "admin2", "Zhengzhou2027").await.unwrap();
    assert_eq!(second.principal.org_id, outcome.principal.org_id);
}
