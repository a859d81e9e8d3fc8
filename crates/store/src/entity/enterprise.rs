//! 企业 / 信息主体 — a market entity identified by its 统一社会信用代码.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "enterprises")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub uscc: String,
    pub name: String,
    /// County-level GB/T 2260 code of the registered address.
    pub region_code: String,
    /// GB/T 4754-2017 division (two digits).
    pub industry_code: String,
    pub established: Date,
    pub registered_capital_fen: i64,
    pub employees: i32,
    /// 大/中/小/微 code: large, medium, small, micro.
    pub size_class: String,
    pub legal_rep_name: String,
    /// 法定代表人身份证号 — sensitive; shown only through the access decision.
    pub legal_rep_id_number: String,
    pub created_at: DateTime,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
