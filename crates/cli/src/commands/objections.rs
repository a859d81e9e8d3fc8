//! `xinrong objections list|sweep`: objections (异议) for the operator and integrations. The CLI
//! has the database and acts as the platform.

use crate::config::OutputFormat;
use crate::failure::CliResult;
use clap::{Args, Subcommand};
use xinrong_services::Platform;
use xinrong_services::objections::{self, ListQuery, ObjectionView};

#[derive(Debug, Subcommand)]
pub enum ObjectionsCommand {
    /// List objections, newest first.
    List(ListArgs),
    /// Flag objections past their deadline to the operators (once each); the server does this
    /// periodically too.
    Sweep(SweepArgs),
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only objections of this subject (USCC).
    #[arg(long)]
    pub subject: Option<String>,
    /// open, confirmed, corrected, escalated, upheld, correction_ordered or closed.
    #[arg(long)]
    pub status: Option<String>,
    /// Only the queue of this provider (organisation ID).
    #[arg(long)]
    pub provider: Option<String>,
    /// Only those waiting for their source unit past the deadline.
    #[arg(long)]
    pub overdue: bool,
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
}

#[derive(Debug, Args)]
pub struct SweepArgs {
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
}

pub async fn run(platform: &Platform, cmd: ObjectionsCommand) -> CliResult {
    match cmd {
        ObjectionsCommand::List(args) => {
            let rows = objections::list_all(
                platform,
                ListQuery {
                    subject: args.subject,
                    status: args.status,
                    provider: args.provider,
                    overdue: args.overdue,
                    record_id: None,
                },
            )
            .await?;
            match args.format {
                OutputFormat::Json => {
                    println!("{}", serde_json::to_string_pretty(&rows).expect("JSON"))
                }
                OutputFormat::Text => print(&rows),
            }
        }
        ObjectionsCommand::Sweep(args) => {
            let flagged = objections::flag_overdue(platform).await?;
            match args.format {
                OutputFormat::Json => println!("{}", serde_json::json!({ "flagged": flagged })),
                OutputFormat::Text => println!("已向平台运营方提示逾期异议 {flagged} 条"),
            }
        }
    }
    Ok(())
}

fn print(rows: &[ObjectionView]) {
    println!("异议编号\t状态\t信息主体\t信息项\t版本\t数据提供单位\t提出时间\t处理时限");
    for o in rows {
        println!(
            "{}\t{}{}\t{}\t{}\t{}\t{}\t{}\t{}",
            o.id,
            o.status_label,
            if o.overdue { "（逾期）" } else { "" },
            o.subject,
            o.item_label,
            o.record_version,
            o.provider_name,
            o.filed_at.format("%Y-%m-%d %H:%M"),
            o.deadline_at.format("%Y-%m-%d"),
        );
    }
    println!("共 {} 条", rows.len());
}

/// The objection and repair rules from the configuration (flags or `XINRONG_*` variables).
pub fn policy(args: &crate::config::RightsArgs) -> CliResult<objections::RightsPolicy> {
    use xinrong_core::repair::{Period, RepairPeriods};
    let three = |v: &[u32], what: &str| -> CliResult<[u32; 3]> {
        <[u32; 3]>::try_from(v).map_err(|_| {
            crate::failure::Failure::new(
                "config.rights",
                format!("{what} 须为三个整数（一般,较重,严重），如 0,3,12"),
            )
        })
    };
    let min = three(&args.repair_min_months, "--repair-min-months")?;
    let max = three(&args.repair_max_months, "--repair-max-months")?;
    let period = |i: usize| Period {
        min_months: min[i],
        max_months: max[i],
    };
    let policy = objections::RightsPolicy {
        objection_deadline_workdays: args.objection_deadline_days,
        objections_per_day: args.objections_per_day,
        objections_open: args.objections_open,
        repair: RepairPeriods {
            minor: period(0),
            major: period(1),
            serious: period(2),
        },
    };
    policy
        .check()
        .map_err(|m| crate::failure::Failure::new("config.rights", m))?;
    Ok(policy)
}
