//! 风险补偿基金 (compensation fund): eligibility of a loan and the payout arithmetic of a claim.
