//! SeaORM entities, one file per table. IDs are UUIDv7 text (see `xinrong_core::ids`);
//! `*_at` columns hold UTC.

pub mod agreement;
pub mod api_token;
pub mod attachment;
pub mod authorization;
pub mod batch;
pub mod commitment;
pub mod connector;
pub mod data_read;
pub mod enterprise;
pub mod event;
pub mod event_cursor;
pub mod ledger_leaf;
pub mod ledger_verification;
pub mod notification;
pub mod objection;
pub mod organization;
pub mod provider_item;
pub mod record;
pub mod registration;
pub mod repair;
pub mod session;
pub mod trail_entry;
pub mod tree_head;
pub mod user;
pub mod user_contact;
