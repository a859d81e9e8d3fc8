//! 企业注册 (简化注册): an enterprise user registers with the enterprise's USCC, name, legal
//! representative's name and ID number, and is checked against the registration data the
//! platform already holds (`enterprises`). When everything matches, the enterprise's
//! organisation and its first user are created at once, real-name verified, and nothing else is
//! asked; the held data is shown back. Otherwise the request waits in the operator's review
//! queue, the login is created only on approval, and the applicant follows it with the status
//! token handed out at submission.
//!
//! A refusal never says which field did not match nor shows held data: the answer to a wrong ID
//! number is the same as to an unknown USCC, so the form cannot be used to probe ID numbers.
//! Attempts per USCC are rate limited. The ID number is kept only as an SM3 digest and a masked
//! form.

use crate::error::{ServiceError, ServiceResult};
use crate::identity::{
    NewOrganization, NewUser, Principal, hash_password, organization_row_for_demo,
    user_row_for_demo, validate_new_password,
};
use crate::notifications::{self, Notice, Recipient};
use crate::platform::Platform;
use crate::trail::{self, TrailEntry};
use base64::Engine;
use chrono::{DateTime, Utc};
use rand::RngCore;
use serde::Serialize;
use xinrong_core::codes::region::regions;
use xinrong_core::codes::resident_id::ResidentId;
use xinrong_core::codes::uscc::Uscc;
use xinrong_core::ids;
use xinrong_core::role::Role;
use xinrong_ledger::sm3;
use xinrong_store::StoreError;
use xinrong_store::repo::enterprises::{self, EnterpriseRow};
use xinrong_store::repo::registrations::{self, RegistrationRow, UserContactRow};
use xinrong_store::repo::{organizations, users};

/// Attempts one USCC may make within [`RATE_WINDOW_MINUTES`]: enough for typing mistakes,
/// too few to probe ID numbers.
pub const MAX_ATTEMPTS_PER_USCC: u64 = 5;
pub const RATE_WINDOW_MINUTES: i64 = 60;

pub const STATUS_VERIFIED: &str = "verified";
pub const STATUS_PENDING: &str = "pending";
pub const STATUS_APPROVED: &str = "approved";
pub const STATUS_REJECTED: &str = "rejected";

/// The business-licence scan an applicant may attach when the check fails.
#[derive(Debug, Clone)]
pub struct Licence {
    pub filename: String,
    /// Declared MIME type (PDF, JPEG or PNG); the content must be of that type.
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// What the applicant enters.
#[derive(Debug, Clone, Default)]
pub struct Submission {
    pub uscc: String,
    pub enterprise_name: String,
    pub legal_rep_name: String,
    pub legal_rep_id_number: String,
    pub username: String,
    pub password: String,
    pub contact_phone: String,
    pub contact_email: Option<String>,
    pub licence: Option<Licence>,
}

/// The registration data the platform holds about the enterprise, shown to it once it proved
/// who it is (nothing here is asked again).
#[derive(Debug, Clone, Serialize)]
pub struct HeldData {
    pub uscc: String,
    pub name: String,
    pub region_code: String,
    pub region_name: String,
    pub industry_code: String,
    pub established: chrono::NaiveDate,
    pub registered_capital_fen: i64,
    pub employees: i32,
    pub size_class: String,
    pub legal_rep_name: String,
    /// Masked: `4101**********123X`.
    pub legal_rep_id_masked: String,
}

/// How a submission ended.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    /// Everything matched: the login exists now.
    Registered {
        registration_id: String,
        org_id: String,
        user_id: String,
        username: String,
        held: Box<HeldData>,
    },
    /// Sent to the operator's review; follow it with `status_token` (shown once).
    Pending {
        registration_id: String,
        status_token: String,
    },
}

/// What the applicant sees on the status page.
#[derive(Debug, Clone, Serialize)]
pub struct StatusView {
    pub status: String,
    pub uscc: String,
    pub enterprise_name: String,
    pub username: String,
    pub submitted_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
    /// The operator's reason, when rejected.
    pub reason: Option<String>,
}

