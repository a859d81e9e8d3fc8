//! Demo white list (白名单): about two dozen enterprises in every state — applied (waiting for
//! their government unit), recommended (waiting for the operator), approved, rejected with a
//! reason, removed with a reason, and one re-applied after a rejection — written through the
//! white-list services by the enterprise, its county's (or the city's) government unit and the
//! operator. Deterministic from the seed.

use crate::error::ServiceResult;
use crate::finance::whitelist::{self, Action};
use crate::identity::Principal;
use crate::platform::Platform;
use xinrong_core::access::jurisdiction_covers;
use xinrong_core::role::Role;
use xinrong_store::entity::organization::Model as OrganizationRow;
use xinrong_store::repo::enterprises::{self, EnterpriseFilter};
use xinrong_store::repo::{organizations, users};

/// An organisation's principal, acting as its first user (or "demo" when it has none).
pub(super) async fn principal_of(
    platform: &Platform,
    org: &OrganizationRow,
    role: Role,
) -> ServiceResult<Principal> {
    let user = users::list_by_org(&platform.db.conn, &org.id)
        .await?
        .into_iter()
        .next();
    Ok(Principal {
        user_id: user
            .as_ref()
            .map_or_else(|| "demo".to_owned(), |u| u.id.clone()),
        username: user
            .as_ref()
            .map_or_else(|| "demo".to_owned(), |u| u.username.clone()),
        display_name: "演示".into(),
        org_id: org.id.clone(),
        org_name: org.name.clone(),
        role,
        region_code: org.region_code.clone(),
        org_uscc: org.uscc.clone(),
    })
}

const REASONS: [&str; 4] = [
    "近三年纳税信用 A 级，无失信记录，申请列入白名单以便获得信用贷款支持。",
    "企业为本地重点培育的专精特新企业，经营稳定，申请列入白名单。",
    "企业近年订单增长较快，流动资金需求较大，申请列入白名单。",
    "企业社保缴纳连续、用工稳定，申请列入融资白名单。",
];

pub(super) async fn seed(platform: &Platform, seed: u64) -> ServiceResult<()> {
    let conn = &platform.db.conn;
    let govs = organizations::list(conn, Some(Role::Government.code())).await?;
    let Some(operator_org) = organizations::list(conn, Some(Role::Operator.code()))
        .await?
        .into_iter()
        .next()
    else {
        return Ok(());
    };
    let operator = principal_of(platform, &operator_org, Role::Operator).await?;
    let ents = enterprises::scan_after(conn, &EnterpriseFilter::default(), None, 400).await?;
    if ents.is_empty() {
        return Ok(());
    }
    // Enterprises with a login first (ent-1 …), so the pages show a state at once.
    let enterprise_orgs = organizations::list(conn, Some(Role::Enterprise.code())).await?;
    let mut picks: Vec<usize> = Vec::new();
    for org in &enterprise_orgs {
        if let Some(i) = ents.iter().position(|e| Some(&e.uscc) == org.uscc.as_ref()) {
            picks.push(i);
        }
    }
    // A walk through the directory with a step coprime to its size visits every enterprise.
    let n = ents.len();
    let gcd = |mut a: usize, mut b: usize| {
        while b != 0 {
            (a, b) = (b, a % b);
        }
        a
    };
    let mut step = (seed as usize % 7) + 3;
    while gcd(step, n) != 1 {
        step += 1;
    }
    let start = seed as usize % n;
    for j in 0..n {
        if picks.len() >= 24 {
            break;
        }
        let i = (start + j * step) % n;
        if !picks.contains(&i) {
            picks.push(i);
        }
    }
    for (k, idx) in picks.into_iter().enumerate() {
        let e = &ents[idx];
        let org = enterprise_orgs
            .iter()
            .find(|o| o.uscc.as_deref() == Some(e.uscc.as_str()));
        let applicant = match org {
            Some(o) => principal_of(platform, o, Role::Enterprise).await?,
            None => Principal {
                user_id: "demo".into(),
                username: "demo".into(),
                display_name: "演示".into(),
                org_id: String::new(),
                org_name: e.name.clone(),
                role: Role::Enterprise,
                region_code: Some(e.region_code.clone()),
                org_uscc: Some(e.uscc.clone()),
            },
        };
        // The narrowest government unit whose jurisdiction covers the enterprise.
        let gov = govs
            .iter()
            .filter(|g| {
                g.region_code
                    .as_deref()
                    .is_some_and(|j| jurisdiction_covers(j, &e.region_code))
            })
            .max_by_key(|g| {
                g.region_code
                    .as_deref()
                    .map_or(0, |r| r.trim_end_matches('0').len())
            });
        let reason = REASONS[(k + seed as usize) % REASONS.len()];
        let entry = whitelist::apply(platform, &applicant, reason).await?;
        // ent-1 stays applied so its page shows the waiting state; the others spread out.
        let fate = k % 8;
        if fate == 0 {
            continue;
        }
        let Some(gov) = gov else { continue };
        let gov = principal_of(platform, gov, Role::Government).await?;
        if fate == 7 {
            whitelist::decide(
                platform,
                &operator,
                &entry.id,
                Action::Reject,
                "申请材料不完整，未附近三年财务报表",
            )
            .await?;
            continue;
        }
        whitelist::recommend(
            platform,
            &gov,
            &entry.id,
            "经核实，企业经营正常，同意推荐。",
        )
        .await?;
        match fate {
            1 => {}
            2 => {
                whitelist::decide(
                    platform,
                    &operator,
                    &entry.id,
                    Action::Reject,
                    "企业存在未结清的行政处罚，暂不列入",
                )
                .await?;
                // Re-applied after the rejection, waiting again.
                whitelist::apply(
                    platform,
                    &applicant,
                    "行政处罚已履行完毕，重新申请列入白名单。",
                )
                .await?;
            }
            6 => {
                whitelist::decide(platform, &operator, &entry.id, Action::Approve, "").await?;
                whitelist::decide(
                    platform,
                    &operator,
                    &entry.id,
                    Action::Remove,
                    "企业被列入经营异常名录",
                )
                .await?;
            }
            _ => {
                whitelist::decide(platform, &operator, &entry.id, Action::Approve, "").await?;
            }
        }
    }
    Ok(())
}
