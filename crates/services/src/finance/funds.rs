//! 风险补偿基金 (compensation funds): pools, top-ups, loans registered against a pool, claims and
//! payouts.
//!
//! A government unit (or the operator, naming the managing government unit) creates a fund for
//! its jurisdiction with its rules ([`FundRules`]) and tops it up. An institution registers one
//! of its own loans against a fund it is eligible for (the loan's borrower inside the fund's
//! region, the rules' product / institution / pure-credit conditions met); when the loan is in
//! default it files a claim with documents. The fund's manager (the managing unit or the
//! operator) approves the claim at the computed payout or rejects it with a reason, then pays it
//! out: a payout movement, the balance lowered in the same transaction, never below zero.
//!
//! ```text
//! submitted ──approve (payout computed)──▶ approved ──pay (movement)──▶ paid
//!     └──────reject (reason)──▶ rejected
//! ```
//!
//! **Caps.** Money already held under the caps is what approved and paid claims carry. A claim
//! is refused at filing (`fund.claim_over_cap`) when the loan's or the institution's cap is
//! already exhausted; otherwise it is filed, and at approval its payout is the covered share of
//! the loss bounded by what remains under both caps and by the fund's available balance (the
//! balance less approved, unpaid payouts) — `limited_by` says which bound applied. A payout of
//! zero is never approved.
//!
//! **Who sees what.** The operator every fund; a government unit the funds of its jurisdiction
//! (region prefix), with their balance history; an institution the active funds it may use and
//! any fund it has loans in, with only its own loans and claims. Anyone else gets "not found".

use crate::attachments::{self, Upload};
use crate::error::{ServiceError, ServiceResult};
use crate::identity::Principal;
use crate::notifications::{self, Notice, Recipient};
use crate::objections::Step;
use crate::objections::shared::{
    AttachmentMeta, Names, attachment_meta, check_uploads, listed_attachment, local, required_text,
    steps, store_uploads,
};
use crate::platform::Platform;
use crate::trail::{self, TrailEntry};
use chrono::{DateTime, FixedOffset};
use serde::Serialize;
use xinrong_core::access::jurisdiction_covers;
use xinrong_core::codes::region::region_prefix;
use xinrong_core::finance::fund::{
    self as rules_core, FundRules, Limit, claim_status, movement_kind,
};
use xinrong_core::ids;
use xinrong_core::money::Fen;
use xinrong_core::role::Role;
use xinrong_store::ConnectionTrait;
use xinrong_store::repo::funds::{self as repo, ClaimRow, FundLoanRow, FundRow, MovementRow};
use xinrong_store::repo::{loans, organizations};

pub use xinrong_core::finance::fund::{claim_status as claim, status};

/// Longest fund name.
pub const MAX_NAME_CHARS: usize = 100;

/// A fund as a reader sees it.
#[derive(Debug, Clone, Serialize)]
pub struct FundView {
    pub id: String,
    pub name: String,
    pub region_code: String,
    pub region_name: String,
    pub manager_org_id: String,
    pub manager_name: String,
    pub rules: FundRules,
    /// The rules in plain Chinese.
    pub rules_zh: Vec<String>,
    /// The share covered, e.g. `40%`.
    pub share_text: String,
    pub balance_fen: i64,
    /// e.g. `¥1,000,000.00`.
    pub balance_text: String,
    pub status: String,
    pub status_label: String,
    pub created_at: DateTime<FixedOffset>,
}

/// A movement of the balance.
#[derive(Debug, Clone, Serialize)]
pub struct MovementView {
    pub id: String,
    /// topup or payout.
    pub kind: String,
    pub kind_label: String,
    pub amount_fen: i64,
    pub amount_text: String,
    pub balance_after_fen: i64,
    pub balance_after_text: String,
    pub claim_id: Option<String>,
    pub note: String,
    pub actor_org_id: String,
    pub actor_name: String,
    pub created_at: DateTime<FixedOffset>,
}

/// A loan registered against a fund.
#[derive(Debug, Clone, Serialize)]
pub struct FundLoanView {
    pub loan_id: String,
    pub contract_no: String,
    pub subject: String,
    pub institution_org_id: String,
    pub institution_name: String,
    pub covered_amount_fen: i64,
    pub covered_amount_text: String,
    /// The loan's status now (normal, overdue, default, settled).
    pub loan_status: String,
    /// Paid out on this loan so far.
    pub paid_fen: i64,
    pub registered_at: DateTime<FixedOffset>,
}

/// A claim (代偿申请).
#[derive(Debug, Clone, Serialize)]
pub struct ClaimView {
    pub id: String,
    pub fund_id: String,
    pub loan_id: String,
    pub contract_no: String,
    pub institution_org_id: String,
    pub institution_name: String,
    pub loss_fen: i64,
    pub loss_text: String,
    pub reason: String,
    pub attachment_ids: Vec<String>,
    /// submitted, approved, rejected or paid.
    pub status: String,
    pub status_label: String,
    pub payout_fen: Option<i64>,
    pub payout_text: Option<String>,
    /// share, loan_cap, institution_cap or balance (once approved).
    pub limited_by: Option<String>,
    pub limited_by_label: Option<String>,
    pub review_reason: Option<String>,
    pub reviewed_at: Option<DateTime<FixedOffset>>,
    pub paid_at: Option<DateTime<FixedOffset>>,
    pub created_at: DateTime<FixedOffset>,
}

/// A fund with what the reader may see of it.
#[derive(Debug, Clone, Serialize)]
pub struct FundDetail {
    pub fund: FundView,
    /// Balance history (newest first): government users of the jurisdiction and the operator.
    pub movements: Vec<MovementView>,
    /// Registered loans: all for government and operator, its own for an institution.
    pub loans: Vec<FundLoanView>,
    pub claims: Vec<ClaimView>,
    /// The reader manages the fund (tops up, reviews and pays claims).
    pub can_manage: bool,
    /// The reader is an institution that may register loans and file claims.
    pub can_claim: bool,
    /// Available for new approvals: the balance less approved, unpaid payouts.
    pub available_fen: i64,
    /// For an institution: its loans it could register against this fund now.
    pub registrable: Vec<LoanChoice>,
    /// For an institution: its defaulted loans in this fund without a claim in process.
    pub claimable: Vec<LoanChoice>,
}

