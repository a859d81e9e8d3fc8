//! 白名单 (white list): enterprises apply, government units recommend within their
//! jurisdiction, the operator approves; institutions see the list and its changes.

use crate::error::ServiceResult;
use xinrong_store::ConnectionTrait;

/// Whether `uscc` is on the white list now. (H3 replaces this body with the real query.)
pub async fn is_listed<C: ConnectionTrait>(_conn: &C, _uscc: &str) -> ServiceResult<bool> {
    Ok(false)
}
