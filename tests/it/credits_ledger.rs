//! The ledger against the real binary: tampering found by `server ledger verify` (an edited row,
//! a deleted row, a fully recomputed chain caught by the signed checkpoints), export and offline
//! verification, and a chain that continues across restarts.

use crate::common::*;
use crate::credits_common::*;
use edgecoder::api::ledger_chain::{EntryFields, GENESIS, entry_hash};
use edgecoder::api::*;
use std::time::Duration;

/// Checkpoints after every entry, signed within half a second.
fn checkpointed() -> CoordinatorOptions {
    coordinator_with(&[("EDGECODER_LEDGER_CHECKPOINT_EVERY", "1")])
}

/// Some history: two users (grants), three submissions (holds), one cancel (release).
async fn activity(admin: &edgecoder::api::client::Client) -> Vec<LedgerEntry> {
    let (u1, _) = user(admin).await;
    let (u2, a2) = user(admin).await;
    let t = u1.submit(&task(60)).await.expect("submit");
    u2.submit(&task(60)).await.expect("submit");
    u1.cancel(&t.task.id).await.expect("cancel");
    admin
        .grant(&GrantRequest {
            account: a2,
            amount: 1500,
        })
        .await
        .expect("grant");
    entries(admin).await
}

async fn checkpoint_covers_head(admin: &edgecoder::api::client::Client, head: i64) {
    eventually(Duration::from_secs(15), || async {
        let cps = admin.ledger_checkpoints().await.expect("checkpoints");
        cps.checkpoints.iter().any(|c| c.seq == head).then_some(())
    })
    .await;
}

