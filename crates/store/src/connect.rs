//! Connecting to the database named by a URL, and knowing which backend it is.

use crate::error::{StoreError, StoreResult};
use sea_orm::{ConnectOptions, Database, DatabaseConnection};
use std::path::Path;
use std::time::Duration;

/// The database engines xinrong runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
    MySql,
}

impl Backend {
    /// Which backend a URL names, or why it names none.
    pub fn from_url(url: &str) -> StoreResult<Backend> {
        let scheme = url.split_once(':').map(|(s, _)| s).unwrap_or_default();
        match scheme {
            "sqlite" => Ok(Backend::Sqlite),
            "postgres" | "postgresql" => Ok(Backend::Postgres),
            "mysql" | "mariadb" => Ok(Backend::MySql),
            _ => Err(StoreError::InvalidUrl(format!(
                "不支持的数据库类型“{scheme}”（支持 sqlite:、postgres:、mysql:）"
            ))),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
            Backend::MySql => "mysql",
        }
    }
}

/// A connected database: the pool plus which backend it is.
#[derive(Debug, Clone)]
pub struct Db {
    pub conn: DatabaseConnection,
    pub backend: Backend,
}

impl Db {
    /// A trivial round trip, for readiness checks.
    pub async fn ping(&self) -> StoreResult<()> {
        self.conn.ping().await.map_err(StoreError::from)
    }
}

/// Connects to `url`. For SQLite the file's directory is created and the file too (`mode=rwc`).
///
/// The password in a URL is never echoed back in an error.
pub async fn connect(url: &str) -> StoreResult<Db> {
    let backend = Backend::from_url(url)?;
    let url = match backend {
        Backend::Sqlite => prepare_sqlite(url)?,
        // sqlx names MariaDB "mysql"; accept the friendlier scheme too.
        Backend::MySql if url.starts_with("mariadb:") => url.replacen("mariadb:", "mysql:", 1),
        _ => {
            url::Url::parse(url).map_err(|e| StoreError::InvalidUrl(e.to_string()))?;
            url.to_owned()
        }
    };
    let mut options = ConnectOptions::new(url.clone());
    options
        .max_connections(if backend == Backend::Sqlite { 4 } else { 16 })
        .connect_timeout(Duration::from_secs(5))
        .acquire_timeout(Duration::from_secs(10))
        .sqlx_logging(false)
        // Every SQLite connection, not just the first: WAL lets the server read while a batch
        // writes, NORMAL is durable in WAL mode, and a 32 MiB page cache (the default is 2 MiB)
        // keeps a large batch's index pages in memory instead of re-reading them from the WAL.
        .map_sqlx_sqlite_opts(|opts| {
            opts.journal_mode(sqlx::sqlite::SqliteJournalMode::Wal)
                .synchronous(sqlx::sqlite::SqliteSynchronous::Normal)
                .pragma("cache_size", "-32768")
        })
        .map_sqlx_postgres_pool_opts(|pool| {
            pool.after_connect(|_, _| {
                Box::pin(async {
                    crate::nodelay::set_on_all_tcp_sockets();
                    Ok(())
                })
            })
        })
        .map_sqlx_mysql_pool_opts(|pool| {
            pool.after_connect(|_, _| {
                Box::pin(async {
                    crate::nodelay::set_on_all_tcp_sockets();
                    Ok(())
                })
            })
        });
    let conn = Database::connect(options)
        .await
        .map_err(|e| StoreError::Unreachable(redact(&e.to_string(), &url)))?;
    Ok(Db { conn, backend })
}

/// Makes sure the SQLite file can be created: its directory exists and is writable.
fn prepare_sqlite(url: &str) -> StoreResult<String> {
    let rest = url.trim_start_matches("sqlite:").trim_start_matches("//");
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    if path.is_empty() || path == ":memory:" {
        return Ok(url.to_owned());
    }
    if let Some(dir) = Path::new(path)
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
    {
        std::fs::create_dir_all(dir).map_err(|e| {
            StoreError::Unreachable(format!("无法创建数据目录 {}：{e}", dir.display()))
        })?;
        let probe = dir.join(format!(
            ".xinrong-write-probe-{}",
            uuid::Uuid::new_v4().simple()
        ));
        std::fs::write(&probe, b"")
            .and_then(|_| std::fs::remove_file(&probe))
            .map_err(|e| {
                StoreError::Unreachable(format!("数据目录不可写 {}：{e}", dir.display()))
            })?;
    }
    let query = if query.contains("mode=") {
        query.to_owned()
    } else if query.is_empty() {
        "mode=rwc".to_owned()
    } else {
        format!("{query}&mode=rwc")
    };
    Ok(format!("sqlite://{path}?{query}"))
}

/// Removes a URL's password from a message so it is never logged or shown.
pub fn redact(message: &str, url: &str) -> String {
    match url::Url::parse(url) {
        Ok(parsed) => match parsed.password() {
            Some(pw) if !pw.is_empty() => message.replace(pw, "***"),
            _ => message.to_owned(),
        },
        Err(_) => message.to_owned(),
    }
}

impl Db {
    /// Starts a transaction: everything written through it lands together or not at all.
    pub async fn begin(&self) -> StoreResult<sea_orm::DatabaseTransaction> {
        use sea_orm::TransactionTrait;
        Ok(self.conn.begin().await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backend_is_chosen_by_scheme() {
        assert_eq!(
            Backend::from_url("sqlite://data/x.db").unwrap(),
            Backend::Sqlite
        );
        assert_eq!(
            Backend::from_url("postgres://u@h/db").unwrap(),
            Backend::Postgres
        );
        assert_eq!(
            Backend::from_url("mariadb://u@h/db").unwrap(),
            Backend::MySql
        );
        assert!(matches!(
            Backend::from_url("oracle://x"),
            Err(StoreError::InvalidUrl(_))
        ));
    }

    #[test]
    fn passwords_are_redacted() {
        let url = "postgres://app:s3cret@db/x";
        assert_eq!(redact("failed for app:s3cret", url), "failed for app:***");
    }
}
