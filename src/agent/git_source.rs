//! A task's working dir from a git repository (`TaskSource::Git`).
//!
//! The node keeps one bare repository per URL under `<data dir>/git-cache/` (named by the
//! URL's sha256, so a URL never becomes a path). Each task fetches only its rev into that
//! mirror (`fetch --depth 1 origin REV`: a second task of the same repository fetches what is
//! new, never clones again) and the commit's tree is exported into the working dir through an
//! index file of its own (`read-tree` + `checkout-index`). An export, not `worktree add`: the
//! working dir holds no `.git` pointing back into the cache, so a task (as another user, under
//! Landlock) never needs the cache and cannot write into it, and no worktree metadata piles up.
//! A task that needs history clones for itself.
//!
//! Git runs as the agent with a scrubbed environment: no user or system config, no hooks,
//! `file://` only where the owner allowed it (`EDGECODER_GIT_ALLOW_FILE`: a file URL reads
//! repositories on this node's disk), no `ext::`, no terminal prompt, and a timeout.
//! Credentials of a private repository come from the task secret `credentials_secret` names
//! and reach git only through `GIT_ASKPASS` (a helper that prints two variables of git's own
//! environment): never argv, never logs; the task itself does not get that secret.
//!
//! A rev the repository does not have, or credentials it refuses, are the task's failure (the
//! same submission would fail anywhere); a repository that cannot be reached is the node's.

use super::sandbox::RunAs;
use super::task::TaskRun;
use crate::api::git::{check_rev, check_url};
use crate::api::{Outcome, TaskSource};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::fs;
use std::io::{self, Read};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The longest a fetch (or export) may take.
const GIT_TIMEOUT: Duration = Duration::from_secs(600);
/// Git's stderr kept for the error message.
const STDERR_KEEP: usize = 4096;

/// What a git source needs from the node.
#[derive(Debug, Clone)]
pub struct GitCache {
    /// `<data dir>/git-cache`.
    pub root: PathBuf,
    /// `file://` URLs allowed (`EDGECODER_GIT_ALLOW_FILE`).
    pub allow_file: bool,
}

/// Whether `name` is the secret holding the task's git credentials (kept from the task's env).
pub fn is_credentials_secret(source: Option<&TaskSource>, name: &str) -> bool {
    matches!(source, Some(TaskSource::Git { credentials_secret: Some(s), .. }) if s == name)
}

/// The task's checkout before it runs: `Ok(true)` when made; `Err(None)` when this node could
/// not (the task is handed back to the queue); `Err(Some(Failed))` when the source itself is
/// wrong (reported as the task's failure, not retried).
pub async fn prepare_for_task(
    job: &TaskRun,
    lease_id: &str,
    workdir: &Path,
    source: &TaskSource,
) -> Result<bool, Option<Outcome>> {
    let TaskSource::Git {
        url,
        rev,
        credentials_secret,
    } = source
    else {
        return Ok(false);
    };
    let task_id = job.claimed.task.id.clone();
    let credentials = credentials_secret
        .as_ref()
        .and_then(|name| job.claimed.secrets.get(name))
        .cloned();
    let cache = GitCache {
        root: job.work_root.join(".git-cache"),
        allow_file: job.task_env.git_allow_file,
    };
    let (url, rev, dir, owner) = (url.clone(), rev.clone(), workdir.to_path_buf(), job.run_as);
    let made = tokio::task::spawn_blocking(move || {
        super::task::fresh_workdir(&dir)
            .map_err(|e| GitSourceError::Node(format!("cannot make the workdir: {e}")))?;
        let source = GitSource {
            url: &url,
            rev: &rev,
            credentials: credentials.as_deref(),
        };
        let commit = prepare(&cache, &source, &dir)?;
        if let Some(user) = owner {
            hand_to(&dir, user)
                .map_err(|e| GitSourceError::Node(format!("handing the checkout over: {e}")))?;
        }
        Ok(commit)
    })
    .await
    .unwrap_or_else(|e| Err(GitSourceError::Node(format!("the git step crashed: {e}"))));
    match made {
        Ok(commit) => {
            tracing::info!(task = %task_id, %commit, "git source checked out");
            Ok(true)
        }
        Err(GitSourceError::Node(reason)) => {
            tracing::warn!(task = %task_id, "{reason}; handing the task back");
            if let Err(e) = job.client.release_task(&task_id, lease_id, &reason).await {
                tracing::warn!(task = %task_id, "could not hand the task back: {e}");
            }
            Err(None)
        }
        Err(GitSourceError::Task(reason)) => {
            tracing::info!(task = %task_id, "{reason}");
            let mut complete = super::task::failure(lease_id, reason);
            complete.permanent = true;
            super::task::report_result(&job.client, &task_id, &complete).await;
            if !job.keep_workdir {
                let _ = fs::remove_dir_all(workdir);
            }
            Err(Some(Outcome::Failed))
        }
    }
}

