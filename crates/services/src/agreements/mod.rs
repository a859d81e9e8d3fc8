//! 数据共享协议 (sharing agreements) between the platform and each institution (接入机构):
//! which items or categories it may read at all, for which purposes (查询用途), for how long,
//! and the institution's signed commitment (信用承诺书). No institution reads subject data
//! without an agreement in force; the access decision asks [`active_for`] and
//! [`xinrong_core::authorization::AgreementScope::covers`].
//!
//! The operator creates, suspends, reinstates and terminates agreements (API, `/agreements`,
//! `xinrong agreements`); an institution sees its own, read-only. Every event is a trail entry
//! (`agreement.created|suspended|reinstated|terminated`, ref = the agreement) and a notice to
//! the institution. Nothing is deleted: a terminated agreement stays with its history.

use crate::commitments::{self, Signing};
use crate::error::{ServiceError, ServiceResult};
use crate::identity::Principal;
use crate::notifications::{self, Notice, Recipient};
use crate::platform::Platform;
use crate::trail::{self, TrailEntry};
use chrono::NaiveDateTime;
use sea_orm::TransactionTrait;
use serde::Serialize;
use xinrong_core::authorization::{
    self as rules, AgreementAction, AgreementScope, AgreementStatus, RuleError, Scope,
};
use xinrong_core::ids;
use xinrong_core::purpose::Purpose;
use xinrong_core::role::Role;
use xinrong_store::ConnectionTrait;
use xinrong_store::repo::agreements::{self as repo, AgreementRecord};
use xinrong_store::repo::organizations::{self, OrganizationRow};

pub use commitments::texts::AGREEMENT as STANDARD_COMMITMENT;

/// One agreement as the services hand it out.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct AgreementRow {
    pub id: String,
    /// The institution.
    pub org_id: String,
    pub org_name: String,
    /// `items` (item or section keys) and `purposes` (codes).
    #[serde(flatten)]
    pub scope: AgreementScope,
    pub valid_from: NaiveDateTime,
    pub valid_until: NaiveDateTime,
    pub status: AgreementStatus,
    pub status_reason: Option<String>,
    /// Active and within its term now.
    pub in_force: bool,
    pub commitment_id: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

fn invalid(err: RuleError) -> ServiceError {
    ServiceError::invalid(err.code, err.message)
}

fn decode(rec: AgreementRecord, org_name: String, now: NaiveDateTime) -> AgreementRow {
    let items: Vec<String> = serde_json::from_str(&rec.scope).unwrap_or_default();
    let purposes: Vec<Purpose> = serde_json::from_str::<Vec<String>>(&rec.purposes)
        .unwrap_or_default()
        .iter()
        .filter_map(|p| Purpose::parse(p))
        .collect();
    let status = AgreementStatus::parse(&rec.status).unwrap_or(AgreementStatus::Suspended);
    AgreementRow {
        in_force: rules::agreement_in_force(status, rec.valid_from, rec.valid_until, now),
        id: rec.id,
        org_id: rec.org_id,
        org_name,
        scope: AgreementScope {
            items: Scope::from_stored(items),
            purposes,
        },
        valid_from: rec.valid_from,
        valid_until: rec.valid_until,
        status,
        status_reason: rec.status_reason,
        commitment_id: rec.commitment_id,
        created_at: rec.created_at,
        updated_at: rec.updated_at,
    }
}

async fn org_name(conn: &impl ConnectionTrait, org_id: &str) -> ServiceResult<String> {
    Ok(organizations::get(conn, org_id)
        .await?
        .map(|o| o.name)
        .unwrap_or_default())
}

/// The agreements of institution `org_id` that are active and within their term at `now`
/// (usually one). For the access decision: none means the institution reads nothing.
pub async fn active_for(
    conn: &impl ConnectionTrait,
    org_id: &str,
    now: NaiveDateTime,
) -> ServiceResult<Vec<AgreementRow>> {
    let recs = repo::active_for(conn, org_id, now).await?;
    if recs.is_empty() {
        return Ok(Vec::new());
    }
    let name = org_name(conn, org_id).await?;
    Ok(recs
        .into_iter()
        .map(|r| decode(r, name.clone(), now))
        .collect())
}

