//! `xinrong demo`: fill an empty database with a demo city and print its logins.

use crate::config::{DemoArgs, OutputFormat};
use crate::failure::CliResult;
use xinrong_services::Platform;
use xinrong_services::demo::{DemoOptions, DemoSummary, seed_demo};

pub async fn run(platform: &Platform, args: DemoArgs) -> CliResult {
    let options = DemoOptions {
        enterprises: args.enterprises,
        seed: args.seed,
        region: args.region,
        records_per_enterprise: args.records_per_enterprise,
        finance: !args.without_finance,
    };
    let summary = seed_demo(platform, &options).await?;
    match args.format {
        OutputFormat::Json => println!(
            "{}",
            serde_json::to_string_pretty(&summary).expect("summary serialises")
        ),
        OutputFormat::Text => print_summary(&summary),
    }
    Ok(())
}

pub fn print_summary(summary: &DemoSummary) {
    println!(
        "演示城市：{}（{}），企业 {} 家，机构 {} 个，用户 {} 个，用时 {:.1} 秒",
        summary.region_name,
        summary.region_code,
        summary.enterprises,
        summary.organizations,
        summary.users,
        summary.seconds
    );
    if summary.records > 0 {
        println!(
            "信用记录 {} 条（{} 个信息项，经报送通道写入，用时 {:.1} 秒）",
            summary.records,
            summary.records_per_item.len(),
            summary.record_seconds
        );
    }
    println!("演示账户（所有账户密码相同）：");
    println!("{:<12} {:<28} {:<16} 机构", "角色", "用户名", "密码");
    for c in &summary.credentials {
        println!(
            "{:<12} {:<28} {:<16} {}",
            c.role, c.username, c.password, c.organization
        );
    }
}
