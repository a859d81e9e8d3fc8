//! Demo compensation fund (风险补偿基金): one fund for the demo city, managed by the city's
//! government unit, with two top-ups; normal loans of several institutions registered against
//! it through the fund service; a few of them then fall into default (through the loan service)
//! and are claimed on with a document, leaving claims in every state — submitted, approved,
//! rejected and paid. Deterministic from the demo's loans (in their stored order).

use super::whitelist::principal_of;
use crate::attachments::Upload;
use crate::error::ServiceResult;
use crate::finance::funds::{self, ClaimFiling, NewFund};
use crate::finance::loans;
use crate::platform::Platform;
use xinrong_core::finance::fund::FundRules;
use xinrong_core::role::Role;
use xinrong_store::repo::loans::{self as loan_repo, Filter};
use xinrong_store::repo::organizations;

const WAN: i64 = 1_000_000;
/// Loans registered against the fund.
const REGISTERED: usize = 24;

/// A small but real PDF (the content is sniffed, not the name believed).
fn document(name: &str) -> Upload {
    Upload {
        filename: format!("{name}.pdf"),
        declared_type: "application/pdf".into(),
        bytes: b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".to_vec(),
    }
}

pub(super) async fn seed(platform: &Platform, seed: u64) -> ServiceResult<()> {
    let conn = &platform.db.conn;
    let govs = organizations::list(conn, Some(Role::Government.code())).await?;
    // The city's unit: the one whose jurisdiction is a prefecture (code ending in 00).
    let Some(city) = govs
        .iter()
        .filter(|o| o.region_code.as_deref().is_some_and(|r| r.ends_with("00")))
        .min_by(|a, b| a.region_code.cmp(&b.region_code))
    else {
        return Ok(());
    };
    let gov = principal_of(platform, city, Role::Government).await?;
    let region_name = xinrong_core::codes::region::regions()
        .get(city.region_code.as_deref().unwrap_or_default())
        .map(|r| r.name.to_string())
        .unwrap_or_default();
    let fund = funds::create(
        platform,
        &gov,
        NewFund {
            name: format!("{region_name}中小微企业信贷风险补偿基金"),
            region_code: None,
            manager_org_id: None,
            rules: FundRules {
                share_bp: 4_000,
                cap_per_loan_fen: 200 * WAN,
                cap_per_institution_fen: 1_000 * WAN,
                eligible_product_ids: vec![],
                eligible_institution_org_ids: vec![],
                pure_credit_only: false,
            },
            initial_topup_fen: 3_000 * WAN,
        },
    )
    .await?;
    funds::topup(platform, &gov, &fund.id, 1_000 * WAN, "年度财政补充资金").await?;

    // Normal loans, spread over the institutions (every third one, in stored order).
    let normal = loan_repo::list(
        conn,
        &Filter {
            status: Some("normal".into()),
            ..Filter::default()
        },
    )
    .await?;
    let offset = (seed % 3) as usize;
    let institutions = organizations::list(conn, Some(Role::Institution.code())).await?;
    let mut registered = Vec::new();
    for l in normal.iter().skip(offset).step_by(3).take(REGISTERED) {
        let Some(org) = institutions.iter().find(|o| o.id == l.institution_org_id) else {
            continue;
        };
        let p = principal_of(platform, org, Role::Institution).await?;
        funds::register_loan(platform, &p, &fund.id, &l.id).await?;
        registered.push((p, l.clone()));
    }

    // Five of them default and are claimed on; the claims end in every state.
    let reasons = [
        "借款企业停产，逾期超过 90 天，经催收和处置抵质押物后仍有损失。",
        "借款企业主要负责人失联，贷款本息逾期，已提起诉讼。",
        "借款企业经营困难，贷款列为不良，已按规定追偿。",
        "借款企业破产清算，清偿率不足，申请代偿。",
        "借款企业涉诉被执行，无可供执行财产。",
    ];
    for (k, (p, l)) in registered.iter().take(5).enumerate() {
        loans::set_status(platform, p, &l.id, "overdue", "本息逾期 30 天").await?;
        loans::set_status(platform, p, &l.id, "default", "逾期超过 90 天，列为不良").await?;
        let loss = l.amount_fen / 10 * (6 + k as i64);
        let claim = funds::file_claim(
            platform,
            p,
            &fund.id,
            ClaimFiling {
                loan_id: l.id.clone(),
                loss_fen: loss.max(1),
                reason: reasons[k].to_owned(),
                attachments: vec![document("逾期催收及追偿证明")],
            },
        )
        .await?;
        match k {
            // 0: left for review (submitted).
            1 => {
                funds::approve(platform, &gov, &fund.id, &claim.id, "材料齐全，同意代偿").await?;
            }
            2 => {
                funds::reject(
                    platform,
                    &gov,
                    &fund.id,
                    &claim.id,
                    "未提供法院判决书或处置抵押物的证明，请补充后重新申请",
                )
                .await?;
            }
            3 | 4 => {
                funds::approve(platform, &gov, &fund.id, &claim.id, "").await?;
                funds::pay(platform, &gov, &fund.id, &claim.id).await?;
            }
            _ => {}
        }
    }
    Ok(())
}
