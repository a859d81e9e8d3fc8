//! 融资申请 (financing applications): the status machine and its service deadlines. Pure: the
//! caller supplies the dates.
//!
//! ```text
//! submitted ──accept──▶ accepted ──start_review──▶ under_review ──approve──▶ approved ──disburse──▶ disbursed
//!     │                   │  └──────────approve / reject─────────────┤
//!     │                   │                                           └──reject──▶ rejected
//!     └── withdraw (enterprise) / expire (system) ── from submitted, accepted, under_review
//! ```
//!
//! Who acts ([`Action::party`]): the addressed institution accepts (受理), starts the review,
//! approves or rejects (a reason is required) and disburses (when it records the loan); the
//! enterprise withdraws while nothing is decided; the platform expires.
//!
//! **Deadlines (服务时限).** An institution accepts within `accept_workdays` working days of the
//! submission date ([`accept_by`]) and decides within `decide_workdays` working days of the
//! acceptance date ([`decide_by`]), both counted on the shipped working-day calendar
//! ([`crate::workdays`]). A deadline passing does **not** change the status: the application
//! is flagged overdue ([`overdue`]) and the operators are told once.
//!
//! **Expiry (已失效).** An enterprise's need lapses: an application still undecided
//! (submitted, accepted or under review) `expire_workdays` working days after its submission
//! ([`expires_on`], default 30 in the services' policy) is expired by the platform's sweep. A
//! decided application (approved, rejected) never expires; approved waits for the loan.
//!
//! Terminal statuses ([`Status::is_terminal`]): rejected, disbursed, withdrawn, expired — no
//! action leaves them.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Where an application stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// 已提交: waiting for the institution to accept.
    Submitted,
    /// 已受理.
    Accepted,
    /// 审查中.
    UnderReview,
    /// 已批准: waiting for the loan to be recorded.
    Approved,
    /// 未通过 (with a reason).
    Rejected,
    /// 已放款: a loan is recorded against it.
    Disbursed,
    /// 已撤回 by the enterprise.
    Withdrawn,
    /// 已失效: the need lapsed before a decision.
    Expired,
}

impl Status {
    pub const ALL: [Status; 8] = [
        Status::Submitted,
        Status::Accepted,
        Status::UnderReview,
        Status::Approved,
        Status::Rejected,
        Status::Disbursed,
        Status::Withdrawn,
        Status::Expired,
    ];

    /// As stored.
    pub fn code(self) -> &'static str {
        match self {
            Status::Submitted => "submitted",
            Status::Accepted => "accepted",
            Status::UnderReview => "under_review",
            Status::Approved => "approved",
            Status::Rejected => "rejected",
            Status::Disbursed => "disbursed",
            Status::Withdrawn => "withdrawn",
            Status::Expired => "expired",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Status::Submitted => "已提交待受理",
            Status::Accepted => "已受理",
            Status::UnderReview => "审查中",
            Status::Approved => "已批准待放款",
            Status::Rejected => "未通过",
            Status::Disbursed => "已放款",
            Status::Withdrawn => "已撤回",
            Status::Expired => "已失效",
        }
    }

    pub fn parse(code: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.code() == code.trim())
    }

    /// No action leaves it.
    pub fn is_terminal(self) -> bool {
        matches!(
            self,
            Status::Rejected | Status::Disbursed | Status::Withdrawn | Status::Expired
        )
    }

    /// Not decided yet: the enterprise may withdraw, the platform may expire.
    pub fn is_pending(self) -> bool {
        matches!(
            self,
            Status::Submitted | Status::Accepted | Status::UnderReview
        )
    }
}

/// Who may take an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Party {
    /// The institution the application is addressed to.
    Institution,
    /// The enterprise that applied.
    Enterprise,
    /// The platform (the sweep).
    System,
}

/// A step on an application.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Accept,
    StartReview,
    Approve,
    Reject,
    Disburse,
    Withdraw,
    Expire,
}

impl Action {
    pub const ALL: [Action; 7] = [
        Action::Accept,
        Action::StartReview,
        Action::Approve,
        Action::Reject,
        Action::Disburse,
        Action::Withdraw,
        Action::Expire,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Action::Accept => "accept",
            Action::StartReview => "start_review",
            Action::Approve => "approve",
            Action::Reject => "reject",
            Action::Disburse => "disburse",
            Action::Withdraw => "withdraw",
            Action::Expire => "expire",
        }
    }

    /// The verb in Chinese ("不能受理").
    pub fn label_zh(self) -> &'static str {
        match self {
            Action::Accept => "受理",
            Action::StartReview => "开始审查",
            Action::Approve => "批准",
            Action::Reject => "拒绝",
            Action::Disburse => "登记放款",
            Action::Withdraw => "撤回",
            Action::Expire => "置为失效",
        }
    }

    /// `accept`, `start_review` (or `review`), `approve`, `reject`, `disburse`, `withdraw`,
    /// `expire`.
    pub fn parse(code: &str) -> Option<Action> {
        match code.trim() {
            "review" => Some(Action::StartReview),
            c => Action::ALL.into_iter().find(|a| a.code() == c),
        }
    }

    pub fn party(self) -> Party {
        match self {
            Action::Accept
            | Action::StartReview
            | Action::Approve
            | Action::Reject
            | Action::Disburse => Party::Institution,
            Action::Withdraw => Party::Enterprise,
            Action::Expire => Party::System,
        }
    }
}

