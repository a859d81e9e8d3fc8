//! `xinrong products list|review|publish`: financial products (金融产品) for the operator and for
//! institutions' scripts. The CLI has the database and acts as the platform operator, or as the
//! organisation named with `--as`.

use crate::config::OutputFormat;
use crate::failure::{CliResult, Failure};
use clap::{Args, Subcommand};
use std::path::PathBuf;
use xinrong_services::Platform;
use xinrong_services::finance::products::{self, ProductInput, ProductView};

#[derive(Debug, Subcommand)]
pub enum ProductsCommand {
    /// List products, newest first.
    List(ListArgs),
    /// The operator approves (lists) or rejects a pending product.
    Review(ReviewArgs),
    /// An institution publishes a product from a JSON file: created as a draft (or the draft of
    /// that name updated) and submitted for review.
    Publish(PublishArgs),
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// draft, pending, listed, rejected or delisted.
    #[arg(long)]
    pub status: Option<String>,
    /// Only the products of this institution (ID, USCC or exact name).
    #[arg(long)]
    pub institution: Option<String>,
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
}

#[derive(Debug, Args)]
pub struct ReviewArgs {
    /// The product ID.
    pub id: String,
    #[arg(long, conflicts_with = "reject")]
    pub approve: bool,
    #[arg(long, requires = "reason")]
    pub reject: bool,
    /// Why it is rejected (required with --reject).
    #[arg(long)]
    pub reason: Option<String>,
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
}

#[derive(Debug, Args)]
pub struct PublishArgs {
    /// The institution (ID, USCC or exact name).
    #[arg(long = "as")]
    pub as_org: String,
    /// The product as JSON (the API's product body: name, kind, amount_min_fen, …).
    #[arg(long)]
    pub file: PathBuf,
    /// Keep it a draft instead of submitting it for review.
    #[arg(long)]
    pub draft: bool,
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
}

pub async fn run(platform: &Platform, cmd: ProductsCommand) -> CliResult {
    match cmd {
        ProductsCommand::List(args) => {
            let org = match &args.institution {
                Some(key) => Some(products::cli_principal(platform, Some(key)).await?.org_id),
                None => None,
            };
            let rows = products::list_all(platform, org.as_deref(), args.status.as_deref()).await?;
            match args.format {
                OutputFormat::Json => {
                    println!("{}", serde_json::to_string_pretty(&rows).expect("JSON"))
                }
                OutputFormat::Text => print(&rows),
            }
        }
        ProductsCommand::Review(args) => {
            if !args.approve && !args.reject {
                return Err(Failure::new(
                    "product.review",
                    "请指定 --approve（通过）或 --reject --reason 理由（不通过）",
                ));
            }
            let operator = products::cli_principal(platform, None).await?;
            let v = if args.approve {
                products::approve(platform, &operator, &args.id).await?
            } else {
                products::reject(
                    platform,
                    &operator,
                    &args.id,
                    args.reason.as_deref().unwrap_or_default(),
                )
                .await?
            };
            one(&v, args.format);
        }
        ProductsCommand::Publish(args) => {
            let text = std::fs::read_to_string(&args.file).map_err(|e| {
                Failure::new(
                    "product.file",
                    format!("无法读取 {}：{e}", args.file.display()),
                )
            })?;
            let input: ProductInput = serde_json::from_str(&text)
                .map_err(|e| Failure::new("product.json", format!("产品 JSON 无法解析：{e}")))?;
            let p = products::cli_principal(platform, Some(&args.as_org)).await?;
            let existing = products::list_all(platform, Some(&p.org_id), None)
                .await?
                .into_iter()
                .find(|v| v.name == input.name.trim());
            let mut v = match existing {
                Some(e) if products::status::EDITABLE.contains(&e.status.as_str()) => {
                    products::update(platform, &p, &e.id, input).await?
                }
                _ => products::create(platform, &p, input).await?,
            };
            if !args.draft && products::status::EDITABLE.contains(&v.status.as_str()) {
                v = products::submit(platform, &p, &v.id).await?;
            }
            one(&v, args.format);
        }
    }
    Ok(())
}

fn one(v: &ProductView, format: OutputFormat) {
    match format {
        OutputFormat::Json => println!("{}", serde_json::to_string_pretty(v).expect("JSON")),
        OutputFormat::Text => println!("{}\t{}\t{}", v.id, v.status_label, v.name),
    }
}

fn print(rows: &[ProductView]) {
    println!("产品编号\t状态\t产品名称\t机构\t类型\t额度\t期限\t年利率");
    for v in rows {
        println!(
            "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
            v.id,
            v.status_label,
            v.name,
            v.institution_name,
            v.kind_label,
            v.amount_text(),
            v.term_text(),
            v.rate_text()
        );
    }
    println!("共 {} 个", rows.len());
}
