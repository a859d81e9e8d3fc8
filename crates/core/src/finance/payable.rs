//! 应付账款确认 (supply-chain payables): statuses and rules.
//!
//! A supplier declares an account payable owed to it by a core enterprise (the debtor); only the
//! debtor confirms it (核心企业确权) or disputes it with a reason. A core enterprise may also
//! register a payable it owes directly, confirmed at once. A confirmed payable is later settled
//! (paid) or cancelled. Only confirmed payables may be attached to a financing application.
//!
//! ```text
//! declared ──confirm (debtor)──▶ confirmed ──settle (debtor)──▶ settled
//!    │                              └──────cancel───────────▶ cancelled
//!    ├──dispute (debtor, reason)──▶ disputed ──cancel (supplier)──▶ cancelled
//!    └──cancel (supplier)──▶ cancelled
//! ```

use chrono::NaiveDate;

/// Statuses, as stored.
pub mod status {
    pub const DECLARED: &str = "declared";
    pub const CONFIRMED: &str = "confirmed";
    pub const DISPUTED: &str = "disputed";
    pub const SETTLED: &str = "settled";
    pub const CANCELLED: &str = "cancelled";
    pub const ALL: &[&str] = &[DECLARED, CONFIRMED, DISPUTED, SETTLED, CANCELLED];

    pub fn label_zh(code: &str) -> &'static str {
        match code {
            DECLARED => "待核心企业确认",
            CONFIRMED => "核心企业已确认",
            DISPUTED => "核心企业有异议",
            SETTLED => "已结清",
            CANCELLED => "已撤销",
            _ => "未知",
        }
    }
}

/// Whether a payable may move from `from` to `to`.
pub fn can_move(from: &str, to: &str) -> bool {
    use status::*;
    matches!(
        (from, to),
        (DECLARED, CONFIRMED)
            | (DECLARED, DISPUTED)
            | (DECLARED, CANCELLED)
            | (DISPUTED, CANCELLED)
            | (CONFIRMED, SETTLED)
            | (CONFIRMED, CANCELLED)
    )
}

/// Most invoice references on one payable.
pub const MAX_INVOICES: usize = 50;
/// Longest invoice reference (a 发票号码 is 8–20 characters; room for code + number).
pub const MAX_INVOICE_CHARS: usize = 64;
/// Largest amount accepted: 100 亿元 in fen.
pub const MAX_AMOUNT_FEN: i64 = 1_000_000_000_000;

/// A broken payable rule: a stable code and a Chinese message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct PayableError {
    pub code: &'static str,
    pub message: String,
}

fn err(code: &'static str, message: impl Into<String>) -> PayableError {
    PayableError {
        code,
        message: message.into(),
    }
}

/// Checks the amount (positive, at most [`MAX_AMOUNT_FEN`]).
pub fn check_amount(amount_fen: i64) -> Result<(), PayableError> {
    if amount_fen <= 0 {
        return Err(err("payable.amount", "应付账款金额须大于零"));
    }
    if amount_fen > MAX_AMOUNT_FEN {
        return Err(err("payable.amount", "应付账款金额超过上限（100 亿元）"));
    }
    Ok(())
}

/// Checks the due date is not before `today` (at declaration and again at confirmation).
pub fn check_due(due_on: NaiveDate, today: NaiveDate) -> Result<(), PayableError> {
    if due_on < today {
        return Err(err(
            "payable.due_past",
            format!("到期日 {due_on} 已过，不能确认已到期的应付账款"),
        ));
    }
    Ok(())
}

/// Trims, checks and de-duplicates invoice references: 1..=50 non-empty strings of at most
/// 64 characters, first occurrence order.
pub fn normalise_invoices(refs: &[String]) -> Result<Vec<String>, PayableError> {
    let mut out: Vec<String> = Vec::new();
    for r in refs {
        let t = r.trim();
        if t.is_empty() {
            return Err(err("payable.invoices", "发票号码不能为空"));
        }
        if t.chars().count() > MAX_INVOICE_CHARS {
            return Err(err(
                "payable.invoices",
                format!("发票号码不能超过 {MAX_INVOICE_CHARS} 个字符"),
            ));
        }
        if t.chars().any(char::is_control) {
            return Err(err("payable.invoices", "发票号码含有控制字符"));
        }
        if !out.iter().any(|o| o == t) {
            out.push(t.to_owned());
        }
    }
    if out.is_empty() {
        return Err(err("payable.invoices", "请至少填写一个发票号码"));
    }
    if out.len() > MAX_INVOICES {
        return Err(err(
            "payable.invoices",
            format!("发票号码最多 {MAX_INVOICES} 个"),
        ));
    }
    Ok(out)
}

/// Checks a declaration (or a direct registration): amount, due date, invoices; the normalised
/// invoice references.
pub fn check_declaration(
    amount_fen: i64,
    due_on: NaiveDate,
    invoice_refs: &[String],
    today: NaiveDate,
) -> Result<Vec<String>, PayableError> {
    check_amount(amount_fen)?;
    check_due(due_on, today)?;
    normalise_invoices(invoice_refs)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn moves() {
        use status::*;
        assert!(can_move(DECLARED, CONFIRMED));
        assert!(can_move(DECLARED, DISPUTED));
        assert!(can_move(CONFIRMED, SETTLED));
        assert!(!can_move(CONFIRMED, DISPUTED));
        assert!(!can_move(DISPUTED, CONFIRMED));
        assert!(!can_move(SETTLED, CANCELLED));
        assert!(!can_move(CANCELLED, CONFIRMED));
        for s in ALL {
            assert_ne!(label_zh(s), "未知");
        }
    }

    #[test]
    fn declarations() {
        let today = d("2026-11-25");
        let refs = vec![
            " 044002100111 ".to_owned(),
            "044002100111".into(),
            "X2".into(),
        ];
        assert_eq!(
            check_declaration(100, d("2026-12-31"), &refs, today).unwrap(),
            vec!["044002100111".to_owned(), "X2".into()]
        );
        assert_eq!(
            check_declaration(0, d("2026-12-31"), &refs, today)
                .unwrap_err()
                .code,
            "payable.amount"
        );
        assert_eq!(
            check_declaration(1, d("2026-11-24"), &refs, today)
                .unwrap_err()
                .code,
            "payable.due_past"
        );
        assert!(check_declaration(1, today, &refs, today).is_ok());
        assert_eq!(
            check_declaration(1, today, &[], today).unwrap_err().code,
            "payable.invoices"
        );
        assert_eq!(
            normalise_invoices(&[" ".into()]).unwrap_err().code,
            "payable.invoices"
        );
        let many: Vec<String> = (0..51).map(|i| format!("F{i}")).collect();
        assert_eq!(
            normalise_invoices(&many).unwrap_err().code,
            "payable.invoices"
        );
        assert_eq!(normalise_invoices(&many[..50]).unwrap().len(), 50);
        assert_eq!(
            normalise_invoices(&["x".repeat(65)]).unwrap_err().code,
            "payable.invoices"
        );
    }
}
