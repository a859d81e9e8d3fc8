//! Repositories: the queries the services need, one file per table. Each function takes any
//! connection (pool or transaction) so a use-case decides its own transaction boundary.

pub mod api_tokens;
pub mod enterprises;
pub mod organizations;
pub mod sessions;
pub mod users;
