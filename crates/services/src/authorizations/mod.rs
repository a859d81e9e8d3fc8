//! 授权 (authorizations): the information subject's consent artefacts.
//!
//! An authorization says: institution G may read items or categories S about subject U, for
//! purpose P (a code and a free text such as a named loan application), for records dated in
//! [from, to] (optional), until a day. It is given
//! - **online** (线上授权) by an enterprise user of U after real-name login, on a page that states
//!   plainly what is shared, with whom, for what, for how long and the risks (充分告知), with a
//!   required consent checkbox; or
//! - **written** (书面授权): the institution uploads the signed paper's scan; the SM3 digest is
//!   kept on the authorization; U sees it and may **dispute** it, which pauses it until the
//!   operator upholds the dispute (revoked) or dismisses it (active again); or
//! - by the platform (CLI, for operators and integrations), online or written with evidence.
//!
//! Status is active, paused or revoked as stored; expired is derived from `valid_until` when
//! read. The subject pauses, resumes and revokes; the grantee may revoke (withdraw) its own;
//! the operator revokes and decides disputes. Revocation takes effect on the next read: the
//! access decision reads the row every time ([`check`], [`find_active`]). Every event is a
//! trail entry (`authorization.<event>`, ref = the authorization) and a notice to the other
//! party; a use is counted ([`record_use`]), not trailed — the access log records reads.
//!
//! The pure rules live in [`xinrong_core::authorization`].

use crate::attachments::{self, Upload, Uploader};
use crate::error::{ServiceError, ServiceResult};
use crate::identity::Principal;
use crate::notifications::{self, Notice, Recipient};
use crate::platform::Platform;
use crate::trail::{self, TrailEntry};
use chrono::{NaiveDate, NaiveDateTime};
use sea_orm::TransactionTrait;
use serde::Serialize;
use xinrong_core::authorization::{
    self as rules, Action, Actor, Channel, Dispute, RuleError, Scope, State, Status, Terms,
};
use xinrong_core::catalog::Item;
use xinrong_core::ids;
use xinrong_core::purpose::Purpose;
use xinrong_core::role::Role;
use xinrong_store::ConnectionTrait;
use xinrong_store::StoreError;
use xinrong_store::repo::authorizations::{self as repo, AuthorizationRecord, Filter};
use xinrong_store::repo::{enterprises, organizations};

/// One authorization as the services hand it out; `status` is as of the moment it was read
/// (expired derived from `valid_until`).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct AuthorizationRow {
    pub id: String,
    /// The information subject's USCC.
    pub subject: String,
    /// The grantee institution.
    pub grantee_org_id: String,
    /// Item keys or section keys.
    pub items: Scope,
    /// Purpose code (`pre_loan` …).
    pub purpose: Purpose,
    /// Its Chinese label.
    pub purpose_label: String,
    /// Free text, e.g. a named loan application.
    pub purpose_text: String,
    pub data_from: Option<NaiveDate>,
    pub data_to: Option<NaiveDate>,
    pub valid_from: NaiveDateTime,
    pub valid_until: NaiveDateTime,
    pub channel: Channel,
    /// The uploaded scan of a written authorization.
    pub evidence_id: Option<String>,
    /// SM3 of the scan, hex.
    pub evidence_sm3: Option<String>,
    pub status: Status,
    pub status_reason: Option<String>,
    pub dispute: Dispute,
    pub granted_by_user_id: Option<String>,
    pub granted_by_org_id: Option<String>,
    pub use_count: i64,
    pub last_used_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl AuthorizationRow {
    /// What was consented to.
    pub fn terms(&self) -> Terms {
        Terms {
            scope: self.items.clone(),
            purpose: self.purpose,
            data_from: self.data_from,
            data_to: self.data_to,
        }
    }

    /// True when a record of `item` dated `record_date` may be read for `purpose_code` under
    /// this authorization's terms (see [`Terms::covers`]). Whether it is in force is
    /// [`check`]'s business.
    pub fn covers(&self, item: &Item, purpose_code: &str, record_date: Option<NaiveDate>) -> bool {
        self.terms().covers(item, purpose_code, record_date)
    }

    fn state(&self) -> State {
        State {
            status: self.status,
            dispute: self.dispute,
        }
    }
}

