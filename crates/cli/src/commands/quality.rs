//! `xinrong quality [--provider ORG] --format json|text`: data quality (数据质量) and usage
//! (数据使用情况) for the operator — one provider's items, or every provider ranked.

use crate::config::{OutputFormat, QualityArgs};
use crate::failure::CliResult;
use xinrong_services::Platform;
use xinrong_services::quality::{self, ProviderQuality, Ranking};

/// Basis points as an exact percentage: 8000 → "80.00%".
fn pct(bp: Option<u32>) -> String {
    bp.map_or_else(
        || "—".to_owned(),
        |bp| format!("{}.{:02}%", bp / 100, bp % 100),
    )
}

pub async fn run(platform: &Platform, args: QualityArgs) -> CliResult {
    match &args.provider {
        Some(provider) => {
            let report = quality::report_of(platform, provider).await?;
            match args.format {
                OutputFormat::Json => {
                    println!("{}", serde_json::to_string_pretty(&report).expect("JSON"))
                }
                OutputFormat::Text => print_report(&report),
            }
        }
        None => {
            let ranking = quality::ranking_all(platform).await?;
            match args.format {
                OutputFormat::Json => {
                    println!("{}", serde_json::to_string_pretty(&ranking).expect("JSON"))
                }
                OutputFormat::Text => print_ranking(&ranking),
            }
        }
    }
    Ok(())
}

fn print_ranking(r: &Ranking) {
    println!(
        "数据提供单位质量排名（{}）",
        r.generated_at.format("%Y-%m-%d %H:%M")
    );
    println!("排名\t综合得分\t完整率\t有效率\t重复率\t及时率\t批次\t近30天使用\t单位");
    for p in &r.providers {
        let s = &p.summary;
        println!(
            "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
            p.rank,
            pct(s.score_bp),
            pct(s.completeness_bp),
            pct(s.validity_bp),
            pct(s.duplicate_bp),
            pct(s.timeliness_bp),
            s.counts.batches,
            s.reads_30d,
            s.provider_name
        );
    }
}

fn print_report(q: &ProviderQuality) {
    let s = &q.summary;
    println!(
        "{}：综合得分 {} · 完整率 {} · 有效率 {} · 重复率 {} · 及时率 {} · 使用 {}（近30天）/ {}（累计）",
        s.provider_name,
        pct(s.score_bp),
        pct(s.completeness_bp),
        pct(s.validity_bp),
        pct(s.duplicate_bp),
        pct(s.timeliness_bp),
        s.reads_30d,
        s.reads_total
    );
    println!(
        "信息项\t更新频率\t批次\t收到\t完整率\t有效率\t重复率\t时效\t错误趋势\t使用（近30天/累计）"
    );
    for i in &q.items {
        let trend: Vec<String> = i.trend.iter().map(|p| pct(p.rejected_bp)).collect();
        println!(
            "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{} [{}]\t{}/{}",
            i.item_key,
            i.update_frequency_label,
            i.counts.batches,
            i.counts.rows_received,
            pct(i.completeness_bp),
            pct(i.validity_bp),
            pct(i.duplicate_bp),
            i.freshness_label,
            i.trend_label,
            trend.join(" "),
            i.usage.reads_30d,
            i.usage.reads_total
        );
    }
    for k in &q.usage.by_kind {
        println!(
            "使用机构 {}：{}（近30天）/ {}（累计）",
            k.label, k.reads_30d, k.reads_total
        );
    }
}
