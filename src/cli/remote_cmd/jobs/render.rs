//! A job for people (`jobs show`, the end of `--wait`): the header, the subtasks as a tree (the
//! order and glyphs are `crate::job_tree`'s, shared with the dashboard), the log and the result.

use crate::api::{JobInfo, JobState, JobSubtask, TaskState};
use crate::cli::output::Tone;
use crate::fmt::one_line;
pub use crate::job_tree::time_of_day;
use crate::job_tree::{glyph, state_word, tree_order};

/// The tone of a job state in a table.
pub fn tone(state: JobState) -> Tone {
    match state {
        JobState::Succeeded => Tone::Good,
        JobState::Failed | JobState::Partial => Tone::Bad,
        JobState::Cancelled => Tone::Dim,
        JobState::Decomposing | JobState::Running | JobState::Aggregating => Tone::Warn,
    }
}

/// From submission to the end (or until now, with `…`, while it is going): `1.2s`, `3m`.
pub fn took(created_at: i64, finished_at: Option<i64>, now: i64) -> String {
    let end = finished_at.unwrap_or(now);
    let ms = (end - created_at).max(0);
    let text = if ms < 60_000 {
        format!("{:.1}s", ms as f64 / 1000.0)
    } else {
        crate::fmt::age(created_at, end)
    };
    if finished_at.is_some() {
        text
    } else {
        format!("{text}…")
    }
}

/// One line of the tree: glyph, id, state, title, then node, other dependencies, escalation.
pub fn subtask_line(sub: &JobSubtask, depth: usize) -> String {
    let mut line = format!(
        "{}{} {} {}  {}",
        "  ".repeat(depth + 1),
        glyph(sub),
        sub.subtask.id,
        state_word(sub),
        one_line(&sub.subtask.title, 60)
    );
    if let Some(node) = &sub.node_id {
        line.push_str(&format!("  node {node}"));
    }
    if sub.subtask.depends_on.len() > 1 {
        line.push_str(&format!("  after {}", sub.subtask.depends_on.join(", ")));
    }
    if sub.escalated {
        line.push_str("  [escalated]");
    }
    if let Some(task) = &sub.task_id {
        line.push_str(&format!("  task {task}"));
    }
    line
}

/// `jobs show`: the whole job for people.
pub fn details(job: &JobInfo, now: i64) -> String {
    let mut out = format!("job          {}\n", job.id);
    out.push_str(&format!("state        {}\n", job.state.as_str()));
    if let Some(error) = &job.error {
        out.push_str(&format!("error        {}\n", one_line(error, 200)));
    }
    out.push_str(&format!("prompt       {}\n", one_line(&job.prompt, 200)));
    out.push_str(&format!(
        "language     {}   model {}   decompose {}\n",
        job.language,
        job.model.as_deref().unwrap_or("(each node's)"),
        match job.decompose {
            crate::api::DecomposeMode::Auto => "auto",
            crate::api::DecomposeMode::Never => "never",
        }
    ));
    if let Some(check) = &job.check {
        out.push_str(&format!("check        {}\n", one_line(check, 200)));
    }
    if let Some(check) = &job.part_check {
        out.push_str(&format!("part check   {}\n", one_line(check, 200)));
    }
    out.push_str(&format!(
        "submitted    by {}, {} ago, took {}\n",
        job.submitted_by,
        crate::fmt::age(job.created_at, now),
        took(job.created_at, job.finished_at, now)
    ));
    let done = job
        .subtasks
        .iter()
        .filter(|s| s.state == Some(TaskState::Succeeded))
        .count();
    out.push_str(&format!(
        "subtasks     {} ({done} succeeded)\n",
        job.subtasks.len()
    ));
    for (depth, i) in tree_order(&job.subtasks) {
        let sub = &job.subtasks[i];
        out.push_str(&subtask_line(sub, depth));
        out.push('\n');
        if let Some(error) = &sub.error {
            out.push_str(&format!(
                "{}  {}\n",
                "  ".repeat(depth + 2),
                one_line(error, 160)
            ));
        }
    }
    if !job.log.is_empty() {
        out.push_str("log\n");
        for line in &job.log {
            out.push_str(&format!(
                "  {}  {}\n",
                time_of_day(line.at),
                one_line(&line.message, 200)
            ));
        }
    }
    if let Some(result) = &job.result {
        out.push_str("result\n");
        let names: Vec<&str> = result.files.iter().map(|f| f.path.as_str()).collect();
        out.push_str(&format!(
            "  files      {}\n",
            if names.is_empty() {
                "(none)".to_string()
            } else {
                names.join(", ")
            }
        ));
        for c in &result.conflicts {
            out.push_str(&format!(
                "  conflict   {} written by {}: {}\n",
                c.path,
                c.subtasks.join(", "),
                match &c.kept {
                    Some(kept) => format!("kept {kept}'s"),
                    None => "undecided".to_string(),
                }
            ));
        }
        if !result.failed_subtasks.is_empty() {
            out.push_str(&format!(
                "  failed     {}\n",
                result.failed_subtasks.join(", ")
            ));
        }
        match result.check_passed {
            Some(passed) => out.push_str(&format!(
                "  check      {}{}\n",
                if passed { "passed" } else { "failed" },
                result
                    .check_task_id
                    .as_deref()
                    .map(|t| format!(" (task {t})"))
                    .unwrap_or_default()
            )),
            None => out.push_str("  check      not run\n"),
        }
        if let Some(output) = &result.check_output
            && !output.trim().is_empty()
        {
            for line in output.trim_end().lines() {
                out.push_str(&format!("    {line}\n"));
            }
        }
        out.push_str(&format!(
            "  tokens     {} in, {} out; {} credits\n",
            result.tokens_in, result.tokens_out, result.credits
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::Subtask;

    #[test]
    fn a_subtask_line_names_its_other_dependencies_node_and_escalation() {
        let mut sub = JobSubtask {
            subtask: Subtask {
                id: "cli".into(),
                title: "write the\nCLI".into(),
                prompt: String::new(),
                language: "python".into(),
                files: Vec::new(),
                depends_on: vec!["parser".into(), "io".into()],
                check: None,
            },
            task_id: None,
            state: None,
            escalated: false,
            node_id: None,
            error: None,
            iterations: Vec::new(),
        };
        assert_eq!(
            subtask_line(&sub, 1),
            "    · cli waiting  write the CLI  after parser, io"
        );
        sub.state = Some(TaskState::Running);
        sub.node_id = Some("n1".into());
        sub.escalated = true;
        sub.task_id = Some("t9".into());
        assert_eq!(
            subtask_line(&sub, 0),
            "  ▶ cli running  write the CLI  node n1  after parser, io  [escalated]  task t9"
        );
    }
}
