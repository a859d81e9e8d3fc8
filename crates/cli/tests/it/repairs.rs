//! 信用修复 end to end on every backend: refused before the minimum publicity period with the
//! date it opens; after it, applied with a commitment and evidence, reviewed by the source unit
//! (a rejection needs its reason), and an approved record is in `repaired_on`.

use crate::objections::{PENALTY, World, inbox, pdf, penalties, world};
use crate::on_all_backends;
use crate::support::{page_text, xinrong};
use chrono::{Duration, TimeZone, Utc};
use reqwest::Method;
use serde_json::{Value, json};
use std::sync::Arc;
use xinrong_core::clock::FixedClock;
use xinrong_services::repairs;
use xinrong_store::Backend;

async fn apply(
    w: &World,
    token: &str,
    record: &str,
    signed: bool,
    files: Vec<Value>,
) -> (u16, Value) {
    w.app
        .api(
            Method::POST,
            token,
            "/api/v1/repairs",
            Some(json!({
                "record_id": record,
                "statement": "已缴清罚款并完成整改，经主管部门验收合格",
                "commitment_signed": signed,
                "attachments": files,
            })),
        )
        .await
}

async fn review(w: &World, token: &str, id: &str, verdict: &str, reason: &str) -> (u16, Value) {
    w.app
        .api(
            Method::POST,
            token,
            &format!("/api/v1/repairs/{id}/review"),
            Some(json!({ "verdict": verdict, "reason": reason })),
        )
        .await
}

async fn repaired(w: &World) -> usize {
    repairs::repaired_on(&w.app.platform.db.conn, &w.uscc)
        .await
        .unwrap()
        .len()
}

