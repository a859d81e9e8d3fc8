//! SeaORM entities, one file per table. IDs are UUIDv7 text (see `xinrong_core::ids`);
//! `*_at` columns hold UTC.

pub mod api_token;
pub mod enterprise;
pub mod organization;
pub mod session;
pub mod user;
