//! What the financing rules know of an enterprise (企业画像事实): grade, tags, size class, age, industry, region, white-list and green status.
