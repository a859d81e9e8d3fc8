//! 应付账款确认 (supply-chain payables): a core enterprise confirms what it owes a supplier; the supplier attaches confirmed payables to applications.