/// Gives every file of the checkout to the task user (`lchown`: a link itself, never its
/// target), so the task may change its own checkout.
fn hand_to(dir: &Path, user: RunAs) -> io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        std::os::unix::fs::lchown(&path, Some(user.uid), Some(user.gid))?;
        if fs::symlink_metadata(&path)?.is_dir() {
            hand_to(&path, user)?;
        }
    }
    Ok(())
}

/// Why a git source could not be made.
#[derive(Debug, thiserror::Error)]
pub enum GitSourceError {
    /// The submission's fault: it would fail on any node (bad URL, unknown rev, refused
    /// credentials, a file URL where not allowed). Not retried.
    #[error("{0}")]
    Task(String),
    /// This node's: git missing, the network, the disk. Retried elsewhere.
    #[error("{0}")]
    Node(String),
}

/// One git source of one task.
pub struct GitSource<'a> {
    pub url: &'a str,
    pub rev: &'a str,
    /// The credentials (`TOKEN` or `USER:TOKEN`), from the task secret named by the source.
    pub credentials: Option<&'a str>,
}

/// Fetches the source into the cache and exports its tree into `workdir` (which must exist,
/// empty). Returns the commit checked out, for the log.
pub fn prepare(
    cache: &GitCache,
    source: &GitSource<'_>,
    workdir: &Path,
) -> Result<String, GitSourceError> {
    check_url(source.url).map_err(GitSourceError::Task)?;
    check_rev(source.rev).map_err(GitSourceError::Task)?;
    let is_file = source.url.to_ascii_lowercase().starts_with("file://");
    if is_file && !cache.allow_file {
        return Err(GitSourceError::Task(
            "file:// git URLs are not allowed on this node (they read repositories on its \
             disk): use https:// or ssh://, or its owner sets EDGECODER_GIT_ALLOW_FILE=true"
                .into(),
        ));
    }
    let node = |what: &str, e: io::Error| GitSourceError::Node(format!("git cache: {what}: {e}"));
    fs::create_dir_all(&cache.root).map_err(|e| node("creating the cache dir", e))?;
    fs::set_permissions(&cache.root, fs::Permissions::from_mode(0o700))
        .map_err(|e| node("making the cache dir private", e))?;
    let key = hex(&Sha256::digest(source.url.as_bytes()))[..32].to_string();
    let mirror = cache.root.join(format!("{key}.git"));
    // One task at a time per mirror (fetch writes FETCH_HEAD and `shallow`); the lock file is
    // kept, never unlinked.
    let lock = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .mode(0o600)
        .open(cache.root.join(format!("{key}.lock")))
        .map_err(|e| node("opening the lock", e))?;
    rustix::fs::flock(&lock, rustix::fs::FlockOperation::LockExclusive)
        .map_err(|e| node("locking the mirror", e.into()))?;
    // Exclusive to this task while the lock is held: git's HOME and the export's index.
    let scratch = cache.root.join(format!("{key}.scratch"));
    let _ = fs::remove_dir_all(&scratch);
    fs::DirBuilder::new()
        .mode(0o700)
        .create(&scratch)
        .map_err(|e| node("a scratch dir", e))?;
    let git = Git {
        home: scratch.clone(),
        is_file,
        credentials: source.credentials,
    };
    if mirror.join("HEAD").is_file() {
        tracing::info!(mirror = %mirror.display(), "git cache: reusing the mirror of this repository");
    } else {
        let _ = fs::remove_dir_all(&mirror);
        tracing::info!(mirror = %mirror.display(), "git cache: new mirror for this repository");
        git.run(
            &cache.root,
            &["init", "--quiet", "--bare", &path_arg(&mirror)?],
        )
        .map_err(|e| e.node_only("creating the mirror"))?;
        git.run(&mirror, &["remote", "add", "origin", source.url])
            .map_err(|e| e.node_only("setting the mirror's origin"))?;
    }
    git.run(
        &mirror,
        &[
            "fetch",
            "--quiet",
            "--depth",
            "1",
            "--no-tags",
            "--no-recurse-submodules",
            "origin",
            source.rev,
        ],
    )
    .map_err(|e| e.fetch_failure(source))?;
    let commit = git
        .output(&mirror, &["rev-parse", "--verify", "FETCH_HEAD^{commit}"])
        .map_err(|e| e.node_only("reading the fetched commit"))?
        .trim()
        .to_string();
    let index = scratch.join("index");
    let export = |args: &[&str]| {
        git.with_index(&index)
            .run_in(&mirror, workdir, args)
            .map_err(|e| e.node_only("exporting the tree"))
    };
    export(&["read-tree", &commit])?;
    export(&["checkout-index", "--all", "--force"])?;
    let _ = fs::remove_dir_all(&scratch);
    Ok(commit)
}

