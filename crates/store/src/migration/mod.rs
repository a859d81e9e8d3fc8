//! Portable migrations, run by `xinrong migrate` and automatically by `serve`.

use sea_orm_migration::prelude::*;

mod m20261124_000001_identity;
mod m20261124_000002_enterprises;
mod m20261124_000003_collection;
mod m20261124_000004_provider_items;
mod m20261125_000001_batch_stats_events;
mod m20261125_000010_connectors;
mod m20261125_000020_data_reads;
mod m20261125_000030_tree_heads;
mod m20261125_000040_trail_notifications;
mod m20261125_000050_agreements_authorizations;
mod m20261125_000060_objections_repairs;
mod m20261125_000070_registrations;
mod m20261125_000080_evaluations;
mod m20261125_000090_reports;
mod m20261126_000010_products;
mod m20261126_000020_applications;
mod m20261126_000030_loans_whitelist;
mod m20261126_000040_funds_payables;
mod m20261126_000050_policies_green;

pub struct Migrator;

#[sea_orm_migration::async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261124_000001_identity::Migration),
            Box::new(m20261124_000002_enterprises::Migration),
            Box::new(m20261124_000003_collection::Migration),
            Box::new(m20261124_000004_provider_items::Migration),
            Box::new(m20261125_000001_batch_stats_events::Migration),
            Box::new(m20261125_000010_connectors::Migration),
            Box::new(m20261125_000020_data_reads::Migration),
            Box::new(m20261125_000030_tree_heads::Migration),
            Box::new(m20261125_000040_trail_notifications::Migration),
            Box::new(m20261125_000050_agreements_authorizations::Migration),
            Box::new(m20261125_000060_objections_repairs::Migration),
            Box::new(m20261125_000070_registrations::Migration),
            Box::new(m20261125_000080_evaluations::Migration),
            Box::new(m20261125_000090_reports::Migration),
            Box::new(m20261126_000010_products::Migration),
            Box::new(m20261126_000020_applications::Migration),
            Box::new(m20261126_000030_loans_whitelist::Migration),
            Box::new(m20261126_000040_funds_payables::Migration),
            Box::new(m20261126_000050_policies_green::Migration),
        ]
    }
}

/// A `CREATE TABLE` that stores Chinese text correctly on every backend: MySQL tables get
/// utf8mb4 explicitly, because a server's default character set may still be latin1.
pub(crate) fn create_table(manager: &SchemaManager, name: &str) -> TableCreateStatement {
    let mut stmt = Table::create();
    stmt.table(Alias::new(name));
    if manager.get_database_backend() == sea_orm::DbBackend::MySql {
        stmt.character_set("utf8mb4").collate("utf8mb4_unicode_ci");
    }
    stmt
}

/// An ID column: UUID text, the one ID scheme.
pub(crate) fn id_col(name: &str) -> ColumnDef {
    ColumnDef::new(Alias::new(name))
        .string_len(36)
        .not_null()
        .to_owned()
}

/// `CREATE [UNIQUE] INDEX name ON table (cols…)`.
pub(crate) async fn create_index(
    manager: &SchemaManager<'_>,
    name: &str,
    table: &str,
    cols: &[&str],
    unique: bool,
) -> Result<(), DbErr> {
    let mut stmt = Index::create();
    stmt.name(name).table(Alias::new(table));
    for c in cols {
        stmt.col(Alias::new(*c));
    }
    if unique {
        stmt.unique();
    }
    manager.create_index(stmt.to_owned()).await
}

pub(crate) fn col(name: &str) -> ColumnDef {
    ColumnDef::new(Alias::new(name))
}

/// Applies every pending migration.
pub async fn run(db: &crate::Db) -> crate::error::StoreResult<()> {
    Migrator::up(&db.conn, None).await?;
    Ok(())
}

/// Names of the migrations already applied, oldest first.
pub async fn applied(db: &crate::Db) -> crate::error::StoreResult<Vec<String>> {
    Ok(Migrator::get_applied_migrations(&db.conn)
        .await?
        .iter()
        .map(|m| m.name().to_owned())
        .collect())
}

/// Names of every migration this build knows, oldest first.
pub fn defined() -> Vec<String> {
    Migrator::migrations()
        .iter()
        .map(|m| m.name().to_owned())
        .collect()
}
