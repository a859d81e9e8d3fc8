//! API tokens (API 令牌) for machine clients: `Authorization: Bearer xr_…`.

use super::principal::Principal;
use super::secrets::{digest, random_secret};
use crate::error::{ServiceError, ServiceResult};
use crate::platform::Platform;
use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use xinrong_core::ids;
use xinrong_store::repo::api_tokens::{self, ApiTokenRow};

/// Every token starts with this, so a leaked one is recognisable by secret scanners.
const TOKEN_PREFIX: &str = "xr_";

/// A token as listed: never the secret itself.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ApiTokenInfo {
    pub id: String,
    pub name: String,
    pub prefix: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

impl From<ApiTokenRow> for ApiTokenInfo {
    fn from(row: ApiTokenRow) -> Self {
        ApiTokenInfo {
            id: row.id,
            name: row.name,
            prefix: row.prefix,
            created_at: row.created_at.and_utc(),
            expires_at: row.expires_at.map(|t| t.and_utc()),
            last_used_at: row.last_used_at.map(|t| t.and_utc()),
            revoked_at: row.revoked_at.map(|t| t.and_utc()),
        }
    }
}

/// A freshly created token: the secret is shown exactly once.
#[derive(Debug, Clone, Serialize)]
pub struct NewApiToken {
    pub token: String,
    #[serde(flatten)]
    pub info: ApiTokenInfo,
}

pub async fn create_token(
    platform: &Platform,
    principal: &Principal,
    name: &str,
    valid_days: Option<u32>,
) -> ServiceResult<NewApiToken> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(ServiceError::invalid(
            "token.name",
            "令牌名称不能为空且不超过100字",
        ));
    }
    if valid_days == Some(0) || valid_days.is_some_and(|d| d > 3660) {
        return Err(ServiceError::invalid(
            "token.days",
            "有效天数须在1至3660之间",
        ));
    }
    let now = platform.clock.now_naive();
    let token = format!("{TOKEN_PREFIX}{}", random_secret());
    let row = ApiTokenRow {
        id: ids::new_id().to_string(),
        user_id: principal.user_id.clone(),
        name: name.to_owned(),
        token_hash: digest(&token),
        prefix: token.chars().take(10).collect(),
        created_at: now,
        expires_at: valid_days.map(|d| now + Duration::days(i64::from(d))),
        last_used_at: None,
        revoked_at: None,
    };
    api_tokens::insert(&platform.db.conn, row.clone()).await?;
    tracing::info!(user = %principal.username, token_id = %row.id, "api token created");
    Ok(NewApiToken {
        token,
        info: row.into(),
    })
}

pub async fn list_tokens(
    platform: &Platform,
    principal: &Principal,
) -> ServiceResult<Vec<ApiTokenInfo>> {
    Ok(
        api_tokens::list_for_user(&platform.db.conn, &principal.user_id)
            .await?
            .into_iter()
            .map(ApiTokenInfo::from)
            .collect(),
    )
}

/// Revokes one of the principal's own tokens. Revoking twice is not an error.
pub async fn revoke_token(
    platform: &Platform,
    principal: &Principal,
    id: &str,
) -> ServiceResult<()> {
    let now = platform.clock.now_naive();
    if api_tokens::revoke(&platform.db.conn, &principal.user_id, id, now).await? {
        tracing::info!(user = %principal.username, token_id = %id, "api token revoked");
        Ok(())
    } else {
        Err(ServiceError::NotFound("令牌"))
    }
}

/// The principal behind a bearer token, if the token is live.
pub async fn principal_for_token(platform: &Platform, token: &str) -> ServiceResult<Principal> {
    if !token.starts_with(TOKEN_PREFIX) {
        return Err(ServiceError::Unauthenticated);
    }
    let now = platform.clock.now_naive();
    let row = api_tokens::active_by_hash(&platform.db.conn, &digest(token), now)
        .await?
        .ok_or(ServiceError::Unauthenticated)?;
    // "Last used" is shown to the token's owner to the minute; recording it is best effort, so
    // a long batch holding SQLite's single write lock never turns a read into an error.
    let stale = row
        .last_used_at
        .is_none_or(|t| now - t >= chrono::Duration::seconds(60));
    if stale && let Err(e) = api_tokens::touch(&platform.db.conn, &row.id, now).await {
        tracing::debug!(error = %e, "token last-use not recorded");
    }
    Principal::load(&platform.db, &row.user_id).await
}
