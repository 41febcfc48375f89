//! What the coding-task tests on the coordinator share: requests, a node's capabilities with
//! models, the results a node reports, and driving a node through claim and start.

use crate::common::*;
use edgecoder::api::client::Client;
use edgecoder::api::*;
use std::time::Duration;

pub fn code_req(prompt: &str) -> SubmitRequest {
    let mut req = SubmitRequest::argv(vec!["unused".into()]);
    req.command = TaskCommand::Code(Box::new(CodeSpec {
        prompt: prompt.into(),
        language: "python".into(),
        check: Some("python3 test_main.py".into()),
        model: None,
        max_iterations: None,
        check_timeout_secs: None,
        history: Vec::new(),
    }));
    req
}

pub fn with_spec(prompt: &str, change: impl FnOnce(&mut CodeSpec)) -> SubmitRequest {
    let mut req = code_req(prompt);
    if let TaskCommand::Code(spec) = &mut req.command {
        change(spec);
    }
    req
}

/// Capabilities of a node serving these models (name, family).
pub fn model_caps(models: &[(&str, &str)]) -> Capabilities {
    let mut c = caps(4096, 0);
    c.models = models.iter().map(|(n, _)| n.to_string()).collect();
    c.model_details = models
        .iter()
        .map(|(n, f)| ModelInfo {
            name: n.to_string(),
            backend: "ollama".into(),
            family: Some(f.to_string()),
            ..Default::default()
        })
        .collect();
    c
}

pub fn iteration(number: u32, passed: bool, tail: &str) -> CodeIteration {
    CodeIteration {
        number,
        files_changed: vec!["main.py".into()],
        check_passed: passed,
        check_exit_code: Some(if passed { 0 } else { 1 }),
        check_output_tail: tail.into(),
        error: (!passed).then(|| "check failed".to_string()),
        duration_ms: 1500,
        model_ms: 1200,
        check_ms: 250,
        tokens_in: 400,
        tokens_out: 120,
        truncated: false,
    }
}

pub fn result(
    status: CodeStatus,
    files: &[(&str, &str)],
    iterations: Vec<CodeIteration>,
) -> CodeResult {
    CodeResult {
        status,
        reason: (status != CodeStatus::Succeeded).then(|| format!("{} (test)", status.as_str())),
        plan: "write add() and test it".into(),
        files: files
            .iter()
            .map(|(p, c)| TaskFile {
                path: p.to_string(),
                content: c.to_string(),
            })
            .collect(),
        tokens_in: iterations.iter().map(|i| i.tokens_in).sum(),
        tokens_out: iterations.iter().map(|i| i.tokens_out).sum(),
        iterations,
        model: "qwen2.5-coder:7b".into(),
        backend: "ollama".into(),
    }
}

pub fn completion(lease_id: &str, code: CodeResult) -> CompleteRequest {
    let outcome = if code.status == CodeStatus::Succeeded {
        Outcome::Succeeded
    } else {
        Outcome::Failed
    };
    CompleteRequest {
        code: Some(code),
        ..complete_req(lease_id, outcome, None)
    }
}

/// Claims (long-polling) until the node is offered a task, and accepts it.
pub async fn claim_and_start(node: &Client) -> ClaimedTask {
    let claimed = eventually(Duration::from_secs(20), || async {
        node.claim(Duration::from_secs(2))
            .await
            .expect("claim")
            .claimed
    })
    .await;
    node.start(&claimed.task.id, &claimed.lease.lease_id)
        .await
        .expect("start");
    claimed
}