/// A request as the operator reviews it: never the password hash or the ID number in clear.
#[derive(Debug, Clone, Serialize)]
pub struct RegistrationView {
    pub id: String,
    pub status: String,
    pub uscc: String,
    pub enterprise_name: String,
    pub legal_rep_name: String,
    pub legal_rep_id_masked: String,
    pub username: String,
    pub contact_phone: String,
    pub contact_email: Option<String>,
    pub licence_attachment_id: Option<String>,
    pub reason: Option<String>,
    pub org_id: Option<String>,
    pub user_id: Option<String>,
    pub created_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
    /// Whether the platform holds registration data for this USCC at all (operator only).
    pub known_enterprise: bool,
}

impl RegistrationView {
    fn from_row(row: RegistrationRow, known_enterprise: bool) -> Self {
        RegistrationView {
            id: row.id,
            status: row.status,
            uscc: row.uscc,
            enterprise_name: row.enterprise_name,
            legal_rep_name: row.legal_rep_name,
            legal_rep_id_masked: row.legal_rep_id_masked,
            username: row.username,
            contact_phone: row.contact_phone,
            contact_email: row.contact_email,
            licence_attachment_id: row.licence_attachment_id,
            reason: row.reason,
            org_id: row.org_id,
            user_id: row.user_id,
            created_at: row.created_at.and_utc(),
            decided_at: row.decided_at.map(|t| t.and_utc()),
            known_enterprise,
        }
    }
}

/// `410105199001011234` → `4101**********1234`: the first four and last four characters.
pub fn mask_id_number(id: &str) -> String {
    let chars: Vec<char> = id.chars().collect();
    if chars.len() <= 8 {
        return "*".repeat(chars.len());
    }
    let head: String = chars[..4].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}{}{tail}", "*".repeat(chars.len() - 8))
}

/// SM3 of an ID number with a domain prefix; the number itself is never stored.
fn id_digest(id: &ResidentId) -> String {
    sm3(&[
        b"xinrong.registration.legal_rep_id\n",
        id.as_str().as_bytes(),
    ])
    .to_hex()
}

fn token_digest(token: &str) -> String {
    sm3(&[b"xinrong.registration.status_token\n", token.as_bytes()]).to_hex()
}

fn new_status_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// Names compare without spaces and with full-width brackets made half-width:
/// “郑州某某（集团）有限公司” equals “郑州某某(集团)有限公司”.
fn same_name(a: &str, b: &str) -> bool {
    let norm = |s: &str| -> String {
        s.chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| match c {
                '（' => '(',
                '）' => ')',
                other => other,
            })
            .collect()
    };
    norm(a) == norm(b)
}

fn validate_phone(phone: &str) -> ServiceResult<String> {
    let phone = phone.trim();
    let digits = phone.chars().filter(char::is_ascii_digit).count();
    let ok = (7..=20).contains(&phone.len())
        && digits >= 7
        && phone
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '-' | '+' | ' '));
    if ok {
        Ok(phone.to_owned())
    } else {
        Err(ServiceError::invalid(
            "registration.phone",
            "联系电话格式不正确（手机号或区号-电话号码）",
        ))
    }
}

pub(crate) fn validate_email(email: Option<&str>) -> ServiceResult<Option<String>> {
    match email.map(str::trim).filter(|e| !e.is_empty()) {
        None => Ok(None),
        Some(e) => {
            let ok = e.len() <= 200
                && !e.contains(char::is_whitespace)
                && e.split_once('@')
                    .is_some_and(|(user, host)| !user.is_empty() && host.contains('.'));
            if ok {
                Ok(Some(e.to_owned()))
            } else {
                Err(ServiceError::invalid("contact.email", "电子邮箱格式不正确"))
            }
        }
    }
}

fn required(value: &str, code: &'static str, label: &str, max: usize) -> ServiceResult<String> {
    let v = value.trim();
    if v.is_empty() || v.chars().count() > max {
        return Err(ServiceError::invalid(
            code,
            format!("{label}不能为空且不超过{max}字"),
        ));
    }
    Ok(v.to_owned())
}

