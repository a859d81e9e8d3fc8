//! 一键式融资 (one-click financing applications): the enterprise states its need once
//! ([`Need`]: amount, term, purpose, guarantee, acceptable rate), sees the listed products that
//! fit ranked with their reasons ([`crate::finance::matching::rank`]), picks one or many and
//! submits them in one step ([`submit`]): one transaction writes the need, one application per
//! product (addressed to the product's institution) and, for each product that needs
//! authorized items, an online authorization to that institution for those items and the
//! product's purpose (充分告知 on the confirm page: [`preview`]); each institution and the
//! enterprise are notified and every application's trail starts with `application.submitted`.
//!
//! The status machine is [`xinrong_core::finance::application`]: the addressed institution
//! accepts (受理), starts the review, approves or rejects (a reason is required) and disburses
//! when it records the loan ([`disburse_in`], called by the loans' transaction); the enterprise
//! withdraws while nothing is decided; the platform's [`sweep`] flags applications past a
//! service deadline to the operators (once per deadline) and expires undecided applications
//! `expire_workdays` working days after submission. Every step is one transaction whose
//! UPDATE is guarded by the status it starts from, so two concurrent steps cannot both win
//! (`application.state`); the trail is the timeline (进度跟踪, [`detail`]).
//!
//! An application is visible to its enterprise, its institution, the operator and the
//! government units whose jurisdiction contains the enterprise; anyone else gets not found.
//! A retried submission (same enterprise, same need, same products, while its applications are
//! in progress) finds the applications it made — `(need_id, product_id)` is unique — and grants
//! no second authorization.

mod read;

pub use read::{
    ApplicationDetail, ApplicationView, ListQuery, NeedView, detail, list, list_all, step_label,
    timeline,
};

use crate::authorizations::{self, GrantRequest};
use crate::error::{ServiceError, ServiceResult};
use crate::finance::matching::{self, MatchReason, Ranked};
use crate::finance::products::ProductView;
use crate::identity::Principal;
use crate::notifications::{self, Notice, Recipient};
use crate::objections::{local, today};
use crate::platform::Platform;
use crate::trail::{self, TrailEntry};
use chrono::{Duration, NaiveDateTime};
use sea_orm::TransactionTrait;
use serde::Serialize;
use xinrong_core::finance::application::{self as rules, Action, Party, Status};
use xinrong_core::finance::product::{Need, wan};
use xinrong_core::ids;
use xinrong_core::role::Role;
use xinrong_store::ConnectionTrait;
use xinrong_store::StoreError;
use xinrong_store::repo::applications::{self as repo, ApplicationRow, Filter, NeedRow};
use xinrong_store::repo::products;

/// Most products one submission may pick.
pub const MAX_PRODUCTS: usize = 10;
/// Validity of the authorization granted with an application, in days.
pub const AUTHORIZATION_DAYS: i64 = 180;
/// Longest rejection reason.
pub const MAX_REASON_CHARS: usize = 500;

fn store_err(err: sea_orm::DbErr) -> ServiceError {
    ServiceError::Store(StoreError::from(err))
}

fn link(id: &str) -> Option<String> {
    Some(format!("/applications/{id}"))
}

/// The enterprise `p` acts for.
fn applicant(p: &Principal) -> ServiceResult<String> {
    match (&p.role, &p.org_uscc) {
        (Role::Enterprise, Some(uscc)) => Ok(uscc.clone()),
        _ => Err(ServiceError::Denied {
            code: "application.not_applicant",
            message: "只有企业用户可以为本企业申请融资".into(),
        }),
    }
}

/// An authorization that goes with an application: what the confirm page states (充分告知).
#[derive(Debug, Clone, Serialize)]
pub struct AuthorizationNotice {
    pub product_id: String,
    pub product_name: String,
    pub institution_org_id: String,
    pub institution_name: String,
    pub items: Vec<String>,
    pub item_labels: Vec<String>,
    pub purpose_code: String,
    pub purpose_label: String,
    pub purpose_text: String,
    pub valid_days: i64,
    /// The last day (Asia/Shanghai) if granted now.
    pub valid_until: chrono::NaiveDate,
}

