//! `xinrong payables list`: supply-chain payables (应付账款) for the operator and integrations.

use crate::config::OutputFormat;
use crate::failure::CliResult;
use clap::{Args, Subcommand};
use xinrong_services::Platform;
use xinrong_services::finance::payables;

#[derive(Debug, Subcommand)]
pub enum PayablesCommand {
    /// Every payable, newest first.
    List(ListArgs),
}

#[derive(Debug, Args)]
pub struct ListArgs {
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
}

pub async fn run(platform: &Platform, cmd: PayablesCommand) -> CliResult {
    match cmd {
        PayablesCommand::List(args) => {
            let rows = payables::list_all(platform).await?;
            match args.format {
                OutputFormat::Json => {
                    println!("{}", serde_json::to_string_pretty(&rows).expect("JSON"))
                }
                OutputFormat::Text => {
                    println!("编号\t供应商\t核心企业\t金额\t到期日\t状态");
                    for p in &rows {
                        println!(
                            "{}\t{}\t{}\t{}\t{}\t{}",
                            p.id,
                            p.supplier_name,
                            p.debtor_name,
                            p.amount_text,
                            p.due_on,
                            p.status_label
                        );
                    }
                    println!("共 {} 笔", rows.len());
                }
            }
        }
    }
    Ok(())
}
