//! What a submission may carry: size limits per field (413, so one user cannot fill the
//! coordinator's memory or disk) and inputs no worker could ever run (400 at once, instead of an
//! accepted task that fails on every attempt: NUL bytes, an exec beyond the kernel's limits,
//! file paths that clash or leave the working directory).

use crate::api::{SubmitRequest, TaskCommand};
use crate::server::error::ApiError;
use axum::http::StatusCode;
use std::collections::BTreeSet;
use std::path::{Component, Path};

/// Limits a submission is checked against; set by the coordinator's configuration.
#[derive(Debug, Clone, Copy)]
pub struct SubmitLimits {
    pub default_timeout_secs: u64,
    pub max_timeout_secs: u64,
    pub default_max_attempts: u32,
    pub fields: FieldLimits,
}

/// Largest size of each field of a submission, in bytes (settings `max_*_bytes`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldLimits {
    /// Keys and values of `env`, summed.
    pub env: usize,
    /// Paths and contents of `files`, summed.
    pub files: usize,
    /// Every argument of an `argv` command, summed.
    pub argv: usize,
    /// A `script` command.
    pub script: usize,
    /// A coding task's prompt.
    pub prompt: usize,
    /// The artifacts one task may keep, summed (checked when its result comes).
    pub artifacts: u64,
}

impl Default for FieldLimits {
    fn default() -> Self {
        FieldLimits {
            env: 256 << 10,
            files: 4 << 20,
            argv: 256 << 10,
            script: 1 << 20,
            prompt: 256 << 10,
            artifacts: 256 << 20,
        }
    }
}

/// Linux refuses (E2BIG) any one argument or `KEY=VALUE` longer than this, NUL included
/// (MAX_ARG_STRLEN: 32 pages).
pub const MAX_ARG_STRLEN: usize = 128 << 10;

/// What argv and env may take together at exec. The kernel allows a quarter of the stack limit
/// (2 MiB with the usual 8 MiB stack); half of that leaves room for the variables the worker
/// adds and for a smaller stack limit on the node.
pub const EXEC_ARGS_LIMIT: usize = 1 << 20;

/// Longest file name and path the worker can create (NAME_MAX, PATH_MAX).
const NAME_MAX: usize = 255;
const PATH_MAX: usize = 4095;

fn too_large(field: &str, size: usize, limit: usize, setting: &str) -> ApiError {
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "field_too_large",
        format!(
            "{field} is {size} bytes; this coordinator accepts at most {limit} bytes \
             ({setting})"
        ),
    )
}

fn no_nul(field: &str, value: &str) -> Result<(), ApiError> {
    if value.contains('\0') {
        return Err(ApiError::bad_request(format!(
            "{field} contains a NUL byte, which no program can be given"
        )));
    }
    Ok(())
}

/// The command and env: NUL bytes, size limits, then what exec itself would refuse.
pub fn check_command_and_env(req: &SubmitRequest, limits: &FieldLimits) -> Result<(), ApiError> {
    match &req.command {
        TaskCommand::Argv(argv) if argv.is_empty() || argv[0].is_empty() => {
            return Err(ApiError::bad_request(
                "command.argv is empty: give the program to run and its arguments",
            ));
        }
        TaskCommand::Script(s) if s.trim().is_empty() => {
            return Err(ApiError::bad_request("command.script is empty"));
        }
        TaskCommand::Code(spec) => super::code_input::check_code(spec, limits)?,
        TaskCommand::Inference(spec) => super::inference_input::check_inference(spec, limits)?,
        _ => {}
    }
    for key in req.env.keys() {
        let valid = !key.is_empty()
            && !key.starts_with(|c: char| c.is_ascii_digit())
            && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !valid {
            return Err(ApiError::bad_request(format!(
                "env key {key:?} is not a valid variable name ([A-Za-z_][A-Za-z0-9_]*)"
            )));
        }
    }
    match &req.command {
        TaskCommand::Argv(argv) => {
            for (i, arg) in argv.iter().enumerate() {
                no_nul(&format!("command.argv[{i}]"), arg)?;
            }
        }
        TaskCommand::Script(script) => no_nul("command.script", script)?,
        TaskCommand::Code(_) | TaskCommand::Inference(_) => {}
    }
    for (key, value) in &req.env {
        no_nul(&format!("env {key}"), value)?;
    }

    let env_bytes: usize = req.env.iter().map(|(k, v)| k.len() + v.len()).sum();
    if env_bytes > limits.env {
        return Err(too_large(
            "env (keys and values)",
            env_bytes,
            limits.env,
            "EDGECODER_MAX_ENV_BYTES",
        ));
    }
    match &req.command {
        TaskCommand::Argv(argv) => {
            let argv_bytes: usize = argv.iter().map(String::len).sum();
            if argv_bytes > limits.argv {
                return Err(too_large(
                    "command.argv",
                    argv_bytes,
                    limits.argv,
                    "EDGECODER_MAX_ARGV_BYTES",
                ));
            }
        }
        TaskCommand::Script(script) if script.len() > limits.script => {
            return Err(too_large(
                "command.script",
                script.len(),
                limits.script,
                "EDGECODER_MAX_SCRIPT_BYTES",
            ));
        }
        TaskCommand::Script(_) | TaskCommand::Code(_) | TaskCommand::Inference(_) => {}
    }
    check_exec_limits(req)
}

