//! `edgecoder env`: the env file, edited in place with comments, order and unknown keys kept.

use super::args::{EnvArgs, EnvCommand};
use super::common_args::discovery;
use super::exit::{CliError, NOT_FOUND, OK};
use crate::config::envfile::{self, EnvFile, is_known, validate_known};
use std::path::{Path, PathBuf};

pub fn run(args: EnvArgs) -> Result<u8, CliError> {
    let path = env_file_path(&args);
    match args.command {
        EnvCommand::Path => {
            println!("{}", path.display());
            Ok(OK)
        }
        EnvCommand::List {
            show_secrets, json, ..
        } => {
            let file = load(&path)?.unwrap_or_default();
            let shown = |k: &str, v: &str| envfile::shown(k, v, show_secrets);
            if json {
                let map: serde_json::Map<String, serde_json::Value> = file
                    .entries()
                    .into_iter()
                    .map(|(k, v)| {
                        let v = shown(&k, &v);
                        (k, serde_json::Value::String(v))
                    })
                    .collect();
                super::output::print_json_line(&serde_json::Value::Object(map))?;
            } else {
                for (k, v) in file.entries() {
                    println!("{k}={}", shown(&k, &v));
                }
            }
            Ok(OK)
        }
        EnvCommand::Get { key } => {
            let file = load(&path)?.unwrap_or_default();
            match file.get(&key) {
                Some(v) => {
                    println!("{v}");
                    Ok(OK)
                }
                None => Err(CliError::new(
                    NOT_FOUND,
                    format!("{key} is not set in {}", path.display()),
                )),
            }
        }
        EnvCommand::Set { key, value } => {
            validate_known(&key, &value).map_err(CliError::usage)?;
            if !is_known(&key) {
                eprintln!("warning: {key} is not a setting edgecoder knows; it is kept as written");
            }
            let mut file = load(&path)?.unwrap_or_default();
            file.set(&key, &value)
                .map_err(|e| CliError::usage(e.to_string()))?;
            save(&path, &file)?;
            println!("{key} set in {}.", path.display());
            if read_only_at_start(&key) {
                println!(
                    "A running agent or coordinator reads {key} only when it starts: this takes \
                     effect when the agent restarts (restart its service, or stop and start \
                     `edgecoder agent`)."
                );
            }
            Ok(OK)
        }
        EnvCommand::Unset { key } => {
            let Some(mut file) = load(&path)? else {
                return Err(CliError::new(
                    NOT_FOUND,
                    format!("{} does not exist", path.display()),
                ));
            };
            if !file.unset(&key) {
                return Err(CliError::new(
                    NOT_FOUND,
                    format!("{key} is not set in {}", path.display()),
                ));
            }
            save(&path, &file)?;
            Ok(OK)
        }
        EnvCommand::Edit => edit(&path),
    }
}

fn env_file_path(args: &EnvArgs) -> PathBuf {
    discovery(&args.config)
        .env_file
        .unwrap_or_else(crate::config::paths::default_env_file)
}

fn load(path: &Path) -> Result<Option<EnvFile>, CliError> {
    envfile::load(path).map_err(|e| {
        CliError::error(format!(
            "{e}; fix it with `edgecoder env edit` or by hand (nothing was changed)"
        ))
    })
}

fn save(path: &Path, file: &EnvFile) -> Result<(), CliError> {
    envfile::write_atomic(path, file).map_err(|e| {
        CliError::error(format!(
            "cannot write {}: {e} (nothing was changed)",
            path.display()
        ))
    })
}

/// The copy the editor works on, beside the env file. It holds the file's secrets: private
/// (0600) from its creation, whatever the umask.
fn scratch_copy(path: &Path, original: &str) -> std::io::Result<PathBuf> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let scratch = dir.join(format!(".edgecoder.env.edit.{}", std::process::id()));
    crate::files::write_atomic(&scratch, original.as_bytes(), 0o600)?;
    Ok(scratch)
}

/// Edits a copy; the original is replaced only when the copy parses and its known keys validate.
fn edit(path: &Path) -> Result<u8, CliError> {
    let editor = std::env::var("VISUAL")
        .or_else(|_| std::env::var("EDITOR"))
        .unwrap_or_else(|_| "vi".to_string());
    let original = std::fs::read_to_string(path).unwrap_or_default();
    let scratch = scratch_copy(path, &original)?;
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("{editor} \"$1\""))
        .arg("edgecoder-env-edit")
        .arg(&scratch)
        .status();
    let result = (|| {
        let status = status.map_err(|e| CliError::error(format!("cannot run {editor}: {e}")))?;
        if !status.success() {
            return Err(CliError::error(format!(
                "{editor} exited with {status}; the env file was not changed"
            )));
        }
        let edited = std::fs::read_to_string(&scratch)?;
        let parsed = EnvFile::parse(&edited).map_err(|e| {
            CliError::error(format!(
                "{}: {e}; the env file was not changed",
                path.display()
            ))
        })?;
        for (k, v) in parsed.entries() {
            validate_known(&k, &v)
                .map_err(|e| CliError::error(format!("{e}; the env file was not changed")))?;
        }
        if edited != original {
            save(path, &parsed)?;
        }
        Ok(OK)
    })();
    let _ = std::fs::remove_file(&scratch);
    result
}

/// Settings that only the one-shot local commands read, each time they run; every other known
/// setting is read by `agent` and `serve` once, at start (they do not reload on SIGHUP: see
/// docs/decisions.md), so changing it needs a restart.
const READ_AT_EACH_COMMAND: &[&str] = &["EDGECODER_RUNS_DIR"];

/// Whether a change to `key` waits for the agent (or coordinator) to restart.
fn read_only_at_start(key: &str) -> bool {
    is_known(key) && !READ_AT_EACH_COMMAND.contains(&key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn the_editors_copy_is_private_even_under_a_permissive_umask() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let env = dir.path().join("edgecoder.env");
        let scratch = scratch_copy(&env, "ADMIN_API_TOKEN=s3cret\n").unwrap();
        let mode = std::fs::metadata(&scratch).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "a copy of secrets readable by others");
        assert_eq!(
            std::fs::read_to_string(&scratch).unwrap(),
            "ADMIN_API_TOKEN=s3cret\n"
        );
    }
}
