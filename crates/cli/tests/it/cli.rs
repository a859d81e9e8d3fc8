//! The `xinrong` binary, black box: demo, export, migrate, admin, and its one-line errors.

use std::io::Write;
use std::process::{Command, Output, Stdio};
use xinrong_store::Backend;
use xinrong_store::testing::TestDb;

use crate::support::xinrong;

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

async fn demo_then_export(backend: Backend) {
    let db = TestDb::empty_url(backend).await;
    let demo = xinrong(
        &db.url,
        &[
            "demo",
            "--enterprises",
            "300",
            "--seed",
            "11",
            "--region",
            "4101",
            "--format",
            "json",
        ],
    );
    assert!(demo.status.success(), "{}", stderr(&demo));
    let summary: serde_json::Value = serde_json::from_str(&stdout(&demo)).unwrap();
    assert_eq!(summary["enterprises"], 300);
    assert_eq!(summary["region_name"], "郑州市");

    let export = xinrong(&db.url, &["export", "enterprises", "--format", "csv"]);
    assert!(export.status.success(), "{}", stderr(&export));
    let mut reader = csv::Reader::from_reader(export.stdout.as_slice());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    for column in [
        "uscc",
        "name",
        "region_code",
        "industry_code",
        "established",
        "size_class",
    ] {
        assert!(header.contains(&column.to_owned()), "{column}");
    }
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 300);

    let district = xinrong(
        &db.url,
        &[
            "export",
            "enterprises",
            "--format",
            "csv",
            "--region",
            "410105",
        ],
    );
    let district_rows = csv::Reader::from_reader(district.stdout.as_slice())
        .records()
        .count();
    let expected = rows.iter().filter(|r| &r[2] == "410105").count();
    assert_eq!(district_rows, expected);

    // A second demo into the same database is refused, and changes nothing.
    let again = xinrong(&db.url, &["demo", "--enterprises", "10"]);
    assert!(!again.status.success());
    assert!(
        stderr(&again).starts_with("error[demo.not_empty]:"),
        "{}",
        stderr(&again)
    );
    let after = xinrong(&db.url, &["export", "enterprises"]);
    assert_eq!(after.stdout, export.stdout);
}
crate::on_all_backends!(demo_then_export);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn same_seed_same_city_on_every_backend() {
    let mut exports = Vec::new();
    for backend in [Backend::Sqlite, Backend::Postgres, Backend::MySql] {
        let db = TestDb::empty_url(backend).await;
        let demo = xinrong(&db.url, &["demo", "--enterprises", "150", "--seed", "42"]);
        assert!(demo.status.success(), "{backend:?}: {}", stderr(&demo));
        exports.push(xinrong(&db.url, &["export", "enterprises"]).stdout);
    }
    assert_eq!(exports[0], exports[1], "PostgreSQL export equals SQLite's");
    assert_eq!(exports[0], exports[2], "MySQL export equals SQLite's");
    let db = TestDb::empty_url(Backend::Sqlite).await;
    xinrong(&db.url, &["demo", "--enterprises", "150", "--seed", "43"]);
    assert_ne!(
        xinrong(&db.url, &["export", "enterprises"]).stdout,
        exports[0],
        "another seed, another city"
    );
}

#[test]
fn malformed_and_unreachable_database_urls_fail_in_one_line() {
    for (url, code) in [
        ("oracle://x/y", "database.url"),
        (
            "postgres://postgres@127.0.0.1:1/none",
            "database.unreachable",
        ),
        (
            "mysql://root:secret-pw@127.0.0.1:1/none",
            "database.unreachable",
        ),
    ] {
        let out = xinrong(url, &["migrate"]);
        assert_eq!(out.status.code(), Some(1), "{url}");
        let err = stderr(&out);
        assert!(err.starts_with(&format!("error[{code}]:")), "{url}: {err}");
        assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
        assert!(!err.contains("secret-pw"), "passwords are never echoed");
    }
}

