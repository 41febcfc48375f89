//! The owner's policy, from the settings table (`EDGECODER_HOST_*`), with defaults that depend
//! on the kind of machine: a laptop (or desktop) yields to its owner; a server is always on.
//!
//! `EDGECODER_HOST_POLICY=auto` (the default) picks `server` when the machine has no battery and
//! is virtualised (`hypervisor` among the CPU flags in `<procfs>/cpuinfo`) or headless (no
//! connected display under `<sysfs>/class/drm/*/status`); anything else gets the `laptop`
//! defaults. Each setting the owner gives wins over the profile's default; `off` turns every
//! rule and cap off (the owner's own `agent pause` still holds).

use super::hours::Hours;
use super::readings::HeatTier;
use crate::config::{ConfigError, Resolved};
use std::path::Path;
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Profile {
    Laptop,
    Server,
    Off,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BatteryRule {
    /// Battery or not, work goes on.
    Ignore,
    /// Only on mains power.
    AcOnly,
    /// On battery only at this charge or above.
    Above(u8),
}

/// What happens to running tasks when a pause starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PauseRunning {
    /// They run to their end; only new claims stop.
    Finish,
    /// Their process groups get SIGSTOP, and SIGCONT when the pause ends; one whose lease the
    /// pause would outlast is handed back.
    Suspend,
}

#[derive(Debug, Clone, PartialEq)]
pub struct HostSettings {
    pub profile: Profile,
    /// How the profile was chosen, for the start message.
    pub profile_why: String,
    pub hours: Option<Hours>,
    pub battery: BatteryRule,
    pub pause_heat: Option<HeatTier>,
    /// Pause while the owner was active more recently than this.
    pub owner_idle: Option<Duration>,
    /// Pause while other programs use more than this percent of all cores.
    pub max_others_cpu: Option<u8>,
    /// Pause while PSI memory `some avg10` is above this percent.
    pub max_memory_pressure: Option<u8>,
    /// Percent of the whole machine the tasks may use together.
    pub cpu_cap: Option<u8>,
    pub memory_cap_mib: Option<u64>,
    pub pause_running: PauseRunning,
}

impl HostSettings {
    /// Every rule off: what the coordinator's own local worker uses.
    pub fn off() -> HostSettings {
        HostSettings {
            profile: Profile::Off,
            profile_why: "EDGECODER_HOST_POLICY=off".into(),
            hours: None,
            battery: BatteryRule::Ignore,
            pause_heat: None,
            owner_idle: None,
            max_others_cpu: None,
            max_memory_pressure: None,
            cpu_cap: None,
            memory_cap_mib: None,
            pause_running: PauseRunning::Finish,
        }
    }

    /// The settings of `resolved`; a value that does not parse is an error naming it (the
    /// agent refuses to start).
    pub fn from_resolved(r: &Resolved, sysfs: &Path, procfs: &Path) -> Result<Self, ConfigError> {
        let policy = r
            .get("host_policy")
            .unwrap_or("auto")
            .trim()
            .to_ascii_lowercase();
        let (profile, why) = match policy.as_str() {
            "off" => return Ok(HostSettings::off()),
            "laptop" => (Profile::Laptop, "EDGECODER_HOST_POLICY=laptop".to_string()),
            "server" => (Profile::Server, "EDGECODER_HOST_POLICY=server".to_string()),
            "auto" => detect(sysfs, procfs),
            other => {
                return Err(r.invalid(
                    "host_policy",
                    format!("{other:?} is not auto, laptop, server or off"),
                ));
            }
        };
        let laptop = profile == Profile::Laptop;
        let pick = |key: &str, laptop_default: &'static str, server_default: &'static str| {
            r.get(key)
                .map(str::trim)
                .unwrap_or(if laptop {
                    laptop_default
                } else {
                    server_default
                })
                .to_ascii_lowercase()
        };
        let hours = r
            .get("host_hours")
            .filter(|v| !v.trim().is_empty())
            .map(|v| Hours::parse(v).map_err(|e| r.invalid("host_hours", e)))
            .transpose()?;
        let battery = match pick("host_min_battery", "ac", "off").as_str() {
            "off" => BatteryRule::Ignore,
            "ac" => BatteryRule::AcOnly,
            v => BatteryRule::Above(percent(
                r,
                "host_min_battery",
                v,
                "ac, off or a percent like 50",
            )?),
        };
        let pause_heat = match pick("host_pause_heat", "serious", "critical").as_str() {
            "off" => None,
            v => Some(HeatTier::parse(v).ok_or_else(|| {
                r.invalid(
                    "host_pause_heat",
                    format!("{v:?} is not fair, serious, critical or off"),
                )
            })?),
        };
        let owner_idle = match pick("host_owner_idle", "5m", "off").as_str() {
            "off" => None,
            v => Some(humantime::parse_duration(v).map_err(|e| {
                r.invalid(
                    "host_owner_idle",
                    format!("{v:?} is not off or a duration like 5m ({e})"),
                )
            })?),
        };
        let opt_percent = |key: &str, laptop_default, server_default| match pick(
            key,
            laptop_default,
            server_default,
        )
        .as_str()
        {
            "off" => Ok(None),
            v => percent(r, key, v, "off or a percent like 75").map(Some),
        };
        let max_others_cpu = opt_percent("host_max_load", "75", "off")?;
        let max_memory_pressure = opt_percent("host_max_memory_pressure", "25", "off")?;
        let cpu_cap = opt_percent("host_cpu_cap", "50", "off")?.filter(|p| *p < 100);
        let memory_cap_mib = match pick("host_memory_cap", "off", "off").as_str() {
            "off" => None,
            v => Some(crate::cli::parse::size_mib("", v).map_err(|_| {
                r.invalid(
                    "host_memory_cap",
                    format!("{v:?} is not off or a size like 4G or 512M"),
                )
            })?),
        };
        let pause_running = match r.get("host_pause_running").unwrap_or("finish").trim() {
            "finish" => PauseRunning::Finish,
            "suspend" => PauseRunning::Suspend,
            v => {
                return Err(r.invalid(
                    "host_pause_running",
                    format!("{v:?} is not finish or suspend"),
                ));
            }
        };
        Ok(HostSettings {
            profile,
            profile_why: why,
            hours,
            battery,
            pause_heat,
            owner_idle,
            max_others_cpu,
            max_memory_pressure,
            cpu_cap,
            memory_cap_mib,
            pause_running,
        })
    }

