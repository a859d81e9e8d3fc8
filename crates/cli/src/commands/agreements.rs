//! `xinrong agreements create|list|suspend|reinstate|terminate`: sharing agreements
//! (数据共享协议) between the platform and institutions.

use crate::config::OutputFormat;
use crate::failure::CliResult;
use clap::{Args, Subcommand};
use xinrong_core::authorization::AgreementAction;
use xinrong_services::Platform;
use xinrong_services::agreements::{self, AgreementRow, NewAgreement};

#[derive(Debug, Subcommand)]
pub enum AgreementsCommand {
    /// Create an active agreement and print it as JSON with its `id`.
    Create(CreateArgs),
    /// List agreements.
    List(ListArgs),
    /// Suspend an active agreement.
    Suspend(ChangeArgs),
    /// Reinstate a suspended agreement.
    Reinstate(ChangeArgs),
    /// Terminate an agreement for good.
    Terminate(ChangeArgs),
}

#[derive(Debug, Args)]
pub struct CreateArgs {
    /// The institution: organisation ID or exact name.
    #[arg(long)]
    pub org: String,
    /// Item keys or section (category) keys, comma-separated.
    #[arg(long, value_delimiter = ',', required = true)]
    pub items: Vec<String>,
    /// Purpose codes or Chinese labels, comma-separated.
    #[arg(long, value_delimiter = ',', required = true)]
    pub purposes: Vec<String>,
    /// Term in days from now (1–3650).
    #[arg(long, allow_hyphen_values = true)]
    pub days: i64,
    /// The institution's commitment text (default: the standard wording).
    #[arg(long)]
    pub commitment: Option<String>,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only this institution's (ID or exact name).
    #[arg(long)]
    pub org: Option<String>,
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
}

#[derive(Debug, Args)]
pub struct ChangeArgs {
    pub id: String,
    #[arg(long)]
    pub reason: Option<String>,
}

fn print(row: &AgreementRow) {
    println!("{}", serde_json::to_string_pretty(row).expect("JSON"));
}

pub async fn run(platform: &Platform, cmd: AgreementsCommand) -> CliResult {
    let (args, action) = match cmd {
        AgreementsCommand::Create(args) => {
            let row = agreements::create(
                platform,
                None,
                NewAgreement {
                    org: args.org,
                    items: args.items,
                    purposes: args.purposes,
                    days: args.days,
                    commitment_text: args.commitment,
                },
            )
            .await?;
            print(&row);
            return Ok(());
        }
        AgreementsCommand::List(args) => {
            let rows = agreements::list_all(platform, args.org.as_deref()).await?;
            match args.format {
                OutputFormat::Json => {
                    println!("{}", serde_json::to_string_pretty(&rows).expect("JSON"))
                }
                OutputFormat::Text => {
                    for r in &rows {
                        println!(
                            "{}\t{}\t{}\t{} 至 {}\t{}",
                            r.id,
                            r.org_name,
                            r.status.label_zh(),
                            r.valid_from.format("%Y-%m-%d"),
                            r.valid_until.format("%Y-%m-%d"),
                            r.scope.items.keys().join(",")
                        );
                    }
                }
            }
            return Ok(());
        }
        AgreementsCommand::Suspend(a) => (a, AgreementAction::Suspend),
        AgreementsCommand::Reinstate(a) => (a, AgreementAction::Reinstate),
        AgreementsCommand::Terminate(a) => (a, AgreementAction::Terminate),
    };
    let row = agreements::change(
        platform,
        None,
        args.id.trim(),
        action,
        args.reason.as_deref(),
    )
    .await?;
    print(&row);
    Ok(())
}
