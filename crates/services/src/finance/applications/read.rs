//! Reading applications: views, who may see one, lists per role, the detail with its timeline.

use crate::error::{ServiceError, ServiceResult};
use crate::identity::Principal;
use crate::objections::{Step, local, today};
use crate::platform::Platform;
use crate::trail;
use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::Serialize;
use std::collections::HashMap;
use xinrong_core::finance::application::{self as rules, Status};
use xinrong_core::finance::product::{GuaranteeType, wan};
use xinrong_core::money::rate_text;
use xinrong_core::role::Role;
use xinrong_store::ConnectionTrait;
use xinrong_store::repo::applications::{self as repo, ApplicationRow, Filter};
use xinrong_store::repo::{enterprises, organizations, products};

/// An application as its parties see it.
#[derive(Debug, Clone, Serialize)]
pub struct ApplicationView {
    pub id: String,
    pub need_id: String,
    pub subject: String,
    pub subject_name: String,
    pub product_id: String,
    pub product_name: String,
    pub institution_org_id: String,
    pub institution_name: String,
    /// submitted, accepted, under_review, approved, rejected, disbursed, withdrawn, expired.
    pub status: String,
    pub status_label: String,
    pub amount_fen: i64,
    /// `50万元`.
    pub amount_text: String,
    pub term_months: i32,
    /// Last day to accept (Asia/Shanghai).
    pub accept_by: NaiveDate,
    /// Last day to decide, once accepted.
    pub decide_by: Option<NaiveDate>,
    /// `accept` or `decide` when that deadline passed without the institution acting.
    pub overdue: Option<String>,
    pub overdue_label: Option<String>,
    pub authorization_id: Option<String>,
    /// Rejection reason.
    pub reason: Option<String>,
    pub approved_amount_fen: Option<i64>,
    /// `80万元`.
    pub approved_text: Option<String>,
    pub submitted_at: DateTime<FixedOffset>,
    pub accepted_at: Option<DateTime<FixedOffset>>,
    pub decided_at: Option<DateTime<FixedOffset>>,
    pub disbursed_at: Option<DateTime<FixedOffset>>,
    pub closed_at: Option<DateTime<FixedOffset>>,
    /// When the operators were told the current deadline passed.
    pub overdue_flagged_at: Option<DateTime<FixedOffset>>,
    pub loan_id: Option<String>,
}

/// The need an application was made for.
#[derive(Debug, Clone, Serialize)]
pub struct NeedView {
    pub id: String,
    pub amount_fen: i64,
    pub amount_text: String,
    pub term_months: i32,
    pub purpose: String,
    pub guarantee: String,
    pub guarantee_label: String,
    pub max_rate_bp: Option<i32>,
    /// `4.50%`, or none (any rate).
    pub max_rate_text: Option<String>,
    pub created_at: DateTime<FixedOffset>,
}

/// An application with its need and its timeline (进度跟踪, from the trail).
#[derive(Debug, Clone, Serialize)]
pub struct ApplicationDetail {
    pub application: ApplicationView,
    pub need: Option<NeedView>,
    pub timeline: Vec<Step>,
}

/// A step's Chinese label.
pub fn step_label(kind: &str) -> &'static str {
    match kind {
        "application.submitted" => "企业提交申请",
        "application.accepted" => "金融机构受理",
        "application.review_started" => "金融机构开始审查",
        "application.approved" => "审批通过",
        "application.rejected" => "审批未通过",
        "application.disbursed" => "已放款",
        "application.withdrawn" => "企业撤回申请",
        "application.expired" => "超过时限，申请失效",
        "application.overdue" => "逾期未处理，已提示平台",
        _ => "其他",
    }
}

/// Names looked up once per list.
#[derive(Default)]
struct Lookups {
    orgs: HashMap<String, String>,
    products: HashMap<String, String>,
    enterprises: HashMap<String, (String, String)>,
}

impl Lookups {
    async fn org(&mut self, conn: &impl ConnectionTrait, id: &str) -> ServiceResult<String> {
        if let Some(n) = self.orgs.get(id) {
            return Ok(n.clone());
        }
        let n = org_name(conn, id).await?;
        self.orgs.insert(id.to_owned(), n.clone());
        Ok(n)
    }

    async fn product(&mut self, conn: &impl ConnectionTrait, id: &str) -> ServiceResult<String> {
        if let Some(n) = self.products.get(id) {
            return Ok(n.clone());
        }
        let n = product_name(conn, id).await?;
        self.products.insert(id.to_owned(), n.clone());
        Ok(n)
    }

