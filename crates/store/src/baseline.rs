//! The yardstick for the ingest benchmark: the same rows loaded by the database's own bulk path
//! into a plain table with the same key and no checks — PostgreSQL `COPY … FROM STDIN`, and on
//! SQLite and MySQL a prepared-statement loop in one transaction (the equivalent of SQLite's
//! `.import`; MySQL's `LOAD DATA LOCAL` is off by default on servers).

use crate::connect::{Backend, Db};
use crate::error::{StoreError, StoreResult};
use sea_orm::{ConnectionTrait, DbBackend, Statement, TransactionTrait, Value};
use std::path::Path;

/// The plain table: text columns named after the file's header, the first one the key.
const TABLE: &str = "bench_plain";

fn io(e: impl std::fmt::Display) -> StoreError {
    StoreError::Conflict(format!("基准装载失败：{e}"))
}

/// Loads a CSV file (UTF-8, with a header row) into a fresh plain table; returns the rows loaded.
pub async fn load_plain(db: &Db, csv_path: &Path) -> StoreResult<u64> {
    let mut reader = csv::Reader::from_path(csv_path).map_err(io)?;
    let header: Vec<String> = reader
        .headers()
        .map_err(io)?
        .iter()
        .map(str::to_owned)
        .collect();
    let quote = |c: &str| match db.backend {
        Backend::MySql => format!("`{c}`"),
        _ => format!("\"{c}\""),
    };
    let columns: Vec<String> = header
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let key = if i == 0 { " PRIMARY KEY" } else { "" };
            format!("{} VARCHAR(255) NOT NULL{key}", quote(c))
        })
        .collect();
    db.conn
        .execute_unprepared(&format!("DROP TABLE IF EXISTS {TABLE}"))
        .await?;
    db.conn
        .execute_unprepared(&format!("CREATE TABLE {TABLE} ({})", columns.join(", ")))
        .await?;
    match db.backend {
        Backend::Postgres => copy_in(db, csv_path, &header).await,
        Backend::Sqlite | Backend::MySql => {
            let names: Vec<String> = header.iter().map(|c| quote(c)).collect();
            let marks = match db.backend {
                Backend::Sqlite | Backend::MySql => vec!["?"; header.len()].join(", "),
                Backend::Postgres => unreachable!(),
            };
            let sql = format!(
                "INSERT INTO {TABLE} ({}) VALUES ({marks})",
                names.join(", ")
            );
            let backend: DbBackend = db.conn.get_database_backend();
            let txn = db.conn.begin().await?;
            let mut rows = 0u64;
            for record in reader.records() {
                let record = record.map_err(io)?;
                let values: Vec<Value> = record.iter().map(|c| c.to_owned().into()).collect();
                txn.execute_raw(Statement::from_sql_and_values(backend, sql.clone(), values))
                    .await?;
                rows += 1;
            }
            txn.commit().await?;
            Ok(rows)
        }
    }
}

async fn copy_in(db: &Db, csv_path: &Path, header: &[String]) -> StoreResult<u64> {
    use tokio::io::AsyncReadExt;
    let pool = db.conn.get_postgres_connection_pool();
    let mut conn = pool.acquire().await.map_err(io)?;
    let names: Vec<String> = header.iter().map(|c| format!("\"{c}\"")).collect();
    let mut copy = conn
        .copy_in_raw(&format!(
            "COPY {TABLE} ({}) FROM STDIN WITH (FORMAT csv, HEADER true)",
            names.join(", ")
        ))
        .await
        .map_err(io)?;
    let mut file = tokio::fs::File::open(csv_path).await.map_err(io)?;
    let mut buf = vec![0u8; 1024 * 1024];
    loop {
        let n = file.read(&mut buf).await.map_err(io)?;
        if n == 0 {
            break;
        }
        copy.send(&buf[..n]).await.map_err(io)?;
    }
    copy.finish().await.map_err(io)
}
