//! What the agent reads of its host each evaluation: power, heat, load, memory pressure, the
//! owner's activity and the owner's own pause. Each reading comes from a path under a root the
//! settings can move (`EDGECODER_HOST_SYSFS`, `EDGECODER_HOST_PROCFS`) or from a command found on
//! `PATH` (`loginctl`, `pmset`, `ioreg`), so tests point them at prepared trees and fake tools
//! and the real parsers run.
//!
//! A reading that cannot be taken is `None` ("unknown"), said once in the log when it is first
//! missed and once when it comes back, never every tick.

mod activity;
mod load;
mod power;
mod thermal;

pub use activity::{parse_ioreg_idle, parse_loginctl_sessions, parse_loginctl_show};
pub use load::{CpuSample, OwnCpu, parse_proc_stat, parse_psi_some_avg10};
pub use power::{parse_pmset, read_power_supply};
pub use thermal::{HeatTier, read_hottest_zone};

use super::owner_pause::OwnerPause;
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Power {
    /// On mains power, or a machine with no battery at all.
    Mains,
    /// Running from its battery, with the charge when the battery says it.
    Battery { percent: Option<u8> },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Heat {
    pub tier: HeatTier,
    /// The hottest zone, whole degrees Celsius.
    pub celsius: i64,
}

/// One evaluation's inputs; `None` is "unknown".
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Readings {
    pub power: Option<Power>,
    pub heat: Option<Heat>,
    /// CPU use of the whole machine since the last evaluation, less this agent's tasks', in
    /// percent of all cores.
    pub others_cpu_percent: Option<f64>,
    /// PSI `some avg10` of memory: percent of the last 10 s some task waited for memory.
    pub memory_pressure: Option<f64>,
    /// Time since the owner last used a keyboard or mouse; `None` when nothing can say.
    pub owner_idle: Option<Duration>,
    /// The owner's pause (`edgecoder agent pause`), when its file is there.
    pub owner_pause: Option<OwnerPause>,
}

/// Where the readings come from.
#[derive(Debug, Clone)]
pub struct Roots {
    pub sysfs: PathBuf,
    pub procfs: PathBuf,
    /// The agent's state dir, holding `owner-pause.json`.
    pub state_dir: PathBuf,
    /// Whether to ask logind / IOKit about the owner's activity (off when no rule needs it, so
    /// no process is spawned each tick for nothing).
    pub watch_activity: bool,
}

/// The readings with their memory between evaluations (the previous CPU sample, which sensors
/// were already reported missing).
pub struct Sensors {
    roots: Roots,
    last_cpu: Option<CpuSample>,
    own: OwnCpu,
    missing: BTreeSet<&'static str>,
    activity: activity::Activity,
}

impl Sensors {
    pub fn new(roots: Roots) -> Sensors {
        Sensors {
            activity: activity::Activity::new(roots.watch_activity),
            roots,
            last_cpu: None,
            own: OwnCpu::default(),
            missing: BTreeSet::new(),
        }
    }

    pub fn roots(&self) -> &Roots {
        &self.roots
    }

    /// Takes every reading. `task_groups`: the process groups of this agent's running tasks,
    /// whose CPU time is not the owner's load.
    pub fn read(&mut self, task_groups: &[i32], now_ms: i64) -> Readings {
        let power = self.note("power", self.read_power());
        let heat = self.note("heat", read_hottest_zone(&self.roots.sysfs));
        // The first evaluation has no earlier sample to compare: unknown, but not missing.
        let cpu = match self.read_others_cpu(task_groups) {
            Some(percent) => {
                self.note("cpu load", Some(()));
                percent
            }
            None => self.note::<f64>("cpu load", None),
        };
        let psi = std::fs::read_to_string(self.roots.procfs.join("pressure/memory"))
            .ok()
            .and_then(|t| parse_psi_some_avg10(&t));
        let psi = self.note("memory pressure", psi);
        let idle = if self.roots.watch_activity {
            let idle = self.activity.idle(now_ms);
            self.note("owner activity", idle)
        } else {
            None
        };
        let owner_pause = match super::owner_pause::read(&self.roots.state_dir) {
            Ok(p) => {
                self.note("owner pause file", Some(()));
                p
            }
            Err(e) => {
                if !self.missing.contains("owner pause file") {
                    tracing::warn!("{e}; treated as no pause");
                    self.missing.insert("owner pause file");
                }
                None
            }
        };
        Readings {
            power,
            heat,
            others_cpu_percent: cpu,
            memory_pressure: psi,
            owner_idle: idle,
            owner_pause,
        }
    }

    fn read_power(&self) -> Option<Power> {
        if cfg!(target_os = "macos") {
            let out = std::process::Command::new("pmset")
                .args(["-g", "batt"])
                .output()
                .ok()?;
            return parse_pmset(&String::from_utf8_lossy(&out.stdout));
        }
        read_power_supply(&self.roots.sysfs.join("class/power_supply"))
    }

    /// `None`: `/proc/stat` cannot be read; `Some(None)`: no earlier sample yet.
    fn read_others_cpu(&mut self, task_groups: &[i32]) -> Option<Option<f64>> {
        let text = std::fs::read_to_string(self.roots.procfs.join("stat")).ok()?;
        let now = parse_proc_stat(&text)?;
        let own_ticks = self.own.sample(&self.roots.procfs, task_groups);
        let prev = self.last_cpu.replace(now);
        Some(prev.and_then(|prev| now.others_percent_since(&prev, own_ticks)))
    }

    /// Logs a reading going missing (once) and coming back (once).
    fn note<T>(&mut self, what: &'static str, value: Option<T>) -> Option<T> {
        match (&value, self.missing.contains(what)) {
            (None, false) => {
                tracing::info!("host reading unavailable: {what} (treated as unknown)");
                self.missing.insert(what);
            }
            (Some(_), true) => {
                tracing::info!("host reading available again: {what}");
                self.missing.remove(what);
            }
            _ => {}
        }
        value
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    /// A prepared machine: a battery on mains, one thermal zone, `/proc/stat` and PSI.
    fn machine() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let put = |rel: &str, text: &str| {
            let p = dir.path().join(rel);
            fs::create_dir_all(p.parent().unwrap()).unwrap();
            fs::write(p, text).unwrap();
        };
        put("sys/class/power_supply/AC/type", "Mains\n");
        put("sys/class/power_supply/AC/online", "1\n");
        put("sys/class/power_supply/BAT0/type", "Battery\n");
        put("sys/class/power_supply/BAT0/capacity", "64\n");
        put("sys/class/thermal/thermal_zone0/temp", "51000\n");
        put("proc/stat", "cpu  100 0 100 800 0 0 0 0 0 0\n");
        put(
            "proc/pressure/memory",
            "some avg10=3.00 avg60=0 avg300=0 total=9\n",
        );
        dir
    }

    fn sensors(dir: &Path) -> Sensors {
        Sensors::new(Roots {
            sysfs: dir.join("sys"),
            procfs: dir.join("proc"),
            state_dir: dir.join("state"),
            watch_activity: false,
        })
    }

    use std::path::Path;

    #[test]
    fn every_reading_from_a_prepared_tree() {
        let dir = machine();
        let mut s = sensors(dir.path());
        let first = s.read(&[], 0);
        assert_eq!(first.power, Some(Power::Mains));
        assert_eq!(first.heat.map(|h| h.celsius), Some(51));
        assert_eq!(first.others_cpu_percent, None, "one sample is not a rate");
        assert_eq!(first.memory_pressure, Some(3.0));
        assert_eq!(first.owner_idle, None, "not watched");
        fs::write(
            dir.path().join("proc/stat"),
            "cpu  400 0 100 1100 0 0 0 0 0 0\n",
        )
        .unwrap();
        let second = s.read(&[], 5000);
        assert_eq!(second.others_cpu_percent, Some(50.0));
        assert!(s.missing.is_empty(), "{:?}", s.missing);
    }

    #[test]
    fn missing_sensors_are_unknown_and_noted_once_until_they_return() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = sensors(dir.path());
        let r = s.read(&[], 0);
        assert_eq!((r.power, r.heat, r.memory_pressure), (None, None, None));
        assert_eq!(r.others_cpu_percent, None);
        let noted: Vec<_> = s.missing.iter().copied().collect();
        assert_eq!(noted, ["cpu load", "heat", "memory pressure", "power"]);
        s.read(&[], 1);
        assert_eq!(s.missing.len(), 4, "still noted, not noted again");
        let full = machine();
        fs::rename(full.path().join("sys"), dir.path().join("sys")).unwrap();
        s.read(&[], 2);
        assert!(!s.missing.contains("power") && !s.missing.contains("heat"));
    }

    #[test]
    fn a_broken_owner_pause_file_is_no_pause() {
        let dir = machine();
        fs::create_dir_all(dir.path().join("state")).unwrap();
        fs::write(dir.path().join("state/owner-pause.json"), "not json").unwrap();
        let mut s = sensors(dir.path());
        assert_eq!(s.read(&[], 0).owner_pause, None);
        assert!(s.missing.contains("owner pause file"));
        fs::write(
            dir.path().join("state/owner-pause.json"),
            r#"{"since_ms":1,"until_ms":null}"#,
        )
        .unwrap();
        assert!(s.read(&[], 1).owner_pause.is_some());
        assert!(!s.missing.contains("owner pause file"));
    }
}
