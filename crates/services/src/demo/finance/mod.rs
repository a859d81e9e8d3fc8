//! Demo financing services (演示融资服务), filled after the city and its records, in dependency
//! order: products before applications, applications before loans, loans before fund claims.
//! Each part reads what it needs (organisations, enterprises, earlier parts) from the database
//! and writes through the same services the pages use.

mod applications;
mod funds;
mod green;
mod loans;
mod payables;
mod policies;
mod products;
mod whitelist;

use crate::error::ServiceResult;
use crate::platform::Platform;

pub(crate) async fn seed(platform: &Platform, seed: u64) -> ServiceResult<()> {
    products::seed(platform, seed).await?;
    whitelist::seed(platform, seed).await?;
    green::seed(platform, seed).await?;
    policies::seed(platform, seed).await?;
    applications::seed(platform, seed).await?;
    loans::seed(platform, seed).await?;
    funds::seed(platform, seed).await?;
    payables::seed(platform, seed).await?;
    Ok(())
}
