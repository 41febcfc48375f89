//! What this machine can do, as reported at registration: CPUs and memory (cgroup limits
//! included, so a container reports what it may use, not the host's figures), every GPU, the
//! toolchains on the tasks' PATH as the task user sees them (`task_env`) and the models every configured model backend serves (`models::Backends::detect`).

use super::sandbox::RunAs;
use super::task_env::TaskEnv;
use crate::api::{Capabilities, Gpu};
use crate::models::Detected;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

const TOOLCHAINS: &[&str] = &[
    "cargo", "rustc", "python3", "node", "npm", "go", "java", "gcc", "clang", "make", "docker",
    "git",
];

pub fn detect(max_concurrent_tasks: u32, models: &Detected, task_env: &TaskEnv) -> Capabilities {
    let (memory_total_mib, memory_available_mib) = meminfo().unwrap_or((0, 0));
    Capabilities {
        os: std::env::consts::OS.to_string(),
        arch: std::env::consts::ARCH.to_string(),
        hostname: hostname(),
        cpus: std::thread::available_parallelism()
            .map(|n| n.get() as u32)
            .unwrap_or(1),
        cpu_quota: cgroup_cpu_quota(),
        memory_total_mib,
        memory_available_mib,
        memory_limit_mib: cgroup_memory_limit_mib(),
        gpus: nvidia_gpus(),
        toolchains: toolchains(task_env),
        models: models.models.iter().map(|m| m.name.clone()).collect(),
        model_details: models.models.clone(),
        model_backends: models.backends.clone(),
        max_concurrent_tasks,
    }
}

fn hostname() -> String {
    rustix::system::uname()
        .nodename()
        .to_string_lossy()
        .into_owned()
}

/// (total, available) in MiB from /proc/meminfo.
fn meminfo() -> Option<(u64, u64)> {
    let text = std::fs::read_to_string("/proc/meminfo").ok()?;
    let field = |name: &str| -> Option<u64> {
        text.lines()
            .find(|l| l.starts_with(name))?
            .split_whitespace()
            .nth(1)?
            .parse::<u64>()
            .ok()
            .map(|kib| kib / 1024)
    };
    Some((field("MemTotal:")?, field("MemAvailable:").unwrap_or(0)))
}

/// CPUs allowed by cgroup v2 `cpu.max` (or v1 cfs quota), when a quota is set.
fn cgroup_cpu_quota() -> Option<f64> {
    if let Ok(text) = std::fs::read_to_string("/sys/fs/cgroup/cpu.max") {
        return parse_cpu_max(&text);
    }
    let quota: i64 = read_number("/sys/fs/cgroup/cpu/cpu.cfs_quota_us")?;
    let period: i64 = read_number("/sys/fs/cgroup/cpu/cpu.cfs_period_us")?;
    (quota > 0 && period > 0).then(|| quota as f64 / period as f64)
}

pub fn parse_cpu_max(text: &str) -> Option<f64> {
    let mut parts = text.split_whitespace();
    let quota = parts.next()?;
    let period: f64 = parts.next()?.parse().ok()?;
    if quota == "max" || period <= 0.0 {
        return None;
    }
    Some(quota.parse::<f64>().ok()? / period)
}

fn cgroup_memory_limit_mib() -> Option<u64> {
    let v2 = std::fs::read_to_string("/sys/fs/cgroup/memory.max").ok();
    let bytes = match v2 {
        Some(text) if text.trim() == "max" => return None,
        Some(text) => text.trim().parse::<u64>().ok()?,
        None => read_number::<u64>("/sys/fs/cgroup/memory/memory.limit_in_bytes")?,
    };
    // cgroup v1 reports "no limit" as a huge number.
    (bytes < (1u64 << 60)).then_some(bytes / (1024 * 1024))
}

fn read_number<T: std::str::FromStr>(path: &str) -> Option<T> {
    std::fs::read_to_string(path).ok()?.trim().parse().ok()
}

/// Every GPU `nvidia-smi` lists, one per line (not just the first).
fn nvidia_gpus() -> Vec<Gpu> {
    let Some(out) = run_with_timeout(
        "nvidia-smi",
        &[
            "--query-gpu=name,memory.total",
            "--format=csv,noheader,nounits",
        ],
        Duration::from_secs(5),
    ) else {
        return Vec::new();
    };
    parse_nvidia_smi(&out)
}

pub fn parse_nvidia_smi(out: &str) -> Vec<Gpu> {
    out.lines()
        .filter_map(|line| {
            let (name, mem) = line.rsplit_once(',')?;
            Some(Gpu {
                name: name.trim().to_string(),
                vram_mib: mem.trim().parse().ok()?,
            })
        })
        .collect()
}

/// The well-known toolchains and the owner's extra names that a task could run: found on the
/// tasks' PATH and executable by the task user (every directory on the way searchable by it).
fn toolchains(env: &TaskEnv) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    let names = TOOLCHAINS
        .iter()
        .map(|t| t.to_string())
        .chain(env.extra_tools.iter().cloned());
    for tool in names {
        if !found.contains(&tool)
            && env
                .path
                .iter()
                .any(|d| runnable_by(&d.join(&tool), env.run_as))
        {
            found.push(tool);
        }
    }
    found
}