async fn repair_opens_after_the_minimum_period_and_is_approved(backend: Backend) {
    // Wednesday 25 November 2026; the penalty (较重, 3 months minimum) was decided 1 October.
    let clock = Arc::new(FixedClock::new(
        Utc.with_ymd_and_hms(2026, 11, 25, 2, 0, 0).unwrap(),
    ));
    let w = world(backend, clock.clone()).await;
    let records = penalties(&w, "R", 1, "2026-10-01").await;

    let (status, e) = w
        .app
        .api_get(
            &w.ent,
            &format!("/api/v1/repairs/eligibility?record={}", records[0]),
        )
        .await;
    assert_eq!(status, 200, "{e}");
    assert_eq!(
        (e["repairable"].as_bool(), e["open"].as_bool()),
        (Some(true), Some(false))
    );
    assert_eq!(e["opens_on"], "2027-01-01");
    assert_eq!(e["severity"], "major");

    let (status, body) = apply(&w, &w.ent, &records[0], true, vec![pdf()]).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (422, Some("repair.too_early"))
    );
    assert!(
        body["message"].as_str().unwrap().contains("2027年1月1日"),
        "{body}"
    );
    // The page greys the button out and shows the date.
    let browser = w.app.logged_in("ent-1").await;
    let page = page_text(
        &browser,
        w.app.url(&format!("/repairs/new?record={}", records[0])),
    )
    .await;
    assert!(
        page.contains("2027年1月1日") && page.contains("disabled"),
        "{page}"
    );
    let picker = page_text(&browser, w.app.url("/objections/new")).await;
    assert!(picker.contains("可申请日期：2027年1月1日"), "{picker}");

    // 1 January 2027 (Beijing): open.
    clock.advance(Duration::days(37));
    let (status, body) = apply(&w, &w.ent, &records[0], false, vec![pdf()]).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (422, Some("repair.commitment_required"))
    );
    let (status, body) = apply(&w, &w.ent, &records[0], true, vec![]).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (422, Some("repair.evidence_required"))
    );
    let (status, body) = apply(&w, &w.other_ent, &records[0], true, vec![pdf()]).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (403, Some("repair.not_subject"))
    );
    let (status, applied) = apply(&w, &w.ent, &records[0], true, vec![pdf()]).await;
    assert_eq!(status, 201, "{applied}");
    assert_eq!(applied["status"], "pending");
    let id = applied["id"].as_str().unwrap().to_owned();
    let (status, body) = apply(&w, &w.ent, &records[0], true, vec![pdf()]).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (422, Some("repair.already_pending"))
    );
    assert!(
        inbox(&w.app, "provider-market")
            .await
            .contains(&"repair.applied".to_owned())
    );

    // Another provider cannot see it; the enterprise cannot review its own.
    let (status, _) = review(&w, &w.other_provider, &id, "approve", "").await;
    assert_eq!(status, 404);
    let (status, body) = review(&w, &w.ent, &id, "approve", "").await;
    assert_eq!(
        (status, body["code"].as_str()),
        (403, Some("repair.not_reviewer"))
    );
    assert_eq!(repaired(&w).await, 0);

    let (status, approved) = review(&w, &w.provider, &id, "approve", "整改材料齐全").await;
    assert_eq!(
        (status, approved["status"].as_str()),
        (200, Some("approved")),
        "{approved}"
    );
    let set = repairs::repaired_on(&w.app.platform.db.conn, &w.uscc)
        .await
        .unwrap();
    assert_eq!(set.len(), 1);
    assert!(set.iter().all(|(item, _)| item == PENALTY));
    assert!(
        inbox(&w.app, "ent-1")
            .await
            .contains(&"repair.approved".to_owned())
    );

    // Decided: no second review, no second application.
    let (status, body) = review(&w, &w.operator, &id, "reject", "重复").await;
    assert_eq!((status, body["code"].as_str()), (422, Some("repair.state")));
    let (status, body) = apply(&w, &w.ent, &records[0], true, vec![pdf()]).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (422, Some("repair.already_repaired"))
    );

    // The timeline holds the commitment, the application and the approval; the record itself
    // is kept (history): still one version.
    let (_, detail) = w
        .app
        .api_get(&w.ent, &format!("/api/v1/repairs/{id}"))
        .await;
    let kinds: Vec<&str> = detail["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        ["commitment.signed", "repair.applied", "repair.approved"]
    );
    assert!(
        detail["commitment_text"]
            .as_str()
            .unwrap()
            .contains("郑重承诺")
    );
    let history = xinrong_services::records::history(&w.app.platform, &w.uscc, Some(PENALTY))
        .await
        .unwrap();
    assert_eq!(history.len(), 1);

    let out = xinrong(&w.app.db_url(), &["repairs", "list", "--format", "json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let listed: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(listed[0]["status"], "approved");
    assert_eq!(listed[0]["opens_on"], "2027-01-01");
}
on_all_backends!(repair_opens_after_the_minimum_period_and_is_approved);

async fn a_rejection_needs_its_reason(backend: Backend) {
    let clock = Arc::new(FixedClock::new(
        Utc.with_ymd_and_hms(2026, 11, 25, 2, 0, 0).unwrap(),
    ));
    let w = world(backend, clock).await;
    // Decided in March: the three months have passed.
    let records = penalties(&w, "S", 1, "2026-03-02").await;
    // The enterprise applies through the page: the button is live, the commitment shown.
    let ent = w.app.logged_in("ent-1").await;
    let form = page_text(
        &ent,
        w.app.url(&format!("/repairs/new?record={}", records[0])),
    )
    .await;
    assert!(
        form.contains("repair-form") && form.contains("郑重承诺"),
        "{form}"
    );
    let csrf = crate::support::csrf_of(&form);
    let parts = |signed: bool| {
        let f = reqwest::multipart::Form::new()
            .text("record", records[0].clone())
            .text("statement", "罚款已缴清，整改完成")
            .part(
                "files",
                reqwest::multipart::Part::bytes(b"%PDF-1.4\n%%EOF\n".to_vec())
                    .file_name("缴款凭证.pdf")
                    .mime_str("application/pdf")
                    .unwrap(),
            );
        if signed {
            f.text("commitment", "signed")
        } else {
            f
        }
    };
    let r = ent
        .post(w.app.url(&format!("/repairs?csrf={csrf}")))
        .multipart(parts(false))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 422);
    assert!(r.text().await.unwrap().contains("须签署信用承诺书"));
    let r = ent
        .post(w.app.url(&format!("/repairs?csrf={csrf}")))
        .multipart(parts(true))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 303);
    let location = r.headers()["location"].to_str().unwrap().to_owned();
    let id = location.trim_start_matches("/repairs/").to_owned();
    // The provider's review form refuses a rejection without its reason.
    let provider = w.app.logged_in("provider-market").await;
    let page = page_text(&provider, w.app.url(&location)).await;
    assert!(
        page.contains("review-form") && page.contains("罚款已缴清"),
        "{page}"
    );
    let r = provider
        .post(w.app.url(&format!("{location}/review")))
        .form(&[
            ("csrf", crate::support::csrf_of(&page).as_str()),
            ("verdict", "reject"),
            ("text", ""),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 422);
    let (status, body) = review(&w, &w.provider, &id, "reject", "  ").await;
    assert_eq!(
        (status, body["code"].as_str()),
        (422, Some("repair.reason_required"))
    );
    let (status, body) = review(&w, &w.provider, &id, "maybe", "x").await;
    assert_eq!(
        (status, body["code"].as_str()),
        (422, Some("repair.verdict"))
    );
    let (status, rejected) = review(&w, &w.operator, &id, "reject", "证明材料未加盖公章").await;
    assert_eq!(
        (status, rejected["status"].as_str()),
        (200, Some("rejected"))
    );
    assert_eq!(rejected["review_reason"], "证明材料未加盖公章");
    assert_eq!(repaired(&w).await, 0);
    assert!(
        inbox(&w.app, "ent-1")
            .await
            .contains(&"repair.rejected".to_owned())
    );
    // After a rejection the enterprise may apply again.
    let (status, again) = apply(&w, &w.ent, &records[0], true, vec![pdf()]).await;
    assert_eq!((status, again["status"].as_str()), (201, Some("pending")));

    // The provider's queue page lists both applications.
    let browser = w.app.logged_in("provider-market").await;
    let page = page_text(&browser, w.app.url("/repairs")).await;
    assert!(page.contains("未通过") && page.contains("待审核"), "{page}");
}
on_all_backends!(a_rejection_needs_its_reason);
