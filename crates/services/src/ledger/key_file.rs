//! 账本签名密钥文件: the platform's SM2 key as PKCS#8 PEM in a file only its owner can read,
//! created on first start and reused after. The key is never logged; its ID (SM3 of the public
//! key) is.

use crate::error::{ServiceError, ServiceResult};
use std::io::Write;
use std::path::Path;
use xinrong_ledger::LedgerKey;

/// The file name used beside the data directory when no location is configured.
pub const DEFAULT_KEY_FILE: &str = "ledger-sm2.key";

fn key_error(message: String) -> ServiceError {
    ServiceError::invalid("ledger.key", message)
}

/// Reads the key at `path`, or creates it (mode 0600) when there is no file yet. Two processes
/// starting at once end up with the same key: the file appears whole or not at all.
/// Returns the key and whether it was created now.
pub fn load_or_create_key(path: &Path) -> ServiceResult<(LedgerKey, bool)> {
    match std::fs::read_to_string(path) {
        Ok(pem) => return Ok((read(path, &pem)?, false)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => {
            return Err(key_error(format!(
                "无法读取账本签名密钥 {}：{e}",
                path.display()
            )));
        }
    }
    let key = LedgerKey::generate();
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)
        .map_err(|e| key_error(format!("无法创建账本签名密钥目录 {}：{e}", dir.display())))?;
    let temp = dir.join(format!(".ledger-key-{}.tmp", uuid::Uuid::new_v4().simple()));
    let written = write_private(&temp, key.to_pkcs8_pem().as_bytes());
    // A hard link never replaces an existing file: whoever links first wins.
    let linked = written.and_then(|_| std::fs::hard_link(&temp, path));
    std::fs::remove_file(&temp).ok();
    match linked {
        Ok(()) => {
            tracing::info!(path = %path.display(), key_id = %key.public_key().key_id(),
                "ledger signing key created");
            Ok((key, true))
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            let pem = std::fs::read_to_string(path)
                .map_err(|e| key_error(format!("无法读取账本签名密钥 {}：{e}", path.display())))?;
            Ok((read(path, &pem)?, false))
        }
        Err(e) => Err(key_error(format!(
            "无法写入账本签名密钥 {}：{e}",
            path.display()
        ))),
    }
}

fn read(path: &Path, pem: &str) -> ServiceResult<LedgerKey> {
    warn_if_readable_by_others(path);
    LedgerKey::from_pkcs8_pem(pem).map_err(|e| {
        key_error(format!(
            "账本签名密钥文件 {} 已损坏或不是 SM2 私钥（{e}）；请从备份恢复，切勿删除后重建，否则已签名的树头将无法核验",
            path.display()
        ))
    })
}

fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

#[cfg(unix)]
fn warn_if_readable_by_others(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    if let Ok(meta) = std::fs::metadata(path)
        && meta.permissions().mode() & 0o077 != 0
    {
        tracing::warn!(path = %path.display(), "ledger signing key is readable by other users; chmod 600 it");
    }
}

#[cfg(not(unix))]
fn warn_if_readable_by_others(_path: &Path) {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn created_once_private_then_reused_and_corruption_is_named() {
        let dir = std::env::temp_dir().join(format!("xr-key-{}", uuid::Uuid::new_v4().simple()));
        let path = dir.join("sub").join(DEFAULT_KEY_FILE);
        let (first, created) = load_or_create_key(&path).unwrap();
        assert!(created);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let (second, created) = load_or_create_key(&path).unwrap();
        assert!(!created);
        assert_eq!(first.public_key(), second.public_key());
        assert_eq!(
            std::fs::read_dir(path.parent().unwrap()).unwrap().count(),
            1,
            "no temporary file left behind"
        );
        std::fs::write(
            &path,
            "-----BEGIN PRIVATE KEY-----\nbroken\n-----END PRIVATE KEY-----\n",
        )
        .unwrap();
        let err = load_or_create_key(&path).unwrap_err();
        assert_eq!(err.code(), "ledger.key");
        assert!(err.to_string().contains("已损坏"), "{err}");
        std::fs::remove_dir_all(dir).ok();
    }
}
