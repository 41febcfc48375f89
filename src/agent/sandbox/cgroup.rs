//! A pids cgroup per task (Linux): it caps how many processes a task may have
//! whatever user it runs as (`RLIMIT_NPROC` is per user and not enforced for
//! root), and it lists every process the task made, those that left the
//! process group with `setsid` included, so none outlives the task. Separate
//! because it is Linux plumbing with its own discovery and cleanup rules.
//!
//! Discovery, once per process ([`available`]): the cgroup this process is in,
//! on the unified (v2) hierarchy when `pids` can be enabled for its children
//! there, else on a v1 hierarchy with the `pids` controller. Tasks get
//! `<that cgroup>/edgecoder/<worker pid>-<n>`, with `pids.max` set before the
//! child writes its own pid to `cgroup.procs` in `pre_exec` (so its very first
//! fork is counted). When none can be made (not root, no pids controller, a v2
//! cgroup without delegation) tasks run with rlimits only, and why is logged
//! once at debug level.
//!
//! At the end ([`TaskCgroup::kill_all`], and on drop): `pids.max` is set to 0
//! so nothing in it can fork any more, every member is killed (through a pidfd,
//! after checking it is still a member, so a recycled pid is never hit), and
//! the directory is removed. Cgroups left by a worker that died are swept when
//! the next one starts.

use std::ffi::{CStr, CString};
use std::path::PathBuf;
use std::sync::OnceLock;
#[cfg(target_os = "linux")]
use std::{
    fs, io,
    os::unix::ffi::OsStrExt,
    path::Path,
    sync::atomic::{AtomicU64, Ordering},
    time::{Duration, Instant},
};

/// Directory under the worker's own cgroup that holds the tasks' cgroups.
#[cfg(target_os = "linux")]
const PARENT: &str = "edgecoder";
/// Longest the end-of-task cleanup keeps killing (a task's members die within
/// milliseconds of SIGKILL; this only bounds a pathological case).
#[cfg(target_os = "linux")]
const KILL_FOR: Duration = Duration::from_secs(5);
/// Largest `pids.max` the kernel accepts (PID_MAX_LIMIT); above it means "max".
#[cfg(target_os = "linux")]
const PIDS_MAX_LIMIT: u64 = 4 << 20;

#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
struct Base {
    /// `<worker's cgroup>/edgecoder`.
    dir: PathBuf,
    /// v2 has `cgroup.kill`.
    v2: bool,
}

static BASE: OnceLock<Option<Base>> = OnceLock::new();

fn base() -> Option<&'static Base> {
    BASE.get_or_init(|| match discover() {
        Ok(base) => {
            #[cfg(target_os = "linux")]
            sweep_stale(&base);
            Some(base)
        }
        Err(why) => {
            tracing::debug!(
                "no pids cgroup for tasks ({why}); their process count rests on RLIMIT_NPROC"
            );
            None
        }
    })
    .as_ref()
}

pub(super) fn available() -> bool {
    base().is_some()
}

/// One task's cgroup; killed and removed when dropped.
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
pub(super) struct TaskCgroup {
    dir: PathBuf,
    /// `/edgecoder/<name>`: how the cgroup ends in `/proc/<pid>/cgroup`.
    suffix: String,
    v2: bool,
    procs: CString,
}

impl TaskCgroup {
    pub(super) fn procs_path(&self) -> &CStr {
        &self.procs
    }
}

#[cfg(not(target_os = "linux"))]
fn discover() -> Result<Base, String> {
    Err("cgroups exist on Linux only".into())
}

#[cfg(not(target_os = "linux"))]
impl TaskCgroup {
    pub(super) fn create(_max: Option<u64>) -> Option<TaskCgroup> {
        None
    }

    pub(super) fn kill_all(&self) {}
}

#[cfg(target_os = "linux")]
static NEXT: AtomicU64 = AtomicU64::new(0);

