//! `xinrong connectors set|list`: providers' query-API connectors (接口调用配置).

use crate::config::OutputFormat;
use crate::failure::CliResult;
use clap::{Args, Subcommand};
use xinrong_services::Platform;
use xinrong_services::pull::{ConnectorChange, list_connectors, set_connector};

#[derive(Debug, Subcommand)]
pub enum ConnectorsCommand {
    /// Create or change a provider's connector; unnamed settings keep their value (or default).
    Set(SetArgs),
    /// List connectors with the settings in force.
    List(ListArgs),
}

#[derive(Debug, Args)]
pub struct SetArgs {
    /// The provider: its organisation ID or USCC.
    #[arg(long)]
    pub org: String,
    /// Base URL of the provider's query API (required for a new connector).
    #[arg(long)]
    pub base_url: Option<String>,
    #[arg(long)]
    pub timeout_ms: Option<u32>,
    #[arg(long)]
    pub retries: Option<u32>,
    #[arg(long)]
    pub max_concurrency: Option<u32>,
    #[arg(long)]
    pub rate_per_minute: Option<u32>,
    #[arg(long)]
    pub cache_ttl_seconds: Option<u32>,
    #[arg(long)]
    pub breaker_threshold: Option<u32>,
    #[arg(long)]
    pub breaker_cooldown_seconds: Option<u32>,
    /// true or false.
    #[arg(long)]
    pub enabled: Option<bool>,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
}

pub async fn run(platform: &Platform, cmd: ConnectorsCommand) -> CliResult {
    match cmd {
        ConnectorsCommand::Set(args) => {
            let org = super::pull::find_org(platform, &args.org, "connector.org").await?;
            let connector = set_connector(
                platform,
                &org.id,
                ConnectorChange {
                    base_url: args.base_url,
                    timeout_ms: args.timeout_ms,
                    retries: args.retries,
                    max_concurrency: args.max_concurrency,
                    rate_per_minute: args.rate_per_minute,
                    cache_ttl_seconds: args.cache_ttl_seconds,
                    breaker_threshold: args.breaker_threshold,
                    breaker_cooldown_seconds: args.breaker_cooldown_seconds,
                    enabled: args.enabled,
                },
            )
            .await?;
            println!("{}", serde_json::to_string(&connector).expect("JSON"));
            Ok(())
        }
        ConnectorsCommand::List(args) => {
            let list = list_connectors(platform).await?;
            match args.format {
                OutputFormat::Json => {
                    println!("{}", serde_json::to_string_pretty(&list).expect("JSON"))
                }
                OutputFormat::Text => {
                    for c in &list {
                        let s = &c.settings;
                        println!(
                            "{}\t{}\t{}\t{} ms\t重试 {}\t并发 {}\t{}/分钟\t缓存 {} 秒\t{}",
                            c.org_id,
                            c.org_name,
                            s.base_url,
                            s.timeout_ms,
                            s.retries,
                            s.max_concurrency,
                            s.rate_per_minute,
                            s.cache_ttl_seconds,
                            if s.enabled { "启用" } else { "停用" }
                        );
                    }
                }
            }
            Ok(())
        }
    }
}
