//! A job's money (issue 15): its quote (every subtask once and the job-level check, each at the
//! hold of a task of the default timeout) is held the moment the job is accepted, each task of
//! the job draws its own hold out of it, and whatever is left is released when the job ends.
//! The stand-in inference service of jobs_graph.rs decomposes; the nodes are API clients that
//! claim and complete the job's tasks, so every figure here is exact.

use crate::coding_common::model_caps;
use crate::common::*;
use crate::credits_common::*;
use crate::jobs_graph::{
    Stub, TOKEN, decomposition, job_request, subtask, tasks_by_name, wait_final,
};
use edgecoder::api::client::Client;
use edgecoder::api::*;
use std::time::Duration;

const MODEL: &str = "smollm2-135m";
/// Every new user token starts with this many credits.
const GRANT: i64 = 1_000_000;

fn priced_coordinator(sb: &Sandbox, stub: &Stub) -> Coordinator {
    let mut opts = coordinator_with(&[
        ("EDGECODER_CREDITS_PER_CPU_SECOND", "1"),
        ("EDGECODER_CREDITS_MIN_PER_TASK", "0.005"),
        ("COORDINATOR_FEE_BPS", "1000"),
        ("EDGECODER_CREDITS_NEW_TOKEN_GRANT", "1000"),
        // A task holds 30 s at 1 credit a second: a job's quote is a visible share of the grant.
        ("EDGECODER_DEFAULT_TASK_TIMEOUT", "30s"),
        ("EDGECODER_INFERENCE_TOKEN", TOKEN),
    ]);
    opts.env
        .push(("EDGECODER_INFERENCE_URL".into(), stub.url()));
    Coordinator::start_with(sb, opts)
}

/// The task of subtask `id`, once it has one.
fn task_of(job: &JobInfo, id: &str) -> Option<String> {
    job.subtasks
        .iter()
        .find(|s| s.subtask.id == id)
        .and_then(|s| s.task_id.clone())
}

