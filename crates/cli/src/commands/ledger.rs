//! `xinrong ledger verify | head | public-key`, and loading the ledger's signing key
//! (账本签名密钥) for every command that signs or checks heads.

use crate::config::{Global, LedgerCommand, LedgerHeadArgs, OutputFormat};
use crate::failure::{CliResult, Failure};
use std::path::PathBuf;
use xinrong_services::Platform;
use xinrong_services::ledger;

/// Where the key lives: `--ledger-key`, else beside the SQLite database, else `data/`.
pub fn key_path(global: &Global) -> PathBuf {
    if let Some(path) = &global.ledger_key {
        return path.clone();
    }
    let url = &global.database_url;
    if let Some(rest) = url.strip_prefix("sqlite:") {
        let rest = rest.trim_start_matches("//");
        let path = rest.split('?').next().unwrap_or_default();
        if !path.is_empty() && path != ":memory:" {
            let dir = std::path::Path::new(path)
                .parent()
                .filter(|d| !d.as_os_str().is_empty())
                .unwrap_or(std::path::Path::new("."));
            return dir.join(ledger::DEFAULT_KEY_FILE);
        }
    }
    PathBuf::from("data").join(ledger::DEFAULT_KEY_FILE)
}

/// The platform with its configured signing key, created on first use.
pub fn with_key(platform: Platform, global: &Global) -> CliResult<Platform> {
    let (key, _created) = ledger::load_or_create_key(&key_path(global))?;
    Ok(platform.with_ledger_key(key))
}

pub async fn run(platform: &Platform, cmd: LedgerCommand) -> CliResult {
    match cmd {
        LedgerCommand::Verify => verify(platform).await,
        LedgerCommand::Head(args) => head(platform, args).await,
        LedgerCommand::PublicKey => {
            print!("{}", ledger::public_key(platform).public_key_pem);
            Ok(())
        }
    }
}

/// Prints the status as JSON (size and root first); exits 1 naming the first mismatch.
async fn verify(platform: &Platform) -> CliResult {
    let status = ledger::verify_and_record(platform).await?;
    println!("{}", serde_json::to_string_pretty(&status).expect("JSON"));
    match &status.first_problem {
        None => Ok(()),
        Some(first) => Err(Failure::new(
            "ledger.mismatch",
            format!(
                "账本核验失败：{first}（共 {} 处不符）",
                status.problems.len()
            ),
        )),
    }
}

async fn head(platform: &Platform, args: LedgerHeadArgs) -> CliResult {
    let head = ledger::latest_head(platform)
        .await?
        .ok_or_else(|| Failure::new("ledger.no_head", "尚无签名树头：还没有批次入库"))?;
    let key = ledger::public_key(platform);
    match args.format {
        OutputFormat::Json => {
            let mut value = serde_json::to_value(&head).expect("JSON");
            value["public_key"] = key.public_key_pem.into();
            println!("{}", serde_json::to_string_pretty(&value).expect("JSON"));
        }
        OutputFormat::Text => {
            println!("size       {}", head.tree_size);
            println!("root       {}", head.root);
            println!("signed_at  {}Z", head.signed_at.format("%Y-%m-%dT%H:%M:%S"));
            println!("signature  {}", head.signature);
            println!("key_id     {}", head.key_id);
        }
    }
    Ok(())
}