/// A loan offered in a form.
#[derive(Debug, Clone, Serialize)]
pub struct LoanChoice {
    pub loan_id: String,
    pub contract_no: String,
    pub subject: String,
    pub amount_fen: i64,
    pub amount_text: String,
    pub status: String,
}

impl LoanChoice {
    fn of(l: &loans::LoanRow) -> LoanChoice {
        LoanChoice {
            loan_id: l.id.clone(),
            contract_no: l.contract_no.clone(),
            subject: l.subject.clone(),
            amount_fen: l.amount_fen,
            amount_text: yuan(l.amount_fen),
            status: l.status.clone(),
        }
    }
}

/// A claim with its timeline and documents.
#[derive(Debug, Clone, Serialize)]
pub struct ClaimDetail {
    pub claim: ClaimView,
    pub timeline: Vec<Step>,
    pub attachments: Vec<AttachmentMeta>,
}

fn yuan(fen: i64) -> String {
    Fen(fen).to_string()
}

fn rules_of(row: &FundRow) -> FundRules {
    serde_json::from_str(&row.rules).unwrap_or(FundRules {
        share_bp: 1,
        cap_per_loan_fen: 0,
        cap_per_institution_fen: 0,
        eligible_product_ids: vec![],
        eligible_institution_org_ids: vec![],
        pure_credit_only: false,
    })
}

fn region_name(code: &str) -> String {
    xinrong_core::codes::region::regions()
        .get(code)
        .map(|r| r.name.to_string())
        .unwrap_or_else(|| code.to_owned())
}

async fn fund_view(
    conn: &impl ConnectionTrait,
    names: &mut Names,
    row: FundRow,
) -> ServiceResult<FundView> {
    let rules = rules_of(&row);
    Ok(FundView {
        manager_name: names.of(conn, &row.manager_org_id).await?,
        region_name: region_name(&row.region_code),
        rules_zh: rules.describe_zh(),
        share_text: rules_core::percent_text(rules.share_bp),
        rules,
        balance_text: yuan(row.balance_fen),
        status_label: status::label_zh(&row.status).to_owned(),
        created_at: local(row.created_at),
        id: row.id,
        name: row.name,
        region_code: row.region_code,
        manager_org_id: row.manager_org_id,
        balance_fen: row.balance_fen,
        status: row.status,
    })
}

async fn movement_view(
    conn: &impl ConnectionTrait,
    names: &mut Names,
    m: MovementRow,
) -> ServiceResult<MovementView> {
    Ok(MovementView {
        kind_label: movement_kind::label_zh(&m.kind).to_owned(),
        amount_text: yuan(m.amount_fen),
        balance_after_text: yuan(m.balance_after_fen),
        actor_name: names.of(conn, &m.actor_org_id).await?,
        created_at: local(m.created_at),
        id: m.id,
        kind: m.kind,
        amount_fen: m.amount_fen,
        balance_after_fen: m.balance_after_fen,
        claim_id: m.claim_id,
        note: m.note,
        actor_org_id: m.actor_org_id,
    })
}

async fn claim_view(
    conn: &impl ConnectionTrait,
    names: &mut Names,
    c: ClaimRow,
) -> ServiceResult<ClaimView> {
    let contract_no = loans::get(conn, &c.loan_id)
        .await?
        .map(|l| l.contract_no)
        .unwrap_or_default();
    let limited = c.limited_by.as_deref().and_then(Limit::parse);
    Ok(ClaimView {
        contract_no,
        institution_name: names.of(conn, &c.institution_org_id).await?,
        loss_text: yuan(c.loss_fen),
        attachment_ids: serde_json::from_str(&c.attachment_ids).unwrap_or_default(),
        status_label: claim_status::label_zh(&c.status).to_owned(),
        payout_text: c.payout_fen.map(yuan),
        limited_by_label: limited.map(|l| l.label_zh().to_owned()),
        reviewed_at: c.reviewed_at.map(local),
        paid_at: c.paid_at.map(local),
        created_at: local(c.created_at),
        id: c.id,
        fund_id: c.fund_id,
        loan_id: c.loan_id,
        institution_org_id: c.institution_org_id,
        loss_fen: c.loss_fen,
        reason: c.reason,
        status: c.status,
        payout_fen: c.payout_fen,
        limited_by: c.limited_by,
        review_reason: c.review_reason,
    })
}

/// How `p` relates to a fund.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Seat {
    /// Operator or the managing unit: sees everything, manages.
    Manager,
    /// A government unit whose jurisdiction covers the fund: sees everything.
    Overseer,
    /// An institution that may use the fund or has loans in it: its own loans and claims.
    Institution,
}

fn eligible_institution(rules: &FundRules, org_id: &str) -> bool {
    rules.eligible_institution_org_ids.is_empty()
        || rules
            .eligible_institution_org_ids
            .iter()
            .any(|i| i == org_id)
}

async fn seat_of(
    conn: &impl ConnectionTrait,
    p: &Principal,
    row: &FundRow,
) -> ServiceResult<Option<Seat>> {
    Ok(match p.role {
        Role::Operator => Some(Seat::Manager),
        Role::Government if p.org_id == row.manager_org_id => Some(Seat::Manager),
        Role::Government
            if p.region_code
                .as_deref()
                .is_some_and(|j| jurisdiction_covers(j, &row.region_code)) =>
        {
            Some(Seat::Overseer)
        }
        Role::Institution => {
            let usable =
                row.status == status::ACTIVE && eligible_institution(&rules_of(row), &p.org_id);
            let has_loans = !repo::loans(conn, &row.id, Some(&p.org_id))
                .await?
                .is_empty();
            (usable || has_loans).then_some(Seat::Institution)
        }
        _ => None,
    })
}

