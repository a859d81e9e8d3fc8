//! 站内信: every user's own inbox. A message of another user is “not found”, like one that
//! does not exist.

use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, Query, State};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use xinrong_services::notifications::inbox::{self, Contact, InboxMessage};

#[derive(Serialize, utoipa::ToSchema)]
pub struct NotificationView {
    pub id: String,
    /// Stable event code, e.g. `registration.submitted`, `objection.filed`.
    pub kind: String,
    pub title: String,
    pub body: String,
    /// The UI path the message is about.
    pub link: Option<String>,
    pub created_at: DateTime<Utc>,
    /// When the user marked it read; `null` while unread.
    pub read_at: Option<DateTime<Utc>>,
}

impl From<InboxMessage> for NotificationView {
    fn from(m: InboxMessage) -> Self {
        NotificationView {
            id: m.id,
            kind: m.kind,
            title: m.title,
            body: m.body,
            link: m.link,
            created_at: m.created_at,
            read_at: m.read_at,
        }
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct InboxView {
    pub unread: u64,
    /// Newest first, at most 200.
    pub notifications: Vec<NotificationView>,
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct InboxParams {
    /// Only unread messages.
    #[serde(default)]
    pub unread: bool,
}

/// The caller's inbox, newest first, with the unread count.
#[utoipa::path(
    get,
    path = "/api/v1/notifications",
    tag = "notifications",
    security(("bearer" = []), ("session" = [])),
    params(InboxParams),
    responses(
        (status = 200, body = InboxView),
        (status = 401, body = ErrorBody)
    )
)]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<InboxParams>,
) -> Result<Json<InboxView>, ApiError> {
    let messages = inbox::list(&state.platform, &caller.principal, q.unread).await?;
    let unread = inbox::unread_count(&state.platform, &caller.principal).await?;
    Ok(Json(InboxView {
        unread,
        notifications: messages.into_iter().map(NotificationView::from).collect(),
    }))
}

/// Marks one of the caller's messages read.
#[utoipa::path(
    post,
    path = "/api/v1/notifications/{id}/read",
    tag = "notifications",
    security(("bearer" = []), ("session" = [])),
    params(("id" = String, Path, description = "Notification ID")),
    responses(
        (status = 200, body = NotificationView),
        (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody)
    )
)]
pub async fn read(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<NotificationView>, ApiError> {
    Ok(Json(
        inbox::mark_read(&state.platform, &caller.principal, &id)
            .await?
            .into(),
    ))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ReadAll {
    /// How many messages were unread.
    pub marked: u64,
}

/// Marks every message of the caller read.
#[utoipa::path(
    post,
    path = "/api/v1/notifications/read-all",
    tag = "notifications",
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, body = ReadAll),
        (status = 401, body = ErrorBody)
    )
)]
pub async fn read_all(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<ReadAll>, ApiError> {
    Ok(Json(ReadAll {
        marked: inbox::mark_all_read(&state.platform, &caller.principal).await?,
    }))
}

/// Where the caller's outbound notices are e-mailed (when the platform has SMTP configured).
#[derive(Serialize, Deserialize, utoipa::ToSchema)]
pub struct ContactView {
    /// `null` or empty: no e-mail.
    pub email: Option<String>,
    /// The phone given at registration (read only).
    #[serde(default)]
    pub phone: Option<String>,
}

impl From<Contact> for ContactView {
    fn from(c: Contact) -> Self {
        ContactView {
            email: c.email,
            phone: c.phone,
        }
    }
}

/// The caller's notification e-mail address.
#[utoipa::path(
    get,
    path = "/api/v1/notifications/contact",
    tag = "notifications",
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, body = ContactView),
        (status = 401, body = ErrorBody)
    )
)]
pub async fn contact(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<ContactView>, ApiError> {
    Ok(Json(
        inbox::contact(&state.platform, &caller.principal)
            .await?
            .into(),
    ))
}

/// Sets or clears the caller's notification e-mail address.
#[utoipa::path(
    put,
    path = "/api/v1/notifications/contact",
    tag = "notifications",
    security(("bearer" = []), ("session" = [])),
    request_body = ContactView,
    responses(
        (status = 200, body = ContactView),
        (status = 401, body = ErrorBody),
        (status = 422, description = "`contact.email`", body = ErrorBody)
    )
)]
pub async fn set_contact(
    State(state): State<AppState>,
    caller: Caller,
    Json(body): Json<ContactView>,
) -> Result<Json<ContactView>, ApiError> {
    Ok(Json(
        inbox::set_email(&state.platform, &caller.principal, body.email.as_deref())
            .await?
            .into(),
    ))
}