fn decode(rec: AuthorizationRecord, now: NaiveDateTime) -> AuthorizationRow {
    let stored = Status::parse(&rec.status).unwrap_or(Status::Paused);
    let purpose = Purpose::parse(&rec.purpose_code).unwrap_or(Purpose::CreditService);
    AuthorizationRow {
        status: rules::effective_status(stored, rec.valid_until, now),
        items: Scope::from_stored(serde_json::from_str(&rec.scope).unwrap_or_default()),
        purpose,
        purpose_label: purpose.label_zh().to_owned(),
        channel: Channel::parse(&rec.channel).unwrap_or(Channel::Written),
        dispute: Dispute::parse(&rec.dispute).unwrap_or(Dispute::None),
        id: rec.id,
        subject: rec.subject,
        grantee_org_id: rec.grantee_org_id,
        purpose_text: rec.purpose_text,
        data_from: rec.data_from,
        data_to: rec.data_to,
        valid_from: rec.valid_from,
        valid_until: rec.valid_until,
        evidence_id: rec.evidence_id,
        evidence_sm3: rec.evidence_sm3,
        status_reason: rec.status_reason,
        granted_by_user_id: rec.granted_by_user_id,
        granted_by_org_id: rec.granted_by_org_id,
        use_count: rec.use_count,
        last_used_at: rec.last_used_at,
        created_at: rec.created_at,
        updated_at: rec.updated_at,
    }
}

fn invalid(err: RuleError) -> ServiceError {
    ServiceError::invalid(err.code, err.message)
}

fn store_err(err: sea_orm::DbErr) -> ServiceError {
    ServiceError::Store(StoreError::from(err))
}

// ---------------------------------------------------------------------------------------------
// For the access decision
// ---------------------------------------------------------------------------------------------

/// Why [`check`] refuses an authorization. `code` is one of `authz.unknown` (also for the id
/// of another grantee or another subject: a forged id does not learn that it exists),
/// `authz.expired`, `authz.paused`, `authz.revoked`, `authz.disputed` (and `authz.unavailable`
/// when the database cannot be asked); `reason` is Chinese and names no data.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{reason}")]
pub struct Refusal {
    pub code: &'static str,
    pub reason: String,
}

impl From<Refusal> for ServiceError {
    fn from(r: Refusal) -> Self {
        ServiceError::Denied {
            code: r.code,
            message: r.reason,
        }
    }
}

/// The message of `authz.unknown`.
pub const UNKNOWN_MESSAGE: &str = "授权不存在或不适用于本次查询";

/// The authorization `id` if it may be used now by `grantee_org_id` for `subject`; read afresh
/// from the database every time, so a pause or revocation takes effect on the next read.
pub async fn check(
    conn: &impl ConnectionTrait,
    id: &str,
    grantee_org_id: &str,
    subject: &str,
    now: NaiveDateTime,
) -> Result<AuthorizationRow, Refusal> {
    let unknown = || Refusal {
        code: "authz.unknown",
        reason: UNKNOWN_MESSAGE.to_owned(),
    };
    let rec = match repo::get(conn, id.trim()).await {
        Ok(Some(rec)) => rec,
        Ok(None) => return Err(unknown()),
        Err(err) => {
            tracing::error!(error = %err, "authorization check failed");
            return Err(Refusal {
                code: "authz.unavailable",
                reason: "暂时无法核验授权，请稍后重试".to_owned(),
            });
        }
    };
    if rec.grantee_org_id != grantee_org_id || rec.subject != subject.trim() {
        return Err(unknown());
    }
    let row = decode(rec, now);
    match rules::refusal(row.state(), row.valid_from, row.valid_until, now) {
        None => Ok(row),
        Some((code, reason)) => Err(Refusal {
            code,
            reason: reason.to_owned(),
        }),
    }
}

/// The authorizations of `grantee_org_id` about `subject` usable at `now`, oldest first; for
/// reads that name no authorization.
pub async fn find_active(
    conn: &impl ConnectionTrait,
    grantee_org_id: &str,
    subject: &str,
    now: NaiveDateTime,
) -> ServiceResult<Vec<AuthorizationRow>> {
    Ok(repo::active(conn, grantee_org_id, subject, now)
        .await?
        .into_iter()
        .map(|r| decode(r, now))
        .filter(|r| rules::refusal(r.state(), r.valid_from, r.valid_until, now).is_none())
        .collect())
}

