//! `server tasks artifacts ID [--out DIR] [PATTERN]`: downloads the files a task kept from the
//! coordinator's blob store, each verified against its sha256, under `--out` with the paths
//! they had in the working dir. A path that would leave `--out` (`..`, absolute, or through a
//! link already there) is refused before anything is written for it.

use super::Ctx;
use crate::api::ArtifactInfo;
use crate::cli::exit::{CliError, NOT_FOUND, OK};
use crate::cli::output::print_json;
use crate::cli::server_args::ArtifactsArgs;
use serde::Serialize;
use std::path::{Component, Path, PathBuf};

/// One downloaded artifact, as `--json` lists it.
#[derive(Serialize)]
struct Saved<'a> {
    #[serde(flatten)]
    artifact: &'a ArtifactInfo,
    /// Where it was written.
    file: String,
}

pub fn run(ctx: &Ctx, args: &ArtifactsArgs) -> Result<u8, CliError> {
    let client = &ctx.remote.client;
    let task = ctx.get(|| client.task(&args.id))?;
    let matcher = match &args.pattern {
        Some(p) => Some(
            globset::GlobBuilder::new(p.trim_start_matches("./"))
                .literal_separator(true)
                .build()
                .map_err(|e| CliError::usage(format!("PATTERN {p:?} is not a valid glob: {e}")))?
                .compile_matcher(),
        ),
        None => None,
    };
    if task.artifacts.is_empty() {
        return Err(CliError::new(
            NOT_FOUND,
            format!(
                "task {} kept no artifacts (submit with --artifact GLOB to keep some{})",
                task.id,
                if task.state.is_terminal() {
                    ""
                } else {
                    "; it has not ended yet"
                }
            ),
        ));
    }
    let chosen: Vec<&ArtifactInfo> = task
        .artifacts
        .iter()
        .filter(|a| matcher.as_ref().is_none_or(|m| m.is_match(&a.path)))
        .collect();
    if chosen.is_empty() {
        return Err(CliError::new(
            NOT_FOUND,
            format!(
                "no artifact of task {} matches {:?}; it kept: {}",
                task.id,
                args.pattern.as_deref().unwrap_or(""),
                task.artifacts
                    .iter()
                    .map(|a| a.path.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ));
    }
    let mut saved = Vec::with_capacity(chosen.len());
    for artifact in chosen {
        let dest = destination(&args.out, &artifact.path)?;
        if let Some(parent) = dest.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| CliError::error(format!("cannot make {}: {e}", parent.display())))?;
        }
        ctx.get(|| client.get_blob(&artifact.sha256, &dest))
            .map_err(|e| {
                CliError::new(
                    e.code,
                    format!("artifact {} not downloaded: {}", artifact.path, e.message),
                )
            })?;
        if !ctx.json {
            println!("{} ({} bytes)", dest.display(), artifact.size);
        }
        saved.push(Saved {
            artifact,
            file: dest.display().to_string(),
        });
    }
    if ctx.json {
        print_json(&saved)?;
    }
    Ok(OK)
}

/// `out/<path>`, refusing a path that leaves `out`: `..`, absolute, or a link on the way.
fn destination(out: &Path, path: &str) -> Result<PathBuf, CliError> {
    let refuse = |why: &str| {
        CliError::error(format!(
            "artifact path {path:?} {why}; refused (nothing written for it)"
        ))
    };
    let mut dest = out.to_path_buf();
    let mut named = false;
    for c in Path::new(path).components() {
        match c {
            Component::Normal(part) => {
                dest.push(part);
                named = true;
            }
            Component::CurDir => {}
            _ => return Err(refuse("leaves the --out directory")),
        }
        if std::fs::symlink_metadata(&dest).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(refuse("goes through a symbolic link under --out"));
        }
    }
    if !named {
        return Err(refuse("names no file"));
    }
    Ok(dest)
}

#[cfg(test)]
mod tests {
    use super::destination;
    use std::path::Path;

    #[test]
    fn paths_stay_under_out() {
        let out = Path::new("/nonexistent-out");
        assert_eq!(
            destination(out, "reports/junit.xml").expect("inside"),
            out.join("reports/junit.xml")
        );
        assert!(destination(out, "../x").is_err());
        assert!(destination(out, "a/../../x").is_err());
        assert!(destination(out, "/etc/passwd").is_err());
        assert!(destination(out, ".").is_err());
    }
}
