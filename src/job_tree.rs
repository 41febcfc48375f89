//! A job's subtasks as a tree by dependency (each under the first subtask it depends on), the
//! words and glyphs for a subtask's state, and one line per job event: shared by
//! `server jobs show`/`--follow` and the dashboard's Jobs tab, so both tell a job the same way.

use crate::api::{Event, JobSubtask, TaskState};
use crate::fmt::one_line;
use std::collections::{BTreeMap, HashSet};

/// One glyph per subtask state: waiting, queued, running, succeeded, failed, cancelled.
pub fn glyph(sub: &JobSubtask) -> &'static str {
    match sub.state {
        None if sub.error.is_some() => "✗",
        None => "·",
        Some(TaskState::Queued) => "○",
        Some(TaskState::Leased | TaskState::Running) => "▶",
        Some(TaskState::Succeeded) => "✓",
        Some(TaskState::Cancelled) => "⊘",
        Some(_) => "✗",
    }
}

/// The subtask's state in a word: a task state, or `waiting` / `blocked` before it has a task.
pub fn state_word(sub: &JobSubtask) -> &'static str {
    match sub.state {
        Some(s) => s.as_str(),
        None if sub.error.is_some() => "blocked",
        None => "waiting",
    }
}

/// The subtasks in tree order: (depth, index into `subs`). A subtask sits under the first of
/// its dependencies that is a subtask of this job; one whose dependencies are unknown, or that
/// sits in a cycle, is shown at the top level rather than lost.
pub fn tree_order(subs: &[JobSubtask]) -> Vec<(usize, usize)> {
    let index: BTreeMap<&str, usize> = subs
        .iter()
        .enumerate()
        .map(|(i, s)| (s.subtask.id.as_str(), i))
        .collect();
    let parent = |i: usize| -> Option<usize> {
        subs[i]
            .subtask
            .depends_on
            .iter()
            .find_map(|d| index.get(d.as_str()).copied())
            .filter(|&p| p != i)
    };
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); subs.len()];
    let mut roots = Vec::new();
    for i in 0..subs.len() {
        match parent(i) {
            Some(p) => children[p].push(i),
            None => roots.push(i),
        }
    }
    let mut out = Vec::with_capacity(subs.len());
    let mut seen = HashSet::new();
    fn walk(
        i: usize,
        depth: usize,
        children: &[Vec<usize>],
        seen: &mut HashSet<usize>,
        out: &mut Vec<(usize, usize)>,
    ) {
        if !seen.insert(i) {
            return;
        }
        out.push((depth, i));
        for &c in &children[i] {
            walk(c, depth + 1, children, seen, out);
        }
    }
    for r in roots {
        walk(r, 0, &children, &mut seen, &mut out);
    }
    // A cycle has no root: show what is left flat.
    for i in 0..subs.len() {
        walk(i, 0, &children, &mut seen, &mut out);
    }
    out
}

/// UTC time of day, "12:34:56", from Unix milliseconds.
pub fn time_of_day(ms: i64) -> String {
    let s = ms.rem_euclid(86_400_000) / 1000;
    format!("{:02}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
}

/// A string field of an event's data.
fn field<'a>(event: &'a Event, key: &str) -> Option<&'a str> {
    event.data.get(key).and_then(|v| v.as_str())
}

/// The subtask an event is about, as people know it (its id within the job).
fn subtask_of(event: &Event) -> String {
    field(event, "subtask")
        .or_else(|| field(event, "subtask_id"))
        .map(|s| format!("subtask {}", one_line(s, 60)))
        .unwrap_or_else(|| {
            event
                .task_id
                .as_deref()
                .map(|t| format!("task {t}"))
                .unwrap_or_else(|| "a subtask".into())
        })
}

