//! 风险补偿基金 (compensation funds): pools, top-ups, loans registered against a pool, claims and payouts.