#[cfg(target_os = "linux")]
impl TaskCgroup {
    /// A fresh cgroup with `pids.max` = `max` (None: no cap, still used to find
    /// every process at the end); None when cgroups are unavailable.
    pub(super) fn create(max: Option<u64>) -> Option<TaskCgroup> {
        let base = base()?;
        let name = format!(
            "{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        let dir = base.dir.join(&name);
        if let Err(e) = fs::create_dir(&dir) {
            tracing::debug!("cannot create the task cgroup {}: {e}", dir.display());
            return None;
        }
        let Ok(procs) = CString::new(dir.join("cgroup.procs").as_os_str().as_bytes()) else {
            let _ = fs::remove_dir(&dir);
            return None;
        };
        let cgroup = TaskCgroup {
            suffix: format!("/{PARENT}/{name}"),
            v2: base.v2,
            procs,
            dir,
        };
        let limit = match max {
            Some(n) if n < PIDS_MAX_LIMIT => n.to_string(),
            _ => "max".to_string(),
        };
        // On failure the cgroup is dropped, which removes the directory.
        if let Err(e) = fs::write(cgroup.dir.join("pids.max"), limit) {
            tracing::debug!("cannot set pids.max in {}: {e}", cgroup.dir.display());
            return None;
        }
        Some(cgroup)
    }

    /// Stops forks in the cgroup and kills every process in it, until it is empty
    /// (or [`KILL_FOR`] has passed).
    pub(super) fn kill_all(&self) {
        kill_members(&self.dir, &self.suffix, self.v2);
    }
}

/// Caps every task together (`cpu.max` = (quota, period) µs, `memory.max` bytes) on the cgroup
/// that holds their cgroups: cgroup v2 only, turning the controllers on below the agent's own
/// cgroup. Why not, when it cannot.
#[cfg(target_os = "linux")]
pub(super) fn cap_tasks(cpu: Option<(u64, u64)>, memory: Option<u64>) -> Result<(), String> {
    let base = base().ok_or("no cgroup for tasks here")?;
    if !base.v2 {
        return Err("cgroup v1".into());
    }
    let own = base.dir.parent().ok_or("no parent cgroup")?;
    let mut wanted = Vec::new();
    if cpu.is_some() {
        wanted.push("cpu");
    }
    if memory.is_some() {
        wanted.push("memory");
    }
    for controller in wanted {
        let control = own.join("cgroup.subtree_control");
        if !has_word(&control, controller) {
            fs::write(&control, format!("+{controller}"))
                .map_err(|e| format!("cannot enable {controller} in {}: {e}", control.display()))?;
        }
    }
    if let Some((quota, period)) = cpu {
        let file = base.dir.join("cpu.max");
        fs::write(&file, format!("{quota} {period}"))
            .map_err(|e| format!("cannot write {}: {e}", file.display()))?;
    }
    if let Some(bytes) = memory {
        let file = base.dir.join("memory.max");
        fs::write(&file, bytes.to_string())
            .map_err(|e| format!("cannot write {}: {e}", file.display()))?;
    }
    Ok(())
}

#[cfg(not(target_os = "linux"))]
pub(super) fn cap_tasks(_cpu: Option<(u64, u64)>, _memory: Option<u64>) -> Result<(), String> {
    Err("cgroups exist on Linux only".into())
}

#[cfg(target_os = "linux")]
fn kill_members(dir: &Path, suffix: &str, v2: bool) {
    let _ = fs::write(dir.join("pids.max"), "0");
    if v2 {
        let _ = fs::write(dir.join("cgroup.kill"), "1");
    }
    let until = Instant::now() + KILL_FOR;
    loop {
        let members = members(dir);
        if members.is_empty() {
            return;
        }
        for pid in members {
            kill_member(pid, suffix);
        }
        if Instant::now() >= until {
            tracing::warn!(
                "processes are still alive in {} after {KILL_FOR:?} of killing",
                dir.display()
            );
            return;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
}

#[cfg(target_os = "linux")]
fn members(dir: &Path) -> Vec<libc::pid_t> {
    fs::read_to_string(dir.join("cgroup.procs"))
        .unwrap_or_default()
        .lines()
        .filter_map(|line| line.trim().parse().ok())
        .filter(|pid| *pid > 0)
        .collect()
}

/// SIGKILL to `pid` if it is (still) in the cgroup ending in `suffix`. The pidfd
/// pins one process: if it is alive when signalled, it was alive when its
/// `/proc` entry was read, so the check was about that process and not about a
/// newcomer that got the pid after the listed one died.
#[cfg(target_os = "linux")]
fn kill_member(pid: libc::pid_t, suffix: &str) {
    use rustix::process::{PidfdFlags, Signal, kill_process, pidfd_open, pidfd_send_signal};
    let Some(pid) = rustix::process::Pid::from_raw(pid) else {
        return;
    };
    let is_member = || {
        fs::read_to_string(format!("/proc/{pid}/cgroup"))
            .is_ok_and(|text| text.lines().any(|line| line.ends_with(suffix)))
    };
    let pidfd = match pidfd_open(pid, PidfdFlags::empty()) {
        Ok(fd) => fd,
        // Kernels before 5.3: plain kill, with the tiny pid-reuse window that leaves.
        Err(rustix::io::Errno::NOSYS) => {
            if is_member() {
                let _ = kill_process(pid, Signal::KILL);
            }
            return;
        }
        Err(_) => return,
    };
    if is_member() {
        // The pidfd pins the process: the pid cannot be reused before this signal lands.
        let _ = pidfd_send_signal(&pidfd, Signal::KILL);
    }
}

#[cfg(target_os = "linux")]
fn remove(dir: &Path) {
    // An emptied cgroup can be removed at once; a moment more while the
    // kernel finishes with killed processes.
    for _ in 0..50 {
        match fs::remove_dir(dir) {
            Ok(()) => return,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return,
            Err(e) if e.raw_os_error() == Some(libc::EBUSY) => {
                std::thread::sleep(Duration::from_millis(10));
            }
            Err(e) => {
                tracing::debug!("cannot remove the task cgroup {}: {e}", dir.display());
                return;
            }
        }
    }
    tracing::debug!("task cgroup {} is still busy; left in place", dir.display());
}

impl Drop for TaskCgroup {
    fn drop(&mut self) {
        self.kill_all();
        #[cfg(target_os = "linux")]
        remove(&self.dir);
    }
}

/// Kills and removes every task cgroup of the worker `worker_pid`: the
/// reaper's job once that worker has died (see `reaper`).
#[cfg(target_os = "linux")]
pub(super) fn kill_worker_tasks(worker_pid: libc::pid_t) {
    let Some(base) = base() else { return };
    sweep(base, |owner| owner == worker_pid);
}

/// Removes task cgroups of workers that are gone (killed before they could
/// clean up), killing what still runs in them. Those of live workers are left
/// alone, whoever they are.
#[cfg(target_os = "linux")]
fn sweep_stale(base: &Base) {
    sweep(base, |owner| {
        // Signal 0 only checks for existence; only "no such process" means the owner is gone.
        rustix::process::Pid::from_raw(owner).is_some_and(|pid| {
            rustix::process::test_kill_process(pid) == Err(rustix::io::Errno::SRCH)
        })
    });
}

/// Kills and removes the task cgroups whose worker pid `doomed` accepts.
#[cfg(target_os = "linux")]
fn sweep(base: &Base, doomed: impl Fn(libc::pid_t) -> bool) {
    let Ok(entries) = fs::read_dir(&base.dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(owner) = name
            .to_str()
            .and_then(|n| n.split_once('-'))
            .and_then(|(pid, _)| pid.parse::<libc::pid_t>().ok())
        else {
            continue;
        };
        if doomed(owner) && entry.path().is_dir() {
            let suffix = format!("/{PARENT}/{}", name.to_string_lossy());
            tracing::info!(
                "killing the task cgroup {} of a worker that is gone",
                entry.path().display()
            );
            kill_members(&entry.path(), &suffix, base.v2);
            remove(&entry.path());
        }
    }
}

#[cfg(target_os = "linux")]
fn discover() -> Result<Base, String> {
    let read = |path: &str| fs::read_to_string(path).map_err(|e| format!("{path}: {e}"));
    let mountinfo = read("/proc/self/mountinfo")?;
    let own = read("/proc/self/cgroup")?;
    let v2 = match v2_base(&mountinfo, &own) {
        Ok(dir) => return Ok(Base { dir, v2: true }),
        Err(why) => why,
    };
    match v1_base(&mountinfo, &own) {
        Ok(dir) => Ok(Base { dir, v2: false }),
        Err(v1) => Err(format!("cgroup v2: {v2}; cgroup v1: {v1}")),
    }
}

/// A line of /proc/self/mountinfo, the fields we use.
#[cfg(target_os = "linux")]
struct Mount<'a> {
    root: &'a str,
    point: &'a str,
    fstype: &'a str,
    super_options: &'a str,
}

#[cfg(target_os = "linux")]
fn mounts(mountinfo: &str) -> impl Iterator<Item = Mount<'_>> {
    mountinfo.lines().filter_map(|line| {
        let (left, right) = line.split_once(" - ")?;
        let mut left = left.split(' ');
        let root = left.nth(3)?;
        let point = left.next()?;
        let mut right = right.split(' ');
        let fstype = right.next()?;
        let super_options = right.nth(1).unwrap_or("");
        // Octal escapes (spaces in paths): not a cgroup mount we could use.
        (!point.contains('\\')).then_some(Mount {
            root,
            point,
            fstype,
            super_options,
        })
    })
}

/// Our cgroup's directory on `mount`, given our path in that hierarchy.
#[cfg(target_os = "linux")]
fn own_dir(mount: &Mount<'_>, own_path: &str) -> Option<PathBuf> {
    if own_path.split('/').any(|part| part == "..") {
        return None; // outside our cgroup namespace
    }
    let rel = if mount.root == "/" {
        own_path
    } else {
        let rest = own_path.strip_prefix(mount.root)?;
        if !rest.is_empty() && !rest.starts_with('/') {
            return None;
        }
        rest
    };
    Some(Path::new(mount.point).join(rel.trim_start_matches('/')))
}

#[cfg(target_os = "linux")]
fn has_word(path: &Path, word: &str) -> bool {
    fs::read_to_string(path).is_ok_and(|text| text.split_whitespace().any(|w| w == word))
}

#[cfg(target_os = "linux")]
fn make_dir(dir: &Path) -> Result<(), String> {
    match fs::create_dir(dir) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(format!("cannot create {}: {e}", dir.display())),
    }
}

