//! Where a node keeps its secret: a 0600 file beside its env file (or EDGECODER_CREDENTIAL_FILE).
//!
//! Why not the kernel keyring on Linux: keyutils keys live in memory and are gone after a reboot,
//! while the service must find its credential at boot with no user session. See
//! docs/decisions.md. The secret never goes into the env file, argv or a task's environment.

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

pub use crate::config::secret_file::{load, save};

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