/// Loads a fund `p` may see, with `p`'s seat; "not found" otherwise.
async fn load_visible(
    conn: &impl ConnectionTrait,
    p: &Principal,
    id: &str,
) -> ServiceResult<(FundRow, Seat)> {
    let row = repo::get(conn, id.trim())
        .await?
        .ok_or(ServiceError::NotFound("风险补偿基金"))?;
    match seat_of(conn, p, &row).await? {
        Some(seat) => Ok((row, seat)),
        None => Err(ServiceError::NotFound("风险补偿基金")),
    }
}

fn require_manager(seat: Seat) -> ServiceResult<()> {
    if seat == Seat::Manager {
        Ok(())
    } else {
        Err(ServiceError::Denied {
            code: "fund.not_manager",
            message: "只有基金管理单位或平台运营方可以执行此操作".into(),
        })
    }
}

fn require_institution(p: &Principal, seat: Seat) -> ServiceResult<()> {
    if seat == Seat::Institution && p.role == Role::Institution {
        Ok(())
    } else {
        Err(ServiceError::Denied {
            code: "fund.not_institution",
            message: "只有接入机构可以登记贷款和申请代偿".into(),
        })
    }
}

fn check_amount(amount_fen: i64, code: &'static str, what: &str) -> ServiceResult<()> {
    if amount_fen <= 0 {
        return Err(ServiceError::invalid(code, format!("{what}须大于零")));
    }
    if amount_fen > 100_000_000_000_000 {
        return Err(ServiceError::invalid(code, format!("{what}超过上限")));
    }
    Ok(())
}

fn rules_error(e: rules_core::FundError) -> ServiceError {
    ServiceError::invalid(e.code, e.message)
}

async fn commit(txn: xinrong_store::DatabaseTransaction) -> ServiceResult<()> {
    txn.commit()
        .await
        .map_err(xinrong_store::StoreError::from)?;
    Ok(())
}

fn link(fund_id: &str) -> Option<String> {
    Some(format!("/funds/{fund_id}"))
}

/// What a new fund is.
#[derive(Debug, Clone)]
pub struct NewFund {
    pub name: String,
    /// GB/T 2260; defaults to the managing unit's jurisdiction.
    pub region_code: Option<String>,
    /// The managing government unit; a government creator is always the manager itself.
    pub manager_org_id: Option<String>,
    pub rules: FundRules,
    /// An opening top-up (注资), in fen; 0 for none.
    pub initial_topup_fen: i64,
}

/// A government unit creates a fund for (part of) its jurisdiction, or the operator one for a
/// named government unit.
pub async fn create(platform: &Platform, p: &Principal, new: NewFund) -> ServiceResult<FundView> {
    p.require(&[Role::Government, Role::Operator])?;
    let conn = &platform.db.conn;
    let name = new.name.trim().to_owned();
    if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
        return Err(ServiceError::invalid(
            "fund.name",
            format!("请填写基金名称（不超过 {MAX_NAME_CHARS} 个字）"),
        ));
    }
    new.rules.validate().map_err(rules_error)?;
    let manager = match p.role {
        Role::Government => organizations::get(conn, &p.org_id)
            .await?
            .ok_or(ServiceError::Forbidden)?,
        _ => {
            let id = new.manager_org_id.as_deref().map(str::trim).unwrap_or("");
            let org = organizations::get(conn, id)
                .await?
                .filter(|o| o.kind == "government");
            org.ok_or_else(|| {
                ServiceError::invalid("fund.manager", "请指定管理该基金的政府部门（机构编号）")
            })?
        }
    };
    let jurisdiction = manager.region_code.clone().unwrap_or_default();
    let region = new
        .region_code
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .unwrap_or(&jurisdiction)
        .to_owned();
    if xinrong_core::codes::region::regions()
        .get(&region)
        .is_none()
    {
        return Err(ServiceError::invalid(
            "fund.region",
            format!("未知的行政区划代码：{region}"),
        ));
    }
    if !jurisdiction_covers(&jurisdiction, &region) {
        return Err(ServiceError::invalid(
            "fund.region",
            "基金服务区域须在管理单位的辖区之内",
        ));
    }
    if new.initial_topup_fen < 0 {
        return Err(ServiceError::invalid("fund.amount", "注资金额须大于零"));
    }
    if repo::list(conn, Some(&region))
        .await?
        .iter()
        .any(|f| f.region_code == region && f.name == name)
    {
        return Err(ServiceError::invalid(
            "fund.duplicate",
            "该区域已有同名的风险补偿基金",
        ));
    }
    let now = platform.clock.now_naive();
    let id = ids::new_id().to_string();
    let row = FundRow {
        id: id.clone(),
        name: name.clone(),
        region_code: region.clone(),
        manager_org_id: manager.id.clone(),
        rules: serde_json::to_string(&new.rules).expect("JSON"),
        balance_fen: 0,
        status: status::ACTIVE.to_owned(),
        created_at: now,
        updated_at: now,
    };
    let txn = platform.db.begin().await?;
    repo::insert(&txn, row.clone()).await?;
    trail::append(
        &txn,
        platform,
        TrailEntry {
            kind: "fund.created",
            ref_id: &id,
            subject: None,
            actor_user_id: Some(&p.user_id),
            actor_org_id: Some(&p.org_id),
            body: serde_json::json!({
                "name": name, "region_code": region, "manager_org_id": manager.id,
                "rules": new.rules,
            }),
        },
    )
    .await?;
    if p.org_id != manager.id {
        notifications::notify(
            &txn,
            platform,
            Notice {
                recipient: Recipient::Org(manager.id.clone()),
                kind: "fund.created",
                title: format!("风险补偿基金已设立：{name}"),
                body: "平台运营方已为贵单位设立风险补偿基金，请核对基金规则并注资。".into(),
                link: link(&id),
            },
        )
        .await?;
    }
    commit(txn).await?;
    if new.initial_topup_fen > 0 {
        topup(platform, p, &id, new.initial_topup_fen, "初始注资").await?;
    }
    let row = repo::get(conn, &id)
        .await?
        .ok_or(ServiceError::NotFound("风险补偿基金"))?;
    fund_view(conn, &mut Names::default(), row).await
}

