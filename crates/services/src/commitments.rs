//! 信用承诺 (commitments): the enterprise (or institution) signs a standard text before it
//! self-reports data, applies for repair, or enters a sharing agreement. The exact text, the
//! time and the SM3 digest of the text are kept, and the signing is a trail entry.

use crate::error::{ServiceError, ServiceResult};
use crate::platform::Platform;
use crate::trail::{self, TrailEntry};
use xinrong_core::ids;
use xinrong_ledger::sm3;
use xinrong_store::ConnectionTrait;
use xinrong_store::repo::commitments;

pub use commitments::CommitmentRow;

/// Standard wording of the commitments the platform asks for.
pub mod texts {
    /// Before self-reported data (自愿填报) is stored.
    pub const SELF_REPORT: &str = "本企业郑重承诺：所填报的信息真实、准确、完整、有效，不存在虚假记载、误导性陈述或重大遗漏；如有不实，愿意承担由此产生的一切法律责任，并同意将本承诺及履约情况记入信用记录、依法公开。";
    /// Before a repair (信用修复) application is filed.
    pub const REPAIR: &str = "本企业郑重承诺：已经履行行政处罚或失信行为所确定的法定义务，已纠正失信行为、消除不良影响；所提交的材料真实、准确、完整；自愿接受监督，如再次发生失信行为或承诺不实，愿意承担相应法律责任，并同意撤销信用修复。";
    /// Before an institution's sharing agreement (数据共享协议) takes effect.
    pub const AGREEMENT: &str = "本机构郑重承诺：仅在协议约定的信息范围和用途内查询、使用信用信息，不擅自变更用途，不向第三方提供，严格落实信息安全与个人信息保护要求；违反承诺的，愿意承担相应法律责任并接受暂停或终止服务。";
}

/// One signing.
#[derive(Debug, Clone)]
pub struct Signing<'a> {
    pub subject: Option<&'a str>,
    pub user_id: Option<&'a str>,
    pub org_id: Option<&'a str>,
    /// `self_report`, `repair`, `agreement` …
    pub context: &'a str,
    pub ref_id: Option<&'a str>,
    pub text: &'a str,
}

/// Records a signed commitment inside the caller's transaction, with its trail entry.
pub async fn sign<C: ConnectionTrait>(
    conn: &C,
    platform: &Platform,
    signing: Signing<'_>,
) -> ServiceResult<CommitmentRow> {
    if signing.text.trim().is_empty() {
        return Err(ServiceError::invalid(
            "commitment.empty",
            "承诺书内容不能为空",
        ));
    }
    let row = CommitmentRow {
        id: ids::new_id().to_string(),
        subject: signing.subject.map(str::to_owned),
        user_id: signing.user_id.map(str::to_owned),
        org_id: signing.org_id.map(str::to_owned),
        context: signing.context.to_owned(),
        ref_id: signing.ref_id.map(str::to_owned),
        text: signing.text.to_owned(),
        text_sm3: sm3(&[signing.text.as_bytes()]).to_hex(),
        signed_at: crate::ledger::whole_seconds(platform.clock.now_naive()),
    };
    commitments::insert(conn, row.clone()).await?;
    trail::append(
        conn,
        platform,
        TrailEntry {
            kind: "commitment.signed",
            ref_id: signing.ref_id.unwrap_or(&row.id),
            subject: signing.subject,
            actor_user_id: signing.user_id,
            actor_org_id: signing.org_id,
            body: serde_json::json!({
                "commitment_id": row.id,
                "context": row.context,
                "text_sm3": row.text_sm3,
            }),
        },
    )
    .await?;
    Ok(row)
}

pub async fn get(conn: &impl ConnectionTrait, id: &str) -> ServiceResult<CommitmentRow> {
    commitments::get(conn, id)
        .await?
        .ok_or(ServiceError::NotFound("commitment"))
}

pub async fn for_subject(
    conn: &impl ConnectionTrait,
    subject: &str,
) -> ServiceResult<Vec<CommitmentRow>> {
    Ok(commitments::for_subject(conn, subject).await?)
}