    /// (name, region code) of an enterprise.
    async fn enterprise(
        &mut self,
        conn: &impl ConnectionTrait,
        uscc: &str,
    ) -> ServiceResult<(String, String)> {
        if let Some(e) = self.enterprises.get(uscc) {
            return Ok(e.clone());
        }
        let e = enterprises::get(conn, uscc).await?.map_or_else(
            || (uscc.to_owned(), String::new()),
            |e| (e.name, e.region_code),
        );
        self.enterprises.insert(uscc.to_owned(), e.clone());
        Ok(e)
    }
}

pub(super) async fn org_name(conn: &impl ConnectionTrait, id: &str) -> ServiceResult<String> {
    Ok(organizations::get(conn, id)
        .await?
        .map_or_else(|| id.to_owned(), |o| o.name))
}

pub(super) async fn product_name(conn: &impl ConnectionTrait, id: &str) -> ServiceResult<String> {
    Ok(products::get(conn, id)
        .await?
        .map_or_else(|| id.to_owned(), |p| p.name))
}

/// Whether `p` may see `row`: its enterprise, its institution, the operator, a government unit
/// whose jurisdiction contains the enterprise.
pub(super) async fn visible_to(
    conn: &impl ConnectionTrait,
    p: &Principal,
    row: &ApplicationRow,
) -> ServiceResult<bool> {
    Ok(match p.role {
        Role::Operator => true,
        Role::Enterprise => p.org_uscc.as_deref() == Some(row.subject.as_str()),
        Role::Institution => p.org_id == row.institution_org_id,
        Role::Government => match &p.region_code {
            Some(prefix) => enterprises::get(conn, &row.subject)
                .await?
                .is_some_and(|e| in_region(&e.region_code, prefix)),
            None => false,
        },
        Role::Provider => false,
    })
}

/// GB/T 2260 prefix match: "410102" is inside "4101" and "410100" and "410000".
fn in_region(code: &str, jurisdiction: &str) -> bool {
    let prefix = jurisdiction.trim_end_matches("00");
    !prefix.is_empty() && code.starts_with(prefix)
}

fn view(
    row: ApplicationRow,
    subject_name: String,
    product_name: String,
    institution_name: String,
    today: NaiveDate,
) -> ApplicationView {
    let status = Status::parse(&row.status);
    let overdue = status.and_then(|s| {
        rules::overdue(
            s,
            rules::Deadlines {
                accept_by: row.accept_by,
                decide_by: row.decide_by,
            },
            today,
        )
    });
    ApplicationView {
        status_label: status.map_or("未知", |s| s.label_zh()).to_owned(),
        amount_text: wan(row.amount_fen),
        approved_text: row.approved_amount_fen.map(wan),
        overdue: overdue.map(|o| {
            serde_json::to_value(o)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default()
        }),
        overdue_label: overdue.map(|o| o.label_zh().to_owned()),
        submitted_at: local(row.submitted_at),
        accepted_at: row.accepted_at.map(local),
        decided_at: row.decided_at.map(local),
        disbursed_at: row.disbursed_at.map(local),
        closed_at: row.closed_at.map(local),
        overdue_flagged_at: row.overdue_flagged_at.map(local),
        id: row.id,
        need_id: row.need_id,
        subject: row.subject,
        subject_name,
        product_id: row.product_id,
        product_name,
        institution_org_id: row.institution_org_id,
        institution_name,
        status: row.status,
        amount_fen: row.amount_fen,
        term_months: row.term_months,
        accept_by: row.accept_by,
        decide_by: row.decide_by,
        authorization_id: row.authorization_id,
        reason: row.reason,
        approved_amount_fen: row.approved_amount_fen,
        loan_id: row.loan_id,
    }
}

async fn view_with(
    conn: &impl ConnectionTrait,
    names: &mut Lookups,
    row: ApplicationRow,
    today: NaiveDate,
) -> ServiceResult<ApplicationView> {
    let (subject_name, _) = names.enterprise(conn, &row.subject).await?;
    let product = names.product(conn, &row.product_id).await?;
    let institution = names.org(conn, &row.institution_org_id).await?;
    Ok(view(row, subject_name, product, institution, today))
}

pub(super) async fn views(
    platform: &Platform,
    rows: Vec<ApplicationRow>,
) -> ServiceResult<Vec<ApplicationView>> {
    let conn = &platform.db.conn;
    let day = today(platform);
    let mut names = Lookups::default();
    let mut out = Vec::new();
    for row in rows {
        out.push(view_with(conn, &mut names, row, day).await?);
    }
    Ok(out)
}

pub(super) async fn view_one(
    platform: &Platform,
    row: ApplicationRow,
) -> ServiceResult<ApplicationView> {
    let mut v = views(platform, vec![row]).await?;
    v.pop().ok_or(ServiceError::NotFound("融资申请"))
}

