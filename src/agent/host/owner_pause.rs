//! The owner's own pause: `owner-pause.json` in the agent's state dir (beside its credential),
//! written atomically by `edgecoder agent pause` and removed by `agent resume`. The file is the
//! state, so a pause outlives an agent restart; it is read at every evaluation.

use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

pub const FILE_NAME: &str = "owner-pause.json";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnerPause {
    pub since_ms: i64,
    /// `None`: until `agent resume`.
    pub until_ms: Option<i64>,
}

/// `owner-pause.json` in `state_dir`.
pub fn path_in(state_dir: &Path) -> PathBuf {
    state_dir.join(FILE_NAME)
}

/// The pause, `None` when the file is absent; an error (naming the file) when it cannot be
/// read or parsed. Expiry is the policy's business (`decide`).
pub fn read(state_dir: &Path) -> Result<Option<OwnerPause>, String> {
    let path = path_in(state_dir);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
    };
    serde_json::from_str(&text).map(Some).map_err(|e| {
        format!(
            "{} is not a pause ({e}): run `edgecoder agent resume` to remove it",
            path.display()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absent_present_and_broken() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(read(dir.path()), Ok(None));
        std::fs::write(path_in(dir.path()), r#"{"since_ms":5,"until_ms":null}"#).unwrap();
        assert_eq!(
            read(dir.path()),
            Ok(Some(OwnerPause {
                since_ms: 5,
                until_ms: None
            }))
        );
        std::fs::write(path_in(dir.path()), r#"{"since_ms":5,"until_ms":9}"#).unwrap();
        assert_eq!(read(dir.path()).unwrap().unwrap().until_ms, Some(9));
        std::fs::write(path_in(dir.path()), "{").unwrap();
        assert!(read(dir.path()).unwrap_err().contains("agent resume"));
    }
}
