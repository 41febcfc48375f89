//! Inference tasks at the coordinator (issue 16, the swarm route): offered only to nodes that
//! advertise the model, run once, paid by tokens with exact integers, and failed (not retried)
//! when their node goes quiet. Nodes here are the API client with capabilities that list a
//! model; ide_swarm.rs runs a real agent and the real model.

use crate::coding_common::model_caps;
use crate::common::*;
use crate::credits_common::*;
use edgecoder::api::*;
use std::time::{Duration, Instant};

const MODEL: &str = "smollm2-135m";

fn inference(model: &str, max_tokens: u64) -> SubmitRequest {
    let mut req = SubmitRequest::argv(Vec::new());
    req.command = TaskCommand::Inference(Box::new(InferenceSpec {
        model: model.into(),
        request: serde_json::json!({
            "messages": [{"role": "user", "content": "Say hello."}],
            "max_tokens": max_tokens,
        }),
    }));
    req
}

#[tokio::test]
async fn an_inference_task_is_offered_only_to_nodes_that_serve_its_model_and_runs_once() {
    let sb = Sandbox::new();
    let coord = Coordinator::start_with(&sb, coordinator_only());
    let admin = coord.admin();
    let (plain, _) = enroll_as(&admin, "plain", &[], caps(4096, 0), true).await;
    let (other, _) = enroll_as(
        &admin,
        "other",
        &[],
        model_caps(&[("qwen2.5-coder:7b", "qwen2")]),
        true,
    )
    .await;
    let (serving, _) = enroll_as(
        &admin,
        "serving",
        &[],
        model_caps(&[(MODEL, "llama")]),
        true,
    )
    .await;

    let task = admin
        .submit(&inference(MODEL, 16))
        .await
        .expect("submit")
        .task;
    assert_eq!(task.command.kind(), "inference");
    assert_eq!(task.max_attempts, 1, "an inference task runs once");
    assert_eq!(task.requirements.model.as_deref(), Some(MODEL));
    assert!(claim_now(&plain).await.is_none(), "a node with no model");
    assert!(
        claim_now(&other).await.is_none(),
        "a node with another model"
    );
    assert_eq!(claim_now(&serving).await.expect("offered").task.id, task.id);
    let listed = admin.tasks("limit=50").await.expect("list");
    let row = listed
        .tasks
        .iter()
        .find(|t| t.id == task.id)
        .expect("listed");
    assert_eq!(row.kind, "inference");
}

#[tokio::test]
async fn inference_submissions_no_node_could_serve_are_refused_with_what_to_do() {
    let sb = Sandbox::new();
    let coord = Coordinator::start_with(&sb, coordinator_only());
    let admin = coord.admin();
    let mut no_messages = inference(MODEL, 16);
    if let TaskCommand::Inference(spec) = &mut no_messages.command {
        spec.request = serde_json::json!({"messages": []});
    }
    let err = admin.submit(&no_messages).await.expect_err("no messages");
    assert_eq!(err.status(), Some(400), "{err}");
    assert!(err.to_string().contains("messages"), "{err}");

    let mut retried = inference(MODEL, 16);
    retried.max_attempts = Some(3);
    let err = admin.submit(&retried).await.expect_err("retries");
    assert!(err.to_string().contains("runs once"), "{err}");

    let err = admin
        .submit(&inference("two words", 16))
        .await
        .expect_err("bad model name");
    assert!(err.to_string().contains("not a model name"), "{err}");
}

