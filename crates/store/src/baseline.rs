//! The yardstick for the ingest benchmark: the same rows loaded by the database's own bulk path
//! into a plain table with the same key and no checks — PostgreSQL `COPY … FROM STDIN`, SQLite's
//! `.import` in the `sqlite3` shell (one transaction, prepared statements in C), and on MySQL a
//! prepared-statement loop in one transaction (`LOAD DATA LOCAL` is off by default on servers).
//! Without a `sqlite3` shell the SQLite baseline falls back to the driver's prepared loop, which
//! is far slower than `.import`; the result names the loader so the ratio is never misread.

use crate::connect::{Backend, Db};
use crate::error::{StoreError, StoreResult};
use sea_orm::{ConnectionTrait, DbBackend, Statement, TransactionTrait, Value};
use std::path::Path;

/// The plain table: text columns named after the file's header, the first one the key.
const TABLE: &str = "bench_plain";

fn io(e: impl std::fmt::Display) -> StoreError {
    StoreError::Conflict(format!("基准装载失败：{e}"))
}

/// Brings the database to a quiet state before a timed phase: on SQLite the write-ahead log
/// of the previous phase is checkpointed and truncated, so neither phase pays for the other's.
pub async fn settle(db: &Db) -> StoreResult<()> {
    if db.backend == Backend::Sqlite {
        db.conn
            .execute_unprepared("PRAGMA wal_checkpoint(TRUNCATE)")
            .await?;
    }
    Ok(())
}

/// Which loader a baseline used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Loader {
    /// PostgreSQL `COPY … FROM STDIN (FORMAT csv)`.
    Copy,
    /// The `sqlite3` shell's `.import`.
    SqliteImport,
    /// A prepared `INSERT` per row in one transaction, through the platform's own driver.
    PreparedLoop,
}

/// Loads a CSV file (UTF-8, with a header row) into a fresh plain table; returns the rows loaded
/// and the loader used.
pub async fn load_plain(db: &Db, csv_path: &Path) -> StoreResult<(u64, Loader)> {
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
        Backend::Postgres => Ok((copy_in(db, csv_path, &header).await?, Loader::Copy)),
        Backend::Sqlite if sqlite_file(db).is_some() && shell_available() => {
            let file = sqlite_file(db).expect("checked");
            Ok((sqlite_import(&file, csv_path).await?, Loader::SqliteImport))
        }
        Backend::Sqlite | Backend::MySql => {
            let names: Vec<String> = header.iter().map(|c| quote(c)).collect();
            let marks = vec!["?"; header.len()].join(", ");
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
            Ok((rows, Loader::PreparedLoop))
        }
    }
}

/// The database file behind a SQLite connection.
fn sqlite_file(db: &Db) -> Option<std::path::PathBuf> {
    let pool = db.conn.get_sqlite_connection_pool();
    let filename = pool.connect_options().get_filename().to_path_buf();
    filename.is_file().then_some(filename)
}

fn shell_available() -> bool {
    std::process::Command::new("sqlite3")
        .arg("-version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// `.import --csv --skip 1` into the table created above, from a second connection: the
/// platform's pool holds no transaction at this point.
async fn sqlite_import(file: &Path, csv_path: &Path) -> StoreResult<u64> {
    let script = format!(
        ".bail on\n.import --csv --skip 1 '{}' {TABLE}\nSELECT COUNT(*) FROM {TABLE};\n",
        csv_path.display()
    );
    let mut child = tokio::process::Command::new("sqlite3")
        .arg(file)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .map_err(io)?;
    {
        use tokio::io::AsyncWriteExt;
        let mut stdin = child.stdin.take().expect("piped");
        stdin.write_all(script.as_bytes()).await.map_err(io)?;
    }
    let out = child.wait_with_output().await.map_err(io)?;
    if !out.status.success() {
        return Err(io(String::from_utf8_lossy(&out.stderr)));
    }
    String::from_utf8_lossy(&out.stdout)
        .trim()
        .parse()
        .map_err(io)
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