/// An action the status does not allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("融资申请当前状态为“{}”，不能{}", from.label_zh(), action.label_zh())]
pub struct TransitionError {
    pub from: Status,
    pub action: Action,
}

impl TransitionError {
    /// The stable code of every refused transition.
    pub const CODE: &'static str = "application.state";
}

/// The status after `action`, or why it is not allowed now.
pub fn next(status: Status, action: Action) -> Result<Status, TransitionError> {
    use Action as A;
    use Status as S;
    let to = match (status, action) {
        (S::Submitted, A::Accept) => S::Accepted,
        (S::Accepted, A::StartReview) => S::UnderReview,
        (S::Accepted | S::UnderReview, A::Approve) => S::Approved,
        (S::Accepted | S::UnderReview, A::Reject) => S::Rejected,
        (S::Approved, A::Disburse) => S::Disbursed,
        (s, A::Withdraw) if s.is_pending() => S::Withdrawn,
        (s, A::Expire) if s.is_pending() => S::Expired,
        _ => {
            return Err(TransitionError {
                from: status,
                action,
            });
        }
    };
    Ok(to)
}

/// The statuses `action` may start from (for the guarded UPDATE's WHERE).
pub fn sources(action: Action) -> Vec<Status> {
    Status::ALL
        .into_iter()
        .filter(|s| next(*s, action).is_ok())
        .collect()
}

/// The last day to accept: `accept_workdays` working days after the submission date.
pub fn accept_by(submitted_on: NaiveDate, accept_workdays: u32) -> NaiveDate {
    crate::workdays::add_workdays(submitted_on, accept_workdays)
}

/// The last day to decide: `decide_workdays` working days after the acceptance date.
pub fn decide_by(accepted_on: NaiveDate, decide_workdays: u32) -> NaiveDate {
    crate::workdays::add_workdays(accepted_on, decide_workdays)
}

/// The day an undecided application lapses: `expire_workdays` working days after submission.
pub fn expires_on(submitted_on: NaiveDate, expire_workdays: u32) -> NaiveDate {
    crate::workdays::add_workdays(submitted_on, expire_workdays)
}

/// An application's deadlines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Deadlines {
    pub accept_by: NaiveDate,
    /// Known once accepted.
    pub decide_by: Option<NaiveDate>,
}

/// Which deadline has passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Overdue {
    /// 逾期未受理.
    Accept,
    /// 逾期未审批.
    Decide,
}

impl Overdue {
    pub fn label_zh(self) -> &'static str {
        match self {
            Overdue::Accept => "逾期未受理",
            Overdue::Decide => "逾期未审批",
        }
    }
}