/// The manager tops a fund up (注资): a movement and the new balance, one transaction.
pub async fn topup(
    platform: &Platform,
    p: &Principal,
    fund_id: &str,
    amount_fen: i64,
    note: &str,
) -> ServiceResult<MovementView> {
    let conn = &platform.db.conn;
    let (fund, seat) = load_visible(conn, p, fund_id).await?;
    require_manager(seat)?;
    check_amount(amount_fen, "fund.amount", "注资金额")?;
    if fund.status != status::ACTIVE {
        return Err(ServiceError::invalid("fund.closed", "基金已关闭，不能注资"));
    }
    let note = note.trim().chars().take(500).collect::<String>();
    let now = platform.clock.now_naive();
    let txn = platform.db.begin().await?;
    let after = repo::add_to_balance(&txn, &fund.id, amount_fen, now)
        .await?
        .ok_or_else(|| ServiceError::invalid("fund.closed", "基金已关闭，不能注资"))?;
    let m = MovementRow {
        id: ids::new_id().to_string(),
        fund_id: fund.id.clone(),
        kind: movement_kind::TOPUP.to_owned(),
        amount_fen,
        balance_after_fen: after,
        claim_id: None,
        note: if note.is_empty() {
            "注资".into()
        } else {
            note
        },
        actor_user_id: p.user_id.clone(),
        actor_org_id: p.org_id.clone(),
        created_at: now,
    };
    repo::insert_movement(&txn, m.clone()).await?;
    trail::append(
        &txn,
        platform,
        TrailEntry {
            kind: "fund.topup",
            ref_id: &fund.id,
            subject: None,
            actor_user_id: Some(&p.user_id),
            actor_org_id: Some(&p.org_id),
            body: serde_json::json!({
                "movement_id": m.id, "amount_fen": amount_fen, "balance_after_fen": after,
                "note": m.note,
            }),
        },
    )
    .await?;
    let recipient = if p.role == Role::Operator {
        Recipient::Org(fund.manager_org_id.clone())
    } else {
        Recipient::Operators
    };
    notifications::notify(
        &txn,
        platform,
        Notice {
            recipient,
            kind: "fund.topup",
            title: format!("基金注资：{}", fund.name),
            body: format!(
                "“{}”注资 {}，当前余额 {}。",
                fund.name,
                yuan(amount_fen),
                yuan(after)
            ),
            link: link(&fund.id),
        },
    )
    .await?;
    commit(txn).await?;
    movement_view(conn, &mut Names::default(), m).await
}

/// Funds `p` may see: the operator all, a government unit its jurisdiction's, an institution
/// the active funds open to it and those it has loans in.
pub async fn list(platform: &Platform, p: &Principal) -> ServiceResult<Vec<FundView>> {
    let conn = &platform.db.conn;
    let rows = match p.role {
        Role::Operator => repo::list(conn, None).await?,
        Role::Government => {
            let j = p.region_code.clone().unwrap_or_default();
            let prefix = region_prefix(&j);
            if prefix.is_empty() {
                Vec::new()
            } else {
                repo::list(conn, Some(&prefix)).await?
            }
        }
        Role::Institution => repo::list(conn, None).await?,
        _ => return Err(ServiceError::Forbidden),
    };
    let mut names = Names::default();
    let mut out = Vec::new();
    for row in rows {
        if seat_of(conn, p, &row).await?.is_some() {
            out.push(fund_view(conn, &mut names, row).await?);
        }
    }
    Ok(out)
}

/// Every fund, for the CLI (which has the database and every right).
pub async fn list_all(platform: &Platform) -> ServiceResult<Vec<FundView>> {
    let conn = &platform.db.conn;
    let mut names = Names::default();
    let mut out = Vec::new();
    for row in repo::list(conn, None).await? {
        out.push(fund_view(conn, &mut names, row).await?);
    }
    Ok(out)
}

/// Sum of `payout_fen` over claims in `statuses`.
fn sum_payouts<'a>(claims: impl IntoIterator<Item = &'a ClaimRow>, statuses: &[&str]) -> i64 {
    claims
        .into_iter()
        .filter(|c| statuses.contains(&c.status.as_str()))
        .filter_map(|c| c.payout_fen)
        .fold(0i64, i64::saturating_add)
}

const HELD: &[&str] = &[claim_status::APPROVED, claim_status::PAID];

async fn detail_of(
    conn: &impl ConnectionTrait,
    p: &Principal,
    fund: FundRow,
    seat: Seat,
) -> ServiceResult<FundDetail> {
    let mut names = Names::default();
    let own = (seat == Seat::Institution).then_some(p.org_id.as_str());
    let all_claims = repo::claims(conn, &fund.id, None, None).await?;
    let approved_unpaid = sum_payouts(&all_claims, &[claim_status::APPROVED]);
    let movements = if seat == Seat::Institution {
        Vec::new()
    } else {
        let mut out = Vec::new();
        for m in repo::movements(conn, &fund.id).await? {
            out.push(movement_view(conn, &mut names, m).await?);
        }
        out
    };
    let mut loans_out = Vec::new();
    for l in repo::loans(conn, &fund.id, own).await? {
        let loan = loans::get(conn, &l.loan_id).await?;
        let paid = sum_payouts(
            all_claims.iter().filter(|c| c.loan_id == l.loan_id),
            &[claim_status::PAID],
        );
        loans_out.push(fund_loan_view(conn, &mut names, l, loan, paid).await?);
    }
    let mut claims = Vec::new();
    for c in all_claims {
        if own.is_none_or(|o| o == c.institution_org_id) {
            claims.push(claim_view(conn, &mut names, c).await?);
        }
    }
    let available_fen = fund.balance_fen.saturating_sub(approved_unpaid).max(0);
    let (mut registrable, mut claimable) = (Vec::new(), Vec::new());
    if seat == Seat::Institution && fund.status == status::ACTIVE {
        let rules = rules_of(&fund);
        let mine = loans::list(
            conn,
            &loans::Filter {
                institution_org_id: Some(p.org_id.clone()),
                limit: Some(2_000),
                ..loans::Filter::default()
            },
        )
        .await?;
        for l in &mine {
            match repo::loan_registration(conn, &l.id).await? {
                None => {
                    if (l.status == "normal" || l.status == "overdue")
                        && jurisdiction_covers(&fund.region_code, &l.region_code)
                        && rules
                            .check_loan(&p.org_id, l.product_id.as_deref(), l.pure_credit)
                            .is_ok()
                    {
                        registrable.push(LoanChoice::of(l));
                    }
                }
                Some(r) if r.fund_id == fund.id && l.status == "default" => {
                    let open = claims.iter().any(|c| {
                        c.loan_id == l.id
                            && (c.status == claim_status::SUBMITTED
                                || c.status == claim_status::APPROVED)
                    });
                    if !open {
                        claimable.push(LoanChoice::of(l));
                    }
                }
                Some(_) => {}
            }
        }
    }
    Ok(FundDetail {
        registrable,
        claimable,
        can_manage: seat == Seat::Manager,
        can_claim: seat == Seat::Institution && fund.status == status::ACTIVE,
        fund: fund_view(conn, &mut names, fund).await?,
        movements,
        loans: loans_out,
        claims,
        available_fen,
    })
}

