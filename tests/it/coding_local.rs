//! `edgecoder code` with no coordinator, end to end with the real test model: the loop on this
//! machine, recorded as a local run (`task list/show` see it), the files written into `--out`
//! only when that is safe, and nothing leaving the machine without `--handoff`.

use crate::common::*;
use crate::llm;
use edgecoder::api::TaskCommand;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

const HELLO: &str = "Write a Python program main.py that prints hello.";
const WITHIN: Duration = Duration::from_secs(300);

fn code(sb: &Sandbox, base_url: &str, args: &[&str]) -> Command {
    let mut c = sb.command();
    c.env("EDGECODER_OPENAI_BASE_URL", base_url)
        .env("EDGECODER_OPENAI_MODEL", llm::MODEL)
        .arg("code")
        .args(args);
    c
}

/// Every `code-result.json` under the sandbox's runs dir.
fn results(sb: &Sandbox) -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.file_name().is_some_and(|n| n == "code-result.json") {
                out.push(p);
            }
        }
    }
    let mut out = Vec::new();
    walk(&sb.data_dir(), &mut out);
    out
}

fn result_json(sb: &Sandbox) -> serde_json::Value {
    let found = results(sb);
    assert_eq!(found.len(), 1, "{found:?}");
    serde_json::from_slice(&std::fs::read(&found[0]).expect("read result")).expect("json")
}

#[test]
fn a_passing_check_writes_the_files_and_records_a_local_run() {
    let Some(model) = llm::shared() else { return };
    let sb = Sandbox::new();
    let c = code(
        &sb,
        &model.base_url,
        &[HELLO, "--check", "test -f main.py", "--out", "out"],
    );
    let (code, out, err) = run_to_end(c, WITHIN);
    assert_eq!(code, Some(0), "{out}\n{err}");
    assert!(err.contains("iteration 1/3"), "{err}");
    assert!(err.contains("checks run in the sandbox"), "{err}");
    assert!(sb.path().join("out/main.py").is_file(), "{out}\n{err}");
    let result = result_json(&sb);
    assert_eq!(result["status"], "succeeded");
    assert!(result["tokens_out"].as_u64().unwrap_or(0) > 0, "{result}");
    let task_id = result_task_id(&sb);
    let (code, list, err) = run_to_end(sb.command_with(&["task", "list"]), WITHIN);
    assert_eq!(code, Some(0), "{err}");
    assert!(list.contains(&task_id), "{list}");
    let (code, show, err) = run_to_end(sb.command_with(&["task", "show", &task_id]), WITHIN);
    assert_eq!(code, Some(0), "{err}");
    assert!(show.contains("succeeded"), "{show}");
    let (code, logs, err) = run_to_end(sb.command_with(&["task", "logs", &task_id]), WITHIN);
    assert_eq!(code, Some(0), "{err}");
    assert!(logs.contains("check passed"), "{logs}");
}

#[test]
fn a_check_that_never_passes_exits_1_after_exactly_its_iterations() {
    let Some(model) = llm::shared() else { return };
    let sb = Sandbox::new();
    let c = code(
        &sb,
        &model.base_url,
        &[HELLO, "--check", "exit 1", "--max-iterations", "2"],
    );
    let (code, out, err) = run_to_end(c, WITHIN);
    assert_eq!(code, Some(1), "{out}\n{err}");
    assert!(out.contains("check_never_passed"), "{out}");
    assert!(out.contains("--handoff"), "{out}");
    let result = result_json(&sb);
    assert_eq!(result["status"], "check_never_passed");
    assert_eq!(
        result["iterations"].as_array().map(Vec::len),
        Some(2),
        "{result}"
    );
}

