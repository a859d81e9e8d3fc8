//! Bulk insertion for the batch path: many rows per statement instead of one round trip each.
//!
//! PostgreSQL receives one array per column and expands them with `unnest` — one statement and a
//! handful of parameters for thousands of rows, close to `COPY` and still inside the caller's
//! transaction. SQLite and MySQL get multi-row `INSERT … VALUES` chunked under their parameter
//! limits.

use crate::error::StoreResult;
use chrono::NaiveDateTime;
use sea_orm::sea_query::{Alias, ArrayType, Expr, Query, SimpleExpr};
use sea_orm::{ConnectionTrait, DbBackend, Statement, Value};

/// The SQL type of a bulk column, for PostgreSQL's array casts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnType {
    Text,
    /// Nullable text. PostgreSQL arrays carry it as `''` and `NULLIF` restores the NULL, so an
    /// empty string cannot be stored in such a column (none of ours needs one).
    OptText,
    Int,
    BigInt,
    Bool,
    Timestamp,
}

impl ColumnType {
    fn pg_array(self) -> &'static str {
        match self {
            ColumnType::Text | ColumnType::OptText => "text[]",
            ColumnType::Int => "int4[]",
            ColumnType::BigInt => "int8[]",
            ColumnType::Bool => "bool[]",
            ColumnType::Timestamp => "timestamp[]",
        }
    }

    fn array_type(self) -> ArrayType {
        match self {
            ColumnType::Text | ColumnType::OptText => ArrayType::String,
            ColumnType::Int => ArrayType::Int,
            ColumnType::BigInt => ArrayType::BigInt,
            ColumnType::Bool => ArrayType::Bool,
            ColumnType::Timestamp => ArrayType::ChronoDateTime,
        }
    }
}

/// A table's columns in the order every row lists its values.
#[derive(Debug, Clone, Copy)]
pub struct BulkTable {
    pub name: &'static str,
    pub columns: &'static [(&'static str, ColumnType)],
}

/// One cell. Only the types bulk tables use.
#[derive(Debug, Clone)]
pub enum Cell {
    Text(String),
    OptText(Option<String>),
    Int(i32),
    BigInt(i64),
    Bool(bool),
    Timestamp(NaiveDateTime),
}

impl From<Cell> for Value {
    fn from(cell: Cell) -> Value {
        match cell {
            Cell::Text(v) => v.into(),
            Cell::OptText(v) => v.into(),
            Cell::Int(v) => v.into(),
            Cell::BigInt(v) => v.into(),
            Cell::Bool(v) => v.into(),
            Cell::Timestamp(v) => v.into(),
        }
    }
}

/// Most bind parameters one statement carries (SQLite allows 32,766, MySQL and PostgreSQL
/// 65,535).
const MAX_PARAMS: usize = 30_000;

/// Inserts `rows` (each with one cell per column, in column order) into `table`.
pub async fn insert(
    db: &impl ConnectionTrait,
    table: &BulkTable,
    rows: Vec<Vec<Cell>>,
) -> StoreResult<()> {
    if rows.is_empty() {
        return Ok(());
    }
    match db.get_database_backend() {
        DbBackend::Postgres => insert_unnest(db, table, rows).await,
        _ => insert_values(db, table, rows).await,
    }
}

async fn insert_unnest(
    db: &impl ConnectionTrait,
    table: &BulkTable,
    rows: Vec<Vec<Cell>>,
) -> StoreResult<()> {
    let names: Vec<&str> = table.columns.iter().map(|(n, _)| *n).collect();
    let params: Vec<String> = table
        .columns
        .iter()
        .enumerate()
        .map(|(i, (_, ty))| format!("${}::{}", i + 1, ty.pg_array()))
        .collect();
    let selected: Vec<String> = table
        .columns
        .iter()
        .enumerate()
        .map(|(i, (_, ty))| match ty {
            ColumnType::OptText => format!("NULLIF(c{i}, '')"),
            _ => format!("c{i}"),
        })
        .collect();
    let aliases: Vec<String> = (0..table.columns.len()).map(|i| format!("c{i}")).collect();
    let sql = format!(
        "INSERT INTO \"{}\" (\"{}\") SELECT {} FROM unnest({}) AS u({})",
        table.name,
        names.join("\", \""),
        selected.join(", "),
        params.join(", "),
        aliases.join(", ")
    );
    // Column-major: one vector of values per column.
    let mut columns: Vec<Vec<Value>> = table
        .columns
        .iter()
        .map(|_| Vec::with_capacity(rows.len()))
        .collect();
    for row in rows {
        debug_assert_eq!(row.len(), table.columns.len());
        for (column, cell) in columns.iter_mut().zip(row) {
            column.push(match cell {
                Cell::OptText(None) => Value::from(String::new()),
                cell => cell.into(),
            });
        }
    }
    let values = columns
        .into_iter()
        .zip(table.columns)
        .map(|(values, (_, ty))| Value::Array(ty.array_type(), Some(Box::new(values))));
    db.execute_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        sql,
        values,
    ))
    .await?;
    Ok(())
}

async fn insert_values(
    db: &impl ConnectionTrait,
    table: &BulkTable,
    rows: Vec<Vec<Cell>>,
) -> StoreResult<()> {
    let per_statement = (MAX_PARAMS / table.columns.len()).max(1);
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let mut insert = Query::insert();
        insert
            .into_table(Alias::new(table.name))
            .columns(table.columns.iter().map(|(n, _)| Alias::new(*n)));
        for row in rows.by_ref().take(per_statement) {
            let values: Vec<SimpleExpr> = row
                .into_iter()
                .map(|cell| Expr::val(Value::from(cell)))
                .collect();
            insert.values_panic(values);
        }
        db.execute(&insert).await?;
    }
    Ok(())
}

/// `column IN (values)` for a chunk-sized list. PostgreSQL gets `column = ANY($1)` with one
/// array parameter: thousands of separate parameters cost it more planning than the lookup.
pub fn one_of<C>(
    backend: DbBackend,
    column: C,
    values: Vec<String>,
) -> sea_orm::sea_query::SimpleExpr
where
    C: sea_orm::sea_query::IntoColumnRef,
{
    use sea_orm::sea_query::ExprTrait;
    use sea_orm::sea_query::extension::postgres::PgFunc;
    match backend {
        DbBackend::Postgres => {
            let array = Value::Array(
                ArrayType::String,
                Some(Box::new(values.into_iter().map(Value::from).collect())),
            );
            Expr::col(column).eq(PgFunc::any(Expr::val(array)))
        }
        _ => Expr::col(column).is_in(values),
    }
}
