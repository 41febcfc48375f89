//! The edgecoder env file: `KEY=value` lines read by systemd (`EnvironmentFile=`) and also
//! `source`d by POSIX sh.
//!
//! Only the syntax both readers understand identically is accepted, so a value can never mean
//! one thing to the service and another to a shell script. Edits touch only the affected lines
//! so that hand-written comments, ordering and unknown keys survive byte for byte.
//!
//! Caveat: `export KEY=value` lines are accepted and kept because shell users write them, but
//! systemd does not strip `export` and drops such a line ("Ignoring invalid environment
//! assignment"), so keys set through `set` are never written with it.
//!
//! The keys edgecoder itself knows (validation, secrets, masking) are in `known`.

use std::fmt;
use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

mod known;

pub use known::{is_known, is_secret, mask, shown, validate_known};

/// One physical line, kept as written so untouched lines render exactly as read.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Line {
    raw: String,
    /// `None` for blank lines and comments.
    entry: Option<Entry>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry {
    /// Indentation plus any `export `, so that `set` can keep them.
    prefix: String,
    key: String,
    value: String,
}

impl Line {
    fn has_key(&self, key: &str) -> bool {
        self.entry.as_ref().is_some_and(|e| e.key == key)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EnvFile {
    lines: Vec<Line>,
    /// Remembered so that a file without a final newline round-trips unchanged.
    final_newline: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub line: usize,
    pub reason: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.reason)
    }
}

impl std::error::Error for ParseError {}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ValueError {
    InvalidKey(String),
    /// Carries the full human message, which says what to do instead.
    Unrepresentable(String),
}

impl fmt::Display for ValueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ValueError::InvalidKey(key) => write!(
                f,
                "invalid key {key:?}: use only letters, digits and '_', not starting with a digit"
            ),
            ValueError::Unrepresentable(msg) => f.write_str(msg),
        }
    }
}

impl std::error::Error for ValueError {}

impl EnvFile {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn parse(text: &str) -> Result<EnvFile, ParseError> {
        let mut file = EnvFile {
            lines: Vec::new(),
            final_newline: text.ends_with('\n'),
        };
        if text.is_empty() {
            return Ok(file);
        }
        let body = text.strip_suffix('\n').unwrap_or(text);
        for (i, line) in body.split('\n').enumerate() {
            let parsed = parse_line(line).map_err(|reason| ParseError {
                line: i + 1,
                reason,
            })?;
            file.lines.push(parsed);
        }
        Ok(file)
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        self.pairs()
            .filter(|(k, _)| *k == key)
            .last()
            .map(|(_, v)| v)
    }

    /// Ordered by each key's last occurrence, because that is the line that takes effect.
    pub fn entries(&self) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = Vec::new();
        for (k, v) in self.pairs() {
            out.retain(|(seen, _)| seen != k);
            out.push((k.to_string(), v.to_string()));
        }
        out
    }

    /// Rewrites only the last occurrence (the effective one) and leaves the line untouched when
    /// the value is unchanged, so a no-op edit never reformats hand-written quoting.
    pub fn set(&mut self, key: &str, value: &str) -> Result<(), ValueError> {
        if !is_valid_key(key) {
            return Err(ValueError::InvalidKey(key.to_string()));
        }
        let quoted = quote_value(value)?;
        if let Some(line) = self.lines.iter_mut().rev().find(|l| l.has_key(key)) {
            if let Some(e) = line.entry.as_mut().filter(|e| e.value != value) {
                line.raw = format!("{}{key}={quoted}", e.prefix);
                e.value = value.to_string();
            }
        } else {
            let entry = Entry {
                prefix: String::new(),
                key: key.into(),
                value: value.into(),
            };
            self.lines.push(Line {
                raw: format!("{key}={quoted}"),
                entry: Some(entry),
            });
            self.final_newline = true;
        }
        Ok(())
    }

    pub fn unset(&mut self, key: &str) -> bool {
        let before = self.lines.len();
        self.lines.retain(|l| !l.has_key(key));
        self.lines.len() != before
    }

    pub fn render(&self) -> String {
        let mut out = self
            .lines
            .iter()
            .map(|l| l.raw.as_str())
            .collect::<Vec<_>>()
            .join("\n");
        if self.final_newline && !self.lines.is_empty() {
            out.push('\n');
        }
        out
    }

    fn pairs(&self) -> impl Iterator<Item = (&str, &str)> {
        let entries = self.lines.iter().filter_map(|l| l.entry.as_ref());
        entries.map(|e| (e.key.as_str(), e.value.as_str()))
    }
}