/// What an operator asks for.
#[derive(Debug, Clone)]
pub struct NewAgreement {
    /// The institution: its organisation ID or exact name.
    pub org: String,
    /// Item keys or section keys.
    pub items: Vec<String>,
    /// Purpose codes or Chinese labels.
    pub purposes: Vec<String>,
    /// Term in days from now, 1..=3650.
    pub days: i64,
    /// The institution's commitment; the standard wording when absent.
    pub commitment_text: Option<String>,
}

/// Finds an organisation by ID, USCC or exact name (the first one so named).
pub async fn find_org(
    conn: &impl ConnectionTrait,
    key: &str,
) -> ServiceResult<Option<OrganizationRow>> {
    let key = key.trim();
    if let Some(org) = organizations::get(conn, key).await? {
        return Ok(Some(org));
    }
    Ok(organizations::list(conn, None)
        .await?
        .into_iter()
        .find(|o| o.name == key || o.uscc.as_deref() == Some(key)))
}

async fn institution(conn: &impl ConnectionTrait, key: &str) -> ServiceResult<OrganizationRow> {
    let org = find_org(conn, key).await?.ok_or_else(|| {
        ServiceError::invalid("agreement.org", format!("机构“{}”不存在", key.trim()))
    })?;
    if org.kind != Role::Institution.code() {
        return Err(ServiceError::invalid(
            "agreement.org_kind",
            format!("“{}”不是接入机构，只能与接入机构签订数据共享协议", org.name),
        ));
    }
    Ok(org)
}

/// Creates an agreement (operator). `actor` is `None` when the platform itself acts (CLI,
/// demo).
pub async fn create(
    platform: &Platform,
    actor: Option<&Principal>,
    new: NewAgreement,
) -> ServiceResult<AgreementRow> {
    if let Some(a) = actor {
        a.require(&[Role::Operator])?;
    }
    let conn = &platform.db.conn;
    let org = institution(conn, &new.org).await?;
    let scope = Scope::parse(crate::catalog::current(), &new.items).map_err(invalid)?;
    let purposes = rules::parse_purposes(&new.purposes).map_err(invalid)?;
    let now = platform.clock.now_naive();
    let (valid_from, valid_until) = rules::validity(now, new.days).map_err(invalid)?;
    let text = new
        .commitment_text
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .unwrap_or(STANDARD_COMMITMENT)
        .to_owned();
    let txn = conn
        .begin()
        .await
        .map_err(xinrong_store::StoreError::from)?;
    let row = create_in(
        &txn,
        platform,
        actor,
        &org,
        AgreementScope {
            items: scope,
            purposes,
        },
        (valid_from, valid_until),
        &text,
    )
    .await?;
    txn.commit()
        .await
        .map_err(xinrong_store::StoreError::from)?;
    Ok(row)
}

