//! Queries for whitelist.
