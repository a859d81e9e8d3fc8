//! `xinrong events`: read the change events (变更事件) as a consumer with a durable cursor.

use crate::failure::CliResult;
use clap::{Args, Subcommand};
use xinrong_services::Platform;
use xinrong_services::events;

#[derive(Debug, Subcommand)]
pub enum EventsCommand {
    /// Events after a sequence number, one JSON object per line (inspection; moves no cursor).
    List(ListArgs),
    /// The next events a consumer has not acknowledged, one JSON object per line.
    Read(ReadArgs),
    /// Acknowledge every event up to SEQ for a consumer.
    Ack(AckArgs),
}

#[derive(Debug, Args)]
pub struct ListArgs {
    #[arg(long, default_value_t = 0)]
    pub after: i64,
    #[arg(long, default_value_t = 100)]
    pub limit: u64,
}

#[derive(Debug, Args)]
pub struct ReadArgs {
    /// The consumer's name (a-z 0-9 . _ -).
    #[arg(long)]
    pub consumer: String,
    #[arg(long, default_value_t = 100)]
    pub limit: u64,
    /// Acknowledge what was printed: the cursor moves past the last event shown.
    #[arg(long)]
    pub ack: bool,
}

#[derive(Debug, Args)]
pub struct AckArgs {
    #[arg(long)]
    pub consumer: String,
    /// The last event handled.
    #[arg(long)]
    pub through: i64,
}

fn print(list: &[events::Event]) {
    for event in list {
        println!("{}", serde_json::to_string(event).expect("JSON"));
    }
}

pub async fn run(platform: &Platform, cmd: EventsCommand) -> CliResult {
    match cmd {
        EventsCommand::List(args) => print(&events::after(platform, args.after, args.limit).await?),
        EventsCommand::Read(args) => {
            let list = events::read(platform, &args.consumer, args.limit).await?;
            print(&list);
            if args.ack
                && let Some(last) = list.last()
            {
                events::acknowledge(platform, &args.consumer, last.seq).await?;
            }
        }
        EventsCommand::Ack(args) => {
            events::acknowledge(platform, &args.consumer, args.through).await?;
            let cursor = events::cursor(platform, &args.consumer).await?;
            println!(
                "{}",
                serde_json::json!({ "consumer": args.consumer, "cursor": cursor })
            );
        }
    }
    Ok(())
}