/// Writes an agreement, its commitment, trail entry and notice inside `conn`'s transaction.
pub(crate) async fn create_in<C: ConnectionTrait>(
    conn: &C,
    platform: &Platform,
    actor: Option<&Principal>,
    org: &OrganizationRow,
    scope: AgreementScope,
    (valid_from, valid_until): (NaiveDateTime, NaiveDateTime),
    commitment_text: &str,
) -> ServiceResult<AgreementRow> {
    let now = platform.clock.now_naive();
    let id = ids::new_id().to_string();
    let codes: Vec<&str> = scope.purposes.iter().map(|p| p.code()).collect();
    let rec = AgreementRecord {
        id: id.clone(),
        org_id: org.id.clone(),
        scope: serde_json::to_string(scope.items.keys()).expect("JSON"),
        purposes: serde_json::to_string(&codes).expect("JSON"),
        valid_from,
        valid_until,
        status: AgreementStatus::Active.code().to_owned(),
        status_reason: None,
        commitment_id: None,
        created_by: actor.map(|a| a.user_id.clone()),
        created_at: now,
        updated_at: now,
    };
    repo::insert(conn, rec.clone()).await?;
    let commitment = commitments::sign(
        conn,
        platform,
        Signing {
            subject: org.uscc.as_deref(),
            user_id: None,
            org_id: Some(&org.id),
            context: "agreement",
            ref_id: Some(&id),
            text: commitment_text,
        },
    )
    .await?;
    repo::set_commitment(conn, &id, &commitment.id).await?;
    trail::append(
        conn,
        platform,
        TrailEntry {
            kind: "agreement.created",
            ref_id: &id,
            subject: None,
            actor_user_id: actor.map(|a| a.user_id.as_str()),
            actor_org_id: actor.map(|a| a.org_id.as_str()),
            body: serde_json::json!({
                "org_id": org.id,
                "items": scope.items.keys(),
                "purposes": codes,
                "valid_from": valid_from,
                "valid_until": valid_until,
                "commitment_id": commitment.id,
                "commitment_sm3": commitment.text_sm3,
            }),
        },
    )
    .await?;
    notifications::notify(
        conn,
        platform,
        Notice {
            recipient: Recipient::Org(org.id.clone()),
            kind: "agreement.created",
            title: "数据共享协议已生效".to_owned(),
            body: format!(
                "平台已与贵机构签订数据共享协议，有效期至 {}。",
                valid_until.format("%Y-%m-%d")
            ),
            link: Some("/agreements".to_owned()),
        },
    )
    .await?;
    let mut rec = rec;
    rec.commitment_id = Some(commitment.id);
    Ok(decode(rec, org.name.clone(), now))
}

/// Agreements the actor may see: the operator every one (or one institution's), an
/// institution its own; other roles none.
pub async fn list(
    platform: &Platform,
    actor: &Principal,
    org: Option<&str>,
) -> ServiceResult<Vec<AgreementRow>> {
    let org_filter = match actor.role {
        Role::Operator => org.map(str::to_owned),
        Role::Institution => Some(actor.org_id.clone()),
        _ => return Err(ServiceError::Forbidden),
    };
    list_all(platform, org_filter.as_deref()).await
}

/// Every agreement, or one institution's (ID or exact name), for the platform (CLI).
pub async fn list_all(platform: &Platform, org: Option<&str>) -> ServiceResult<Vec<AgreementRow>> {
    let conn = &platform.db.conn;
    let org_id = match org {
        Some(key) => Some(
            find_org(conn, key)
                .await?
                .ok_or_else(|| {
                    ServiceError::invalid("agreement.org", format!("机构“{}”不存在", key.trim()))
                })?
                .id,
        ),
        None => None,
    };
    let now = platform.clock.now_naive();
    let names: std::collections::HashMap<String, String> = organizations::list(conn, None)
        .await?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect();
    Ok(repo::list(conn, org_id.as_deref())
        .await?
        .into_iter()
        .map(|r| {
            let name = names.get(&r.org_id).cloned().unwrap_or_default();
            decode(r, name, now)
        })
        .collect())
}

/// One agreement, if the actor may see it (another institution's is "not found").
pub async fn get(platform: &Platform, actor: &Principal, id: &str) -> ServiceResult<AgreementRow> {
    let conn = &platform.db.conn;
    let rec = repo::get(conn, id)
        .await?
        .ok_or(ServiceError::NotFound("协议"))?;
    match actor.role {
        Role::Operator => {}
        Role::Institution if rec.org_id == actor.org_id => {}
        Role::Institution => return Err(ServiceError::NotFound("协议")),
        _ => return Err(ServiceError::Forbidden),
    }
    let name = org_name(conn, &rec.org_id).await?;
    Ok(decode(rec, name, platform.clock.now_naive()))
}

