//! Storage behaves the same on every backend: migrations, Chinese text, uniqueness, atomicity.

use crate::on_all_backends;
use chrono::NaiveDate;
use xinrong_store::migration;
use xinrong_store::repo::enterprises::{self, EnterpriseFilter, EnterpriseRow};
use xinrong_store::testing::TestDb;
use xinrong_store::{Backend, StoreError};

fn row(uscc: &str, name: &str) -> EnterpriseRow {
    EnterpriseRow {
        uscc: uscc.to_owned(),
        name: name.to_owned(),
        region_code: "410105".to_owned(),
        industry_code: "52".to_owned(),
        established: NaiveDate::from_ymd_opt(2020, 2, 29).unwrap(),
        registered_capital_fen: 9_000_000_000_000,
        employees: 12,
        size_class: "small".to_owned(),
        legal_rep_name: "张三".to_owned(),
        legal_rep_id_number: "11010519491231002X".to_owned(),
        created_at: chrono::Utc::now().naive_utc(),
    }
}

async fn migrations_text_and_conflicts(backend: Backend) {
    let t = TestDb::empty_url(backend).await;
    migration::run(&t.db).await.unwrap();
    migration::run(&t.db)
        .await
        .expect("migrating twice is a no-op");
    let applied = migration::applied(&t.db).await.unwrap();
    assert_eq!(
        applied,
        migration::defined(),
        "every migration applied, in order"
    );
    assert!(applied.len() >= 3);

    let conn = &t.db.conn;
    let name = "郑州市金水区𠀋华信商贸有限公司（测试）";
    enterprises::insert_many(conn, vec![row("914403001922038216", name)])
        .await
        .unwrap();
    let back = enterprises::get(conn, "914403001922038216")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(back.name, name, "4-byte Chinese characters survive");
    assert_eq!(
        back.registered_capital_fen, 9_000_000_000_000,
        "large fen amounts survive"
    );
    assert_eq!(
        back.established,
        NaiveDate::from_ymd_opt(2020, 2, 29).unwrap()
    );

    let (found, total) = enterprises::search(
        conn,
        &EnterpriseFilter {
            text: Some("华信商贸".into()),
            ..Default::default()
        },
        1,
        10,
    )
    .await
    .unwrap();
    assert_eq!((found.len(), total), (1, 1));

    // A batch with a duplicate key fails as a whole inside a transaction.
    let txn = t.db.begin().await.unwrap();
    let err = enterprises::insert_many(
        &txn,
        vec![
            row("91350100M000100Y43", "新企业"),
            row("914403001922038216", "重复"),
        ],
    )
    .await
    .unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)), "{err:?}");
    drop(txn);
    assert_eq!(
        enterprises::count_all(conn).await.unwrap(),
        1,
        "nothing of the failed batch remains"
    );
}
on_all_backends!(migrations_text_and_conflicts);
