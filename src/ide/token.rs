//! The bearer token editors send: made at first start, kept like the other secrets (the OS
//! keyring where one answers, else a 0600 file; `crate::secret_store`), shown on request by
//! `edgecoder ide token`. `EDGECODER_IDE_TOKEN_FILE` keeps it in a file of the owner's choice
//! instead (a service, or a token shared with a remote editor).

use crate::config::secret_file;
use crate::secret_store::{self, Place, Unavailable};
use std::path::{Path, PathBuf};

/// The keyring account of the IDE provider's token.
pub const KEYRING_ACCOUNT: &str = "ide-provider";

/// The prefix of every IDE provider token (tells it apart from API and node secrets).
pub const PREFIX: &str = "eci_";

/// A token and where it is kept.
#[derive(Clone)]
pub struct IdeToken {
    pub token: String,
    pub place: Place,
    /// Made just now (nobody has seen it yet).
    pub made: bool,
    /// Why the keyring was not used, when it was tried and did not answer.
    pub keyring_unavailable: Option<Unavailable>,
}

impl std::fmt::Debug for IdeToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IdeToken")
            .field("token", &"***")
            .field("place", &self.place)
            .field("made", &self.made)
            .finish()
    }
}

/// The file the token falls back to when no keyring answers.
pub fn default_file() -> PathBuf {
    crate::config::paths::user_config_dir().join("ide-token")
}

/// The stored token, if there is one. `file`: `EDGECODER_IDE_TOKEN_FILE` (then only it is read).
pub fn load(file: Option<&Path>) -> Result<Option<IdeToken>, String> {
    let read = |path: &Path| -> Result<Option<IdeToken>, String> {
        let token = secret_file::load(path).map_err(|e| {
            format!(
                "cannot read the IDE token file {} ({e}): fix its permissions or delete it to \
                 make a new token",
                path.display()
            )
        })?;
        Ok(token.map(|token| IdeToken {
            token,
            place: Place::File(path.to_path_buf()),
            made: false,
            keyring_unavailable: None,
        }))
    };
    if let Some(path) = file {
        return read(path);
    }
    let mut unavailable = None;
    if secret_store::keyring_enabled() {
        match secret_store::keyring_get(KEYRING_ACCOUNT) {
            Ok(Some(token)) => {
                return Ok(Some(IdeToken {
                    token,
                    place: Place::Keyring,
                    made: false,
                    keyring_unavailable: None,
                }));
            }
            Ok(None) => {}
            Err(why) => unavailable = Some(why),
        }
    }
    Ok(read(&default_file())?.map(|mut t| {
        t.keyring_unavailable = unavailable;
        t
    }))
}

/// The stored token, or a new one stored now (keyring first, else the 0600 file).
pub fn load_or_make(file: Option<&Path>) -> Result<IdeToken, String> {
    if let Some(token) = load(file)? {
        return Ok(token);
    }
    let token = format!("{PREFIX}{}", crate::server::auth::random_hex(24));
    let save = |path: &Path| {
        secret_file::save(path, &token).map_err(|e| {
            format!(
                "cannot write the IDE token to {} ({e}): make its directory writable, or set \
                 EDGECODER_IDE_TOKEN_FILE to a file this user can write",
                path.display()
            )
        })
    };
    if let Some(path) = file {
        save(path)?;
        return Ok(IdeToken {
            token: token.clone(),
            place: Place::File(path.to_path_buf()),
            made: true,
            keyring_unavailable: None,
        });
    }
    match secret_store::keyring_set(KEYRING_ACCOUNT, &token) {
        Ok(()) => Ok(IdeToken {
            token: token.clone(),
            place: Place::Keyring,
            made: true,
            keyring_unavailable: None,
        }),
        Err(why) => {
            let path = default_file();
            save(&path)?;
            Ok(IdeToken {
                token: token.clone(),
                place: Place::File(path),
                made: true,
                keyring_unavailable: Some(why),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_file_is_made_once_with_mode_0600_and_read_back() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("sub/ide-token");
        assert!(load(Some(&path)).expect("reads").is_none());
        let made = load_or_make(Some(&path)).expect("makes");
        assert!(made.made && made.token.starts_with(PREFIX));
        assert!(!format!("{made:?}").contains(&made.token));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).expect("meta").permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let again = load_or_make(Some(&path)).expect("loads");
        assert_eq!(again.token, made.token);
        assert!(!again.made);
    }
}