async fn fund_loan_view(
    conn: &impl ConnectionTrait,
    names: &mut Names,
    l: FundLoanRow,
    loan: Option<loans::LoanRow>,
    paid_fen: i64,
) -> ServiceResult<FundLoanView> {
    Ok(FundLoanView {
        contract_no: loan
            .as_ref()
            .map(|l| l.contract_no.clone())
            .unwrap_or_default(),
        loan_status: loan.as_ref().map(|l| l.status.clone()).unwrap_or_default(),
        institution_name: names.of(conn, &l.institution_org_id).await?,
        covered_amount_text: yuan(l.covered_amount_fen),
        registered_at: local(l.registered_at),
        paid_fen,
        loan_id: l.loan_id,
        subject: l.subject,
        institution_org_id: l.institution_org_id,
        covered_amount_fen: l.covered_amount_fen,
    })
}

/// One fund with its history, loans and claims as `p` may see them.
pub async fn detail(platform: &Platform, p: &Principal, id: &str) -> ServiceResult<FundDetail> {
    let conn = &platform.db.conn;
    let (fund, seat) = load_visible(conn, p, id).await?;
    detail_of(conn, p, fund, seat).await
}

/// One fund with everything, for the CLI.
pub async fn detail_all(platform: &Platform, id: &str) -> ServiceResult<FundDetail> {
    let conn = &platform.db.conn;
    let fund = repo::get(conn, id.trim())
        .await?
        .ok_or(ServiceError::NotFound("风险补偿基金"))?;
    let operator = Principal {
        user_id: String::new(),
        username: String::new(),
        display_name: String::new(),
        org_id: String::new(),
        org_name: String::new(),
        role: Role::Operator,
        region_code: None,
        org_uscc: None,
    };
    detail_of(conn, &operator, fund, Seat::Manager).await
}

/// An institution registers one of its loans against a fund (入池). Registering the same loan
/// again in the same fund answers the existing registration.
pub async fn register_loan(
    platform: &Platform,
    p: &Principal,
    fund_id: &str,
    loan_id: &str,
) -> ServiceResult<FundLoanView> {
    let conn = &platform.db.conn;
    let (fund, seat) = load_visible(conn, p, fund_id).await?;
    require_institution(p, seat)?;
    let loan = loans::get(conn, loan_id.trim())
        .await?
        .filter(|l| l.institution_org_id == p.org_id)
        .ok_or(ServiceError::NotFound("贷款"))?;
    let mut names = Names::default();
    if let Some(existing) = repo::loan_registration(conn, &loan.id).await? {
        if existing.fund_id == fund.id {
            let paid = 0;
            return fund_loan_view(conn, &mut names, existing, Some(loan), paid).await;
        }
        return Err(ServiceError::invalid(
            "fund.loan_registered_elsewhere",
            "该贷款已登记在其他风险补偿基金中，一笔贷款只能登记一个基金",
        ));
    }
    if fund.status != status::ACTIVE {
        return Err(ServiceError::invalid(
            "fund.closed",
            "基金已关闭，不能登记贷款",
        ));
    }
    if loan.status == "settled" || loan.status == "default" {
        return Err(ServiceError::invalid(
            "fund.loan_state",
            "已结清或已违约的贷款不能登记入池（须在发放后、违约前登记）",
        ));
    }
    if !jurisdiction_covers(&fund.region_code, &loan.region_code) {
        return Err(ServiceError::invalid(
            "fund.loan_region",
            format!(
                "借款企业不在基金服务区域（{}）内",
                region_name(&fund.region_code)
            ),
        ));
    }
    rules_of(&fund)
        .check_loan(&p.org_id, loan.product_id.as_deref(), loan.pure_credit)
        .map_err(rules_error)?;
    let now = platform.clock.now_naive();
    let row = FundLoanRow {
        id: ids::new_id().to_string(),
        fund_id: fund.id.clone(),
        loan_id: loan.id.clone(),
        institution_org_id: p.org_id.clone(),
        subject: loan.subject.clone(),
        covered_amount_fen: loan.amount_fen,
        registered_by_user_id: p.user_id.clone(),
        registered_at: now,
    };
    let txn = platform.db.begin().await?;
    repo::insert_loan(&txn, row.clone()).await?;
    trail::append(
        &txn,
        platform,
        TrailEntry {
            kind: "fund.loan_registered",
            ref_id: &fund.id,
            subject: Some(&loan.subject),
            actor_user_id: Some(&p.user_id),
            actor_org_id: Some(&p.org_id),
            body: serde_json::json!({
                "loan_id": loan.id, "contract_no": loan.contract_no,
                "covered_amount_fen": loan.amount_fen,
            }),
        },
    )
    .await?;
    notifications::notify(
        &txn,
        platform,
        Notice {
            recipient: Recipient::Org(fund.manager_org_id.clone()),
            kind: "fund.loan_registered",
            title: format!("贷款入池：{}", fund.name),
            body: format!(
                "{}登记贷款（合同号 {}，金额 {}）入池。",
                p.org_name,
                loan.contract_no,
                yuan(loan.amount_fen)
            ),
            link: link(&fund.id),
        },
    )
    .await?;
    commit(txn).await?;
    fund_loan_view(conn, &mut names, row, Some(loan), 0).await
}

