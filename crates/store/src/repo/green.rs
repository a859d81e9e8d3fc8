//! Queries for green.
