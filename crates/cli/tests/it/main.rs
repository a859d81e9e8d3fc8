//! The one integration test binary: black-box tests through HTTP, the CLI binary and a real
//! browser, on SQLite, PostgreSQL and MariaDB/MySQL alike.

mod support;

mod agreements;
mod api_access;
mod api_enterprises;
mod api_tokens;
mod authorizations;
mod bench;
mod browser;
mod catalog;
mod cli;
mod collect;
mod demo;
mod demo_records;
mod evaluation;
mod evaluation_check;
mod finance_applications;
mod finance_funds;
mod finance_green;
mod finance_journey;
mod finance_loans;
mod finance_payables;
mod finance_policies;
mod finance_products;
mod finance_whitelist;
mod identity;
mod ingest;
mod ledger;
mod notifications;
mod objections;
mod openapi;
mod organizations;
mod pull;
mod quality;
mod registration;
mod repairs;
mod reports;
mod self_report;
mod storage;
mod subjects;
mod ui;
