//! The rules a decomposition must meet before the coordinator schedules it: every rule names what
//! is wrong in words the model can act on, because the first error is sent back to it for one
//! more try.

use crate::api::{LANGUAGES, Subtask};
use std::collections::{BTreeMap, BTreeSet};

/// The longest subtask id: ids end up in logs, trees and task names.
const MAX_ID_LEN: usize = 64;

/// Checks `subtasks` against the rules and returns them tidied (trimmed ids, lower-case
/// languages, no repeated dependencies, an empty check dropped, a missing title taken from the
/// prompt); the error is the first broken rule.
pub fn validate(mut subtasks: Vec<Subtask>, limit: usize) -> Result<Vec<Subtask>, String> {
    if subtasks.is_empty() {
        return Err("the answer has no subtasks: give at least one".into());
    }
    if subtasks.len() > limit {
        return Err(format!(
            "the answer has {} subtasks, more than the limit of {limit}: merge some",
            subtasks.len()
        ));
    }
    let mut ids = BTreeSet::new();
    for s in &mut subtasks {
        s.id = s.id.trim().to_string();
        if s.id.is_empty() {
            return Err("a subtask has an empty id: give each a short id like s1".into());
        }
        if s.id.len() > MAX_ID_LEN
            || !s
                .id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c))
        {
            return Err(format!(
                "subtask id {:?} is not a short name of letters, digits, '_', '.' and '-'",
                s.id
            ));
        }
        if !ids.insert(s.id.clone()) {
            return Err(format!(
                "two subtasks have the id {:?}: ids must be unique",
                s.id
            ));
        }
        if s.prompt.trim().is_empty() {
            return Err(format!(
                "subtask {} has an empty prompt: say what it does",
                s.id
            ));
        }
        if s.title.trim().is_empty() {
            s.title = first_line(&s.prompt);
        }
        s.title = s.title.trim().to_string();
        s.language = s.language.trim().to_ascii_lowercase();
        if !LANGUAGES.contains(&s.language.as_str()) {
            return Err(format!(
                "subtask {} has the language {:?}, which is not one of: {}",
                s.id,
                s.language,
                LANGUAGES.join(", ")
            ));
        }
        for path in &s.files {
            if crate::coding::outputs::safe_relative(path).is_none() {
                return Err(format!(
                    "subtask {} owns the path {path:?}, which leaves the working dir: use \
                     relative paths without `..`",
                    s.id
                ));
            }
        }
        let mut seen = BTreeSet::new();
        s.depends_on.retain(|d| seen.insert(d.trim().to_string()));
        for d in &mut s.depends_on {
            *d = d.trim().to_string();
        }
        if s.check.as_deref().is_some_and(|c| c.trim().is_empty()) {
            s.check = None;
        }
    }
    for s in &subtasks {
        for d in &s.depends_on {
            if !ids.contains(d) {
                return Err(format!(
                    "subtask {} depends on {d:?}, which is not the id of any subtask",
                    s.id
                ));
            }
        }
    }
    if let Some(cycle) = cycle(&subtasks) {
        return Err(format!(
            "the dependencies form a cycle ({}): a subtask cannot wait for itself",
            cycle.join(" → ")
        ));
    }
    Ok(subtasks)
}

/// The subtasks on a dependency cycle, in order, the first repeated at the end; None: acyclic.
fn cycle(subtasks: &[Subtask]) -> Option<Vec<String>> {
    let deps: BTreeMap<&str, Vec<&str>> = subtasks
        .iter()
        .map(|s| {
            (
                s.id.as_str(),
                s.depends_on.iter().map(String::as_str).collect(),
            )
        })
        .collect();
    // 0 unvisited, 1 on the current path, 2 done.
    let mut state: BTreeMap<&str, u8> = BTreeMap::new();
    for start in deps.keys() {
        let mut path: Vec<&str> = Vec::new();
        if let Some(c) = visit(start, &deps, &mut state, &mut path) {
            return Some(c);
        }
    }
    None
}

fn visit<'a>(
    id: &'a str,
    deps: &BTreeMap<&'a str, Vec<&'a str>>,
    state: &mut BTreeMap<&'a str, u8>,
    path: &mut Vec<&'a str>,
) -> Option<Vec<String>> {
    match state.get(id).copied().unwrap_or(0) {
        2 => return None,
        1 => {
            let from = path.iter().position(|p| *p == id).unwrap_or(0);
            let mut c: Vec<String> = path[from..].iter().map(|s| s.to_string()).collect();
            c.push(id.to_string());
            return Some(c);
        }
        _ => {}
    }
    state.insert(id, 1);
    path.push(id);
    for d in deps.get(id).map(Vec::as_slice).unwrap_or(&[]) {
        if let Some(c) = visit(d, deps, state, path) {
            return Some(c);
        }
    }
    path.pop();
    state.insert(id, 2);
    None
}

