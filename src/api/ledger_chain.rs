//! The ledger's hash chain and checkpoint signatures: one definition shared by the coordinator
//! (which writes and verifies the chain) and `edgecoder ledger verify --file` (which checks an
//! export offline), so both hash exactly the same bytes.
//!
//! Entry hash (RFC 6962-style domain separation, so an entry can never be read as a checkpoint):
//!
//! ```text
//! hash = SHA-256( 0x00 || seq i64 BE || at i64 BE || kind str || account str || amount i64 BE
//!                 || task_id opt || actor opt || prev_hash[32] )
//! str  = u32 BE byte length || UTF-8 bytes
//! opt  = 0x00 (absent) | 0x01 || str
//! ```
//!
//! The first entry's `prev_hash` is 32 zero bytes. A checkpoint signs
//! `0x01 || "edgecoder-ledger-checkpoint-v1" || seq i64 BE || head_hash[32]` with Ed25519.

use super::{Checkpoint, LedgerEntry, LedgerVerify};
use ed25519_dalek::{Signature, Verifier as _, VerifyingKey};
use sha2::{Digest, Sha256};

pub const ENTRY_DOMAIN: u8 = 0x00;
pub const CHECKPOINT_DOMAIN: u8 = 0x01;
pub const CHECKPOINT_LABEL: &[u8] = b"edgecoder-ledger-checkpoint-v1";
pub const GENESIS: [u8; 32] = [0; 32];
pub const EXPORT_FORMAT: &str = "edgecoder-ledger-v1";
pub const KINDS: [&str; 8] = [
    "hold", "settle", "release", "earn", "fee", "issue", "grant", "transfer",
];

/// The stored columns of one entry that its hash covers.
#[derive(Debug, Clone, Copy)]
pub struct EntryFields<'a> {
    pub seq: i64,
    pub at: i64,
    pub kind: &'a str,
    pub account: &'a str,
    pub amount: i64,
    pub task_id: Option<&'a str>,
    pub actor: Option<&'a str>,
}

/// The hashed columns of an entry as the API shows it (an export, a page of the ledger).
impl<'a> From<&'a LedgerEntry> for EntryFields<'a> {
    fn from(e: &'a LedgerEntry) -> Self {
        EntryFields {
            seq: e.seq,
            at: e.at,
            kind: &e.kind,
            account: &e.account,
            amount: e.amount,
            task_id: e.task_id.as_deref(),
            actor: e.actor.as_deref(),
        }
    }
}

impl EntryFields<'_> {
    /// The entry as the API shows it, with its links in hex.
    pub fn to_entry(&self, prev_hash: &[u8], hash: &[u8]) -> LedgerEntry {
        LedgerEntry {
            seq: self.seq,
            at: self.at,
            kind: self.kind.to_string(),
            account: self.account.to_string(),
            amount: self.amount,
            task_id: self.task_id.map(str::to_string),
            actor: self.actor.map(str::to_string),
            prev_hash: hex::encode(prev_hash),
            hash: hex::encode(hash),
        }
    }
}

fn put_str(h: &mut Sha256, s: &str) {
    // Lengths past u32 cannot be stored (ids are short); saturate rather than wrap.
    h.update(u32::try_from(s.len()).unwrap_or(u32::MAX).to_be_bytes());
    h.update(s.as_bytes());
}

fn put_opt(h: &mut Sha256, s: Option<&str>) {
    match s {
        None => h.update([0u8]),
        Some(s) => {
            h.update([1u8]);
            put_str(h, s);
        }
    }
}

pub fn entry_hash(f: &EntryFields<'_>, prev: &[u8; 32]) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update([ENTRY_DOMAIN]);
    h.update(f.seq.to_be_bytes());
    h.update(f.at.to_be_bytes());
    put_str(&mut h, f.kind);
    put_str(&mut h, f.account);
    h.update(f.amount.to_be_bytes());
    put_opt(&mut h, f.task_id);
    put_opt(&mut h, f.actor);
    h.update(prev);
    h.finalize().into()
}

