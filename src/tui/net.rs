//! The network side: tokio tasks that poll the coordinator (the jobs' poller is in `tui::jobs`),
//! follow its event stream, watch the open task and run actions, each sending what it learns to
//! the UI as a message. The UI only ever sends requests here and never waits on the network.

use super::msg::{Failure, Msg, Net, Request};
use super::state::{CreditData, Credits, Snapshot};
use crate::api::client::{Client, ClientError};
use crate::api::follow::{Follower, Update, is_auth_error};
use crate::api::{TaskSummary, now_ms};
use std::collections::HashSet;
use std::sync::Arc;
use std::sync::mpsc::Sender;
use std::time::Duration;
use tokio::sync::Notify;
use tokio::sync::mpsc::{UnboundedSender, unbounded_channel};
use tokio::task::JoinHandle;

/// Polls no more often than this, however many events nudge it.
const POLL_FLOOR: Duration = Duration::from_secs(1);
/// Polls this often when nothing happens (events nudge it sooner).
const POLL_IDLE: Duration = Duration::from_secs(5);
/// Retry period while the coordinator cannot be reached.
const RETRY: Duration = Duration::from_secs(2);
/// Credits are polled every this many polls; the ledger is verified every this many of those.
const CREDITS_EVERY: u32 = 3;
const VERIFY_EVERY: u32 = 4;
/// The newest tasks listed (plus every leased and running one).
pub const TASKS_LISTED: u32 = 500;
const LEDGER_SHOWN: i64 = 200;
const WATCH_PERIOD: Duration = Duration::from_secs(1);

fn failure(e: ClientError) -> Failure {
    match &e {
        ClientError::Api { message, code, .. } if is_auth_error(&e) => {
            Failure::Unauthorised(format!("{message} ({code})"))
        }
        ClientError::Unreachable { reason, .. } => Failure::Unreachable(reason.clone()),
        _ => Failure::Other(e.to_string()),
    }
}

/// Starts the network side on `rt`; returns where to send requests.
pub fn start(
    rt: &tokio::runtime::Handle,
    client: Client,
    ui: Sender<Msg>,
) -> UnboundedSender<Request> {
    let (tx, mut rx) = unbounded_channel::<Request>();
    let poke = Arc::new(Notify::new());
    let retry_stream = Arc::new(Notify::new());
    let credits_now = Arc::new(std::sync::atomic::AtomicBool::new(true));
    rt.spawn(poller(
        client.clone(),
        ui.clone(),
        poke.clone(),
        credits_now.clone(),
    ));
    let jobs_poke = Arc::new(Notify::new());
    rt.spawn(super::jobs::poller(
        client.clone(),
        ui.clone(),
        jobs_poke.clone(),
    ));
    rt.spawn(follow_events(
        client.clone(),
        ui.clone(),
        [poke.clone(), jobs_poke.clone()],
        retry_stream.clone(),
    ));
    rt.spawn(async move {
        let mut watcher: Option<JoinHandle<()>> = None;
        while let Some(req) = rx.recv().await {
            match req {
                Request::Refresh => {
                    credits_now.store(true, std::sync::atomic::Ordering::Relaxed);
                    poke.notify_one();
                    jobs_poke.notify_one();
                    retry_stream.notify_one();
                }
                Request::NodeAction { id, action } => {
                    let (client, ui, poke) = (client.clone(), ui.clone(), poke.clone());
                    tokio::spawn(async move {
                        let done = match client.node_action(&id, action).await {
                            Ok(n) => Ok(format!("{action}: {} done", n.name)),
                            Err(e) => Err(format!("{action} {id} failed: {e}")),
                        };
                        let _ = ui.send(Msg::Net(Net::Done(done)));
                        poke.notify_one();
                    });
                }
                Request::CancelTask(id) => {
                    let (client, ui, poke) = (client.clone(), ui.clone(), poke.clone());
                    tokio::spawn(async move {
                        let done = match client.cancel(&id).await {
                            Ok(t) => Ok(format!(
                                "task {} cancel requested (now {})",
                                crate::fmt::short_id(&t.id),
                                t.state.as_str()
                            )),
                            Err(e) => Err(format!("cancel {id} failed: {e}")),
                        };
                        let _ = ui.send(Msg::Net(Net::Done(done)));
                        poke.notify_one();
                    });
                }
                Request::CancelJob(id) => {
                    let (client, ui, poke) = (client.clone(), ui.clone(), jobs_poke.clone());
                    tokio::spawn(async move {
                        let done = match client.cancel_job(&id).await {
                            Ok(j) => Ok(format!(
                                "job {} cancel requested (now {})",
                                crate::fmt::short_id(&j.id),
                                j.state.as_str()
                            )),
                            Err(e) => Err(format!("cancel job {id} failed: {e}")),
                        };
                        let _ = ui.send(Msg::Net(Net::Done(done)));
                        poke.notify_one();
                    });
                }
                Request::Watch(id) => {
                    if let Some(w) = watcher.take() {
                        w.abort();
                    }
                    if let Some(id) = id {
                        watcher = Some(tokio::spawn(watch_task(client.clone(), ui.clone(), id)));
                    }
                }
            }
        }
    });
    tx
}

