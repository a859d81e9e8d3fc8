//! Queries for payables.
