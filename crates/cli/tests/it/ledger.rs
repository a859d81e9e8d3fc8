//! The tamper-evident ledger (防篡改账本) end to end: signed tree heads (SM2) after every batch,
//! checked with the `sm2` crate and the published key as an outside auditor would; verification
//! naming the first mismatch when rows are edited, deleted or inserted behind the platform's
//! back, or a head is altered — on every backend; the key file created once and reused; the
//! ledger page for every role.

use crate::on_all_backends;
use crate::support::TestApp;
use crate::support::page_text;
use sea_orm::{ConnectionTrait, Statement, Value};
use xinrong_services::Platform;
use xinrong_services::ledger::{self, LedgerStatus};
use xinrong_store::Backend;

/// Two enterprises of the demo city (records are only kept about known subjects).
async fn known(p: &Platform) -> (String, String) {
    let conn = &p.db.conn;
    let rows = conn
        .query_all_raw(Statement::from_string(
            conn.get_database_backend(),
            "SELECT uscc FROM enterprises ORDER BY uscc LIMIT 2",
        ))
        .await
        .unwrap();
    let uscc = |i: usize| rows[i].try_get_by_index::<String>(0).unwrap();
    (uscc(0), uscc(1))
}

/// Pushes a CSV of `tax.tax_arrears` through the API as the tax bureau.
async fn push(app: &TestApp, token: &str, body: String) -> serde_json::Value {
    let response = reqwest::Client::new()
        .post(app.url("/api/v1/batches?item=tax.tax_arrears"))
        .bearer_auth(token)
        .body(body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let report: serde_json::Value = response.json().await.unwrap();
    assert_eq!(status, 201, "{report}");
    report
}

async fn two_batches(app: &TestApp) -> String {
    let (good_a, good_b) = known(&app.platform).await;
    let token = app.token_for("provider-tax").await;
    push(
        app,
        &token,
        format!("uscc,tax_arrears_amount\n{good_a},1200.50\n{good_b},3\n"),
    )
    .await;
    push(
        app,
        &token,
        format!("uscc,tax_arrears_amount\n{good_a},800.00\n"),
    )
    .await;
    token
}

async fn exec(p: &Platform, sql: &str, values: Vec<Value>) {
    let conn = &p.db.conn;
    conn.execute_raw(Statement::from_sql_and_values(
        conn.get_database_backend(),
        placeholders(p, sql),
        values,
    ))
    .await
    .unwrap_or_else(|e| panic!("{sql}: {e}"));
}

/// `?` placeholders in the dialect of the backend.
fn placeholders(p: &Platform, sql: &str) -> String {
    if p.db.backend != Backend::Postgres {
        return sql.to_owned();
    }
    let mut out = String::new();
    let mut n = 0;
    for c in sql.chars() {
        if c == '?' {
            n += 1;
            out.push_str(&format!("${n}"));
        } else {
            out.push(c);
        }
    }
    out
}

async fn one_string(p: &Platform, sql: &str) -> String {
    let conn = &p.db.conn;
    let row = conn
        .query_one_raw(Statement::from_string(conn.get_database_backend(), sql))
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("a row for {sql}"));
    row.try_get_by_index::<String>(0).unwrap()
}

async fn failing(p: &Platform, what: &str) -> LedgerStatus {
    let status = ledger::verify(p).await.unwrap();
    assert!(!status.ok, "{what} should be found");
    assert_eq!(status.first_problem.as_ref(), status.problems.first());
    status
}

async fn holds(p: &Platform) -> LedgerStatus {
    let status = ledger::verify(p).await.unwrap();
    assert!(status.ok, "{:?}", status.problems);
    status
}

