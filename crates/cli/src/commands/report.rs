//! `xinrong report USCC --as ORG --purpose TEXT --format json|html|pdf --out FILE`: issues a
//! standardised credit report (标准化信用信息报告) as organisation ORG — the same
//! `report::issue` as the API: one read through the access decision, logged (channel `report`),
//! hashed with SM3 and anchored in the ledger — and writes it in one format (a PDF is rendered
//! once and its digest recorded).
//!
//! `xinrong report verify FILE`: whether a report file (JSON or PDF) is genuine and unaltered.
//! Exit status 0 genuine (真实有效), 1 altered (已被篡改), 2 unknown (未找到); one JSON line on
//! standard output with `--format json`, else one Chinese line.

use crate::config::OutputFormat;
use crate::failure::{CliResult, Failure};
use clap::{Args, Subcommand};
use std::path::PathBuf;
use xinrong_services::Platform;
use xinrong_services::access::Reader;
use xinrong_services::report::{self, ReportRequest};

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct ReportArgs {
    #[command(subcommand)]
    pub command: Option<ReportCommand>,
    /// The subject's USCC (统一社会信用代码).
    #[arg(required = true)]
    pub subject: Option<String>,
    /// The requesting organisation: its ID, USCC or exact name.
    #[arg(long = "as", required = true)]
    pub as_org: Option<String>,
    /// 查询用途: a code (pre_loan) or its label (贷前调查). Institutions must state one.
    #[arg(long)]
    pub purpose: Option<String>,
    /// Free text beside the purpose, e.g. the loan application.
    #[arg(long)]
    pub purpose_text: Option<String>,
    /// The authorization relied on; any active one that covers when absent.
    #[arg(long)]
    pub authorization: Option<String>,
    #[arg(long, value_enum, default_value_t = ReportFormat::Json)]
    pub format: ReportFormat,
    /// Write to this file instead of standard output (required for pdf).
    #[arg(long)]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// Verify a report file (JSON or PDF): exit 0 genuine, 1 altered, 2 unknown.
    Verify(VerifyArgs),
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    pub file: PathBuf,
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    Json,
    Html,
    Pdf,
}

pub async fn run(platform: &Platform, args: ReportArgs) -> CliResult {
    if let Some(ReportCommand::Verify(v)) = args.command {
        return verify(platform, v).await;
    }
    let subject = args.subject.unwrap_or_default();
    let reader = Reader::for_org(platform, args.as_org.as_deref().unwrap_or_default()).await?;
    let request = ReportRequest {
        subject,
        purpose: args.purpose,
        purpose_text: args.purpose_text,
        authorization_id: args.authorization,
        channel: "cli",
    };
    if args.format == ReportFormat::Pdf && args.out.is_none() {
        return Err(Failure::new(
            "report.out_required",
            "pdf 格式须用 --out 指定文件",
        ));
    }
    let mut issued = report::issue(platform, &reader, &request).await?;
    let bytes = match args.format {
        ReportFormat::Json => issued.to_json_bytes(),
        ReportFormat::Html => xinrong_web::render_report_html(&issued).into_bytes(),
        ReportFormat::Pdf => report::pdf(platform, &mut issued).await?,
    };
    match &args.out {
        Some(path) => {
            std::fs::write(path, &bytes).map_err(|e| {
                Failure::new("io.write", format!("无法写入 {}：{e}", path.display()))
            })?;
            eprintln!(
                "信用报告 {} 已写入 {}（报告摘要 SM3 {}{}）",
                issued.id(),
                path.display(),
                issued.digest,
                issued
                    .pdf_digest
                    .as_deref()
                    .map(|d| format!("；PDF 文件 SM3 {d}"))
                    .unwrap_or_default()
            );
        }
        None => {
            use std::io::Write;
            std::io::stdout()
                .write_all(&bytes)
                .map_err(|e| Failure::new("io.write", e.to_string()))?;
        }
    }
    Ok(())
}

async fn verify(platform: &Platform, args: VerifyArgs) -> CliResult {
    let bytes = std::fs::read(&args.file)
        .map_err(|e| Failure::new("io.read", format!("无法读取 {}：{e}", args.file.display())))?;
    let v = report::verify(platform, &bytes).await?;
    match args.format {
        OutputFormat::Json => println!("{}", serde_json::to_string(&v).expect("JSON")),
        OutputFormat::Text => println!(
            "{}{}",
            v.message,
            v.report_id
                .as_deref()
                .map(|id| format!("（报告编号 {id}）"))
                .unwrap_or_default()
        ),
    }
    let code = v.status.exit_code();
    if code != 0 {
        std::process::exit(code);
    }
    Ok(())
}
