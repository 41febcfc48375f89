//! The host policy: the agent yields its machine to the owner. It reads the host (power, heat,
//! load, the owner's activity, the time, the owner's own pause), decides on the node whether to
//! lend it now ([`decide::decide`], a pure function), stops claiming while paused, suspends or
//! lets finish the running tasks, caps their CPU and memory, and says why in every heartbeat.
//!
//! Parts: `readings` (sensors and their parsers), `settings` (the owner's policy and the
//! laptop/server defaults), `hours` (allowed hours), `owner_pause` (the `agent pause` file),
//! `decide` (the rules), `watcher` (evaluation per heartbeat, the verdict channel),
//! `suspend` (SIGSTOP/SIGCONT and handing tasks back). The caps themselves are applied by the
//! sandbox (`sandbox::host_caps`), which owns how tasks are started.

pub mod decide;
pub mod hours;
pub mod owner_pause;
pub mod readings;
pub mod settings;
pub mod suspend;
pub mod watcher;

pub use settings::HostSettings;
pub use watcher::HostWatch;

use crate::config::{ConfigError, Resolved};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The watcher for `edgecoder agent`, from its settings; `state_dir` holds `owner-pause.json`.
/// A setting that does not parse is an error that names it: the agent refuses to start.
/// Also applies the CPU/memory caps to the tasks to come. Returns the watcher and what to say
/// at start.
pub fn from_resolved(
    resolved: &Resolved,
    state_dir: &Path,
) -> Result<(Arc<HostWatch>, String), ConfigError> {
    let sysfs = PathBuf::from(resolved.get("host_sysfs").unwrap_or("/sys"));
    let procfs = PathBuf::from(resolved.get("host_procfs").unwrap_or("/proc"));
    let settings = HostSettings::from_resolved(resolved, &sysfs, &procfs)?;
    let caps = crate::agent::sandbox::host_caps::apply(settings.cpu_cap, settings.memory_cap_mib);
    let roots = readings::Roots {
        sysfs,
        procfs,
        state_dir: state_dir.to_path_buf(),
        watch_activity: false,
    };
    let watch = HostWatch::new(settings, roots);
    let said = format!("{}; {caps}", watch.describe());
    Ok((watch, said))
}
