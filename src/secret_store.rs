//! Secrets a person's commands keep between runs (`login` tokens): in the OS keyring where one
//! answers (Secret Service on Linux, Keychain on macOS, Credential Manager on Windows); the caller
//! falls back to a 0600 file when it does not, and says which was used. (Node secrets stay in
//! their file: see docs/decisions.md.)
//!
//! Why a thread and a timeout: the Secret Service is reached over the session bus, which may be
//! missing (a headless server, a container, `ssh` without a session) or may hang (a keyring that
//! waits on an unlock prompt nobody sees). A command must then fall back to the file within a
//! couple of seconds, not stall. The keyring crate's tokio-based backend must also not be driven
//! from a thread that is inside a runtime (it deadlocks), so every call gets its own thread.
//!
//! `EDGECODER_KEYRING=off` skips the keyring altogether (scripts, tests, people who want the
//! file); `EDGECODER_KEYRING_TIMEOUT_MS` changes how long a keyring may take to answer.

use std::path::PathBuf;
use std::sync::mpsc;
use std::time::Duration;

/// The keyring's service name for every edgecoder secret; the account names the secret.
pub const SERVICE: &str = "edgecoder";

const DEFAULT_TIMEOUT: Duration = Duration::from_secs(3);

/// Where a secret is kept, for messages that tell the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// The OS keyring, under (`SERVICE`, account).
    Keyring,
    /// A 0600 file.
    File(PathBuf),
}

impl Place {
    /// `keyring` or `file`: the value `--json` outputs carry.
    pub fn kind(&self) -> &'static str {
        match self {
            Place::Keyring => "keyring",
            Place::File(_) => "file",
        }
    }

    /// Where it is, in words: "the OS keyring (Secret Service)" or "the 0600 file PATH".
    pub fn describe(&self) -> String {
        match self {
            Place::Keyring => format!("the OS keyring ({})", backend_name()),
            Place::File(p) => format!("the 0600 file {} (readable only by you)", p.display()),
        }
    }
}

/// The keyring behind this build on this OS, in words.
pub fn backend_name() -> &'static str {
    if cfg!(target_os = "macos") {
        "macOS Keychain"
    } else if cfg!(windows) {
        "Windows Credential Manager"
    } else {
        "Secret Service"
    }
}

/// Why the keyring was not used: shown to the user beside the fallback.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unavailable(pub String);

impl std::fmt::Display for Unavailable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Whether the keyring may be tried at all (`EDGECODER_KEYRING=off` says no).
pub fn keyring_enabled() -> bool {
    !matches!(
        std::env::var("EDGECODER_KEYRING").as_deref().map(str::trim),
        Ok("off" | "false" | "0" | "no" | "file")
    )
}

fn timeout() -> Duration {
    std::env::var("EDGECODER_KEYRING_TIMEOUT_MS")
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(Duration::from_millis)
        .unwrap_or(DEFAULT_TIMEOUT)
}

/// Runs one keyring call on its own thread and waits at most the timeout for it. A call that
/// does not answer in time is left to finish (or hang) on its thread; the process goes on.
fn with_entry<T: Send + 'static>(
    account: &str,
    call: impl FnOnce(&keyring::Entry) -> Result<T, keyring::Error> + Send + 'static,
) -> Result<T, KeyringFailure> {
    if !keyring_enabled() {
        return Err(KeyringFailure::Unavailable(Unavailable(
            "EDGECODER_KEYRING=off".into(),
        )));
    }
    let account = account.to_string();
    let (tx, rx) = mpsc::channel();
    let spawned = std::thread::Builder::new()
        .name("keyring".into())
        .spawn(move || {
            let result = keyring::Entry::new(SERVICE, &account).and_then(|e| call(&e));
            let _ = tx.send(result);
        });
    if let Err(e) = spawned {
        return Err(KeyringFailure::Unavailable(Unavailable(format!(
            "cannot start a thread for the keyring: {e}"
        ))));
    }
    let wait = timeout();
    match rx.recv_timeout(wait) {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(keyring::Error::NoEntry)) => Err(KeyringFailure::NoEntry),
        Ok(Err(e)) => Err(KeyringFailure::Unavailable(Unavailable(explain(&e)))),
        Err(_) => Err(KeyringFailure::Unavailable(Unavailable(format!(
            "the {} did not answer within {} ms",
            backend_name(),
            wait.as_millis()
        )))),
    }
}

enum KeyringFailure {
    NoEntry,
    Unavailable(Unavailable),
}

/// One line for a keyring error, without the crate's nested detail dumps.
fn explain(e: &keyring::Error) -> String {
    let text = match e {
        keyring::Error::PlatformFailure(inner) | keyring::Error::NoStorageAccess(inner) => {
            inner.to_string()
        }
        other => other.to_string(),
    };
    let first = text.lines().next().unwrap_or("").trim();
    format!("no {} answered ({first})", backend_name())
}

/// Stores `secret` under `account` in the keyring.
pub fn keyring_set(account: &str, secret: &str) -> Result<(), Unavailable> {
    let secret = secret.to_string();
    match with_entry(account, move |e| e.set_password(&secret)) {
        Ok(()) => Ok(()),
        Err(KeyringFailure::NoEntry) => Err(Unavailable("the keyring lost the entry".into())),
        Err(KeyringFailure::Unavailable(u)) => Err(u),
    }
}

/// The secret under `account` in the keyring; Ok(None) when the keyring has none.
pub fn keyring_get(account: &str) -> Result<Option<String>, Unavailable> {
    match with_entry(account, |e| e.get_password()) {
        Ok(s) => Ok(Some(s)),
        Err(KeyringFailure::NoEntry) => Ok(None),
        Err(KeyringFailure::Unavailable(u)) => Err(u),
    }
}

/// Removes the secret under `account`; Ok(false) when the keyring had none.
pub fn keyring_delete(account: &str) -> Result<bool, Unavailable> {
    match with_entry(account, |e| e.delete_credential()) {
        Ok(()) => Ok(true),
        Err(KeyringFailure::NoEntry) => Ok(false),
        Err(KeyringFailure::Unavailable(u)) => Err(u),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_name_themselves() {
        assert_eq!(Place::Keyring.kind(), "keyring");
        let f = Place::File(PathBuf::from("/x/logins.json"));
        assert_eq!(f.kind(), "file");
        assert!(f.describe().contains("/x/logins.json"));
        assert!(Place::Keyring.describe().contains(backend_name()));
    }
}
