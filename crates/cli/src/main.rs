//! `xinrong` — the platform's one binary: the server and the operator's CLI.

mod commands;
mod config;
mod failure;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = config::Cli::parse();
    config::init_logging(&cli.global);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(err) => {
            eprintln!("error[runtime]: 无法启动运行时：{err}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(commands::run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("error[{}]: {}", failure.code, failure.message);
            ExitCode::FAILURE
        }
    }
}
