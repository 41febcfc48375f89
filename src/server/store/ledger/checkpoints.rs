//! Signed checkpoints of the chain's head, and the coordinator's Ed25519 ledger key.
//!
//! The key is 32 random bytes kept as hex in `<data dir>/ledger-signing.key` (0600, written
//! atomically, never logged); its public half is served with the checkpoints. A checkpoint is
//! signed every N entries or T seconds (whichever comes first, while there are new entries), at
//! start, and at a clean shutdown.

use super::pricing::LedgerSettings;
use super::written_head;
use crate::api::Checkpoint;
use crate::api::ledger_chain::checkpoint_message;
use crate::server::error::ApiError;
use crate::server::store::WriteCtx;
use crate::server::store::db::{Db, OptionalExtension, params};
use ed25519_dalek::{Signer, SigningKey};
use std::path::Path;

pub const KEY_FILE: &str = "ledger-signing.key";

/// Loads the ledger key from the data dir, making one on first start.
pub fn load_or_create_key(data_dir: &Path) -> Result<SigningKey, String> {
    let seed = crate::config::secret_file::load_or_create_key32(
        &data_dir.join(KEY_FILE),
        "ledger key",
        "restore it from a backup; without it new checkpoints cannot be trusted against old ones",
    )?;
    Ok(SigningKey::from_bytes(&seed))
}

/// The newest checkpoint's sequence number and time (0, 0 when none).
fn last(conn: &Db) -> Result<(i64, i64), ApiError> {
    Ok(conn
        .prepare_cached("SELECT seq, at FROM ledger_checkpoints ORDER BY seq DESC LIMIT 1")?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?
        .unwrap_or((0, 0)))
}

/// Signs the head when there are entries past the last checkpoint and one is due (or `force`).
pub fn checkpoint_if_due(
    ctx: &mut WriteCtx<'_>,
    key: &SigningKey,
    settings: &LedgerSettings,
    force: bool,
) -> Result<Option<i64>, ApiError> {
    let (last_seq, last_at) = last(ctx.conn)?;
    let (seq, hash) = written_head(ctx)?;
    if seq <= last_seq {
        return Ok(None);
    }
    let interval = settings.checkpoint_interval.as_millis() as i64;
    let due = force
        || (seq - last_seq) as u64 >= settings.checkpoint_every
        || ctx.now - last_at >= interval;
    if !due {
        return Ok(None);
    }
    let signature = key.sign(&checkpoint_message(seq, &hash));
    ctx.conn
        .prepare_cached(
            "INSERT INTO ledger_checkpoints (seq, at, head_hash, signature) VALUES (?1, ?2, ?3, ?4)",
        )?
        .execute(params![seq, ctx.now, &hash[..], &signature.to_bytes()[..]])?;
    Ok(Some(seq))
}

pub fn list(conn: &Db) -> Result<Vec<Checkpoint>, ApiError> {
    let mut stmt = conn.prepare_cached(
        "SELECT seq, at, head_hash, signature FROM ledger_checkpoints ORDER BY seq",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(Checkpoint {
            seq: r.get(0)?,
            at: r.get(1)?,
            head_hash: hex::encode(r.get::<Vec<u8>>(2)?),
            signature: hex::encode(r.get::<Vec<u8>>(3)?),
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}
