//! Reading files out of a model's answer. Models name files in many ways (on the fence line, in
//! a comment on the first line, on the line before the fence) and add blocks that are not files
//! (usage examples, shell commands); this takes what a person would take, and nothing that
//! would leave the working dir.

use super::language::{self, Language};
use super::outputs::safe_relative;
use crate::agent::sandbox::{SCRIPT_FILE_NAME, TMP_DIR_NAME};

/// The files of one answer, in the order they appeared (a file named twice: the last wins).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub files: Vec<(String, String)>,
    /// The last fence was never closed: the answer was cut off.
    pub cut_off: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnswerError {
    #[error("no code in the answer (expected a fenced ``` block)")]
    NoCode,
    #[error("the answer names {0:?}, a path outside the working dir; refused")]
    Escapes(String),
}

struct Block {
    name: Option<String>,
    tag: Option<String>,
    body: String,
    closed: bool,
}

/// Parses `text`; an unnamed block becomes `default_path` (the language's entry file, or the
/// task's only input file).
pub fn parse_answer(
    text: &str,
    lang: &Language,
    default_path: &str,
) -> Result<Answer, AnswerError> {
    let blocks = blocks(text);
    let cut_off = blocks.last().is_some_and(|b| !b.closed);
    let mut files: Vec<(String, String)> = Vec::new();
    let mut unnamed: Vec<&Block> = Vec::new();
    for block in &blocks {
        if block.body.trim().is_empty() {
            continue;
        }
        match &block.name {
            Some(name) => {
                let path = checked(name)?;
                put(&mut files, path, block.body.clone());
            }
            None => unnamed.push(block),
        }
    }
    if files.is_empty() {
        // Several unnamed blocks: the code is the longest one in the task's language (or
        // untagged); a shell line showing how to run it is not the program.
        let candidate = unnamed
            .iter()
            .filter(|b| b.tag.as_deref().is_none_or(|t| lang.answers_to(t)))
            .max_by_key(|b| b.body.len())
            .or_else(|| unnamed.iter().max_by_key(|b| b.body.len()));
        if let Some(block) = candidate {
            put(&mut files, default_path.to_string(), block.body.clone());
        }
    }
    if files.is_empty() {
        return Err(AnswerError::NoCode);
    }
    Ok(Answer { files, cut_off })
}

fn put(files: &mut Vec<(String, String)>, path: String, body: String) {
    files.retain(|(p, _)| *p != path);
    files.push((path, body));
}

/// A name the model gave as a safe relative path, `/`-separated; the sandbox's own files are
/// not the model's to write.
fn checked(name: &str) -> Result<String, AnswerError> {
    let escapes = || AnswerError::Escapes(name.to_string());
    let rel = safe_relative(name).ok_or_else(escapes)?;
    let path = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/");
    if path == SCRIPT_FILE_NAME
        || path == TMP_DIR_NAME
        || path.starts_with(&format!("{TMP_DIR_NAME}/"))
    {
        return Err(escapes());
    }
    Ok(path)
}

/// The fenced blocks of `text`, each with the name and tag it was given.
fn blocks(text: &str) -> Vec<Block> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let Some((fence, info)) = opener(lines[i]) else {
            i += 1;
            continue;
        };
        let before = lines[..i].iter().rev().find(|l| !l.trim().is_empty());
        let (tag, mut name) = parse_info(info);
        i += 1;
        let mut body_lines = Vec::new();
        let mut closed = false;
        while i < lines.len() {
            let t = lines[i].trim();
            if t.starts_with(&fence)
                && t.trim_start_matches(fence.chars().next().unwrap_or('`'))
                    .is_empty()
            {
                closed = true;
                i += 1;
                break;
            }
            body_lines.push(lines[i]);
            i += 1;
        }
        if name.is_none()
            && let Some(first) = body_lines.first()
            && let Some(n) = comment_name(first)
        {
            name = Some(n);
            body_lines.remove(0);
        }
        if name.is_none() {
            name = before.and_then(|l| line_name(l));
        }
        let mut body = body_lines.join("\n");
        body.push('\n');
        out.push(Block {
            name,
            tag,
            body,
            closed,
        });
    }
    out
}