fn is_valid_key(key: &str) -> bool {
    let mut chars = key.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Shown in error messages; long lines are cut so one bad line cannot flood the terminal.
fn snippet(s: &str) -> String {
    if s.chars().count() <= 60 {
        format!("{s:?}")
    } else {
        format!("{:?}...", s.chars().take(57).collect::<String>())
    }
}

fn is_bad_control(c: char) -> bool {
    c.is_control() && c != '\t'
}

const BLANKS: [char; 2] = [' ', '\t'];

fn parse_line(line: &str) -> Result<Line, String> {
    // systemd also ends a line at '\r' and stops reading at NUL, while sh keeps both as data.
    if line.contains('\r') {
        return Err(
            "carriage return found (Windows line endings), which systemd and sh read \
                    differently; convert the file with `dos2unix`"
                .into(),
        );
    }
    if line.contains('\0') {
        return Err("NUL byte found; systemd stops reading the file there".into());
    }
    let rest = line.trim_start_matches(BLANKS);
    if rest.is_empty() {
        return Ok(Line {
            raw: line.into(),
            entry: None,
        });
    }
    if rest.starts_with('#') {
        // systemd before v254 continues such a comment onto the next line, hiding it.
        if rest.ends_with('\\') {
            return Err(
                "comment ends with a backslash, which older systemd versions treat as \
                        continuing onto the next line; remove the trailing backslash"
                    .into(),
            );
        }
        return Ok(Line {
            raw: line.into(),
            entry: None,
        });
    }
    let body = rest
        .strip_prefix("export")
        .filter(|r| r.starts_with(BLANKS))
        .map_or(rest, |r| r.trim_start_matches(BLANKS));
    let prefix = &line[..line.len() - body.len()];
    let expected = || format!("expected KEY=value, found {}", snippet(line));
    let (key, raw_value) = body.split_once('=').ok_or_else(expected)?;
    if !is_valid_key(key) {
        let trimmed = key.trim_end_matches(BLANKS);
        if trimmed != key && is_valid_key(trimmed) {
            return Err(format!(
                "no spaces are allowed before '=' (sh would run {trimmed:?} as a command); found {}",
                snippet(line)
            ));
        }
        if key.is_empty() || key.contains(BLANKS) {
            return Err(expected());
        }
        return Err(format!(
            "invalid key {key:?}: keys must match [A-Za-z_][A-Za-z0-9_]*"
        ));
    }
    let entry = Entry {
        prefix: prefix.into(),
        key: key.into(),
        value: parse_value(key, raw_value)?,
    };
    Ok(Line {
        raw: line.into(),
        entry: Some(entry),
    })
}

fn parse_value(key: &str, raw: &str) -> Result<String, String> {
    let trimmed = raw.trim_end_matches(BLANKS);
    if trimmed.is_empty() {
        return Ok(String::new());
    }
    if raw.starts_with(BLANKS) {
        return Err(format!(
            "no spaces are allowed after '=' in {key} (systemd skips them, sh runs the rest as a \
             command); quote the value instead"
        ));
    }
    let (value, after) = if let Some(body) = raw.strip_prefix('\'') {
        let end = body
            .find('\'')
            .ok_or_else(|| format!("value of {key} has no closing ' (values cannot span lines)"))?;
        if body[..end].contains(is_bad_control) {
            return Err(format!("value of {key} contains a control character"));
        }
        (body[..end].to_string(), &body[end + 1..])
    } else if let Some(body) = raw.strip_prefix('"') {
        parse_double_quoted(key, body)?
    } else {
        check_unquoted(key, trimmed)?;
        return Ok(trimmed.to_string());
    };
    if !after.trim_end_matches(BLANKS).is_empty() {
        return Err(format!(
            "unexpected text after the closing quote of {key}: {} (put comments on their own line)",
            snippet(after)
        ));
    }
    Ok(value)
}

/// Only escapes whose meaning is the same in systemd and sh are allowed; `$` and backticks
/// must be escaped because sh would expand them while systemd keeps them literally.
fn parse_double_quoted<'a>(key: &str, body: &'a str) -> Result<(String, &'a str), String> {
    let mut out = String::new();
    let mut chars = body.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Ok((out, &body[i + 1..])),
            '\\' => match chars.next() {
                Some((_, e @ ('"' | '\\' | '$' | '`'))) => out.push(e),
                Some((_, e)) => {
                    return Err(format!(
                        "value of {key} uses the escape \"\\{}\"; only \\\" \\\\ \\$ and \\` are \
                         allowed inside double quotes",
                        e.escape_default()
                    ));
                }
                None => break,
            },
            '$' | '`' => {
                return Err(format!(
                    "value of {key} contains an unescaped '{c}' inside double quotes, which sh \
                     would expand; write \\{c} or use single quotes"
                ));
            }
            c if is_bad_control(c) => {
                return Err(format!("value of {key} contains a control character"));
            }
            c => out.push(c),
        }
    }
    Err(format!(
        "value of {key} has no closing \" (values cannot span lines)"
    ))
}

