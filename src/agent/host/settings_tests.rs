//! The settings: profiles, what each value parses to, and errors that name the value.

use super::*;
use crate::config::{Discovery, resolve};
use std::collections::BTreeMap;

/// Settings resolved from these env-file lines (nothing else of this machine is read: the
/// env file is explicit and the process environment has no `EDGECODER_HOST_*`).
fn resolved(lines: &str) -> (tempfile::TempDir, Resolved) {
    let dir = tempfile::tempdir().unwrap();
    let env = dir.path().join("edgecoder.env");
    std::fs::write(&env, lines).unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(&config, "").unwrap();
    let discovery = Discovery {
        config_file: Some(config),
        env_file: Some(env),
    };
    let r = resolve(&BTreeMap::new(), &discovery).unwrap();
    (dir, r)
}

fn tree(battery: bool, hypervisor: bool, display: bool) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let ps = dir.path().join("sys/class/power_supply");
    std::fs::create_dir_all(&ps).unwrap();
    if battery {
        std::fs::create_dir_all(ps.join("BAT0")).unwrap();
        std::fs::write(ps.join("BAT0/type"), "Battery\n").unwrap();
    }
    std::fs::create_dir_all(dir.path().join("proc")).unwrap();
    let flags = if hypervisor {
        "fpu vme hypervisor"
    } else {
        "fpu vme"
    };
    std::fs::write(
        dir.path().join("proc/cpuinfo"),
        format!("flags\t\t: {flags}\n"),
    )
    .unwrap();
    if display {
        let card = dir.path().join("sys/class/drm/card0-eDP-1");
        std::fs::create_dir_all(&card).unwrap();
        std::fs::write(card.join("status"), "connected\n").unwrap();
    }
    dir
}

fn settings(lines: &str, t: &tempfile::TempDir) -> Result<HostSettings, ConfigError> {
    let (_d, r) = resolved(lines);
    HostSettings::from_resolved(&r, &t.path().join("sys"), &t.path().join("proc"))
}

#[test]
fn auto_detects_laptops_and_servers() {
    assert_eq!(
        detect(
            tree(true, true, false).path().join("sys").as_path(),
            Path::new("/nonexistent")
        )
        .0,
        Profile::Laptop
    );
    let vm = tree(false, true, true);
    assert_eq!(
        detect(&vm.path().join("sys"), &vm.path().join("proc")).0,
        Profile::Server
    );
    let headless = tree(false, false, false);
    assert_eq!(
        detect(&headless.path().join("sys"), &headless.path().join("proc")).0,
        Profile::Server
    );
    let desktop = tree(false, false, true);
    assert_eq!(
        detect(&desktop.path().join("sys"), &desktop.path().join("proc")).0,
        Profile::Laptop
    );
}

#[test]
fn laptop_and_server_defaults() {
    let t = tree(true, false, true);
    let s = settings("", &t).unwrap();
    assert_eq!(s.profile, Profile::Laptop);
    assert_eq!(s.battery, BatteryRule::AcOnly);
    assert_eq!(s.pause_heat, Some(HeatTier::Serious));
    assert_eq!(s.owner_idle, Some(Duration::from_secs(300)));
    assert_eq!(s.cpu_cap, Some(50));
    assert_eq!(s.pause_running, PauseRunning::Finish);
    let s = settings("EDGECODER_HOST_POLICY=server\n", &t).unwrap();
    assert_eq!(s.battery, BatteryRule::Ignore);
    assert_eq!(s.pause_heat, Some(HeatTier::Critical));
    assert_eq!(
        (s.owner_idle, s.max_others_cpu, s.cpu_cap),
        (None, None, None)
    );
    assert_eq!(
        settings("EDGECODER_HOST_POLICY=off\n", &t).unwrap(),
        HostSettings::off()
    );
}

#[test]
fn explicit_values_win_over_the_profile() {
    let t = tree(false, true, false);
    let s = settings(
        "EDGECODER_HOST_HOURS=22:00-07:00\nEDGECODER_HOST_MIN_BATTERY=40%\n\
         EDGECODER_HOST_OWNER_IDLE=10m\nEDGECODER_HOST_CPU_CAP=25\nEDGECODER_HOST_MEMORY_CAP=2G\n\
         EDGECODER_HOST_PAUSE_RUNNING=suspend\nEDGECODER_HOST_PAUSE_HEAT=off\n",
        &t,
    )
    .unwrap();
    assert_eq!(s.profile, Profile::Server);
    assert_eq!(
        s.hours.map(|h| h.to_string()).as_deref(),
        Some("22:00-07:00")
    );
    assert_eq!(s.battery, BatteryRule::Above(40));
    assert_eq!(s.owner_idle, Some(Duration::from_secs(600)));
    assert_eq!(s.cpu_cap, Some(25));
    assert_eq!(s.memory_cap_mib, Some(2048));
    assert_eq!(s.pause_running, PauseRunning::Suspend);
    assert_eq!(s.pause_heat, None);
    assert!(
        s.describe().contains("hours 22:00-07:00"),
        "{}",
        s.describe()
    );
}

#[test]
fn bad_values_name_the_setting_and_the_value() {
    let t = tree(true, false, true);
    for (line, value) in [
        ("EDGECODER_HOST_HOURS=nightly", "nightly"),
        ("EDGECODER_HOST_HOURS=22:00-31:00", "22:00-31:00"),
        ("EDGECODER_HOST_POLICY=sometimes", "sometimes"),
        ("EDGECODER_HOST_MIN_BATTERY=120", "120"),
        ("EDGECODER_HOST_PAUSE_HEAT=warm", "warm"),
        ("EDGECODER_HOST_OWNER_IDLE=soon", "soon"),
        ("EDGECODER_HOST_CPU_CAP=half", "half"),
        ("EDGECODER_HOST_MEMORY_CAP=lots", "lots"),
        ("EDGECODER_HOST_PAUSE_RUNNING=kill", "kill"),
    ] {
        let err = settings(&format!("{line}\n"), &t).unwrap_err().to_string();
        let env = line.split('=').next().unwrap();
        assert!(err.contains(env) && err.contains(value), "{err}");
    }
}
