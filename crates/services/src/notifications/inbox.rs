//! 站内信 (inbox): each user reads, and marks read, only their own messages.

use super::outbound::Message;
use crate::error::{ServiceError, ServiceResult};
use crate::identity::Principal;
use crate::platform::Platform;
use chrono::{DateTime, Utc};
use serde::Serialize;
use xinrong_store::repo::inbox::{self, NotificationRow};
use xinrong_store::repo::notifications;

/// Messages listed at most.
pub const MAX_LISTED: u64 = 200;

/// One message as its recipient sees it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct InboxMessage {
    pub id: String,
    /// Stable event code, e.g. `objection.filed`.
    pub kind: String,
    pub title: String,
    pub body: String,
    pub link: Option<String>,
    pub created_at: DateTime<Utc>,
    pub read_at: Option<DateTime<Utc>>,
}

impl From<NotificationRow> for InboxMessage {
    fn from(r: NotificationRow) -> Self {
        InboxMessage {
            id: r.id,
            kind: r.kind,
            title: r.title,
            body: r.body,
            link: r.link,
            created_at: r.created_at.and_utc(),
            read_at: r.read_at.map(|t| t.and_utc()),
        }
    }
}

/// The outbound copy of an inbox row.
pub(crate) fn to_message(
    row: &NotificationRow,
    username: String,
    email: Option<String>,
) -> Message {
    Message {
        id: row.id.clone(),
        kind: row.kind.clone(),
        title: row.title.clone(),
        body: row.body.clone(),
        link: row.link.clone(),
        created_at: row.created_at.and_utc(),
        user_id: row.user_id.clone(),
        username,
        email,
    }
}

/// The caller's messages, newest first.
pub async fn list(
    platform: &Platform,
    principal: &Principal,
    unread_only: bool,
) -> ServiceResult<Vec<InboxMessage>> {
    Ok(notifications::for_user(
        &platform.db.conn,
        &principal.user_id,
        unread_only,
        MAX_LISTED,
    )
    .await?
    .into_iter()
    .map(InboxMessage::from)
    .collect())
}

pub async fn unread_count(platform: &Platform, principal: &Principal) -> ServiceResult<u64> {
    Ok(notifications::unread_count(&platform.db.conn, &principal.user_id).await?)
}

/// Marks one of the caller's messages read. Another user's message is “not found”, exactly
/// like a message that does not exist.
pub async fn mark_read(
    platform: &Platform,
    principal: &Principal,
    id: &str,
) -> ServiceResult<InboxMessage> {
    let conn = &platform.db.conn;
    inbox::mark_read(conn, id, &principal.user_id, platform.clock.now_naive()).await?;
    inbox::get_for_user(conn, id, &principal.user_id)
        .await?
        .map(InboxMessage::from)
        .ok_or(ServiceError::NotFound("通知"))
}

/// Marks every unread message of the caller read; returns how many were unread.
pub async fn mark_all_read(platform: &Platform, principal: &Principal) -> ServiceResult<u64> {
    Ok(inbox::mark_all_read(
        &platform.db.conn,
        &principal.user_id,
        platform.clock.now_naive(),
    )
    .await?)
}

/// A user's inbox for the CLI (`xinrong notifications list --user NAME`), which has the
/// database and acts as the platform.
pub async fn list_for_username(
    platform: &Platform,
    username: &str,
    unread_only: bool,
) -> ServiceResult<Vec<InboxMessage>> {
    let user = xinrong_store::repo::users::by_username(&platform.db.conn, username)
        .await?
        .ok_or(ServiceError::NotFound("用户"))?;
    Ok(
        notifications::for_user(&platform.db.conn, &user.id, unread_only, MAX_LISTED)
            .await?
            .into_iter()
            .map(InboxMessage::from)
            .collect(),
    )
}

/// Where the caller's outbound e-mail goes.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Contact {
    pub email: Option<String>,
    pub phone: Option<String>,
}

pub async fn contact(platform: &Platform, principal: &Principal) -> ServiceResult<Contact> {
    let row =
        xinrong_store::repo::registrations::contact(&platform.db.conn, &principal.user_id).await?;
    Ok(Contact {
        email: row.as_ref().and_then(|c| c.email.clone()),
        phone: row.and_then(|c| c.phone),
    })
}

/// Sets (or, with an empty value, clears) the caller's e-mail address for outbound notices;
/// the phone given at registration is kept.
pub async fn set_email(
    platform: &Platform,
    principal: &Principal,
    email: Option<&str>,
) -> ServiceResult<Contact> {
    let email = crate::registration::validate_email(email)?;
    let conn = &platform.db.conn;
    let phone = xinrong_store::repo::registrations::contact(conn, &principal.user_id)
        .await?
        .and_then(|c| c.phone);
    xinrong_store::repo::registrations::upsert_contact(
        conn,
        xinrong_store::repo::registrations::UserContactRow {
            user_id: principal.user_id.clone(),
            email: email.clone(),
            phone: phone.clone(),
            updated_at: platform.clock.now_naive(),
        },
    )
    .await?;
    tracing::info!(user = %principal.username, set = email.is_some(), "notification e-mail changed");
    Ok(Contact { email, phone })
}
