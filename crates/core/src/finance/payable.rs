//! 应付账款确认 (supply-chain payables): statuses and rules.
