//! Demo policies: 科技贷, 创业担保贷, 专精特新贷 and 贴息 published by the city's government
//! with structured eligibility (and so matched at once), plus a district's draft.

use super::green::demo_principal;
use crate::error::ServiceResult;
use crate::finance::policies::{self, PolicyInput};
use crate::objections::today;
use crate::platform::Platform;
use chrono::{Datelike, Duration, NaiveDate};
use xinrong_core::codes::size_class::SizeClass;
use xinrong_core::finance::eligibility::Eligibility;

pub(super) async fn seed(platform: &Platform, seed: u64) -> ServiceResult<()> {
    let Some(gov) = demo_principal(platform, "gov").await? else {
        return Ok(());
    };
    let today = today(platform);
    let from = today - Duration::days(30 + (seed % 30) as i64);
    let to = NaiveDate::from_ymd_opt(today.year() + 1, 12, 31);
    let policies = [
        PolicyInput {
            title: "科技型中小企业“科技贷”".into(),
            kind: "tech_loan".into(),
            region_code: None,
            eligibility: Eligibility {
                industries: vec!["C".into(), "I".into(), "M".into()],
                size_classes: vec![SizeClass::Medium, SizeClass::Small, SizeClass::Micro],
                excluded_tags: vec!["dishonest_debtor".into()],
                ..Eligibility::default()
            },
            benefit: "单户最高 1000 万元信用贷款，风险补偿资金池分担 50% 损失，利率不高于 LPR + 50 个基点。".into(),
            body: "支持制造业、信息技术和科技服务业中小微企业研发和成果转化，由合作银行按“科技贷”产品审批放款。".into(),
            valid_from: from,
            valid_to: to,
        },
        PolicyInput {
            title: "创业担保贷款".into(),
            kind: "startup_guarantee_loan".into(),
            region_code: None,
            eligibility: Eligibility {
                max_age_months: Some(60),
                size_classes: vec![SizeClass::Small, SizeClass::Micro],
                excluded_tags: vec!["dishonest_debtor".into(), "tax_arrears".into()],
                ..Eligibility::default()
            },
            benefit: "小微企业最高 300 万元创业担保贷款，财政按贷款市场报价利率的 50% 贴息。".into(),
            body: "面向成立 5 年以内、吸纳就业的小型和微型企业，由政府性融资担保机构提供担保。".into(),
            valid_from: from,
            valid_to: to,
        },
        PolicyInput {
            title: "专精特新企业“专精特新贷”".into(),
            kind: "srdi_loan".into(),
            region_code: None,
            eligibility: Eligibility {
                industries: vec!["C".into()],
                size_classes: vec![SizeClass::Medium, SizeClass::Small],
                min_age_months: Some(36),
                excluded_tags: vec!["dishonest_debtor".into(), "serious_violation".into()],
                ..Eligibility::default()
            },
            benefit: "最高 2000 万元中长期信用贷款，首贷户额外给予 0.3 个百分点利率优惠。".into(),
            body: "支持成立 3 年以上的制造业中小企业走专业化、精细化、特色化、新颖化发展道路。".into(),
            valid_from: from,
            valid_to: to,
        },
        PolicyInput {
            title: "绿色贷款贴息".into(),
            kind: "interest_subsidy".into(),
            region_code: None,
            eligibility: Eligibility {
                green_required: true,
                excluded_tags: vec!["dishonest_debtor".into()],
                ..Eligibility::default()
            },
            benefit: "对绿色企业新发放的贷款按实际利息的 30% 给予贴息，单户每年最高 50 万元。".into(),
            body: "绿色企业以绿色企业库认定为准（规则认定或经审核的自主申报）。".into(),
            valid_from: from,
            valid_to: to,
        },
    ];
    for input in policies {
        let draft = policies::create(platform, &gov, input).await?;
        policies::publish(platform, &gov, &draft.id).await?;
    }
    // A district's draft, not yet published.
    let district = xinrong_store::repo::organizations::list(
        &platform.db.conn,
        Some(xinrong_core::role::Role::Government.code()),
    )
    .await?
    .into_iter()
    .filter(|o| o.region_code.as_deref().is_some_and(|r| !r.ends_with("00")))
    .min_by(|a, b| a.region_code.cmp(&b.region_code));
    if let Some(org) = district {
        let user = xinrong_store::repo::users::list_by_org(&platform.db.conn, &org.id)
            .await?
            .into_iter()
            .next();
        if let Some(u) = user
            && let Some(p) = demo_principal(platform, &u.username).await?
        {
            policies::create(
                platform,
                &p,
                PolicyInput {
                    title: "担保费补贴（征求意见稿）".into(),
                    kind: "guarantee_fee_subsidy".into(),
                    region_code: None,
                    eligibility: Eligibility {
                        size_classes: vec![SizeClass::Small, SizeClass::Micro],
                        ..Eligibility::default()
                    },
                    benefit: "对政府性融资担保机构收取的担保费给予 1% 补贴。".into(),
                    body: String::new(),
                    valid_from: today,
                    valid_to: None,
                },
            )
            .await?;
        }
    }
    Ok(())
}
