//! The pure part of a job: checking a decomposition, ordering subtasks by their dependencies,
//! and merging their files. No store, no network, so every rule here is tested in isolation.

use crate::api::{JobConflict, LANGUAGES, Subtask, TaskFile};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Longest subtask id accepted (it goes into task idempotency keys and names).
const SUBTASK_ID_MAX: usize = 64;

/// Why a decomposition cannot be used, or None when it can: the coordinator checks what the
/// inference service answered rather than trusting it (a service of another version, a bug).
pub fn invalid(subtasks: &[Subtask], max: u32) -> Option<String> {
    if subtasks.is_empty() {
        return Some("the decomposition has no subtasks".into());
    }
    if subtasks.len() > max as usize {
        return Some(format!(
            "the decomposition has {} subtasks, more than the limit of {max}",
            subtasks.len()
        ));
    }
    let mut ids = BTreeSet::new();
    for s in subtasks {
        if s.id.is_empty()
            || s.id.len() > SUBTASK_ID_MAX
            || !s
                .id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        {
            return Some(format!(
                "subtask id {:?} is not 1 to {SUBTASK_ID_MAX} letters, digits, '-', '_' or '.'",
                s.id
            ));
        }
        if !ids.insert(s.id.as_str()) {
            return Some(format!("subtask id {:?} appears twice", s.id));
        }
        if !LANGUAGES.contains(&s.language.as_str()) {
            return Some(format!(
                "subtask {:?} names an unknown language {:?}",
                s.id, s.language
            ));
        }
        if s.prompt.trim().is_empty() {
            return Some(format!("subtask {:?} has an empty prompt", s.id));
        }
    }
    for s in subtasks {
        if let Some(dep) = s.depends_on.iter().find(|d| !ids.contains(d.as_str())) {
            return Some(format!(
                "subtask {:?} depends on {dep:?}, which is not a subtask",
                s.id
            ));
        }
    }
    if order(subtasks).is_none() {
        return Some("the subtasks' dependencies form a cycle".into());
    }
    None
}

/// Indices of `subtasks` in dependency order (a dependency before its dependants, ties in the
/// decomposition's order); None when the dependencies form a cycle.
pub fn order(subtasks: &[Subtask]) -> Option<Vec<usize>> {
    let index: HashMap<&str, usize> = subtasks
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.as_str(), i))
        .collect();
    let mut pending: Vec<usize> = subtasks
        .iter()
        .map(|s| {
            s.depends_on
                .iter()
                .filter(|d| index.contains_key(d.as_str()))
                .count()
        })
        .collect();
    let mut done = vec![false; subtasks.len()];
    let mut out = Vec::with_capacity(subtasks.len());
    while out.len() < subtasks.len() {
        let next = (0..subtasks.len()).find(|&i| !done[i] && pending[i] == 0)?;
        done[next] = true;
        out.push(next);
        for (i, s) in subtasks.iter().enumerate() {
            if s.depends_on.iter().any(|d| d == &subtasks[next].id) {
                pending[i] = pending[i].saturating_sub(1);
            }
        }
    }
    Some(out)
}

/// Whether `a` depends on `b`, directly or through others.
pub fn depends_on(subtasks: &[Subtask], a: &str, b: &str) -> bool {
    let by_id: HashMap<&str, &Subtask> = subtasks.iter().map(|s| (s.id.as_str(), s)).collect();
    let mut stack = vec![a];
    let mut seen = BTreeSet::new();
    while let Some(id) = stack.pop() {
        let Some(s) = by_id.get(id) else { continue };
        for d in &s.depends_on {
            if d == b {
                return true;
            }
            if seen.insert(d.as_str()) {
                stack.push(d.as_str());
            }
        }
    }
    false
}

/// The files one succeeded subtask wrote: those of its result that are new or changed against
/// the files its task started from.
pub fn written(inputs: &[TaskFile], result: &[TaskFile]) -> Vec<TaskFile> {
    let before: HashMap<&str, &str> = inputs
        .iter()
        .map(|f| (f.path.as_str(), f.content.as_str()))
        .collect();
    result
        .iter()
        .filter(|f| before.get(f.path.as_str()) != Some(&f.content.as_str()))
        .cloned()
        .collect()
}

/// The merged tree and the conflicts found on the way.
#[derive(Debug, Default)]
pub struct Merge {
    pub files: Vec<TaskFile>,
    pub conflicts: Vec<JobConflict>,
}