async fn poller(
    client: Client,
    ui: Sender<Msg>,
    poke: Arc<Notify>,
    credits_now: Arc<std::sync::atomic::AtomicBool>,
) {
    let mut polls: u32 = 0;
    let mut verify = None;
    let mut role = None;
    loop {
        let started = tokio::time::Instant::now();
        let result = poll(&client).await;
        let ok = result.is_ok();
        let refused = matches!(result, Err(Failure::Unauthorised(_)));
        let msg = match result {
            Ok(snap) => Net::Snapshot(Box::new(snap)),
            Err(f) => Net::PollFailed(f),
        };
        if ui.send(Msg::Net(msg)).is_err() {
            return; // the UI is gone
        }
        let forced = credits_now.swap(false, std::sync::atomic::Ordering::Relaxed);
        if ok && (forced || polls.is_multiple_of(CREDITS_EVERY)) {
            let check = forced || (polls / CREDITS_EVERY).is_multiple_of(VERIFY_EVERY);
            let credits = poll_credits(&client, check, &mut verify, &mut role).await;
            let _ = ui.send(Msg::Net(Net::Credits(credits)));
        }
        polls = polls.wrapping_add(1);
        if refused {
            // A refused token does not get better by asking again: wait for `r`.
            poke.notified().await;
            continue;
        }
        let wait = if ok { POLL_IDLE } else { RETRY };
        tokio::select! {
            _ = tokio::time::sleep(wait) => {}
            _ = poke.notified() => {}
        }
        tokio::time::sleep_until(started + POLL_FLOOR).await;
    }
}

/// One look at the coordinator: status, the newest tasks plus every active one, and the nodes.
pub async fn poll(client: &Client) -> Result<Snapshot, Failure> {
    let newest = format!("limit={TASKS_LISTED}");
    let (status, newest, running, leased, nodes) = tokio::try_join!(
        client.status(),
        client.tasks(&newest),
        client.tasks("state=running&limit=1000"),
        client.tasks("state=leased&limit=1000"),
        client.nodes(),
    )
    .map_err(failure)?;
    Ok(Snapshot {
        status,
        tasks: merge_tasks(newest.tasks, running.tasks.into_iter().chain(leased.tasks)),
        nodes: nodes.nodes,
        at: now_ms(),
    })
}

/// The newest tasks, then active ones that are older, each once, newest first.
fn merge_tasks(
    mut newest: Vec<TaskSummary>,
    active: impl Iterator<Item = TaskSummary>,
) -> Vec<TaskSummary> {
    let seen: HashSet<String> = newest.iter().map(|t| t.id.clone()).collect();
    let older: Vec<TaskSummary> = active.filter(|t| !seen.contains(&t.id)).collect();
    if !older.is_empty() {
        newest.extend(older);
        newest.sort_by_key(|t| std::cmp::Reverse(t.created_at));
    }
    newest
}