/// Which applications to list.
#[derive(Debug, Clone, Default)]
pub struct ListQuery {
    pub status: Option<String>,
    /// Only those past a deadline without the institution acting.
    pub overdue: bool,
    /// USCC (operator and government; an enterprise always sees its own).
    pub subject: Option<String>,
    /// Institution organisation ID (operator and government; an institution always sees its
    /// own inbox).
    pub institution: Option<String>,
}

/// Applications `p` may see, newest first: an enterprise its own, an institution its inbox,
/// a government unit those of enterprises in its jurisdiction, the operator all (with overdue
/// flags); filtered by `query`.
pub async fn list(
    platform: &Platform,
    p: &Principal,
    query: ListQuery,
) -> ServiceResult<Vec<ApplicationView>> {
    let mut query = query;
    let mut region = None;
    match p.role {
        Role::Operator => {}
        Role::Enterprise => {
            query.subject = Some(p.org_uscc.clone().ok_or(ServiceError::Forbidden)?);
        }
        Role::Institution => query.institution = Some(p.org_id.clone()),
        Role::Government => {
            region = Some(p.region_code.clone().ok_or(ServiceError::Forbidden)?);
        }
        Role::Provider => return Err(ServiceError::Forbidden),
    }
    let rows = list_all(platform, query).await?;
    Ok(match region {
        None => rows,
        Some(prefix) => {
            let conn = &platform.db.conn;
            let mut names = Lookups::default();
            let mut out = Vec::new();
            for v in rows {
                let (_, code) = names.enterprise(conn, &v.subject).await?;
                if in_region(&code, &prefix) {
                    out.push(v);
                }
            }
            out
        }
    })
}

/// Every application matching `query` (the operator's CLI, which has every right).
pub async fn list_all(
    platform: &Platform,
    query: ListQuery,
) -> ServiceResult<Vec<ApplicationView>> {
    if let Some(s) = query.status.as_deref()
        && Status::parse(s).is_none()
    {
        return Err(ServiceError::invalid(
            "application.status",
            format!(
                "未知的申请状态：{s}（{}）",
                Status::ALL.map(|s| s.code()).join("、")
            ),
        ));
    }
    let filter = Filter {
        subject: query.subject.map(|s| s.trim().to_uppercase()),
        institution_org_id: query.institution,
        need_id: None,
        statuses: query.status.into_iter().collect(),
        limit: Some(1_000),
    };
    let rows = repo::list(&platform.db.conn, &filter).await?;
    let mut out = views(platform, rows).await?;
    if query.overdue {
        out.retain(|v| v.overdue.is_some());
    }
    Ok(out)
}

fn steps(rows: Vec<trail::TrailRow>) -> Vec<Step> {
    rows.into_iter()
        .map(|r| Step {
            label: step_label(&r.kind).to_owned(),
            kind: r.kind,
            at: local(r.created_at),
            actor_org_id: r.actor_org_id,
            body: serde_json::from_str(&r.body).unwrap_or(serde_json::Value::Null),
            leaf_index: r.leaf_index,
        })
        .collect()
}

/// The timeline of an application `p` may see, oldest first.
pub async fn timeline(platform: &Platform, p: &Principal, id: &str) -> ServiceResult<Vec<Step>> {
    let row = super::load_visible(&platform.db.conn, p, id).await?;
    Ok(steps(trail::for_ref(&platform.db.conn, &row.id).await?))
}

/// One application with its need and timeline, for whoever may see it (else not found).
pub async fn detail(
    platform: &Platform,
    p: &Principal,
    id: &str,
) -> ServiceResult<ApplicationDetail> {
    let conn = &platform.db.conn;
    let row = super::load_visible(conn, p, id).await?;
    let timeline = steps(trail::for_ref(conn, &row.id).await?);
    let need = repo::get_need(conn, &row.need_id).await?.map(|n| {
        let g = GuaranteeType::parse(&n.guarantee);
        NeedView {
            amount_text: wan(n.amount_fen),
            guarantee_label: g.map_or_else(|| n.guarantee.clone(), |g| g.label_zh().to_owned()),
            max_rate_text: n.max_rate_bp.map(|r| rate_text(i64::from(r).max(0))),
            created_at: local(n.created_at),
            id: n.id,
            amount_fen: n.amount_fen,
            term_months: n.term_months,
            purpose: n.purpose,
            guarantee: n.guarantee,
            max_rate_bp: n.max_rate_bp,
        }
    });
    let application = view_one(platform, row).await?;
    Ok(ApplicationDetail {
        application,
        need,
        timeline,
    })
}
