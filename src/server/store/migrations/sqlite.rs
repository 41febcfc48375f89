//! SQLite's numbered schema migrations, applied in order at start and recorded in
//! `PRAGMA user_version`.
//!
//! Never edit a migration that has shipped: add the next one, here and in `postgres.rs`.

use rusqlite::Connection;

pub(super) const MIGRATIONS: &[&str] = &[
    // 1: the coordinator's first schema.
    r#"
    CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );

    -- API tokens (with a role) and enrollment tokens. Only SHA-256 hashes of secrets are stored.
    CREATE TABLE tokens (
        id           TEXT PRIMARY KEY,
        kind         TEXT NOT NULL CHECK (kind IN ('api', 'enroll')),
        role         TEXT CHECK (role IN ('admin', 'owner', 'user')),
        name         TEXT NOT NULL,
        hash         BLOB NOT NULL UNIQUE,
        created_at   INTEGER NOT NULL,
        created_by   TEXT,
        expires_at   INTEGER,
        uses_left    INTEGER,
        auto_approve INTEGER NOT NULL DEFAULT 0,
        revoked_at   INTEGER
    );

    CREATE TABLE nodes (
        id                TEXT PRIMARY KEY,
        name              TEXT NOT NULL,
        secret_hash       BLOB NOT NULL,
        state             TEXT NOT NULL CHECK (state IN ('pending', 'approved', 'rejected', 'removed')),
        draining          INTEGER NOT NULL DEFAULT 0,
        online            INTEGER NOT NULL DEFAULT 0,
        labels            TEXT NOT NULL DEFAULT '{}',
        capabilities      TEXT NOT NULL DEFAULT '{}',
        registered_at     INTEGER NOT NULL,
        enrolled_with     TEXT,
        last_heartbeat_at INTEGER,
        load              REAL,
        running_tasks     INTEGER NOT NULL DEFAULT 0,
        address           TEXT
    );
    CREATE INDEX nodes_online ON nodes (online, last_heartbeat_at);

    CREATE TABLE tasks (
        seq              INTEGER PRIMARY KEY AUTOINCREMENT,
        id               TEXT NOT NULL UNIQUE,
        state            TEXT NOT NULL,
        command          TEXT NOT NULL,
        env              TEXT NOT NULL,
        files            TEXT NOT NULL,
        timeout_ms       INTEGER NOT NULL,
        requirements     TEXT NOT NULL,
        plain            INTEGER NOT NULL,
        placement        TEXT NOT NULL,
        network          INTEGER NOT NULL,
        priority         INTEGER NOT NULL,
        max_attempts     INTEGER NOT NULL,
        attempts         INTEGER NOT NULL DEFAULT 0,
        idempotency_key  TEXT,
        submitted_by     TEXT NOT NULL,
        created_at       INTEGER NOT NULL,
        updated_at       INTEGER NOT NULL,
        not_before       INTEGER NOT NULL DEFAULT 0,
        finished_at      INTEGER,
        node_id          TEXT,
        exit_code        INTEGER,
        error            TEXT,
        cancel_requested INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX tasks_queue ON tasks (priority DESC, seq) WHERE state = 'queued';
    CREATE INDEX tasks_state ON tasks (state, seq);
    CREATE INDEX tasks_node ON tasks (node_id, seq);
    CREATE UNIQUE INDEX tasks_idempotency ON tasks (submitted_by, idempotency_key)
        WHERE idempotency_key IS NOT NULL;

    -- The live lease of a task, at most one. A row leaves when its attempt ends.
    CREATE TABLE leases (
        id         TEXT PRIMARY KEY,
        task_id    TEXT NOT NULL UNIQUE REFERENCES tasks (id),
        node_id    TEXT NOT NULL,
        attempt    INTEGER NOT NULL,
        issued_at  INTEGER NOT NULL,
        accept_by  INTEGER NOT NULL,
        started_at INTEGER,
        expires_at INTEGER NOT NULL,
        deadline   INTEGER NOT NULL
    );
    CREATE INDEX leases_node ON leases (node_id);

    -- Every attempt ever made, for `tasks show` and for paying only what was really run.
    CREATE TABLE attempts (
        task_id      TEXT NOT NULL REFERENCES tasks (id),
        number       INTEGER NOT NULL,
        node_id      TEXT NOT NULL,
        lease_id     TEXT NOT NULL,
        claimed_at   INTEGER NOT NULL,
        started_at   INTEGER,
        finished_at  INTEGER,
        outcome      TEXT NOT NULL,
        exit_code    INTEGER,
        error        TEXT,
        duration_ms  INTEGER,
        cpu_ms       INTEGER,
        peak_rss_kib INTEGER,
        PRIMARY KEY (task_id, number)
    );

    CREATE TABLE task_logs (
        task_id TEXT NOT NULL,
        attempt INTEGER NOT NULL,
        offset  INTEGER NOT NULL,
        stream  TEXT NOT NULL,
        data    TEXT NOT NULL,
        PRIMARY KEY (task_id, attempt, offset)
    ) WITHOUT ROWID;

    CREATE TABLE events (
        id      INTEGER PRIMARY KEY AUTOINCREMENT,
        at      INTEGER NOT NULL,
        kind    TEXT NOT NULL,
        task_id TEXT,
        node_id TEXT,
        data    TEXT NOT NULL
    );
    CREATE INDEX events_task ON events (task_id, id) WHERE task_id IS NOT NULL;
    "#,
    // 2: the control plane: who decided about a node, the blacklist, the audit log.
    r#"
    ALTER TABLE nodes ADD COLUMN decided_by TEXT;
    ALTER TABLE nodes ADD COLUMN decided_by_name TEXT;
    ALTER TABLE nodes ADD COLUMN decided_at INTEGER;
    -- Whether any blacklist entry matches the node (by id or address); kept in step with
    -- `blacklist` by the coordinator so the claim path reads one column.
    ALTER TABLE nodes ADD COLUMN blacklisted INTEGER NOT NULL DEFAULT 0;
    CREATE INDEX nodes_address ON nodes (address);

    -- Exactly one of node_id and address names what is refused.
    CREATE TABLE blacklist (
        id         TEXT PRIMARY KEY,
        node_id    TEXT UNIQUE,
        address    TEXT UNIQUE,
        reason     TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        created_by TEXT NOT NULL,
        CHECK ((node_id IS NULL) != (address IS NULL))
    );

    -- Every admin and owner action; before/after are JSON views of the target.
    CREATE TABLE audit (
        id         INTEGER PRIMARY KEY AUTOINCREMENT,
        at         INTEGER NOT NULL,
        actor      TEXT NOT NULL,
        actor_name TEXT NOT NULL,
        action     TEXT NOT NULL,
        target     TEXT NOT NULL,
        before     TEXT,
        after      TEXT
    );
    CREATE INDEX audit_target ON audit (target, id);
    "#,
    // 3: credits and the hash-chained ledger (see src/server/store/ledger/ and docs/decisions.md).
    r#"
    -- Append-only. `hash` covers the other columns (canonical bytes, src/api/ledger_chain.rs).
    CREATE TABLE ledger (
        seq       INTEGER PRIMARY KEY,
        at        INTEGER NOT NULL,
        kind      TEXT NOT NULL,
        account   TEXT NOT NULL,
        amount    INTEGER NOT NULL,
        task_id   TEXT,
        actor     TEXT,
        prev_hash BLOB NOT NULL,
        hash      BLOB NOT NULL
    );
    CREATE INDEX ledger_account ON ledger (account, seq);
    -- Issuance reads earnings by time; only `earn` entries are indexed (cheaper appends).
    CREATE INDEX ledger_earn_at ON ledger (at) WHERE kind = 'earn';

    -- Balances derived from the ledger, kept in step in the same transaction as each entry.
    CREATE TABLE credit_accounts (
        id         TEXT PRIMARY KEY,
        kind       TEXT NOT NULL CHECK (kind IN ('treasury', 'user', 'node')),
        balance    INTEGER NOT NULL DEFAULT 0,
        held       INTEGER NOT NULL DEFAULT 0,
        earned     INTEGER NOT NULL DEFAULT 0,
        spent      INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL
    );
    INSERT INTO credit_accounts (id, kind, created_at) VALUES ('treasury', 'treasury', 0);

    -- A task's hold and the price agreed when it was submitted; settled or released once.
    CREATE TABLE task_charges (
        task_id        TEXT PRIMARY KEY,
        account        TEXT NOT NULL,
        state          TEXT NOT NULL CHECK (state IN ('held', 'settled', 'released')),
        hold           INTEGER NOT NULL,
        gpu            INTEGER NOT NULL,
        rate           INTEGER NOT NULL,
        multiplier_bps INTEGER NOT NULL,
        minimum        INTEGER NOT NULL,
        fee_bps        INTEGER NOT NULL,
        node_id        TEXT,
        billable_ms    INTEGER,
        charged        INTEGER,
        fee            INTEGER,
        ended_at       INTEGER
    );

    -- Signed (seq, head hash) statements: a rewritten history is caught even when every hash
    -- after the change was recomputed.
    CREATE TABLE ledger_checkpoints (
        seq       INTEGER PRIMARY KEY,
        at        INTEGER NOT NULL,
        head_hash BLOB NOT NULL,
        signature BLOB NOT NULL
    );
    "#,
    // 4: self-update status and history (issue 7); a row outlives the process it describes.
    r#"
    CREATE TABLE updates (
        id                 TEXT PRIMARY KEY,
        state              TEXT NOT NULL
            CHECK (state IN ('deferred', 'restarting', 'succeeded', 'failed', 'rolled_back')),
        from_version       TEXT NOT NULL,
        to_version         TEXT NOT NULL,
        binary             TEXT NOT NULL,
        sha256             TEXT NOT NULL,
        started_by         TEXT NOT NULL,
        started_at         INTEGER NOT NULL,
        updated_at         INTEGER NOT NULL,
        finished_at        INTEGER,
        drain_deadline     INTEGER NOT NULL,
        -- The local worker's node id when this update drained it (and must undrain it after).
        drained_local_node TEXT,
        message            TEXT
    );
    CREATE INDEX updates_started ON updates (started_at);
    "#,
    // 5: settlement off the random pages. A task's hold and price move into the task row (JSON,
    // src/server/store/ledger/charges.rs), which is written at submission and at the end anyway,
    // where the table keyed by the random task id put every hold on a page of its own; entries
    // are indexed by account in bulk by the ledger upkeep (src/server/store/ledger/history.rs), not on
    // every insert.
    r#"
    DROP INDEX ledger_account;
    CREATE TABLE ledger_by_account (
        account TEXT NOT NULL,
        seq     INTEGER NOT NULL,
        PRIMARY KEY (account, seq)
    ) WITHOUT ROWID;
    INSERT INTO ledger_by_account (account, seq) SELECT account, seq FROM ledger;
    INSERT INTO meta (key, value)
        SELECT 'ledger_indexed_upto', CAST(COALESCE(MAX(seq), 0) AS TEXT) FROM ledger;

    ALTER TABLE tasks ADD COLUMN charge TEXT;
    UPDATE tasks SET charge = (
        SELECT json_object(
            'account', c.account, 'state', c.state, 'hold', c.hold,
            'gpu', json(CASE WHEN c.gpu THEN 'true' ELSE 'false' END), 'rate', c.rate,
            'multiplier_bps', c.multiplier_bps, 'minimum', c.minimum, 'fee_bps', c.fee_bps,
            'node_id', c.node_id, 'billable_ms', c.billable_ms, 'charged', c.charged,
            'fee', c.fee, 'ended_at', c.ended_at)
        FROM task_charges c WHERE c.task_id = tasks.id)
    WHERE id IN (SELECT task_id FROM task_charges);
    DROP TABLE task_charges;
    "#,
    // 6: task secrets, sealed (src/server/store/secrets.rs), apart from `env`; dropped as soon
    // as their task ends or is deleted.
    r#"
    CREATE TABLE task_secrets (
        task_id TEXT PRIMARY KEY,
        sealed  BLOB NOT NULL
    );
    CREATE TRIGGER task_secrets_end AFTER UPDATE OF state ON tasks
        WHEN NEW.state IN ('succeeded', 'failed', 'cancelled', 'timed_out')
    BEGIN
        DELETE FROM task_secrets WHERE task_id = NEW.id;
    END;
    CREATE TRIGGER task_secrets_delete AFTER DELETE ON tasks
    BEGIN
        DELETE FROM task_secrets WHERE task_id = OLD.id;
    END;
    "#,
    // 7: listings read a stored one-line summary instead of the whole command (issue 12 §3), and
    // retention finds finished tasks by when they ended.
    r#"
    ALTER TABLE tasks ADD COLUMN summary TEXT NOT NULL DEFAULT '';
    ALTER TABLE tasks ADD COLUMN kind TEXT NOT NULL DEFAULT 'argv';
    UPDATE tasks SET kind = 'script'
        WHERE json_valid(command) AND json_type(command, '$.script') IS NOT NULL;
    UPDATE tasks SET summary = COALESCE(substr(
        CASE WHEN json_type(command, '$.script') IS NOT NULL
            THEN substr(json_extract(command, '$.script'), 1,
                        instr(json_extract(command, '$.script') || char(10), char(10)) - 1)
            ELSE (SELECT group_concat(value, ' ') FROM json_each(command, '$.argv'))
        END, 1, 200), '')
    WHERE json_valid(command);
    CREATE INDEX tasks_finished ON tasks (finished_at) WHERE finished_at IS NOT NULL;
    CREATE INDEX events_untasked ON events (at) WHERE task_id IS NULL;
    "#,
    // 8: coding tasks (issue 14): what the model did, stored with its task, and the tokens it
    // took in their own columns for per-token pricing.
    r#"
    ALTER TABLE tasks ADD COLUMN code_result TEXT;
    ALTER TABLE tasks ADD COLUMN tokens_in INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE tasks ADD COLUMN tokens_out INTEGER NOT NULL DEFAULT 0;
    "#,
    // 9: host-friendly volunteering (issue 20): the node's own verdict from its last heartbeat
    // (NULL: an agent that does not report one), and a drain's deadline, past which the
    // node's running tasks are handed back to the queue.
    r#"
    ALTER TABLE nodes ADD COLUMN host_paused INTEGER;
    ALTER TABLE nodes ADD COLUMN host_reason TEXT;
    ALTER TABLE nodes ADD COLUMN drain_deadline INTEGER;
    "#,
    // 10: the content-addressed blob store (issue 17): one row per stored file (the bytes live
    // under `<data dir>/blobs/ab/abcdef…`), and which tasks refer to which blob (a task's source;
    // its artifacts), so reading is allowed by task visibility and retention finds unreferenced
    // blobs.
    r#"
    CREATE TABLE blobs (
        sha256             TEXT PRIMARY KEY,
        size               INTEGER NOT NULL,
        created_at         INTEGER NOT NULL,
        last_referenced_at INTEGER NOT NULL
    );
    CREATE INDEX blobs_referenced ON blobs (last_referenced_at);
    CREATE TABLE blob_refs (
        sha256  TEXT NOT NULL,
        task_id TEXT NOT NULL,
        kind    TEXT NOT NULL,
        PRIMARY KEY (sha256, task_id, kind)
    );
    CREATE INDEX blob_refs_task ON blob_refs (task_id);
    "#,
    // 11: artifacts and caches (issue 17): what the submission asked to keep (globs, caches, as
    // JSON, NULL: none) for the agent that runs it, and the artifacts its attempt kept.
    r#"
    ALTER TABLE tasks ADD COLUMN artifact_globs TEXT;
    ALTER TABLE tasks ADD COLUMN caches TEXT;
    ALTER TABLE tasks ADD COLUMN artifacts TEXT;
    "#,
    // 12: tasks as CI steps (issue 17): a name for people, and the rule (JSON `RetryRule`) by
    // which a run that exited non-zero is tried again; NULL: never. A node's recent tasks are
    // found through the existing `tasks_node` index.
    r#"
    ALTER TABLE tasks ADD COLUMN name TEXT;
    ALTER TABLE tasks ADD COLUMN retry TEXT;
    "#,
    // 13: git sources (issue 17): the repository and rev a task's working dir is checked out
    // from, and the name of the task secret holding its credentials (never the credentials).
    r#"
    CREATE TABLE task_git_sources (
        task_id            TEXT PRIMARY KEY,
        url                TEXT NOT NULL,
        rev                TEXT NOT NULL,
        credentials_secret TEXT
    );
    "#,
    // 14: jobs (issue 15): a request decomposed into subtasks that run as tasks of the queue
    // (src/server/jobs/). `job_subtasks` holds each subtask and the task running it now;
    // `job_tasks` links every task a job ever made (each round of each subtask, the check) back
    // to it, so the event stream can follow a job and a restart re-derives everything. Job
    // events carry their job in `events.job_id`.
    r#"
    CREATE TABLE jobs (
        id               TEXT PRIMARY KEY,
        state            TEXT NOT NULL,
        request          TEXT NOT NULL,
        prompt           TEXT NOT NULL,
        language         TEXT NOT NULL,
        submitted_by     TEXT NOT NULL,
        account          TEXT NOT NULL,
        idempotency_key  TEXT,
        created_at       INTEGER NOT NULL,
        updated_at       INTEGER NOT NULL,
        finished_at      INTEGER,
        error            TEXT,
        decompose_tries  INTEGER NOT NULL DEFAULT 0,
        next_try_at      INTEGER NOT NULL DEFAULT 0,
        check_task_id    TEXT,
        result           TEXT
    );
    CREATE UNIQUE INDEX jobs_idempotency ON jobs (submitted_by, idempotency_key)
        WHERE idempotency_key IS NOT NULL;
    CREATE INDEX jobs_created ON jobs (created_at);
    CREATE INDEX jobs_open ON jobs (state) WHERE finished_at IS NULL;
    CREATE TABLE job_subtasks (
        job_id      TEXT NOT NULL,
        seq         INTEGER NOT NULL,
        subtask_id  TEXT NOT NULL,
        spec        TEXT NOT NULL,
        state       TEXT NOT NULL DEFAULT 'waiting',
        task_id     TEXT,
        round       INTEGER NOT NULL DEFAULT 0,
        escalated   INTEGER NOT NULL DEFAULT 0,
        error       TEXT,
        next_try_at INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (job_id, subtask_id)
    );
    CREATE TABLE job_tasks (
        task_id    TEXT PRIMARY KEY,
        job_id     TEXT NOT NULL,
        subtask_id TEXT,
        round      INTEGER NOT NULL
    );
    CREATE INDEX job_tasks_job ON job_tasks (job_id);
    ALTER TABLE events ADD COLUMN job_id TEXT;
    CREATE INDEX events_job ON events (job_id, id) WHERE job_id IS NOT NULL;
    "#,
    // 15: what a job still holds of its quote (src/server/store/ledger/job_holds.rs): the quote
    // is held at acceptance, each task of the job draws its own hold out of it, the rest is
    // released when the job ends. Jobs accepted before hold nothing.
    r#"
    ALTER TABLE jobs ADD COLUMN held INTEGER NOT NULL DEFAULT 0;
    "#,
    // 16: the coordinators of a group sharing one database (issue 19): each is alive while it
    // renews its row (src/server/store/coordinators.rs).
    r#"
    CREATE TABLE coordinators (
        id         TEXT PRIMARY KEY,
        started_at INTEGER NOT NULL,
        seen_at    INTEGER NOT NULL
    );
    "#,
];