/// What a submission would do: the picked products (all fitting) and the authorizations.
#[derive(Debug, Clone, Serialize)]
pub struct Preview {
    pub products: Vec<ProductView>,
    pub authorizations: Vec<AuthorizationNotice>,
}

fn purpose_text(product: &ProductView) -> String {
    format!("融资申请：{}（{}）", product.name, product.institution_name)
}

fn notice_of(platform: &Platform, product: &ProductView) -> Option<AuthorizationNotice> {
    if product.required_items.is_empty() {
        return None;
    }
    let until = (platform.clock.now() + Duration::days(AUTHORIZATION_DAYS))
        .with_timezone(&crate::objections::beijing())
        .date_naive();
    Some(AuthorizationNotice {
        product_id: product.id.clone(),
        product_name: product.name.clone(),
        institution_org_id: product.institution_org_id.clone(),
        institution_name: product.institution_name.clone(),
        items: product.required_items.clone(),
        item_labels: product.required_item_labels.clone(),
        purpose_code: product.purpose_code.clone(),
        purpose_label: product.purpose_label.clone(),
        purpose_text: purpose_text(product),
        valid_days: AUTHORIZATION_DAYS,
        valid_until: until,
    })
}

fn unmet_text(reasons: &[MatchReason]) -> String {
    reasons
        .iter()
        .filter(|r| !r.met)
        .map(|r| r.reason_zh.clone())
        .collect::<Vec<_>>()
        .join("；")
}

/// The picked products, each one that fits `need` for `uscc`, in the order picked; refuses an
/// empty pick, unknown or unlisted products, an amount outside every listed product's range
/// and any product that does not fit (naming it and why).
async fn picks(
    platform: &Platform,
    uscc: &str,
    need: &Need,
    product_ids: &[String],
) -> ServiceResult<(Vec<ProductView>, Ranked)> {
    let mut ids: Vec<String> = Vec::new();
    for id in product_ids
        .iter()
        .map(|i| i.trim())
        .filter(|i| !i.is_empty())
    {
        if !ids.iter().any(|x| x == id) {
            ids.push(id.to_owned());
        }
    }
    if ids.is_empty() {
        return Err(ServiceError::invalid(
            "application.no_product",
            "请至少选择一个金融产品",
        ));
    }
    if ids.len() > MAX_PRODUCTS {
        return Err(ServiceError::invalid(
            "application.too_many_products",
            format!("一次最多申请 {MAX_PRODUCTS} 个产品"),
        ));
    }
    let ranked = matching::rank(platform, uscc, need).await?;
    let listed = || ranked.fits.iter().chain(ranked.misfits.iter());
    if !listed().any(|m| m.product.terms.amount_fits(need.amount_fen)) {
        let ranges = listed()
            .map(|m| m.product.amount_text())
            .collect::<Vec<_>>();
        return Err(ServiceError::invalid(
            "application.amount_out_of_range",
            if ranges.is_empty() {
                "目前没有上架的金融产品".to_owned()
            } else {
                format!(
                    "申请金额 {} 不在任何上架产品的额度范围内（{}）",
                    wan(need.amount_fen),
                    ranges.join("、")
                )
            },
        ));
    }
    let mut out = Vec::new();
    for id in &ids {
        if let Some(m) = ranked.fits.iter().find(|m| &m.product.id == id) {
            out.push(m.product.clone());
        } else if let Some(m) = ranked.misfits.iter().find(|m| &m.product.id == id) {
            return Err(ServiceError::invalid(
                "application.product_not_fit",
                format!("产品“{}”不符合：{}", m.product.name, unmet_text(&m.reasons)),
            ));
        } else {
            return Err(ServiceError::invalid(
                "application.product_unknown",
                format!("金融产品“{id}”不存在或未上架"),
            ));
        }
    }
    Ok((out, ranked))
}

