//! Demo loans (获贷明细): about three hundred loans across the institutions, uploaded as one
//! batch file per institution through the batch service (all or nothing), with every guarantee
//! type and flag; then repayments (some partial, some settling the loan) and status changes
//! (overdue, back to normal, default) through the loan services; and disbursements for about
//! half of the approved demo applications, each recorded against its application. Deterministic
//! from the seed.

use super::whitelist::principal_of;
use crate::error::ServiceResult;
use crate::finance::loans::{self, FileFormat, Flags, NewLoan, NewRepayment};
use crate::platform::Platform;
use chrono::Duration;
use xinrong_core::money::Fen;
use xinrong_core::money::rate_text;
use xinrong_core::role::Role;
use xinrong_store::repo::applications::{self, Filter as AppFilter};
use xinrong_store::repo::enterprises::{self, EnterpriseFilter};
use xinrong_store::repo::organizations;

/// Loans in the demo batch files.
const LOANS: usize = 300;
const WAN: i64 = 1_000_000;

/// splitmix64: a small deterministic generator.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

pub(super) async fn seed(platform: &Platform, seed: u64) -> ServiceResult<()> {
    let conn = &platform.db.conn;
    let institutions = organizations::list(conn, Some(Role::Institution.code())).await?;
    let ents = enterprises::scan_after(conn, &EnterpriseFilter::default(), None, 2_000).await?;
    if institutions.is_empty() || ents.is_empty() {
        return Ok(());
    }
    let today = crate::objections::today(platform);
    let mut rng = Rng(seed ^ 0x4C4F_414E);
    let guarantees = ["信用", "抵押", "质押", "保证"];
    let terms = [6i64, 12, 12, 24, 36, 60];
    // One CSV per institution.
    let mut files: Vec<String> = vec![String::new(); institutions.len()];
    for f in files.iter_mut() {
        f.push_str("subject_uscc,contract_no,amount_yuan,rate_percent,term_months,guarantee,pure_credit,first_loan,renewal,no_principal_renewal,disbursed_on\n");
    }
    for n in 0..LOANS {
        let inst = n % institutions.len();
        let e = &ents[rng.below(ents.len() as u64) as usize];
        let g = guarantees[rng.below(4) as usize];
        let pure = g == "信用" && rng.below(3) > 0;
        let renewal = rng.below(5) == 0;
        let npr = renewal && rng.below(2) == 0;
        let first = !renewal && rng.below(4) == 0;
        let amount = (rng.below(40) as i64 + 1) * 50 * WAN / 10; // 5–200 万元
        let rate = 300 + rng.below(36) as i64 * 10; // 3.00%–6.50%
        let term = terms[rng.below(terms.len() as u64) as usize];
        let disbursed = today - Duration::days(3 + rng.below(540) as i64);
        let yes = |b: bool| if b { "是" } else { "否" };
        files[inst].push_str(&format!(
            "{},DEMO-{:02}-{:05},{},{},{},{},{},{},{},{},{}\n",
            e.uscc,
            inst + 1,
            n + 1,
            Fen(amount).yuan_text(),
            rate_text(rate).trim_end_matches('%'),
            term,
            g,
            yes(pure),
            yes(first),
            yes(renewal),
            yes(npr),
            disbursed
        ));
    }
    let mut recorded = Vec::new();
    for (org, file) in institutions.iter().zip(files) {
        let p = principal_of(platform, org, Role::Institution).await?;
        let report = loans::import(platform, &p, FileFormat::Csv, file.as_bytes()).await?;
        for l in report.loans {
            recorded.push((p.clone(), l));
        }
    }
    // Repayments and status changes on a spread of them.
    for (k, (p, l)) in recorded.iter().enumerate() {
        let days = (today - l.disbursed_on).num_days();
        if days < 2 {
            continue;
        }
        let mid = l.disbursed_on + Duration::days(days / 2);
        let interest = l.amount_fen / 10_000 * l.rate_bp / 12;
        match k % 10 {
            // Settled by repaying everything.
            0 | 5 => {
                loans::repay(
                    platform,
                    p,
                    &l.id,
                    NewRepayment {
                        paid_on: Some(mid),
                        principal_fen: l.amount_fen / 2,
                        interest_fen: interest,
                    },
                )
                .await?;
                loans::repay(
                    platform,
                    p,
                    &l.id,
                    NewRepayment {
                        paid_on: Some(today - Duration::days(1)),
                        principal_fen: l.amount_fen - l.amount_fen / 2,
                        interest_fen: interest,
                    },
                )
                .await?;
            }
            // A partial repayment.
            1 | 7 => {
                loans::repay(
                    platform,
                    p,
                    &l.id,
                    NewRepayment {
                        paid_on: Some(mid),
                        principal_fen: l.amount_fen / 4,
                        interest_fen: interest,
                    },
                )
                .await?;
            }
            // Overdue.
            3 if k % 20 == 3 => {
                loans::set_status(platform, p, &l.id, "overdue", "本息逾期 30 天").await?;
            }
            // Overdue, then in default.
            4 if k % 30 == 4 => {
                loans::set_status(platform, p, &l.id, "overdue", "本息逾期 30 天").await?;
                loans::set_status(platform, p, &l.id, "default", "逾期超过 90 天，列为不良")
                    .await?;
            }
            // Overdue, then back to normal.
            8 if k % 40 == 8 => {
                loans::set_status(platform, p, &l.id, "overdue", "利息逾期").await?;
                loans::set_status(platform, p, &l.id, "normal", "已补缴逾期利息").await?;
            }
            _ => {}
        }
    }
    // Disburse about half of the approved applications.
    let approved = applications::list(
        conn,
        &AppFilter {
            statuses: vec!["approved".into()],
            ..AppFilter::default()
        },
    )
    .await?;
    for (k, app) in approved.iter().enumerate() {
        if k % 2 == 1 {
            continue;
        }
        let Some(org) = institutions.iter().find(|o| o.id == app.institution_org_id) else {
            continue;
        };
        let p = principal_of(platform, org, Role::Institution).await?;
        loans::record(
            platform,
            &p,
            NewLoan {
                subject: app.subject.clone(),
                contract_no: format!("DEMO-APP-{:04}", k + 1),
                amount_fen: app.approved_amount_fen.unwrap_or(app.amount_fen),
                rate_bp: 385 + (k as i64 % 5) * 25,
                term_months: i64::from(app.term_months).clamp(1, 360),
                guarantee: "credit".into(),
                flags: Flags {
                    pure_credit: true,
                    first_loan: k % 4 == 0,
                    ..Flags::default()
                },
                disbursed_on: Some(today),
                application_id: Some(app.id.clone()),
            },
        )
        .await?;
    }
    Ok(())
}
