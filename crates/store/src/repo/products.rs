//! Queries for products.
