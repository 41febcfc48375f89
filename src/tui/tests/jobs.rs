//! The Jobs tab: a job with its subtasks as a tree (drawn at both sizes, its detail too), and
//! its keys: Enter opens the selected row's job, `x` asks before cancelling it, a poll keeps
//! the selection on the same subtask, the filter keeps a job's tree together.

use super::*;
use crate::tui::jobs::JobsData;

fn sub(id: &str, deps: &[&str], state: Option<TaskState>, node: Option<&str>) -> JobSubtask {
    JobSubtask {
        subtask: Subtask {
            id: id.into(),
            title: format!("write the {id}"),
            prompt: format!("Write the {id}."),
            language: "python".into(),
            files: vec![format!("{id}.py")],
            depends_on: deps.iter().map(|d| d.to_string()).collect(),
            check: None,
        },
        task_id: state.map(|_| format!("t-{id}-5c1a9e77b2d0")),
        state,
        escalated: false,
        node_id: node.map(str::to_string),
        error: None,
        iterations: Vec::new(),
    }
}

fn job(n: usize, state: JobState, subtasks: Vec<JobSubtask>) -> JobInfo {
    JobInfo {
        id: format!("j{n:04}-7d3e9a11c2b4f5e6"),
        state,
        prompt: format!("a CSV tool number {n} with a parser, a CLI and tests"),
        language: "python".into(),
        check: Some("python3 -m pytest -q".into()),
        part_check: None,
        model: None,
        decompose: DecomposeMode::Auto,
        max_subtasks: None,
        submitted_by: "admin".into(),
        created_at: NOW - 90_000 * n as i64,
        updated_at: NOW - 10_000,
        finished_at: None,
        error: None,
        subtasks,
        log: vec![
            JobLogLine {
                at: NOW - 80_000,
                message: "decomposed into 3 subtasks".into(),
            },
            JobLogLine {
                at: NOW - 60_000,
                message: "subtask parser succeeded on node n000-9f2e4b7c1d".into(),
            },
        ],
        result: None,
    }
}

/// A running job (a tree of three, one escalated) and a partial one that ended.
pub fn jobs() -> Vec<JobInfo> {
    let mut cli = sub("cli", &["parser", "io"], None, None);
    cli.error = None;
    let mut io = sub("io", &[], Some(TaskState::Running), Some("n001-9f2e4b7c1d"));
    io.escalated = true;
    let running = job(
        1,
        JobState::Running,
        vec![
            sub(
                "parser",
                &[],
                Some(TaskState::Succeeded),
                Some("n000-9f2e4b7c1d"),
            ),
            io,
            cli,
        ],
    );
    let mut failed = sub(
        "tests",
        &[],
        Some(TaskState::Failed),
        Some("n000-9f2e4b7c1d"),
    );
    failed.escalated = true;
    failed.error = Some("the check never passed, even after escalation".into());
    let mut blocked = sub("docs", &["tests"], None, None);
    blocked.error = Some("its dependency tests failed".into());
    let mut partial = job(2, JobState::Partial, vec![failed, blocked]);
    partial.finished_at = Some(NOW - 30_000);
    partial.error = Some("subtask tests failed".into());
    partial.result = Some(JobResult {
        files: Vec::new(),
        conflicts: Vec::new(),
        check_task_id: None,
        check_passed: None,
        check_output: None,
        failed_subtasks: vec!["tests".into(), "docs".into()],
        tokens_in: 1200,
        tokens_out: 300,
        credits: 4,
    });
    vec![running, partial]
}

fn with_jobs(size: (u16, u16)) -> State {
    let mut s = known(size);
    update(&mut s, Msg::Net(Net::Jobs(JobsData::Loaded(jobs()))));
    update(&mut s, ch('5'));
    assert_eq!(s.tab, Tab::Jobs);
    s
}

#[test]
fn the_jobs_tab_draws_each_job_with_its_subtask_tree() {
    for (w, h) in [(80, 24), (160, 48)] {
        let s = with_jobs((w, h));
        let text = screen_text(&s);
        // Each job, then its subtasks: cli under parser (its first dependency).
        let at = |needle: &str| {
            text.find(needle)
                .unwrap_or_else(|| panic!("{needle:?} not on screen:\n{text}"))
        };
        assert!(at("j0001-7d3e") < at("✓ parser"));
        assert!(at("✓ parser") < at("· cli"));
        assert!(at("· cli") < at("▶ io"));
        assert!(at("▶ io") < at("j0002-7d3e"));
        assert!(text.contains("✗ tests"), "{text}");
        insta::assert_snapshot!(format!("jobs_tab_{w}x{h}"), render(&s));
    }
}

