//! `xinrong bench …`: benchmarks that print one JSON object each, on a scratch database unless
//! `--database-url` names an empty one.

use crate::config::{BenchCommand, DEFAULT_DATABASE_URL, Global};
use crate::failure::{CliResult, Failure};
use xinrong_services::Platform;

pub async fn run(global: &Global, cmd: BenchCommand) -> CliResult {
    // Never the platform's own data: without --database-url the run gets a scratch SQLite file.
    let scratch = (global.database_url == DEFAULT_DATABASE_URL).then(|| {
        std::env::temp_dir().join(format!(
            "xinrong-bench-{}.db",
            xinrong_core::ids::new_id().simple()
        ))
    });
    let url = match &scratch {
        Some(path) => format!("sqlite://{}", path.display()),
        None => global.database_url.clone(),
    };
    let result = async {
        let platform = Platform::new(xinrong_store::connect(&url).await?);
        platform.migrate().await?;
        match cmd {
            BenchCommand::Ingest(args) => {
                let figures = xinrong_services::bench::ingest_bench(
                    &platform,
                    args.rows,
                    &std::env::temp_dir(),
                )
                .await?;
                println!("{}", serde_json::to_string(&figures).expect("JSON"));
            }
            BenchCommand::Report(args) => super::bench_report::run(platform, args).await?,
            BenchCommand::Evaluate(args) => {
                let figures = xinrong_services::bench::evaluate_bench(
                    &platform,
                    args.enterprises,
                    args.records_per_enterprise,
                    args.samples,
                    &std::env::temp_dir(),
                )
                .await?;
                println!("{}", serde_json::to_string(&figures).expect("JSON"));
            }
        }
        Ok::<_, Failure>(())
    }
    .await;
    if let Some(path) = scratch {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
    }
    result
}
