//! One file per command.

mod admin;
pub(crate) mod agreements;
pub(crate) mod applications;
pub(crate) mod authz;
mod bench;
mod bench_report;
mod catalog;
pub(crate) mod connectors;
mod demo;
pub(crate) mod evaluate;
pub(crate) mod events;
mod export;
pub(crate) mod funds;
pub(crate) mod green;
mod ingest;
mod ledger;
pub(crate) mod loans;
pub(crate) mod notifications;
pub(crate) mod objections;
pub(crate) mod payables;
pub(crate) mod policies;
pub(crate) mod products;
pub(crate) mod pull;
mod quality;
pub(crate) mod registrations;
pub(crate) mod repairs;
pub(crate) mod report;
mod serve;
pub(crate) mod simulate;
pub(crate) mod view;
pub(crate) mod whitelist;

use crate::config::{Cli, Command};
use crate::failure::CliResult;
use xinrong_services::Platform;

pub async fn run(cli: Cli) -> CliResult {
    // The catalogue needs no database.
    match cli.command {
        Command::Catalog(cmd) => return catalog::run(cmd),
        Command::Template(args) => return catalog::template(args),
        Command::SimulateProvider(args) => return simulate::run(args).await,
        Command::Bench(cmd) => return bench::run(&cli.global, cmd).await,
        _ => {}
    }
    let mut platform = connect(&cli.global.database_url).await?;
    platform.rights = objections::policy(&cli.global.rights)?;
    platform.finance = applications::policy(&cli.global.finance)?;
    // With an outbound channel configured, notices are queued for delivery after commit.
    platform.outbound_enabled = cli.global.notify.outbound()?.is_configured();
    // Every command that writes may append to the ledger (batches, trail entries of workflow
    // steps and reads), so all of them sign with the configured key, created on first use.
    let platform = ledger::with_key(platform, &cli.global)?;
    match cli.command {
        Command::Serve(args) => {
            notifications::start_dispatcher(&platform, &cli.global.notify)?;
            serve::run(platform, args).await
        }
        Command::Migrate => {
            platform.migrate().await?;
            let applied = xinrong_store::migration::applied(&platform.db).await?;
            println!(
                "已应用迁移 {} 个（{}）",
                applied.len(),
                platform.db.backend.name()
            );
            Ok(())
        }
        Command::Demo(args) => {
            platform.migrate().await?;
            demo::run(&platform, args).await
        }
        Command::Export(cmd) => export::run(&platform, cmd).await,
        Command::Ingest(args) => {
            platform.migrate().await?;
            ingest::run(&platform, args).await
        }
        Command::Ledger(cmd) => ledger::run(&platform, cmd).await,
        Command::Events(cmd) => {
            platform.migrate().await?;
            events::run(&platform, cmd).await
        }
        Command::Quality(args) => quality::run(&platform, args).await,
        Command::Evaluate(args) => {
            platform.migrate().await?;
            evaluate::run(&platform, args).await
        }
        Command::View(args) => {
            platform.migrate().await?;
            view::view(&platform, args).await
        }
        Command::Report(args) => {
            platform.migrate().await?;
            report::run(&platform, args).await
        }
        Command::Audit(args) => {
            platform.migrate().await?;
            view::audit(&platform, args).await
        }
        Command::Records(crate::config::RecordsCommand::Show(args)) => {
            ingest::show_records(&platform, args).await
        }
        Command::Catalog(_)
        | Command::Template(_)
        | Command::SimulateProvider(_)
        | Command::Bench(_) => {
            unreachable!("handled before connecting")
        }
        Command::Pull(args) => {
            platform.migrate().await?;
            pull::run(&platform, args).await
        }
        Command::Connectors(cmd) => {
            platform.migrate().await?;
            connectors::run(&platform, cmd).await
        }
        Command::Orgs(crate::config::OrgsCommand::List(args)) => {
            admin::list_orgs(&platform, args).await
        }
        Command::Authz(cmd) => {
            platform.migrate().await?;
            authz::run(&platform, cmd).await
        }
        Command::Agreements(cmd) => {
            platform.migrate().await?;
            agreements::run(&platform, cmd).await
        }
        Command::Applications(cmd) => {
            platform.migrate().await?;
            applications::run(&platform, cmd).await
        }
        Command::Products(cmd) => {
            platform.migrate().await?;
            products::run(&platform, cmd).await
        }
        Command::Loans(cmd) => {
            platform.migrate().await?;
            loans::run(&platform, cmd).await
        }
        Command::Whitelist(cmd) => {
            platform.migrate().await?;
            whitelist::run(&platform, cmd).await
        }
        Command::Policies(cmd) => {
            platform.migrate().await?;
            policies::run(&platform, cmd).await
        }
        Command::Green(cmd) => {
            platform.migrate().await?;
            green::run(&platform, cmd).await
        }
        Command::Objections(cmd) => {
            platform.migrate().await?;
            objections::run(&platform, cmd).await
        }
        Command::Funds(cmd) => {
            platform.migrate().await?;
            funds::run(&platform, cmd).await
        }
        Command::Payables(cmd) => {
            platform.migrate().await?;
            payables::run(&platform, cmd).await
        }
        Command::Registrations(cmd) => {
            platform.migrate().await?;
            registrations::run(&platform, cmd).await
        }
        Command::Notifications(cmd) => {
            platform.migrate().await?;
            notifications::run(&platform, &cli.global.notify, cmd).await
        }
        Command::Repairs(cmd) => {
            platform.migrate().await?;
            repairs::run(&platform, cmd).await
        }
        Command::Admin(cmd) => {
            platform.migrate().await?;
            admin::run(&platform, cmd).await
        }
    }
}

async fn connect(url: &str) -> CliResult<Platform> {
    let db = xinrong_store::connect(url).await?;
    Ok(Platform::new(db))
}
