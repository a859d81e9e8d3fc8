//! `xinrong notifications list|dispatch`, and the outbound-notification settings (SMTP,
//! webhook) every command reads: with a channel configured, new notices are queued for
//! delivery, and `serve` delivers them in the background.

use crate::config::OutputFormat;
use crate::failure::{CliResult, Failure};
use clap::{Args, Subcommand};
use std::time::Duration;
use xinrong_services::Platform;
use xinrong_services::notifications::inbox;
use xinrong_services::notifications::outbound::{
    Dispatcher, OutboundConfig, Secret, SmtpConfig, SmtpSecurity, WebhookConfig,
};

/// Outbound notification channels (notify.smtp.*, notify.webhook.*). Secrets are best given
/// through the environment; they are never printed.
#[derive(Debug, Clone, Args)]
pub struct NotifyArgs {
    /// SMTP relay host; SMTP delivery is on when set (to users who gave an e-mail address).
    #[arg(long, global = true, env = "XINRONG_NOTIFY_SMTP_HOST")]
    pub notify_smtp_host: Option<String>,
    #[arg(
        long,
        global = true,
        env = "XINRONG_NOTIFY_SMTP_PORT",
        default_value_t = 587
    )]
    pub notify_smtp_port: u16,
    /// Sender, e.g. `信融平台 <noreply@example.gov.cn>`.
    #[arg(long, global = true, env = "XINRONG_NOTIFY_SMTP_FROM")]
    pub notify_smtp_from: Option<String>,
    #[arg(long, global = true, env = "XINRONG_NOTIFY_SMTP_USERNAME")]
    pub notify_smtp_username: Option<String>,
    #[arg(
        long,
        global = true,
        env = "XINRONG_NOTIFY_SMTP_PASSWORD",
        hide_env_values = true
    )]
    pub notify_smtp_password: Option<Secret>,
    /// starttls (587), tls (465) or none (a relay on the same host only).
    #[arg(
        long,
        global = true,
        env = "XINRONG_NOTIFY_SMTP_SECURITY",
        default_value = "starttls"
    )]
    pub notify_smtp_security: SmtpSecurity,
    /// Webhook URL: every notice is POSTed there as JSON when set.
    #[arg(long, global = true, env = "XINRONG_NOTIFY_WEBHOOK_URL")]
    pub notify_webhook_url: Option<String>,
    /// Key of the `X-Xinrong-Signature: sm3=HMAC-SM3(timestamp.body)` header.
    #[arg(
        long,
        global = true,
        env = "XINRONG_NOTIFY_WEBHOOK_SECRET",
        hide_env_values = true
    )]
    pub notify_webhook_secret: Option<Secret>,
    /// Attempts before a notice's outbound copy is given up.
    #[arg(
        long,
        global = true,
        env = "XINRONG_NOTIFY_MAX_ATTEMPTS",
        default_value_t = 6
    )]
    pub notify_max_attempts: i32,
    /// Seconds before the first retry; doubled for each further one (at most one hour).
    #[arg(
        long,
        global = true,
        env = "XINRONG_NOTIFY_BACKOFF_SECS",
        default_value_t = 30
    )]
    pub notify_backoff_secs: u64,
    /// How often `serve` looks for notices to deliver, in seconds.
    #[arg(
        long,
        global = true,
        env = "XINRONG_NOTIFY_INTERVAL_SECS",
        default_value_t = 10
    )]
    pub notify_interval_secs: u64,
}

impl NotifyArgs {
    pub fn outbound(&self) -> CliResult<OutboundConfig> {
        let smtp = match &self.notify_smtp_host {
            None => None,
            Some(host) => Some(SmtpConfig {
                host: host.clone(),
                port: self.notify_smtp_port,
                from: self.notify_smtp_from.clone().ok_or_else(|| {
                    Failure::new(
                        "notify.smtp_from",
                        "配置了 SMTP 服务器时须同时配置发件人（--notify-smtp-from）",
                    )
                })?,
                username: self.notify_smtp_username.clone(),
                password: self.notify_smtp_password.clone(),
                security: self.notify_smtp_security,
            }),
        };
        let webhook = self.notify_webhook_url.as_ref().map(|url| WebhookConfig {
            url: url.clone(),
            secret: self.notify_webhook_secret.clone(),
        });
        Ok(OutboundConfig {
            smtp,
            webhook,
            max_attempts: self.notify_max_attempts,
            backoff: Duration::from_secs(self.notify_backoff_secs),
            ..OutboundConfig::default()
        })
    }
}

/// Starts the background delivery of `serve`, when a channel is configured.
pub fn start_dispatcher(platform: &Platform, notify: &NotifyArgs) -> CliResult {
    let config = notify.outbound()?;
    if let Some(dispatcher) = Dispatcher::from_config(&config)? {
        dispatcher.spawn(
            platform.clone(),
            Duration::from_secs(notify.notify_interval_secs.max(1)),
        );
        tracing::info!(
            smtp = config.smtp.is_some(),
            webhook = config.webhook.is_some(),
            "outbound notifications on"
        );
    }
    Ok(())
}

#[derive(Debug, Subcommand)]
pub enum NotificationsCommand {
    /// A user's inbox, newest first.
    List(ListArgs),
    /// Deliver the queued outbound copies once (what `serve` does periodically).
    Dispatch(DispatchArgs),
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// The user's username.
    #[arg(long)]
    pub user: String,
    /// Only unread messages.
    #[arg(long)]
    pub unread: bool,
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
}

#[derive(Debug, Args)]
pub struct DispatchArgs {
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
}

pub async fn run(platform: &Platform, notify: &NotifyArgs, cmd: NotificationsCommand) -> CliResult {
    match cmd {
        NotificationsCommand::List(args) => {
            let rows = inbox::list_for_username(platform, &args.user, args.unread).await?;
            match args.format {
                OutputFormat::Json => {
                    println!("{}", serde_json::to_string_pretty(&rows).expect("JSON"))
                }
                OutputFormat::Text => {
                    for m in &rows {
                        println!(
                            "{}\t{}\t{}\t{}",
                            m.created_at.format("%Y-%m-%d %H:%M:%S"),
                            if m.read_at.is_some() {
                                "已读"
                            } else {
                                "未读"
                            },
                            m.kind,
                            m.title
                        );
                    }
                    println!("共 {} 条", rows.len());
                }
            }
            Ok(())
        }
        NotificationsCommand::Dispatch(args) => {
            let Some(dispatcher) = Dispatcher::from_config(&notify.outbound()?)? else {
                return Err(Failure::new(
                    "notify.not_configured",
                    "未配置外发通知渠道（--notify-smtp-host 或 --notify-webhook-url）",
                ));
            };
            let report = dispatcher.run_once(platform).await?;
            match args.format {
                OutputFormat::Json => {
                    println!("{}", serde_json::to_string(&report).expect("JSON"))
                }
                OutputFormat::Text => println!(
                    "已发送 {}，待重试 {}，已放弃 {}，等待退避 {}",
                    report.sent, report.retrying, report.failed, report.waiting
                ),
            }
            Ok(())
        }
    }
}
