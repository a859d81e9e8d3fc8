//! Isolated databases for tests: every test gets a database of its own on the backend it asks
//! for, migrated, and dropped again when the test ends.
//!
//! Server URLs come from `XINRONG_TEST_POSTGRES_URL` and `XINRONG_TEST_MYSQL_URL`, defaulting to
//! the local services (`postgres://postgres@127.0.0.1:5432/postgres`,
//! `mysql://root@127.0.0.1:3306/mysql`). A backend that cannot be reached fails the test: a test
//! suite that quietly skips a database proves nothing about it.

use crate::connect::{Backend, Db, connect};
use crate::migration::Migrator;
use sea_orm::{ConnectionTrait, Database};
use sea_orm_migration::MigratorTrait;
use std::path::PathBuf;

pub const BACKENDS: [Backend; 3] = [Backend::Sqlite, Backend::Postgres, Backend::MySql];

/// A database made for one test.
pub struct TestDb {
    pub db: Db,
    pub url: String,
    cleanup: Cleanup,
}

enum Cleanup {
    File(PathBuf),
    Server { admin_url: String, name: String },
}

pub fn server_url(backend: Backend) -> Option<String> {
    match backend {
        Backend::Sqlite => None,
        Backend::Postgres => Some(
            std::env::var("XINRONG_TEST_POSTGRES_URL")
                .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into()),
        ),
        Backend::MySql => Some(
            std::env::var("XINRONG_TEST_MYSQL_URL")
                .unwrap_or_else(|_| "mysql://root@127.0.0.1:3306/mysql".into()),
        ),
    }
}

impl TestDb {
    /// A fresh, migrated database on `backend`.
    pub async fn new(backend: Backend) -> TestDb {
        let (url, cleanup) = Self::create_empty(backend).await;
        let db = connect(&url)
            .await
            .unwrap_or_else(|e| panic!("connect to test database {url}: {e}"));
        Migrator::up(&db.conn, None)
            .await
            .expect("migrate test database");
        TestDb { db, url, cleanup }
    }

    /// A fresh database with no tables, and its URL (for tests of `migrate` itself).
    pub async fn empty_url(backend: Backend) -> TestDb {
        let (url, cleanup) = Self::create_empty(backend).await;
        let db = connect(&url).await.expect("connect to empty test database");
        TestDb { db, url, cleanup }
    }

    async fn create_empty(backend: Backend) -> (String, Cleanup) {
        let name = format!("xrt_{}", uuid::Uuid::new_v4().simple());
        match backend {
            Backend::Sqlite => {
                let path = std::env::temp_dir().join(format!("{name}.db"));
                (
                    format!("sqlite://{}?mode=rwc", path.display()),
                    Cleanup::File(path),
                )
            }
            Backend::Postgres | Backend::MySql => {
                let admin_url = server_url(backend).expect("server backend");
                let admin = Database::connect(&admin_url).await.unwrap_or_else(|e| {
                    panic!(
                        "the {} test server at {admin_url} is not reachable ({e}); start it or set {}",
                        backend.name(),
                        if backend == Backend::Postgres {
                            "XINRONG_TEST_POSTGRES_URL"
                        } else {
                            "XINRONG_TEST_MYSQL_URL"
                        }
                    )
                });
                let create = if backend == Backend::MySql {
                    format!(
                        "CREATE DATABASE {name} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
                    )
                } else {
                    format!("CREATE DATABASE {name}")
                };
                admin
                    .execute_unprepared(&create)
                    .await
                    .expect("create test database");
                admin.close().await.ok();
                let mut url = url::Url::parse(&admin_url).expect("test server URL");
                url.set_path(&format!("/{name}"));
                (url.to_string(), Cleanup::Server { admin_url, name })
            }
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        match &self.cleanup {
            Cleanup::File(path) => {
                for suffix in ["", "-wal", "-shm"] {
                    let mut p = path.clone().into_os_string();
                    p.push(suffix);
                    std::fs::remove_file(p).ok();
                }
            }
            Cleanup::Server { admin_url, name } => {
                let (admin_url, name) = (admin_url.clone(), name.clone());
                // Drop runs inside the test's runtime, which may not be free to drive IO now; a
                // helper thread with its own runtime drops the database. PostgreSQL's FORCE ends
                // the test's remaining connections; MySQL drops a database with idle ones.
                std::thread::spawn(move || {
                    let rt = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                        .expect("cleanup runtime");
                    rt.block_on(async move {
                        if let Ok(admin) = Database::connect(&admin_url).await {
                            let force = if admin_url.starts_with("postgres") {
                                " WITH (FORCE)"
                            } else {
                                ""
                            };
                            admin
                                .execute_unprepared(&format!(
                                    "DROP DATABASE IF EXISTS {name}{force}"
                                ))
                                .await
                                .ok();
                            admin.close().await.ok();
                        }
                    });
                })
                .join()
                .ok();
            }
        }
    }
}
