//! 产品匹配 (matching): a stated need against every listed product, ranked, with reasons.