/// `pids` for the children of the cgroup `dir`, turning it on if need be.
#[cfg(target_os = "linux")]
fn enable_pids_below(dir: &Path) -> Result<(), String> {
    let control = dir.join("cgroup.subtree_control");
    if has_word(&control, "pids") {
        return Ok(());
    }
    fs::write(&control, "+pids").map_err(|e| {
        format!(
            "cannot enable pids in {}: {e} (a cgroup that holds processes cannot; \
             under systemd, run the service with Delegate=yes from a cgroup of its own)",
            control.display()
        )
    })
}

#[cfg(target_os = "linux")]
fn v2_base(mountinfo: &str, own: &str) -> Result<PathBuf, String> {
    let own_path = own
        .lines()
        .find_map(|line| line.strip_prefix("0::"))
        .ok_or("this process is in no v2 cgroup")?;
    let mount = mounts(mountinfo)
        .find(|m| m.fstype == "cgroup2")
        .ok_or("not mounted")?;
    let dir = own_dir(&mount, own_path).ok_or("our cgroup is not visible")?;
    if !has_word(&dir.join("cgroup.controllers"), "pids") {
        return Err(format!(
            "pids is not among {}/cgroup.controllers (bound to v1, or not delegated)",
            dir.display()
        ));
    }
    enable_pids_below(&dir)?;
    let base = dir.join(PARENT);
    make_dir(&base)?;
    enable_pids_below(&base)?;
    Ok(base)
}

