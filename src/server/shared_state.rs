//! A coordinator among others on one PostgreSQL database: its place in the group (renewed every
//! second, so the group knows who is alive and who sweeps), the keys they must share, and what
//! it keeps in memory that an admin may change through another (the network mode and the
//! blacklisted addresses), read again every second. Alone on SQLite, only the last is read,
//! once, at start.

use super::AppState;
use super::error::ApiError;
use super::store;
use super::store::db::OptionalExtension;
use crate::api::NetworkModeInfo;
use std::time::Duration;

/// Reads the control plane's state from the store and puts it in force.
pub(super) async fn apply_control_state(app: &AppState) -> Result<NetworkModeInfo, ApiError> {
    let configured = app.settings.network_mode;
    let info = app
        .store
        .read(move |c| store::network_mode::load(c, configured))
        .await?;
    app.control.set_network_mode(info.mode);
    let addresses = app.store.read(store::blacklist::addresses).await?;
    app.control.set_blocked_addresses(&addresses);
    Ok(info)
}

/// Every second: this coordinator is still alive, and what another coordinator of the group
/// may have changed is read again.
pub(super) async fn refresh_loop(app: AppState) {
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        if let Err(e) = renew_membership(&app).await {
            tracing::debug!(
                "cannot renew this coordinator's place in the group: {}",
                e.detail()
            );
        }
        if let Err(e) = apply_control_state(&app).await {
            tracing::debug!("cannot refresh the control plane's state: {}", e.detail());
        }
    }
}

/// The keys every coordinator of a group must hold alike, by name in `meta` and fingerprint.
fn group_keys(app: &AppState) -> [(&'static str, &'static str, String); 2] {
    let ledger: String = app
        .ledger_key
        .verifying_key()
        .to_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    [
        (
            "group_ledger_key",
            store::ledger::checkpoints::KEY_FILE,
            ledger,
        ),
        (
            "group_secrets_key",
            store::secrets::KEY_FILE,
            app.secrets_key.fingerprint(),
        ),
    ]
}

/// On a shared database, the first coordinator records which keys it signs the ledger and
/// seals task secrets with; a later one holding other keys is refused at start, since its
/// checkpoints would not verify and it could not open the secrets the others sealed.
pub(super) async fn check_group_keys(app: &AppState) -> Result<(), String> {
    let keys = group_keys(app);
    let data_dir = app.settings.data_dir.clone();
    app.store
        .write(move |ctx| {
            for (name, file, mine) in &keys {
                let recorded: Option<String> = ctx
                    .conn
                    .query_row("SELECT value FROM meta WHERE key = ?1", [name], |r| {
                        r.get(0)
                    })
                    .optional()?;
                match recorded {
                    None => {
                        ctx.conn.execute(
                            "INSERT INTO meta (key, value) VALUES (?1, ?2)",
                            [name, mine.as_str()],
                        )?;
                    }
                    Some(theirs) if &theirs == mine => {}
                    Some(_) => {
                        return Err(ApiError::conflict(
                            "key_mismatch",
                            format!(
                                "{file} in {} is not the key the other coordinators on this \
                                 database use: copy {file} from one of them into this data dir \
                                 (and keep it secret), then start again",
                                data_dir.display()
                            ),
                        ));
                    }
                }
            }
            Ok(())
        })
        .await
        .map_err(|e| e.detail())
}

/// Records this coordinator in the group (on a shared database); whether another was already
/// running, in which case the fleet's leases were not left to expire by an outage.
pub(super) async fn join_group(app: &AppState) -> Result<bool, ApiError> {
    let Some(me) = app.group_id.clone() else {
        return Ok(false);
    };
    let started_at = app.started_at;
    let id = me.clone();
    let others = app
        .store
        .write(move |ctx| {
            let others = store::coordinators::others_alive(ctx, &id)?;
            store::coordinators::renew(ctx, &id, started_at)?;
            Ok(others)
        })
        .await?;
    tracing::info!("joined the group of coordinators on this database as {me}");
    Ok(others)
}

/// A clean stop leaves the group at once (the next sweeper need not wait for this one to age out).
pub(super) async fn leave_group(app: &AppState) {
    if let Some(me) = app.group_id.clone()
        && let Err(e) = app
            .store
            .write(move |ctx| store::coordinators::leave(ctx, &me))
            .await
    {
        tracing::debug!("cannot leave the group: {}", e.detail());
    }
}

/// Whether this coordinator leads its group (always, alone on its database): the leader drives
/// jobs, so two coordinators do not ask the inference service the same question.
pub async fn leads(app: &AppState) -> bool {
    let Some(me) = app.group_id.clone() else {
        return true;
    };
    let now = crate::api::now_ms();
    app.store
        .read(move |c| store::coordinators::leads(c, &me, now))
        .await
        .unwrap_or(false)
}

async fn renew_membership(app: &AppState) -> Result<(), ApiError> {
    let Some(me) = app.group_id.clone() else {
        return Ok(());
    };
    let started_at = app.started_at;
    app.store
        .write(move |ctx| store::coordinators::renew(ctx, &me, started_at))
        .await
}