fn path_arg(p: &Path) -> Result<String, GitSourceError> {
    p.to_str()
        .map(str::to_string)
        .ok_or_else(|| GitSourceError::Node(format!("{} is not UTF-8", p.display())))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A git failure: its exit code (None: it did not run or timed out) and stderr.
struct Failed {
    code: Option<i32>,
    stderr: String,
}

impl Failed {
    fn node_only(self, what: &str) -> GitSourceError {
        GitSourceError::Node(format!("git source: {what} failed: {}", self.stderr.trim()))
    }

    /// A fetch that git refused because of the submission (unknown rev or repository, refused
    /// credentials) is the task's failure; anything else the node's.
    fn fetch_failure(self, source: &GitSource<'_>) -> GitSourceError {
        let text = self.stderr.to_ascii_lowercase();
        let said = self.stderr.trim();
        if self.code.is_some()
            && (text.contains("couldn't find remote ref")
                || text.contains("not our ref")
                || text.contains("invalid refspec"))
        {
            return GitSourceError::Task(format!(
                "git source: the ref `{}` does not exist in {} (git: {said}); give a branch, \
                 tag or commit the repository has",
                source.rev, source.url
            ));
        }
        if self.code.is_some()
            && (text.contains("authentication failed")
                || text.contains("could not read username")
                || text.contains("does not appear to be a git repository")
                || text.contains("repository not found"))
        {
            return GitSourceError::Task(format!(
                "git source: {} could not be read (git: {said}); check the URL, and for a \
                 private repository pass its credentials with --secret NAME --git-secret NAME",
                source.url
            ));
        }
        GitSourceError::Node(format!(
            "git source: fetching {} failed on this node (git: {said})",
            source.url
        ))
    }
}

/// How git is run: scrubbed env, no config but ours, optional credentials by askpass.
struct Git<'a> {
    /// An empty private dir: git's HOME (no user config) and the askpass helper's place.
    home: PathBuf,
    is_file: bool,
    credentials: Option<&'a str>,
}

struct GitWithIndex<'g, 'a> {
    git: &'g Git<'a>,
    index: &'g Path,
}

impl<'g, 'a> GitWithIndex<'g, 'a> {
    fn run_in(&self, git_dir: &Path, work_tree: &Path, args: &[&str]) -> Result<String, Failed> {
        let mut cmd = self.git.command(git_dir)?;
        cmd.env("GIT_DIR", git_dir)
            .env("GIT_WORK_TREE", work_tree)
            .env("GIT_INDEX_FILE", self.index)
            .current_dir(work_tree)
            .args(args);
        run_bounded(cmd)
    }
}

impl<'a> Git<'a> {
    fn with_index<'g>(&'g self, index: &'g Path) -> GitWithIndex<'g, 'a> {
        GitWithIndex { git: self, index }
    }

    fn run(&self, dir: &Path, args: &[&str]) -> Result<String, Failed> {
        self.output(dir, args)
    }

    fn output(&self, dir: &Path, args: &[&str]) -> Result<String, Failed> {
        let mut cmd = self.command(dir)?;
        cmd.current_dir(dir).args(args);
        run_bounded(cmd)
    }

    fn command(&self, _dir: &Path) -> Result<Command, Failed> {
        let mut cmd = Command::new("git");
        let config: BTreeMap<&str, &str> = [
            ("core.hooksPath", "/dev/null"),
            ("core.fsmonitor", "false"),
            ("protocol.ext.allow", "never"),
            (
                "protocol.file.allow",
                if self.is_file { "always" } else { "never" },
            ),
            ("credential.helper", ""),
            ("advice.detachedHead", "false"),
        ]
        .into();
        cmd.env_clear()
            .env("PATH", crate::agent::task_env::BASE_PATH.join(":"))
            .env("HOME", &self.home)
            .env("LANG", "C")
            .env("LC_ALL", "C")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_TERMINAL_PROMPT", "0")
            .env("GIT_SSH_COMMAND", "ssh -o BatchMode=yes")
            .env("GIT_CONFIG_COUNT", config.len().to_string());
        for (i, (k, v)) in config.iter().enumerate() {
            cmd.env(format!("GIT_CONFIG_KEY_{i}"), k)
                .env(format!("GIT_CONFIG_VALUE_{i}"), v);
        }
        if let Some(creds) = self.credentials {
            let helper = self.askpass().map_err(|e| Failed {
                code: None,
                stderr: format!("writing the askpass helper: {e}"),
            })?;
            let (user, token) = creds.split_once(':').unwrap_or(("x-access-token", creds));
            cmd.env("GIT_ASKPASS", helper)
                .env("EDGECODER_GIT_USER", user)
                .env("EDGECODER_GIT_TOKEN", token);
        }
        cmd.stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        Ok(cmd)
    }

    /// The helper git asks for a user name and a password: it prints them from its own
    /// environment, so the secret is in no file and no argv.
    fn askpass(&self) -> io::Result<PathBuf> {
        let path = self.home.join("askpass");
        if !path.exists() {
            fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(0o700)
                .open(&path)
                .and_then(|mut f| {
                    io::Write::write_all(
                        &mut f,
                        b"#!/bin/sh\ncase \"$1\" in\n  Username*) printf '%s\\n' \"$EDGECODER_GIT_USER\" ;;\n  *) printf '%s\\n' \"$EDGECODER_GIT_TOKEN\" ;;\nesac\n",
                    )
                })?;
        }
        Ok(path)
    }
}

