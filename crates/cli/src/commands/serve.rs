//! `xinrong serve`: migrate, optionally seed the demo city, then serve until SIGTERM or Ctrl-C.

use crate::config::ServeArgs;
use crate::failure::{CliResult, Failure};
use std::time::Duration;
use xinrong_services::demo::{DemoOptions, seed_demo};
use xinrong_services::{Platform, ServiceResult};
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
    spawn_background_jobs(&platform);
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

/// Runs `job` every `period` for the life of the server, the first time after `first_after`. A
/// run that did something says so in one log line; a failed run is logged and the next one
/// tried.
fn spawn_periodic<F, Fut>(
    platform: Platform,
    (first_after, period): (Duration, Duration),
    what: &'static str,
    job: F,
) where
    F: Fn(Platform) -> Fut + Send + 'static,
    Fut: Future<Output = ServiceResult<Option<String>>> + Send,
{
    tokio::spawn(async move {
        let mut every = tokio::time::interval_at(tokio::time::Instant::now() + first_after, period);
        loop {
            every.tick().await;
            match job(platform.clone()).await {
                Ok(Some(done)) => tracing::info!(job = what, "{done}"),
                Ok(None) => {}
                Err(err) => tracing::warn!(job = what, error = %err, "periodic job failed"),
            }
        }
    });
}

fn spawn_background_jobs(platform: &Platform) {
    // Sweeps run at once, to catch up on what fell due while the server was down.
    let ten_minutes = (Duration::ZERO, Duration::from_secs(600));
    // Not at start-up: publishing a policy matches at once; a whole-region pass can wait.
    let hourly = (Duration::from_secs(3600), Duration::from_secs(3600));
    // Expired sessions are refused on lookup already; this only keeps the table small.
    spawn_periodic(
        platform.clone(),
        ten_minutes,
        "session purge",
        |p| async move {
            let n = xinrong_services::identity::purge_expired_sessions(&p).await?;
            Ok((n > 0).then(|| format!("{n} expired sessions removed")))
        },
    );
    // Objections past their deadline are flagged to the operators, once each.
    spawn_periodic(
        platform.clone(),
        ten_minutes,
        "objection sweep",
        |p| async move {
            let n = xinrong_services::objections::flag_overdue(&p).await?;
            Ok((n > 0).then(|| format!("{n} overdue objections flagged")))
        },
    );
    // Financing applications past a deadline are flagged to the operators (once per deadline)
    // and undecided ones past the expiry expire.
    spawn_periodic(
        platform.clone(),
        ten_minutes,
        "application sweep",
        |p| async move {
            let r = xinrong_services::finance::applications::sweep(&p).await?;
            Ok((r.flagged + r.expired > 0).then(|| {
                format!(
                    "{} applications flagged overdue, {} expired",
                    r.flagged, r.expired
                )
            }))
        },
    );
    // The green library follows new environmental ratings, then published policies find the
    // enterprises that newly fit (grades, tags, white list and green status move every day).
    spawn_periodic(
        platform.clone(),
        hourly,
        "green refresh and policy matching",
        |p| async move {
            let green = xinrong_services::finance::green::refresh(&p).await?;
            let matched = xinrong_services::finance::policies::match_all(&p).await?;
            let new: usize = matched.iter().map(|m| m.new_matches).sum();
            Ok((green.added + green.removed + new > 0).then(|| {
                format!(
                    "green library +{} −{}; {new} new policy matches",
                    green.added, green.removed
                )
            }))
        },
    );
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