/// ` ```python main.py ` → (the fence, its info string).
fn opener(line: &str) -> Option<(String, &str)> {
    let t = line.trim_start();
    for ch in ['`', '~'] {
        let n = t.chars().take_while(|c| *c == ch).count();
        if n >= 3 {
            let info = &t[n..];
            if ch == '`' && info.contains('`') {
                return None;
            }
            return Some((std::iter::repeat_n(ch, n).collect(), info.trim()));
        }
    }
    None
}

/// The tag and file name of a fence's info string: `python main.py`, `python title="x.py"`,
/// `main.py`, `python:main.py`, `{.python file=x.py}`.
fn parse_info(info: &str) -> (Option<String>, Option<String>) {
    let mut tag = None;
    let mut name = None;
    let braced = info.starts_with('{');
    let cleaned = info.replace(['{', '}'], " ");
    for (i, raw) in cleaned.split_whitespace().enumerate() {
        // `{.python}` (pandoc) names the language with a dot; a later `.env` is a file.
        let token = if i == 0 && braced {
            raw.trim_start_matches('.')
        } else {
            raw
        };
        if let Some((key, value)) = token.split_once('=') {
            let key = key.to_ascii_lowercase();
            if ["title", "file", "filename", "path", "name"].contains(&key.as_str()) {
                let v = value.trim_matches(|c| c == '"' || c == '\'');
                if !v.is_empty() {
                    name = Some(v.to_string());
                }
            }
            continue;
        }
        if i == 0 {
            if let Some((t, n)) = token.split_once(':')
                && language::is_any_tag(t)
                && looks_like_file(n)
            {
                tag = Some(t.to_string());
                name = Some(n.to_string());
            } else if language::is_any_tag(token) || !looks_like_file(token) {
                tag = Some(token.to_string());
            } else {
                name = Some(token.to_string());
            }
        } else if name.is_none() && looks_like_file(token) {
            name = Some(token.to_string());
        }
    }
    (tag, name)
}

/// `# file: x.py`, `// file: src/a.js`, `-- filename: q.sql`, `/* file: a.c */`.
fn comment_name(line: &str) -> Option<String> {
    let t = line.trim();
    let rest = ["#", "//", "--", ";", "/*", "<!--"]
        .iter()
        .find_map(|p| t.strip_prefix(p))?;
    let rest = rest
        .trim()
        .trim_end_matches("*/")
        .trim_end_matches("-->")
        .trim();
    let lower = rest.to_ascii_lowercase();
    let value = ["file:", "filename:", "path:"]
        .iter()
        .find_map(|k| lower.starts_with(k).then(|| rest[k.len()..].trim()))?;
    looks_like_file(value).then(|| value.to_string())
}

/// The line before a fence, when it is only a file name: `**x.py**`, `x.py:`, `` `x.py` ``,
/// `### x.py`, `File: x.py`.
fn line_name(line: &str) -> Option<String> {
    let mut t = line.trim().trim_start_matches('#').trim();
    for prefix in ["File:", "file:", "Filename:", "filename:", "FILE:"] {
        if let Some(r) = t.strip_prefix(prefix) {
            t = r.trim();
        }
    }
    let t = t
        .trim_matches(|c| c == '*' || c == '`' || c == '_')
        .trim_end_matches(':')
        .trim_matches(|c| c == '*' || c == '`' || c == '_')
        .trim();
    looks_like_file(t).then(|| t.to_string())
}

/// A plausible file name: no spaces, and a dotted extension of letters and digits, or a known
/// extension-less name.
fn looks_like_file(s: &str) -> bool {
    if s.is_empty() || s.len() > 200 || s.chars().any(char::is_whitespace) {
        return false;
    }
    let base = s.rsplit('/').next().unwrap_or(s);
    if ["Makefile", "Dockerfile", "Gemfile", "Rakefile"].contains(&base) {
        return true;
    }
    match base.rsplit_once('.') {
        Some((stem, ext)) => {
            !ext.is_empty()
                && ext.len() <= 10
                && ext.chars().all(|c| c.is_ascii_alphanumeric())
                && (!stem.is_empty() || base.starts_with('.'))
        }
        None => false,
    }
}

#[cfg(test)]
mod tests;