/// What submitting `product_ids` for `need` would do, without doing it: for the confirm page.
pub async fn preview(
    platform: &Platform,
    p: &Principal,
    need: &Need,
    product_ids: &[String],
) -> ServiceResult<Preview> {
    let uscc = applicant(p)?;
    let (products, _) = picks(platform, &uscc, need, product_ids).await?;
    let authorizations = products
        .iter()
        .filter_map(|prod| notice_of(platform, prod))
        .collect();
    Ok(Preview {
        products,
        authorizations,
    })
}

/// The products that fit `need` for the enterprise `p` acts for, and the others with why not.
pub async fn matches(platform: &Platform, p: &Principal, need: &Need) -> ServiceResult<Ranked> {
    let uscc = applicant(p)?;
    matching::rank(platform, &uscc, need).await
}

/// An earlier need of `uscc` with the same terms that still has an application in progress:
/// a retried submission continues it.
async fn reusable_need<C: ConnectionTrait>(
    conn: &C,
    uscc: &str,
    need: &Need,
) -> ServiceResult<Option<NeedRow>> {
    let candidates = repo::needs_like(
        conn,
        uscc,
        need.amount_fen,
        need.term_months as i32,
        need.guarantee.code(),
        need.max_rate_bp.map(|r| r as i32),
    )
    .await?;
    for n in candidates {
        if n.purpose != need.purpose.trim() {
            continue;
        }
        let filter = Filter {
            need_id: Some(n.id.clone()),
            statuses: ["submitted", "accepted", "under_review", "approved"]
                .iter()
                .map(|s| s.to_string())
                .collect(),
            limit: Some(1),
            ..Filter::default()
        };
        if !repo::list(conn, &filter).await?.is_empty() {
            return Ok(Some(n));
        }
    }
    Ok(None)
}

