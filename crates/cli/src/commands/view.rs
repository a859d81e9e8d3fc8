//! `xinrong view --subject USCC --as ORG --purpose TEXT`: exactly what organisation ORG would
//! receive about a subject through the API — the same `share::view`, the same access decision
//! and masking — logged in the access log like any other read (channel `cli`).
//! `xinrong audit --subject USCC`: the access log (查询记录) of a subject, as the operator sees it.

use crate::config::OutputFormat;
use crate::failure::{CliResult, Failure};
use clap::Args;
use std::path::PathBuf;
use xinrong_core::access::Shown;
use xinrong_services::Platform;
use xinrong_services::access::Reader;
use xinrong_services::share::{self, AccessQuery, ViewRequest};

#[derive(Debug, Args)]
pub struct ViewArgs {
    /// The subject's USCC.
    #[arg(long)]
    pub subject: String,
    /// The reading organisation: its ID, USCC or exact name.
    #[arg(long = "as")]
    pub as_org: String,
    /// 查询用途: a code (pre_loan) or its label (贷前调查).
    #[arg(long)]
    pub purpose: Option<String>,
    /// Free text beside the purpose, e.g. the loan application.
    #[arg(long)]
    pub purpose_text: Option<String>,
    /// The authorization relied on; any active one that covers when absent.
    #[arg(long)]
    pub authorization: Option<String>,
    /// Only these items (comma-separated keys).
    #[arg(long, value_delimiter = ',')]
    pub items: Option<Vec<String>>,
    /// Every version (the subject itself and the operator).
    #[arg(long)]
    pub history: bool,
    /// json (what the API returns), text, csv or xlsx (what the export returns).
    #[arg(long, value_enum, default_value_t = ViewFormat::Json)]
    pub format: ViewFormat,
    /// Write to this file instead of standard output (required for xlsx).
    #[arg(long)]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ViewFormat {
    Json,
    Text,
    Csv,
    Xlsx,
}

pub async fn view(platform: &Platform, args: ViewArgs) -> CliResult {
    let reader = Reader::for_org(platform, &args.as_org).await?;
    let channel = match args.format {
        ViewFormat::Csv => "export_csv",
        ViewFormat::Xlsx => "export_xlsx",
        _ => "cli",
    };
    let request = ViewRequest {
        subject: &args.subject,
        purpose: args.purpose.as_deref(),
        purpose_text: args.purpose_text.as_deref(),
        authorization_id: args.authorization.as_deref(),
        items: args.items.as_deref(),
        history: args.history,
        channel,
    };
    let view = share::view(platform, &reader, &request).await?;
    let bytes = match args.format {
        ViewFormat::Json => {
            let mut s = serde_json::to_string_pretty(&view).expect("JSON");
            s.push('\n');
            s.into_bytes()
        }
        ViewFormat::Csv => share::view_csv(&view)?,
        ViewFormat::Xlsx => share::view_xlsx(&view)?,
        ViewFormat::Text => text(&view).into_bytes(),
    };
    match &args.out {
        Some(path) => std::fs::write(path, &bytes)
            .map_err(|e| Failure::new("io.write", format!("无法写入 {}：{e}", path.display())))?,
        None if args.format == ViewFormat::Xlsx => {
            return Err(Failure::new(
                "view.out_required",
                "xlsx 格式须用 --out 指定文件",
            ));
        }
        None => {
            use std::io::Write;
            std::io::stdout()
                .write_all(&bytes)
                .map_err(|e| Failure::new("io.write", e.to_string()))?;
        }
    }
    Ok(())
}

fn text(view: &share::SubjectView) -> String {
    let mut out = format!(
        "{}（{}）· 查询机构：{} · 用途：{}\n",
        view.subject_name,
        view.subject,
        view.reader_org_name,
        view.purpose_label.as_deref().unwrap_or("—")
    );
    for item in &view.items {
        out.push_str(&format!("\n【{}】{}\n", item.label, item.item_key));
        if let Some(n) = &item.notice {
            out.push_str(&format!("  说明：{}\n", n.message));
        }
        for r in &item.records {
            out.push_str(&format!(
                "  记录 {} 版本 {} · {}{}{}{}\n",
                r.record_id,
                r.version,
                r.source_unit,
                if r.objection_pending {
                    " · 异议处理中"
                } else {
                    ""
                },
                if r.repaired {
                    " · 已信用修复"
                } else {
                    ""
                },
                if r.self_declared {
                    " · 企业自主填报"
                } else {
                    ""
                },
            ));
            for f in &r.fields {
                let value = match &f.shown {
                    Shown::Clear(v) => v.clone(),
                    Shown::Masked(v) => format!("{v}（脱敏）"),
                    Shown::Withheld => "（未提供）".to_owned(),
                };
                out.push_str(&format!("    {}：{}\n", f.label, value));
            }
        }
    }
    out
}

#[derive(Debug, Args)]
pub struct AuditArgs {
    /// Only reads about this subject.
    #[arg(long)]
    pub subject: Option<String>,
    /// Only reads by this organisation (ID, USCC or exact name).
    #[arg(long)]
    pub org: Option<String>,
    #[arg(long, default_value_t = 100)]
    pub limit: u64,
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
}

/// The access log, searched as the platform operator searches it.
pub async fn audit(platform: &Platform, args: AuditArgs) -> CliResult {
    let org = match &args.org {
        Some(o) => Some(Reader::for_org(platform, o).await?.org_id),
        None => None,
    };
    let operator = Reader::platform_operator(platform).await?;
    let (entries, total) = share::access_log(
        platform,
        &operator,
        AccessQuery {
            subject: args.subject.clone(),
            reader_org_id: org,
            limit: args.limit,
            ..AccessQuery::default()
        },
    )
    .await?;
    match args.format {
        OutputFormat::Json => println!(
            "{}",
            serde_json::to_string_pretty(
                &serde_json::json!({ "total": total, "entries": entries })
            )
            .expect("JSON")
        ),
        OutputFormat::Text => {
            println!("查询记录 {total} 条（最新在前）");
            println!("时间\t企业\t查询机构\t用途\t信息项\t授权\t渠道\t账本序号");
            for e in entries {
                println!(
                    "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
                    xinrong_core::clock::display(e.at),
                    e.subject,
                    e.reader_org_name,
                    e.purpose.unwrap_or_default(),
                    e.items.join(","),
                    e.authorization_ids.join(","),
                    e.channel,
                    e.leaf_index
                );
            }
        }
    }
    Ok(())
}
