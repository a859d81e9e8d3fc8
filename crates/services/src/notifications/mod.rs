//! 通知 (notifications): every workflow event reaches the inbox (站内信) of each user it concerns,
//! written in the same transaction as the event, so a message is never lost nor sent for a step
//! that rolled back. An outbound copy (SMTP or webhook) is delivered after commit from the rows
//! still `pending` (the inbox table is its outbox).

pub mod inbox;
pub mod outbound;

use crate::error::ServiceResult;
use crate::platform::Platform;
use xinrong_core::ids;
use xinrong_core::role::Role;
use xinrong_store::ConnectionTrait;
use xinrong_store::repo::notifications::{self, NotificationRow};
use xinrong_store::repo::{organizations, users};

/// Who a notice is for; resolved to users when it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recipient {
    User(String),
    /// Every active user of an organisation.
    Org(String),
    /// Every active user of the enterprise whose USCC this is (信息主体).
    Subject(String),
    /// Every active user of the platform operator (平台运营方).
    Operators,
}

/// One notice about one workflow event.
#[derive(Debug, Clone)]
pub struct Notice {
    pub recipient: Recipient,
    /// Stable event code, e.g. `objection.filed`.
    pub kind: &'static str,
    /// Chinese, one line.
    pub title: String,
    /// Chinese; never data the recipient may not see.
    pub body: String,
    /// The UI path the notice is about.
    pub link: Option<String>,
}

/// Outbound state of a row nobody configured a channel for.
pub const OUTBOUND_NONE: &str = "none";
/// Outbound state of a row waiting for delivery.
pub const OUTBOUND_PENDING: &str = "pending";

async fn recipients(conn: &impl ConnectionTrait, r: &Recipient) -> ServiceResult<Vec<String>> {
    let orgs: Vec<String> = match r {
        Recipient::User(id) => return Ok(vec![id.clone()]),
        Recipient::Org(id) => vec![id.clone()],
        Recipient::Subject(uscc) => organizations::by_uscc(conn, uscc, Role::Enterprise.code())
            .await?
            .into_iter()
            .map(|o| o.id)
            .collect(),
        Recipient::Operators => organizations::list(conn, Some(Role::Operator.code()))
            .await?
            .into_iter()
            .map(|o| o.id)
            .collect(),
    };
    let mut ids = Vec::new();
    for org in orgs {
        ids.extend(
            users::list_by_org(conn, &org)
                .await?
                .into_iter()
                .filter(|u| !u.disabled)
                .map(|u| u.id),
        );
    }
    Ok(ids)
}

/// Writes `notice` into the inbox of each of its recipients, inside the caller's transaction.
/// Returns how many inbox rows were written (0 when the recipient has no users yet).
pub async fn notify<C: ConnectionTrait>(
    conn: &C,
    platform: &Platform,
    notice: Notice,
) -> ServiceResult<usize> {
    let now = platform.clock.now_naive();
    let outbound = if platform.outbound_configured() {
        OUTBOUND_PENDING
    } else {
        OUTBOUND_NONE
    };
    let rows: Vec<NotificationRow> = recipients(conn, &notice.recipient)
        .await?
        .into_iter()
        .map(|user_id| NotificationRow {
            id: ids::new_id().to_string(),
            user_id,
            kind: notice.kind.to_owned(),
            title: notice.title.clone(),
            body: notice.body.clone(),
            link: notice.link.clone(),
            created_at: now,
            read_at: None,
            outbound_state: outbound.to_owned(),
            outbound_attempts: 0,
            outbound_error: None,
            outbound_at: None,
        })
        .collect();
    let n = rows.len();
    notifications::insert_many(conn, rows).await?;
    Ok(n)
}