/// The enterprise submits `need` to each of `product_ids` in one step, granting each product's
/// institution the authorization it needs (`consent` required when any does). Refusals:
/// `application.no_product`, `application.amount_out_of_range`, `application.product_not_fit`
/// (naming the product and the unmet reasons), `application.product_unknown`,
/// `application.consent_required`, the need's own codes (`need.amount` …). Retried with the
/// same need and products, it answers the same applications and grants nothing new.
pub async fn submit(
    platform: &Platform,
    p: &Principal,
    need: Need,
    product_ids: Vec<String>,
    consent: bool,
) -> ServiceResult<Vec<ApplicationView>> {
    let uscc = applicant(p)?;
    let (picked, _) = picks(platform, &uscc, &need, &product_ids).await?;
    if !consent && picked.iter().any(|prod| !prod.required_items.is_empty()) {
        return Err(ServiceError::invalid(
            "application.consent_required",
            "所选产品需要您授权金融机构查询信用信息：请阅读授权告知内容并勾选同意",
        ));
    }
    let now = crate::ledger::whole_seconds(platform.clock.now_naive());
    let day = today(platform);
    let policy = platform.finance;
    let accept_by = rules::accept_by(day, policy.accept_workdays);
    let purpose = need.purpose.trim().to_owned();

    let txn = platform.db.conn.begin().await.map_err(store_err)?;
    let need_row = match reusable_need(&txn, &uscc, &need).await? {
        Some(n) => n,
        None => {
            let row = NeedRow {
                id: ids::new_id().to_string(),
                subject: uscc.clone(),
                amount_fen: need.amount_fen,
                term_months: need.term_months as i32,
                purpose: purpose.clone(),
                guarantee: need.guarantee.code().to_owned(),
                max_rate_bp: need.max_rate_bp.map(|r| r as i32),
                created_by_user_id: p.user_id.clone(),
                created_at: now,
            };
            repo::insert_need(&txn, row.clone()).await?;
            row
        }
    };
    let mut rows = Vec::new();
    let mut new_names = Vec::new();
    for product in &picked {
        if let Some(existing) = repo::for_need_product(&txn, &need_row.id, &product.id).await? {
            rows.push(existing);
            continue;
        }
        // Still listed at the moment of writing (an operator may have delisted it meanwhile).
        let listed = products::get(&txn, &product.id)
            .await?
            .is_some_and(|r| r.status == "listed");
        if !listed {
            return Err(ServiceError::invalid(
                "application.product_unknown",
                format!("金融产品“{}”已下架", product.name),
            ));
        }
        let authorization_id = if product.required_items.is_empty() {
            None
        } else {
            let granted = authorizations::grant_online_in(
                &txn,
                platform,
                p,
                GrantRequest {
                    subject: uscc.clone(),
                    grantee: product.institution_org_id.clone(),
                    items: product.required_items.clone(),
                    purpose: product.purpose_code.clone(),
                    purpose_text: purpose_text(product),
                    data_from: None,
                    data_to: None,
                    days: AUTHORIZATION_DAYS,
                    consent,
                },
            )
            .await?;
            Some(granted.id)
        };
        let id = ids::new_id().to_string();
        let row = ApplicationRow {
            id: id.clone(),
            need_id: need_row.id.clone(),
            subject: uscc.clone(),
            product_id: product.id.clone(),
            institution_org_id: product.institution_org_id.clone(),
            status: Status::Submitted.code().to_owned(),
            amount_fen: need.amount_fen,
            term_months: need.term_months as i32,
            accept_by,
            decide_by: None,
            authorization_id: authorization_id.clone(),
            reason: None,
            approved_amount_fen: None,
            submitted_at: now,
            accepted_at: None,
            decided_at: None,
            disbursed_at: None,
            closed_at: None,
            overdue_flagged_at: None,
            loan_id: None,
            updated_at: now,
        };
        repo::insert(&txn, row.clone()).await?;
        notifications::notify(
            &txn,
            platform,
            Notice {
                recipient: Recipient::Org(product.institution_org_id.clone()),
                kind: "application.submitted",
                title: format!("收到融资申请：{}", product.name),
                body: format!(
                    "{} 申请“{}” {}，期限 {} 个月，请于 {} 前受理。{}",
                    p.org_name,
                    product.name,
                    wan(need.amount_fen),
                    need.term_months,
                    accept_by.format("%Y-%m-%d"),
                    if authorization_id.is_some() {
                        "企业已同时授权贵机构查询所需信用信息。"
                    } else {
                        ""
                    }
                ),
                link: link(&id),
            },
        )
        .await?;
        trail::append(
            &txn,
            platform,
            TrailEntry {
                kind: "application.submitted",
                ref_id: &id,
                subject: Some(&uscc),
                actor_user_id: Some(&p.user_id),
                actor_org_id: Some(&p.org_id),
                body: serde_json::json!({
                    "need_id": need_row.id,
                    "product_id": product.id,
                    "product_name": product.name,
                    "institution_org_id": product.institution_org_id,
                    "amount_fen": need.amount_fen,
                    "term_months": need.term_months,
                    "purpose": purpose,
                    "guarantee": need.guarantee.code(),
                    "accept_by": accept_by,
                    "authorization_id": authorization_id,
                }),
            },
        )
        .await?;
        new_names.push(product.name.clone());
        rows.push(row);
    }
    if !new_names.is_empty() {
        notifications::notify(
            &txn,
            platform,
            Notice {
                recipient: Recipient::Subject(uscc.clone()),
                kind: "application.submitted",
                title: format!("融资申请已提交（{} 个产品）", new_names.len()),
                body: format!(
                    "您的融资申请已提交至：{}。机构将于 {} 前受理，可在“融资申请”中查看进度。",
                    new_names.join("、"),
                    accept_by.format("%Y-%m-%d")
                ),
                link: Some("/applications".into()),
            },
        )
        .await?;
    }
    txn.commit().await.map_err(store_err)?;
    read::views(platform, rows).await
}