/// One line for a job event (`--follow`), or None for events not worth a line.
pub fn event_line(event: &Event) -> Option<String> {
    let data = &event.data;
    let what = match event.kind.as_str() {
        "job.created" => "job accepted".to_string(),
        "job.decomposed" => {
            let n = data
                .get("subtasks")
                .and_then(|v| v.as_u64().or_else(|| v.as_array().map(|a| a.len() as u64)))
                .or_else(|| data.get("count").and_then(|v| v.as_u64()));
            match n {
                Some(1) => "not split: one subtask".to_string(),
                Some(n) => format!("decomposed into {n} subtasks"),
                None => "decomposed".to_string(),
            }
        }
        "job.subtask_started" | "job.subtask_claimed" => {
            let node = field(event, "node_id").or(event.node_id.as_deref());
            match node {
                Some(node) => format!("{} claimed by node {node}", subtask_of(event)),
                None => format!("{} queued", subtask_of(event)),
            }
        }
        "job.subtask_succeeded" => format!("{} succeeded", subtask_of(event)),
        "job.subtask_failed" => format!(
            "{} failed{}",
            subtask_of(event),
            reason(event).map(|r| format!(": {r}")).unwrap_or_default()
        ),
        "job.escalated" => format!("{} escalated to a stronger model", subtask_of(event)),
        "job.aggregating" => "every subtask ended: merging and checking".to_string(),
        "job.finished" => format!(
            "job {}{}",
            field(event, "state").unwrap_or("ended"),
            reason(event).map(|r| format!(": {r}")).unwrap_or_default()
        ),
        "job.log" => one_line(field(event, "message")?, 200),
        "task.iteration" | "code.iteration" => {
            let n = data.get("number").and_then(|v| v.as_u64())?;
            let passed = data.get("check_passed").and_then(|v| v.as_bool());
            format!(
                "{} iteration {n} {}",
                subtask_of(event),
                match passed {
                    Some(true) => "passed",
                    Some(false) => "failed",
                    None => "ran",
                }
            )
        }
        kind if kind.starts_with("job.") => {
            let rest = kind.trim_start_matches("job.").replace('_', " ");
            match reason(event) {
                Some(r) => format!("{rest}: {r}"),
                None => rest,
            }
        }
        _ => return None,
    };
    Some(format!("{}  {what}", time_of_day(event.at)))
}

/// The why of an event, when it carries one.
fn reason(event: &Event) -> Option<String> {
    ["error", "reason", "message"]
        .iter()
        .find_map(|k| field(event, k))
        .map(|r| one_line(r, 160))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::Subtask;

    fn sub(id: &str, deps: &[&str], state: Option<TaskState>) -> JobSubtask {
        JobSubtask {
            subtask: Subtask {
                id: id.into(),
                title: format!("write {id}"),
                prompt: String::new(),
                language: "python".into(),
                files: Vec::new(),
                depends_on: deps.iter().map(|d| d.to_string()).collect(),
                check: None,
            },
            task_id: state.map(|_| format!("t-{id}")),
            state,
            escalated: false,
            node_id: None,
            error: None,
            iterations: Vec::new(),
        }
    }

    #[test]
    fn the_tree_puts_each_subtask_under_its_first_dependency() {
        let subs = vec![
            sub("cli", &["parser", "io"], None),
            sub("parser", &[], Some(TaskState::Succeeded)),
            sub("io", &[], Some(TaskState::Running)),
            sub("tests", &["cli"], None),
        ];
        let order: Vec<(usize, &str)> = tree_order(&subs)
            .into_iter()
            .map(|(d, i)| (d, subs[i].subtask.id.as_str()))
            .collect();
        assert_eq!(
            order,
            vec![(0, "parser"), (1, "cli"), (2, "tests"), (0, "io")]
        );
    }

    #[test]
    fn a_cycle_or_an_unknown_dependency_loses_no_subtask() {
        let subs = vec![
            sub("a", &["b"], None),
            sub("b", &["a"], None),
            sub("c", &["zzz"], None),
        ];
        let mut seen: Vec<usize> = tree_order(&subs).into_iter().map(|(_, i)| i).collect();
        seen.sort();
        assert_eq!(seen, vec![0, 1, 2]);
    }

    #[test]
    fn event_lines_say_what_happened() {
        let ev = |kind: &str, data: serde_json::Value| Event {
            id: 1,
            at: 3_600_000 + 61_000,
            kind: kind.into(),
            task_id: None,
            node_id: Some("n1".into()),
            data,
        };
        assert_eq!(
            event_line(&ev("job.decomposed", serde_json::json!({"subtasks": 3}))).unwrap(),
            "01:01:01  decomposed into 3 subtasks"
        );
        assert_eq!(
            event_line(&ev(
                "job.subtask_started",
                serde_json::json!({"subtask": "parser"})
            ))
            .unwrap(),
            "01:01:01  subtask parser claimed by node n1"
        );
        assert!(event_line(&ev("task.log", serde_json::json!({}))).is_none());
        assert!(
            event_line(&ev(
                "job.subtask_failed",
                serde_json::json!({"subtask": "p", "error": "check\nfailed"})
            ))
            .unwrap()
            .ends_with("subtask p failed: check failed")
        );
    }
}
