//! `xinrong loans import|list`: loans (获贷明细). `import` records a file of loans for an
//! institution, all or nothing (any bad row: nothing written, every row's problems printed,
//! exit status 1); `list` lists every loan (the CLI acts as the platform).

use crate::config::OutputFormat;
use crate::failure::{CliResult, Failure};
use clap::{Args, Subcommand, ValueEnum};
use std::path::PathBuf;
use xinrong_services::Platform;
use xinrong_services::finance::loans::{self, FileFormat, LoanList, LoanQuery};
use xinrong_services::finance::products::cli_principal;

#[derive(Debug, Subcommand)]
pub enum LoansCommand {
    /// Record a CSV or XLSX file of loans (the columns of `GET /api/v1/loans/template.csv`)
    /// for an institution: all rows or none.
    Import(ImportArgs),
    /// List loans, newest disbursement first, with totals.
    List(ListArgs),
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum FileKind {
    Csv,
    Xlsx,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    pub file: PathBuf,
    /// The lending institution: its ID, USCC or name.
    #[arg(long = "as")]
    pub as_org: String,
    /// File format (default: from the file name, CSV unless .xlsx).
    #[arg(long = "format")]
    pub file_format: Option<FileKind>,
    /// Output: text or json.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub output: OutputFormat,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only loans to this enterprise (USCC).
    #[arg(long)]
    pub subject: Option<String>,
    /// Only loans of this institution (organisation ID).
    #[arg(long)]
    pub institution: Option<String>,
    /// normal, overdue, default or settled.
    #[arg(long)]
    pub status: Option<String>,
    /// pure_credit, first_loan, renewal or no_principal_renewal.
    #[arg(long)]
    pub flag: Option<String>,
    /// Most loans printed (the totals count all).
    #[arg(long, default_value_t = 500)]
    pub limit: usize,
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
}

pub async fn run(platform: &Platform, cmd: LoansCommand) -> CliResult {
    match cmd {
        LoansCommand::Import(args) => import(platform, args).await,
        LoansCommand::List(args) => {
            let list = loans::list_all(
                platform,
                LoanQuery {
                    subject: args.subject,
                    institution: args.institution,
                    status: args.status,
                    flag: args.flag,
                    limit: Some(args.limit),
                    ..LoanQuery::default()
                },
            )
            .await?;
            match args.format {
                OutputFormat::Json => {
                    println!("{}", serde_json::to_string_pretty(&list).expect("JSON"))
                }
                OutputFormat::Text => print(&list),
            }
            Ok(())
        }
    }
}

async fn import(platform: &Platform, args: ImportArgs) -> CliResult {
    let p = cli_principal(platform, Some(&args.as_org)).await?;
    let bytes = std::fs::read(&args.file).map_err(|e| {
        Failure::new(
            "loan.batch_file",
            format!("无法读取文件 {}：{e}", args.file.display()),
        )
    })?;
    let format = match args.file_format {
        Some(FileKind::Csv) => FileFormat::Csv,
        Some(FileKind::Xlsx) => FileFormat::Xlsx,
        None => FileFormat::of_filename(&args.file.to_string_lossy()),
    };
    let report = loans::import(platform, &p, format, &bytes).await?;
    match args.output {
        OutputFormat::Json => println!("{}", serde_json::to_string_pretty(&report).expect("JSON")),
        OutputFormat::Text => {
            if report.applied {
                println!(
                    "已导入：共 {} 行，新登记 {} 笔，已登记未变化 {} 笔",
                    report.received, report.created, report.unchanged
                );
            } else {
                println!("行号\t列\t错误代码\t问题");
                for e in &report.errors {
                    println!("{}\t{}\t{}\t{}", e.row, e.field, e.code, e.message);
                }
            }
        }
    }
    if report.applied {
        Ok(())
    } else {
        Err(Failure::new(
            "loan.batch_rejected",
            format!(
                "文件中有 {} 处错误，整批未导入（未写入任何数据）",
                report.errors.len()
            ),
        ))
    }
}

fn print(list: &LoanList) {
    println!(
        "合同编号\t借款企业\t统一社会信用代码\t放款机构\t金额（元）\t年利率\t期限（月）\t担保\t标识\t放款日期\t状态\t未还本金（元）"
    );
    for l in &list.loans {
        let mut flags = Vec::new();
        if l.pure_credit {
            flags.push("纯信用");
        }
        if l.first_loan {
            flags.push("首贷");
        }
        if l.renewal {
            flags.push("续贷");
        }
        if l.no_principal_renewal {
            flags.push("无还本续贷");
        }
        println!(
            "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
            l.contract_no,
            l.subject_name,
            l.subject,
            l.institution_name,
            xinrong_core::money::Fen(l.amount_fen).yuan_text(),
            xinrong_core::money::rate_text(l.rate_bp),
            l.term_months,
            l.guarantee_label,
            flags.join("、"),
            l.disbursed_on,
            l.status_label,
            xinrong_core::money::Fen(l.outstanding_fen).yuan_text(),
        );
    }
    let t = &list.totals;
    println!(
        "合计 {} 笔，金额 {}，纯信用 {}，首贷 {} 笔{}",
        t.count,
        xinrong_core::money::Fen(t.amount_fen).display_wan_yuan(),
        xinrong_core::money::Fen(t.pure_credit_amount_fen).display_wan_yuan(),
        t.first_loan_count,
        if list.truncated {
            "（仅列出部分）"
        } else {
            ""
        }
    );
}
