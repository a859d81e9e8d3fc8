//! Users (用户).

use super::organizations::{NewOrganization, create_organization};
use super::passwords::{hash_password, validate_new_password};
use crate::error::{ServiceError, ServiceResult};
use crate::platform::Platform;
use xinrong_core::ids;
use xinrong_core::role::Role;
use xinrong_store::repo::organizations;
use xinrong_store::repo::users::{self, UserRow};

#[derive(Debug, Clone)]
pub struct NewUser {
    pub org_id: String,
    pub username: String,
    pub display_name: String,
    pub password: String,
}

/// Usernames are short ASCII handles so they can be typed anywhere and used in scripts.
fn validate_username(username: &str) -> ServiceResult<()> {
    let ok = (3..=64).contains(&username.len())
        && username
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'));
    if ok {
        Ok(())
    } else {
        Err(ServiceError::invalid(
            "user.username",
            "用户名须为3至64位小写字母、数字或 . _ -",
        ))
    }
}

pub(crate) fn user_row(
    platform: &Platform,
    new: &NewUser,
    password_hash: String,
) -> ServiceResult<UserRow> {
    validate_username(&new.username)?;
    let display_name = new.display_name.trim();
    if display_name.is_empty() {
        return Err(ServiceError::invalid("user.display_name", "姓名不能为空"));
    }
    Ok(UserRow {
        id: ids::new_id().to_string(),
        org_id: new.org_id.clone(),
        username: new.username.clone(),
        display_name: display_name.to_owned(),
        password_hash,
        failed_logins: 0,
        locked_until: None,
        disabled: false,
        created_at: platform.clock.now_naive(),
        last_login_at: None,
    })
}

pub async fn create_user(platform: &Platform, new: NewUser) -> ServiceResult<UserRow> {
    validate_new_password(&new.password)?;
    if organizations::get(&platform.db.conn, &new.org_id)
        .await?
        .is_none()
    {
        return Err(ServiceError::NotFound("机构"));
    }
    let row = user_row(platform, &new, hash_password(&new.password)?)?;
    users::insert(&platform.db.conn, row.clone())
        .await
        .map_err(|e| match e {
            xinrong_store::StoreError::Conflict(_) => {
                ServiceError::Conflict(format!("用户名 {} 已被使用", new.username))
            }
            other => other.into(),
        })?;
    Ok(row)
}

/// `xinrong admin create-user`: the first operator account, creating the operator organisation
/// when the platform has none yet.
pub async fn create_first_operator(
    platform: &Platform,
    username: &str,
    display_name: &str,
    password: &str,
) -> ServiceResult<UserRow> {
    let existing = organizations::list(&platform.db.conn, Some(Role::Operator.code())).await?;
    let org = match existing.into_iter().next() {
        Some(org) => org,
        None => {
            create_organization(
                platform,
                NewOrganization {
                    id: None,
                    role: Role::Operator,
                    name: "融资信用服务平台运营中心".to_owned(),
                    uscc: None,
                    region_code: None,
                    institution_kind: None,
                },
            )
            .await?
        }
    };
    create_user(
        platform,
        NewUser {
            org_id: org.id,
            username: username.to_owned(),
            display_name: display_name.to_owned(),
            password: password.to_owned(),
        },
    )
    .await
}

/// A user as shown to the operator: never the password hash.
#[derive(Debug, Clone, serde::Serialize, PartialEq, Eq)]
pub struct UserInfo {
    pub id: String,
    pub org_id: String,
    pub username: String,
    pub display_name: String,
    pub locked: bool,
    pub disabled: bool,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub last_login_at: Option<chrono::DateTime<chrono::Utc>>,
}

impl UserInfo {
    fn from_row(row: UserRow, now: chrono::NaiveDateTime) -> Self {
        UserInfo {
            locked: row.locked_until.is_some_and(|until| until > now),
            id: row.id,
            org_id: row.org_id,
            username: row.username,
            display_name: row.display_name,
            disabled: row.disabled,
            created_at: row.created_at.and_utc(),
            last_login_at: row.last_login_at.map(|t| t.and_utc()),
        }
    }
}

/// The users of an organisation (operator only).
pub async fn list_users(
    platform: &Platform,
    actor: &super::Principal,
    org_id: &str,
) -> ServiceResult<Vec<UserInfo>> {
    actor.require(&[Role::Operator])?;
    if organizations::get(&platform.db.conn, org_id)
        .await?
        .is_none()
    {
        return Err(ServiceError::NotFound("机构"));
    }
    let now = platform.clock.now_naive();
    Ok(users::list_by_org(&platform.db.conn, org_id)
        .await?
        .into_iter()
        .map(|row| UserInfo::from_row(row, now))
        .collect())
}

/// The operator adds a user to an organisation.
pub async fn add_user(
    platform: &Platform,
    actor: &super::Principal,
    new: NewUser,
) -> ServiceResult<UserInfo> {
    actor.require(&[Role::Operator])?;
    let row = create_user(platform, new).await?;
    tracing::info!(actor = %actor.username, user = %row.username, org = %row.org_id, "user created");
    Ok(UserInfo::from_row(row, platform.clock.now_naive()))
}

/// The operator sets a new password for a user: the lock is lifted and every session of the
/// user ends, so a leaked session dies with the old password.
pub async fn reset_password(
    platform: &Platform,
    actor: &super::Principal,
    user_id: &str,
    password: &str,
) -> ServiceResult<()> {
    actor.require(&[Role::Operator])?;
    validate_new_password(password)?;
    if users::get(&platform.db.conn, user_id).await?.is_none() {
        return Err(ServiceError::NotFound("用户"));
    }
    let hash = hash_password(password)?;
    let txn = platform.db.begin().await?;
    users::set_password(&txn, user_id, &hash).await?;
    xinrong_store::repo::sessions::delete_for_user(&txn, user_id).await?;
    txn.commit()
        .await
        .map_err(xinrong_store::StoreError::from)?;
    tracing::info!(actor = %actor.username, user_id, "password reset");
    Ok(())
}
