//! 获贷明细 (loans): flags, statuses and repayment arithmetic.
