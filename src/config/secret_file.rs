//! Small files that hold one secret: written atomically with mode 0600 from their creation, read
//! back trimmed. Node credentials and the local worker's credential both live in such files.

use std::path::Path;

/// Writes the secret atomically with mode 0600 (the temp file is 0600 from its creation).
pub fn save(path: &Path, secret: &str) -> std::io::Result<()> {
    if let Some(dir) = path.parent()
        && !dir.as_os_str().is_empty()
    {
        std::fs::create_dir_all(dir)?;
    }
    let mut text = String::with_capacity(secret.len() + 1);
    text.push_str(secret);
    text.push('\n');
    crate::files::write_atomic(path, text.as_bytes(), 0o600)
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

/// A 32-byte key kept as hex in `path`, made from the OS random source on first use. `what` names
/// the key in errors ("ledger key"); `if_lost` tells the user what a bad file costs them.
pub fn load_or_create_key32(path: &Path, what: &str, if_lost: &str) -> Result<[u8; 32], String> {
    let shown = path.display();
    match load(path) {
        Ok(Some(text)) => hex::decode(&text)
            .ok()
            .and_then(|b| b.try_into().ok())
            .ok_or_else(|| format!("{shown} is not a {what} (64 hex characters): {if_lost}")),
        Ok(None) => {
            let mut fresh = [0u8; 32];
            getrandom::fill(&mut fresh)
                .map_err(|e| format!("cannot make a {what}: the OS random source failed: {e}"))?;
            save(path, &hex::encode(fresh))
                .map_err(|e| format!("cannot write the {what} {shown}: {e}"))?;
            Ok(fresh)
        }
        Err(e) => Err(format!("cannot read the {what} {shown}: {e}")),
    }
}