/// What `execve` would refuse with E2BIG on a Linux node. A script is run from a file, so only
/// its env counts.
fn check_exec_limits(req: &SubmitRequest) -> Result<(), ApiError> {
    let args: &[String] = match &req.command {
        TaskCommand::Argv(argv) => argv,
        TaskCommand::Script(_) | TaskCommand::Code(_) | TaskCommand::Inference(_) => &[],
    };
    for (i, arg) in args.iter().enumerate() {
        if arg.len() + 1 > MAX_ARG_STRLEN {
            return Err(ApiError::bad_request(format!(
                "command.argv[{i}] is {} bytes: the kernel refuses any one argument over {} \
                 bytes; pass large data in a file instead",
                arg.len(),
                MAX_ARG_STRLEN - 1
            )));
        }
    }
    for (key, value) in &req.env {
        // Each variable reaches the program as one `KEY=VALUE` string.
        if key.len() + value.len() + 2 > MAX_ARG_STRLEN {
            return Err(ApiError::bad_request(format!(
                "env {key} is {} bytes: the kernel refuses any one variable over {} bytes; \
                 pass large data in a file instead",
                key.len() + value.len() + 1,
                MAX_ARG_STRLEN - 1
            )));
        }
    }
    // Each string costs its bytes, its NUL and a pointer on the new program's stack.
    let cost = |len: usize| len + 1 + std::mem::size_of::<usize>();
    let total: usize = args.iter().map(|a| cost(a.len())).sum::<usize>()
        + req
            .env
            .iter()
            .map(|(k, v)| cost(k.len() + 1 + v.len()))
            .sum::<usize>();
    if total > EXEC_ARGS_LIMIT {
        return Err(ApiError::bad_request(format!(
            "command.argv and env take {total} bytes at exec; the most a task may give a \
             program is {EXEC_ARGS_LIMIT} bytes (the kernel's argument limit, with room for \
             the worker's own variables); pass large data in a file instead"
        )));
    }
    Ok(())
}

/// The files: total size, and paths the worker can create side by side in the working dir.
pub fn check_files(req: &SubmitRequest, limits: &FieldLimits) -> Result<(), ApiError> {
    let files_bytes: usize = req
        .files
        .iter()
        .map(|f| f.path.len() + f.content.len())
        .sum();
    if files_bytes > limits.files {
        return Err(too_large(
            "files (paths and contents)",
            files_bytes,
            limits.files,
            "EDGECODER_MAX_FILES_BYTES",
        ));
    }
    let mut paths = BTreeSet::new();
    for (i, file) in req.files.iter().enumerate() {
        let normal = normalized_path(&file.path)
            .map_err(|why| ApiError::bad_request(format!("files[{i}].path {why}")))?;
        if matches!(req.command, TaskCommand::Script(_))
            && normal == crate::agent::sandbox::SCRIPT_FILE_NAME
        {
            return Err(ApiError::bad_request(format!(
                "files[{i}].path {:?} is where the worker writes the task's script: choose \
                 another name",
                file.path
            )));
        }
        if !paths.insert(normal) {
            return Err(ApiError::bad_request(format!(
                "files[{i}].path {:?} is given twice",
                file.path
            )));
        }
    }
    // A file cannot also be a directory holding another file.
    for path in &paths {
        let mut prefix = path.as_str();
        while let Some((parent, _)) = prefix.rsplit_once('/') {
            if paths.contains(parent) {
                return Err(ApiError::bad_request(format!(
                    "files: {parent:?} is a file and also the directory of {path:?}"
                )));
            }
            prefix = parent;
        }
    }
    Ok(())
}

/// `path` as the worker will create it (`a//b` and `a/b/` are `a/b`), or why it cannot be.
fn normalized_path(path: &str) -> Result<String, String> {
    if path.is_empty() {
        return Err("is empty".into());
    }
    if path.contains('\0') {
        return Err(format!("{path:?} contains a NUL byte"));
    }
    if path.len() > PATH_MAX {
        return Err(format!(
            "is {} bytes; a path may have at most {PATH_MAX}",
            path.len()
        ));
    }
    let mut parts = Vec::new();
    for component in Path::new(path).components() {
        match component {
            Component::Normal(name) => {
                let name = name.to_str().unwrap_or_default();
                if name.len() > NAME_MAX {
                    return Err(format!(
                        "{path:?} has a name over {NAME_MAX} bytes, which no file system takes"
                    ));
                }
                parts.push(name);
            }
            _ => {
                return Err(format!(
                    "{path:?} must be relative and stay inside the working directory \
                     (no `/` at the start, no `.` or `..`)"
                ));
            }
        }
    }
    if parts.is_empty() {
        return Err("is empty".into());
    }
    Ok(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_normalized_or_refused() {
        assert_eq!(normalized_path("a//b/").as_deref(), Ok("a/b"));
        for bad in ["", "/etc/passwd", "../x", "a/../../x", "./a", "a\0b"] {
            assert!(normalized_path(bad).is_err(), "{bad:?} accepted");
        }
    }
}
