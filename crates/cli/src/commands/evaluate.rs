//! `xinrong evaluate --all [--model FILE]`: the full 公共信用综合评价 run; prints
//! `{enterprises, seconds, per_s, changed, model_version}` as JSON.
//! `xinrong evaluate --subject USCC [--format json|text]`: evaluates one enterprise now (stored
//! if its result changed) and prints the result with every indicator's contribution, the top
//! factors and the profile tags. With `--as ORG [--purpose …]` it prints what that organisation
//! would receive instead (the same access decision as the API), logged as a read.

use crate::failure::{CliResult, Failure};
use clap::Args;
use std::path::PathBuf;
use xinrong_core::evaluation::Model;
use xinrong_services::Platform;
use xinrong_services::access::Reader;
use xinrong_services::evaluation::{self, EvaluationView};

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("what").required(true).args(["all", "subject"])))]
pub struct EvaluateArgs {
    /// Evaluate every enterprise.
    #[arg(long)]
    pub all: bool,
    /// Evaluate one enterprise (its USCC).
    #[arg(long)]
    pub subject: Option<String>,
    /// With --all: an indicator model file (TOML) instead of the shipped model; validated
    /// against the catalogue before anything is written.
    #[arg(long, requires = "all")]
    pub model: Option<PathBuf>,
    /// With --subject: json (what the API returns) or text.
    #[arg(long, value_enum, default_value_t = EvaluateFormat::Json)]
    pub format: EvaluateFormat,
    /// With --subject: show what this organisation (ID, USCC or exact name) would receive.
    #[arg(long = "as", requires = "subject")]
    pub as_org: Option<String>,
    /// With --as: 查询用途, a code (pre_loan) or its label (贷前调查).
    #[arg(long, requires = "as_org")]
    pub purpose: Option<String>,
    /// With --as: the authorization relied on.
    #[arg(long, requires = "as_org")]
    pub authorization: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum EvaluateFormat {
    Json,
    Text,
}

pub async fn run(platform: &Platform, args: EvaluateArgs) -> CliResult {
    if args.all {
        let custom;
        let model: &Model = match &args.model {
            None => Model::builtin(),
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|e| {
                    Failure::new(
                        "evaluation.model_file",
                        format!("无法读取评价模型文件 {}：{e}", path.display()),
                    )
                })?;
                custom = Model::from_toml(&text, xinrong_services::catalog::current())
                    .map_err(|e| Failure::new(e.code, e.message))?;
                &custom
            }
        };
        let summary = evaluation::evaluate_all(platform, model).await?;
        println!(
            "{}",
            serde_json::to_string(&summary).expect("a plain struct serialises")
        );
        return Ok(());
    }
    let subject = args.subject.as_deref().unwrap_or_default();
    let view = match &args.as_org {
        Some(org) => {
            let reader = Reader::for_org(platform, org).await?;
            evaluation::view(
                platform,
                &reader,
                &evaluation::ViewRequest {
                    subject,
                    purpose: args.purpose.as_deref(),
                    authorization_id: args.authorization.as_deref(),
                    channel: "cli",
                },
            )
            .await?
        }
        None => {
            let stored = evaluation::evaluate_subject(platform, subject).await?;
            evaluation::full_view(platform, &stored).await?
        }
    };
    match args.format {
        EvaluateFormat::Json => println!(
            "{}",
            serde_json::to_string_pretty(&view).expect("a plain struct serialises")
        ),
        EvaluateFormat::Text => print!("{}", text(&view)),
    }
    Ok(())
}

/// The result for people: grade, score, dimensions, indicators, factors and tags.
fn text(v: &EvaluationView) -> String {
    let mut out = format!(
        "{} · 公共信用综合评价 · 模型 v{}（{}）\n等级 {}（{}）· 得分 {}/1000 · 评价时间 {}\n{}\n",
        v.subject,
        v.model_version,
        v.model_name,
        v.grade,
        v.grade_label,
        v.score,
        xinrong_core::clock::display(v.evaluated_at),
        v.grade_meaning
    );
    out.push_str("\n维度：\n");
    for d in &v.dimensions {
        out.push_str(&format!("  {} {}/{}\n", d.label, d.points, d.weight));
    }
    out.push_str("\n指标：\n");
    for i in &v.indicators {
        match (i.points, i.contribution) {
            (Some(p), Some(c)) => out.push_str(&format!(
                "  [{}] {}：{} 分（贡献 {}/{}）· {}\n",
                i.dimension, i.label, p, c, i.weight, i.text
            )),
            _ => out.push_str(&format!("  [{}] {}：{}\n", i.dimension, i.label, i.text)),
        }
    }
    for (title, factors) in [
        ("主要加分因素", &v.top_positive),
        ("主要减分因素", &v.top_negative),
    ] {
        out.push_str(&format!("\n{title}：\n"));
        if factors.is_empty() {
            out.push_str("  无\n");
        }
        for f in factors {
            match f.delta {
                Some(d) => out.push_str(&format!("  {}（{:+}）\n", f.text, d)),
                None => out.push_str(&format!("  {}\n", f.text)),
            }
        }
    }
    out.push_str("\n画像标签：");
    if v.tags.is_empty() {
        out.push('无');
    }
    let labels: Vec<&str> = v.tags.iter().map(|t| t.label.as_str()).collect();
    out.push_str(&labels.join("、"));
    out.push('\n');
    for n in &v.notices {
        out.push_str(&format!("说明：{}\n", n.message));
    }
    out
}
