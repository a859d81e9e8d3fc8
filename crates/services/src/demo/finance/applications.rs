//! Demo applications (一键式融资): enterprises state needs and apply, through
//! [`crate::finance::applications::submit`], to the listed products that fit them (ranked by
//! the matching service); the institutions then move them through every state — submitted,
//! accepted, under review, approved (left for the loans' demo to disburse), rejected with a
//! reason, withdrawn — and a few are dated back so the sweep marks some overdue (flagged to the
//! operators) and expires others. Deterministic from the seed.

use crate::error::ServiceResult;
use crate::finance::applications::{self as apps, ApplicationView};
use crate::identity::Principal;
use crate::platform::Platform;
use chrono::Duration;
use xinrong_core::finance::product::{GuaranteeType, Need};
use xinrong_core::role::Role;
use xinrong_store::repo::applications as repo;
use xinrong_store::repo::enterprises::{self, EnterpriseFilter};
use xinrong_store::repo::organizations;

const WAN: i64 = 1_000_000;
/// Enterprises that apply.
const APPLICANTS: u64 = 24;

const PURPOSES: &[&str] = &[
    "采购原材料",
    "支付货款",
    "购置生产设备",
    "补充流动资金",
    "扩大经营场所",
    "研发投入",
];

const REASONS: &[&str] = &[
    "近一年纳税记录不足，暂不符合本产品准入要求",
    "经营流水与申请金额不匹配，建议降低申请额度",
    "存在未结清的逾期贷款，暂不予批准",
];

/// What happens to an application after submission.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fate {
    Submitted,
    Accepted,
    UnderReview,
    Approved,
    Rejected,
    Withdrawn,
    /// Submitted long ago: the sweep expires it.
    Expired,
    /// Not accepted in time: the sweep flags it.
    OverdueAccept,
    /// Accepted but not decided in time.
    OverdueDecide,
}

const FATES: &[Fate] = &[
    Fate::Approved,
    Fate::Submitted,
    Fate::Accepted,
    Fate::UnderReview,
    Fate::Rejected,
    Fate::Approved,
    Fate::Withdrawn,
    Fate::Expired,
    Fate::OverdueAccept,
    Fate::Approved,
    Fate::OverdueDecide,
    Fate::Rejected,
];

fn institution(org: &organizations::OrganizationRow) -> Principal {
    Principal {
        user_id: "demo".into(),
        username: "demo".into(),
        display_name: "演示".into(),
        org_id: org.id.clone(),
        org_name: org.name.clone(),
        role: Role::Institution,
        region_code: org.region_code.clone(),
        org_uscc: org.uscc.clone(),
    }
}

async fn applicant(
    platform: &Platform,
    e: &enterprises::EnterpriseRow,
) -> ServiceResult<Principal> {
    let org = organizations::by_uscc(&platform.db.conn, &e.uscc, Role::Enterprise.code())
        .await?
        .into_iter()
        .next();
    Ok(Principal {
        user_id: "demo".into(),
        username: "demo".into(),
        display_name: "演示".into(),
        org_id: org.as_ref().map_or_else(String::new, |o| o.id.clone()),
        org_name: org.map_or_else(|| e.name.clone(), |o| o.name),
        role: Role::Enterprise,
        region_code: Some(e.region_code.clone()),
        org_uscc: Some(e.uscc.clone()),
    })
}

