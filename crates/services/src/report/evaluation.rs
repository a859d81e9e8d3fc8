//! The evaluation (公共信用综合评价) and profile tags (画像标签) in a report: the subject's
//! current stored result, shaped for the requester by `evaluation::shape` with the same facts
//! (the one access decision) as the rest of the report. No separate access-log entry: the
//! report's read is the one entry.

use crate::access::Facts;
use crate::error::ServiceResult;
use crate::platform::Platform;

/// The shaped evaluation as JSON (`evaluation::EvaluationView`), or why the report has none.
pub(super) async fn shaped(
    platform: &Platform,
    subject: &str,
    facts: &Facts,
    purpose_code: Option<&str>,
) -> ServiceResult<(Option<serde_json::Value>, Option<String>)> {
    let Some(stored) = crate::evaluation::current(platform, subject).await? else {
        return Ok((
            None,
            Some("暂无公共信用综合评价结果：该企业尚未参与评价".to_owned()),
        ));
    };
    let view = crate::evaluation::shape(&stored, facts, purpose_code);
    let mut value = serde_json::to_value(&view).expect("a plain struct serialises");
    if let serde_json::Value::Object(map) = &mut value {
        // The report's own read is the access; the view's entry id would always be empty.
        map.remove("access_id");
    }
    Ok((Some(value), None))
}
