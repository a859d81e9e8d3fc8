//! `xinrong serve`: migrate, optionally seed the demo city, then serve until SIGTERM or Ctrl-C.

use crate::config::ServeArgs;
use crate::failure::{CliResult, Failure};
use xinrong_services::Platform;
use xinrong_services::demo::{DemoOptions, seed_demo};
use xinrong_web::AppState;

pub async fn run(platform: Platform, args: ServeArgs) -> CliResult {
    platform.migrate().await?;
    if args.demo {
        let empty = xinrong_services::platform_stats(&platform)
            .await?
            .organizations
            == 0;
        if empty {
            let options = DemoOptions {
                enterprises: args.demo_enterprises,
                // Enough records that every page and report has something to show.
                records_per_enterprise: 40,
                finance: true,
                ..DemoOptions::default()
            };
            let summary = seed_demo(&platform, &options).await?;
            super::demo::print_summary(&summary);
        } else {
            tracing::info!("database already has data; --demo leaves it as it is");
        }
    }
    // Bind before announcing, so a port in use fails fast with a clear message.
    let listener = tokio::net::TcpListener::bind(args.bind)
        .await
        .map_err(|e| {
            let code = if e.kind() == std::io::ErrorKind::AddrInUse {
                "serve.port_in_use"
            } else {
                "serve.bind"
            };
            Failure::new(code, format!("无法监听 {}：{e}", args.bind))
        })?;
    // A demo city can pull: its providers' connectors point at an in-process simulator.
    let _demo_providers = if args.demo {
        Some(super::simulate::start_for_demo(&platform).await?)
    } else {
        None
    };
    spawn_session_purge(platform.clone());
    spawn_objection_sweep(platform.clone());
    spawn_application_sweep(platform.clone());
    // Incremental evaluation: re-evaluates the subjects of new change events within a second.
    xinrong_services::evaluation::spawn_follower(platform.clone());
    let state = AppState {
        platform,
        secure_cookies: args.secure_cookies,
    };
    let (app, _) = xinrong_web::app(state);
    let addr = listener
        .local_addr()
        .map_err(|e| Failure::new("serve.bind", e.to_string()))?;
    tracing::info!(%addr, "serving");
    eprintln!("xinrong 正在运行：http://{addr}");
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await
        .map_err(|e| Failure::new("serve.io", e.to_string()))?;
    tracing::info!("stopped");
    Ok(())
}

/// Expired sessions are refused on lookup already; this only keeps the table small.
fn spawn_session_purge(platform: Platform) {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(600));
        loop {
            every.tick().await;
            match xinrong_services::identity::purge_expired_sessions(&platform).await {
                Ok(n) if n > 0 => tracing::info!(purged = n, "expired sessions removed"),
                Ok(_) => {}
                Err(err) => tracing::warn!(error = %err, "session purge failed"),
            }
        }
    });
}

/// Objections past their deadline are flagged to the operators (once each) every ten minutes.
fn spawn_objection_sweep(platform: Platform) {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(600));
        loop {
            every.tick().await;
            match xinrong_services::objections::flag_overdue(&platform).await {
                Ok(n) if n > 0 => tracing::info!(flagged = n, "overdue objections flagged"),
                Ok(_) => {}
                Err(err) => tracing::warn!(error = %err, "objection sweep failed"),
            }
        }
    });
}

/// Financing applications past a deadline are flagged to the operators (once per deadline)
/// and undecided ones past the expiry expire, every ten minutes.
fn spawn_application_sweep(platform: Platform) {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(600));
        loop {
            every.tick().await;
            match xinrong_services::finance::applications::sweep(&platform).await {
                Ok(r) if r.flagged + r.expired > 0 => {
                    tracing::info!(
                        flagged = r.flagged,
                        expired = r.expired,
                        "financing applications swept"
                    )
                }
                Ok(_) => {}
                Err(err) => tracing::warn!(error = %err, "application sweep failed"),
            }
        }
    });
}

async fn shutdown_signal() {
    let ctrl_c = async {
        tokio::signal::ctrl_c().await.ok();
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutdown signal received; finishing in-flight requests");
}
