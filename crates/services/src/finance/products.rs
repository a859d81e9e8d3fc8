//! 金融产品 (products): institutions publish, the operator reviews, the product supermarket lists.