/// Suspends, reinstates or terminates an agreement (operator; `None` = the platform's CLI).
pub async fn change(
    platform: &Platform,
    actor: Option<&Principal>,
    id: &str,
    action: AgreementAction,
    reason: Option<&str>,
) -> ServiceResult<AgreementRow> {
    if let Some(a) = actor {
        a.require(&[Role::Operator])?;
    }
    let conn = &platform.db.conn;
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    if reason.is_some_and(|r| r.chars().count() > 500) {
        return Err(ServiceError::invalid(
            "agreement.reason",
            "原因不能超过 500 个字符",
        ));
    }
    let txn = conn
        .begin()
        .await
        .map_err(xinrong_store::StoreError::from)?;
    let rec = repo::get(&txn, id)
        .await?
        .ok_or(ServiceError::NotFound("协议"))?;
    let from = AgreementStatus::parse(&rec.status).unwrap_or(AgreementStatus::Suspended);
    let to = from.apply(action).map_err(invalid)?;
    let now = platform.clock.now_naive();
    repo::set_status(&txn, id, to.code(), reason.map(str::to_owned), now).await?;
    let (event, title) = match action {
        AgreementAction::Suspend => ("suspended", "数据共享协议已暂停"),
        AgreementAction::Reinstate => ("reinstated", "数据共享协议已恢复"),
        AgreementAction::Terminate => ("terminated", "数据共享协议已终止"),
    };
    let kind = format!("agreement.{event}");
    trail::append(
        &txn,
        platform,
        TrailEntry {
            kind: &kind,
            ref_id: id,
            subject: None,
            actor_user_id: actor.map(|a| a.user_id.as_str()),
            actor_org_id: actor.map(|a| a.org_id.as_str()),
            body: serde_json::json!({ "from": from.code(), "to": to.code(), "reason": reason }),
        },
    )
    .await?;
    notifications::notify(
        &txn,
        platform,
        Notice {
            recipient: Recipient::Org(rec.org_id.clone()),
            kind: match action {
                AgreementAction::Suspend => "agreement.suspended",
                AgreementAction::Reinstate => "agreement.reinstated",
                AgreementAction::Terminate => "agreement.terminated",
            },
            title: title.to_owned(),
            body: match reason {
                Some(r) => format!("{title}。原因：{r}"),
                None => format!("{title}。"),
            },
            link: Some("/agreements".to_owned()),
        },
    )
    .await?;
    let name = org_name(&txn, &rec.org_id).await?;
    let mut rec = rec;
    rec.status = to.code().to_owned();
    rec.status_reason = reason.map(str::to_owned);
    rec.updated_at = now;
    txn.commit()
        .await
        .map_err(xinrong_store::StoreError::from)?;
    Ok(decode(rec, name, now))
}

/// Gives each institution of the demo city an active agreement over the whole catalogue, for
/// every purpose, for three years, inside the demo's transaction.
pub(crate) async fn seed_demo<C: ConnectionTrait>(
    conn: &C,
    platform: &Platform,
    institutions: &[OrganizationRow],
) -> ServiceResult<usize> {
    let now = platform.clock.now_naive();
    let term = rules::validity(now, 3 * 365).map_err(invalid)?;
    for org in institutions {
        create_in(
            conn,
            platform,
            None,
            org,
            AgreementScope {
                items: Scope::all_sections(crate::catalog::current()),
                purposes: Purpose::ALL.to_vec(),
            },
            term,
            STANDARD_COMMITMENT,
        )
        .await?;
    }
    Ok(institutions.len())
}

/// The signed commitments (信用承诺书) of these agreements, by agreement ID: text, time and
/// SM3 digest, for showing beside each agreement.
pub async fn commitments_of(
    platform: &Platform,
    rows: &[AgreementRow],
) -> ServiceResult<std::collections::HashMap<String, commitments::CommitmentRow>> {
    let mut out = std::collections::HashMap::new();
    for row in rows {
        if let Some(id) = &row.commitment_id {
            out.insert(
                row.id.clone(),
                commitments::get(&platform.db.conn, id).await?,
            );
        }
    }
    Ok(out)
}