/// Counts one use of authorization `id` at `now` (use count + 1, atomically; last use).
pub async fn record_use(
    conn: &impl ConnectionTrait,
    id: &str,
    now: NaiveDateTime,
) -> ServiceResult<()> {
    if repo::record_use(conn, id, now).await? {
        Ok(())
    } else {
        Err(ServiceError::NotFound("授权"))
    }
}

// ---------------------------------------------------------------------------------------------
// Granting
// ---------------------------------------------------------------------------------------------

/// A file as evidence of a written authorization.
pub type Evidence = Upload;

/// What is asked for when granting.
#[derive(Debug, Clone, Default)]
pub struct GrantRequest {
    /// The subject's USCC (ignored for an enterprise's own online grant: it is the enterprise).
    pub subject: String,
    /// The grantee: organisation ID or exact name (ignored for a written grant uploaded by an
    /// institution: it is that institution).
    pub grantee: String,
    /// Item keys or section keys.
    pub items: Vec<String>,
    /// Purpose code or Chinese label.
    pub purpose: String,
    /// Free text, e.g. "XX银行流动资金贷款申请".
    pub purpose_text: String,
    pub data_from: Option<NaiveDate>,
    pub data_to: Option<NaiveDate>,
    /// Validity in days from now, 1..=3650.
    pub days: i64,
    /// The enterprise ticked "我已阅读并同意" (online grants only).
    pub consent: bool,
}

struct Checked {
    subject: String,
    grantee: organizations::OrganizationRow,
    scope: Scope,
    purpose: Purpose,
    purpose_text: String,
    valid: (NaiveDateTime, NaiveDateTime),
}

async fn validate(
    platform: &Platform,
    req: &GrantRequest,
    subject: &str,
    grantee_key: &str,
) -> ServiceResult<Checked> {
    validate_in(&platform.db.conn, platform, req, subject, grantee_key).await
}

/// [`validate`] reading through `conn` (the caller's transaction, for [`grant_online_in`]).
async fn validate_in<C: ConnectionTrait>(
    conn: &C,
    platform: &Platform,
    req: &GrantRequest,
    subject: &str,
    grantee_key: &str,
) -> ServiceResult<Checked> {
    let subject = subject.trim();
    if subject.is_empty() || enterprises::get(conn, subject).await?.is_none() {
        return Err(ServiceError::invalid(
            "authz.subject",
            format!("信息主体“{subject}”不在企业名录中"),
        ));
    }
    let grantee = crate::agreements::find_org(conn, grantee_key)
        .await?
        .ok_or_else(|| {
            ServiceError::invalid(
                "authz.grantee",
                format!("被授权机构“{}”不存在", grantee_key.trim()),
            )
        })?;
    if grantee.kind != Role::Institution.code() {
        return Err(ServiceError::invalid(
            "authz.grantee_kind",
            format!("“{}”不是接入机构，只能向接入机构授权", grantee.name),
        ));
    }
    let scope = Scope::parse(crate::catalog::current(), &req.items).map_err(invalid)?;
    let purpose = Purpose::parse(&req.purpose).ok_or_else(|| {
        ServiceError::invalid(
            "authz.purpose",
            format!(
                "未知的查询用途“{}”，可选：{}",
                req.purpose.trim(),
                Purpose::codes_hint()
            ),
        )
    })?;
    let purpose_text = rules::check_purpose_text(&req.purpose_text).map_err(invalid)?;
    rules::check_data_range(req.data_from, req.data_to).map_err(invalid)?;
    let valid = rules::validity(platform.clock.now_naive(), req.days).map_err(invalid)?;
    Ok(Checked {
        subject: subject.to_owned(),
        grantee,
        scope,
        purpose,
        purpose_text,
        valid,
    })
}

