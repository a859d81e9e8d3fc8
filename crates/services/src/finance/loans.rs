//! 获贷明细 (loans): disbursements, repayments and status, by form, API and batch upload.
