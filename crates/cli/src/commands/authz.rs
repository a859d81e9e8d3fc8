//! `xinrong authz grant|revoke|list|show`: authorizations (授权) for operators and integrations.
//! The CLI has the database and acts as the platform.

use crate::config::OutputFormat;
use crate::failure::{CliResult, Failure};
use clap::{Args, Subcommand};
use xinrong_core::authorization::{Action, Channel};
use xinrong_services::Platform;
use xinrong_services::authorizations::{
    self, AuthorizationRow, Evidence, GrantRequest, ListFilter,
};

#[derive(Debug, Subcommand)]
pub enum AuthzCommand {
    /// Record an authorization and print it as JSON with its `id`.
    Grant(GrantArgs),
    /// Revoke an authorization; takes effect on the next read.
    Revoke(RevokeArgs),
    /// List authorizations.
    List(ListArgs),
    /// One authorization with its timeline (留痕).
    Show(ShowArgs),
}

#[derive(Debug, Args)]
pub struct GrantArgs {
    /// The information subject's USCC.
    #[arg(long)]
    pub subject: String,
    /// The grantee institution: organisation ID or exact name.
    #[arg(long)]
    pub grantee: String,
    /// Item keys or section (category) keys, comma-separated.
    #[arg(long, value_delimiter = ',', required = true)]
    pub items: Vec<String>,
    /// Purpose code or Chinese label (pre_loan / 贷前调查 …), optionally followed by `:` and a
    /// free text, e.g. "贷前调查:XX银行流动资金贷款申请".
    #[arg(long)]
    pub purpose: String,
    /// Free text of the purpose, e.g. a named loan application (instead of the `:` form).
    #[arg(long)]
    pub purpose_text: Option<String>,
    /// Validity in days from now (1–3650).
    #[arg(long, allow_hyphen_values = true)]
    pub days: i64,
    /// online (consent given online, e.g. in the institution's real-name app) or written
    /// (a signed paper; needs --evidence). Default: written when --evidence is given, else online.
    #[arg(long)]
    pub channel: Option<String>,
    /// The signed paper's scan: PDF, JPEG or PNG.
    #[arg(long)]
    pub evidence: Option<std::path::PathBuf>,
    /// Only records dated from this day (YYYY-MM-DD).
    #[arg(long)]
    pub data_from: Option<chrono::NaiveDate>,
    /// Only records dated up to this day (YYYY-MM-DD).
    #[arg(long)]
    pub data_to: Option<chrono::NaiveDate>,
}

#[derive(Debug, Args)]
pub struct RevokeArgs {
    pub id: String,
    #[arg(long)]
    pub reason: Option<String>,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only this subject's (USCC).
    #[arg(long)]
    pub subject: Option<String>,
    /// Only those granted to this institution (ID or exact name).
    #[arg(long)]
    pub grantee: Option<String>,
    /// active, paused, revoked or expired.
    #[arg(long)]
    pub status: Option<String>,
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    pub id: String,
}

/// `贷前调查:XX银行…` → (`贷前调查`, `XX银行…`).
fn split_purpose(purpose: &str, text: Option<String>) -> (String, String) {
    let (code, inline) = match purpose.split_once([':', '：']) {
        Some((c, t)) => (c.trim().to_owned(), t.trim().to_owned()),
        None => (purpose.trim().to_owned(), String::new()),
    };
    (code, text.unwrap_or(inline))
}

fn print_row(row: &AuthorizationRow) {
    println!("{}", serde_json::to_string_pretty(row).expect("JSON"));
}

pub async fn run(platform: &Platform, cmd: AuthzCommand) -> CliResult {
    match cmd {
        AuthzCommand::Grant(args) => {
            let channel = match args.channel.as_deref() {
                Some(c) => Channel::parse(c).ok_or_else(|| {
                    Failure::new(
                        "authz.channel",
                        format!("授权渠道须为 online 或 written，收到“{c}”"),
                    )
                })?,
                None if args.evidence.is_some() => Channel::Written,
                None => Channel::Online,
            };
            let evidence = match &args.evidence {
                Some(path) => {
                    let bytes = std::fs::read(path).map_err(|e| {
                        Failure::new(
                            "authz.evidence",
                            format!("无法读取授权书扫描件 {}：{e}", path.display()),
                        )
                    })?;
                    Some(Evidence {
                        filename: path
                            .file_name()
                            .map(|n| n.to_string_lossy().into_owned())
                            .unwrap_or_default(),
                        declared_type: String::new(),
                        bytes,
                    })
                }
                None => None,
            };
            let (purpose, purpose_text) = split_purpose(&args.purpose, args.purpose_text);
            let row = authorizations::grant_as_platform(
                platform,
                GrantRequest {
                    subject: args.subject,
                    grantee: args.grantee,
                    items: args.items,
                    purpose,
                    purpose_text,
                    data_from: args.data_from,
                    data_to: args.data_to,
                    days: args.days,
                    consent: true,
                },
                channel,
                evidence,
            )
            .await?;
            print_row(&row);
            Ok(())
        }
        AuthzCommand::Revoke(args) => {
            let row = authorizations::act_as_platform(
                platform,
                args.id.trim(),
                Action::Revoke,
                args.reason.as_deref(),
            )
            .await?;
            print_row(&row);
            Ok(())
        }
        AuthzCommand::List(args) => {
            let grantee = match &args.grantee {
                Some(key) => Some(
                    xinrong_services::agreements::find_org(&platform.db.conn, key)
                        .await?
                        .ok_or_else(|| {
                            Failure::new("authz.grantee", format!("被授权机构“{key}”不存在"))
                        })?
                        .id,
                ),
                None => None,
            };
            let rows = authorizations::list_all(
                platform,
                &ListFilter {
                    subject: args.subject,
                    grantee_org_id: grantee,
                    status: args.status,
                    disputed: false,
                },
            )
            .await?;
            match args.format {
                OutputFormat::Json => {
                    println!("{}", serde_json::to_string_pretty(&rows).expect("JSON"))
                }
                OutputFormat::Text => {
                    for r in &rows {
                        println!(
                            "{}\t{}\t{}\t{}\t{}\t{}\t至 {}\t使用 {} 次",
                            r.id,
                            r.subject,
                            r.grantee_org_id,
                            r.purpose_label,
                            r.channel.label_zh(),
                            r.status.label_zh(),
                            r.valid_until.format("%Y-%m-%d"),
                            r.use_count
                        );
                    }
                }
            }
            Ok(())
        }
        AuthzCommand::Show(args) => {
            let row = authorizations::get_any(platform, args.id.trim()).await?;
            let timeline = xinrong_services::trail::for_ref(&platform.db.conn, &row.id).await?;
            let timeline: Vec<serde_json::Value> = timeline
                .into_iter()
                .map(|t| {
                    serde_json::json!({
                        "kind": t.kind,
                        "at": t.created_at,
                        "actor_org_id": t.actor_org_id,
                        "leaf_index": t.leaf_index,
                    })
                })
                .collect();
            let mut json = serde_json::to_value(&row).expect("JSON");
            json["timeline"] = serde_json::Value::Array(timeline);
            println!("{}", serde_json::to_string_pretty(&json).expect("JSON"));
            Ok(())
        }
    }
}
