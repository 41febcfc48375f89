//! Tokens stored by `edgecoder login`, one per coordinator URL: in the OS keyring where one
//! answers, else in a 0600 JSON file in the user's config dir (`EDGECODER_LOGIN_FILE`
//! overrides). See `crate::secret_store` for the fallback.
//!
//! The file also remembers which URLs have their token in the keyring (`{"keyring": true}` in
//! place of the token), so reading never asks the keyring about a coordinator nobody logged in
//! to (a locked desktop keyring would pop up an unlock prompt for every command), and
//! `logout --all` knows which keyring entries are ours. Files written before the keyring (plain
//! `url: token` maps) read as they are.

use super::exit::CliError;
use crate::secret_store::{self, Place, Unavailable};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// One coordinator's entry in the file.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(untagged)]
enum Entry {
    /// The token itself, kept in this file.
    Token(String),
    /// A marker: the token is in the keyring.
    Keyring { keyring: bool },
}

pub fn path() -> PathBuf {
    if let Some(p) = std::env::var_os("EDGECODER_LOGIN_FILE") {
        return PathBuf::from(p);
    }
    crate::config::paths::user_config_dir().join("logins.json")
}

/// The keyring account of a coordinator's token.
fn account(url: &str) -> String {
    format!("login:{url}")
}

fn read() -> Result<BTreeMap<String, Entry>, CliError> {
    let path = path();
    match std::fs::read_to_string(&path) {
        Ok(text) => serde_json::from_str(&text).map_err(|e| {
            CliError::error(format!(
                "{} is not a valid login file ({e}): run `edgecoder logout --all` to \
                 remove it, then `edgecoder login` again",
                path.display()
            ))
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(BTreeMap::new()),
        Err(e) => Err(CliError::error(format!(
            "cannot read {}: {e}",
            path.display()
        ))),
    }
}

fn write(map: &BTreeMap<String, Entry>) -> Result<PathBuf, CliError> {
    let path = path();
    if map.is_empty() {
        match std::fs::remove_file(&path) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(CliError::error(format!(
                    "cannot remove {}: {e}",
                    path.display()
                )));
            }
        }
        return Ok(path);
    }
    let text = serde_json::to_string_pretty(map)
        .map_err(|e| CliError::error(format!("cannot encode logins: {e}")))?;
    crate::config::secret_file::save(&path, &text)
        .map_err(|e| CliError::error(format!("cannot write {}: {e}", path.display())))?;
    Ok(path)
}

/// A stored token and where it was found.
#[derive(Debug, Clone)]
pub struct Stored {
    pub token: String,
    pub place: Place,
}

/// What reading the stored token of a coordinator found.
#[derive(Debug, Clone)]
pub enum Lookup {
    Found(Stored),
    /// `login` kept no token for it.
    Missing,
    /// `login` put it in the keyring, which does not answer now (locked, no session bus).
    KeyringUnavailable(Unavailable),
}

/// The token stored for `url`. A broken login file must not stop a command that was given a
/// token some other way, and one without a token says what to do when the coordinator refuses it.
pub fn load(url: &str) -> Lookup {
    let Ok(mut map) = read() else {
        return Lookup::Missing;
    };
    match map.remove(url) {
        Some(Entry::Token(token)) => Lookup::Found(Stored {
            token,
            place: Place::File(path()),
        }),
        Some(Entry::Keyring { .. }) => match secret_store::keyring_get(&account(url)) {
            Ok(Some(token)) => Lookup::Found(Stored {
                token,
                place: Place::Keyring,
            }),
            // Removed from the keyring by hand: as if never stored.
            Ok(None) => Lookup::Missing,
            Err(why) => Lookup::KeyringUnavailable(why),
        },
        None => Lookup::Missing,
    }
}

/// Stores the token for `url`: in the keyring if one answers, else in the file. Returns where it
/// went and, for the file, why the keyring was not used.
pub fn store(url: &str, token: &str) -> Result<(Place, Option<Unavailable>), CliError> {
    let mut map = read().unwrap_or_default();
    match secret_store::keyring_set(&account(url), token) {
        Ok(()) => {
            map.insert(url.to_string(), Entry::Keyring { keyring: true });
            write(&map)?;
            Ok((Place::Keyring, None))
        }
        Err(why) => {
            map.insert(url.to_string(), Entry::Token(token.to_string()));
            let path = write(&map)?;
            Ok((Place::File(path), Some(why)))
        }
    }
}

/// What `remove` did.
#[derive(Debug, Default)]
pub struct Removed {
    /// URLs whose token was forgotten.
    pub forgotten: Vec<String>,
    /// Keyring entries that could not be removed (the keyring did not answer), with why.
    pub left_in_keyring: Vec<(String, Unavailable)>,
}

/// Removes the token for `url` (or every token) from wherever it is.
pub fn remove(url: Option<&str>) -> Result<Removed, CliError> {
    let map = match read() {
        Ok(map) => map,
        // An unreadable file is removed whole by `logout --all` (its own error says to).
        Err(e) if url.is_some() => return Err(e),
        Err(_) => BTreeMap::new(),
    };
    let mut done = Removed::default();
    let mut keep = map.clone();
    for (u, entry) in map {
        if url.is_some_and(|wanted| wanted != u) {
            continue;
        }
        if matches!(entry, Entry::Keyring { .. })
            && let Err(why) = secret_store::keyring_delete(&account(&u))
        {
            done.left_in_keyring.push((u.clone(), why));
        }
        keep.remove(&u);
        done.forgotten.push(u);
    }
    if url.is_none() {
        keep.clear();
    }
    write(&keep)?;
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_files_and_keyring_markers_both_read() {
        let old: BTreeMap<String, Entry> =
            serde_json::from_str(r#"{"http://h:1": "ect_a.b"}"#).unwrap();
        assert_eq!(old["http://h:1"], Entry::Token("ect_a.b".into()));
        let new: BTreeMap<String, Entry> =
            serde_json::from_str(r#"{"http://h:1": {"keyring": true}}"#).unwrap();
        assert_eq!(new["http://h:1"], Entry::Keyring { keyring: true });
        let text = serde_json::to_string(&new).unwrap();
        assert!(!text.contains("ect_"), "{text}");
    }
}