/// What an institution files.
#[derive(Debug, Clone, Default)]
pub struct ClaimFiling {
    pub loan_id: String,
    pub loss_fen: i64,
    pub reason: String,
    pub attachments: Vec<Upload>,
}

/// An institution claims on a defaulted loan registered against the fund, with documents.
pub async fn file_claim(
    platform: &Platform,
    p: &Principal,
    fund_id: &str,
    filing: ClaimFiling,
) -> ServiceResult<ClaimView> {
    let conn = &platform.db.conn;
    let (fund, seat) = load_visible(conn, p, fund_id).await?;
    require_institution(p, seat)?;
    let loan = loans::get(conn, filing.loan_id.trim())
        .await?
        .filter(|l| l.institution_org_id == p.org_id)
        .ok_or(ServiceError::NotFound("贷款"))?;
    let registration = repo::loan_registration(conn, &loan.id)
        .await?
        .filter(|r| r.fund_id == fund.id)
        .ok_or_else(|| {
            ServiceError::invalid(
                "fund.loan_not_registered",
                "该贷款未登记在本风险补偿基金中，不能申请代偿",
            )
        })?;
    if fund.status != status::ACTIVE {
        return Err(ServiceError::invalid(
            "fund.closed",
            "基金已关闭，不受理代偿申请",
        ));
    }
    if loan.status != "default" {
        return Err(ServiceError::invalid(
            "fund.loan_not_default",
            "只有已违约（default）的贷款可以申请代偿",
        ));
    }
    check_amount(filing.loss_fen, "fund.claim_loss", "损失金额")?;
    if filing.loss_fen > registration.covered_amount_fen {
        return Err(ServiceError::invalid(
            "fund.claim_loss",
            format!(
                "损失金额不能超过入池贷款金额 {}",
                yuan(registration.covered_amount_fen)
            ),
        ));
    }
    let reason = required_text(&filing.reason, "fund.claim_reason", "代偿申请理由")?;
    if filing.attachments.is_empty() {
        return Err(ServiceError::invalid(
            "fund.claim_documents",
            "请附上违约及追偿证明材料（PDF、JPEG 或 PNG）",
        ));
    }
    check_uploads(&filing.attachments)?;
    let claims = repo::claims(conn, &fund.id, Some(&p.org_id), None).await?;
    if claims.iter().any(|c| {
        c.loan_id == loan.id
            && (c.status == claim_status::SUBMITTED || c.status == claim_status::APPROVED)
    }) {
        return Err(ServiceError::invalid(
            "fund.claim_open",
            "该贷款已有处理中的代偿申请",
        ));
    }
    let rules = rules_of(&fund);
    let held_loan = sum_payouts(claims.iter().filter(|c| c.loan_id == loan.id), HELD);
    let held_inst = sum_payouts(&claims, HELD);
    if rules.remaining_cap(held_loan, held_inst) == 0 {
        let which = if rules.cap_per_loan_fen <= held_loan {
            format!("单笔贷款代偿上限 {}", yuan(rules.cap_per_loan_fen))
        } else {
            format!("本机构代偿上限 {}", yuan(rules.cap_per_institution_fen))
        };
        return Err(ServiceError::invalid(
            "fund.claim_over_cap",
            format!(
                "已达{which}（已核准或已拨付 {}），不能再申请代偿",
                yuan(held_loan.max(held_inst))
            ),
        ));
    }
    let now = platform.clock.now_naive();
    let id = ids::new_id().to_string();
    let txn = platform.db.begin().await?;
    let attachment_ids = store_uploads(&txn, platform, p, filing.attachments).await?;
    let row = ClaimRow {
        id: id.clone(),
        fund_id: fund.id.clone(),
        loan_id: loan.id.clone(),
        institution_org_id: p.org_id.clone(),
        loss_fen: filing.loss_fen,
        reason: reason.clone(),
        attachment_ids: serde_json::to_string(&attachment_ids).expect("JSON"),
        status: claim_status::SUBMITTED.to_owned(),
        payout_fen: None,
        limited_by: None,
        filed_by_user_id: p.user_id.clone(),
        reviewer_user_id: None,
        reviewer_org_id: None,
        review_reason: None,
        reviewed_at: None,
        paid_by_user_id: None,
        paid_at: None,
        created_at: now,
        updated_at: now,
    };
    repo::insert_claim(&txn, row.clone()).await?;
    trail::append(
        &txn,
        platform,
        TrailEntry {
            kind: "fund.claim_filed",
            ref_id: &id,
            subject: Some(&loan.subject),
            actor_user_id: Some(&p.user_id),
            actor_org_id: Some(&p.org_id),
            body: serde_json::json!({
                "fund_id": fund.id, "loan_id": loan.id, "loss_fen": filing.loss_fen,
                "reason": reason, "attachment_ids": attachment_ids,
            }),
        },
    )
    .await?;
    notifications::notify(
        &txn,
        platform,
        Notice {
            recipient: Recipient::Org(fund.manager_org_id.clone()),
            kind: "fund.claim_filed",
            title: format!("收到代偿申请：{}", fund.name),
            body: format!(
                "{}就贷款（合同号 {}）申请代偿，损失金额 {}，请审核。",
                p.org_name,
                loan.contract_no,
                yuan(filing.loss_fen)
            ),
            link: link(&fund.id),
        },
    )
    .await?;
    commit(txn).await?;
    claim_view(conn, &mut Names::default(), row).await
}

