//! Task secrets (`--secret KEY=VALUE`): kept apart from a task's `env`, sealed at rest.
//!
//! Each task's secrets are one JSON object sealed with ChaCha20-Poly1305 (ring) under a key that
//! lives outside the database, in `<data dir>/task-secrets.key` (0600, made at first start), so a
//! copy of `edgecoder.db` alone does not reveal them. The task id is the associated data: a sealed
//! row moved onto another task does not open. Rows go when their task ends (a trigger of the
//! migration), so a secret lives only as long as the work that needs it.
//!
//! No route returns secrets except the claim answer to the agent holding the lease.

use crate::server::error::ApiError;
use crate::server::store::db::{Db, OptionalExtension, params};
use ring::aead::{Aad, CHACHA20_POLY1305, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

pub const KEY_FILE: &str = "task-secrets.key";
/// At most this many secrets per task.
pub const MAX_SECRETS: usize = 100;
/// Keys and values together, per task.
pub const MAX_TOTAL_BYTES: usize = 64 << 10;

/// The key that seals task secrets; cheap to clone.
#[derive(Clone)]
pub struct SecretsKey(Arc<LessSafeKey>);

impl std::fmt::Debug for SecretsKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretsKey(…)")
    }
}

impl SecretsKey {
    /// Loads the key from the data dir, making one on first start.
    pub fn load_or_create(data_dir: &Path) -> Result<SecretsKey, String> {
        let bytes = crate::config::secret_file::load_or_create_key32(
            &data_dir.join(KEY_FILE),
            "task-secrets key",
            "restore it from a backup, or remove it (the secrets of queued tasks are then lost)",
        )?;
        let key = UnboundKey::new(&CHACHA20_POLY1305, &bytes)
            .map_err(|_| "cannot use the task-secrets key".to_string())?;
        Ok(SecretsKey(Arc::new(LessSafeKey::new(key))))
    }

    /// Names the key without revealing it: the tag of an empty message under a nonce no seal
    /// uses (theirs are random), so coordinators can tell whether they hold the same key.
    pub fn fingerprint(&self) -> String {
        let mut tag = Vec::new();
        let sealed = self.0.seal_in_place_append_tag(
            Nonce::assume_unique_for_key([0u8; NONCE_LEN]),
            Aad::from(b"edgecoder task-secrets key fingerprint"),
            &mut tag,
        );
        match sealed {
            Ok(()) => tag.iter().map(|b| format!("{b:02x}")).collect(),
            Err(_) => String::new(),
        }
    }

    /// Nonce followed by ciphertext and tag.
    fn seal(&self, task_id: &str, plain: &[u8]) -> Result<Vec<u8>, ApiError> {
        let mut nonce = [0u8; NONCE_LEN];
        getrandom::fill(&mut nonce)
            .map_err(|_| ApiError::internal("the OS random source failed"))?;
        let mut sealed = plain.to_vec();
        self.0
            .seal_in_place_append_tag(
                Nonce::assume_unique_for_key(nonce),
                Aad::from(task_id.as_bytes()),
                &mut sealed,
            )
            .map_err(|_| ApiError::internal("cannot seal the task's secrets"))?;
        let mut out = nonce.to_vec();
        out.extend_from_slice(&sealed);
        Ok(out)
    }

    fn open(&self, task_id: &str, blob: &[u8]) -> Result<Vec<u8>, ApiError> {
        let unreadable = || {
            ApiError::internal(format!(
                "the secrets of task {task_id} do not open with this coordinator's \
                 {KEY_FILE}: was the key replaced?"
            ))
        };
        if blob.len() < NONCE_LEN {
            return Err(unreadable());
        }
        let (nonce, sealed) = blob.split_at(NONCE_LEN);
        let nonce = Nonce::try_assume_unique_for_key(nonce).map_err(|_| unreadable())?;
        let mut buf = sealed.to_vec();
        let plain = self
            .0
            .open_in_place(nonce, Aad::from(task_id.as_bytes()), &mut buf)
            .map_err(|_| unreadable())?;
        Ok(plain.to_vec())
    }
}

