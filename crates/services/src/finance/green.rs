//! 绿色金融 (green finance): the green enterprise and project library, filled by rules over the
//! green industry catalogue and environmental credit ratings and by reviewed self-declarations.

use crate::error::ServiceResult;
use xinrong_store::ConnectionTrait;

/// Whether `uscc` is in the green enterprise library now. (H5 replaces this body with the real
/// query.)
pub async fn is_green<C: ConnectionTrait>(_conn: &C, _uscc: &str) -> ServiceResult<bool> {
    Ok(false)
}
