//! `xinrong registrations list|approve|reject`: the review queue of enterprise registrations
//! (企业注册审核). The CLI has the database and acts as the platform.

use crate::config::OutputFormat;
use crate::failure::CliResult;
use clap::{Args, Subcommand};
use xinrong_services::Platform;
use xinrong_services::registration::{self, RegistrationView};

#[derive(Debug, Subcommand)]
pub enum RegistrationsCommand {
    /// Registration requests, newest first (the review queue: --status pending).
    List(ListArgs),
    /// Approve a pending request: the enterprise's organisation and login are created.
    Approve(DecideArgs),
    /// Reject a pending request; the applicant sees the reason on its status page.
    Reject(RejectArgs),
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// verified, pending, approved or rejected.
    #[arg(long)]
    pub status: Option<String>,
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
}

#[derive(Debug, Args)]
pub struct DecideArgs {
    /// The registration ID.
    pub id: String,
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
}

#[derive(Debug, Args)]
pub struct RejectArgs {
    /// The registration ID.
    pub id: String,
    /// Why (shown to the applicant).
    #[arg(long)]
    pub reason: String,
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
}

fn print_one(r: &RegistrationView, format: OutputFormat) {
    match format {
        OutputFormat::Json => println!("{}", serde_json::to_string_pretty(r).expect("JSON")),
        OutputFormat::Text => println!(
            "{}\t{}\t{}\t{}\t{}",
            r.id, r.status, r.uscc, r.enterprise_name, r.username
        ),
    }
}

pub async fn run(platform: &Platform, cmd: RegistrationsCommand) -> CliResult {
    match cmd {
        RegistrationsCommand::List(args) => {
            let rows = registration::list_all(platform, args.status.as_deref()).await?;
            match args.format {
                OutputFormat::Json => {
                    println!("{}", serde_json::to_string_pretty(&rows).expect("JSON"))
                }
                OutputFormat::Text => {
                    for r in &rows {
                        print_one(r, OutputFormat::Text);
                    }
                    println!("共 {} 条", rows.len());
                }
            }
        }
        RegistrationsCommand::Approve(args) => {
            let r = registration::approve_as_platform(platform, &args.id).await?;
            print_one(&r, args.format);
        }
        RegistrationsCommand::Reject(args) => {
            let r = registration::reject_as_platform(platform, &args.id, &args.reason).await?;
            print_one(&r, args.format);
        }
    }
    Ok(())
}
