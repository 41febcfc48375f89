//! Preparing the workdir and the command: writing the task's files (refusing
//! paths that would leave the workdir), handing them to the task user, and
//! building the `Command` with its scrubbed environment. Separate because it all happens before anything is
//! spawned and touches only the filesystem and `std::process::Command`.

use super::{RunAs, SCRIPT_FILE_NAME, SandboxError, SandboxSpec, TMP_DIR_NAME, TaskCommand};
use std::ffi::OsString;
use std::fs;
use std::io::{self, Write as _};
use std::os::unix::fs::{PermissionsExt, lchown};
use std::os::unix::process::CommandExt;
use std::path::{Component, Path, PathBuf};
use std::process::{Command, Stdio};

pub(super) fn prepare_workdir(spec: &SandboxSpec, workdir: &Path) -> Result<(), SandboxError> {
    let meta = fs::metadata(workdir).map_err(|err| {
        SandboxError::Io(io::Error::new(
            err.kind(),
            format!("workdir {}: {err}", workdir.display()),
        ))
    })?;
    if !meta.is_dir() {
        return Err(SandboxError::Io(io::Error::other(format!(
            "workdir {} is not a directory",
            workdir.display()
        ))));
    }
    // Check every name before writing anything, so a refused list writes nothing.
    let targets = spec
        .files
        .iter()
        .map(|(name, _)| checked_relative_path(name))
        .collect::<Result<Vec<_>, _>>()?;
    for ((name, data), rel) in spec.files.iter().zip(&targets) {
        refuse_symlinks(workdir, rel, name)?;
        let dest = workdir.join(rel);
        if let Some(parent) = dest.parent() {
            fs::create_dir_all(parent).map_err(SandboxError::Io)?;
        }
        fs::write(&dest, data).map_err(SandboxError::Io)?;
    }
    fs::create_dir_all(workdir.join(TMP_DIR_NAME)).map_err(SandboxError::Io)?;
    if let TaskCommand::Script(script) = &spec.command {
        write_fresh(&workdir.join(SCRIPT_FILE_NAME), script.as_bytes())
            .map_err(SandboxError::Io)?;
    }
    if let Some(user) = spec.run_as {
        hand_over(workdir, &targets, user)?;
    }
    Ok(())
}

/// Writes a new file where a reused workdir may hold anything, a symlink
/// planted by an earlier task included: never write through what is there.
fn write_fresh(path: &Path, data: &[u8]) -> io::Result<()> {
    match fs::remove_file(path) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(e),
    }
    fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?
        .write_all(data)
}

/// Gives the workdir, its `.tmp`, the task files (with the directories made for
/// them) and the script to the task user, and closes the workdir to everyone
/// else. `lchown`: a symlink is changed itself, never what it points to.
fn hand_over(workdir: &Path, files: &[PathBuf], user: RunAs) -> Result<(), SandboxError> {
    let own = |path: &Path| {
        lchown(path, Some(user.uid), Some(user.gid)).map_err(|err| {
            SandboxError::Io(io::Error::new(
                err.kind(),
                format!("handing {} to the task user: {err}", path.display()),
            ))
        })
    };
    own(workdir)?;
    own(&workdir.join(TMP_DIR_NAME))?;
    for rel in files {
        let mut path = workdir.to_path_buf();
        for part in rel.components() {
            path.push(part);
            own(&path)?;
        }
    }
    let script = workdir.join(SCRIPT_FILE_NAME);
    if fs::symlink_metadata(&script).is_ok() {
        own(&script)?;
    }
    fs::set_permissions(workdir, fs::Permissions::from_mode(0o700)).map_err(SandboxError::Io)
}

/// A task file name as a path that stays inside the workdir.
fn checked_relative_path(name: &str) -> Result<PathBuf, SandboxError> {
    let bad = |why: &str| SandboxError::BadFile(format!("{name:?}: {why}"));
    if name.contains('\0') {
        return Err(bad("contains a NUL byte"));
    }
    let mut rel = PathBuf::new();
    for component in Path::new(name).components() {
        match component {
            Component::Normal(part) => rel.push(part),
            Component::CurDir => {}
            Component::ParentDir => return Err(bad("`..` is not allowed")),
            Component::RootDir | Component::Prefix(_) => {
                return Err(bad("absolute paths are not allowed"));
            }
        }
    }
    if rel.as_os_str().is_empty() {
        return Err(bad("names no file"));
    }
    Ok(rel)
}

/// A workdir may hold a checkout with symlinks; writing through one could land
/// anywhere on disk, so refuse any existing symlink along the path.
fn refuse_symlinks(workdir: &Path, rel: &Path, name: &str) -> Result<(), SandboxError> {
    let mut path = workdir.to_path_buf();
    for part in rel.components() {
        path.push(part);
        match fs::symlink_metadata(&path) {
            Ok(meta) if meta.file_type().is_symlink() => {
                return Err(SandboxError::BadFile(format!(
                    "{name:?}: passes through a symlink"
                )));
            }
            Ok(_) => {}
            Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(()),
            Err(err) => return Err(SandboxError::Io(err)),
        }
    }
    Ok(())
}

/// The PATH a task starts with: the node's (`agent::task_env`), or the base path.
fn task_path(path: &[PathBuf]) -> OsString {
    let base = || OsString::from(crate::agent::task_env::BASE_PATH.join(":"));
    if path.is_empty() {
        return base();
    }
    std::env::join_paths(path).unwrap_or_else(|_| base())
}

/// The command with its scrubbed environment, and the program name for messages.
pub(super) fn build_command(
    spec: &SandboxSpec,
    workdir: &Path,
) -> Result<(OsString, Command), SandboxError> {
    let invalid =
        |msg: String| SandboxError::Spawn(io::Error::new(io::ErrorKind::InvalidInput, msg));
    let (program, args): (OsString, Vec<OsString>) = match &spec.command {
        TaskCommand::Argv(argv) => {
            let (first, rest) = argv
                .split_first()
                .ok_or_else(|| invalid("empty argv".into()))?;
            (first.into(), rest.iter().map(OsString::from).collect())
        }
        TaskCommand::Script(_) => (
            "/bin/sh".into(),
            vec![workdir.join(SCRIPT_FILE_NAME).into()],
        ),
    };
    let mut cmd = Command::new(&program);
    cmd.args(&args)
        .current_dir(workdir)
        .env_clear()
        .env("PATH", task_path(&spec.path))
        .env("HOME", workdir)
        .env("LANG", "C.UTF-8")
        .env("TMPDIR", workdir.join(TMP_DIR_NAME));
    for (key, value) in &spec.env {
        if key.is_empty() || key.contains('=') || key.contains('\0') {
            return Err(invalid(format!(
                "invalid environment variable name {key:?}"
            )));
        }
        cmd.env(key, value);
    }
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0);
    Ok((program, cmd))
}
