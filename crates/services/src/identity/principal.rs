//! Who is acting: a user of an organisation with that organisation's role.

use crate::error::{ServiceError, ServiceResult};
use serde::Serialize;
use xinrong_core::role::Role;
use xinrong_store::Db;
use xinrong_store::repo::{organizations, users};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Principal {
    pub user_id: String,
    pub username: String,
    pub display_name: String,
    pub org_id: String,
    pub org_name: String,
    pub role: Role,
    /// Jurisdiction (government) or seat (others), GB/T 2260.
    pub region_code: Option<String>,
    /// The organisation's own USCC; for an enterprise user, the enterprise it acts for.
    pub org_uscc: Option<String>,
}

impl Principal {
    pub(crate) async fn load(db: &Db, user_id: &str) -> ServiceResult<Principal> {
        let user = users::get(&db.conn, user_id)
            .await?
            .filter(|u| !u.disabled)
            .ok_or(ServiceError::Unauthenticated)?;
        let org = organizations::get(&db.conn, &user.org_id)
            .await?
            .ok_or(ServiceError::Unauthenticated)?;
        let role = org
            .kind
            .parse::<Role>()
            .map_err(|_| ServiceError::Unauthenticated)?;
        Ok(Principal {
            user_id: user.id,
            username: user.username,
            display_name: user.display_name,
            org_id: org.id,
            org_name: org.name,
            role,
            region_code: org.region_code,
            org_uscc: org.uscc,
        })
    }

    /// Refuses unless the principal has one of `roles`.
    pub fn require(&self, roles: &[Role]) -> ServiceResult<()> {
        if roles.contains(&self.role) {
            Ok(())
        } else {
            Err(ServiceError::Forbidden)
        }
    }
}
