//! The three prompts of the loop. They are short on purpose: a small local model has a few
//! thousand tokens of context, and every byte of prompt is a byte less of answer. Files and
//! check output are capped; the repair prompt starts a fresh conversation (the task, the plan,
//! the current files, the failure) instead of growing one.

use super::language::Language;
use crate::api::{CodeSpec, TaskFile};
use crate::models::{Message, Role};

/// Most bytes of the check's output a repair prompt shows (its end: where errors are).
pub const OUTPUT_TAIL_BYTES: usize = 3 * 1024;
/// Most bytes of file contents one prompt shows.
const FILES_BYTES: usize = 6 * 1024;

const SYSTEM: &str = "You are a careful programmer. Reply with complete files in fenced code \
blocks, the file name on the fence line (```python main.py). Keep explanations to one line.";

/// What the check is, in words the model can act on.
fn goal(spec: &CodeSpec, lang: &Language) -> String {
    match &spec.check {
        Some(check) => format!("This command must exit 0: `{check}`"),
        None => format!("The program must run with `{}` and exit 0.", lang.run),
    }
}

fn task_text(spec: &CodeSpec, lang: &Language) -> String {
    format!(
        "Task: {}\nLanguage: {}. Main file: {}.\n{}",
        spec.prompt.trim(),
        lang.name,
        lang.entry,
        goal(spec, lang)
    )
}

/// The first call: what to build and how, in a few lines, no code yet.
pub fn plan(spec: &CodeSpec, lang: &Language, files: &[TaskFile]) -> Vec<Message> {
    let mut user = task_text(spec, lang);
    user.push_str(&files_text(files));
    user.push_str(
        "\nWrite a short plan (at most 5 lines): which files, what each does. No code yet.",
    );
    vec![
        Message::new(Role::System, SYSTEM),
        Message::new(Role::User, user),
    ]
}

/// The write call, continuing the plan's conversation.
pub fn write(plan_messages: &[Message], plan: &str, lang: &Language) -> Vec<Message> {
    let mut messages = plan_messages.to_vec();
    messages.push(Message::new(Role::Assistant, plan));
    messages.push(Message::new(
        Role::User,
        format!(
            "Now write the code. Give every file complete, each in its own block: ```{} {}",
            lang.fences.first().copied().unwrap_or(lang.name),
            lang.entry
        ),
    ));
    messages
}

/// A repair call: the task, the plan, the files as they are, and how the check failed.
pub fn repair(
    spec: &CodeSpec,
    lang: &Language,
    plan: &str,
    files: &[TaskFile],
    failure: &str,
) -> Vec<Message> {
    let mut user = task_text(spec, lang);
    if !plan.trim().is_empty() {
        user.push_str("\nPlan:\n");
        user.push_str(&clip_start(plan.trim(), 1024));
    }
    user.push_str(&files_text(files));
    user.push_str("\nIt failed:\n```\n");
    user.push_str(&tail(failure, OUTPUT_TAIL_BYTES));
    user.push_str(
        "\n```\nFix it. Give every file you change complete, each in its own block with its name.",
    );
    vec![
        Message::new(Role::System, SYSTEM),
        Message::new(Role::User, user),
    ]
}

fn files_text(files: &[TaskFile]) -> String {
    if files.is_empty() {
        return String::new();
    }
    let mut out = String::from("\nFiles:\n");
    let mut left = FILES_BYTES;
    for f in files {
        if left == 0 {
            out.push_str(&format!("({} not shown: too long)\n", f.path));
            continue;
        }
        let shown = clip_start(&f.content, left);
        left = left.saturating_sub(shown.len());
        out.push_str(&format!("```{}\n{}", f.path, shown));
        if !shown.ends_with('\n') {
            out.push('\n');
        }
        out.push_str("```\n");
    }
    out
}

/// The first `max` bytes of `s`, on a character boundary, marked when cut.
fn clip_start(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_string();
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}\n[… cut]\n", &s[..end])
}

/// The last `max` bytes of `s`, on a character boundary.
pub fn tail(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_string();
    }
    let mut start = s.len() - max;
    while !s.is_char_boundary(start) {
        start += 1;
    }
    s[start..].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::coding::language::lookup;

    fn spec(check: Option<&str>) -> CodeSpec {
        CodeSpec {
            prompt: "add two numbers".into(),
            language: "python".into(),
            check: check.map(str::to_string),
            model: None,
            max_iterations: None,
            check_timeout_secs: None,
            history: vec![],
        }
    }

    #[test]
    fn prompts_say_the_task_the_check_and_cap_the_failure() {
        let py = lookup("python").unwrap();
        let m = plan(&spec(Some("pytest -q")), py, &[]);
        assert!(m[1].content.contains("`pytest -q`"));
        let m = plan(&spec(None), py, &[]);
        assert!(m[1].content.contains("python3 main.py"));
        let files = [TaskFile {
            path: "main.py".into(),
            content: "x".repeat(20_000),
        }];
        let failure = format!("{}END", "y".repeat(10_000));
        let m = repair(&spec(None), py, "plan", &files, &failure);
        assert!(m[1].content.contains("END"));
        assert!(m[1].content.len() < FILES_BYTES + OUTPUT_TAIL_BYTES + 1024);
        assert_eq!(tail("héllo", 4), "llo");
    }
}
