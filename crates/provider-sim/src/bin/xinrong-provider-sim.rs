//! `xinrong-provider-sim --bind 127.0.0.1:9100 [--latency-ms N] [--fail-rate P] [--seed S]`:
//! a simulated data provider's query API, until Ctrl-C.

use clap::Parser;
use std::net::SocketAddr;
use std::process::ExitCode;
use xinrong_provider_sim::{SimOptions, serve_on};

/// A simulated data provider's query API (接口调用) with injectable latency and failures.
#[derive(Debug, Parser)]
#[command(name = "xinrong-provider-sim", version)]
struct Args {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:9100")]
    bind: SocketAddr,
    /// Delay before every answer, in milliseconds.
    #[arg(long, default_value_t = 0)]
    latency_ms: u64,
    /// Share of requests answered with an injected failure (0.0–1.0).
    #[arg(long, default_value_t = 0.0)]
    fail_rate: f64,
    /// Seed of the rows and of the failure draws.
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    let listener = match tokio::net::TcpListener::bind(args.bind).await {
        Ok(l) => l,
        Err(err) => {
            eprintln!("error[sim.bind]: 无法监听 {}：{err}", args.bind);
            return ExitCode::FAILURE;
        }
    };
    let options = SimOptions {
        latency_ms: args.latency_ms,
        fail_rate: args.fail_rate,
        seed: args.seed,
        ..SimOptions::default()
    };
    let handle = match serve_on(listener, options) {
        Ok(h) => h,
        Err(err) => {
            eprintln!("error[sim.bind]: {err}");
            return ExitCode::FAILURE;
        }
    };
    eprintln!("数据提供单位接口模拟器正在运行：{}", handle.url());
    let _ = tokio::signal::ctrl_c().await;
    handle.shutdown().await;
    ExitCode::SUCCESS
}