/// Who grants: the subject online, an institution with a written scan, or the platform.
enum Granter<'a> {
    Subject(&'a Principal),
    Grantee(&'a Principal),
    Platform,
}

async fn write_grant(
    platform: &Platform,
    req: &GrantRequest,
    c: Checked,
    channel: Channel,
    evidence: Option<Evidence>,
    granter: Granter<'_>,
) -> ServiceResult<AuthorizationRow> {
    if channel == Channel::Written && evidence.is_none() {
        return Err(ServiceError::invalid(
            "authz.evidence",
            "书面授权须上传签字盖章的授权书扫描件（PDF、JPEG 或 PNG）",
        ));
    }
    if let Some(e) = &evidence {
        attachments::check(e)?;
    }
    let txn = platform.db.conn.begin().await.map_err(store_err)?;
    let row = write_grant_in(&txn, platform, req, c, channel, evidence, granter).await?;
    txn.commit().await.map_err(store_err)?;
    Ok(row)
}

/// The rows, trail entry and notices of a grant, inside the caller's transaction `txn`
/// (evidence already checked by the caller).
async fn write_grant_in<C: ConnectionTrait>(
    txn: &C,
    platform: &Platform,
    req: &GrantRequest,
    c: Checked,
    channel: Channel,
    evidence: Option<Evidence>,
    granter: Granter<'_>,
) -> ServiceResult<AuthorizationRow> {
    let actor = match granter {
        Granter::Subject(p) | Granter::Grantee(p) => Some(p),
        Granter::Platform => None,
    };
    let now = platform.clock.now_naive();
    let stored = match evidence {
        Some(e) => Some(
            attachments::store(
                txn,
                platform,
                e,
                Uploader {
                    user_id: actor.map(|a| a.user_id.as_str()),
                    org_id: actor.map(|a| a.org_id.as_str()),
                },
            )
            .await?,
        ),
        None => None,
    };
    let id = ids::new_id().to_string();
    let rec = AuthorizationRecord {
        id: id.clone(),
        subject: c.subject.clone(),
        grantee_org_id: c.grantee.id.clone(),
        scope: serde_json::to_string(c.scope.keys()).expect("JSON"),
        purpose_code: c.purpose.code().to_owned(),
        purpose_text: c.purpose_text.clone(),
        data_from: req.data_from,
        data_to: req.data_to,
        valid_from: c.valid.0,
        valid_until: c.valid.1,
        channel: channel.code().to_owned(),
        evidence_id: stored.as_ref().map(|a| a.id.clone()),
        evidence_sm3: stored.as_ref().map(|a| a.sm3.clone()),
        status: Status::Active.code().to_owned(),
        status_reason: None,
        dispute: Dispute::None.code().to_owned(),
        granted_by_user_id: actor.map(|a| a.user_id.clone()),
        granted_by_org_id: actor.map(|a| a.org_id.clone()),
        use_count: 0,
        last_used_at: None,
        created_at: now,
        updated_at: now,
    };
    repo::insert(txn, rec.clone()).await?;
    trail::append(
        txn,
        platform,
        TrailEntry {
            kind: "authorization.granted",
            ref_id: &id,
            subject: Some(&c.subject),
            actor_user_id: actor.map(|a| a.user_id.as_str()),
            actor_org_id: actor.map(|a| a.org_id.as_str()),
            body: serde_json::json!({
                "grantee_org_id": c.grantee.id,
                "items": c.scope.keys(),
                "purpose": c.purpose.code(),
                "purpose_text": c.purpose_text,
                "data_from": req.data_from,
                "data_to": req.data_to,
                "valid_from": c.valid.0,
                "valid_until": c.valid.1,
                "channel": channel.code(),
                "evidence_sm3": rec.evidence_sm3,
            }),
        },
    )
    .await?;
    let link = Some(format!("/authorizations/{id}"));
    let until = c.valid.1.format("%Y-%m-%d");
    let to_grantee = Notice {
        recipient: Recipient::Org(c.grantee.id.clone()),
        kind: "authorization.granted",
        title: "收到新的授权".to_owned(),
        body: format!(
            "信息主体 {} 已授权贵机构查询其信用信息（用途：{}），有效期至 {until}。",
            c.subject,
            c.purpose.label_zh()
        ),
        link: link.clone(),
    };
    let to_subject = Notice {
        recipient: Recipient::Subject(c.subject.clone()),
        kind: "authorization.granted",
        title: "新增一份以贵企业名义的授权".to_owned(),
        body: format!(
            "{} 登记了一份{}：授权其查询贵企业的信用信息（用途：{}），有效期至 {until}。如非贵企业真实意愿，请在授权详情页提出争议或撤销。",
            c.grantee.name,
            channel.label_zh(),
            c.purpose.label_zh()
        ),
        link: link.clone(),
    };
    match granter {
        Granter::Subject(_) => {
            notifications::notify(txn, platform, to_grantee).await?;
        }
        Granter::Grantee(_) => {
            notifications::notify(txn, platform, to_subject).await?;
        }
        Granter::Platform => {
            notifications::notify(txn, platform, to_grantee).await?;
            notifications::notify(txn, platform, to_subject).await?;
        }
    }
    Ok(decode(rec, now))
}

/// An enterprise user grants online, for its own enterprise, after reading the notice
/// (`consent` must be set).
pub async fn grant_online(
    platform: &Platform,
    actor: &Principal,
    req: GrantRequest,
) -> ServiceResult<AuthorizationRow> {
    actor.require(&[Role::Enterprise])?;
    let Some(uscc) = actor.org_uscc.clone() else {
        return Err(ServiceError::Forbidden);
    };
    if !req.consent {
        return Err(ServiceError::invalid(
            "authz.consent_required",
            "请阅读授权告知内容并勾选“我已阅读并同意”",
        ));
    }
    let c = validate(platform, &req, &uscc, &req.grantee).await?;
    write_grant(
        platform,
        &req,
        c,
        Channel::Online,
        None,
        Granter::Subject(actor),
    )
    .await
}

/// [`grant_online`] inside the caller's transaction `conn`: the same checks, row, trail entry
/// and notice, committed or rolled back with the caller's step. One-click financing
/// (`crate::finance::applications::submit`) grants each product's authorization in the same
/// transaction as its applications.
pub(crate) async fn grant_online_in<C: ConnectionTrait>(
    conn: &C,
    platform: &Platform,
    actor: &Principal,
    req: GrantRequest,
) -> ServiceResult<AuthorizationRow> {
    actor.require(&[Role::Enterprise])?;
    let Some(uscc) = actor.org_uscc.clone() else {
        return Err(ServiceError::Forbidden);
    };
    if !req.consent {
        return Err(ServiceError::invalid(
            "authz.consent_required",
            "请阅读授权告知内容并勾选“我已阅读并同意”",
        ));
    }
    let c = validate_in(conn, platform, &req, &uscc, &req.grantee).await?;
    write_grant_in(
        conn,
        platform,
        &req,
        c,
        Channel::Online,
        None,
        Granter::Subject(actor),
    )
    .await
}

/// An institution records a written authorization to itself with the signed scan.
pub async fn grant_written(
    platform: &Platform,
    actor: &Principal,
    req: GrantRequest,
    evidence: Option<Evidence>,
) -> ServiceResult<AuthorizationRow> {
    actor.require(&[Role::Institution])?;
    let c = validate(platform, &req, &req.subject, &actor.org_id).await?;
    write_grant(
        platform,
        &req,
        c,
        Channel::Written,
        evidence,
        Granter::Grantee(actor),
    )
    .await
}

/// The platform records an authorization (CLI, for operators and integrations): `online`
/// when the consent was given online elsewhere (e.g. the institution's real-name app), or
/// `written` with the scan.
pub async fn grant_as_platform(
    platform: &Platform,
    req: GrantRequest,
    channel: Channel,
    evidence: Option<Evidence>,
) -> ServiceResult<AuthorizationRow> {
    if channel == Channel::Online && evidence.is_some() {
        return Err(ServiceError::invalid(
            "authz.evidence",
            "线上授权不附扫描件；书面授权请使用 --channel written",
        ));
    }
    let c = validate(platform, &req, &req.subject, &req.grantee).await?;
    write_grant(platform, &req, c, channel, evidence, Granter::Platform).await
}

// ---------------------------------------------------------------------------------------------
// Reading and changing
// ---------------------------------------------------------------------------------------------

/// How `actor` stands to `rec`; `None` when it may not see it.
fn standing(actor: &Principal, rec: &AuthorizationRecord) -> Option<Actor> {
    match actor.role {
        Role::Operator => Some(Actor::Operator),
        Role::Enterprise if actor.org_uscc.as_deref() == Some(rec.subject.as_str()) => {
            Some(Actor::Subject)
        }
        Role::Institution if actor.org_id == rec.grantee_org_id => Some(Actor::Grantee),
        _ => None,
    }
}

/// Filters an operator may use on [`list`].
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    pub subject: Option<String>,
    pub grantee_org_id: Option<String>,
    /// `active`, `paused`, `revoked` or `expired`.
    pub status: Option<String>,
    /// Only those with an open dispute.
    pub disputed: bool,
}

