//! Repositories: the queries the services need, one file per table. Each function takes any
//! connection (pool or transaction) so a use-case decides its own transaction boundary.

pub mod agreements;
pub mod api_tokens;
pub mod applications;
pub mod attachments;
pub mod authorizations;
pub mod batches;
pub mod commitments;
pub mod connectors;
pub mod data_reads;
pub mod enterprises;
pub mod evaluations;
pub mod events;
pub mod funds;
pub mod green;
pub mod inbox;
pub mod ledger;
pub mod loans;
pub mod notifications;
pub mod objections;
pub mod organizations;
pub mod payables;
pub mod policies;
pub mod products;
pub mod provider_items;
pub mod records;
pub mod registrations;
pub mod repairs;
pub mod reports;
pub mod self_reports;
pub mod sessions;
pub mod trail;
pub mod tree_heads;
pub mod users;
pub mod whitelist;
