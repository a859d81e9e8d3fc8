//! 白名单 (white list): statuses and transitions.
//!
//! ```text
//! applied ──recommend (government, in its jurisdiction)──▶ recommended ──approve (operator)──▶ approved (listed)
//!    │                                                          │                                  │
//!    └──────────────reject (operator, reason)───────────────────┴──▶ rejected      remove (operator, reason) ──▶ removed
//! ```
//!
//! An enterprise has at most one open entry (applied, recommended or approved); after a
//! rejection or a removal it may apply again (a new entry).

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

/// An entry's status, as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum EntryStatus {
    /// 已申请
    Applied,
    /// 已推荐
    Recommended,
    /// 已列入
    Approved,
    /// 未通过
    Rejected,
    /// 已移出
    Removed,
}

/// A step on an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Action {
    Apply,
    Recommend,
    Approve,
    Reject,
    Remove,
}

impl EntryStatus {
    pub const ALL: [EntryStatus; 5] = [
        EntryStatus::Applied,
        EntryStatus::Recommended,
        EntryStatus::Approved,
        EntryStatus::Rejected,
        EntryStatus::Removed,
    ];
    /// At most one entry per enterprise is in one of these.
    pub const OPEN: [EntryStatus; 3] = [
        EntryStatus::Applied,
        EntryStatus::Recommended,
        EntryStatus::Approved,
    ];

    pub fn code(self) -> &'static str {
        match self {
            EntryStatus::Applied => "applied",
            EntryStatus::Recommended => "recommended",
            EntryStatus::Approved => "approved",
            EntryStatus::Rejected => "rejected",
            EntryStatus::Removed => "removed",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            EntryStatus::Applied => "已申请，待政府部门推荐",
            EntryStatus::Recommended => "已推荐，待平台审核",
            EntryStatus::Approved => "已列入白名单",
            EntryStatus::Rejected => "未通过",
            EntryStatus::Removed => "已移出白名单",
        }
    }

    pub fn parse(code: &str) -> Option<EntryStatus> {
        EntryStatus::ALL
            .into_iter()
            .find(|s| s.code() == code.trim())
    }

    pub fn is_open(self) -> bool {
        EntryStatus::OPEN.contains(&self)
    }
}

impl Action {
    pub fn code(self) -> &'static str {
        match self {
            Action::Apply => "apply",
            Action::Recommend => "recommend",
            Action::Approve => "approve",
            Action::Reject => "reject",
            Action::Remove => "remove",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Action::Apply => "企业申请",
            Action::Recommend => "政府部门推荐",
            Action::Approve => "平台审核通过，列入白名单",
            Action::Reject => "平台审核未通过",
            Action::Remove => "移出白名单",
        }
    }

    pub fn parse(code: &str) -> Option<Action> {
        [
            Action::Apply,
            Action::Recommend,
            Action::Approve,
            Action::Reject,
            Action::Remove,
        ]
        .into_iter()
        .find(|a| a.code() == code.trim())
    }

    /// Whether this action needs a reason (rejection and removal do).
    pub fn needs_reason(self) -> bool {
        matches!(self, Action::Reject | Action::Remove)
    }
}

/// A refused step: a stable code and a Chinese message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct WhitelistError {
    pub code: &'static str,
    pub message: String,
}

/// The status after `action` on an entry in `from` (None: a new application, when the
/// enterprise has no open entry); a missing reason where one is required is refused.
pub fn next(
    from: Option<EntryStatus>,
    action: Action,
    reason: &str,
) -> Result<EntryStatus, WhitelistError> {
    use EntryStatus::*;
    if action.needs_reason() && reason.trim().is_empty() {
        return Err(WhitelistError {
            code: "whitelist.reason_required",
            message: format!("{}须填写理由", action.label_zh()),
        });
    }
    let to = match (from, action) {
        (None | Some(Rejected | Removed), Action::Apply) => Some(Applied),
        (Some(Applied), Action::Recommend) => Some(Recommended),
        (Some(Recommended), Action::Approve) => Some(Approved),
        (Some(Applied | Recommended), Action::Reject) => Some(Rejected),
        (Some(Approved), Action::Remove) => Some(Removed),
        _ => None,
    };
    to.ok_or_else(|| match (from, action) {
        (Some(s), Action::Apply) if s.is_open() => WhitelistError {
            code: "whitelist.already_open",
            message: format!("已有白名单申请或已列入（{}），不能重复申请", s.label_zh()),
        },
        (None, _) => WhitelistError {
            code: "whitelist.state",
            message: "尚无白名单申请".into(),
        },
        (Some(s), a) => WhitelistError {
            code: "whitelist.state",
            message: format!("当前状态为“{}”，不能执行“{}”", s.label_zh(), a.label_zh()),
        },
    })
}