#[test]
fn unwritable_data_directory_is_reported() {
    let dir = std::env::temp_dir().join(format!("xr-ro-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("not-a-dir");
    std::fs::write(&file, b"x").unwrap();
    let url = format!("sqlite://{}/sub/xinrong.db", file.display());
    let out = xinrong(&url, &["migrate"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).starts_with("error[database.unreachable]: 无法连接数据库：无法创建数据目录"),
        "{}",
        stderr(&out)
    );
    std::fs::remove_dir_all(dir).ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn migrate_is_idempotent() {
    let db = TestDb::empty_url(Backend::Sqlite).await;
    let first = xinrong(&db.url, &["migrate"]);
    assert!(first.status.success(), "{}", stderr(&first));
    let second = xinrong(&db.url, &["migrate"]);
    assert!(second.status.success());
    assert_eq!(stdout(&first), stdout(&second));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_creates_the_first_operator_from_stdin() {
    let db = TestDb::empty_url(Backend::Sqlite).await;
    let mut child = Command::new(env!("CARGO_BIN_EXE_xinrong"))
        .args([
            "admin",
            "create-user",
            "--username",
            "admin",
            "--display-name",
            "管理员",
            "--password-stdin",
        ])
        .env("XINRONG_DATABASE_URL", &db.url)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"Zhengzhou2026\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("\"username\":\"admin\""));
    let platform = xinrong_services::Platform::new(xinrong_store::connect(&db.url).await.unwrap());
    let login = xinrong_services::identity::login(&platform, "admin", "Zhengzhou2026")
        .await
        .unwrap();
    assert_eq!(login.principal.role.code(), "operator");

    let weak = xinrong(
        &db.url,
        &[
            "admin",
            "create-user",
            "--username",
            "b",
            "--display-name",
            "x",
            "--password",
            "123",
        ],
    );
    assert!(
        stderr(&weak).starts_with("error[password.weak]:"),
        "{}",
        stderr(&weak)
    );
}

#[test]
fn serve_fails_clearly_when_the_port_is_taken() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let dir = std::env::temp_dir().join(format!("xr-port-{}", uuid::Uuid::new_v4().simple()));
    let url = format!("sqlite://{}/x.db", dir.display());
    let out = xinrong(&url, &["serve", "--bind", &format!("127.0.0.1:{port}")]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("error[serve.port_in_use]:"),
        "{}",
        stderr(&out)
    );
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn serve_demo_answers_and_stops_on_sigterm() {
    let dir = std::env::temp_dir().join(format!("xr-serve-{}", uuid::Uuid::new_v4().simple()));
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_xinrong"))
        .args([
            "serve",
            "--demo",
            "--demo-enterprises",
            "50",
            "--bind",
            &format!("127.0.0.1:{port}"),
        ])
        .env(
            "XINRONG_DATABASE_URL",
            format!("sqlite://{}/xinrong.db", dir.display()),
        )
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Wait for the announcement line rather than sleeping.
    let stderr = child.stderr.take().unwrap();
    let mut lines = std::io::BufRead::lines(std::io::BufReader::new(stderr));
    let ready = lines
        .by_ref()
        .map_while(Result::ok)
        .any(|l| l.contains("正在运行"));
    assert!(ready, "server announced itself");
    let body = reqwest::blocking_get(&format!("http://127.0.0.1:{port}/login"));
    assert!(body.contains("登录"));
    let pid = child.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
    let status = child.wait().unwrap();
    assert!(status.success(), "graceful shutdown exits 0: {status:?}");
    let printed = String::from_utf8(
        child
            .stdout
            .take()
            .map(|mut s| {
                let mut v = Vec::new();
                std::io::Read::read_to_end(&mut s, &mut v).unwrap();
                v
            })
            .unwrap(),
    )
    .unwrap();
    assert!(
        printed.contains("operator") && printed.contains("Demo-"),
        "credentials printed"
    );
    std::fs::remove_dir_all(dir).ok();
}

mod reqwest {
    /// A tiny blocking GET over a fresh runtime, for tests that are not async themselves.
    pub fn blocking_get(url: &str) -> String {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async { ::reqwest::get(url).await.unwrap().text().await.unwrap() })
    }
}
