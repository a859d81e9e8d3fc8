//! `xinrong pull --item KEY --subject USCC --as ORG [--purpose TEXT]`: one pull read (接口调用)
//! as the given organisation would make it, through the same access decision, quotas and
//! breaker as the server (with this process's own live state).

use crate::config::OutputFormat;
use crate::failure::{CliResult, Failure};
use clap::Args;
use xinrong_core::role::Role;
use xinrong_services::Platform;
use xinrong_services::identity::list_organizations;
use xinrong_services::pull::{PullRequest, pull};

#[derive(Debug, Args)]
pub struct PullArgs {
    /// Catalogue item key whose modes include pull, e.g. tax.tax_arrears.
    #[arg(long)]
    pub item: String,
    /// The subject's USCC (or ID number).
    #[arg(long)]
    pub subject: String,
    /// The reading organisation: its ID or USCC (an institution, or the operator).
    #[arg(long = "as")]
    pub as_org: String,
    /// 查询用途, e.g. 贷前调查.
    #[arg(long)]
    pub purpose: Option<String>,
    #[arg(long, value_enum, default_value_t = OutputFormat::Json)]
    pub format: OutputFormat,
}

/// Resolves an organisation given by ID or USCC.
pub(crate) async fn find_org(
    platform: &Platform,
    id_or_uscc: &str,
    code: &'static str,
) -> CliResult<xinrong_services::identity::Organization> {
    list_organizations(platform, None)
        .await?
        .into_iter()
        .find(|o| o.id == id_or_uscc || o.uscc.as_deref() == Some(id_or_uscc))
        .ok_or_else(|| Failure::new(code, format!("找不到机构 {id_or_uscc}")))
}

pub async fn run(platform: &Platform, args: PullArgs) -> CliResult {
    let reader = find_org(platform, &args.as_org, "pull.reader").await?;
    let role: Role = reader
        .kind
        .parse()
        .map_err(|e: xinrong_core::role::UnknownRole| {
            Failure::new("role.unknown", e.to_string())
        })?;
    let result = pull(
        platform,
        PullRequest {
            reader_role: role,
            reader_org_id: &reader.id,
            item_key: &args.item,
            subject: &args.subject,
            purpose: args.purpose.as_deref(),
            authorization_id: None,
        },
    )
    .await?;
    match args.format {
        OutputFormat::Json => {
            println!("{}", serde_json::to_string(&result).expect("JSON"));
        }
        OutputFormat::Text => {
            println!(
                "{}（{}）· {} · {}",
                result.item_label, result.item_key, result.subject, result.provider_name
            );
            let labels: Vec<&str> = result.columns.iter().map(|c| c.label.as_str()).collect();
            println!("{}", labels.join("\t"));
            for row in &result.rows {
                let cells: Vec<String> = result
                    .columns
                    .iter()
                    .map(|c| match row.get(&c.key) {
                        None | Some(serde_json::Value::Null) => String::new(),
                        Some(serde_json::Value::String(s)) => s.clone(),
                        Some(v) => v.to_string(),
                    })
                    .collect();
                println!("{}", cells.join("\t"));
            }
        }
    }
    Ok(())
}
