//! `xinrong simulate-provider --bind ADDR [--latency-ms N] [--fail-rate P]`: a simulated data
//! provider's query API (数据提供单位接口模拟器) for trying pull collection without a real
//! provider; latency and failures can be changed while it runs via `POST /control`.

use crate::failure::{CliResult, Failure};
use clap::Args;
use std::net::SocketAddr;
use xinrong_provider_sim::{SimOptions, serve_on};

#[derive(Debug, Args)]
pub struct SimulateArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:9100")]
    pub bind: SocketAddr,
    /// Delay before every answer, in milliseconds.
    #[arg(long, default_value_t = 0)]
    pub latency_ms: u64,
    /// Share of requests answered with an injected failure (0.0–1.0).
    #[arg(long, default_value_t = 0.0)]
    pub fail_rate: f64,
    /// Seed of the rows and of the failure draws.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

pub async fn run(args: SimulateArgs) -> CliResult {
    if !(0.0..=1.0).contains(&args.fail_rate) {
        return Err(Failure::new(
            "sim.fail_rate",
            format!("--fail-rate 应在 0 与 1 之间，收到 {}", args.fail_rate),
        ));
    }
    let listener = tokio::net::TcpListener::bind(args.bind)
        .await
        .map_err(|e| Failure::new("sim.bind", format!("无法监听 {}：{e}", args.bind)))?;
    let handle = serve_on(
        listener,
        SimOptions {
            latency_ms: args.latency_ms,
            fail_rate: args.fail_rate,
            seed: args.seed,
            ..SimOptions::default()
        },
    )
    .map_err(|e| Failure::new("sim.bind", e.to_string()))?;
    eprintln!("数据提供单位接口模拟器正在运行：{}", handle.url());
    tokio::signal::ctrl_c().await.ok();
    handle.shutdown().await;
    Ok(())
}

/// For `serve --demo`: starts the simulator in-process on a loopback port and points the
/// connector of every provider that answers for a pull item at it, so a demo city can pull.
/// Connectors set to a non-loopback address are left alone.
pub async fn start_for_demo(
    platform: &xinrong_services::Platform,
) -> CliResult<xinrong_provider_sim::SimHandle> {
    use xinrong_core::catalog::Mode;
    use xinrong_core::role::Role;
    use xinrong_services::collect::grants;
    use xinrong_services::identity::list_organizations;
    use xinrong_services::pull::{ConnectorChange, get_connector, set_connector};

    let handle = xinrong_provider_sim::spawn(SimOptions::default())
        .await
        .map_err(|e| Failure::new("sim.bind", e.to_string()))?;
    let catalog = xinrong_services::catalog::current();
    let mut pointed = 0;
    for org in list_organizations(platform, Some(Role::Provider)).await? {
        let items = grants::items_of(platform, &org.id).await?;
        let pulls = items.iter().any(|k| {
            catalog
                .item(k)
                .is_some_and(|i| i.modes.contains(&Mode::Pull))
        });
        let ours = match get_connector(platform, &org.id).await {
            Ok(c) => c.settings.base_url.starts_with("http://127.0.0.1:"),
            Err(_) => true,
        };
        if pulls && ours {
            set_connector(
                platform,
                &org.id,
                ConnectorChange {
                    base_url: Some(handle.url()),
                    ..ConnectorChange::default()
                },
            )
            .await?;
            pointed += 1;
        }
    }
    tracing::info!(url = %handle.url(), providers = pointed, "demo provider simulator started");
    eprintln!(
        "演示数据源接口模拟器：{}（{pointed} 个数据提供单位的接口指向它）",
        handle.url()
    );
    Ok(handle)
}