async fn tampering_is_named(backend: Backend) {
    let app = TestApp::with_demo(backend).await;
    let p = &app.platform;
    // The demo's sharing agreements are ledgered (and headed): leaf indices and sizes below
    // count from the ledger as the demo leaves it.
    let demo = holds(p).await;
    let base = demo.size;
    two_batches(&app).await;
    let clean = holds(p).await;
    // Three record versions and two batch manifests; one signed head per batch.
    assert_eq!(
        (clean.size, clean.heads_checked),
        (base + 5, demo.heads_checked + 2)
    );

    // One byte of a stored payload.
    let (id, payload) = (
        one_string(p, "SELECT id FROM records WHERE version = 2").await,
        one_string(p, "SELECT payload FROM records WHERE version = 2").await,
    );
    let flipped = payload.replacen("800.00", "800.01", 1);
    assert_eq!(flipped.len(), payload.len(), "one byte, not one more");
    assert_ne!(flipped, payload);
    let set_payload = "UPDATE records SET payload = ? WHERE id = ?";
    exec(p, set_payload, vec![flipped.into(), id.clone().into()]).await;
    let status = failing(p, "a changed byte").await;
    let first = status.first_problem.unwrap();
    assert!(
        first.contains(&id) && first.contains("内容被改动"),
        "{first}"
    );
    exec(p, set_payload, vec![payload.into(), id.clone().into()]).await;
    holds(p).await;

    // A record deleted: its leaf names it.
    let first_id = one_string(
        p,
        "SELECT id FROM records WHERE version = 1 ORDER BY ledger_index LIMIT 1",
    )
    .await;
    let copy = "INSERT INTO records_saved SELECT * FROM records WHERE id = ?";
    exec(
        p,
        "CREATE TABLE records_saved AS SELECT * FROM records WHERE 1 = 0",
        vec![],
    )
    .await;
    exec(p, copy, vec![first_id.clone().into()]).await;
    exec(
        p,
        "DELETE FROM records WHERE id = ?",
        vec![first_id.clone().into()],
    )
    .await;
    let first = failing(p, "a deleted row").await.first_problem.unwrap();
    assert!(
        first.contains(&first_id) && first.contains("记录被删除"),
        "{first}"
    );
    exec(p, "INSERT INTO records SELECT * FROM records_saved", vec![]).await;
    holds(p).await;

    // A record inserted behind the platform's back, with no leaf.
    exec(
        p,
        "UPDATE records_saved SET id = 'forged-record-0000000000000000000000', version = 9",
        vec![],
    )
    .await;
    exec(p, "INSERT INTO records SELECT * FROM records_saved", vec![]).await;
    let first = failing(p, "an inserted row").await.first_problem.unwrap();
    assert!(
        first.contains("forged-record") && first.contains("绕过平台插入"),
        "{first}"
    );
    // ... even with a well-formed leaf appended for it: no signed head covers that leaf.
    let forged = "'forged-record-0000000000000000000000'";
    let field = |name: &str| format!("SELECT {name} FROM records WHERE id = {forged}");
    let leaf = ledger::record_leaf(
        &one_string(p, &field("item_key")).await,
        &one_string(p, &field("subject")).await,
        &one_string(p, &field("natural_key_hash")).await,
        9,
        &one_string(p, &field("content_hash")).await,
    );
    exec(
        p,
        &format!(
            "UPDATE records SET ledger_index = {} WHERE id = {forged}",
            base + 5
        ),
        vec![],
    )
    .await;
    exec(
        p,
        &format!("INSERT INTO ledger_leaves (leaf_index, leaf_hash, kind, ref_id, created_at) SELECT {}, ?, 'record', {forged}, created_at FROM ledger_leaves WHERE leaf_index = 0", base + 5),
        vec![leaf.to_hex().into()],
    )
    .await;
    let status = failing(p, "a forged leaf").await;
    assert_eq!(status.problems.len(), 1, "{:?}", status.problems);
    assert!(
        status.problems[0].contains(&format!("账本叶子 {0}–{0} 不在任何签名树头之内", base + 5)),
        "{:?}",
        status.problems
    );
    exec(
        p,
        &format!("DELETE FROM ledger_leaves WHERE leaf_index = {}", base + 5),
        vec![],
    )
    .await;
    exec(
        p,
        "DELETE FROM records WHERE id = 'forged-record-0000000000000000000000'",
        vec![],
    )
    .await;
    exec(p, "DROP TABLE records_saved", vec![]).await;
    holds(p).await;

    // A batch manifest edited, deleted, inserted.
    let batch_id = one_string(
        p,
        "SELECT ref_id FROM ledger_leaves WHERE kind = 'batch' ORDER BY leaf_index LIMIT 1",
    )
    .await;
    exec(
        p,
        "UPDATE batches SET rows_rejected = rows_rejected + 1 WHERE id = ?",
        vec![batch_id.clone().into()],
    )
    .await;
    let first = failing(p, "an edited batch").await.first_problem.unwrap();
    assert!(
        first.contains(&batch_id) && first.contains("批次被改动"),
        "{first}"
    );
    exec(
        p,
        "UPDATE batches SET rows_rejected = rows_rejected - 1 WHERE id = ?",
        vec![batch_id.clone().into()],
    )
    .await;
    holds(p).await;
    exec(
        p,
        "CREATE TABLE batches_saved AS SELECT * FROM batches WHERE 1 = 0",
        vec![],
    )
    .await;
    exec(
        p,
        "INSERT INTO batches_saved SELECT * FROM batches WHERE id = ?",
        vec![batch_id.clone().into()],
    )
    .await;
    exec(
        p,
        "DELETE FROM batches WHERE id = ?",
        vec![batch_id.clone().into()],
    )
    .await;
    let first = failing(p, "a deleted batch").await.first_problem.unwrap();
    assert!(first.contains("批次被删除"), "{first}");
    let content_hash = one_string(p, "SELECT content_hash FROM batches_saved").await;
    exec(
        p,
        "UPDATE batches_saved SET id = 'forged-batch-00000000000000000000000', content_hash = ?",
        vec!["ab".repeat(32).into()],
    )
    .await;
    exec(p, "INSERT INTO batches SELECT * FROM batches_saved", vec![]).await;
    let status = failing(p, "an inserted batch").await;
    assert!(
        status
            .problems
            .iter()
            .any(|m| m.contains("forged-batch") && m.contains("批次被绕过平台插入")),
        "{:?}",
        status.problems
    );
    exec(
        p,
        "DELETE FROM batches WHERE id = 'forged-batch-00000000000000000000000'",
        vec![],
    )
    .await;
    exec(
        p,
        "UPDATE batches_saved SET id = ?, content_hash = ?",
        vec![batch_id.clone().into(), content_hash.into()],
    )
    .await;
    exec(p, "INSERT INTO batches SELECT * FROM batches_saved", vec![]).await;
    exec(p, "DROP TABLE batches_saved", vec![]).await;
    holds(p).await;

    // A signed head's root (the first batch's), then its signature.
    let root = one_string(
        p,
        &format!("SELECT root FROM tree_heads WHERE tree_size > {base} ORDER BY tree_size LIMIT 1"),
    )
    .await;
    let forged_root = format!(
        "{}{}",
        if root.starts_with('0') { "1" } else { "0" },
        &root[1..]
    );
    let set_root = "UPDATE tree_heads SET root = ? WHERE root = ?";
    exec(
        p,
        set_root,
        vec![forged_root.clone().into(), root.clone().into()],
    )
    .await;
    let first = failing(p, "an altered head root")
        .await
        .first_problem
        .unwrap();
    assert!(
        first.contains("签名树头") && first.contains("不符"),
        "{first}"
    );
    exec(p, set_root, vec![root.into(), forged_root.into()]).await;
    holds(p).await;
    let signature = one_string(
        p,
        "SELECT signature FROM tree_heads ORDER BY tree_size DESC LIMIT 1",
    )
    .await;
    let forged = format!(
        "{}{}",
        &signature[..10],
        if &signature[10..11] == "0" { "1" } else { "0" }
    ) + &signature[11..];
    let set_signature = "UPDATE tree_heads SET signature = ? WHERE signature = ?";
    exec(
        p,
        set_signature,
        vec![forged.clone().into(), signature.clone().into()],
    )
    .await;
    let first = failing(p, "an altered signature")
        .await
        .first_problem
        .unwrap();
    assert!(first.contains("SM2 签名"), "{first}");
    exec(p, set_signature, vec![signature.into(), forged.into()]).await;
    holds(p).await;

    // A record pointed at another leaf: the leaf it left is named, and so is the record.
    let moved = one_string(p, "SELECT id FROM records WHERE version = 2").await;
    let set_index = "UPDATE records SET ledger_index = ? WHERE id = ?";
    let index = base as i64 + 3;
    exec(
        p,
        set_index,
        vec![(base as i64).into(), moved.clone().into()],
    )
    .await;
    let status = failing(p, "a record moved to another leaf").await;
    assert!(
        status
            .problems
            .iter()
            .any(|m| m.contains(&moved) && m.contains("已被改动")),
        "{:?}",
        status.problems
    );
    exec(p, set_index, vec![index.into(), moved.into()]).await;
    holds(p).await;

    // The last leaf deleted: the head that covered it is now larger than the tree.
    let last = base + 4;
    let (hash, kind_ref) = (
        one_string(
            p,
            &format!("SELECT leaf_hash FROM ledger_leaves WHERE leaf_index = {last}"),
        )
        .await,
        one_string(
            p,
            &format!("SELECT ref_id FROM ledger_leaves WHERE leaf_index = {last}"),
        )
        .await,
    );
    exec(
        p,
        &format!("DELETE FROM ledger_leaves WHERE leaf_index = {last}"),
        vec![],
    )
    .await;
    let status = failing(p, "a deleted leaf").await;
    assert!(
        status
            .problems
            .iter()
            .any(|m| m.contains(&format!("超出账本现有叶子数 {last}"))),
        "{:?}",
        status.problems
    );
    exec(
        p,
        &format!("INSERT INTO ledger_leaves (leaf_index, leaf_hash, kind, ref_id, created_at) SELECT {last}, ?, 'batch', ?, created_at FROM ledger_leaves WHERE leaf_index = 0"),
        vec![hash.into(), kind_ref.into()],
    )
    .await;
    holds(p).await;

    // Signing again with no new leaf gives the same head; a spoilt frontier does not spoil the
    // next head (it is rebuilt from the leaves) but verification names it.
    let latest = ledger::latest_head(p).await.unwrap().unwrap();
    let txn = p.db.begin().await.unwrap();
    let again = ledger::sign_head(p, &txn, p.clock.now_naive())
        .await
        .unwrap();
    txn.commit().await.unwrap();
    assert_eq!(again, latest);
    exec(
        p,
        &format!(
            "UPDATE tree_heads SET frontier = ? WHERE tree_size = {}",
            base + 5
        ),
        vec!["00".repeat(32).into()],
    )
    .await;
    let first = failing(p, "a spoilt frontier").await.first_problem.unwrap();
    assert!(first.contains("右边界"), "{first}");
    let token = app.token_for("provider-tax").await;
    let (good_a, _) = known(p).await;
    push(
        &app,
        &token,
        format!("uscc,tax_arrears_amount\n{good_a},1.00\n"),
    )
    .await;
    let status = ledger::verify(p).await.unwrap();
    assert_eq!(
        status.problems.len(),
        1,
        "only the spoilt frontier: {:?}",
        status.problems
    );
    assert_eq!(status.heads_checked, demo.heads_checked + 3);

    // Heads checked with another key do not verify: a key swapped on disk is noticed.
    let other = p
        .clone()
        .with_ledger_key(xinrong_ledger::LedgerKey::generate());
    let status = ledger::verify(&other).await.unwrap();
    assert!(!status.ok);
    assert!(status.problems.iter().any(|m| m.contains("不是平台公钥")));
}
on_all_backends!(tampering_is_named);

