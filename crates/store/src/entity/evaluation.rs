//! 评价结果历史 — one stored result of the 公共信用综合评价 for one subject, kept each time the
//! result changed.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "evaluations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    /// The enterprise evaluated (统一社会信用代码).
    pub subject: String,
    /// The indicator model's version (评价模型版本).
    pub model_version: i32,
    /// 0..=1000.
    pub score: i32,
    pub grade: String,
    /// The compact result (`xinrong_core::evaluation::Evaluation`) and the profile tags, JSON.
    #[sea_orm(column_type = "Text")]
    pub result: String,
    /// The version of the profile tag rules (画像标签规则).
    pub tag_rules_version: i32,
    pub evaluated_at: DateTime,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