/// A white-list entry as its readers see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EntryView {
    pub id: String,
    /// The enterprise's USCC.
    pub subject: String,
    pub subject_name: String,
    pub region_code: String,
    /// applied, recommended, approved, rejected or removed.
    pub status: String,
    pub status_label: String,
    pub apply_reason: String,
    pub applied_at: DateTime<FixedOffset>,
    pub recommended_by_org_id: Option<String>,
    pub recommended_by_name: Option<String>,
    pub recommend_note: Option<String>,
    pub recommended_at: Option<DateTime<FixedOffset>>,
    pub decided_at: Option<DateTime<FixedOffset>>,
    pub decision_reason: Option<String>,
    pub removed_at: Option<DateTime<FixedOffset>>,
    pub updated_at: DateTime<FixedOffset>,
}

/// One change of the white list (the change feed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChangeView {
    pub id: String,
    pub entry_id: String,
    pub subject: String,
    pub subject_name: String,
    /// apply, recommend, approve, reject or remove.
    pub action: String,
    pub action_label: String,
    /// The entry's status after the change.
    pub status: String,
    pub reason: Option<String>,
    pub at: DateTime<FixedOffset>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use EntryStatus::*;

    #[test]
    fn the_happy_path() {
        assert_eq!(next(None, Action::Apply, "x"), Ok(Applied));
        assert_eq!(next(Some(Applied), Action::Recommend, ""), Ok(Recommended));
        assert_eq!(next(Some(Recommended), Action::Approve, ""), Ok(Approved));
        assert_eq!(next(Some(Approved), Action::Remove, "失信"), Ok(Removed));
    }

    #[test]
    fn out_of_order_steps_are_refused() {
        let code = |from, a, r: &str| next(from, a, r).unwrap_err().code;
        assert_eq!(code(Some(Applied), Action::Approve, ""), "whitelist.state");
        assert_eq!(
            code(Some(Approved), Action::Recommend, ""),
            "whitelist.state"
        );
        assert_eq!(code(Some(Rejected), Action::Approve, ""), "whitelist.state");
        assert_eq!(code(Some(Removed), Action::Remove, "x"), "whitelist.state");
        assert_eq!(code(Some(Approved), Action::Reject, "x"), "whitelist.state");
        assert_eq!(code(None, Action::Recommend, ""), "whitelist.state");
        for open in EntryStatus::OPEN {
            assert_eq!(
                code(Some(open), Action::Apply, ""),
                "whitelist.already_open"
            );
        }
    }

    #[test]
    fn rejection_and_removal_need_a_reason() {
        for from in [Applied, Recommended] {
            assert_eq!(
                next(Some(from), Action::Reject, "  ").unwrap_err().code,
                "whitelist.reason_required"
            );
            assert_eq!(next(Some(from), Action::Reject, "资料不全"), Ok(Rejected));
        }
        assert_eq!(
            next(Some(Approved), Action::Remove, "").unwrap_err().code,
            "whitelist.reason_required"
        );
    }

    #[test]
    fn reapplying_after_rejection_or_removal() {
        assert_eq!(next(Some(Rejected), Action::Apply, ""), Ok(Applied));
        assert_eq!(next(Some(Removed), Action::Apply, ""), Ok(Applied));
    }

    #[test]
    fn codes_round_trip() {
        for s in EntryStatus::ALL {
            assert_eq!(EntryStatus::parse(s.code()), Some(s));
            assert_eq!(s.is_open(), EntryStatus::OPEN.contains(&s));
        }
        for a in [
            Action::Apply,
            Action::Recommend,
            Action::Approve,
            Action::Reject,
            Action::Remove,
        ] {
            assert_eq!(Action::parse(a.code()), Some(a));
        }
    }
}