/// The authorizations `actor` may see: an enterprise its own, an institution those granted to
/// it, the operator every one (filtered); other roles none.
pub async fn list(
    platform: &Platform,
    actor: &Principal,
    filter: &ListFilter,
) -> ServiceResult<Vec<AuthorizationRow>> {
    let mut f = filter.clone();
    match actor.role {
        Role::Operator => {}
        Role::Enterprise => {
            f.subject = Some(actor.org_uscc.clone().ok_or(ServiceError::Forbidden)?);
        }
        Role::Institution => f.grantee_org_id = Some(actor.org_id.clone()),
        _ => return Err(ServiceError::Forbidden),
    }
    list_all(platform, &f).await
}

/// Every authorization matching `filter`, for the platform (CLI).
pub async fn list_all(
    platform: &Platform,
    filter: &ListFilter,
) -> ServiceResult<Vec<AuthorizationRow>> {
    let wanted = match filter
        .status
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        Some(s) => Some(Status::parse(s).ok_or_else(|| {
            ServiceError::invalid(
                "authz.status",
                format!("未知的授权状态“{s}”（active、paused、revoked、expired）"),
            )
        })?),
        None => None,
    };
    let now = platform.clock.now_naive();
    let rows = repo::list(
        &platform.db.conn,
        &Filter {
            subject: filter.subject.as_deref().map(str::trim),
            grantee_org_id: filter.grantee_org_id.as_deref(),
            status: None,
            disputed: filter.disputed,
            limit: Some(1000),
        },
    )
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| decode(r, now))
        .filter(|r| wanted.is_none_or(|w| r.status == w))
        .collect())
}