fn held_data(e: &EnterpriseRow) -> HeldData {
    HeldData {
        uscc: e.uscc.clone(),
        name: e.name.clone(),
        region_code: e.region_code.clone(),
        region_name: regions().full_name(&e.region_code),
        industry_code: e.industry_code.clone(),
        established: e.established,
        registered_capital_fen: e.registered_capital_fen,
        employees: e.employees,
        size_class: e.size_class.clone(),
        legal_rep_name: e.legal_rep_name.clone(),
        legal_rep_id_masked: mask_id_number(&e.legal_rep_id_number),
    }
}

fn exists_error() -> ServiceError {
    ServiceError::invalid(
        "registration.exists",
        "该统一社会信用代码的企业已在平台注册，请联系本企业的管理员添加用户",
    )
}

/// The login and organisation a registration becomes.
async fn create_login(
    txn: &impl sea_orm::ConnectionTrait,
    platform: &Platform,
    row: &RegistrationRow,
    name: String,
    region_code: Option<String>,
) -> ServiceResult<(String, String)> {
    let org = organization_row_for_demo(
        platform,
        NewOrganization {
            id: None,
            role: Role::Enterprise,
            name,
            uscc: Some(row.uscc.clone()),
            region_code,
            institution_kind: None,
        },
    )?;
    let user = user_row_for_demo(
        platform,
        &NewUser {
            org_id: org.id.clone(),
            username: row.username.clone(),
            display_name: row.legal_rep_name.clone(),
            password: String::new(),
        },
        row.password_hash.clone(),
    )?;
    let (org_id, user_id) = (org.id.clone(), user.id.clone());
    organizations::insert(txn, org).await.map_err(|e| match e {
        StoreError::Conflict(_) => exists_error(),
        other => other.into(),
    })?;
    users::insert(txn, user).await.map_err(|e| match e {
        StoreError::Conflict(_) => username_taken(&row.username),
        other => other.into(),
    })?;
    registrations::upsert_contact(
        txn,
        UserContactRow {
            user_id: user_id.clone(),
            email: row.contact_email.clone(),
            phone: Some(row.contact_phone.clone()),
            updated_at: platform.clock.now_naive(),
        },
    )
    .await?;
    Ok((org_id, user_id))
}

fn username_taken(username: &str) -> ServiceError {
    ServiceError::invalid(
        "registration.username_taken",
        format!("用户名 {username} 已被使用，请换一个"),
    )
}