/// A title from a prompt: its first line, at most 80 characters.
pub fn first_line(prompt: &str) -> String {
    let line = prompt.trim().lines().next().unwrap_or_default().trim();
    let mut title: String = line.chars().take(80).collect();
    if line.chars().count() > 80 {
        title.push('…');
    }
    title
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sub(id: &str, deps: &[&str]) -> Subtask {
        Subtask {
            id: id.into(),
            title: format!("do {id}"),
            prompt: format!("write {id}"),
            language: "python".into(),
            files: vec![format!("{id}.py")],
            depends_on: deps.iter().map(|d| d.to_string()).collect(),
            check: None,
        }
    }

    #[test]
    fn a_valid_graph_passes_tidied() {
        let mut a = sub("a", &[]);
        a.language = " Python ".into();
        a.title = " ".into();
        a.check = Some("  ".into());
        let b = sub("b", &["a", "a"]);
        let out = validate(vec![a, b], 8).expect("valid");
        assert_eq!(out[0].language, "python");
        assert_eq!(out[0].title, "write a");
        assert_eq!(out[0].check, None);
        assert_eq!(out[1].depends_on, vec!["a".to_string()]);
    }

    #[test]
    fn no_subtasks_is_refused() {
        assert!(validate(vec![], 8).unwrap_err().contains("no subtasks"));
    }

    #[test]
    fn more_than_the_limit_is_refused() {
        let many: Vec<Subtask> = (0..5).map(|i| sub(&format!("s{i}"), &[])).collect();
        let err = validate(many, 4).unwrap_err();
        assert!(
            err.contains("5 subtasks, more than the limit of 4"),
            "{err}"
        );
    }

    #[test]
    fn duplicate_ids_are_refused() {
        let err = validate(vec![sub("a", &[]), sub("a", &[])], 8).unwrap_err();
        assert!(err.contains("two subtasks have the id \"a\""), "{err}");
    }

    #[test]
    fn empty_and_odd_ids_are_refused() {
        assert!(
            validate(vec![sub(" ", &[])], 8)
                .unwrap_err()
                .contains("empty id")
        );
        let err = validate(vec![sub("a b/c", &[])], 8).unwrap_err();
        assert!(err.contains("not a short name"), "{err}");
    }

    #[test]
    fn unknown_dependencies_are_refused() {
        let err = validate(vec![sub("a", &["zz"])], 8).unwrap_err();
        assert!(err.contains("depends on \"zz\""), "{err}");
    }

    #[test]
    fn cycles_are_refused_and_named() {
        let err = validate(vec![sub("a", &["b"]), sub("b", &["a"])], 8).unwrap_err();
        assert!(err.contains("cycle (a → b → a)"), "{err}");
        let err = validate(vec![sub("a", &["a"])], 8).unwrap_err();
        assert!(err.contains("cycle (a → a)"), "{err}");
        let long = vec![
            sub("a", &["c"]),
            sub("b", &["a"]),
            sub("c", &["b"]),
            sub("d", &[]),
        ];
        assert!(validate(long, 8).unwrap_err().contains("cycle"));
    }

    #[test]
    fn unknown_languages_are_refused() {
        let mut a = sub("a", &[]);
        a.language = "cobol".into();
        let err = validate(vec![a], 8).unwrap_err();
        assert!(err.contains("\"cobol\", which is not one of"), "{err}");
    }

    #[test]
    fn empty_prompts_are_refused() {
        let mut a = sub("a", &[]);
        a.prompt = "  \n".into();
        assert!(validate(vec![a], 8).unwrap_err().contains("empty prompt"));
    }

    #[test]
    fn paths_that_escape_are_refused() {
        for bad in ["../x.py", "/etc/passwd", "a/../../b", "", "a\\b"] {
            let mut a = sub("a", &[]);
            a.files = vec![bad.into()];
            let err = validate(vec![a], 8).unwrap_err();
            assert!(err.contains("leaves the working dir"), "{bad}: {err}");
        }
        let mut ok = sub("a", &[]);
        ok.files = vec!["./src/x.py".into(), "pkg/mod.py".into()];
        assert!(validate(vec![ok], 8).is_ok());
    }
}
