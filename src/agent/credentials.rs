//! Where a node keeps its secret: a 0600 file beside its env file (or EDGECODER_CREDENTIAL_FILE).
//!
//! Why not the kernel keyring on Linux: keyutils keys live in memory and are gone after a reboot,
//! while the service must find its credential at boot with no user session. See
//! docs/decisions.md. The secret never goes into the env file, argv or a task's environment.

use std::io::Write as _;
use std::path::{Path, PathBuf};

pub const FILE_NAME: &str = "node.secret";

/// The credential file for an env file: `node.secret` in the same directory.
pub fn path_for(env_file: &Path) -> PathBuf {
    if let Some(p) = std::env::var_os("EDGECODER_CREDENTIAL_FILE") {
        return PathBuf::from(p);
    }
    env_file
        .parent()
        .map(|d| d.join(FILE_NAME))
        .unwrap_or_else(|| PathBuf::from(FILE_NAME))
}

/// Writes the secret atomically with mode 0600 (the temp file is 0600 from its creation).
pub fn save(path: &Path, secret: &str) -> std::io::Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    if let Some(dir) = path.parent()
        && !dir.as_os_str().is_empty()
    {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = path.with_extension(format!("tmp{}", std::process::id()));
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .write(true)
        .truncate(true)
        .mode(0o600)
        .open(&tmp)?;
    f.write_all(secret.as_bytes())?;
    f.write_all(b"\n")?;
    f.sync_all()?;
    std::fs::rename(&tmp, path)
}

/// Reads the secret; Ok(None) when there is no file yet.
pub fn load(path: &Path) -> std::io::Result<Option<String>> {
    match std::fs::read_to_string(path) {
        Ok(text) => {
            let secret = text.trim().to_string();
            Ok((!secret.is_empty()).then_some(secret))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn saved_secret_is_private_and_reads_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/node.secret");
        save(&path, "ecn_n1.abc").unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        assert_eq!(load(&path).unwrap().as_deref(), Some("ecn_n1.abc"));
        assert_eq!(load(&dir.path().join("missing")).unwrap(), None);
    }
}