/// Registers an enterprise user (public: no login needed).
pub async fn submit(platform: &Platform, sub: Submission) -> ServiceResult<Outcome> {
    let uscc = Uscc::parse(&sub.uscc)?;
    let uscc = uscc.as_str().to_owned();
    let id_number = ResidentId::parse(&sub.legal_rep_id_number)?;
    let enterprise_name = required(
        &sub.enterprise_name,
        "registration.enterprise_name",
        "企业名称",
        200,
    )?;
    let legal_rep_name = required(
        &sub.legal_rep_name,
        "registration.legal_rep_name",
        "法定代表人姓名",
        100,
    )?;
    let username = sub.username.trim().to_owned();
    // The username rule of every login, checked before anything is stored.
    user_row_for_demo(
        platform,
        &NewUser {
            org_id: String::new(),
            username: username.clone(),
            display_name: legal_rep_name.clone(),
            password: String::new(),
        },
        String::new(),
    )?;
    validate_new_password(&sub.password)?;
    let contact_phone = validate_phone(&sub.contact_phone)?;
    let contact_email = validate_email(sub.contact_email.as_deref())?;

    let conn = &platform.db.conn;
    let now = platform.clock.now_naive();
    let since = now - chrono::Duration::minutes(RATE_WINDOW_MINUTES);
    if registrations::count_for_uscc_since(conn, &uscc, since).await? >= MAX_ATTEMPTS_PER_USCC {
        return Err(ServiceError::Throttled {
            code: "registration.rate_limited",
            message: format!(
                "该统一社会信用代码的注册尝试过于频繁，请于 {RATE_WINDOW_MINUTES} 分钟后重试"
            ),
            retry_after_secs: RATE_WINDOW_MINUTES * 60,
        });
    }
    if registrations::organization_by_uscc(conn, &uscc)
        .await?
        .is_some()
    {
        return Err(exists_error());
    }
    if users::by_username(conn, &username).await?.is_some() {
        return Err(username_taken(&username));
    }
    let held = enterprises::get(conn, &uscc).await?;
    let matched = held.as_ref().filter(|e| {
        same_name(&e.name, &enterprise_name)
            && same_name(&e.legal_rep_name, &legal_rep_name)
            && e.legal_rep_id_number
                .trim()
                .eq_ignore_ascii_case(id_number.as_str())
    });
    let password_hash = hash_password(&sub.password)?;
    let status_token = new_status_token();
    let mut row = RegistrationRow {
        id: ids::new_id().to_string(),
        uscc: uscc.clone(),
        enterprise_name,
        legal_rep_name,
        legal_rep_id_sm3: id_digest(&id_number),
        legal_rep_id_masked: mask_id_number(id_number.as_str()),
        username: username.clone(),
        password_hash,
        contact_phone,
        contact_email,
        licence_attachment_id: None,
        status: STATUS_PENDING.to_owned(),
        reason: None,
        status_token_sm3: token_digest(&status_token),
        org_id: None,
        user_id: None,
        created_at: now,
        decided_at: None,
        decided_by_user_id: None,
    };

    let txn = platform.db.begin().await?;
    let outcome = if let Some(e) = matched {
        let (org_id, user_id) = create_login(
            &txn,
            platform,
            &row,
            e.name.clone(),
            Some(e.region_code.clone()),
        )
        .await?;
        row.status = STATUS_VERIFIED.to_owned();
        row.org_id = Some(org_id.clone());
        row.user_id = Some(user_id.clone());
        row.decided_at = Some(now);
        registrations::insert(&txn, row.clone()).await?;
        trail::append(
            &txn,
            platform,
            TrailEntry {
                kind: "registration.submitted",
                ref_id: &row.id,
                subject: Some(&uscc),
                actor_user_id: None,
                actor_org_id: None,
                body: serde_json::json!({ "username": username, "matched": true }),
            },
        )
        .await?;
        trail::append(
            &txn,
            platform,
            TrailEntry {
                kind: "registration.approved",
                ref_id: &row.id,
                subject: Some(&uscc),
                actor_user_id: None,
                actor_org_id: None,
                body: serde_json::json!({
                    "by": "real_name_check",
                    "org_id": org_id,
                    "user_id": user_id,
                }),
            },
        )
        .await?;
        notifications::notify(
            &txn,
            platform,
            Notice {
                recipient: Recipient::User(user_id.clone()),
                kind: "registration.approved",
                title: "企业注册成功".to_owned(),
                body: format!(
                    "{} 已通过实名核验完成注册，可使用平台的企业自助服务。",
                    e.name
                ),
                link: Some("/".to_owned()),
            },
        )
        .await?;
        Outcome::Registered {
            registration_id: row.id.clone(),
            org_id,
            user_id,
            username,
            held: Box::new(held_data(e)),
        }
    } else {
        if let Some(licence) = sub.licence {
            let stored = crate::attachments::store(
                &txn,
                platform,
                crate::attachments::Upload {
                    filename: licence.filename,
                    declared_type: licence.content_type,
                    bytes: licence.bytes,
                },
                crate::attachments::Uploader::default(),
            )
            .await?;
            row.licence_attachment_id = Some(stored.id);
        }
        registrations::insert(&txn, row.clone()).await?;
        trail::append(
            &txn,
            platform,
            TrailEntry {
                kind: "registration.submitted",
                ref_id: &row.id,
                subject: Some(&uscc),
                actor_user_id: None,
                actor_org_id: None,
                body: serde_json::json!({
                    "username": username,
                    "matched": false,
                    "licence_attachment_id": row.licence_attachment_id,
                }),
            },
        )
        .await?;
        notifications::notify(
            &txn,
            platform,
            Notice {
                recipient: Recipient::Operators,
                kind: "registration.submitted",
                title: "新的企业注册待审核".to_owned(),
                body: format!(
                    "{}（{}）提交的注册信息未能自动核验，请审核。",
                    row.enterprise_name, row.uscc
                ),
                link: Some(format!("/registrations/{}", row.id)),
            },
        )
        .await?;
        Outcome::Pending {
            registration_id: row.id.clone(),
            status_token,
        }
    };
    txn.commit().await.map_err(StoreError::from)?;
    tracing::info!(registration = %row.id, status = %row.status, "registration submitted");
    Ok(outcome)
}