/// Refuses secrets that cannot be handed to a process as env vars, or that are too big.
pub fn validate(
    secrets: &BTreeMap<String, String>,
    env: &BTreeMap<String, String>,
) -> Result<(), ApiError> {
    if secrets.len() > MAX_SECRETS {
        return Err(ApiError::bad_request(format!(
            "{} secrets given; at most {MAX_SECRETS} per task",
            secrets.len()
        )));
    }
    let total: usize = secrets.iter().map(|(k, v)| k.len() + v.len()).sum();
    if total > MAX_TOTAL_BYTES {
        return Err(ApiError::new(
            axum::http::StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
            format!("secrets take {total} bytes; at most {MAX_TOTAL_BYTES} per task"),
        ));
    }
    for (key, value) in secrets {
        let valid = !key.is_empty()
            && !key.starts_with(|c: char| c.is_ascii_digit())
            && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !valid {
            return Err(ApiError::bad_request(format!(
                "secret key {key:?} is not a valid variable name ([A-Za-z_][A-Za-z0-9_]*)"
            )));
        }
        if value.contains('\0') {
            return Err(ApiError::bad_request(format!(
                "secret {key} holds a NUL byte, which no environment variable can carry"
            )));
        }
        if env.contains_key(key) {
            return Err(ApiError::bad_request(format!(
                "{key} is given both in env and as a secret: give it once"
            )));
        }
    }
    Ok(())
}

/// Seals and stores a new task's secrets (nothing is written when there are none).
pub fn save(
    conn: &Db,
    key: &SecretsKey,
    task_id: &str,
    secrets: &BTreeMap<String, String>,
) -> Result<(), ApiError> {
    if secrets.is_empty() {
        return Ok(());
    }
    let plain = serde_json::to_vec(secrets)?;
    let sealed = key.seal(task_id, &plain)?;
    conn.prepare_cached("INSERT INTO task_secrets (task_id, sealed) VALUES (?1, ?2)")?
        .execute(params![task_id, sealed])?;
    Ok(())
}

/// A task's secrets, opened; empty when it has none (or they were dropped when it ended).
pub fn load(
    conn: &Db,
    key: &SecretsKey,
    task_id: &str,
) -> Result<BTreeMap<String, String>, ApiError> {
    open(key, task_id, sealed(conn, task_id)?)
}

/// A task's secrets as stored (sealed); `None` when it has none. The claim reads them inside
/// its write and opens them after the commit, so a blob that will not open fails that claim's
/// answer only, never the batch it was written in.
pub fn sealed(conn: &Db, task_id: &str) -> Result<Option<Vec<u8>>, ApiError> {
    Ok(conn
        .prepare_cached("SELECT sealed FROM task_secrets WHERE task_id = ?1")?
        .query_row([task_id], |r| r.get(0))
        .optional()?)
}

/// Opens what [`sealed`] read.
pub fn open(
    key: &SecretsKey,
    task_id: &str,
    sealed: Option<Vec<u8>>,
) -> Result<BTreeMap<String, String>, ApiError> {
    match sealed {
        None => Ok(BTreeMap::new()),
        Some(blob) => Ok(serde_json::from_slice(&key.open(task_id, &blob)?)?),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> (tempfile::TempDir, SecretsKey) {
        let dir = tempfile::tempdir().expect("tempdir");
        let key = SecretsKey::load_or_create(dir.path()).expect("key");
        (dir, key)
    }

    #[test]
    fn sealed_secrets_open_only_for_their_task() {
        let (_dir, key) = key();
        let blob = key.seal("aaaa", b"hunter2-value").expect("seal");
        assert!(!blob.windows(6).any(|w| w == b"hunter"));
        assert_eq!(key.open("aaaa", &blob).expect("open"), b"hunter2-value");
        assert!(key.open("bbbb", &blob).is_err());
        assert!(key.open("aaaa", &blob[..5]).is_err());
    }

    #[test]
    fn the_key_survives_a_restart_and_is_private() {
        use std::os::unix::fs::PermissionsExt;
        let (dir, key) = key();
        let blob = key.seal("t", b"v").expect("seal");
        let again = SecretsKey::load_or_create(dir.path()).expect("reload");
        assert_eq!(again.open("t", &blob).expect("open"), b"v");
        let mode = std::fs::metadata(dir.path().join(KEY_FILE))
            .expect("key file")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    #[test]
    fn bad_secrets_are_refused() {
        let one = |k: &str, v: &str| BTreeMap::from([(k.to_string(), v.to_string())]);
        let none = BTreeMap::new();
        assert!(validate(&one("GOOD_1", "x"), &none).is_ok());
        assert!(validate(&one("1BAD", "x"), &none).is_err());
        assert!(validate(&one("A-B", "x"), &none).is_err());
        assert!(validate(&one("A", "x\0y"), &none).is_err());
        assert!(validate(&one("A", "x"), &one("A", "y")).is_err());
        let big = "v".repeat(MAX_TOTAL_BYTES);
        assert_eq!(
            validate(&one("A", &big), &none).map_err(|e| e.status),
            Err(axum::http::StatusCode::PAYLOAD_TOO_LARGE)
        );
    }
}
