//! The log of the task whose detail is open: search it (`/`, then `n`/`N`), wrap long lines
//! (`w`), and save it to a file (`s`). Kept out of `update` and `view/detail` so the log's own
//! rules (what matches, which lines a window shows) live in one place that both use.
//!
//! The search is plain text, ASCII case-insensitive (a log is mostly ASCII, and byte offsets then
//! stay valid for highlighting); a new search starts at the newest match, nearest the live end.

use super::msg::Effect;
use super::state::{Detail, Mode, State, TaskDetail};
use crossterm::event::{KeyCode, KeyEvent};
use std::path::{Path, PathBuf};

/// How the log is looked at: the search and its current match, and wrapping.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LogView {
    /// What is searched for; empty when there is no search.
    pub query: String,
    /// Which match (an index into the matching lines) is current.
    pub current: usize,
    pub wrap: bool,
}

/// Every line of the log, the unfinished last one included.
pub fn lines(detail: &TaskDetail) -> Vec<&str> {
    let mut lines: Vec<&str> = detail.lines.iter().map(String::as_str).collect();
    if !detail.partial.is_empty() {
        lines.push(&detail.partial);
    }
    lines
}

/// Byte ranges of `query` in `line`, ASCII case-insensitive, not overlapping.
pub fn find_all(line: &str, query: &str) -> Vec<(usize, usize)> {
    let (hay, needle) = (line.as_bytes(), query.as_bytes());
    let mut found = Vec::new();
    if needle.is_empty() || needle.len() > hay.len() {
        return found;
    }
    let mut i = 0;
    while i + needle.len() <= hay.len() {
        let end = i + needle.len();
        if hay[i..end].eq_ignore_ascii_case(needle)
            && line.is_char_boundary(i)
            && line.is_char_boundary(end)
        {
            found.push((i, end));
            i = end;
        } else {
            i += 1;
        }
    }
    found
}

/// Indices of the lines that contain the query.
pub fn matching_lines(lines: &[&str], query: &str) -> Vec<usize> {
    if query.is_empty() {
        return Vec::new();
    }
    (0..lines.len())
        .filter(|&i| !find_all(lines[i], query).is_empty())
        .collect()
}

/// The line the window must show: the current match, if the search has one.
pub fn anchor(state: &State) -> Option<usize> {
    let lines = lines(&state.task_detail);
    let matches = matching_lines(&lines, &state.log.query);
    matches
        .get(state.log.current.min(matches.len().saturating_sub(1)))
        .copied()
}

/// The first line of a window of `rows` rows `width` wide: the live tail, or around the current
/// match. With wrapping a long line takes several rows.
pub fn window_start(state: &State, rows: usize, width: usize) -> usize {
    let lines = lines(&state.task_detail);
    if lines.is_empty() {
        return 0;
    }
    let height = |l: &str| {
        if state.log.wrap && width > 0 {
            l.chars().count().div_ceil(width).max(1)
        } else {
            1
        }
    };
    // The last line shown: the tail, or far enough past the match to centre it.
    let last = match anchor(state) {
        Some(a) => {
            let mut end = a;
            let mut used = height(lines[a]);
            while end + 1 < lines.len() && used + height(lines[end + 1]) <= rows / 2 + 1 {
                end += 1;
                used += height(lines[end]);
            }
            end
        }
        None => lines.len().saturating_sub(1),
    };
    let mut start = last + 1;
    let mut used = 0;
    while start > 0 && used + height(lines[start - 1]) <= rows.max(1) {
        start -= 1;
        used += height(lines[start]);
    }
    start.min(lines.len())
}

/// Keys of the task detail that act on its log; `None` when the key is not one of them.
pub fn detail_key(state: &mut State, key: KeyEvent) -> Option<Vec<Effect>> {
    let Some(Detail::Task(id)) = state.detail.clone() else {
        return None;
    };
    match key.code {
        KeyCode::Char('/') => {
            state.mode = Mode::LogSearch;
            state.input = state.log.query.clone();
        }
        KeyCode::Char('n') => step(state, 1),
        KeyCode::Char('N') => step(state, -1),
        KeyCode::Char('w') => {
            state.log.wrap = !state.log.wrap;
            let text = if state.log.wrap {
                "wrapping long log lines"
            } else {
                "long log lines cut at the edge"
            };
            state.flash(text, false);
        }
        KeyCode::Char('s') => return Some(save_request(state, &id)),
        _ => return None,
    }
    Some(vec![])
}

/// Typing after `/` in the task detail: the search follows every key, Enter keeps it, Esc
/// clears it.
pub fn search_key(state: &mut State, key: KeyEvent) {
    match key.code {
        KeyCode::Esc => {
            state.mode = Mode::Normal;
            state.input.clear();
            state.log.query.clear();
            return;
        }
        KeyCode::Enter => {
            state.mode = Mode::Normal;
            let found = matching_lines(&lines(&state.task_detail), &state.log.query).len();
            if !state.log.query.is_empty() && found == 0 {
                let text = format!("{:?} is not in the log", state.log.query);
                state.flash(text, true);
            }
            return;
        }
        KeyCode::Backspace => {
            state.input.pop();
        }
        KeyCode::Char(c) => state.input.push(c),
        _ => return,
    }
    state.log.query = state.input.clone();
    let found = matching_lines(&lines(&state.task_detail), &state.log.query).len();
    state.log.current = found.saturating_sub(1);
}

/// `n` (`delta` 1, towards the end) or `N` (-1): the next or previous match, going round.
fn step(state: &mut State, delta: isize) {
    let found = matching_lines(&lines(&state.task_detail), &state.log.query).len();
    if state.log.query.is_empty() {
        state.flash("search the log first: / then the text", true);
        return;
    }
    if found == 0 {
        let text = format!("{:?} is not in the log", state.log.query);
        state.flash(text, true);
        return;
    }
    let current = state.log.current.min(found - 1) as isize;
    state.log.current = (current + delta).rem_euclid(found as isize) as usize;
}

/// The file `s` writes: in the current directory, named after the task and attempt.
pub fn file_name(task_id: &str, attempt: u32) -> PathBuf {
    // Task ids are the coordinator's, but a file name must not be able to leave the directory.
    let safe: String = task_id
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    PathBuf::from(format!(
        "edgecoder-task-{safe}-attempt-{}.log",
        attempt.max(1)
    ))
}

fn save_request(state: &mut State, id: &str) -> Vec<Effect> {
    let lines = lines(&state.task_detail);
    if lines.is_empty() {
        state.flash("nothing to save: the task has no output yet", true);
        return vec![];
    }
    let mut text = lines.join("\n");
    text.push('\n');
    let path = file_name(id, state.task_detail.attempt);
    vec![Effect::SaveLog { path, text }]
}

/// Writes a saved log (through the one atomic write) and says where, or why not.
pub fn save(state: &mut State, path: &Path, text: &str) {
    let shown = std::env::current_dir()
        .map(|d| d.join(path))
        .unwrap_or_else(|_| path.to_path_buf());
    match crate::files::write_atomic(path, text.as_bytes(), 0o600) {
        Ok(()) => state.flash(format!("log saved to {}", shown.display()), false),
        Err(e) => state.flash(
            format!("cannot save the log to {}: {e}", shown.display()),
            true,
        ),
    }
}
