//! Queries for policies.