#[cfg(target_os = "linux")]
fn v1_base(mountinfo: &str, own: &str) -> Result<PathBuf, String> {
    let own_path = own
        .lines()
        .find_map(|line| {
            let mut fields = line.splitn(3, ':');
            let _id = fields.next()?;
            let controllers = fields.next()?;
            let path = fields.next()?;
            controllers.split(',').any(|c| c == "pids").then_some(path)
        })
        .ok_or("no pids hierarchy")?;
    let mount = mounts(mountinfo)
        .find(|m| m.fstype == "cgroup" && m.super_options.split(',').any(|o| o == "pids"))
        .ok_or("the pids hierarchy is not mounted")?;
    let dir = own_dir(&mount, own_path).ok_or("our cgroup is not visible")?;
    let base = dir.join(PARENT);
    make_dir(&base)?;
    if !base.join("pids.max").exists() {
        return Err(format!("{} has no pids.max", base.display()));
    }
    Ok(base)
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    const MOUNTINFO: &str = "\
30 25 0:26 / /sys/fs/cgroup/pids rw,relatime shared:9 - cgroup cgroup rw,pids
31 25 0:27 / /sys/fs/cgroup/unified rw,relatime shared:10 - cgroup2 cgroup2 rw
32 25 0:28 /sub /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory
";

    #[test]
    fn mountinfo_is_read() {
        let all: Vec<_> = mounts(MOUNTINFO).collect();
        assert_eq!(all.len(), 3);
        assert_eq!(
            (all[0].point, all[0].fstype, all[0].super_options),
            ("/sys/fs/cgroup/pids", "cgroup", "rw,pids")
        );
        assert_eq!(all[1].fstype, "cgroup2");
        assert_eq!(all[2].root, "/sub");
    }

    #[test]
    fn own_cgroup_directory() {
        let all: Vec<_> = mounts(MOUNTINFO).collect();
        assert_eq!(
            own_dir(&all[0], "/system.slice/x.service"),
            Some(PathBuf::from("/sys/fs/cgroup/pids/system.slice/x.service"))
        );
        assert_eq!(
            own_dir(&all[0], "/"),
            Some(PathBuf::from("/sys/fs/cgroup/pids"))
        );
        assert_eq!(
            own_dir(&all[2], "/sub/a"),
            Some(PathBuf::from("/sys/fs/cgroup/memory/a"))
        );
        assert_eq!(own_dir(&all[2], "/subway"), None);
        assert_eq!(own_dir(&all[2], "/other"), None);
        assert_eq!(own_dir(&all[0], "/../.."), None);
    }
}
