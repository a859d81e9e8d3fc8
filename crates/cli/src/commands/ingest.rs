//! `xinrong ingest` and `xinrong records show`.

use crate::config::{IngestArgs, OutputFormat, RecordsShowArgs};
use crate::failure::{CliResult, Failure};
use std::sync::Arc;
use xinrong_services::Platform;
use xinrong_services::collect::{
    BatchKind, Encoding, Format, IngestRequest, Progress, error_report, ingest,
};
use xinrong_services::identity::list_organizations;

/// Prints the report as JSON; exits 1 when rows were rejected or a strict batch was refused,
/// so scripts notice.
pub async fn run(platform: &Platform, args: IngestArgs) -> CliResult {
    if !args.file.is_file() {
        return Err(Failure::new(
            "ingest.io",
            format!("无法读取 {}：文件不存在", args.file.display()),
        ));
    }
    let provider = list_organizations(platform, None)
        .await?
        .into_iter()
        .find(|o| o.id == args.provider || o.uscc.as_deref() == Some(args.provider.as_str()))
        .ok_or_else(|| {
            Failure::new(
                "ingest.provider",
                format!("找不到数据提供单位 {}", args.provider),
            )
        })?;
    let progress = Arc::new(Progress::default());
    let watcher = args.progress.then(|| {
        let progress = progress.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(std::time::Duration::from_millis(250));
            loop {
                tick.tick().await;
                let snap = progress.snapshot();
                eprintln!("{}", serde_json::to_string(&snap).expect("JSON"));
            }
        })
    });
    let report = ingest(
        platform,
        IngestRequest {
            item_key: &args.item,
            provider_org_id: &provider.id,
            format: Format::parse(&args.format)?,
            encoding: Encoding::parse(&args.encoding)?,
            strict: args.strict,
            kind: if args.correction {
                BatchKind::Correction
            } else {
                BatchKind::Regular
            },
            path: &args.file,
            progress: Some(progress),
        },
    )
    .await;
    if let Some(watcher) = watcher {
        watcher.abort();
    }
    let report = report?;
    if let Some(path) = &args.errors {
        let format = if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"))
        {
            Format::Xlsx
        } else {
            Format::Csv
        };
        let bytes = error_report(&report.errors, format)?;
        std::fs::write(path, bytes)
            .map_err(|e| Failure::new("ingest.io", format!("无法写入 {}：{e}", path.display())))?;
    }
    // One JSON object on one line, for scripts.
    println!("{}", serde_json::to_string(&report).expect("JSON"));
    if !report.applied {
        return Err(Failure::new(
            "ingest.refused",
            format!(
                "批次未应用：{} 行中有 {} 行不合格",
                report.received, report.rejected
            ),
        ));
    }
    if report.rejected > 0 {
        return Err(Failure::new(
            "ingest.partial",
            format!("已应用合格行；{} 行不合格，见错误报告", report.rejected),
        ));
    }
    Ok(())
}

pub async fn show_records(platform: &Platform, args: RecordsShowArgs) -> CliResult {
    // The operator's read goes through the one access decision (授权共享 values masked) and
    // is written to the access log like every other read.
    let operator = xinrong_services::access::Reader::platform_operator(platform).await?;
    let versions =
        xinrong_services::share::versions(platform, &operator, &args.subject, args.item.as_deref())
            .await?;
    match args.format {
        OutputFormat::Json => {
            println!("{}", serde_json::to_string_pretty(&versions).expect("JSON"))
        }
        OutputFormat::Text => {
            for v in &versions {
                println!(
                    "{} v{} {} {}",
                    v.item_key, v.version, v.received_at, v.values
                );
            }
        }
    }
    Ok(())
}