/// The bytes a checkpoint signature covers.
pub fn checkpoint_message(seq: i64, head: &[u8; 32]) -> Vec<u8> {
    let mut m = Vec::with_capacity(1 + CHECKPOINT_LABEL.len() + 8 + 32);
    m.push(CHECKPOINT_DOMAIN);
    m.extend_from_slice(CHECKPOINT_LABEL);
    m.extend_from_slice(&seq.to_be_bytes());
    m.extend_from_slice(head);
    m
}

/// 32 bytes from hex, or None.
pub fn hash_from_hex(text: &str) -> Option<[u8; 32]> {
    hex::decode(text).ok()?.try_into().ok()
}

/// A checkpoint in raw form, ready to compare against the chain.
struct RawCheckpoint {
    seq: i64,
    head: Option<[u8; 32]>,
    signature_ok: Result<(), String>,
}

/// Walks entries in order and checks links, hashes, sequence numbers and checkpoints. Stops
/// looking at entries after the first bad one (nothing after it can be trusted).
pub struct ChainVerifier {
    /// Next expected sequence number; None until the first entry when the walk may start
    /// anywhere (an export taken `--since N`).
    expected: Option<i64>,
    prev: [u8; 32],
    count: u64,
    head_seq: i64,
    head_hash: [u8; 32],
    checkpoints: Vec<RawCheckpoint>,
    next_checkpoint: usize,
    last_good_checkpoint: i64,
    checkpoints_checked: u64,
    bad: Option<(i64, String)>,
}

impl ChainVerifier {
    /// `public_key`: when given, every checkpoint's signature is checked with it.
    /// `from_start`: the walk begins at seq 1 with the zero hash; otherwise the first entry is
    /// taken as the anchor (its `prev_hash` cannot be checked).
    pub fn new(
        checkpoints: &[Checkpoint],
        public_key: Option<&[u8; 32]>,
        from_start: bool,
    ) -> ChainVerifier {
        let key = public_key.map(VerifyingKey::from_bytes);
        let mut raw: Vec<RawCheckpoint> = checkpoints
            .iter()
            .map(|c| {
                let head = hash_from_hex(&c.head_hash);
                let signature_ok = match (&key, head) {
                    (None, _) => Ok(()),
                    (Some(Err(e)), _) => Err(format!("the public key is not valid: {e}")),
                    (Some(Ok(_)), None) => Err("its head hash is not 32 bytes of hex".into()),
                    (Some(Ok(k)), Some(head)) => {
                        let sig = hex::decode(&c.signature)
                            .ok()
                            .and_then(|b| Signature::from_slice(&b).ok());
                        match sig {
                            None => Err("its signature is not 64 bytes of hex".into()),
                            Some(sig) => {
                                k.verify(&checkpoint_message(c.seq, &head), &sig)
                                    .map_err(|_| {
                                        "its signature does not verify with the coordinator's key"
                                            .to_string()
                                    })
                            }
                        }
                    }
                };
                RawCheckpoint {
                    seq: c.seq,
                    head,
                    signature_ok,
                }
            })
            .collect();
        raw.sort_by_key(|c| c.seq);
        ChainVerifier {
            expected: from_start.then_some(1),
            prev: GENESIS,
            count: 0,
            head_seq: 0,
            head_hash: GENESIS,
            checkpoints: raw,
            next_checkpoint: 0,
            last_good_checkpoint: 0,
            checkpoints_checked: 0,
            bad: None,
        }
    }