/// The signed message, rebuilt here from the documented layout rather than the platform's code.
fn head_message(size: u64, root: &[u8], timestamp_ms: u64) -> Vec<u8> {
    let mut m = b"xinrong/ledger/tree-head/v1\0".to_vec();
    m.extend_from_slice(&timestamp_ms.to_be_bytes());
    m.extend_from_slice(&size.to_be_bytes());
    m.push(root.len() as u8);
    m.extend_from_slice(root);
    m.extend_from_slice(&[0, 0]);
    m
}

fn unhex(text: &str) -> Vec<u8> {
    (0..text.len() / 2)
        .map(|i| u8::from_str_radix(&text[2 * i..2 * i + 2], 16).expect("hex"))
        .collect()
}

/// Checks a signed head as an auditor with only the `sm2` crate and the PEM key would.
fn auditor_accepts(head: &serde_json::Value, public_pem: &str) -> bool {
    use sm2::dsa::signature::Verifier;
    use sm2::dsa::{Signature, VerifyingKey};
    use sm2::pkcs8::DecodePublicKey;
    let key = sm2::PublicKey::from_public_key_pem(public_pem).expect("PEM public key");
    let key = VerifyingKey::new("1234567812345678", key).expect("SM2 key");
    let root = unhex(head["root"].as_str().unwrap());
    let message = head_message(
        head["tree_size"].as_u64().unwrap(),
        &root,
        head["timestamp_ms"].as_u64().unwrap(),
    );
    let signature = unhex(head["signature"].as_str().unwrap());
    let Ok(signature) = Signature::from_slice(&signature) else {
        return false;
    };
    key.verify(&message, &signature).is_ok()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signed_heads_check_out_with_the_published_key() {
    use xinrong_ledger::{Hash, sm3, verify_consistency};
    let app = TestApp::with_demo(Backend::Sqlite).await;
    let token = app.token_for("bank-icbc").await;
    // The demo's sharing agreements are ledgered and headed: the ledger starts at `base`
    // leaves, all covered by the demo's latest head, and no head is signed beyond them.
    let (_, tree) = app.api_get(&token, "/api/v1/ledger/head").await;
    let base = tree["size"].as_u64().unwrap();
    let (status, demo_head) = app.api_get(&token, "/api/v1/ledger/heads/latest").await;
    assert_eq!(status, 200, "{demo_head}");
    assert_eq!(
        demo_head["tree_size"].as_u64(),
        Some(base),
        "no head before the first batch"
    );
    let (_, beyond) = app
        .api_get(
            &token,
            &format!("/api/v1/ledger/heads?from={}&limit=10", base + 1),
        )
        .await;
    assert_eq!(beyond.as_array().map(Vec::len), Some(0), "{beyond}");

    two_batches(&app).await;
    let (status, latest) = app.api_get(&token, "/api/v1/ledger/heads/latest").await;
    assert_eq!(status, 200, "{latest}");
    let (_, key) = app.api_get(&token, "/api/v1/ledger/public-key").await;
    assert_eq!(key["algorithm"], "SM2");
    let pem = key["public_key"].as_str().unwrap();
    assert_eq!(latest["public_key"].as_str(), Some(pem));
    assert!(pem.starts_with("-----BEGIN PUBLIC KEY-----"));
    assert!(auditor_accepts(&latest, pem), "{latest}");
    // The key ID is the SM3 of the DER public key.
    let der = {
        use sm2::pkcs8::{DecodePublicKey, EncodePublicKey};
        sm2::PublicKey::from_public_key_pem(pem)
            .unwrap()
            .to_public_key_der()
            .unwrap()
    };
    assert_eq!(latest["key_id"], sm3(&[der.as_bytes()]).to_hex());
    assert_eq!(key["key_id"], latest["key_id"]);
    // Heads whose bytes were changed do not pass the auditor.
    let mut forged = latest.clone();
    forged["tree_size"] = (latest["tree_size"].as_u64().unwrap() + 1).into();
    assert!(!auditor_accepts(&forged, pem));

    let (status, heads) = app
        .api_get(
            &token,
            &format!("/api/v1/ledger/heads?from={}&limit=10", base + 1),
        )
        .await;
    assert_eq!(status, 200);
    let heads = heads.as_array().unwrap().clone();
    assert_eq!(heads.len(), 2, "one head per batch");
    assert!(heads.iter().all(|h| auditor_accepts(h, pem)));
    assert_eq!(heads[1]["root"], latest["root"]);
    let (_, later) = app
        .api_get(
            &token,
            &format!("/api/v1/ledger/heads?from={}&limit=1", base + 4),
        )
        .await;
    assert_eq!(later.as_array().unwrap().len(), 1);
    assert_eq!(later[0]["tree_size"], heads[1]["tree_size"]);

    // A batch manifest is in the signed tree: its inclusion proof leads to the latest root.
    let batch_id = crate::ledger::one_string(
        &app.platform,
        "SELECT ref_id FROM ledger_leaves WHERE kind = 'batch' ORDER BY leaf_index DESC LIMIT 1",
    )
    .await;
    let (status, inc) = app
        .api_get(&token, &format!("/api/v1/ledger/inclusion/{batch_id}"))
        .await;
    assert_eq!(status, 200, "{inc}");
    let hash_of = |v: &serde_json::Value| Hash::from_hex(v.as_str().unwrap()).unwrap();
    let audit: Vec<Hash> = inc["path"]
        .as_array()
        .unwrap()
        .iter()
        .map(hash_of)
        .collect();
    assert!(xinrong_ledger::verify_inclusion(
        &hash_of(&inc["leaf_hash"]),
        inc["leaf_index"].as_u64().unwrap(),
        latest["tree_size"].as_u64().unwrap(),
        &audit,
        &hash_of(&latest["root"]),
    ));

    // The larger head extends the smaller one: RFC 9162 consistency between two signed roots.
    let (old, new) = (&heads[0], &heads[1]);
    let (old_size, new_size) = (
        old["tree_size"].as_u64().unwrap(),
        new["tree_size"].as_u64().unwrap(),
    );
    let (status, proof) = app
        .api_get(
            &token,
            &format!("/api/v1/ledger/consistency?from={old_size}&to={new_size}"),
        )
        .await;
    assert_eq!(status, 200, "{proof}");
    let hash = |v: &serde_json::Value| Hash::from_hex(v.as_str().unwrap()).unwrap();
    let path: Vec<Hash> = proof["path"].as_array().unwrap().iter().map(hash).collect();
    assert!(verify_consistency(
        old_size,
        new_size,
        &hash(&old["root"]),
        &hash(&new["root"]),
        &path
    ));
    assert!(!verify_consistency(
        old_size,
        new_size,
        &hash(&new["root"]),
        &hash(&new["root"]),
        &path
    ));
}

/// Runs the CLI with an explicit key file.
fn cli(db_url: &str, key: &std::path::Path, args: &[&str]) -> std::process::Output {
    let mut all = vec!["--ledger-key", key.to_str().unwrap()];
    all.extend_from_slice(args);
    crate::support::xinrong(db_url, &all)
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cli_creates_the_key_once_and_names_the_first_mismatch() {
    let app = TestApp::with_demo(Backend::Sqlite).await;
    let tax = xinrong_services::identity::list_organizations(
        &app.platform,
        Some(xinrong_core::role::Role::Provider),
    )
    .await
    .unwrap()
    .into_iter()
    .find(|o| o.name.contains("税务局"))
    .unwrap()
    .id;
    let dir = std::env::temp_dir().join(format!("xr-ledger-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    let url = app.db_url();
    // A key file the CLI has not seen yet: created on first use (mode 0600), then reused.
    let fresh = dir.join("keys").join("ledger-sm2.key");
    let created = cli(&url, &fresh, &["ledger", "public-key"]);
    assert!(created.status.success(), "{}", stderr(&created));
    assert!(fresh.is_file(), "the first run creates the key");
    let again = cli(&url, &fresh, &["ledger", "public-key"]);
    assert!(again.status.success(), "{}", stderr(&again));
    assert_eq!(
        created.stdout, again.stdout,
        "the second run reuses the key"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&fresh).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "only the platform reads its key");
    }
    // The demo's sharing agreements are ledgered and their heads signed with the key the CLI
    // uses for this database, so batches are signed (and the ledger checked) with that file:
    // heads signed with the fresh key would be refused beside the demo's. Sizes count from
    // the ledger as the demo leaves it.
    let key = crate::support::cli_ledger_key(&url);
    let base = ledger::head(&app.platform).await.unwrap().size;
    let (good_a, _) = known(&app.platform).await;
    let mut key_ids = Vec::new();
    for (n, amount) in ["10", "20"].iter().enumerate() {
        let file = dir.join(format!("arrears-{n}.csv"));
        std::fs::write(
            &file,
            format!("uscc,tax_arrears_amount\n{good_a},{amount}\n"),
        )
        .unwrap();
        let out = cli(
            &url,
            &key,
            &[
                "ingest",
                "--item",
                "tax.tax_arrears",
                "--provider",
                &tax,
                file.to_str().unwrap(),
            ],
        );
        assert!(out.status.success(), "{}", stderr(&out));
        let out = cli(&url, &key, &["ledger", "head", "--format", "json"]);
        assert!(out.status.success(), "{}", stderr(&out));
        let head: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(
            head["tree_size"],
            base + 2 * (n as u64 + 1),
            "a record and a batch leaf per run"
        );
        key_ids.push(head["key_id"].as_str().unwrap().to_owned());
    }
    assert_eq!(key_ids[0], key_ids[1], "the second run reuses the key");
    assert_eq!(
        key_ids[0],
        ledger::public_key(&app.platform).key_id,
        "the CLI signs with the platform's key for this database"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "only the platform reads its key");
    }
    let pem = cli(&url, &key, &["ledger", "public-key"]);
    assert!(String::from_utf8_lossy(&pem.stdout).starts_with("-----BEGIN PUBLIC KEY-----"));
    let text = cli(&url, &key, &["ledger", "head"]);
    assert!(String::from_utf8_lossy(&text.stdout).contains(&format!("key_id     {}", key_ids[0])));

    let verify = cli(&url, &key, &["ledger", "verify"]);
    assert!(verify.status.success(), "{}", stderr(&verify));
    let status: serde_json::Value = serde_json::from_slice(&verify.stdout).unwrap();
    assert_eq!(
        (status["size"].as_u64(), status["ok"].as_bool()),
        (Some(base + 4), Some(true))
    );
    assert_eq!(status["root"].as_str().map(str::len), Some(64));

    // One byte of a stored payload changed: exit 1, the record named.
    let p = &app.platform;
    let id = one_string(p, "SELECT id FROM records WHERE version = 2").await;
    exec(
        p,
        "UPDATE records SET payload = REPLACE(payload, '\"20\"', '\"21\"') WHERE id = ?",
        vec![id.clone().into()],
    )
    .await;
    let verify = cli(&url, &key, &["ledger", "verify"]);
    assert_eq!(verify.status.code(), Some(1));
    let message = stderr(&verify);
    assert!(
        message.starts_with("error[ledger.mismatch]: 账本核验失败：记录") && message.contains(&id),
        "{message}"
    );
    // The run is recorded for the operator's page.
    let last = ledger::last_verification(p).await.unwrap().unwrap();
    assert!(!last.ok);
    assert!(last.first_problem.unwrap().contains(&id));

    // Another key than the one that signed: every head is refused.
    let other = dir.join("other.key");
    let verify = cli(&url, &other, &["ledger", "verify"]);
    assert_eq!(verify.status.code(), Some(1));
    assert!(
        stderr(&verify).contains("不是平台公钥"),
        "{}",
        stderr(&verify)
    );

    // A corrupted key file is a clear error, not a new key.
    std::fs::write(
        &fresh,
        "-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n",
    )
    .unwrap();
    let out = cli(&url, &fresh, &["ledger", "verify"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).starts_with("error[ledger.key]: "),
        "{}",
        stderr(&out)
    );
    assert!(
        !stderr(&out).contains("not a key"),
        "the key's content is never shown"
    );
    std::fs::remove_dir_all(dir).ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_default_key_sits_beside_the_sqlite_database() {
    let dir = std::env::temp_dir().join(format!("xr-keydir-{}", uuid::Uuid::new_v4().simple()));
    let url = format!("sqlite://{}/xinrong.db", dir.display());
    let first = crate::support::xinrong(&url, &["ledger", "public-key"]);
    assert!(first.status.success(), "{}", stderr(&first));
    assert!(dir.join("ledger-sm2.key").is_file());
    let second = crate::support::xinrong(&url, &["ledger", "public-key"]);
    assert_eq!(
        first.stdout, second.stdout,
        "the same key on the second start"
    );
    std::fs::remove_dir_all(dir).ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_ledger_page_shows_the_head_to_everyone_and_checks_for_the_operator() {
    let app = TestApp::with_demo(Backend::Sqlite).await;
    let bank = app.logged_in("bank-icbc").await;
    // The demo's sharing agreements are ledgered and headed: before any batch the page shows
    // the demo's head, which covers every leaf there is.
    let base = ledger::head(&app.platform).await.unwrap().size;
    let before = page_text(&bank, app.url("/ledger")).await;
    assert!(
        !before.contains("id=\"no-head\"") && before.contains(&format!("id=\"head-size\">{base}<")),
        "{before}"
    );
    two_batches(&app).await;
    let head = ledger::latest_head(&app.platform).await.unwrap().unwrap();
    assert_eq!(head.tree_size, base + 5, "the head of the second batch");
    let shanghai = (head.signed_at + chrono::Duration::hours(8))
        .format("%Y-%m-%d %H:%M:%S")
        .to_string();
    for user in ["bank-icbc", "provider-tax", "gov", "ent-1", "operator"] {
        let client = app.logged_in(user).await;
        let page = client.get(app.url("/ledger")).send().await.unwrap();
        assert_eq!(page.status(), 200, "{user}");
        let html = page.text().await.unwrap();
        assert!(
            html.contains("防篡改账本") && html.contains("最新签名树头"),
            "{user}"
        );
        assert!(html.contains(&format!("id=\"head-size\">{}<", head.tree_size)));
        assert!(html.contains(&head.root));
        assert!(
            html.contains(&shanghai),
            "signed-at in Beijing time for {user}"
        );
        assert!(html.contains("-----BEGIN PUBLIC KEY-----"));
        assert_eq!(
            html.contains("id=\"verify-form\""),
            user == "operator",
            "{user}"
        );
    }
    let operator = app.logged_in("operator").await;
    let page = page_text(&operator, app.url("/ledger")).await;
    assert!(page.contains("id=\"no-check\""));
    let csrf = crate::support::csrf_of(&page);
    let checked = operator
        .post(app.url("/ledger/verify"))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(checked.status(), 200);
    let html = checked.text().await.unwrap();
    assert!(
        html.contains("data-ok=\"true\"") && html.contains("全部相符"),
        "{html}"
    );

    // After tampering, the operator's check names the first mismatch.
    let p = &app.platform;
    exec(p, "UPDATE batches SET rows_total = rows_total + 1", vec![]).await;
    let html = operator
        .post(app.url("/ledger/verify"))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("data-ok=\"false\"") && html.contains("批次被改动"),
        "{html}"
    );

    // Others may look but not run checks.
    let bank_csrf = app.csrf_of_session(&bank).await;
    let refused = bank
        .post(app.url("/ledger/verify"))
        .form(&[("csrf", bank_csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 403);
    let anonymous = TestApp::browser()
        .get(app.url("/ledger"))
        .send()
        .await
        .unwrap();
    assert!(
        [303, 401].contains(&anonymous.status().as_u16()),
        "anonymous visitors are refused: {}",
        anonymous.status()
    );
}