async fn poll_credits(
    client: &Client,
    check: bool,
    verify: &mut Option<crate::api::LedgerVerify>,
    role: &mut Option<crate::api::Role>,
) -> Credits {
    let accounts = match client.credit_accounts().await {
        Ok(a) => a.accounts,
        Err(e) if e.status() == Some(404) && e.code() == Some(crate::api::codes::NO_ROUTE) => {
            return Credits::Disabled;
        }
        Err(e) => return Credits::Unavailable(e.to_string()),
    };
    if role.is_none() {
        // Asked once: what the token may see of the accounts decides "0" from "not yours".
        *role = client.whoami().await.ok().map(|w| w.role);
    }
    if check || verify.is_none() {
        *verify = client.ledger_verify().await.ok();
    }
    let head = verify.as_ref().map(|v| v.head_seq).unwrap_or(0);
    let mut entries = match client
        .ledger((head - LEDGER_SHOWN).max(0), LEDGER_SHOWN as u32)
        .await
    {
        Ok(page) => page.entries,
        Err(_) => Vec::new(),
    };
    entries.reverse();
    Credits::Loaded(CreditData {
        accounts,
        entries,
        verify: verify.clone(),
        sees_every_account: !matches!(role, Some(crate::api::Role::User)),
    })
}

/// Follows `/api/v1/events` and tells the UI; the follower resumes after the last event seen,
/// so a restart of the coordinator neither loses nor repeats events. What is the dashboard's:
/// `r` (`retry`) skips the pause, and a refused token waits for `r` instead of retrying.
async fn follow_events(
    client: Client,
    ui: Sender<Msg>,
    pokes: [Arc<Notify>; 2],
    retry: Arc<Notify>,
) {
    let mut follower = Follower::new(client, "/api/v1/events", None);
    loop {
        // Only while not connected: the follower is cancel-safe there, and `r` means "now".
        let update = if follower.is_connected() {
            follower.next().await
        } else {
            tokio::select! {
                u = follower.next() => u,
                _ = retry.notified() => {
                    follower.retry_now();
                    continue;
                }
            }
        };
        let msg = match update {
            Ok(Update::Up) => Net::StreamUp,
            Ok(Update::Event(event)) => {
                for poke in &pokes {
                    poke.notify_one();
                }
                Net::Event(event)
            }
            // One event the client cannot read is skipped, not a reason to drop.
            Ok(Update::Skipped(_)) => continue,
            Ok(Update::Down(down)) => Net::StreamDown(Failure::Unreachable(down.reason)),
            Err(e) => {
                let refused = is_auth_error(&e);
                if ui.send(Msg::Net(Net::StreamDown(failure(e)))).is_err() {
                    return;
                }
                if refused {
                    // A refused token does not get better by asking again: wait for `r`.
                    retry.notified().await;
                    follower.retry_now();
                }
                continue;
            }
        };
        if ui.send(Msg::Net(msg)).is_err() {
            return; // the UI is gone
        }
    }
}

/// Follows one task: its record and the new part of its log, every second while it runs.
async fn watch_task(client: Client, ui: Sender<Msg>, id: String) {
    let (mut attempt, mut offset) = (0u32, 0u64);
    loop {
        let mut ended = false;
        match client.task(&id).await {
            Ok(t) => {
                ended = t.state.is_terminal();
                if ui.send(Msg::Net(Net::Task(Box::new(t)))).is_err() {
                    return;
                }
            }
            Err(e) => {
                if ui
                    .send(Msg::Net(Net::TaskFailed(id.clone(), e.to_string())))
                    .is_err()
                {
                    return;
                }
            }
        }
        if let Ok(page) = client.logs(&id, offset).await {
            if page.attempt != attempt && offset != 0 {
                // A new attempt: its log starts again at 0.
                (attempt, offset) = (page.attempt, 0);
                continue;
            }
            attempt = page.attempt;
            offset = page.next_offset;
            let more = !page.chunks.is_empty();
            if more && ui.send(Msg::Net(Net::Log(page))).is_err() {
                return;
            }
        }
        let period = if ended {
            WATCH_PERIOD * 5
        } else {
            WATCH_PERIOD
        };
        tokio::time::sleep(period).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refused_tokens_and_unreachable_coordinators_are_told_apart() {
        let api = |status| ClientError::Api {
            status,
            code: "c".into(),
            message: "m".into(),
        };
        assert!(matches!(failure(api(401)), Failure::Unauthorised(_)));
        assert!(matches!(failure(api(403)), Failure::Unauthorised(_)));
        assert!(matches!(failure(api(500)), Failure::Other(_)));
        let down = ClientError::Unreachable {
            url: "u".into(),
            reason: "refused".into(),
        };
        assert_eq!(failure(down), Failure::Unreachable("refused".into()));
    }
}
