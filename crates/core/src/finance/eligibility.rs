//! 准入条件 (eligibility rules) over an enterprise's grade, tags, size, age, industry, region, white-list and green status: one rule set for products and policies.
