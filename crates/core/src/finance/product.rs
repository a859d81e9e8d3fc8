//! 金融产品 (financial products): kinds, scenarios, guarantee types, ranges, and how a stated need fits a product.