/// Moves `app` to its fate (the dated-back ones are finished by the sweep).
async fn drive(
    platform: &Platform,
    app: &ApplicationView,
    fate: Fate,
    n: usize,
) -> ServiceResult<()> {
    let conn = &platform.db.conn;
    let Some(org) = organizations::get(conn, &app.institution_org_id).await? else {
        return Ok(());
    };
    let bank = institution(&org);
    let id = app.id.as_str();
    match fate {
        Fate::Submitted => {}
        Fate::Accepted => {
            apps::accept(platform, &bank, id).await?;
        }
        Fate::UnderReview => {
            apps::accept(platform, &bank, id).await?;
            apps::start_review(platform, &bank, id).await?;
        }
        Fate::Approved => {
            apps::accept(platform, &bank, id).await?;
            apps::start_review(platform, &bank, id).await?;
            // Now and then a little less than asked for.
            let amount = if n.is_multiple_of(2) {
                None
            } else {
                Some(app.amount_fen / 10 * 8)
            };
            apps::approve(platform, &bank, id, amount).await?;
        }
        Fate::Rejected => {
            apps::accept(platform, &bank, id).await?;
            apps::reject(platform, &bank, id, REASONS[n % REASONS.len()]).await?;
        }
        Fate::Withdrawn => {
            let Some(e) = enterprises::get(conn, &app.subject).await? else {
                return Ok(());
            };
            apps::withdraw(platform, &applicant(platform, &e).await?, id).await?;
        }
        Fate::Expired | Fate::OverdueAccept => {
            // Dated back: submitted 60 (expired) or 8 (overdue) days ago.
            let days = if fate == Fate::Expired { 60 } else { 8 };
            if let Some(mut row) = repo::get(conn, id).await? {
                row.submitted_at -= Duration::days(days);
                row.accept_by -= Duration::days(days);
                repo::update_if(conn, row, &["submitted"]).await?;
            }
        }
        Fate::OverdueDecide => {
            apps::accept(platform, &bank, id).await?;
            if let Some(mut row) = repo::get(conn, id).await? {
                row.submitted_at -= Duration::days(20);
                row.accept_by -= Duration::days(20);
                if let Some(at) = row.accepted_at.as_mut() {
                    *at -= Duration::days(18);
                }
                row.decide_by = row.decide_by.map(|d| d - Duration::days(18));
                repo::update_if(conn, row, &["accepted"]).await?;
            }
        }
    }
    Ok(())
}

pub(super) async fn seed(platform: &Platform, seed: u64) -> ServiceResult<()> {
    let conn = &platform.db.conn;
    let mut candidates =
        enterprises::scan_after(conn, &EnterpriseFilter::default(), None, 400).await?;
    // The enterprises with logins first, so a demo user sees applications of its own.
    let mut with_login = Vec::new();
    for e in &candidates {
        if !organizations::by_uscc(conn, &e.uscc, Role::Enterprise.code())
            .await?
            .is_empty()
        {
            with_login.push(e.uscc.clone());
        }
    }
    candidates.sort_by_key(|e| (!with_login.contains(&e.uscc), e.uscc.clone()));
    let amounts_wan = [50, 100, 200, 30, 80, 150, 300, 20];
    let mut n = seed as usize;
    let mut applied = 0u64;
    for e in &candidates {
        if applied >= APPLICANTS {
            break;
        }
        let p = applicant(platform, e).await?;
        // The login enterprises state two needs each, the others one.
        let needs = if with_login.contains(&e.uscc) { 2 } else { 1 };
        let mut stated = 0;
        for k in 0..amounts_wan.len() {
            if stated >= needs {
                break;
            }
            let need = Need {
                amount_fen: amounts_wan[(n + k) % amounts_wan.len()] * WAN,
                term_months: [6, 12, 24, 36][(n + k) % 4],
                purpose: PURPOSES[(n + k) % PURPOSES.len()].to_owned(),
                guarantee: GuaranteeType::Credit,
                max_rate_bp: None,
            };
            let ranked = match apps::matches(platform, &p, &need).await {
                Ok(r) => r,
                Err(_) => break,
            };
            if ranked.fits.is_empty() {
                continue;
            }
            // One or two of the best fits.
            let take = 1 + (n % 2);
            let ids: Vec<String> = ranked
                .fits
                .iter()
                .take(take)
                .map(|m| m.product.id.clone())
                .collect();
            let submitted = apps::submit(platform, &p, need, ids, true).await?;
            for app in &submitted {
                let fate = FATES[n % FATES.len()];
                drive(platform, app, fate, n).await?;
                n += 1;
            }
            stated += 1;
        }
        if stated > 0 {
            applied += 1;
        }
    }
    // Expire the lapsed ones and flag the overdue ones to the operators.
    apps::sweep(platform).await?;
    Ok(())
}