/// One authorization if `actor` may see it; another party's is "not found".
pub async fn get(
    platform: &Platform,
    actor: &Principal,
    id: &str,
) -> ServiceResult<AuthorizationRow> {
    let rec = repo::get(&platform.db.conn, id)
        .await?
        .ok_or(ServiceError::NotFound("授权"))?;
    if standing(actor, &rec).is_none() {
        return Err(ServiceError::NotFound("授权"));
    }
    Ok(decode(rec, platform.clock.now_naive()))
}

/// One authorization, for the platform (CLI).
pub async fn get_any(platform: &Platform, id: &str) -> ServiceResult<AuthorizationRow> {
    let rec = repo::get(&platform.db.conn, id)
        .await?
        .ok_or(ServiceError::NotFound("授权"))?;
    Ok(decode(rec, platform.clock.now_naive()))
}

/// The scan of a written authorization: (file name, MIME type, bytes), for whoever may see
/// the authorization.
pub async fn evidence(
    platform: &Platform,
    actor: &Principal,
    id: &str,
) -> ServiceResult<(String, String, Vec<u8>)> {
    let row = get(platform, actor, id).await?;
    let att_id = row
        .evidence_id
        .ok_or(ServiceError::NotFound("授权书扫描件"))?;
    let att = attachments::get(&platform.db.conn, &att_id).await?;
    Ok((att.filename, att.content_type, att.content))
}

/// The timeline of an authorization (its trail entries), if `actor` may see it.
pub async fn timeline(
    platform: &Platform,
    actor: &Principal,
    id: &str,
) -> ServiceResult<Vec<trail::TrailRow>> {
    get(platform, actor, id).await?;
    trail::for_ref(&platform.db.conn, id).await
}

/// Applies `action` to authorization `id` on behalf of `actor` (see
/// [`xinrong_core::authorization::transition`] for who may do what). `reason` is required to
/// dispute and kept as the status reason.
pub async fn act(
    platform: &Platform,
    actor: &Principal,
    id: &str,
    action: Action,
    reason: Option<&str>,
) -> ServiceResult<AuthorizationRow> {
    change(platform, Some(actor), id, action, reason).await
}

/// Applies `action` as the platform itself (CLI): acts as the operator.
pub async fn act_as_platform(
    platform: &Platform,
    id: &str,
    action: Action,
    reason: Option<&str>,
) -> ServiceResult<AuthorizationRow> {
    change(platform, None, id, action, reason).await
}