/// The applicant's view of its request, by the token handed out at submission.
pub async fn status(platform: &Platform, token: &str) -> ServiceResult<StatusView> {
    let row = registrations::by_token(&platform.db.conn, &token_digest(token.trim()))
        .await?
        .ok_or(ServiceError::NotFound("注册申请"))?;
    Ok(StatusView {
        status: row.status,
        uscc: row.uscc,
        enterprise_name: row.enterprise_name,
        username: row.username,
        submitted_at: row.created_at.and_utc(),
        decided_at: row.decided_at.map(|t| t.and_utc()),
        reason: row.reason,
    })
}

/// The review queue (operator): newest first, optionally of one status.
pub async fn list(
    platform: &Platform,
    actor: &Principal,
    status: Option<&str>,
) -> ServiceResult<Vec<RegistrationView>> {
    actor.require(&[Role::Operator])?;
    list_all(platform, status).await
}

/// The review queue for the CLI, which has the database and acts as the platform.
pub async fn list_all(
    platform: &Platform,
    status: Option<&str>,
) -> ServiceResult<Vec<RegistrationView>> {
    if let Some(s) = status
        && ![
            STATUS_VERIFIED,
            STATUS_PENDING,
            STATUS_APPROVED,
            STATUS_REJECTED,
        ]
        .contains(&s)
    {
        return Err(ServiceError::invalid(
            "registration.status",
            format!("未知状态：{s}（verified、pending、approved、rejected）"),
        ));
    }
    let conn = &platform.db.conn;
    let rows = registrations::list(conn, status, 500).await?;
    let usccs: Vec<&str> = rows.iter().map(|r| r.uscc.as_str()).collect();
    let known = enterprises::known_among(conn, &usccs).await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let k = known.contains(&r.uscc);
            RegistrationView::from_row(r, k)
        })
        .collect())
}

pub async fn get(
    platform: &Platform,
    actor: &Principal,
    id: &str,
) -> ServiceResult<RegistrationView> {
    actor.require(&[Role::Operator])?;
    let conn = &platform.db.conn;
    let row = registrations::get(conn, id)
        .await?
        .ok_or(ServiceError::NotFound("注册申请"))?;
    let known = enterprises::get(conn, &row.uscc).await?.is_some();
    Ok(RegistrationView::from_row(row, known))
}

async fn pending(conn: &impl sea_orm::ConnectionTrait, id: &str) -> ServiceResult<RegistrationRow> {
    let row = registrations::get(conn, id)
        .await?
        .ok_or(ServiceError::NotFound("注册申请"))?;
    if row.status != STATUS_PENDING {
        return Err(ServiceError::invalid(
            "registration.decided",
            "该注册申请已处理，不能再次审核",
        ));
    }
    Ok(row)
}

/// The operator approves a request after checking it (e.g. against the licence scan): the
/// organisation and login are created now.
pub async fn approve(
    platform: &Platform,
    actor: &Principal,
    id: &str,
) -> ServiceResult<RegistrationView> {
    actor.require(&[Role::Operator])?;
    decide_approve(platform, Some(actor), id).await
}

/// Approval from the CLI, acting as the platform (the trail names no user).
pub async fn approve_as_platform(platform: &Platform, id: &str) -> ServiceResult<RegistrationView> {
    decide_approve(platform, None, id).await
}

