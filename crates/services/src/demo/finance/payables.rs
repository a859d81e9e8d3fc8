//! Demo payables (应付账款): between the demo enterprises that have logins — declared by a
//! supplier and confirmed, disputed or still waiting for the core enterprise; registered
//! directly by a core enterprise (confirmed at once); confirmed ones attached to the suppliers'
//! open demo applications, so the addressed banks see them as 核心企业已确认.

use super::whitelist::principal_of;
use crate::error::ServiceResult;
use crate::finance::payables::{self, NewPayable, OPEN_APPLICATION};
use crate::platform::Platform;
use chrono::Duration;
use xinrong_core::role::Role;
use xinrong_store::repo::applications::{self, Filter};
use xinrong_store::repo::enterprises::{self, EnterpriseFilter};
use xinrong_store::repo::organizations;

const WAN: i64 = 1_000_000;

pub(super) async fn seed(platform: &Platform, seed: u64) -> ServiceResult<()> {
    let conn = &platform.db.conn;
    let mut orgs: Vec<_> = organizations::list(conn, Some(Role::Enterprise.code()))
        .await?
        .into_iter()
        .filter(|o| o.uscc.is_some())
        .collect();
    orgs.sort_by(|a, b| a.uscc.cmp(&b.uscc));
    if orgs.len() < 3 {
        return Ok(());
    }
    let mut ps = Vec::new();
    for o in orgs.iter().take(3) {
        ps.push(principal_of(platform, o, Role::Enterprise).await?);
    }
    let uscc = |i: usize| ps[i].org_uscc.clone().unwrap_or_default();
    let today = crate::objections::today(platform);
    let shift = (seed % 7) as i64;
    let invoices = |n: u64| -> Vec<String> {
        (0..=(n % 3))
            .map(|k| {
                format!(
                    "4100{:08}{:02}",
                    (seed.wrapping_mul(97) + n * 13) % 100_000_000,
                    k
                )
            })
            .collect()
    };
    // (supplier, debtor, amount in 万元, days to due, what the debtor does)
    let plan: [(usize, usize, i64, i64, &str); 7] = [
        (0, 1, 120, 90, "confirm"),
        (0, 1, 85, 120, "confirm"),
        (0, 1, 40, 60, "dispute"),
        (0, 1, 60, 150, "wait"),
        (1, 0, 30, 45, "wait"),
        (2, 0, 75, 100, "confirm"),
        (2, 1, 50, 80, "confirm"),
    ];
    let mut confirmed: Vec<(usize, String)> = Vec::new();
    for (n, (s, d, wan, days, then)) in plan.into_iter().enumerate() {
        let v = payables::declare(
            platform,
            &ps[s],
            NewPayable {
                debtor_uscc: uscc(d),
                supplier_uscc: uscc(s),
                amount_fen: wan * WAN + (n as i64) * 12_345,
                due_on: today + Duration::days(days + shift),
                invoice_refs: invoices(n as u64),
            },
        )
        .await?;
        match then {
            "confirm" => {
                payables::confirm(platform, &ps[d], &v.id).await?;
                confirmed.push((s, v.id));
            }
            "dispute" => {
                payables::dispute(platform, &ps[d], &v.id, "部分货物未通过验收，金额有出入")
                    .await?;
            }
            _ => {}
        }
    }
    // A core enterprise registers what it owes to a supplier without a login (confirmed).
    let others = enterprises::scan_after(conn, &EnterpriseFilter::default(), None, 20).await?;
    if let Some(e) = others.iter().find(|e| {
        !ps.iter()
            .any(|p| p.org_uscc.as_deref() == Some(e.uscc.as_str()))
    }) {
        payables::declare(
            platform,
            &ps[1],
            NewPayable {
                debtor_uscc: uscc(1),
                supplier_uscc: e.uscc.clone(),
                amount_fen: 200 * WAN,
                due_on: today + Duration::days(180),
                invoice_refs: invoices(9),
            },
        )
        .await?;
    }
    // Confirmed payables go onto the suppliers' open applications (one each).
    for (s, id) in confirmed {
        let apps = applications::list(
            conn,
            &Filter {
                subject: Some(uscc(s)),
                statuses: OPEN_APPLICATION.iter().map(|s| s.to_string()).collect(),
                ..Filter::default()
            },
        )
        .await?;
        if let Some(app) = apps.first() {
            payables::attach(platform, &ps[s], &app.id, &id).await?;
        }
    }
    Ok(())
}