/// Merges the job's inputs, then each succeeded subtask's written files in dependency order.
/// A path two subtasks wrote differently is a conflict: kept as the later one's when it depends
/// (transitively) on every other writer, else undecided (`kept: None`).
pub fn merge(
    inputs: &[TaskFile],
    subtasks: &[Subtask],
    outputs: &[(usize, Vec<TaskFile>)],
) -> Merge {
    let mut tree: BTreeMap<String, String> = inputs
        .iter()
        .map(|f| (f.path.clone(), f.content.clone()))
        .collect();
    let rank: HashMap<usize, usize> = order(subtasks)
        .unwrap_or_else(|| (0..subtasks.len()).collect())
        .into_iter()
        .enumerate()
        .map(|(pos, i)| (i, pos))
        .collect();
    let mut ordered: Vec<&(usize, Vec<TaskFile>)> = outputs.iter().collect();
    ordered.sort_by_key(|(i, _)| rank.get(i).copied().unwrap_or(usize::MAX));
    // path -> the writers so far, in dependency order, with what each wrote.
    let mut writers: BTreeMap<&str, Vec<(usize, &str)>> = BTreeMap::new();
    for (i, files) in &ordered {
        for f in files {
            writers
                .entry(f.path.as_str())
                .or_default()
                .push((*i, f.content.as_str()));
            tree.insert(f.path.clone(), f.content.clone());
        }
    }
    let mut conflicts = Vec::new();
    for (path, ws) in writers {
        let distinct: BTreeSet<&str> = ws.iter().map(|(_, c)| *c).collect();
        if ws.len() < 2 || distinct.len() < 2 {
            continue;
        }
        let Some(&(last, _)) = ws.last() else {
            continue;
        };
        let last_id = subtasks[last].id.as_str();
        let decided = ws[..ws.len() - 1]
            .iter()
            .all(|(i, _)| depends_on(subtasks, last_id, &subtasks[*i].id));
        conflicts.push(JobConflict {
            path: path.to_string(),
            subtasks: ws.iter().map(|(i, _)| subtasks[*i].id.clone()).collect(),
            kept: decided.then(|| last_id.to_string()),
        });
    }
    Merge {
        files: tree
            .into_iter()
            .map(|(path, content)| TaskFile { path, content })
            .collect(),
        conflicts,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sub(id: &str, deps: &[&str]) -> Subtask {
        Subtask {
            id: id.into(),
            title: id.into(),
            prompt: format!("do {id}"),
            language: "python".into(),
            files: vec![],
            depends_on: deps.iter().map(|d| d.to_string()).collect(),
            check: None,
        }
    }

    fn file(path: &str, content: &str) -> TaskFile {
        TaskFile {
            path: path.into(),
            content: content.into(),
        }
    }

    #[test]
    fn a_decomposition_is_checked_before_it_is_used() {
        assert_eq!(invalid(&[sub("a", &[]), sub("b", &["a"])], 8), None);
        let cycle = invalid(&[sub("a", &["b"]), sub("b", &["a"])], 8);
        assert!(cycle.is_some_and(|e| e.contains("cycle")));
        let unknown = invalid(&[sub("a", &["zz"])], 8);
        assert!(unknown.is_some_and(|e| e.contains("zz")));
        let twice = invalid(&[sub("a", &[]), sub("a", &[])], 8);
        assert!(twice.is_some_and(|e| e.contains("twice")));
        let many: Vec<Subtask> = (0..1000).map(|i| sub(&format!("s{i}"), &[])).collect();
        assert!(invalid(&many, 64).is_some_and(|e| e.contains("1000")));
        let mut odd = sub("a", &[]);
        odd.language = "cobol".into();
        assert!(invalid(&[odd], 8).is_some_and(|e| e.contains("cobol")));
        assert!(invalid(&[sub("../x", &[])], 8).is_some());
    }

    #[test]
    fn dependencies_come_first_in_order() {
        let subs = [sub("c", &["b"]), sub("b", &["a"]), sub("a", &[])];
        assert_eq!(order(&subs), Some(vec![2, 1, 0]));
        assert!(depends_on(&subs, "c", "a"));
        assert!(!depends_on(&subs, "a", "c"));
    }

    #[test]
    fn a_dependant_overrides_its_dependency_and_strangers_conflict() {
        let subs = [sub("a", &[]), sub("b", &["a"]), sub("c", &[])];
        let outputs = vec![
            (1, vec![file("x.py", "from b")]),
            (0, vec![file("x.py", "from a"), file("a.py", "a")]),
        ];
        let m = merge(&[file("in.txt", "i")], &subs, &outputs);
        let x = m
            .files
            .iter()
            .find(|f| f.path == "x.py")
            .map(|f| f.content.as_str());
        assert_eq!(x, Some("from b"));
        assert_eq!(m.conflicts.len(), 1);
        assert_eq!(m.conflicts[0].kept.as_deref(), Some("b"));
        assert_eq!(m.conflicts[0].subtasks, vec!["a", "b"]);
        assert_eq!(m.files.len(), 3);

        let outputs = vec![(0, vec![file("y.py", "a")]), (2, vec![file("y.py", "c")])];
        let m = merge(&[], &subs, &outputs);
        assert_eq!(m.conflicts[0].kept, None);
        // The same bytes from two writers are no conflict.
        let outputs = vec![(0, vec![file("y.py", "s")]), (2, vec![file("y.py", "s")])];
        assert!(merge(&[], &subs, &outputs).conflicts.is_empty());
    }

    #[test]
    fn only_new_or_changed_files_count_as_written() {
        let inputs = [file("a", "1"), file("b", "2")];
        let result = [file("a", "1"), file("b", "3"), file("c", "4")];
        let w: Vec<String> = written(&inputs, &result)
            .into_iter()
            .map(|f| f.path)
            .collect();
        assert_eq!(w, vec!["b", "c"]);
    }
}
