//! `xinrong whitelist list|approve|reject|remove`: the white list (白名单) for the operator.
//! The CLI acts as the platform operator.

use crate::config::OutputFormat;
use crate::failure::CliResult;
use clap::{Args, Subcommand};
use xinrong_services::Platform;
use xinrong_services::finance::products::cli_principal;
use xinrong_services::finance::whitelist::{self, Action, EntryView, WhitelistQuery};

#[derive(Debug, Subcommand)]
pub enum WhitelistCommand {
    /// List entries, newest change first.
    List(ListArgs),
    /// Approve a recommended entry (list the enterprise).
    Approve(DecideArgs),
    /// Reject an applied or recommended entry (a reason is required).
    Reject(DecideArgs),
    /// Remove a listed enterprise (a reason is required).
    Remove(DecideArgs),
}

#[derive(Debug, Args)]
pub struct ListArgs {
    #[arg(long)]
    pub subject: Option<String>,
    /// applied, recommended, approved, rejected or removed.
    #[arg(long)]
    pub status: Option<String>,
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
}

#[derive(Debug, Args)]
pub struct DecideArgs {
    /// The entry ID.
    pub id: String,
    #[arg(long, default_value = "")]
    pub reason: String,
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
}

pub async fn run(platform: &Platform, cmd: WhitelistCommand) -> CliResult {
    let (action, args) = match cmd {
        WhitelistCommand::List(args) => {
            let rows = whitelist::list_all(
                platform,
                WhitelistQuery {
                    subject: args.subject,
                    status: args.status,
                },
            )
            .await?;
            match args.format {
                OutputFormat::Json => {
                    println!("{}", serde_json::to_string_pretty(&rows).expect("JSON"))
                }
                OutputFormat::Text => print(&rows),
            }
            return Ok(());
        }
        WhitelistCommand::Approve(a) => (Action::Approve, a),
        WhitelistCommand::Reject(a) => (Action::Reject, a),
        WhitelistCommand::Remove(a) => (Action::Remove, a),
    };
    let p = cli_principal(platform, None).await?;
    let e = whitelist::decide(platform, &p, &args.id, action, &args.reason).await?;
    match args.format {
        OutputFormat::Json => println!("{}", serde_json::to_string_pretty(&e).expect("JSON")),
        OutputFormat::Text => println!("{}\t{}\t{}", e.id, e.subject, e.status_label),
    }
    Ok(())
}

fn print(rows: &[EntryView]) {
    println!("编号\t企业\t统一社会信用代码\t状态\t申请时间\t推荐单位\t理由");
    for e in rows {
        println!(
            "{}\t{}\t{}\t{}\t{}\t{}\t{}",
            e.id,
            e.subject_name,
            e.subject,
            e.status_label,
            e.applied_at.format("%Y-%m-%d %H:%M"),
            e.recommended_by_name.as_deref().unwrap_or(""),
            e.decision_reason.as_deref().unwrap_or(""),
        );
    }
    println!("共 {} 条", rows.len());
}