#[test]
fn enter_opens_the_selected_rows_job_and_esc_goes_back() {
    for (w, h) in [(80, 24), (160, 48)] {
        let mut s = with_jobs((w, h));
        // Rows: job 1, parser, cli, io, job 2, tests, docs. The 6th row is a subtask of job 2.
        press(&mut s, "jjjjj");
        assert_eq!(update(&mut s, key(KeyCode::Enter)), vec![]);
        assert_eq!(s.detail, Some(Detail::Job("j0002-7d3e9a11c2b4f5e6".into())));
        let text = screen_text(&s);
        assert!(text.contains("its dependency tests failed"), "{text}");
        assert!(text.contains("subtask tests failed"), "{text}");
        insta::assert_snapshot!(format!("job_detail_{w}x{h}"), render(&s));
        update(&mut s, key(KeyCode::Esc));
        assert_eq!(s.detail, None);
    }
}

#[test]
fn x_asks_before_cancelling_a_running_job_and_refuses_an_ended_one() {
    let mut s = with_jobs((80, 24));
    press(&mut s, "j"); // parser, a subtask of job 1: x is about its job
    assert_eq!(update(&mut s, ch('x')), vec![]);
    let id = "j0001-7d3e9a11c2b4f5e6".to_string();
    assert_eq!(s.mode, Mode::Confirm(Confirm::CancelJob(id.clone())));
    insta::assert_snapshot!("job_cancel_confirm_80x24", render(&s));
    assert_eq!(
        update(&mut s, ch('y')),
        vec![Effect::Send(Request::CancelJob(id))]
    );
    // The partial job has ended: nothing to cancel, and it says so.
    press(&mut s, "jjj");
    assert_eq!(update(&mut s, ch('x')), vec![]);
    assert_eq!(s.mode, Mode::Normal);
    assert!(
        s.flash
            .as_ref()
            .is_some_and(|f| f.bad && f.text.contains("already ended"))
    );
    // Read-only: no cancelling at all.
    let mut ro = with_jobs((80, 24));
    ro.read_only = true;
    assert_eq!(update(&mut ro, ch('x')), vec![]);
    assert_eq!(ro.mode, Mode::Normal);
    press(&mut ro, ":job cancel j0001");
    assert_eq!(update(&mut ro, key(KeyCode::Enter)), vec![]);
    assert_eq!(ro.mode, Mode::Normal);
}

#[test]
fn a_poll_keeps_the_selection_on_the_same_subtask_and_the_filter_keeps_a_tree() {
    let mut s = with_jobs((80, 24));
    press(&mut s, "jjj"); // io
    let mut fresh = jobs();
    // A new job arrives at the top: the rows move down by one job and none of its subtasks.
    fresh.insert(0, job(3, JobState::Decomposing, Vec::new()));
    update(&mut s, Msg::Net(Net::Jobs(JobsData::Loaded(fresh))));
    let row = s.job_rows[s.selected_index(Tab::Jobs).unwrap()];
    let job = &s.jobs.jobs()[row.job];
    assert_eq!(job.subtasks[row.sub.unwrap()].subtask.id, "io");

    // Filtering by a job's id keeps its subtask rows (they match on their job).
    press(&mut s, "/j0002");
    update(&mut s, key(KeyCode::Enter));
    assert_eq!(
        s.visible[Tab::Jobs.index()].len(),
        3,
        "the job and its two subtasks"
    );
}

#[test]
fn frozen_jobs_wait_and_a_coordinator_without_jobs_says_so() {
    let mut s = with_jobs((80, 24));
    update(&mut s, ch('f'));
    update(&mut s, Msg::Net(Net::Jobs(JobsData::Loaded(Vec::new()))));
    assert_eq!(s.jobs.jobs().len(), 2, "held while frozen");
    update(&mut s, ch('f'));
    assert!(s.jobs.jobs().is_empty());

    update(&mut s, Msg::Net(Net::Jobs(JobsData::Disabled)));
    let text = screen_text(&s);
    assert!(text.contains("has no jobs"), "{text}");
}