/// What an institution's decision carries.
#[derive(Debug, Clone, Default)]
pub struct Decision {
    /// Required to reject (拒绝理由).
    pub reason: Option<String>,
    /// The amount approved; the amount applied for when none.
    pub approved_amount_fen: Option<i64>,
}

/// Loads an application `p` may see (else not found: no existence leak) through `conn`.
async fn load_visible<C: ConnectionTrait>(
    conn: &C,
    p: &Principal,
    id: &str,
) -> ServiceResult<ApplicationRow> {
    let row = repo::get(conn, id.trim())
        .await?
        .ok_or(ServiceError::NotFound("融资申请"))?;
    if read::visible_to(conn, p, &row).await? {
        Ok(row)
    } else {
        Err(ServiceError::NotFound("融资申请"))
    }
}

/// Refuses `action` by anyone but its party: the addressed institution, the applicant.
fn require_party(p: &Principal, row: &ApplicationRow, action: Action) -> ServiceResult<()> {
    match action.party() {
        Party::Institution if p.role == Role::Institution && p.org_id == row.institution_org_id => {
            Ok(())
        }
        Party::Institution => Err(ServiceError::Denied {
            code: "application.not_addressee",
            message: format!("只有受理该申请的金融机构可以{}", action.label_zh()),
        }),
        Party::Enterprise
            if p.role == Role::Enterprise && p.org_uscc.as_deref() == Some(&row.subject) =>
        {
            Ok(())
        }
        Party::Enterprise => Err(ServiceError::Denied {
            code: "application.not_applicant",
            message: "只有提出申请的企业可以撤回申请".into(),
        }),
        Party::System => Err(ServiceError::Forbidden),
    }
}

fn state_of(row: &ApplicationRow) -> Status {
    // Stored codes are written only from `Status::code`.
    Status::parse(&row.status).unwrap_or(Status::Expired)
}

/// Applies `action` to `row` in memory (the caller checked the party): the new status and the
/// step's facts. Refuses out-of-order actions and missing reasons.
fn apply(
    platform: &Platform,
    row: &mut ApplicationRow,
    action: Action,
    decision: &Decision,
    loan_id: Option<&str>,
) -> ServiceResult<serde_json::Value> {
    let from = state_of(row);
    let to = rules::next(from, action)
        .map_err(|e| ServiceError::invalid(rules::TransitionError::CODE, e.to_string()))?;
    let now = platform.clock.now_naive();
    let mut body = serde_json::json!({ "from": from.code(), "to": to.code() });
    match action {
        Action::Accept => {
            let decide_by = rules::decide_by(today(platform), platform.finance.decide_workdays);
            row.accepted_at = Some(now);
            row.decide_by = Some(decide_by);
            // The next deadline may be flagged in its turn.
            row.overdue_flagged_at = None;
            body["decide_by"] = serde_json::json!(decide_by);
        }
        Action::StartReview => {}
        Action::Approve => {
            let amount = decision.approved_amount_fen.unwrap_or(row.amount_fen);
            if amount <= 0 || amount > row.amount_fen {
                return Err(ServiceError::invalid(
                    "application.approved_amount",
                    format!("批准金额须大于 0 且不超过申请金额 {}", wan(row.amount_fen)),
                ));
            }
            row.approved_amount_fen = Some(amount);
            row.decided_at = Some(now);
            body["approved_amount_fen"] = serde_json::json!(amount);
        }
        Action::Reject => {
            let reason = decision.reason.as_deref().unwrap_or("").trim();
            if reason.is_empty() {
                return Err(ServiceError::invalid(
                    "application.reason_required",
                    "拒绝融资申请须填写理由",
                ));
            }
            if reason.chars().count() > MAX_REASON_CHARS {
                return Err(ServiceError::invalid(
                    "application.reason_required",
                    format!("拒绝理由不能超过 {MAX_REASON_CHARS} 个字"),
                ));
            }
            row.reason = Some(reason.to_owned());
            row.decided_at = Some(now);
            body["reason"] = serde_json::json!(reason);
        }
        Action::Disburse => {
            row.disbursed_at = Some(now);
            row.loan_id = loan_id.map(str::to_owned);
            body["loan_id"] = serde_json::json!(loan_id);
        }
        Action::Withdraw | Action::Expire => {
            row.closed_at = Some(now);
        }
    }
    row.status = to.code().to_owned();
    row.updated_at = now;
    Ok(body)
}