async fn change(
    platform: &Platform,
    actor: Option<&Principal>,
    id: &str,
    action: Action,
    reason: Option<&str>,
) -> ServiceResult<AuthorizationRow> {
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    if reason.is_some_and(|r| r.chars().count() > 500) {
        return Err(ServiceError::invalid(
            "authz.reason",
            "原因不能超过 500 个字符",
        ));
    }
    if action == Action::Dispute && reason.is_none() {
        return Err(ServiceError::invalid(
            "authz.reason",
            "提出争议须说明理由（例如：未签署过该授权书）",
        ));
    }
    let now = platform.clock.now_naive();
    let txn = platform.db.conn.begin().await.map_err(store_err)?;
    let rec = repo::get(&txn, id)
        .await?
        .ok_or(ServiceError::NotFound("授权"))?;
    let who = match actor {
        None => Actor::Operator,
        Some(p) => standing(p, &rec).ok_or(ServiceError::NotFound("授权"))?,
    };
    let row = decode(rec.clone(), now);
    let next = rules::transition(row.state(), action, who, row.channel).map_err(|e| {
        if e.code == "authz.forbidden" {
            ServiceError::Forbidden
        } else {
            invalid(e)
        }
    })?;
    let status_reason = match action {
        Action::Dispute => reason.map(|r| format!("争议：{r}")),
        Action::Resume | Action::DismissDispute => reason.map(str::to_owned),
        _ => reason.map(str::to_owned),
    };
    let changed = repo::set_state(
        &txn,
        id,
        &rec.status,
        &rec.dispute,
        next.status.code(),
        next.dispute.code(),
        status_reason.clone(),
        now,
    )
    .await?;
    if !changed {
        return Err(ServiceError::Conflict(
            "授权状态已变化，请刷新后重试".to_owned(),
        ));
    }
    let kind = format!("authorization.{}", action.event());
    trail::append(
        &txn,
        platform,
        TrailEntry {
            kind: &kind,
            ref_id: id,
            subject: Some(&rec.subject),
            actor_user_id: actor.map(|a| a.user_id.as_str()),
            actor_org_id: actor.map(|a| a.org_id.as_str()),
            body: serde_json::json!({
                "from": row.status.code(),
                "to": next.status.code(),
                "dispute": next.dispute.code(),
                "reason": reason,
                "by": match who { Actor::Subject => "subject", Actor::Grantee => "grantee", Actor::Operator => "operator" },
            }),
        },
    )
    .await?;
    let link = Some(format!("/authorizations/{id}"));
    let title = format!("授权已{}", action.label_zh());
    let body = match reason {
        Some(r) => format!(
            "授权（用途：{}）已{}。说明：{r}",
            row.purpose.label_zh(),
            action.label_zh()
        ),
        None => format!(
            "授权（用途：{}）已{}。",
            row.purpose.label_zh(),
            action.label_zh()
        ),
    };
    let kind_static: &'static str = match action {
        Action::Pause => "authorization.paused",
        Action::Resume => "authorization.resumed",
        Action::Revoke => "authorization.revoked",
        Action::Dispute => "authorization.disputed",
        Action::UpholdDispute => "authorization.dispute_upheld",
        Action::DismissDispute => "authorization.dispute_dismissed",
    };
    let mut recipients = Vec::new();
    match who {
        Actor::Subject => recipients.push(Recipient::Org(rec.grantee_org_id.clone())),
        Actor::Grantee => recipients.push(Recipient::Subject(rec.subject.clone())),
        Actor::Operator => {
            recipients.push(Recipient::Org(rec.grantee_org_id.clone()));
            recipients.push(Recipient::Subject(rec.subject.clone()));
        }
    }
    if action == Action::Dispute {
        recipients.push(Recipient::Operators);
    }
    for recipient in recipients {
        notifications::notify(
            &txn,
            platform,
            Notice {
                recipient,
                kind: kind_static,
                title: title.clone(),
                body: body.clone(),
                link: link.clone(),
            },
        )
        .await?;
    }
    txn.commit().await.map_err(store_err)?;
    let mut rec = rec;
    rec.status = next.status.code().to_owned();
    rec.dispute = next.dispute.code().to_owned();
    rec.status_reason = status_reason;
    rec.updated_at = now;
    Ok(decode(rec, now))
}

/// Names of every organisation by ID, for showing grantees.
pub async fn org_names(
    platform: &Platform,
) -> ServiceResult<std::collections::HashMap<String, String>> {
    Ok(organizations::list(&platform.db.conn, None)
        .await?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect())
}

/// The registered name of a subject, for showing it beside its USCC.
pub async fn subject_name(platform: &Platform, uscc: &str) -> ServiceResult<Option<String>> {
    Ok(enterprises::get(&platform.db.conn, uscc)
        .await?
        .map(|e| e.name))
}
