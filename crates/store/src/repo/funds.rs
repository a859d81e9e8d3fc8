//! Queries for funds.