fn trail_kind(action: Action) -> &'static str {
    match action {
        Action::Accept => "application.accepted",
        Action::StartReview => "application.review_started",
        Action::Approve => "application.approved",
        Action::Reject => "application.rejected",
        Action::Disburse => "application.disbursed",
        Action::Withdraw => "application.withdrawn",
        Action::Expire => "application.expired",
    }
}

/// Who hears of a step, and what.
fn notices(row: &ApplicationRow, product_name: &str, action: Action) -> Vec<Notice> {
    let to_subject = |title: String, body: String| Notice {
        recipient: Recipient::Subject(row.subject.clone()),
        kind: trail_kind(action),
        title,
        body,
        link: link(&row.id),
    };
    let to_institution = |title: String, body: String| Notice {
        recipient: Recipient::Org(row.institution_org_id.clone()),
        kind: trail_kind(action),
        title,
        body,
        link: link(&row.id),
    };
    match action {
        Action::Accept => vec![to_subject(
            format!("融资申请已受理：{product_name}"),
            format!(
                "金融机构已受理您的申请，将于 {} 前作出审批决定。",
                row.decide_by
                    .map(|d| d.format("%Y-%m-%d").to_string())
                    .unwrap_or_default()
            ),
        )],
        Action::StartReview => vec![to_subject(
            format!("融资申请审查中：{product_name}"),
            "金融机构已开始审查您的申请。".into(),
        )],
        Action::Approve => vec![to_subject(
            format!("融资申请已批准：{product_name}"),
            format!(
                "金融机构已批准您的申请，批准金额 {}，放款后将通知您。",
                wan(row.approved_amount_fen.unwrap_or(row.amount_fen))
            ),
        )],
        Action::Reject => vec![to_subject(
            format!("融资申请未通过：{product_name}"),
            format!(
                "金融机构未通过您的申请。理由：{}",
                row.reason.clone().unwrap_or_default()
            ),
        )],
        Action::Disburse => vec![to_subject(
            format!("贷款已发放：{product_name}"),
            "金融机构已登记放款，可在申请详情中查看。".into(),
        )],
        Action::Withdraw => vec![to_institution(
            format!("融资申请已撤回：{product_name}"),
            "企业已撤回该融资申请，无需继续处理。".into(),
        )],
        Action::Expire => vec![
            to_subject(
                format!("融资申请已失效：{product_name}"),
                "该申请超过服务时限仍未审批完成，已自动失效；如仍有需要，请重新申请。".into(),
            ),
            to_institution(
                format!("融资申请已失效：{product_name}"),
                "该申请超过服务时限仍未审批完成，已自动失效。".into(),
            ),
        ],
    }
}

/// Writes a step inside `conn`: the row if its status is still `from`, the notices, the trail
/// entry.
async fn write_step<C: ConnectionTrait>(
    conn: &C,
    platform: &Platform,
    p: Option<&Principal>,
    row: &ApplicationRow,
    from: Status,
    action: Action,
    body: serde_json::Value,
) -> ServiceResult<()> {
    if !repo::update_if(conn, row.clone(), &[from.code()]).await? {
        return Err(ServiceError::invalid(
            rules::TransitionError::CODE,
            "融资申请状态已被其他操作改变，请刷新后重试",
        ));
    }
    let product_name = read::product_name(conn, &row.product_id).await?;
    for notice in notices(row, &product_name, action) {
        notifications::notify(conn, platform, notice).await?;
    }
    trail::append(
        conn,
        platform,
        TrailEntry {
            kind: trail_kind(action),
            ref_id: &row.id,
            subject: Some(&row.subject),
            actor_user_id: p.map(|p| p.user_id.as_str()),
            actor_org_id: p.map(|p| p.org_id.as_str()),
            body,
        },
    )
    .await?;
    Ok(())
}