async fn decide_approve(
    platform: &Platform,
    actor: Option<&Principal>,
    id: &str,
) -> ServiceResult<RegistrationView> {
    let txn = platform.db.begin().await?;
    let mut row = pending(&txn, id).await?;
    if registrations::organization_by_uscc(&txn, &row.uscc)
        .await?
        .is_some()
    {
        return Err(exists_error());
    }
    if users::by_username(&txn, &row.username).await?.is_some() {
        return Err(username_taken(&row.username));
    }
    let held = enterprises::get(&txn, &row.uscc).await?;
    let (org_id, user_id) = create_login(
        &txn,
        platform,
        &row,
        row.enterprise_name.clone(),
        held.map(|e| e.region_code),
    )
    .await?;
    let now = platform.clock.now_naive();
    row.status = STATUS_APPROVED.to_owned();
    row.org_id = Some(org_id.clone());
    row.user_id = Some(user_id.clone());
    row.decided_at = Some(now);
    row.decided_by_user_id = actor.map(|a| a.user_id.clone());
    registrations::update(&txn, row.clone()).await?;
    trail::append(
        &txn,
        platform,
        TrailEntry {
            kind: "registration.approved",
            ref_id: &row.id,
            subject: Some(&row.uscc),
            actor_user_id: actor.map(|a| a.user_id.as_str()),
            actor_org_id: actor.map(|a| a.org_id.as_str()),
            body: serde_json::json!({
                "by": if actor.is_some() { "operator" } else { "cli" },
                "org_id": org_id,
                "user_id": user_id,
            }),
        },
    )
    .await?;
    notifications::notify(
        &txn,
        platform,
        Notice {
            recipient: Recipient::User(user_id),
            kind: "registration.approved",
            title: "企业注册已通过审核".to_owned(),
            body: format!(
                "{} 的注册申请已由平台运营方审核通过，欢迎使用。",
                row.enterprise_name
            ),
            link: Some("/".to_owned()),
        },
    )
    .await?;
    txn.commit().await.map_err(StoreError::from)?;
    tracing::info!(actor = actor.map_or("cli", |a| a.username.as_str()), registration = %row.id, "registration approved");
    Ok(RegistrationView::from_row(row, true))
}

/// The operator rejects a request, saying why; the applicant reads the reason on the status
/// page. No login is created.
pub async fn reject(
    platform: &Platform,
    actor: &Principal,
    id: &str,
    reason: &str,
) -> ServiceResult<RegistrationView> {
    actor.require(&[Role::Operator])?;
    decide_reject(platform, Some(actor), id, reason).await
}

/// Rejection from the CLI, acting as the platform.
pub async fn reject_as_platform(
    platform: &Platform,
    id: &str,
    reason: &str,
) -> ServiceResult<RegistrationView> {
    decide_reject(platform, None, id, reason).await
}

async fn decide_reject(
    platform: &Platform,
    actor: Option<&Principal>,
    id: &str,
    reason: &str,
) -> ServiceResult<RegistrationView> {
    let reason = required(reason, "registration.reason", "驳回理由", 500)?;
    let txn = platform.db.begin().await?;
    let mut row = pending(&txn, id).await?;
    let known = enterprises::get(&txn, &row.uscc).await?.is_some();
    row.status = STATUS_REJECTED.to_owned();
    row.reason = Some(reason.clone());
    row.decided_at = Some(platform.clock.now_naive());
    row.decided_by_user_id = actor.map(|a| a.user_id.clone());
    registrations::update(&txn, row.clone()).await?;
    trail::append(
        &txn,
        platform,
        TrailEntry {
            kind: "registration.rejected",
            ref_id: &row.id,
            subject: Some(&row.uscc),
            actor_user_id: actor.map(|a| a.user_id.as_str()),
            actor_org_id: actor.map(|a| a.org_id.as_str()),
            body: serde_json::json!({ "reason": reason }),
        },
    )
    .await?;
    txn.commit().await.map_err(StoreError::from)?;
    tracing::info!(actor = actor.map_or("cli", |a| a.username.as_str()), registration = %row.id, "registration rejected");
    Ok(RegistrationView::from_row(row, known))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_keep_four_and_four() {
        assert_eq!(mask_id_number("41010519900101123X"), "4101**********123X");
        assert_eq!(mask_id_number("123"), "***");
    }

    #[test]
    fn names_ignore_spaces_and_bracket_width() {
        assert!(same_name(
            "郑州某某（集团）有限公司",
            "郑州某某(集团) 有限公司"
        ));
        assert!(!same_name("郑州某某有限公司", "郑州某某某有限公司"));
    }

    #[test]
    fn contact_checks() {
        assert!(validate_phone("13812345678").is_ok());
        assert!(validate_phone("0371-12345678").is_ok());
        assert!(validate_phone("abc").is_err());
        assert_eq!(validate_email(Some(" ")).unwrap(), None);
        assert!(validate_email(Some("a@b")).is_err());
        assert!(validate_email(Some("a@b.cn")).is_ok());
    }
}