fn check_unquoted(key: &str, value: &str) -> Result<(), String> {
    let mut prev = None;
    for c in value.chars() {
        let why = match c {
            ' ' | '\t' => "sh would end the value there (comments go on their own line)",
            '\'' | '"' => "quotes must enclose the whole value",
            '#' => "it reads as a comment",
            '$' | '`' => "sh would expand it",
            '\\' => "systemd and sh read backslashes differently",
            ';' | '&' | '|' | '<' | '>' | '(' | ')' => "sh treats it as shell syntax",
            '~' if matches!(prev, None | Some(':')) => "sh would expand it to a home directory",
            c if is_bad_control(c) => {
                return Err(format!("value of {key} contains a control character"));
            }
            _ => {
                prev = Some(c);
                continue;
            }
        };
        return Err(format!(
            "value of {key} contains {c:?} unquoted: {why}; wrap the value in single quotes"
        ));
    }
    Ok(())
}

/// Characters that mean the same to systemd and sh without quotes; everything else is quoted.
fn is_plain(c: char) -> bool {
    c.is_ascii_alphanumeric() || "_./:@%+,=-".contains(c)
}

/// Prefers the least surprising form a human would write: bare, then single quotes (fully
/// literal in both readers), then double quotes with the four escapes both readers agree on.
pub fn quote_value(value: &str) -> Result<String, ValueError> {
    if let Some(c) = value.chars().find(|&c| is_bad_control(c)) {
        let what = match c {
            '\n' => "newlines",
            '\r' => "carriage returns",
            '\0' => "NUL bytes",
            _ => "control characters",
        };
        return Err(ValueError::Unrepresentable(format!(
            "values with {what} cannot be stored in an env file read by both systemd and sh; \
             put the value in a separate file and store its path instead"
        )));
    }
    if value.chars().all(is_plain) {
        Ok(value.to_string())
    } else if !value.contains('\'') {
        Ok(format!("'{value}'"))
    } else {
        let mut out = String::from("\"");
        for c in value.chars() {
            if matches!(c, '"' | '\\' | '$' | '`') {
                out.push('\\');
            }
            out.push(c);
        }
        out.push('"');
        Ok(out)
    }
}

#[derive(Debug)]
pub enum LoadError {
    Io { path: PathBuf, source: io::Error },
    Parse { path: PathBuf, error: ParseError },
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::Io { path, source } => write!(f, "cannot read {}: {source}", path.display()),
            LoadError::Parse { path, error } => write!(f, "{}: {error}", path.display()),
        }
    }
}

impl std::error::Error for LoadError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            LoadError::Io { source, .. } => Some(source),
            LoadError::Parse { error, .. } => Some(error),
        }
    }
}

/// A missing file is `Ok(None)` because "not configured yet" is a normal state, not an error.
pub fn load(path: &Path) -> Result<Option<EnvFile>, LoadError> {
    let bytes = match fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(source) => {
            return Err(LoadError::Io {
                path: path.into(),
                source,
            });
        }
    };
    let parse_error = |error| LoadError::Parse {
        path: path.into(),
        error,
    };
    let text = String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
        let reason = "not valid UTF-8 (systemd ignores such lines); re-save the file as UTF-8";
        parse_error(ParseError {
            line,
            reason: reason.into(),
        })
    })?;
    EnvFile::parse(&text).map(Some).map_err(parse_error)
}

/// Readers (systemd, a concurrent shell) must see either the old or the new file, never a
/// half-written one, and the file holds secrets, so it is never readable more widely than before.
/// A symlinked env file is replaced at its target so the link keeps working.
pub fn write_atomic(path: &Path, file: &EnvFile) -> io::Result<()> {
    let target = match fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => fs::canonicalize(path)?,
        _ => path.to_path_buf(),
    };
    if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty()) {
        fs::create_dir_all(dir)?;
    }
    let existing = match fs::metadata(&target) {
        Ok(m) => Some(m),
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(e) => return Err(e),
    };
    let data = file.render();
    crate::files::replace_with(&target, 0o600, |tmp| {
        copy_owner_and_mode(tmp, existing.as_ref())?;
        tmp.write_all(data.as_bytes())
    })
}

/// The group matters as much as the mode: a 0640 root:edgecoder file re-created as root:root
/// would lock the service out, so failing to keep the owner aborts the write.
#[cfg(unix)]
fn copy_owner_and_mode(f: &File, existing: Option<&fs::Metadata>) -> io::Result<()> {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    if let Some(m) = existing {
        let cur = f.metadata()?;
        if (cur.uid(), cur.gid()) != (m.uid(), m.gid()) {
            std::os::unix::fs::fchown(f, Some(m.uid()), Some(m.gid())).map_err(|e| {
                let msg = format!(
                    "cannot keep owner {}:{} of the env file: {e}",
                    m.uid(),
                    m.gid()
                );
                io::Error::new(e.kind(), msg)
            })?;
        }
    }
    let mode = existing.map_or(0o600, |m| m.permissions().mode() & 0o7777);
    f.set_permissions(fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
fn copy_owner_and_mode(f: &File, existing: Option<&fs::Metadata>) -> io::Result<()> {
    existing.map_or(Ok(()), |m| f.set_permissions(m.permissions()))
}

#[cfg(test)]
#[path = "envfile_tests.rs"]
mod tests;