/// Runs git to its end or the timeout; stdout on success.
fn run_bounded(mut cmd: Command) -> Result<String, Failed> {
    let mut child = cmd.spawn().map_err(|e| Failed {
        code: None,
        stderr: format!("cannot run git ({e}): install git on this node"),
    })?;
    // Drain both pipes on threads so a chatty git never blocks on a full pipe.
    let pipe = |r: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            if let Some(mut r) = r {
                let _ = r.read_to_end(&mut buf);
            }
            buf
        })
    };
    let out = pipe(
        child
            .stdout
            .take()
            .map(|s| Box::new(s) as Box<dyn Read + Send>),
    );
    let err = pipe(
        child
            .stderr
            .take()
            .map(|s| Box::new(s) as Box<dyn Read + Send>),
    );
    let deadline = Instant::now() + GIT_TIMEOUT;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if Instant::now() > deadline => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(_) => break None,
        }
    };
    let stdout = out.join().unwrap_or_default();
    let mut stderr = err.join().unwrap_or_default();
    if stderr.len() > STDERR_KEEP {
        stderr.drain(..stderr.len() - STDERR_KEEP);
    }
    let stderr = String::from_utf8_lossy(&stderr).into_owned();
    match status {
        Some(s) if s.success() => Ok(String::from_utf8_lossy(&stdout).into_owned()),
        Some(s) => Err(Failed {
            code: s.code(),
            stderr,
        }),
        None => Err(Failed {
            code: None,
            stderr: format!("git did not finish within {GIT_TIMEOUT:?}: {stderr}"),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sh(dir: &Path, script: &str) {
        let ok = Command::new("sh")
            .arg("-c")
            .arg(script)
            .current_dir(dir)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .status()
            .unwrap()
            .success();
        assert!(ok, "{script}");
    }

    /// A bare repository with one commit on `main` holding `hello.txt`.
    fn bare_repo(dir: &Path) -> String {
        sh(
            dir,
            "git init -q -b main src && cd src && echo hi > hello.txt && git add . && \
             git -c user.name=t -c user.email=t@t commit -q -m one && cd .. && \
             git clone -q --bare src repo.git",
        );
        format!("file://{}/repo.git", dir.display())
    }

    #[test]
    fn exports_the_tree_and_reuses_the_mirror() {
        if Command::new("git").arg("--version").output().is_err() {
            assert_ne!(
                std::env::var("CI").as_deref(),
                Ok("true"),
                "CI must have git"
            );
            eprintln!("skipped: no git on this machine");
            return;
        }
        let dir = tempfile::tempdir().unwrap();
        let url = bare_repo(dir.path());
        let cache = GitCache {
            root: dir.path().join("cache"),
            allow_file: true,
        };
        let source = GitSource {
            url: &url,
            rev: "main",
            credentials: None,
        };
        for n in 0..2 {
            let work = dir.path().join(format!("w{n}"));
            fs::create_dir(&work).unwrap();
            prepare(&cache, &source, &work).unwrap();
            assert_eq!(fs::read_to_string(work.join("hello.txt")).unwrap(), "hi\n");
            assert!(!work.join(".git").exists());
        }
        let missing = GitSource {
            rev: "no-such-branch",
            ..source
        };
        let work = dir.path().join("w3");
        fs::create_dir(&work).unwrap();
        match prepare(&cache, &missing, &work) {
            Err(GitSourceError::Task(msg)) => assert!(msg.contains("does not exist"), "{msg}"),
            other => panic!("{other:?}"),
        }
        let refused = GitCache {
            allow_file: false,
            ..cache
        };
        assert!(matches!(
            prepare(&refused, &missing, &work),
            Err(GitSourceError::Task(_))
        ));
    }
}
