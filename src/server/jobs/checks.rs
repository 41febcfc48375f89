//! Checks a model proposed for its subtasks, looked at before any task runs them. A small model
//! under a JSON schema fills the `check` field with whatever fits the grammar (a section number
//! like `2.1.1.1`, a sentence), and a subtask whose check cannot run fails however good its code
//! is, taking its dependants down with it. So a proposed check must read as a command line whose
//! program looks like a program; one that does not is dropped (the subtask runs as a part with no
//! check of its own: `start::part_check`) and the drop is said in the job's log.
//!
//! Only the shape is judged here: whether the program exists is for the node that runs it.

/// Longest check accepted from a decomposition, in characters: a one-line command, not a script.
pub const MAX_CHECK_CHARS: usize = 500;

/// Why a proposed check cannot be used, or None when it can.
pub fn rejected(check: &str) -> Option<String> {
    let text = check.trim();
    if text.is_empty() {
        return Some("it is empty".into());
    }
    let chars = text.chars().count();
    if chars > MAX_CHECK_CHARS {
        return Some(format!(
            "it is {chars} characters long, more than the {MAX_CHECK_CHARS} a check may have"
        ));
    }
    if text.chars().any(|c| c.is_control()) {
        return Some("it holds control characters or more than one line".into());
    }
    let words = match shell_words::split(text) {
        Ok(words) => words,
        Err(_) => return Some("it does not parse as a command line (an unclosed quote)".into()),
    };
    // Leading `NAME=value` words set the environment of the program that follows.
    let Some(program) = words.iter().find(|w| !is_assignment(w)) else {
        return Some("it sets variables but names no program".into());
    };
    if !looks_like_program(program) {
        return Some(format!(
            "its first word {program:?} is not a program name or path"
        ));
    }
    if reads_as_prose(&words) {
        return Some("it reads as a sentence, not a command".into());
    }
    None
}

/// `NAME=value`, as a shell reads an assignment before a command.
fn is_assignment(word: &str) -> bool {
    let Some((name, _)) = word.split_once('=') else {
        return false;
    };
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// A name or path: letters, digits and `_ . / + -`, at least one letter, not an option.
fn looks_like_program(word: &str) -> bool {
    !word.is_empty()
        && !word.starts_with('-')
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '/' | '+' | '-'))
        && word.chars().any(|c| c.is_ascii_alphabetic())
}

/// A capitalised word followed only by plain words ("Run the tests", "Check that it works."):
/// a description of a check rather than one. Programs are rarely capitalised, and a command
/// almost always has an argument that is not a plain word (a path, an option, a quote).
fn reads_as_prose(words: &[String]) -> bool {
    let capitalised = words.first().is_some_and(|w| {
        let mut chars = w.chars();
        chars.next().is_some_and(|c| c.is_ascii_uppercase())
            && chars.all(|c| c.is_ascii_lowercase())
    });
    capitalised
        && words.len() >= 3
        && words.iter().all(|w| {
            w.trim_end_matches(['.', ',', '!', '?'])
                .chars()
                .all(|c| c.is_ascii_alphabetic())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_pass_and_numbers_prose_and_broken_lines_are_rejected() {
        let good = [
            "true",
            "pytest -q",
            "python3 -m pytest test_all.py",
            "python3 -c 'import shapes, greet'",
            "test -f main.py && python3 main.py",
            "./run_tests.sh",
            "/usr/bin/env python3 main.py",
            "PYTHONPATH=. python3 -m unittest",
            "cargo test --quiet",
            "go test ./...",
            "sh -c \"echo ok\"",
            "g++ -o a main.cpp",
            "Rscript test.R",
        ];
        for check in good {
            assert_eq!(rejected(check), None, "{check:?} should pass");
        }
        let long = format!("echo {}", "x".repeat(MAX_CHECK_CHARS));
        let bad = [
            ("2.1.1.1", "not a program"),
            ("42", "not a program"),
            ("1.0", "not a program"),
            ("   ", "empty"),
            ("python3 -c 'import a", "does not parse"),
            ("--verbose", "not a program"),
            ("Run the tests.", "sentence"),
            ("Check that the function works", "sentence"),
            ("(none)", "not a program"),
            ("pytest\nrm -rf /", "control"),
            ("X=1", "names no program"),
            (long.as_str(), "characters long"),
        ];
        for (check, why) in bad {
            let got = rejected(check).unwrap_or_else(|| panic!("{check:?} should be rejected"));
            assert!(got.contains(why), "{check:?}: {got}");
        }
    }
}