/// The node claims whatever is offered (waiting for it) and reports it succeeded.
async fn run_next(node: &Client) -> String {
    let claimed = eventually(Duration::from_secs(30), || async { claim_now(node).await }).await;
    let id = claimed.task.id.clone();
    let lease = claimed.lease.lease_id.clone();
    node.start(&id, &lease).await.expect("start");
    node.complete(&id, &complete_req(&lease, Outcome::Succeeded, None))
        .await
        .expect("complete");
    id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_holds_its_quote_from_acceptance_and_releases_the_rest_when_it_ends() {
    let sb = Sandbox::new();
    let mut stub = Stub::new(
        &sb,
        decomposition(vec![
            subtask("a", "Write a.py.", &[], "true"),
            subtask("b", "Write b.py.", &["a"], "true"),
        ]),
    );
    stub.start();
    let coord = priced_coordinator(&sb, &stub);
    let admin = coord.admin();
    let (user, account_id) = user(&admin).await;
    assert_eq!(account(&user, "me").await.balance, GRANT);
    // What one task of the default timeout holds: the unit of a job's quote.
    let each = user
        .quote(&SubmitRequest::argv(vec!["true".into()]))
        .await
        .expect("quote")
        .hold;
    assert!(each > 0, "pricing is on");

    // max_subtasks 3: the quote is 3 subtasks and the check.
    let mut req = job_request("two parts");
    req.max_subtasks = Some(3);
    req.check = Some("true".into());
    let job = user.submit_job(&req).await.expect("submit").job;
    let quote = 4 * each;
    let after = account(&user, "me").await;
    assert_eq!(after.balance, GRANT - quote, "the quote is held at once");
    assert_eq!(after.held, quote);
    let held_entry = entries(&admin)
        .await
        .into_iter()
        .find(|e| e.kind == "hold" && e.task_id.as_deref() == Some(&format!("job:{}", job.id)))
        .expect("the job's hold entry");
    assert_eq!(held_entry.amount, -quote);
    assert_eq!(held_entry.account, account_id);

    // Once a's task exists it holds its own share, drawn from the job's: nothing more is taken.
    let running = eventually(Duration::from_secs(30), || async {
        let j = user.job(&job.id).await.ok()?;
        task_of(&j, "a")
    })
    .await;
    let a_charge = user.task_charge(&running).await.expect("a's charge");
    assert_eq!(a_charge.state, "held");
    assert_eq!(a_charge.hold, each);
    let during = account(&user, "me").await;
    assert_eq!(
        during.balance,
        GRANT - quote,
        "a task of the job draws on its quote"
    );
    assert_eq!(during.held, quote);

    let (node, _) = enroll_as(&admin, "payee", &[], model_caps(&[(MODEL, "llama")]), true).await;
    let mut ran = Vec::new();
    // a, then b (it depends on a), then the job-level check.
    for _ in 0..3 {
        ran.push(run_next(&node).await);
    }
    let done = wait_final(&user, &job.id, Duration::from_secs(60)).await;
    assert_eq!(done.state, JobState::Succeeded, "{done:#?}");

    // Everything the job made was charged as a task, and that is all the submitter paid.
    let names: Vec<TaskSummary> = tasks_by_name(&admin).await;
    let mine: Vec<&TaskSummary> = names
        .iter()
        .filter(|t| {
            t.name
                .as_deref()
                .is_some_and(|n| n.starts_with(&format!("job {}", job.id)))
        })
        .collect();
    assert_eq!(mine.len(), 3, "{names:#?}");
    let mut charged = 0;
    for t in &mine {
        assert!(ran.contains(&t.id), "{} was not run by the node", t.id);
        let c = user.task_charge(&t.id).await.expect("charge");
        assert_eq!(c.state, "settled", "{c:?}");
        charged += c.charged.expect("charged");
    }
    let end = account(&user, "me").await;
    assert_eq!(end.held, 0, "nothing stays held");
    assert_eq!(
        end.balance,
        GRANT - charged,
        "the tasks' settlements, and no more"
    );
    assert_eq!(end.spent, charged);
    assert_eq!(done.result.expect("result").credits, charged);
    let verdict = admin.ledger_verify().await.expect("verify");
    assert!(verdict.ok, "{verdict:?}");
    assert_cache_matches_entries(&sb);
    let job_entries: Vec<LedgerEntry> = entries(&admin)
        .await
        .into_iter()
        .filter(|e| e.task_id.as_deref() == Some(&format!("job:{}", job.id)))
        .collect();
    assert_eq!(
        job_entries.iter().map(|e| e.amount).sum::<i64>(),
        0,
        "the job's own hold is released in full: {job_entries:#?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cancelled_job_releases_its_hold_and_a_short_balance_is_refused_like_a_task() {
    let sb = Sandbox::new();
    let mut stub = Stub::new(
        &sb,
        decomposition(vec![subtask("only", "Write main.py.", &[], "true")]),
    );
    stub.start();
    let coord = priced_coordinator(&sb, &stub);
    let admin = coord.admin();
    let (user, account_id) = user(&admin).await;
    let each = user
        .quote(&SubmitRequest::argv(vec!["true".into()]))
        .await
        .expect("quote")
        .hold;

    // Held at acceptance, and released in full when the job is cancelled (its open task too).
    let job = user
        .submit_job(&job_request("one part"))
        .await
        .expect("submit")
        .job;
    // job_request asks for up to 8 subtasks: 8 and the check.
    assert_eq!(account(&user, "me").await.balance, GRANT - 9 * each);
    eventually(Duration::from_secs(30), || async {
        let j = user.job(&job.id).await.ok()?;
        task_of(&j, "only")
    })
    .await;
    user.cancel_job(&job.id).await.expect("cancel");
    let after = account(&user, "me").await;
    assert_eq!((after.balance, after.held), (GRANT, 0), "{after:?}");

    // A quote past the balance is refused at submission with the message a task gets, and
    // nothing is written.
    let grant_left = account(&user, "me").await.balance;
    let mut big = job_request("far too many parts");
    big.max_subtasks = Some(MAX_SUBTASKS_LIMIT);
    let needed = (MAX_SUBTASKS_LIMIT as i64 + 1) * each;
    assert!(
        needed > grant_left,
        "the test's quote must exceed the grant"
    );
    let refused = user.submit_job(&big).await.expect_err("too expensive");
    assert_eq!(refused.status(), Some(402), "{refused}");
    let mut task = SubmitRequest::argv(vec!["true".into()]);
    task.timeout_secs = Some(100_000);
    let task_refused = user.submit(&task).await.expect_err("too expensive");
    let words = |e: &edgecoder::api::client::ClientError| {
        let text = e.to_string();
        text.contains(&format!("account {account_id} has"))
            && text.contains("credits spendable but this needs")
            && text.contains("edgecoder server credits grant")
    };
    assert!(words(&refused), "{refused}");
    assert!(words(&task_refused), "{task_refused}");
    assert_eq!(account(&user, "me").await.balance, grant_left);
    let listed = user.jobs(None, Some(10)).await.expect("jobs");
    assert_eq!(listed.jobs.len(), 1, "the refused job was not stored");
    assert!(admin.ledger_verify().await.expect("verify").ok);
    assert_cache_matches_entries(&sb);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_a_job_holds_is_released_when_it_ends_after_a_coordinator_restart() {
    let sb = Sandbox::new();
    let mut stub = Stub::new(
        &sb,
        decomposition(vec![subtask("only", "Write main.py.", &[], "true")]),
    );
    stub.start();
    let coord = priced_coordinator(&sb, &stub);
    let admin = coord.admin();
    let (node, _) = enroll_as(&admin, "payee", &[], model_caps(&[(MODEL, "llama")]), true).await;
    let mut req = job_request("one part");
    req.max_subtasks = Some(2);
    let job = admin.submit_job(&req).await.expect("submit").job;
    let task = eventually(Duration::from_secs(30), || async {
        task_of(&admin.job(&job.id).await.ok()?, "only")
    })
    .await;
    let each = admin.task_charge(&task).await.expect("charge").hold;
    // 2 subtasks and the check were quoted; the one task drew its share.
    let treasury = account(&admin, "treasury").await;
    assert_eq!(treasury.held, 3 * each, "{treasury:?}");

    coord.signal(libc::SIGKILL);
    let mut coord = coord;
    coord.wait_exit(Duration::from_secs(10));
    drop(node);
    let coord = priced_coordinator(&sb, &stub);
    let admin = coord.admin();
    assert_eq!(account(&admin, "treasury").await.held, 3 * each);
    let (node, _) = enroll_as(&admin, "payee2", &[], model_caps(&[(MODEL, "llama")]), true).await;
    assert_eq!(run_next(&node).await, task);
    let done = wait_final(&admin, &job.id, Duration::from_secs(60)).await;
    assert_eq!(done.state, JobState::Succeeded, "{done:#?}");
    let after = account(&admin, "treasury").await;
    assert_eq!(after.held, 0, "{after:?}");
    let verdict = admin.ledger_verify().await.expect("verify");
    assert!(verdict.ok, "{verdict:?}");
    assert_cache_matches_entries(&sb);
}
