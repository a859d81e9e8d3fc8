//! `xinrong green refresh|list`: the green library (绿色企业库). The CLI has the database and
//! acts as the platform.

use crate::config::OutputFormat;
use crate::failure::CliResult;
use clap::{Args, Subcommand};
use xinrong_services::Platform;
use xinrong_services::finance::green;

#[derive(Debug, Subcommand)]
pub enum GreenCommand {
    /// Recompute the rule-based entries from the enterprises' industries and latest
    /// environmental credit ratings (and remove approved declarations rated 不良).
    Refresh(FormatArgs),
}

#[derive(Debug, Args)]
pub struct FormatArgs {
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
}

pub async fn run(platform: &Platform, cmd: GreenCommand) -> CliResult {
    match cmd {
        GreenCommand::Refresh(args) => {
            let r = green::refresh(platform).await?;
            match args.format {
                OutputFormat::Json => {
                    println!("{}", serde_json::to_string_pretty(&r).expect("JSON"))
                }
                OutputFormat::Text => println!(
                    "评估企业 {} 家，规则认定绿色企业 {} 家（新增 {}，移出 {}），因环保信用不良移出申报 {} 家",
                    r.enterprises, r.green_by_rule, r.added, r.removed, r.declarations_removed
                ),
            }
        }
    }
    Ok(())
}