/// The schema version the file is at (0: a new, empty file).
pub(super) fn version(conn: &Connection) -> Result<u32, String> {
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .map_err(|e| format!("cannot read schema version: {e}"))?;
    u32::try_from(version).map_err(|_| format!("schema version {version} is not valid"))
}

/// Brings the schema up to date; refuses a database made by a newer edgecoder.
pub(super) fn run(conn: &mut Connection) -> Result<(), String> {
    let current = version(conn)?;
    super::refuse_newer(current)?;
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(current as usize) {
        let version = index as i64 + 1;
        let tx = conn
            .transaction()
            .map_err(|e| format!("migration {version}: {e}"))?;
        tx.execute_batch(sql)
            .map_err(|e| format!("migration {version}: {e}"))?;
        tx.pragma_update(None, "user_version", version)
            .map_err(|e| format!("migration {version}: {e}"))?;
        tx.commit()
            .map_err(|e| format!("migration {version}: {e}"))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Applies the first `upto` migrations only, as an older edgecoder left the file.
    fn migrate_to(conn: &mut Connection, upto: usize) {
        for (index, sql) in MIGRATIONS.iter().enumerate().take(upto) {
            conn.execute_batch(sql).expect("old migration");
            conn.pragma_update(None, "user_version", index as i64 + 1)
                .expect("version");
        }
    }

    #[test]
    fn holds_and_account_history_survive_migration_5() {
        let mut conn = Connection::open_in_memory().expect("db");
        migrate_to(&mut conn, 4);
        conn.execute_batch(
            "INSERT INTO tasks (id, state, command, env, files, timeout_ms, requirements, plain, \
             placement, network, priority, max_attempts, submitted_by, created_at, updated_at) \
             VALUES ('aaaa', 'queued', '[]', '{}', '[]', 1000, '{}', 1, 'any', 0, 0, 1, 't', 0, 0), \
                    ('bbbb', 'succeeded', '[]', '{}', '[]', 1000, '{}', 1, 'any', 0, 0, 1, 't', 0, 0); \
             INSERT INTO task_charges (task_id, account, state, hold, gpu, rate, multiplier_bps, \
             minimum, fee_bps, node_id, charged, fee) VALUES \
             ('bbbb', 'treasury', 'settled', 500, 0, 10, 10000, 1, 100, 'n1', 40, 1), \
             ('aaaa', 'user:t', 'held', 700, 1, 40, 8000, 1, 100, NULL, NULL, NULL); \
             INSERT INTO ledger (seq, at, kind, account, amount, prev_hash, hash) VALUES \
             (1, 0, 'hold', 'treasury', -500, x'00', x'01'), \
             (2, 0, 'hold', 'user:t', -700, x'01', x'02');",
        )
        .expect("v4 rows");
        run(&mut conn).expect("migrate");
        let conn = crate::server::store::db::Db::from_sqlite(conn);
        let charge = |id: &str| {
            crate::server::store::ledger::charges::task_charge(&conn, id)
                .expect("charge after migration")
        };
        let (settled, held) = (charge("bbbb"), charge("aaaa"));
        assert_eq!(
            (
                settled.state.as_str(),
                settled.hold,
                settled.charged,
                settled.fee
            ),
            ("settled", 500, Some(40), Some(1))
        );
        assert_eq!(settled.node_id.as_deref(), Some("n1"));
        assert!(!settled.gpu);
        assert_eq!(
            (
                held.account.as_str(),
                held.state.as_str(),
                held.hold,
                held.charged
            ),
            ("user:t", "held", 700, None)
        );
        assert!(held.gpu);
        assert_eq!((held.rate_per_second, held.multiplier_bps), (40, 8000));
        let indexed: Vec<(String, i64)> = conn
            .prepare("SELECT account, seq FROM ledger_by_account ORDER BY account")
            .expect("prepare")
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .expect("query")
            .collect::<Result<_, _>>()
            .expect("rows");
        assert_eq!(indexed, vec![("treasury".into(), 1), ("user:t".into(), 2)]);
        let upto: String = conn
            .query_row(
                "SELECT value FROM meta WHERE key = 'ledger_indexed_upto'",
                [],
                |r| r.get(0),
            )
            .expect("upto");
        assert_eq!(upto, "2");
    }

    #[test]
    fn migration_7_backfills_listing_summaries() {
        let mut conn = Connection::open_in_memory().expect("db");
        migrate_to(&mut conn, 5);
        conn.execute_batch(
            "INSERT INTO tasks (id, state, command, env, files, timeout_ms, requirements, plain, \
             placement, network, priority, max_attempts, submitted_by, created_at, updated_at) \
             VALUES ('a', 'queued', '{\"argv\":[\"echo\",\"hi\"]}', '{}', '[]', 1, '{}', 1, \
                     'mesh', 1, 0, 1, 't', 0, 0), \
                    ('b', 'queued', '{\"script\":\"ls\\nrm x\"}', '{}', '[]', 1, '{}', 1, \
                     'mesh', 1, 0, 1, 't', 0, 0);",
        )
        .expect("v5 rows");
        run(&mut conn).expect("migrate");
        let summaries: Vec<String> = conn
            .prepare("SELECT summary FROM tasks ORDER BY id")
            .expect("prepare")
            .query_map([], |r| r.get(0))
            .expect("query")
            .collect::<Result<_, _>>()
            .expect("rows");
        assert_eq!(summaries, vec!["echo hi".to_string(), "ls".to_string()]);
    }

    #[test]
    fn migration_9_leaves_earlier_nodes_unreported_and_without_a_deadline() {
        let mut conn = Connection::open_in_memory().expect("db");
        migrate_to(&mut conn, 8);
        conn.execute_batch(
            "INSERT INTO nodes (id, name, secret_hash, state, registered_at) \
             VALUES ('n1', 'old', x'00', 'approved', 0);",
        )
        .expect("v8 row");
        run(&mut conn).expect("migrate");
        let conn = crate::server::store::db::Db::from_sqlite(conn);
        let node = crate::server::store::nodes::get(&conn, "n1").expect("node");
        assert_eq!((&node.host, node.drain_deadline), (&None, None));
        assert_eq!(node.host_label(), "running");
    }
}