/// Loads a claim of a fund `p` may see (an institution only its own).
async fn load_claim(
    conn: &impl ConnectionTrait,
    p: &Principal,
    fund_id: &str,
    claim_id: &str,
) -> ServiceResult<(FundRow, Seat, ClaimRow)> {
    let (fund, seat) = load_visible(conn, p, fund_id).await?;
    let claim = repo::get_claim(conn, claim_id.trim())
        .await?
        .filter(|c| c.fund_id == fund.id)
        .filter(|c| seat != Seat::Institution || c.institution_org_id == p.org_id)
        .ok_or(ServiceError::NotFound("代偿申请"))?;
    Ok((fund, seat, claim))
}

fn wrong_state(c: &ClaimRow, action: &str) -> ServiceError {
    ServiceError::invalid(
        "fund.claim_state",
        format!(
            "代偿申请当前状态为“{}”，不能{action}",
            claim_status::label_zh(&c.status)
        ),
    )
}

fn changed_meanwhile() -> ServiceError {
    ServiceError::invalid(
        "fund.claim_state",
        "代偿申请状态已被其他操作改变，请刷新后重试",
    )
}

/// The manager approves a submitted claim at the computed payout (see the module's caps).
pub async fn approve(
    platform: &Platform,
    p: &Principal,
    fund_id: &str,
    claim_id: &str,
    note: &str,
) -> ServiceResult<ClaimView> {
    let conn = &platform.db.conn;
    let (fund, seat, mut claim) = load_claim(conn, p, fund_id, claim_id).await?;
    require_manager(seat)?;
    if claim.status != claim_status::SUBMITTED {
        return Err(wrong_state(&claim, "核准"));
    }
    let rules = rules_of(&fund);
    let others = repo::claims(conn, &fund.id, Some(&claim.institution_org_id), None).await?;
    let held_loan = sum_payouts(others.iter().filter(|c| c.loan_id == claim.loan_id), HELD);
    let held_inst = sum_payouts(&others, HELD);
    let all = repo::claims(conn, &fund.id, None, None).await?;
    let available = fund
        .balance_fen
        .saturating_sub(sum_payouts(&all, &[claim_status::APPROVED]))
        .max(0);
    let pay = rules_core::payout(claim.loss_fen, &rules, held_loan, held_inst, available);
    if pay.amount_fen == 0 {
        return Err(match pay.limited_by {
            Limit::Balance => ServiceError::invalid(
                "fund.insufficient_balance",
                "基金可用余额不足，请先注资后再核准",
            ),
            _ => ServiceError::invalid(
                "fund.claim_over_cap",
                "该贷款或本机构的代偿额度已用尽，只能驳回",
            ),
        });
    }
    let note = note.trim().chars().take(2_000).collect::<String>();
    let now = platform.clock.now_naive();
    claim.status = claim_status::APPROVED.to_owned();
    claim.payout_fen = Some(pay.amount_fen);
    claim.limited_by = Some(pay.limited_by.code().to_owned());
    claim.reviewer_user_id = Some(p.user_id.clone());
    claim.reviewer_org_id = Some(p.org_id.clone());
    claim.review_reason = (!note.is_empty()).then_some(note.clone());
    claim.reviewed_at = Some(now);
    claim.updated_at = now;
    let txn = platform.db.begin().await?;
    if !repo::update_claim_if(&txn, claim.clone(), claim_status::SUBMITTED).await? {
        return Err(changed_meanwhile());
    }
    trail::append(
        &txn,
        platform,
        TrailEntry {
            kind: "fund.claim_approved",
            ref_id: &claim.id,
            subject: None,
            actor_user_id: Some(&p.user_id),
            actor_org_id: Some(&p.org_id),
            body: serde_json::json!({
                "fund_id": fund.id, "payout_fen": pay.amount_fen,
                "limited_by": pay.limited_by.code(), "note": note,
            }),
        },
    )
    .await?;
    notifications::notify(
        &txn,
        platform,
        Notice {
            recipient: Recipient::Org(claim.institution_org_id.clone()),
            kind: "fund.claim_approved",
            title: format!("代偿申请已核准：{}", fund.name),
            body: format!(
                "代偿金额 {}（{}），待拨付。",
                yuan(pay.amount_fen),
                pay.limited_by.label_zh()
            ),
            link: link(&fund.id),
        },
    )
    .await?;
    commit(txn).await?;
    claim_view(conn, &mut Names::default(), claim).await
}

/// The manager rejects a submitted claim, with a reason.
pub async fn reject(
    platform: &Platform,
    p: &Principal,
    fund_id: &str,
    claim_id: &str,
    reason: &str,
) -> ServiceResult<ClaimView> {
    let conn = &platform.db.conn;
    let (fund, seat, mut claim) = load_claim(conn, p, fund_id, claim_id).await?;
    require_manager(seat)?;
    if claim.status != claim_status::SUBMITTED {
        return Err(wrong_state(&claim, "驳回"));
    }
    let reason = required_text(reason, "fund.reason_required", "驳回理由")?;
    let now = platform.clock.now_naive();
    claim.status = claim_status::REJECTED.to_owned();
    claim.reviewer_user_id = Some(p.user_id.clone());
    claim.reviewer_org_id = Some(p.org_id.clone());
    claim.review_reason = Some(reason.clone());
    claim.reviewed_at = Some(now);
    claim.updated_at = now;
    let txn = platform.db.begin().await?;
    if !repo::update_claim_if(&txn, claim.clone(), claim_status::SUBMITTED).await? {
        return Err(changed_meanwhile());
    }
    trail::append(
        &txn,
        platform,
        TrailEntry {
            kind: "fund.claim_rejected",
            ref_id: &claim.id,
            subject: None,
            actor_user_id: Some(&p.user_id),
            actor_org_id: Some(&p.org_id),
            body: serde_json::json!({ "fund_id": fund.id, "reason": reason }),
        },
    )
    .await?;
    notifications::notify(
        &txn,
        platform,
        Notice {
            recipient: Recipient::Org(claim.institution_org_id.clone()),
            kind: "fund.claim_rejected",
            title: format!("代偿申请未通过：{}", fund.name),
            body: format!("理由：{reason}"),
            link: link(&fund.id),
        },
    )
    .await?;
    commit(txn).await?;
    claim_view(conn, &mut Names::default(), claim).await
}

