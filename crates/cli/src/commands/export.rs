//! `xinrong export enterprises --format csv [--region CODE]`: CSV to stdout.

use crate::config::{ExportCommand, ExportFormat};
use crate::failure::CliResult;
use xinrong_services::Platform;
use xinrong_services::enterprises::export_csv;

pub async fn run(platform: &Platform, cmd: ExportCommand) -> CliResult {
    match cmd {
        ExportCommand::Enterprises(args) => {
            let ExportFormat::Csv = args.format;
            let stdout = std::io::stdout().lock();
            let rows = export_csv(
                platform,
                args.region.as_deref(),
                std::io::BufWriter::new(stdout),
            )
            .await?;
            tracing::info!(rows, "exported enterprises");
            Ok(())
        }
    }
}
