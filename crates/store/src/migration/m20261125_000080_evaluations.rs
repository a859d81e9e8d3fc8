//! 公共信用综合评价 (evaluation) results.
//!
//! `evaluations` is the history: one row per subject each time its result CHANGED (score,
//! grade, an indicator's observation, or its profile tags), with the compact result as JSON and
//! the model and tag-rule versions beside it — enough to explain an old result later.
//! `subject_grades` holds the current result per subject, with the subject's region and
//! industry copied from `enterprises` so grade distributions by district and industry read one
//! table, and a digest of the result so a full run finds the unchanged subjects without
//! reading their JSON.

use super::{col, create_index, create_table, id_col};
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[sea_orm_migration::async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                create_table(manager, "evaluations")
                    .col(id_col("id").primary_key())
                    .col(col("subject").string_len(32).not_null())
                    .col(col("model_version").integer().not_null())
                    .col(col("score").integer().not_null())
                    .col(col("grade").string_len(8).not_null())
                    .col(col("result").text().not_null())
                    .col(col("tag_rules_version").integer().not_null())
                    .col(col("evaluated_at").date_time().not_null())
                    .to_owned(),
            )
            .await?;
        create_index(
            manager,
            "ix_evaluations_subject",
            "evaluations",
            &["subject", "evaluated_at"],
            false,
        )
        .await?;
        manager
            .create_table(
                create_table(manager, "subject_grades")
                    .col(col("subject").string_len(32).not_null().primary_key())
                    .col(id_col("evaluation_id"))
                    .col(col("model_version").integer().not_null())
                    .col(col("score").integer().not_null())
                    .col(col("grade").string_len(8).not_null())
                    .col(col("tags").text().not_null())
                    .col(col("digest").string_len(16).not_null())
                    .col(col("region_code").string_len(12).not_null())
                    .col(col("industry_code").string_len(8).not_null())
                    .col(col("evaluated_at").date_time().not_null())
                    .to_owned(),
            )
            .await?;
        create_index(
            manager,
            "ix_subject_grades_region",
            "subject_grades",
            &["region_code", "grade"],
            false,
        )
        .await?;
        create_index(
            manager,
            "ix_subject_grades_industry",
            "subject_grades",
            &["industry_code", "grade"],
            false,
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in ["subject_grades", "evaluations"] {
            manager
                .drop_table(Table::drop().table(Alias::new(t)).to_owned())
                .await?;
        }
        Ok(())
    }
}
