//! `xinrong repairs list`: credit repair applications (信用修复) for the operator and
//! integrations.

use crate::config::OutputFormat;
use crate::failure::CliResult;
use clap::{Args, Subcommand};
use xinrong_services::Platform;
use xinrong_services::repairs::{self, ListQuery, RepairView};

#[derive(Debug, Subcommand)]
pub enum RepairsCommand {
    /// List repair applications, newest first.
    List(ListArgs),
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only applications of this subject (USCC).
    #[arg(long)]
    pub subject: Option<String>,
    /// pending, approved or rejected.
    #[arg(long)]
    pub status: Option<String>,
    /// Only applications about records of this provider (organisation ID).
    #[arg(long)]
    pub provider: Option<String>,
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
}

pub async fn run(platform: &Platform, cmd: RepairsCommand) -> CliResult {
    match cmd {
        RepairsCommand::List(args) => {
            let rows = repairs::list_all(
                platform,
                ListQuery {
                    subject: args.subject,
                    status: args.status,
                    provider: args.provider,
                    record_id: None,
                },
            )
            .await?;
            match args.format {
                OutputFormat::Json => {
                    println!("{}", serde_json::to_string_pretty(&rows).expect("JSON"))
                }
                OutputFormat::Text => print(&rows),
            }
        }
    }
    Ok(())
}

fn print(rows: &[RepairView]) {
    println!("申请编号\t状态\t信息主体\t信息项\t严重程度\t可申请日\t数据提供单位\t申请时间");
    for r in rows {
        println!(
            "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
            r.id,
            r.status_label,
            r.subject,
            r.item_label,
            r.severity_label,
            r.opens_on,
            r.provider_name,
            r.filed_at.format("%Y-%m-%d %H:%M"),
        );
    }
    println!("共 {} 条", rows.len());
}