/// Whether `user` (`None`: this process) may execute the file: a regular file (after links)
/// with an execute bit for it, in directories it may search.
fn runnable_by(path: &Path, user: Option<RunAs>) -> bool {
    let Ok(meta) = std::fs::metadata(path) else {
        return false;
    };
    if !meta.is_file() {
        return false;
    }
    match user {
        None => rustix::fs::access(path, rustix::fs::Access::EXEC_OK).is_ok(),
        Some(user) => {
            let Ok(real) = std::fs::canonicalize(path) else {
                return false;
            };
            let searchable = real
                .ancestors()
                .skip(1)
                .all(|dir| std::fs::metadata(dir).is_ok_and(|m| allows(&m, user, 0o1)));
            searchable && allows(&meta, user, 0o1)
        }
    }
}

/// The permission `bit` (1 execute/search, 2 write, 4 read) for `user` by the owner, group and
/// other classes (supplementary groups are dropped for tasks, so only the primary gid counts).
fn allows(meta: &std::fs::Metadata, user: RunAs, bit: u32) -> bool {
    use std::os::unix::fs::MetadataExt;
    let mode = meta.mode();
    let shift = if meta.uid() == user.uid {
        6
    } else if meta.gid() == user.gid {
        3
    } else {
        0
    };
    mode >> shift & bit != 0
}

/// Runs a detection command; None if it is missing, fails or hangs.
fn run_with_timeout(program: &str, args: &[&str], timeout: Duration) -> Option<String> {
    let mut child = Command::new(program)
        .args(args)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .ok()?;
    let deadline = std::time::Instant::now() + timeout;
    loop {
        match child.try_wait() {
            Ok(Some(status)) if status.success() => break,
            Ok(Some(_)) | Err(_) => return None,
            Ok(None) if std::time::Instant::now() > deadline => {
                let _ = child.kill();
                let _ = child.wait();
                return None;
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
        }
    }
    let mut out = String::new();
    use std::io::Read;
    child.stdout.take()?.read_to_string(&mut out).ok()?;
    Some(out)
}

/// Puts a new detection's models into `caps`; true when what the coordinator sees changed
/// (a model pulled or removed, its details, a backend that came up or went down).
pub fn set_models(caps: &mut Capabilities, models: &Detected) -> bool {
    let reachable = |b: &[crate::api::BackendStatus]| -> Vec<(String, String, bool)> {
        b.iter()
            .map(|s| (s.backend.clone(), s.url.clone(), s.reachable))
            .collect()
    };
    let changed = caps.model_details != models.models
        || reachable(&caps.model_backends) != reachable(&models.backends);
    caps.models = models.models.iter().map(|m| m.name.clone()).collect();
    caps.model_details = models.models.clone();
    caps.model_backends = models.backends.clone();
    changed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_gpus_are_two_gpus() {
        let out = "NVIDIA H100 80GB HBM3, 81559\nNVIDIA A100-SXM4-40GB, 40960\n";
        let gpus = parse_nvidia_smi(out);
        assert_eq!(gpus.len(), 2);
        assert_eq!(gpus[0].name, "NVIDIA H100 80GB HBM3");
        assert_eq!(gpus[1].vram_mib, 40960);
    }

    #[test]
    fn a_tool_the_task_user_cannot_reach_is_not_advertised() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let bin = dir.path().join("bin");
        std::fs::create_dir(&bin).unwrap();
        let tool = bin.join("mytool");
        std::fs::write(&tool, "#!/bin/sh\n").unwrap();
        std::fs::set_permissions(&tool, std::fs::Permissions::from_mode(0o755)).unwrap();
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        let stranger = RunAs {
            uid: 65_000,
            gid: 65_000,
        };
        let env = TaskEnv {
            path: vec![bin.clone()],
            extra_tools: vec!["mytool".into()],
            run_as: Some(stranger),
            ..TaskEnv::default()
        };
        let reachable = |e: &TaskEnv| toolchains(e).contains(&"mytool".to_string());
        // The tempdir's parents are world-searchable on any usual system.
        assert!(reachable(&env));
        std::fs::set_permissions(&bin, std::fs::Permissions::from_mode(0o700)).unwrap();
        assert!(
            !reachable(&env),
            "a dir the task user cannot search hides the tool"
        );
        std::fs::set_permissions(&bin, std::fs::Permissions::from_mode(0o755)).unwrap();
        std::fs::set_permissions(&tool, std::fs::Permissions::from_mode(0o744)).unwrap();
        assert!(!reachable(&env), "no execute bit for others");
        let without = TaskEnv {
            path: vec![dir.path().to_path_buf()],
            ..env.clone()
        };
        assert!(!reachable(&without), "not on the task PATH");
    }

    #[test]
    fn cpu_max_quota() {
        assert_eq!(parse_cpu_max("200000 100000\n"), Some(2.0));
        assert_eq!(parse_cpu_max("max 100000\n"), None);
        assert_eq!(parse_cpu_max("garbage"), None);
    }

    #[test]
    fn detects_this_machine() {
        let caps = detect(2, &Detected::default(), &TaskEnv::base());
        assert!(caps.cpus >= 1);
        assert!(caps.memory_total_mib > 0);
        assert_eq!(caps.os, std::env::consts::OS);
        assert_eq!(caps.max_concurrent_tasks, 2);
    }
}