#[test]
fn a_changed_file_in_out_is_not_overwritten_without_force() {
    let Some(model) = llm::shared() else { return };
    let sb = Sandbox::new();
    std::fs::write(sb.path().join("main.py"), "print('start')\n").unwrap();
    std::fs::create_dir(sb.path().join("out")).unwrap();
    std::fs::write(sb.path().join("out/main.py"), "# mine\n").unwrap();
    let c = code(
        &sb,
        &model.base_url,
        &[
            HELLO, "--file", "main.py", "--check", "true", "--out", "out",
        ],
    );
    let (code, out, err) = run_to_end(c, WITHIN);
    assert_eq!(code, Some(5), "{out}\n{err}");
    assert!(err.contains("main.py") && err.contains("--force"), "{err}");
    assert_eq!(
        std::fs::read_to_string(sb.path().join("out/main.py")).unwrap(),
        "# mine\n"
    );
}

#[test]
fn a_model_server_that_is_down_is_named() {
    let sb = Sandbox::new();
    let url = format!("http://127.0.0.1:{}", free_port());
    let c = code(&sb, &url, &[HELLO, "--check", "true"]);
    let (code, out, err) = run_to_end(c, Duration::from_secs(60));
    assert_ne!(code, Some(0), "{out}\n{err}");
    assert!(err.contains(&url), "{err}");
    assert!(results(&sb).is_empty(), "nothing ran: {:?}", results(&sb));
}

#[test]
fn a_model_that_is_not_installed_is_refused_naming_the_ones_there_are() {
    let Some(model) = llm::shared() else { return };
    let sb = Sandbox::new();
    let c = code(
        &sb,
        &model.base_url,
        &[HELLO, "--check", "true", "--model", "no-such-model:7b"],
    );
    let (code, out, err) = run_to_end(c, WITHIN);
    assert_ne!(code, Some(0), "{out}\n{err}");
    assert!(err.contains("no-such-model:7b"), "{err}");
    assert!(err.contains(llm::MODEL), "{err}");
}

/// The id of the one local task (its directory's name).
fn result_task_id(sb: &Sandbox) -> String {
    let found = results(sb);
    // <runs>/<project>/<task id>/runs/<run id>/code-result.json
    found[0]
        .ancestors()
        .nth(3)
        .and_then(|p| p.file_name())
        .map(|n| n.to_string_lossy().into_owned())
        .expect("task id")
}

trait WithArgs {
    fn command_with(&self, args: &[&str]) -> Command;
}

impl WithArgs for Sandbox {
    fn command_with(&self, args: &[&str]) -> Command {
        let mut c = self.command();
        c.args(args);
        c
    }
}

#[tokio::test]
async fn handoff_submits_the_task_with_its_history_and_nothing_leaves_without_it() {
    let Some(model) = llm::shared() else { return };
    let sb = Sandbox::new();
    let coord = Coordinator::start_with(&sb, coordinator_only());
    let admin = coord.admin();
    let base = [
        "--check",
        "exit 1",
        "--max-iterations",
        "1",
        "--server",
        &coord.url,
    ];
    // Without --handoff: nothing reaches the coordinator.
    let mut c = code(&sb, &model.base_url, &[HELLO]);
    c.args(base).env("EDGECODER_TOKEN", ADMIN_TOKEN);
    let (code_, out, err) = run_to_end(c, WITHIN);
    assert_eq!(code_, Some(1), "{out}\n{err}");
    assert!(task_ids(&admin).await.is_empty());
    let mut c = code(&sb, &model.base_url, &[HELLO, "--handoff"]);
    c.args(base).env("EDGECODER_TOKEN", ADMIN_TOKEN);
    let (code_, out, err) = run_to_end(c, WITHIN);
    assert_eq!(code_, Some(1), "{out}\n{err}");
    assert!(out.contains("handed off"), "{out}");
    let tasks = task_ids(&admin).await;
    assert_eq!(tasks.len(), 1, "{tasks:?}");
    assert!(out.contains(&tasks[0]), "{out}");
    let task = admin.task(&tasks[0]).await.expect("task");
    let TaskCommand::Code(spec) = &task.command else {
        panic!("not a coding task: {task:?}");
    };
    assert_eq!(spec.history.len(), 1, "{spec:?}");
    assert_eq!(spec.history[0].number, 1);
}

async fn task_ids(admin: &edgecoder::api::client::Client) -> Vec<String> {
    let list = admin.tasks("").await.expect("list tasks");
    list.tasks.into_iter().map(|t| t.id).collect()
}