    /// Checks one entry; returns false once the chain is known bad (stop feeding it).
    pub fn push(&mut self, f: &EntryFields<'_>, prev_hash: &[u8], hash: &[u8]) -> bool {
        if self.bad.is_some() {
            return false;
        }
        let expected = match self.expected {
            Some(e) => e,
            None => {
                // Anchored walk: trust the first entry's link, skip checkpoints before it.
                match <[u8; 32]>::try_from(prev_hash) {
                    Ok(p) => self.prev = p,
                    Err(_) => return self.fail(f.seq, "its prev_hash is not 32 bytes"),
                }
                while self
                    .checkpoints
                    .get(self.next_checkpoint)
                    .is_some_and(|c| c.seq < f.seq)
                {
                    self.next_checkpoint += 1;
                }
                self.last_good_checkpoint = f.seq - 1;
                f.seq
            }
        };
        if f.seq != expected {
            let why = if f.seq > expected {
                format!(
                    "entry {expected} is missing (the next entry is {}): a row was deleted",
                    f.seq
                )
            } else {
                format!(
                    "entry {} appears out of order after {}",
                    f.seq,
                    expected - 1
                )
            };
            return self.fail(expected, &why);
        }
        if prev_hash != self.prev {
            return self.fail(
                f.seq,
                "its prev_hash is not the hash of the entry before it (an entry was changed, \
                 inserted or removed)",
            );
        }
        if !KINDS.contains(&f.kind) {
            return self.fail(f.seq, &format!("unknown kind {:?}", f.kind));
        }
        let computed = entry_hash(f, &self.prev);
        if hash != computed {
            return self.fail(
                f.seq,
                "its stored hash does not match its contents (the entry was edited)",
            );
        }
        self.count += 1;
        self.prev = computed;
        self.head_seq = f.seq;
        self.head_hash = computed;
        self.expected = Some(f.seq + 1);
        while let Some(c) = self.checkpoints.get(self.next_checkpoint) {
            if c.seq > f.seq {
                break;
            }
            self.next_checkpoint += 1;
            if c.seq < f.seq {
                continue;
            }
            if let Err(why) = &c.signature_ok {
                let why = format!("the checkpoint at seq {} is not genuine: {why}", c.seq);
                return self.fail(c.seq, &why);
            }
            if c.head != Some(computed) {
                let why = format!(
                    "the signed checkpoint at seq {} does not match the chain: history between \
                     seq {} and {} was rewritten (even if every hash was recomputed)",
                    c.seq,
                    self.last_good_checkpoint + 1,
                    c.seq
                );
                return self.fail(self.last_good_checkpoint + 1, &why);
            }
            self.checkpoints_checked += 1;
            self.last_good_checkpoint = c.seq;
        }
        true
    }

    fn fail(&mut self, seq: i64, why: &str) -> bool {
        self.bad = Some((seq, why.to_string()));
        false
    }

