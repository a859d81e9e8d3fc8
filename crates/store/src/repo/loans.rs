//! Queries for loans.
