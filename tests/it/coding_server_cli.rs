//! `edgecoder server code` against a real coordinator, with the node driven from the test: the
//! files come back into `--out` when the check passed, exit 1 with the reason and the last check
//! output when it failed, a changed file is never overwritten without `--force`, and `--json`
//! has the documented shape.

use crate::coding_common::*;
use crate::common::*;
use crate::worker_common::*;
use edgecoder::api::*;
use std::time::Duration;

/// Runs `server code …` in the background while the test drives the node.
fn spawn_cli(
    sb: &Sandbox,
    url: &str,
    args: &[&str],
) -> tokio::task::JoinHandle<(Option<i32>, String, String)> {
    let mut c = server_cmd(sb, url);
    c.args(args);
    tokio::task::spawn_blocking(move || run_to_end(c, Duration::from_secs(60)))
}

#[tokio::test(flavor = "multi_thread")]
async fn server_code_wait_writes_the_files_when_the_check_passed() {
    let sb = Sandbox::new();
    let coord = Coordinator::start_with(&sb, coordinator_only());
    let admin = coord.admin();
    let (node, _) = enroll_as(
        &admin,
        "qwen",
        &[],
        model_caps(&[("qwen2.5-coder:7b", "qwen2")]),
        true,
    )
    .await;
    std::fs::write(sb.path().join("main.py"), "def add(a, b):\n    pass\n").expect("input");
    let cli = spawn_cli(
        &sb,
        &coord.url,
        &[
            "server",
            "code",
            "make add() work",
            "--file",
            "main.py",
            "--check",
            "python3 test_main.py",
            "--model",
            "qwen2.5-coder:7b",
            "--wait",
            "--out",
            "out",
        ],
    );
    let claimed = claim_and_start(&node).await;
    match &claimed.task.command {
        TaskCommand::Code(spec) => {
            assert_eq!(spec.prompt, "make add() work");
            assert_eq!(spec.check.as_deref(), Some("python3 test_main.py"));
            assert_eq!(spec.model.as_deref(), Some("qwen2.5-coder:7b"));
        }
        other => panic!("not a coding task: {other:?}"),
    }
    assert_eq!(claimed.files.len(), 1);
    assert_eq!(claimed.files[0].path, "main.py");
    let files = [
        ("main.py", "def add(a, b):\n    return a + b\n"),
        (
            "test_main.py",
            "from main import add\nassert add(1, 2) == 3\n",
        ),
    ];
    let code = result(CodeStatus::Succeeded, &files, vec![iteration(1, true, "")]);
    node.complete(&claimed.task.id, &completion(&claimed.lease.lease_id, code))
        .await
        .expect("complete");
    let (exit, _, stderr) = cli.await.expect("cli");
    assert_eq!(exit, Some(0), "{stderr}");
    assert!(stderr.contains("iteration 1"), "{stderr}");
    for (path, content) in files {
        let written = std::fs::read_to_string(sb.path().join("out").join(path)).expect(path);
        assert_eq!(written, content);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn server_code_wait_exits_1_with_the_reason_and_the_last_check_output() {
    let sb = Sandbox::new();
    let coord = Coordinator::start_with(&sb, coordinator_only());
    let admin = coord.admin();
    let (node, _) = enroll_as(
        &admin,
        "qwen",
        &[],
        model_caps(&[("qwen2.5-coder:7b", "qwen2")]),
        true,
    )
    .await;
    let cli = spawn_cli(
        &sb,
        &coord.url,
        &[
            "server",
            "code",
            "make add() work",
            "--check",
            "false",
            "--wait",
            "--out",
            "out",
        ],
    );
    let claimed = claim_and_start(&node).await;
    let failed = result(
        CodeStatus::CheckNeverPassed,
        &[("main.py", "broken")],
        vec![
            iteration(1, false, "first failure"),
            iteration(2, false, "AssertionError: 3 != 4"),
        ],
    );
    node.complete(
        &claimed.task.id,
        &completion(&claimed.lease.lease_id, failed),
    )
    .await
    .expect("complete");
    let (exit, _, stderr) = cli.await.expect("cli");
    assert_eq!(exit, Some(1), "{stderr}");
    assert!(stderr.contains("check_never_passed (test)"), "{stderr}");
    assert!(stderr.contains("AssertionError: 3 != 4"), "{stderr}");
    assert!(
        !sb.path().join("out").join("main.py").exists(),
        "a failed result was written"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn server_code_refuses_to_overwrite_a_changed_file_without_force() {
    let sb = Sandbox::new();
    let coord = Coordinator::start_with(&sb, coordinator_only());
    let admin = coord.admin();
    let (node, _) = enroll_as(
        &admin,
        "qwen",
        &[],
        model_caps(&[("qwen2.5-coder:7b", "qwen2")]),
        true,
    )
    .await;
    let out = sb.path().join("out");
    std::fs::create_dir_all(&out).expect("out");
    std::fs::write(out.join("main.py"), "# my own work\n").expect("mine");
    let files = [("main.py", "print('model')\n")];
    for force in [false, true] {
        let mut args = vec![
            "server",
            "code",
            "print something",
            "--wait",
            "--out",
            "out",
        ];
        if force {
            args.push("--force");
        }
        let cli = spawn_cli(&sb, &coord.url, &args);
        let claimed = claim_and_start(&node).await;
        let code = result(CodeStatus::Succeeded, &files, vec![iteration(1, true, "")]);
        node.complete(&claimed.task.id, &completion(&claimed.lease.lease_id, code))
            .await
            .expect("complete");
        let (exit, _, stderr) = cli.await.expect("cli");
        let on_disk = std::fs::read_to_string(out.join("main.py")).expect("read");
        if force {
            assert_eq!(exit, Some(0), "{stderr}");
            assert_eq!(on_disk, "print('model')\n");
        } else {
            assert_eq!(exit, Some(5), "{stderr}");
            assert!(stderr.contains("--force"), "{stderr}");
            assert!(stderr.contains(&claimed.task.id), "{stderr}");
            assert_eq!(on_disk, "# my own work\n", "a changed file was overwritten");
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn server_code_json_matches_the_documented_shapes() {
    let doc = crate::cli_server::documented();
    let sb = Sandbox::new();
    let coord = Coordinator::start_with(&sb, coordinator_only());
    let admin = coord.admin();
    let (node, _) = enroll_as(
        &admin,
        "qwen",
        &[],
        model_caps(&[("qwen2.5-coder:7b", "qwen2")]),
        true,
    )
    .await;
    let submitted = cli_with(
        server_cmd(&sb, &coord.url),
        &[
            "server",
            "code",
            "add",
            "--check",
            "true",
            "--model",
            "qwen2.5-coder:7b",
            "--json",
        ],
        None,
    );
    assert_eq!(submitted.code, Some(0), "{submitted:?}");
    let submitted: serde_json::Value = serde_json::from_str(&submitted.stdout).expect("JSON");
    doc.check("server code PROMPT", &submitted);
    doc.check_object("CodeSpec", &submitted["task"]["command"]["code"]);
    let claimed = claim_and_start(&node).await;
    node.complete(
        &claimed.task.id,
        &completion(
            &claimed.lease.lease_id,
            result(CodeStatus::CheckNeverPassed, &[], vec![]),
        ),
    )
    .await
    .expect("complete");

    let cli = spawn_cli(
        &sb,
        &coord.url,
        &["server", "--json", "code", "add", "--wait"],
    );
    let claimed = claim_and_start(&node).await;
    let code = result(
        CodeStatus::Succeeded,
        &[("main.py", "print(1)\n")],
        vec![iteration(1, false, "x"), iteration(2, true, "")],
    );
    node.complete(&claimed.task.id, &completion(&claimed.lease.lease_id, code))
        .await
        .expect("complete");
    let (exit, stdout, stderr) = cli.await.expect("cli");
    assert_eq!(exit, Some(0), "{stderr}");
    let task: serde_json::Value = serde_json::from_str(&stdout).expect("JSON");
    doc.check("server code PROMPT --wait", &task);
    doc.check_object("CodeResult", &task["code_result"]);
    doc.check_object("CodeIteration", &task["code_result"]["iterations"][0]);
    assert_eq!(task["requirements"]["any_model"], true);
}
