//! Jobs against faults on the nodes' side (issue 15): a node killed with `kill -9` while it runs
//! a subtask, and a decomposition whose model proposed checks that cannot run. The stand-in
//! inference service of jobs_graph.rs decomposes; the agents are real, with the test model.

use crate::common::*;
use crate::jobs_graph::{
    Stub, coordinator, decomposition, job_request, model_node, subtask, tasks_by_name, wait_final,
};
use crate::llm;
use edgecoder::api::*;
use std::time::Duration;

/// The task of subtask `id`, once it has one.
fn task_of(job: &JobInfo, id: &str) -> Option<String> {
    job.subtasks
        .iter()
        .find(|s| s.subtask.id == id)
        .and_then(|s| s.task_id.clone())
}

fn check_of(task: &TaskInfo) -> Option<String> {
    match &task.command {
        TaskCommand::Code(spec) => spec.check.clone(),
        other => panic!("not a coding task: {other:?}"),
    }
}

#[tokio::test]
async fn a_check_the_model_proposed_that_cannot_run_is_dropped_and_said_in_the_log() {
    let sb = Sandbox::new();
    let mut stub = Stub::new(
        &sb,
        decomposition(vec![
            subtask("numbered", "Write a.py.", &[], "2.1.1.1"),
            subtask("prose", "Write b.py.", &[], "Run the tests."),
            subtask("fine", "Write c.py.", &[], "python3 -m pytest -q"),
        ]),
    );
    stub.start();
    // No agent: the subtasks' tasks stay queued, which is all this looks at.
    let coord = coordinator(&sb, free_port(), &stub);
    let admin = coord.admin();
    let job = admin
        .submit_job(&job_request("three parts"))
        .await
        .expect("submit")
        .job;
    let running = eventually(Duration::from_secs(30), || async {
        let j = admin.job(&job.id).await.ok()?;
        (j.subtasks.len() == 3 && j.subtasks.iter().all(|s| s.task_id.is_some())).then_some(j)
    })
    .await;
    // A dropped check leaves the part with none of its own, so its task checks its files'
    // syntax; the good one is kept as proposed.
    let syntax = edgecoder::coding::language::lookup("python")
        .and_then(|l| l.syntax)
        .map(str::to_string);
    for (id, own, runs) in [
        ("numbered", None, syntax.clone()),
        ("prose", None, syntax.clone()),
        (
            "fine",
            Some("python3 -m pytest -q".to_string()),
            Some("python3 -m pytest -q".to_string()),
        ),
    ] {
        let part = running
            .subtasks
            .iter()
            .find(|s| s.subtask.id == id)
            .expect("the subtask");
        assert_eq!(part.subtask.check, own, "subtask {id}");
        let task = admin
            .task(&task_of(&running, id).expect("a task"))
            .await
            .expect("task");
        assert_eq!(check_of(&task), runs, "subtask {id}");
    }
    let dropped: Vec<&str> = running
        .log
        .iter()
        .map(|l| l.message.as_str())
        .filter(|m| m.contains("was dropped"))
        .collect();
    assert_eq!(dropped.len(), 2, "{:#?}", running.log);
    // The log says which check each part got, and why.
    for (id, syntax_checked) in [("numbered", true), ("prose", true), ("fine", false)] {
        let started = running
            .log
            .iter()
            .find(|l| {
                l.message
                    .starts_with(&format!("subtask {id} queued as task"))
            })
            .unwrap_or_else(|| panic!("no start of {id}: {:#?}", running.log));
        assert_eq!(
            started
                .message
                .contains("it brings no check, so its files are checked for syntax"),
            syntax_checked,
            "{}",
            started.message
        );
    }
    assert!(
        dropped[0].contains("subtask numbered") && dropped[0].contains("2.1.1.1"),
        "{dropped:?}"
    );
    assert!(dropped[1].contains("subtask prose"), "{dropped:?}");
    // The event says which subtask and what was proposed.
    let resp = http()
        .get(format!("{}/api/v1/events?job={}", coord.url, job.id))
        .bearer_auth(ADMIN_TOKEN)
        .send()
        .await
        .expect("events");
    admin.cancel_job(&job.id).await.expect("cancel");
    let events = SseReader::new(resp)
        .collect_to_end(Duration::from_secs(20))
        .await;
    let event = events
        .iter()
        .find(|e| e.event == "job.check_dropped")
        .map(|e| e.json())
        .unwrap_or_else(|| panic!("no job.check_dropped event: {events:?}"));
    assert_eq!(event["data"]["subtask"], "numbered", "{event}");
    assert_eq!(event["data"]["check"], "2.1.1.1", "{event}");
}

#[tokio::test]
async fn a_node_killed_mid_subtask_loses_its_lease_and_another_node_finishes_the_job() {
    let Some(model) = llm::shared() else { return };
    let sb = Sandbox::new();
    let runs = sb.path().join("check-runs.txt");
    // The check records each run, then stays busy long enough to be caught running.
    let slow = format!("echo run >> {} && sleep 20", runs.display());
    let hello = "Write a Python program main.py that prints hello.";
    let mut stub = Stub::new(&sb, decomposition(vec![subtask("slow", hello, &[], &slow)]));
    stub.start();
    let coord = coordinator(&sb, free_port(), &stub);
    let admin = coord.admin();
    let a = model_node(&coord, "a", model).await;
    let job = admin
        .submit_job(&job_request("one slow part"))
        .await
        .expect("submit")
        .job;
    let task_id = eventually(Duration::from_secs(60), || async {
        task_of(&admin.job(&job.id).await.ok()?, "slow")
    })
    .await;
    // Running on A, inside its check.
    eventually(Duration::from_secs(900), || async {
        let t = admin.task(&task_id).await.ok()?;
        let ran = std::fs::read_to_string(&runs).unwrap_or_default();
        (t.state == TaskState::Running
            && t.node_id.as_deref() == Some(a.id.as_str())
            && ran.lines().count() == 1)
            .then_some(())
    })
    .await;
    a.agent.signal(libc::SIGKILL);
    let b = model_node(&coord, "b", model).await;

    let done = wait_final(&admin, &job.id, Duration::from_secs(1800)).await;
    assert_eq!(done.state, JobState::Succeeded, "{done:#?}");
    let task = admin.task(&task_id).await.expect("task");
    assert_eq!(task.state, TaskState::Succeeded);
    assert_eq!(task.attempts, 2, "{task:#?}");
    assert_eq!(task.node_id.as_deref(), Some(b.id.as_str()), "{task:#?}");
    let ran = std::fs::read_to_string(&runs).unwrap_or_default();
    assert_eq!(ran.lines().count(), 2, "the check ran once on each node");
    // One task for the subtask, however many attempts it took.
    let name = format!("job {} slow", job.id);
    let same: Vec<TaskSummary> = tasks_by_name(&admin)
        .await
        .into_iter()
        .filter(|t| t.name.as_deref() == Some(name.as_str()))
        .collect();
    assert_eq!(same.len(), 1, "{same:#?}");
    assert_eq!(task_of(&done, "slow").as_deref(), Some(task_id.as_str()));
}