fn verify_json(sb: &Sandbox, url: &str) -> (Option<i32>, LedgerVerify, String) {
    let (code, out, err) = cli(
        sb,
        url,
        ADMIN_TOKEN,
        &["server", "ledger", "verify", "--json"],
    );
    let v: LedgerVerify =
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("not JSON ({e}): {out}{err}"));
    (code, v, out)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_edited_row_and_a_deleted_row_are_found() {
    let sb = Sandbox::new();
    let coord = Coordinator::start_with(&sb, coordinator_only());
    let admin = coord.admin();
    let all = activity(&admin).await;
    assert!(all.len() >= 8, "{all:?}");
    let (code, v, _) = verify_json(&sb, &coord.url);
    assert_eq!(code, Some(0));
    assert!(v.ok && v.count == all.len() as u64, "{v:?}");
    let (code, out, _) = cli(
        &sb,
        &coord.url,
        ADMIN_TOKEN,
        &["server", "ledger", "verify"],
    );
    assert_eq!(code, Some(0));
    assert!(
        out.starts_with("OK:") && out.contains(&v.head_hash),
        "{out}"
    );

    // Someone with the database file adds a credit to entry 3.
    db(&sb)
        .execute("UPDATE ledger SET amount = amount + 1 WHERE seq = 3", [])
        .expect("edit");
    let (code, v, _) = verify_json(&sb, &coord.url);
    assert_eq!(code, Some(1), "a bad ledger exits 1");
    assert_eq!(v.first_bad_seq, Some(3), "{v:?}");
    let (code, out, _) = cli(
        &sb,
        &coord.url,
        ADMIN_TOKEN,
        &["server", "ledger", "verify"],
    );
    assert_eq!(code, Some(1));
    assert!(
        out.contains("BAD at seq 3") && out.contains("edited"),
        "{out}"
    );
    db(&sb)
        .execute("UPDATE ledger SET amount = amount - 1 WHERE seq = 3", [])
        .expect("undo");
    assert!(admin.ledger_verify().await.expect("verify").ok);

    // …or deletes entry 5.
    db(&sb)
        .execute("DELETE FROM ledger WHERE seq = 5", [])
        .expect("delete");
    let (code, v, _) = verify_json(&sb, &coord.url);
    assert_eq!(code, Some(1));
    assert_eq!(v.first_bad_seq, Some(5), "{v:?}");
    assert!(v.reason.unwrap_or_default().contains("deleted"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fully_recomputed_chain_is_caught_by_the_signed_checkpoints() {
    let sb = Sandbox::new();
    let coord = Coordinator::start_with(&sb, checkpointed());
    let admin = coord.admin();
    let all = activity(&admin).await;
    let head = all.last().expect("entries").seq;
    checkpoint_covers_head(&admin, head).await;
    assert!(admin.ledger_verify().await.expect("verify").ok);

    // Rewrite entry 2 (a grant to oneself, say) and recompute every hash after it, so the chain
    // alone is consistent again.
    let conn = db(&sb);
    conn.execute("UPDATE ledger SET amount = amount + 5000 WHERE seq = 2", [])
        .expect("edit");
    let rows: Vec<LedgerEntry> = {
        let mut stmt = conn
            .prepare(
                "SELECT seq, at, kind, account, amount, task_id, actor FROM ledger ORDER BY seq",
            )
            .expect("prepare");
        stmt.query_map([], |r| {
            Ok(LedgerEntry {
                seq: r.get(0)?,
                at: r.get(1)?,
                kind: r.get(2)?,
                account: r.get(3)?,
                amount: r.get(4)?,
                task_id: r.get(5)?,
                actor: r.get(6)?,
                prev_hash: String::new(),
                hash: String::new(),
            })
        })
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows")
    };
    let mut prev = GENESIS;
    for e in &rows {
        let hash = entry_hash(&EntryFields::from(e), &prev);
        conn.execute(
            "UPDATE ledger SET prev_hash = ?2, hash = ?3 WHERE seq = ?1",
            edgecoder::server::store::db::params![e.seq, &prev[..], &hash[..]],
        )
        .expect("rewrite");
        prev = hash;
    }
    let (code, v, _) = verify_json(&sb, &coord.url);
    assert_eq!(code, Some(1), "{v:?}");
    assert!(v.first_bad_seq.is_some_and(|s| s <= 2), "{v:?}");
    assert!(
        v.reason
            .as_deref()
            .unwrap_or_default()
            .contains("checkpoint"),
        "{v:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_export_verifies_offline_and_tampering_with_it_is_found() {
    let sb = Sandbox::new();
    let coord = Coordinator::start_with(&sb, checkpointed());
    let admin = coord.admin();
    let all = activity(&admin).await;
    checkpoint_covers_head(&admin, all.last().expect("entries").seq).await;

    let (code, export, err) = cli(
        &sb,
        &coord.url,
        ADMIN_TOKEN,
        &["server", "ledger", "export", "--since", "0"],
    );
    assert_eq!(code, Some(0), "{err}");
    let lines: Vec<&str> = export.lines().collect();
    assert!(lines[0].contains("\"type\":\"header\""), "{}", lines[0]);
    assert_eq!(
        lines
            .iter()
            .filter(|l| l.contains("\"type\":\"entry\""))
            .count(),
        all.len()
    );
    assert!(lines.iter().any(|l| l.contains("\"type\":\"checkpoint\"")));
    let file = sb.path().join("export.jsonl");
    std::fs::write(&file, &export).expect("write export");
    let key = admin.ledger_checkpoints().await.expect("cps").public_key;

    let offline = |path: &std::path::Path, extra: &[&str]| {
        let mut cmd = sb.command();
        cmd.args(["ledger", "verify", "--file"])
            .arg(path)
            .args(extra);
        run_to_end(cmd, Duration::from_secs(30))
    };
    let (code, out, err) = offline(&file, &["--public-key", &key]);
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(out.starts_with("OK:"), "{out}");
    assert!(out.contains(&format!("{} entries", all.len())), "{out}");

    // An amount changed in the file is found, with its sequence number.
    // (A credit: a positive amount, so the edit below keeps the line valid JSON.)
    let target = all
        .iter()
        .find(|e| e.seq > 1 && e.amount > 0)
        .expect("a credit")
        .seq;
    let tampered: String = export
        .lines()
        .map(|l| {
            if l.contains(&format!("\"seq\":{target},")) && l.contains("\"type\":\"entry\"") {
                l.replacen("\"amount\":", "\"amount\":1", 1)
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    let bad = sb.path().join("tampered.jsonl");
    std::fs::write(&bad, tampered).expect("write");
    let (code, out, _) = offline(&bad, &["--json"]);
    assert_eq!(code, Some(1), "{out}");
    let v: LedgerVerify = serde_json::from_str(&out).expect("json");
    assert_eq!(v.first_bad_seq, Some(target), "{v:?}");

    // Another key than the coordinator's does not vouch for its checkpoints.
    let (code, out, _) = offline(&file, &["--public-key", &"11".repeat(32)]);
    assert_eq!(code, Some(1), "{out}");

    // A partial export verifies from where it starts.
    let (code, part, _) = cli(
        &sb,
        &coord.url,
        ADMIN_TOKEN,
        &["server", "ledger", "export", "--since", "3"],
    );
    assert_eq!(code, Some(0));
    let part_file = sb.path().join("part.jsonl");
    std::fs::write(&part_file, part).expect("write");
    let (code, out, err) = offline(&part_file, &[]);
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(out.contains(&format!("{} entries", all.len() - 3)), "{out}");

    // A file that is not an export gets a clear error naming the line.
    let junk = sb.path().join("junk.jsonl");
    std::fs::write(&junk, "{\"type\":\"header\"\n").expect("write");
    let (code, _, err) = offline(&junk, &[]);
    assert_eq!(code, Some(1));
    assert!(err.contains("line 1"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_chain_continues_across_restarts() {
    let sb = Sandbox::new();
    let mut coord = Coordinator::start_with(&sb, coordinator_only());
    let admin = coord.admin();
    let before = activity(&admin).await;
    let key = admin.ledger_checkpoints().await.expect("cps").public_key;
    coord.signal(libc::SIGTERM);
    assert_eq!(coord.wait_exit(Duration::from_secs(30)), Some(0));
    drop(coord);

    let coord = Coordinator::start_with(&sb, coordinator_only());
    let admin = coord.admin();
    let cps = admin.ledger_checkpoints().await.expect("cps");
    assert_eq!(
        cps.public_key, key,
        "the ledger key is kept in the data dir"
    );
    let head = before.last().expect("entries").seq;
    assert!(
        cps.checkpoints.iter().any(|c| c.seq == head),
        "the shutdown signed the head: {cps:?}"
    );
    let after = activity(&admin).await;
    assert_eq!(after[before.len()].seq, head + 1);
    assert_eq!(after[before.len()].prev_hash, before[before.len() - 1].hash);
    let v = admin.ledger_verify().await.expect("verify");
    assert!(v.ok && v.count == after.len() as u64, "{v:?}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(sb.data_dir().join("ledger-signing.key"))
            .expect("key file")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}
