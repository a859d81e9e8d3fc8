//! `xinrong policies list|match`: policies (政策找人) for the operator and schedulers. The CLI
//! has the database and acts as the platform.

use crate::config::OutputFormat;
use crate::failure::CliResult;
use clap::{Args, Subcommand};
use xinrong_services::Platform;
use xinrong_services::finance::policies::{self, MatchReport};

#[derive(Debug, Subcommand)]
pub enum PoliciesCommand {
    /// List every policy, newest first.
    List(FormatArgs),
    /// Match published policies in force against the enterprises of their regions and notify
    /// new fits (idempotent: an enterprise is told once per policy).
    Match(MatchArgs),
}

#[derive(Debug, Args)]
pub struct FormatArgs {
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
}

#[derive(Debug, Args)]
pub struct MatchArgs {
    /// Only this policy (ID); all published ones otherwise.
    #[arg(long)]
    pub policy: Option<String>,
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
}

pub async fn run(platform: &Platform, cmd: PoliciesCommand) -> CliResult {
    match cmd {
        PoliciesCommand::List(args) => {
            let rows = policies::list_all(platform).await?;
            match args.format {
                OutputFormat::Json => {
                    println!("{}", serde_json::to_string_pretty(&rows).expect("JSON"))
                }
                OutputFormat::Text => {
                    println!("政策编号\t状态\t类型\t名称\t适用地区\t发布单位\t有效期");
                    for p in &rows {
                        println!(
                            "{}\t{}\t{}\t{}\t{}\t{}\t{} 至 {}",
                            p.id,
                            p.status_label,
                            p.kind_label,
                            p.title,
                            p.region_name,
                            p.issuer_name,
                            p.valid_from,
                            p.valid_to
                                .map_or_else(|| "长期".to_owned(), |d| d.to_string()),
                        );
                    }
                    println!("共 {} 条", rows.len());
                }
            }
        }
        PoliciesCommand::Match(args) => {
            let reports: Vec<MatchReport> = match &args.policy {
                Some(id) => vec![policies::match_policy(platform, id).await?],
                None => policies::match_all(platform).await?,
            };
            match args.format {
                OutputFormat::Json => {
                    println!("{}", serde_json::to_string_pretty(&reports).expect("JSON"))
                }
                OutputFormat::Text => {
                    for r in &reports {
                        println!(
                            "{}（{}）：评估企业 {} 家，符合条件 {} 家，新匹配 {} 家，已通知 {} 家",
                            r.title, r.policy_id, r.assessed, r.eligible, r.new_matches, r.notified
                        );
                    }
                    println!("共匹配政策 {} 条", reports.len());
                }
            }
        }
    }
    Ok(())
}