/// 1 credit (1000 milli) per 1,000 tokens: one milli-credit a token; 10 % fee.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_inference_task_is_paid_by_its_tokens_by_the_submitter_to_the_node() {
    let sb = Sandbox::new();
    let coord = Coordinator::start_with(
        &sb,
        coordinator_with(&[
            ("EDGECODER_CREDITS_PER_1K_TOKENS", "1"),
            ("EDGECODER_CREDITS_MIN_PER_TASK", "0.001"),
            ("COORDINATOR_FEE_BPS", "1000"),
            ("EDGECODER_CREDITS_NEW_TOKEN_GRANT", "100"),
        ]),
    );
    let admin = coord.admin();
    let (user, _) = user(&admin).await;
    let (node, node_id) = enroll_as(
        &admin,
        "serving",
        &[],
        model_caps(&[(MODEL, "llama")]),
        true,
    )
    .await;
    let req = inference(MODEL, 100);
    let task = user.submit(&req).await.expect("submit").task;

    // The hold covers every byte of the request as a token, the template, and max_tokens.
    let TaskCommand::Inference(spec) = &req.command else {
        unreachable!()
    };
    let request_bytes = serde_json::to_vec(&spec.request).expect("json").len() as i64;
    let charge = user.task_charge(&task.id).await.expect("charge");
    assert_eq!(charge.state, "held");
    let quote = user.quote(&req).await.expect("quote");
    assert_eq!(
        quote.hold, charge.hold,
        "a quote holds what submitting holds"
    );
    assert_eq!(charge.rate_per_1k_tokens, Some(1000));
    assert_eq!(charge.hold, request_bytes + 256 + 100);
    assert_eq!(
        account(&user, "me").await.balance,
        100_000 - charge.hold,
        "the hold is taken from the submitter"
    );

    let claimed = claim_now(&node).await.expect("claim");
    let lease = claimed.lease.lease_id.clone();
    node.start(&task.id, &lease).await.expect("start");
    let answer = InferenceLine::Delta {
        text: "Hello there, friend.".into(),
    }
    .to_line();
    node.upload_log(
        &task.id,
        &LogUpload {
            lease_id: lease.clone(),
            offset: 0,
            stream: "stdout".into(),
            data: answer.clone(),
        },
    )
    .await
    .expect("log");
    let done = CompleteRequest {
        inference: Some(InferenceUsage {
            tokens_in: 20,
            tokens_out: 30,
            finish_reason: Some("stop".into()),
        }),
        ..complete_req(&lease, Outcome::Succeeded, None)
    };
    node.complete(&task.id, &done).await.expect("complete");

    // 50 tokens at 1 milli each: the submitter paid 50, the node earned 45, the treasury 5.
    let charge = user.task_charge(&task.id).await.expect("charge");
    assert_eq!(charge.state, "settled");
    assert_eq!(charge.tokens, Some(50));
    assert_eq!(charge.charged, Some(50));
    assert_eq!(charge.fee, Some(5));
    assert_eq!(charge.node_id.as_deref(), Some(node_id.as_str()));
    assert_eq!(account(&user, "me").await.balance, 100_000 - 50);
    let earned = account(&admin, &format!("node:{node_id}")).await;
    assert_eq!(earned.balance, 45);
    assert_cache_matches_entries(&sb);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_node_cannot_be_paid_for_more_tokens_than_it_streamed() {
    let sb = Sandbox::new();
    let coord = Coordinator::start_with(
        &sb,
        coordinator_with(&[
            ("EDGECODER_CREDITS_PER_1K_TOKENS", "1"),
            ("EDGECODER_CREDITS_MIN_PER_TASK", "0.001"),
            ("COORDINATOR_FEE_BPS", "0"),
        ]),
    );
    let admin = coord.admin();
    let (user, _) = user(&admin).await;
    let (node, _) = enroll_as(&admin, "greedy", &[], model_caps(&[(MODEL, "llama")]), true).await;
    let task = user
        .submit(&inference(MODEL, 5000))
        .await
        .expect("submit")
        .task;
    let claimed = claim_now(&node).await.expect("claim");
    let lease = claimed.lease.lease_id.clone();
    node.start(&task.id, &lease).await.expect("start");
    let line = InferenceLine::Delta { text: "Hi".into() }.to_line();
    node.upload_log(
        &task.id,
        &LogUpload {
            lease_id: lease.clone(),
            offset: 0,
            stream: "stdout".into(),
            data: line.clone(),
        },
    )
    .await
    .expect("log");
    let done = CompleteRequest {
        inference: Some(InferenceUsage {
            tokens_in: 1_000_000,
            tokens_out: 1_000_000,
            finish_reason: Some("stop".into()),
        }),
        ..complete_req(&lease, Outcome::Succeeded, None)
    };
    node.complete(&task.id, &done).await.expect("complete");
    let TaskCommand::Inference(spec) = &task.command else {
        unreachable!()
    };
    let request_bytes = serde_json::to_vec(&spec.request).expect("json").len() as u64;
    let bound = request_bytes + 256 + line.len() as u64;
    let charge = user.task_charge(&task.id).await.expect("charge");
    assert_eq!(
        charge.tokens,
        Some(bound),
        "capped by what the coordinator saw"
    );
    assert_eq!(charge.charged, Some(bound as i64));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_node_that_goes_quiet_fails_its_inference_task_within_the_lease_time() {
    let sb = Sandbox::new();
    let mut opts = coordinator_only();
    opts.env
        .push(("EDGECODER_HEARTBEAT_INTERVAL".into(), "300ms".into()));
    let coord = Coordinator::start_with(&sb, opts);
    let admin = coord.admin();
    let (node, _) = enroll_as(&admin, "flaky", &[], model_caps(&[(MODEL, "llama")]), true).await;
    let (spare, _) = enroll_as(&admin, "spare", &[], model_caps(&[(MODEL, "llama")]), true).await;
    let task = admin
        .submit(&inference(MODEL, 16))
        .await
        .expect("submit")
        .task;
    let claimed = claim_now(&node).await.expect("claim");
    node.start(&task.id, &claimed.lease.lease_id)
        .await
        .expect("start");
    // The node says nothing more: its lease (3 heartbeats) runs out.
    let quiet = Instant::now();
    let ended = eventually(Duration::from_secs(10), || {
        let admin = admin.clone();
        let id = task.id.clone();
        async move {
            let t = admin.task(&id).await.ok()?;
            t.state.is_terminal().then_some(t)
        }
    })
    .await;
    let took = quiet.elapsed();
    assert_eq!(ended.state, TaskState::Failed, "{ended:?}");
    assert!(
        ended.error.as_deref().unwrap_or("").contains("lease lost"),
        "{ended:?}"
    );
    assert!(took < Duration::from_secs(5), "noticed after {took:?}");
    assert!(
        claim_now(&spare).await.is_none(),
        "never offered again: a second attempt would repeat streamed text"
    );
}