/// The manager pays an approved claim: the claim becomes paid, the balance drops by the payout
/// and a payout movement is written, all in one transaction; refused (nothing changed) when the
/// balance would go below zero or the claim was paid already.
pub async fn pay(
    platform: &Platform,
    p: &Principal,
    fund_id: &str,
    claim_id: &str,
) -> ServiceResult<ClaimView> {
    let conn = &platform.db.conn;
    let (fund, seat, mut claim) = load_claim(conn, p, fund_id, claim_id).await?;
    require_manager(seat)?;
    if claim.status != claim_status::APPROVED {
        return Err(wrong_state(&claim, "拨付"));
    }
    let amount = claim.payout_fen.unwrap_or(0);
    if amount <= 0 {
        return Err(wrong_state(&claim, "拨付"));
    }
    let contract_no = loans::get(conn, &claim.loan_id)
        .await?
        .map(|l| l.contract_no)
        .unwrap_or_default();
    let now = platform.clock.now_naive();
    claim.status = claim_status::PAID.to_owned();
    claim.paid_by_user_id = Some(p.user_id.clone());
    claim.paid_at = Some(now);
    claim.updated_at = now;
    let txn = platform.db.begin().await?;
    if !repo::update_claim_if(&txn, claim.clone(), claim_status::APPROVED).await? {
        return Err(changed_meanwhile());
    }
    let Some(after) = repo::add_to_balance(&txn, &fund.id, -amount, now).await? else {
        // Dropping the transaction rolls the claim back to approved.
        return Err(ServiceError::invalid(
            "fund.insufficient_balance",
            format!(
                "基金余额 {} 不足以拨付 {}，请先注资",
                yuan(fund.balance_fen),
                yuan(amount)
            ),
        ));
    };
    let m = MovementRow {
        id: ids::new_id().to_string(),
        fund_id: fund.id.clone(),
        kind: movement_kind::PAYOUT.to_owned(),
        amount_fen: amount,
        balance_after_fen: after,
        claim_id: Some(claim.id.clone()),
        note: format!("代偿拨付（合同号 {contract_no}）"),
        actor_user_id: p.user_id.clone(),
        actor_org_id: p.org_id.clone(),
        created_at: now,
    };
    repo::insert_movement(&txn, m.clone()).await?;
    trail::append(
        &txn,
        platform,
        TrailEntry {
            kind: "fund.claim_paid",
            ref_id: &claim.id,
            subject: None,
            actor_user_id: Some(&p.user_id),
            actor_org_id: Some(&p.org_id),
            body: serde_json::json!({
                "fund_id": fund.id, "movement_id": m.id, "amount_fen": amount,
                "balance_after_fen": after,
            }),
        },
    )
    .await?;
    notifications::notify(
        &txn,
        platform,
        Notice {
            recipient: Recipient::Org(claim.institution_org_id.clone()),
            kind: "fund.claim_paid",
            title: format!("代偿款已拨付：{}", fund.name),
            body: format!("已拨付代偿款 {}。", yuan(amount)),
            link: link(&fund.id),
        },
    )
    .await?;
    commit(txn).await?;
    claim_view(conn, &mut Names::default(), claim).await
}

/// A claim's step label.
pub fn step_label(kind: &str) -> &'static str {
    match kind {
        "fund.claim_filed" => "机构申请代偿",
        "fund.claim_approved" => "基金管理单位核准",
        "fund.claim_rejected" => "基金管理单位驳回",
        "fund.claim_paid" => "代偿款已拨付",
        _ => "其他",
    }
}

/// One claim with its timeline and documents.
pub async fn claim_detail(
    platform: &Platform,
    p: &Principal,
    fund_id: &str,
    claim_id: &str,
) -> ServiceResult<ClaimDetail> {
    let conn = &platform.db.conn;
    let (_, _, claim) = load_claim(conn, p, fund_id, claim_id).await?;
    let mut timeline = steps(trail::for_ref(conn, &claim.id).await?);
    for s in &mut timeline {
        s.label = step_label(&s.kind).to_owned();
    }
    let attachments = attachment_meta(conn, &claim.attachment_ids).await?;
    Ok(ClaimDetail {
        claim: claim_view(conn, &mut Names::default(), claim).await?,
        timeline,
        attachments,
    })
}

/// A document of a claim, for a reader of the claim.
pub async fn claim_attachment(
    platform: &Platform,
    p: &Principal,
    fund_id: &str,
    claim_id: &str,
    attachment_id: &str,
) -> ServiceResult<attachments::AttachmentRow> {
    let conn = &platform.db.conn;
    let (_, _, claim) = load_claim(conn, p, fund_id, claim_id).await?;
    listed_attachment(conn, &claim.attachment_ids, attachment_id).await
}

/// The principal the CLI acts as for `--as ORG` (organisation ID or USCC): the organisation's
/// first active user, so trail entries and movements name a real user.
pub async fn principal_for_org(platform: &Platform, org: &str) -> ServiceResult<Principal> {
    let conn = &platform.db.conn;
    let org = org.trim();
    let row = match organizations::get(conn, org).await? {
        Some(o) => o,
        None => organizations::list(conn, None)
            .await?
            .into_iter()
            .find(|o| o.uscc.as_deref() == Some(org.to_uppercase().as_str()))
            .ok_or(ServiceError::NotFound("机构"))?,
    };
    let role = row
        .kind
        .parse::<Role>()
        .map_err(|_| ServiceError::NotFound("机构"))?;
    let user = xinrong_store::repo::users::list_by_org(conn, &row.id)
        .await?
        .into_iter()
        .find(|u| !u.disabled)
        .ok_or_else(|| ServiceError::invalid("fund.no_user", "该机构没有可用的用户"))?;
    Ok(Principal {
        user_id: user.id,
        username: user.username,
        display_name: user.display_name,
        org_id: row.id,
        org_name: row.name,
        role,
        region_code: row.region_code,
        org_uscc: row.uscc,
    })
}
