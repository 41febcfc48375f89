//! The loop's bookkeeping, with a scripted model standing in for the model server (the real
//! model's runs are in tests/it/coding_*.rs); the checks run in the real sandbox.

use super::*;
use crate::api::{CodeIteration, ModelInfo};
use crate::coding::SandboxChecker;
use crate::models::{ChatAnswer, ChatRequest, Finish, ModelBackend, ModelError};
use std::sync::Mutex;

struct Scripted {
    answers: Mutex<Vec<Result<String, ModelError>>>,
    requests: Mutex<Vec<ChatRequest>>,
}

impl Scripted {
    fn new(answers: Vec<Result<&str, ModelError>>) -> Scripted {
        Scripted {
            answers: Mutex::new(
                answers
                    .into_iter()
                    .rev()
                    .map(|a| a.map(str::to_string))
                    .collect(),
            ),
            requests: Mutex::new(Vec::new()),
        }
    }
}

impl ModelBackend for Scripted {
    fn kind(&self) -> &'static str {
        "openai"
    }

    fn url(&self) -> &str {
        "http://127.0.0.1:9"
    }

    async fn list_models(&self) -> Result<Vec<ModelInfo>, ModelError> {
        Ok(Vec::new())
    }

    async fn chat(
        &self,
        request: &ChatRequest,
        _on_text: &(dyn Fn(&str) + Send + Sync),
    ) -> Result<ChatAnswer, ModelError> {
        self.requests.lock().unwrap().push(request.clone());
        let next = self
            .answers
            .lock()
            .unwrap()
            .pop()
            .unwrap_or(Ok(String::new()));
        next.map(|content| ChatAnswer {
            content,
            tokens_in: 10,
            tokens_out: 5,
            finish: Finish::Stop,
            model: "m".into(),
            elapsed: std::time::Duration::from_millis(1),
        })
    }
}

fn spec(check: &str, max: u32, history: Vec<CodeIteration>) -> CodeSpec {
    CodeSpec {
        prompt: "p".into(),
        language: "python".into(),
        check: Some(check.into()),
        model: None,
        max_iterations: Some(max),
        check_timeout_secs: Some(10),
        history,
    }
}

async fn go(model: &Scripted, spec: &CodeSpec, lines: &Mutex<Vec<String>>) -> CodeResult {
    let work = tempfile::tempdir().unwrap();
    let checker = SandboxChecker::default();
    let progress = |l: &str| lines.lock().unwrap().push(l.to_string());
    run(
        model,
        LoopParams {
            model: "m",
            spec,
            inputs: &[],
            workdir: work.path(),
            checker: &checker,
            progress: &progress,
            stop: crate::agent::sandbox::CancelFlag::new(),
            deadline: Instant::now() + Duration::from_secs(60),
            num_ctx: 4096,
        },
    )
    .await
}

use std::time::{Duration, Instant};

#[tokio::test]
async fn answers_without_code_end_unusable_and_every_call_is_deterministic() {
    let model = Scripted::new(vec![Ok("plan"), Ok("no code"), Ok("still none")]);
    let lines = Mutex::new(Vec::new());
    let r = go(&model, &spec("true", 2, vec![]), &lines).await;
    assert_eq!(r.status, CodeStatus::ModelOutputUnusable, "{r:?}");
    assert_eq!(r.iterations.len(), 2);
    assert!(
        r.iterations[0]
            .error
            .as_deref()
            .unwrap()
            .contains("no code")
    );
    assert_eq!((r.tokens_in, r.tokens_out), (30, 15));
    for req in model.requests.lock().unwrap().iter() {
        assert_eq!(req.sampling.temperature, 0.0);
        assert_eq!(req.sampling.seed, SEED);
    }
}

#[tokio::test]
async fn a_repair_sees_the_failure_and_a_passing_check_ends_the_loop() {
    let model = Scripted::new(vec![
        Ok("plan"),
        Ok("```python main.py\nimport sys; sys.exit(3)\n```"),
        Ok("```python main.py\nprint('ok')\n```"),
    ]);
    let lines = Mutex::new(Vec::new());
    let r = go(
        &model,
        &spec("python3 main.py || sh -c 'echo BROKEN; exit 1'", 3, vec![]),
        &lines,
    )
    .await;
    assert_eq!(r.status, CodeStatus::Succeeded, "{r:?}");
    assert_eq!(r.iterations.len(), 2);
    assert_eq!(r.iterations[0].check_exit_code, Some(1));
    assert!(r.iterations[0].check_output_tail.contains("BROKEN"));
    let requests = model.requests.lock().unwrap();
    assert!(requests[2].messages[1].content.contains("BROKEN"));
    let lines = lines.lock().unwrap();
    assert!(
        lines
            .iter()
            .any(|l| l == "iteration 1/3: check failed (exit 1): BROKEN"),
        "{lines:?}"
    );
    assert!(
        lines.iter().any(|l| l == "iteration 2/3: check passed"),
        "{lines:?}"
    );
    assert!(
        r.files
            .iter()
            .any(|f| f.path == "main.py" && f.content.contains("ok"))
    );
}

#[tokio::test]
async fn a_hand_off_numbers_on_and_repairs_without_planning() {
    let earlier = CodeIteration {
        number: 2,
        files_changed: vec!["main.py".into()],
        check_passed: false,
        check_exit_code: Some(1),
        check_output_tail: "EARLIER FAILURE".into(),
        error: Some("check failed (exit 1)".into()),
        duration_ms: 1,
        model_ms: 1,
        check_ms: 1,
        tokens_in: 100,
        tokens_out: 50,
        truncated: false,
    };
    let model = Scripted::new(vec![Ok("```python\nprint(1)\n```")]);
    let lines = Mutex::new(Vec::new());
    let r = go(&model, &spec("true", 1, vec![earlier]), &lines).await;
    assert_eq!(r.status, CodeStatus::Succeeded, "{r:?}");
    assert_eq!(
        r.iterations.iter().map(|i| i.number).collect::<Vec<_>>(),
        [2, 3]
    );
    assert_eq!(r.tokens_in, 110);
    let requests = model.requests.lock().unwrap();
    assert_eq!(requests.len(), 1, "no plan call after a hand-off");
    assert!(requests[0].messages[1].content.contains("EARLIER FAILURE"));
}

#[tokio::test]
async fn an_unreachable_model_stops_at_once() {
    let down = ModelError::Unreachable {
        backend: "openai",
        url: "http://127.0.0.1:9".into(),
        detail: "refused".into(),
    };
    let model = Scripted::new(vec![Err(down)]);
    let lines = Mutex::new(Vec::new());
    let r = go(&model, &spec("true", 3, vec![]), &lines).await;
    assert_eq!(r.status, CodeStatus::ModelUnreachable, "{r:?}");
    assert!(r.reason.unwrap().contains("http://127.0.0.1:9"));
    assert!(r.iterations.is_empty());
}