    /// One line for the start message.
    pub fn describe(&self) -> String {
        if self.profile == Profile::Off {
            return "off (only the owner's `agent pause` stops work)".into();
        }
        let mut rules = Vec::new();
        if let Some(h) = self.hours {
            rules.push(format!("hours {h}"));
        }
        match self.battery {
            BatteryRule::Ignore => {}
            BatteryRule::AcOnly => rules.push("only on AC".into()),
            BatteryRule::Above(p) => rules.push(format!("on battery above {p} %")),
        }
        if let Some(t) = self.pause_heat {
            rules.push(format!("pause at {t} heat"));
        }
        if let Some(d) = self.owner_idle {
            rules.push(format!(
                "pause while the owner is active, resume after {} idle",
                humantime::format_duration(d)
            ));
        }
        if let Some(p) = self.max_others_cpu {
            rules.push(format!("pause above {p} % CPU used by others"));
        }
        if let Some(p) = self.max_memory_pressure {
            rules.push(format!("pause above {p} % memory pressure"));
        }
        rules.push(match self.pause_running {
            PauseRunning::Finish => "running tasks finish when paused".into(),
            PauseRunning::Suspend => "running tasks are suspended when paused".into(),
        });
        let profile = match self.profile {
            Profile::Laptop => "laptop",
            Profile::Server => "server",
            Profile::Off => "off",
        };
        format!("{profile} ({}): {}", self.profile_why, rules.join(", "))
    }
}

fn percent(r: &Resolved, key: &str, v: &str, form: &str) -> Result<u8, ConfigError> {
    v.trim_end_matches('%')
        .trim()
        .parse::<u8>()
        .ok()
        .filter(|p| *p <= 100)
        .ok_or_else(|| r.invalid(key, format!("{v:?} is not {form}")))
}

/// `auto`: a server when there is no battery and the machine is virtualised or headless.
pub fn detect(sysfs: &Path, procfs: &Path) -> (Profile, String) {
    let has_battery = std::fs::read_dir(sysfs.join("class/power_supply"))
        .map(|d| {
            d.flatten().any(|e| {
                let read = |f: &str| std::fs::read_to_string(e.path().join(f)).ok();
                read("type").is_some_and(|t| t.trim() == "Battery")
                    && read("scope").is_none_or(|s| s.trim() != "Device")
            })
        })
        .unwrap_or(false);
    if has_battery {
        return (Profile::Laptop, "auto: a battery".into());
    }
    let virtualised = std::fs::read_to_string(procfs.join("cpuinfo")).is_ok_and(|t| {
        t.lines()
            .any(|l| l.starts_with("flags") && l.split_whitespace().any(|w| w == "hypervisor"))
    });
    if virtualised {
        return (Profile::Server, "auto: no battery, virtualised".into());
    }
    let display = std::fs::read_dir(sysfs.join("class/drm"))
        .map(|d| {
            d.flatten().any(|e| {
                std::fs::read_to_string(e.path().join("status"))
                    .is_ok_and(|s| s.trim() == "connected")
            })
        })
        .unwrap_or(false);
    if display {
        (Profile::Laptop, "auto: a desktop with a display".into())
    } else {
        (Profile::Server, "auto: no battery, headless".into())
    }
}

#[cfg(test)]
#[path = "settings_tests.rs"]
mod tests;