    /// The verdict. Checkpoints past the chain's head mean entries were cut from its end.
    pub fn finish(mut self) -> LedgerVerify {
        if self.bad.is_none()
            && let Some(c) = self.checkpoints.get(self.next_checkpoint)
        {
            let why = format!(
                "a signed checkpoint names seq {} but the chain ends at {}: entries were \
                 removed from its end",
                c.seq, self.head_seq
            );
            self.bad = Some((self.head_seq + 1, why));
        }
        let (first_bad_seq, reason) = match self.bad {
            Some((seq, why)) => (Some(seq), Some(why)),
            None => (None, None),
        };
        LedgerVerify {
            ok: first_bad_seq.is_none(),
            count: self.count,
            head_seq: self.head_seq,
            head_hash: hex::encode(self.head_hash),
            checkpoints_checked: self.checkpoints_checked,
            first_bad_seq,
            reason,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ed25519_dalek::{Signer, SigningKey};

    #[derive(Clone, Copy)]
    struct Owned {
        seq: i64,
        amount: i64,
        prev: [u8; 32],
        hash: [u8; 32],
    }

    fn fields(seq: i64, amount: i64) -> EntryFields<'static> {
        EntryFields {
            seq,
            at: 1_700_000_000_000 + seq,
            kind: "grant",
            account: "user:tokabc",
            amount,
            task_id: None,
            actor: Some("tokadmin"),
        }
    }

    fn chain(n: i64) -> Vec<Owned> {
        let mut prev = GENESIS;
        (1..=n)
            .map(|seq| {
                let hash = entry_hash(&fields(seq, seq * 10), &prev);
                let e = Owned {
                    seq,
                    amount: seq * 10,
                    prev,
                    hash,
                };
                prev = hash;
                e
            })
            .collect()
    }

    fn verify(entries: &[Owned], cps: &[Checkpoint], key: Option<&[u8; 32]>) -> LedgerVerify {
        let mut v = ChainVerifier::new(cps, key, true);
        for e in entries {
            if !v.push(&fields(e.seq, e.amount), &e.prev, &e.hash) {
                break;
            }
        }
        v.finish()
    }

    fn signed(key: &SigningKey, seq: i64, head: &[u8; 32]) -> Checkpoint {
        Checkpoint {
            seq,
            at: 0,
            head_hash: hex::encode(head),
            signature: hex::encode(key.sign(&checkpoint_message(seq, head)).to_bytes()),
        }
    }

    #[test]
    fn the_encoding_is_fixed() {
        // A change to the canonical bytes changes every stored hash: this pins them to the
        // documented encoding (the value was computed independently of this code).
        let h = entry_hash(&fields(1, 10), &GENESIS);
        assert_eq!(
            hex::encode(h),
            "f0c36e3d0311b6823352461281f9520aa2298348da01063b6fa4cf773dde4479"
        );
        assert_ne!(h, entry_hash(&fields(1, 11), &GENESIS));
        let with_task = EntryFields {
            task_id: Some(""),
            ..fields(1, 10)
        };
        assert_ne!(
            h,
            entry_hash(&with_task, &GENESIS),
            "None and Some(\"\") differ"
        );
    }

    #[test]
    fn a_good_chain_verifies_and_edits_are_found() {
        let mut entries = chain(50);
        let r = verify(&entries, &[], None);
        assert!(r.ok, "{r:?}");
        assert_eq!(r.count, 50);
        entries[9].amount += 1;
        let r = verify(&entries, &[], None);
        assert_eq!(r.first_bad_seq, Some(10), "{r:?}");
        entries[9].amount -= 1;
        entries.remove(20);
        let r = verify(&entries, &[], None);
        assert_eq!(r.first_bad_seq, Some(21), "{r:?}");
    }

    #[test]
    fn checkpoints_catch_a_recomputed_chain_and_a_cut_tail() {
        let key = SigningKey::from_bytes(&[7; 32]);
        let public = key.verifying_key().to_bytes();
        let entries = chain(30);
        let cps = vec![
            signed(&key, 10, &entries[9].hash),
            signed(&key, 20, &entries[19].hash),
        ];
        assert!(verify(&entries, &cps, Some(&public)).ok);
        // Rewrite entry 15 and recompute every hash after it.
        let mut prev = entries[13].hash;
        let rewritten: Vec<Owned> = entries
            .iter()
            .map(|e| {
                if e.seq < 15 {
                    return *e;
                }
                let amount = if e.seq == 15 { 999 } else { e.amount };
                let hash = entry_hash(&fields(e.seq, amount), &prev);
                let o = Owned {
                    seq: e.seq,
                    amount,
                    prev,
                    hash,
                };
                prev = hash;
                o
            })
            .collect();
        let r = verify(&rewritten, &cps, Some(&public));
        assert_eq!(r.first_bad_seq, Some(11), "{r:?}");
        assert!(
            r.reason
                .unwrap_or_default()
                .contains("checkpoint at seq 20")
        );
        // A forged checkpoint (signed by another key) is refused.
        let other = SigningKey::from_bytes(&[8; 32]);
        let forged = vec![signed(&other, 20, &rewritten[19].hash)];
        assert!(!verify(&rewritten, &forged, Some(&public)).ok);
        // Cutting the tail below a checkpoint is found.
        let r = verify(&entries[..15], &cps, Some(&public));
        assert_eq!(r.first_bad_seq, Some(16), "{r:?}");
    }
}
