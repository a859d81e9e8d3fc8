//! `xinrong applications list|sweep`: financing applications (一键式融资) for the operator and
//! integrations. The CLI has the database and acts as the platform.

use crate::config::{FinanceArgs, OutputFormat};
use crate::failure::{CliResult, Failure};
use clap::{Args, Subcommand};
use xinrong_services::Platform;
use xinrong_services::finance::FinancePolicy;
use xinrong_services::finance::applications::{self, ApplicationView, ListQuery};

#[derive(Debug, Subcommand)]
pub enum ApplicationsCommand {
    /// List applications, newest first.
    List(ListArgs),
    /// Expire applications undecided past the expiry and flag those past their accept or
    /// decide deadline to the operators (once per deadline); the server does this periodically.
    Sweep(SweepArgs),
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only applications of this enterprise (USCC).
    #[arg(long)]
    pub subject: Option<String>,
    /// Only the inbox of this institution (organisation ID).
    #[arg(long)]
    pub institution: Option<String>,
    /// submitted, accepted, under_review, approved, rejected, disbursed, withdrawn or expired.
    #[arg(long)]
    pub status: Option<String>,
    /// Only those past a deadline without the institution acting.
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

pub async fn run(platform: &Platform, cmd: ApplicationsCommand) -> CliResult {
    match cmd {
        ApplicationsCommand::List(args) => {
            let rows = applications::list_all(
                platform,
                ListQuery {
                    status: args.status,
                    overdue: args.overdue,
                    subject: args.subject,
                    institution: args.institution,
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
        ApplicationsCommand::Sweep(args) => {
            let report = applications::sweep(platform).await?;
            match args.format {
                OutputFormat::Json => {
                    println!("{}", serde_json::to_string(&report).expect("JSON"))
                }
                OutputFormat::Text => println!(
                    "已向平台运营方提示逾期融资申请 {} 条，置为失效 {} 条",
                    report.flagged, report.expired
                ),
            }
        }
    }
    Ok(())
}

fn print(rows: &[ApplicationView]) {
    println!("申请编号\t状态\t企业\t产品\t金融机构\t金额\t期限\t提交时间\t受理时限\t审批时限");
    for a in rows {
        println!(
            "{}\t{}{}\t{}\t{}\t{}\t{}\t{} 个月\t{}\t{}\t{}",
            a.id,
            a.status_label,
            a.overdue_label
                .as_deref()
                .map(|l| format!("（{l}）"))
                .unwrap_or_default(),
            a.subject_name,
            a.product_name,
            a.institution_name,
            a.amount_text,
            a.term_months,
            a.submitted_at.format("%Y-%m-%d %H:%M"),
            a.accept_by,
            a.decide_by.map(|d| d.to_string()).unwrap_or_default(),
        );
    }
    println!("共 {} 条", rows.len());
}

/// The deadlines from the configuration (flags or `XINRONG_FINANCE_*` variables).
pub fn policy(args: &FinanceArgs) -> CliResult<FinancePolicy> {
    let policy = FinancePolicy {
        accept_workdays: args.finance_accept_workdays,
        decide_workdays: args.finance_decide_workdays,
        expire_workdays: args.finance_expire_workdays,
    };
    policy
        .check()
        .map_err(|m| Failure::new("config.finance", m))?;
    Ok(policy)
}