/// One step by a party, as one transaction.
async fn step(
    platform: &Platform,
    p: &Principal,
    id: &str,
    action: Action,
    decision: Decision,
) -> ServiceResult<ApplicationView> {
    if action == Action::Disburse {
        return Err(ServiceError::invalid(
            "application.disburse_via_loan",
            "放款须通过登记贷款完成（获贷明细），不能直接修改申请状态",
        ));
    }
    let txn = platform.db.conn.begin().await.map_err(store_err)?;
    let mut row = load_visible(&txn, p, id).await?;
    require_party(p, &row, action)?;
    let from = state_of(&row);
    let body = apply(platform, &mut row, action, &decision, None)?;
    write_step(&txn, platform, Some(p), &row, from, action, body).await?;
    txn.commit().await.map_err(store_err)?;
    read::view_one(platform, row).await
}

/// The institution accepts (受理) a submitted application; the decide deadline starts.
pub async fn accept(
    platform: &Platform,
    p: &Principal,
    id: &str,
) -> ServiceResult<ApplicationView> {
    step(platform, p, id, Action::Accept, Decision::default()).await
}

/// The institution starts reviewing an accepted application (审查中).
pub async fn start_review(
    platform: &Platform,
    p: &Principal,
    id: &str,
) -> ServiceResult<ApplicationView> {
    step(platform, p, id, Action::StartReview, Decision::default()).await
}

/// The institution approves, for the amount applied for or less.
pub async fn approve(
    platform: &Platform,
    p: &Principal,
    id: &str,
    approved_amount_fen: Option<i64>,
) -> ServiceResult<ApplicationView> {
    let decision = Decision {
        reason: None,
        approved_amount_fen,
    };
    step(platform, p, id, Action::Approve, decision).await
}

/// The institution rejects, with a reason (`application.reason_required`).
pub async fn reject(
    platform: &Platform,
    p: &Principal,
    id: &str,
    reason: &str,
) -> ServiceResult<ApplicationView> {
    let decision = Decision {
        reason: Some(reason.to_owned()),
        approved_amount_fen: None,
    };
    step(platform, p, id, Action::Reject, decision).await
}

/// The enterprise withdraws an application not decided yet.
pub async fn withdraw(
    platform: &Platform,
    p: &Principal,
    id: &str,
) -> ServiceResult<ApplicationView> {
    step(platform, p, id, Action::Withdraw, Decision::default()).await
}

/// Any party action by code (`accept`, `review`/`start_review`, `approve`, `reject`,
/// `withdraw`); `disburse` is refused (`application.disburse_via_loan`: a loan records it).
pub async fn act(
    platform: &Platform,
    p: &Principal,
    id: &str,
    action: &str,
    decision: Decision,
) -> ServiceResult<ApplicationView> {
    let action = Action::parse(action).ok_or(ServiceError::NotFound("操作"))?;
    if action == Action::Expire {
        return Err(ServiceError::Forbidden);
    }
    step(platform, p, id, action, decision).await
}

/// Marks an approved application disbursed by the loan `loan_id`, inside the caller's
/// transaction `conn` (the loans' recording step): `p` must be the addressed institution
/// (else not found), the status approved (else `application.state`); trail + notice.
pub async fn disburse_in<C: ConnectionTrait>(
    conn: &C,
    platform: &Platform,
    p: &Principal,
    application_id: &str,
    loan_id: &str,
) -> ServiceResult<()> {
    let mut row = load_visible(conn, p, application_id).await?;
    if p.role != Role::Institution || p.org_id != row.institution_org_id {
        return Err(ServiceError::NotFound("融资申请"));
    }
    let from = state_of(&row);
    let body = apply(
        platform,
        &mut row,
        Action::Disburse,
        &Decision::default(),
        Some(loan_id),
    )?;
    write_step(conn, platform, Some(p), &row, from, Action::Disburse, body).await
}

