//! The platform handle every use-case hangs off: the database, the clock and the ledger's
//! signing key (账本签名密钥).

use std::sync::Arc;
use xinrong_core::clock::{Clock, SystemClock};
use xinrong_ledger::LedgerKey;
use xinrong_store::Db;

#[derive(Debug, Clone)]
pub struct Platform {
    pub db: Db,
    pub clock: Arc<dyn Clock>,
    /// Signs tree heads. `new`/`with_clock` make an ephemeral key; the server and the CLI load
    /// the configured one with [`Platform::with_ledger_key`].
    pub ledger_key: Arc<LedgerKey>,
    /// Live state of pull collection (接口调用): breakers, quotas, cache — one per server.
    pub pull: Arc<crate::pull::PullRegistry>,
    /// Push batches running in the background, with their progress (后台报送任务).
    pub jobs: Arc<crate::collect::Jobs>,
    /// Objection deadlines and limits, repair publicity periods (异议与信用修复规则).
    pub rights: crate::objections::RightsPolicy,
    /// Service deadlines of financing applications (融资申请服务时限).
    pub finance: crate::finance::FinancePolicy,
    /// Whether an outbound notification channel (SMTP or webhook) is configured: notices are
    /// then queued for delivery after commit.
    pub outbound_enabled: bool,
    /// Signalled after a batch of records commits (变更通知): outbox consumers such as the
    /// evaluation follower wake at once instead of waiting for their next tick.
    pub changes: Arc<tokio::sync::Notify>,
}

impl Platform {
    pub fn new(db: Db) -> Self {
        Self::with_clock(db, Arc::new(SystemClock))
    }

    pub fn with_clock(db: Db, clock: Arc<dyn Clock>) -> Self {
        Platform {
            db,
            clock,
            ledger_key: Arc::new(LedgerKey::generate()),
            pull: Arc::default(),
            jobs: Arc::default(),
            rights: crate::objections::RightsPolicy::default(),
            finance: crate::finance::FinancePolicy::default(),
            outbound_enabled: false,
            changes: Arc::default(),
        }
    }

    /// The same platform signing with `key`.
    pub fn with_ledger_key(mut self, key: LedgerKey) -> Self {
        self.ledger_key = Arc::new(key);
        self
    }

    /// Whether notices are queued for an outbound channel.
    pub fn outbound_configured(&self) -> bool {
        self.outbound_enabled
    }

    /// Applies pending migrations.
    pub async fn migrate(&self) -> Result<(), xinrong_store::StoreError> {
        xinrong_store::migration::run(&self.db).await
    }
}

/// Headline counts for the operator's home page.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PlatformStats {
    pub enterprises: u64,
    pub organizations: u64,
    pub users: u64,
}

pub async fn platform_stats(platform: &Platform) -> crate::ServiceResult<PlatformStats> {
    use xinrong_store::repo::{enterprises, organizations, users};
    let conn = &platform.db.conn;
    Ok(PlatformStats {
        enterprises: enterprises::count_all(conn).await?,
        organizations: organizations::count(conn).await?,
        users: users::count(conn).await?,
    })
}
