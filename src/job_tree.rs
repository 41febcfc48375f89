//! A job's subtasks as a tree by dependency (each under the first subtask it depends on), the
//! words and glyphs for a subtask's state, and one line per job event: shared by
//! `server jobs show`/`--follow` and the dashboard's Jobs tab, so both tell a job the same way.

use crate::api::{Event, JobSubtask, TaskState};
use crate::fmt::one_line;
use std::collections::{BTreeMap, HashMap, HashSet};

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

/// Turns a job's event stream (`/api/v1/events?job=ID&include_logs=true`: the job's own events
/// and its tasks') into lines for people. It remembers which task runs which subtask (from
/// `job.subtask_started` and `job.escalated`), so a task's events are told by subtask, and it
/// keeps of the tasks' logs only the coding loop's progress ("iteration 2/3: check failed…").
#[derive(Debug, Default)]
pub struct JobEvents {
    subtask_of: HashMap<String, String>,
    /// The end of each task's log that has no newline yet.
    partial: HashMap<String, String>,
}

impl JobEvents {
    /// The lines one event stands for (none for most task events).
    pub fn lines(&mut self, event: &Event) -> Vec<String> {
        let when = time_of_day(event.at);
        if let (Some(task), Some(sub)) = (&event.task_id, field(event, "subtask")) {
            self.subtask_of.insert(task.clone(), sub.to_string());
        }
        let what: Vec<String> = match event.kind.as_str() {
            kind if kind.starts_with("job.") => field(event, "message")
                .map(|m| one_line(m, 300))
                .or_else(|| Some(kind.trim_start_matches("job.").replace('_', " ")))
                .into_iter()
                .collect(),
            "task.leased" => vec![format!(
                "{} claimed by node {}",
                self.name(event),
                event.node_id.as_deref().unwrap_or("?")
            )],
            "task.requeued" => vec![format!(
                "{} handed back to the queue{}",
                self.name(event),
                field(event, "reason")
                    .map(|r| format!(": {}", one_line(r, 160)))
                    .unwrap_or_default()
            )],
            "task.log" => self.progress(event),
            _ => Vec::new(),
        };
        what.into_iter().map(|w| format!("{when}  {w}")).collect()
    }

    /// "subtask parser", or the task id when the subtask is not known (yet).
    fn name(&self, event: &Event) -> String {
        match event.task_id.as_deref() {
            Some(task) => match self.subtask_of.get(task) {
                Some(sub) => format!("subtask {sub}"),
                None => format!("task {task}"),
            },
            None => "a subtask".to_string(),
        }
    }

    /// The coding loop's progress lines in a task's log chunk, whole lines only.
    fn progress(&mut self, event: &Event) -> Vec<String> {
        let (Some(task), Some(text)) = (&event.task_id, field(event, "data")) else {
            return Vec::new();
        };
        if field(event, "stream") == Some("stderr") {
            return Vec::new();
        }
        let name = self.name(event);
        let buf = self.partial.entry(task.clone()).or_default();
        buf.push_str(text);
        let mut out = Vec::new();
        while let Some(end) = buf.find('\n') {
            let line: String = buf.drain(..=end).collect();
            let line = line.trim_end();
            if line.starts_with("iteration ") || line.starts_with("gave up") {
                out.push(format!("{name}: {}", one_line(line, 200)));
            }
        }
        // A line with no end in sight is not progress: do not keep it growing.
        if buf.len() > 4096 {
            buf.clear();
        }
        out
    }
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
    fn job_events_are_told_by_subtask_with_the_coding_progress() {
        let ev =
            |kind: &str, task: Option<&str>, node: Option<&str>, data: serde_json::Value| Event {
                id: 1,
                at: 3_600_000 + 61_000,
                kind: kind.into(),
                task_id: task.map(str::to_string),
                node_id: node.map(str::to_string),
                data,
            };
        let mut e = JobEvents::default();
        let msg = |m: &str| serde_json::json!({"job": "j1", "message": m});
        assert_eq!(
            e.lines(&ev(
                "job.decomposed",
                None,
                None,
                msg("decomposed into 3 subtask(s)")
            )),
            vec!["01:01:01  decomposed into 3 subtask(s)"]
        );
        let mut started = msg("subtask parser queued as task t1");
        started["subtask"] = "parser".into();
        e.lines(&ev("job.subtask_started", Some("t1"), None, started));
        assert_eq!(
            e.lines(&ev(
                "task.leased",
                Some("t1"),
                Some("n1"),
                serde_json::json!({})
            )),
            vec!["01:01:01  subtask parser claimed by node n1"]
        );
        let log = |text: &str| serde_json::json!({"attempt": 1, "stream": "stdout", "data": text});
        assert!(
            e.lines(&ev(
                "task.log",
                Some("t1"),
                None,
                log("iteration 2/3: check fa")
            ))
            .is_empty()
        );
        assert_eq!(
            e.lines(&ev(
                "task.log",
                Some("t1"),
                None,
                log("iled (exit 1)\nsome output\n")
            )),
            vec!["01:01:01  subtask parser: iteration 2/3: check failed (exit 1)"]
        );
        assert!(
            e.lines(&ev(
                "task.started",
                Some("t1"),
                Some("n1"),
                serde_json::json!({})
            ))
            .is_empty()
        );
        assert_eq!(
            e.lines(&ev(
                "task.leased",
                Some("t9"),
                Some("n2"),
                serde_json::json!({})
            )),
            vec!["01:01:01  task t9 claimed by node n2"]
        );
    }
}
