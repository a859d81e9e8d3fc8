//! Login with backoff and lockout, browser sessions, logout.

use super::passwords::{DUMMY_HASH, verify_password};
use super::principal::Principal;
use super::secrets::{digest, random_secret};
use crate::error::{ServiceError, ServiceResult};
use crate::platform::Platform;
use chrono::Duration;
use xinrong_store::repo::sessions::SessionRow;
use xinrong_store::repo::{sessions, users};

/// How long a browser session lives.
pub const SESSION_TTL: Duration = Duration::hours(8);

/// Failed logins allowed before the account locks.
const FREE_ATTEMPTS: i32 = 5;
/// The first lock lasts this long; each further failure doubles it, up to [`MAX_LOCK`].
const FIRST_LOCK: Duration = Duration::seconds(30);
const MAX_LOCK: Duration = Duration::hours(1);

pub struct LoginOutcome {
    pub principal: Principal,
    /// The cookie value; only its digest is stored.
    pub session_token: String,
}

/// How long to lock after the `failures`-th consecutive failure, if at all.
fn lock_for(failures: i32) -> Option<Duration> {
    if failures < FREE_ATTEMPTS {
        return None;
    }
    let doublings = (failures - FREE_ATTEMPTS).min(16) as u32;
    Some((FIRST_LOCK * 2i32.pow(doublings)).min(MAX_LOCK))
}

pub async fn login(
    platform: &Platform,
    username: &str,
    password: &str,
) -> ServiceResult<LoginOutcome> {
    let now = platform.clock.now_naive();
    let Some(user) = users::by_username(&platform.db.conn, username.trim()).await? else {
        verify_password(password, &DUMMY_HASH);
        return Err(ServiceError::BadCredentials);
    };
    if let Some(until) = user.locked_until.filter(|until| *until > now) {
        return Err(ServiceError::Locked {
            retry_after_secs: (until - now).num_seconds().max(1),
        });
    }
    if user.disabled || !verify_password(password, &user.password_hash) {
        let failures = user.failed_logins + 1;
        let locked_until = lock_for(failures).map(|d| now + d);
        users::record_failure(&platform.db.conn, &user.id, locked_until).await?;
        tracing::warn!(user = %user.username, failures, locked = locked_until.is_some(), "failed login");
        return Err(ServiceError::BadCredentials);
    }
    users::record_success(&platform.db.conn, &user.id, now).await?;
    let token = random_secret();
    sessions::insert(
        &platform.db.conn,
        SessionRow {
            token_hash: digest(&token),
            user_id: user.id.clone(),
            created_at: now,
            expires_at: now + SESSION_TTL,
        },
    )
    .await?;
    let principal = Principal::load(&platform.db, &user.id).await?;
    tracing::info!(user = %principal.username, role = %principal.role, "login");
    Ok(LoginOutcome {
        principal,
        session_token: token,
    })
}

/// The principal of a live session cookie.
pub async fn principal_for_session(platform: &Platform, token: &str) -> ServiceResult<Principal> {
    let now = platform.clock.now_naive();
    let session = sessions::live(&platform.db.conn, &digest(token), now)
        .await?
        .ok_or(ServiceError::Unauthenticated)?;
    Principal::load(&platform.db, &session.user_id).await
}

/// Ends a session; idempotent.
pub async fn logout(platform: &Platform, token: &str) -> ServiceResult<()> {
    sessions::delete(&platform.db.conn, &digest(token)).await?;
    Ok(())
}

/// Deletes expired sessions; `serve` runs it periodically so the table stays small.
pub async fn purge_expired_sessions(platform: &Platform) -> ServiceResult<u64> {
    Ok(sessions::purge_expired(&platform.db.conn, platform.clock.now_naive()).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lock_backs_off_exponentially_with_a_cap() {
        assert_eq!(lock_for(4), None);
        assert_eq!(lock_for(5), Some(Duration::seconds(30)));
        assert_eq!(lock_for(6), Some(Duration::seconds(60)));
        assert_eq!(lock_for(7), Some(Duration::seconds(120)));
        assert_eq!(lock_for(40), Some(Duration::hours(1)));
    }
}