/// What a sweep did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct SweepReport {
    /// Applications newly flagged overdue to the operators.
    pub flagged: usize,
    /// Applications expired.
    pub expired: usize,
}

/// Expires undecided applications past `expire_workdays` working days since submission, then
/// flags applications past their accept or decide deadline to the operators and the
/// institution, once per deadline. Each application in its own transaction. Run by
/// `xinrong applications sweep` and periodically by the server.
pub async fn sweep(platform: &Platform) -> ServiceResult<SweepReport> {
    let mut report = SweepReport::default();
    let now = platform.clock.now_naive();
    let day = today(platform);
    let policy = platform.finance;
    // N working days span at least N calendar days: older submissions are the candidates.
    let cutoff: NaiveDateTime = now - Duration::days(i64::from(policy.expire_workdays));
    for mut row in repo::pending_submitted_before(&platform.db.conn, cutoff).await? {
        let submitted_on = local(row.submitted_at).date_naive();
        if day <= rules::expires_on(submitted_on, policy.expire_workdays) {
            continue;
        }
        let from = state_of(&row);
        let Ok(body) = apply(
            platform,
            &mut row,
            Action::Expire,
            &Decision::default(),
            None,
        ) else {
            continue;
        };
        let txn = platform.db.conn.begin().await.map_err(store_err)?;
        match write_step(&txn, platform, None, &row, from, Action::Expire, body).await {
            Ok(()) => {
                txn.commit().await.map_err(store_err)?;
                report.expired += 1;
            }
            // Acted on meanwhile.
            Err(ServiceError::Invalid {
                code: "application.state",
                ..
            }) => {}
            Err(e) => return Err(e),
        }
    }
    for row in repo::overdue_unflagged(&platform.db.conn, day).await? {
        let status = state_of(&row);
        let deadlines = rules::Deadlines {
            accept_by: row.accept_by,
            decide_by: row.decide_by,
        };
        let Some(late) = rules::overdue(status, deadlines, day) else {
            continue;
        };
        let txn = platform.db.conn.begin().await.map_err(store_err)?;
        if !repo::mark_flagged(&txn, &row.id, &row.status, now).await? {
            continue;
        }
        let product_name = read::product_name(&txn, &row.product_id).await?;
        let institution = read::org_name(&txn, &row.institution_org_id).await?;
        let due = match late {
            rules::Overdue::Accept => row.accept_by,
            rules::Overdue::Decide => row.decide_by.unwrap_or(row.accept_by),
        };
        for notice in [
            Notice {
                recipient: Recipient::Operators,
                kind: "application.overdue",
                title: format!("融资申请{}：{product_name}", late.label_zh()),
                body: format!(
                    "{institution}未在 {} 前{}该融资申请，请督办。",
                    due.format("%Y-%m-%d"),
                    match late {
                        rules::Overdue::Accept => "受理",
                        rules::Overdue::Decide => "作出审批决定",
                    }
                ),
                link: link(&row.id),
            },
            Notice {
                recipient: Recipient::Org(row.institution_org_id.clone()),
                kind: "application.overdue",
                title: format!("融资申请已逾期：{product_name}"),
                body: format!(
                    "该申请的服务时限（{}）已过，平台已收到逾期提示，请尽快处理。",
                    due.format("%Y-%m-%d")
                ),
                link: link(&row.id),
            },
        ] {
            notifications::notify(&txn, platform, notice).await?;
        }
        trail::append(
            &txn,
            platform,
            TrailEntry {
                kind: "application.overdue",
                ref_id: &row.id,
                subject: Some(&row.subject),
                actor_user_id: None,
                actor_org_id: None,
                body: serde_json::json!({
                    "status": row.status,
                    "overdue": late,
                    "due": due,
                }),
            },
        )
        .await?;
        txn.commit().await.map_err(store_err)?;
        report.flagged += 1;
    }
    Ok(report)
}
