//! Demo payables.

use crate::error::ServiceResult;
use crate::platform::Platform;

pub(super) async fn seed(_platform: &Platform, _seed: u64) -> ServiceResult<()> {
    Ok(())
}
