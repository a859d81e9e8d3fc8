//! `xinrong funds list|show|topup`: compensation funds (风险补偿基金). The CLI has the database;
//! `topup --as ORG` acts as that organisation (its manager, or the operator) through the same
//! service the pages use.

use crate::config::OutputFormat;
use crate::failure::{CliResult, Failure};
use clap::{Args, Subcommand};
use xinrong_core::money::Fen;
use xinrong_services::Platform;
use xinrong_services::finance::funds::{self, FundDetail, FundView};

#[derive(Debug, Subcommand)]
pub enum FundsCommand {
    /// Every fund with its balance.
    List(ListArgs),
    /// One fund: balance, rules, balance history, registered loans and claims.
    Show(ShowArgs),
    /// Top a fund up (注资) as its managing government unit or the operator.
    Topup(TopupArgs),
}

#[derive(Debug, Args)]
pub struct ListArgs {
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The fund ID.
    pub id: String,
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
}

#[derive(Debug, Args)]
pub struct TopupArgs {
    /// The fund ID.
    pub id: String,
    /// Amount in 元 with at most two decimals, e.g. 100000.00.
    #[arg(long)]
    pub amount: String,
    /// Acting organisation: ID or USCC (the fund's manager, or the operator).
    #[arg(long = "as")]
    pub as_org: String,
    #[arg(long, default_value = "")]
    pub note: String,
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
}

pub async fn run(platform: &Platform, cmd: FundsCommand) -> CliResult {
    match cmd {
        FundsCommand::List(args) => {
            let rows = funds::list_all(platform).await?;
            match args.format {
                OutputFormat::Json => {
                    println!("{}", serde_json::to_string_pretty(&rows).expect("JSON"))
                }
                OutputFormat::Text => print_list(&rows),
            }
        }
        FundsCommand::Show(args) => {
            let d = funds::detail_all(platform, &args.id).await?;
            match args.format {
                OutputFormat::Json => {
                    println!("{}", serde_json::to_string_pretty(&d).expect("JSON"))
                }
                OutputFormat::Text => print_detail(&d),
            }
        }
        FundsCommand::Topup(args) => {
            let amount = Fen::parse_yuan(&args.amount).ok_or_else(|| {
                Failure::new("fund.amount", "金额须为元，最多两位小数，如 100000.00")
            })?;
            let p = funds::principal_for_org(platform, &args.as_org).await?;
            let m = funds::topup(platform, &p, &args.id, amount.0, &args.note).await?;
            match args.format {
                OutputFormat::Json => {
                    println!("{}", serde_json::to_string_pretty(&m).expect("JSON"))
                }
                OutputFormat::Text => println!(
                    "已注资 {}，基金余额 {}（{}）",
                    m.amount_text, m.balance_after_text, m.id
                ),
            }
        }
    }
    Ok(())
}

fn print_list(rows: &[FundView]) {
    println!("基金编号\t名称\t服务区域\t管理单位\t代偿比例\t余额\t状态");
    for f in rows {
        println!(
            "{}\t{}\t{}\t{}\t{}\t{}\t{}",
            f.id,
            f.name,
            f.region_name,
            f.manager_name,
            f.share_text,
            f.balance_text,
            f.status_label
        );
    }
    println!("共 {} 个", rows.len());
}

fn print_detail(d: &FundDetail) {
    let f = &d.fund;
    println!("{}（{}）", f.name, f.id);
    println!("服务区域：{}（{}）", f.region_name, f.region_code);
    println!("管理单位：{}", f.manager_name);
    println!("状态：{}", f.status_label);
    println!("余额：{}", f.balance_text);
    for r in &f.rules_zh {
        println!("规则：{r}");
    }
    println!("余额变动 {} 笔", d.movements.len());
    for m in &d.movements {
        println!(
            "  {}\t{}\t{}\t余额 {}\t{}",
            m.created_at.format("%Y-%m-%d %H:%M"),
            m.kind_label,
            m.amount_text,
            m.balance_after_text,
            m.note
        );
    }
    println!("入池贷款 {} 笔", d.loans.len());
    for l in &d.loans {
        println!(
            "  {}\t{}\t{}\t{}\t{}",
            l.contract_no, l.subject, l.institution_name, l.covered_amount_text, l.loan_status
        );
    }
    println!("代偿申请 {} 笔", d.claims.len());
    for c in &d.claims {
        println!(
            "  {}\t{}\t损失 {}\t代偿 {}\t{}",
            c.id,
            c.contract_no,
            c.loss_text,
            c.payout_text.as_deref().unwrap_or("—"),
            c.status_label
        );
    }
}
