//! Queries for applications.