/// The deadline passed on `today` (the last day itself is still in time) and the institution
/// has not acted: submitted past `accept_by`, accepted or under review past `decide_by`.
pub fn overdue(status: Status, deadlines: Deadlines, today: NaiveDate) -> Option<Overdue> {
    match status {
        Status::Submitted if today > deadlines.accept_by => Some(Overdue::Accept),
        Status::Accepted | Status::UnderReview
            if deadlines.decide_by.is_some_and(|d| today > d) =>
        {
            Some(Overdue::Decide)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    /// Every (status, action) pair, written out.
    #[test]
    fn the_table_pair_by_pair() {
        use Action as A;
        use Status as S;
        let allowed: &[(S, A, S)] = &[
            (S::Submitted, A::Accept, S::Accepted),
            (S::Submitted, A::Withdraw, S::Withdrawn),
            (S::Submitted, A::Expire, S::Expired),
            (S::Accepted, A::StartReview, S::UnderReview),
            (S::Accepted, A::Approve, S::Approved),
            (S::Accepted, A::Reject, S::Rejected),
            (S::Accepted, A::Withdraw, S::Withdrawn),
            (S::Accepted, A::Expire, S::Expired),
            (S::UnderReview, A::Approve, S::Approved),
            (S::UnderReview, A::Reject, S::Rejected),
            (S::UnderReview, A::Withdraw, S::Withdrawn),
            (S::UnderReview, A::Expire, S::Expired),
            (S::Approved, A::Disburse, S::Disbursed),
        ];
        let mut pairs = 0;
        for s in Status::ALL {
            for a in Action::ALL {
                pairs += 1;
                let expected = allowed
                    .iter()
                    .find(|(from, act, _)| *from == s && *act == a)
                    .map(|(_, _, to)| *to);
                match (next(s, a), expected) {
                    (Ok(to), Some(want)) => assert_eq!(to, want, "{s:?} {a:?}"),
                    (Err(e), None) => {
                        assert_eq!(e, TransitionError { from: s, action: a });
                        assert!(e.to_string().contains(s.label_zh()), "{e}");
                    }
                    (got, want) => panic!("{s:?} {a:?}: got {got:?}, want {want:?}"),
                }
            }
        }
        assert_eq!(pairs, 56);
    }

    #[test]
    fn terminal_statuses_allow_nothing_and_out_of_order_is_refused() {
        for s in Status::ALL.into_iter().filter(|s| s.is_terminal()) {
            for a in Action::ALL {
                assert!(next(s, a).is_err(), "{s:?} {a:?}");
            }
        }
        // Approve before accept, disburse before approval, withdraw after a decision.
        assert!(next(Status::Submitted, Action::Approve).is_err());
        assert!(next(Status::UnderReview, Action::Disburse).is_err());
        assert!(next(Status::Approved, Action::Withdraw).is_err());
        assert!(next(Status::Rejected, Action::Withdraw).is_err());
        assert_eq!(
            next(Status::Submitted, Action::Approve)
                .unwrap_err()
                .to_string(),
            "融资申请当前状态为“已提交待受理”，不能批准"
        );
    }

    #[test]
    fn codes_round_trip_and_parties() {
        for s in Status::ALL {
            assert_eq!(Status::parse(s.code()), Some(s));
            assert!(!s.label_zh().is_empty());
        }
        for a in Action::ALL {
            assert_eq!(Action::parse(a.code()), Some(a));
        }
        assert_eq!(Action::parse("review"), Some(Action::StartReview));
        assert_eq!(Status::parse("nonsense"), None);
        assert_eq!(Action::Withdraw.party(), Party::Enterprise);
        assert_eq!(Action::Expire.party(), Party::System);
        assert_eq!(Action::Reject.party(), Party::Institution);
        assert_eq!(
            sources(Action::Approve),
            vec![Status::Accepted, Status::UnderReview]
        );
        assert_eq!(sources(Action::Withdraw).len(), 3);
    }

    #[test]
    fn deadlines_count_working_days_and_overdue_starts_the_day_after() {
        // Wednesday 25 November 2026: 3 working days → Monday 30 November.
        let submitted = d(2026, 11, 25);
        let accept = accept_by(submitted, 3);
        assert_eq!(accept, d(2026, 11, 30));
        // Accepted Monday 30 November: 10 working days → Monday 14 December.
        assert_eq!(decide_by(d(2026, 11, 30), 10), d(2026, 12, 14));
        let dl = Deadlines {
            accept_by: accept,
            decide_by: None,
        };
        assert_eq!(overdue(Status::Submitted, dl, accept), None);
        assert_eq!(
            overdue(Status::Submitted, dl, d(2026, 12, 1)),
            Some(Overdue::Accept)
        );
        // Accepted (no decide_by yet is impossible, but harmless), then the decide deadline.
        assert_eq!(overdue(Status::Accepted, dl, d(2027, 1, 1)), None);
        let dl = Deadlines {
            accept_by: accept,
            decide_by: Some(d(2026, 12, 14)),
        };
        assert_eq!(overdue(Status::UnderReview, dl, d(2026, 12, 14)), None);
        assert_eq!(
            overdue(Status::UnderReview, dl, d(2026, 12, 15)),
            Some(Overdue::Decide)
        );
        for s in [
            Status::Approved,
            Status::Rejected,
            Status::Disbursed,
            Status::Withdrawn,
            Status::Expired,
        ] {
            assert_eq!(overdue(s, dl, d(2030, 1, 1)), None, "{s:?}");
        }
        // Over the National Day holiday: submitted 30 September 2026 (Wednesday).
        assert!(accept_by(d(2026, 9, 30), 3) > d(2026, 10, 5));
        assert!(expires_on(submitted, 30) > decide_by(accept, 10));
    }

    fn any_action() -> impl Strategy<Value = Action> {
        prop::sample::select(Action::ALL.to_vec())
    }

    proptest! {
        /// Any sequence of actions, applied where allowed: once terminal, always the same
        /// terminal status; every status reached is reachable by the table.
        #[test]
        fn random_sequences_never_leave_a_terminal_status(actions in prop::collection::vec(any_action(), 0..40)) {
            let mut s = Status::Submitted;
            let mut terminal: Option<Status> = None;
            for a in actions {
                match next(s, a) {
                    Ok(to) => {
                        prop_assert!(terminal.is_none(), "left terminal {:?} by {:?}", s, a);
                        s = to;
                    }
                    Err(e) => prop_assert_eq!(e.from, s),
                }
                if s.is_terminal() {
                    if let Some(t) = terminal { prop_assert_eq!(t, s); }
                    terminal = Some(s);
                }
            }
        }
    }
}
