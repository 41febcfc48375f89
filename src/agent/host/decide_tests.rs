//! One test per rule of `decide`, the midnight crossing and a clock that jumps.

use super::*;
use crate::agent::host::hours::Hours;
use crate::agent::host::owner_pause::OwnerPause;
use crate::agent::host::readings::{Heat, HeatTier};
use crate::agent::host::settings::PauseRunning;
use std::time::Duration;

fn laptop() -> HostSettings {
    HostSettings {
        profile: crate::agent::host::settings::Profile::Laptop,
        profile_why: "test".into(),
        hours: None,
        battery: BatteryRule::AcOnly,
        pause_heat: Some(HeatTier::Serious),
        owner_idle: Some(Duration::from_secs(300)),
        max_others_cpu: Some(75),
        max_memory_pressure: Some(25),
        cpu_cap: None,
        memory_cap_mib: None,
        pause_running: PauseRunning::Finish,
    }
}

const NOON: Now = Now {
    unix_ms: 1_700_000_000_000,
    local_minute: Some(12 * 60),
};

fn calm() -> Readings {
    Readings {
        power: Some(Power::Mains),
        heat: Some(Heat {
            tier: HeatTier::Nominal,
            celsius: 45,
        }),
        others_cpu_percent: Some(5.0),
        memory_pressure: Some(0.0),
        owner_idle: Some(Duration::from_secs(3600)),
        owner_pause: None,
    }
}

fn reason(r: &Readings, s: &HostSettings, now: Now) -> Option<String> {
    let status = decide(r, s, now);
    assert_eq!(status.paused, status.reason.is_some());
    status.reason
}

#[test]
fn a_calm_machine_runs() {
    assert_eq!(reason(&calm(), &laptop(), NOON), None);
}

#[test]
fn unknown_readings_never_pause() {
    assert_eq!(reason(&Readings::default(), &laptop(), NOON), None);
}

#[test]
fn battery_below_the_floor_pauses_and_names_the_charge() {
    let mut r = calm();
    r.power = Some(Power::Battery { percent: Some(10) });
    assert_eq!(
        reason(&r, &laptop(), NOON).as_deref(),
        Some("on battery 10 %")
    );
    let mut s = laptop();
    s.battery = BatteryRule::Above(50);
    assert_eq!(reason(&r, &s, NOON).as_deref(), Some("on battery 10 %"));
    r.power = Some(Power::Battery { percent: Some(50) });
    assert_eq!(reason(&r, &s, NOON), None);
    r.power = Some(Power::Battery { percent: None });
    assert_eq!(reason(&r, &s, NOON).as_deref(), Some("on battery"));
    s.battery = BatteryRule::Ignore;
    assert_eq!(reason(&r, &s, NOON), None);
}

#[test]
fn serious_heat_pauses() {
    let mut r = calm();
    r.heat = Some(Heat {
        tier: HeatTier::Fair,
        celsius: 80,
    });
    assert_eq!(reason(&r, &laptop(), NOON), None);
    r.heat = Some(Heat {
        tier: HeatTier::Serious,
        celsius: 90,
    });
    assert_eq!(
        reason(&r, &laptop(), NOON).as_deref(),
        Some("hot: serious (90 °C)")
    );
    let mut s = laptop();
    s.pause_heat = Some(HeatTier::Critical);
    assert_eq!(reason(&r, &s, NOON), None);
}

#[test]
fn an_active_owner_pauses_until_idle_long_enough() {
    let mut r = calm();
    r.owner_idle = Some(Duration::ZERO);
    assert_eq!(reason(&r, &laptop(), NOON).as_deref(), Some("owner active"));
    r.owner_idle = Some(Duration::from_secs(299));
    assert_eq!(reason(&r, &laptop(), NOON).as_deref(), Some("owner active"));
    r.owner_idle = Some(Duration::from_secs(300));
    assert_eq!(reason(&r, &laptop(), NOON), None);
    r.owner_idle = None;
    assert_eq!(
        reason(&r, &laptop(), NOON),
        None,
        "unknown is not active, nor idle"
    );
}

#[test]
fn load_and_memory_pressure_pause() {
    let mut r = calm();
    r.others_cpu_percent = Some(90.0);
    assert_eq!(
        reason(&r, &laptop(), NOON).as_deref(),
        Some("busy: other programs use 90 % CPU")
    );
    let mut r = calm();
    r.memory_pressure = Some(40.0);
    assert_eq!(
        reason(&r, &laptop(), NOON).as_deref(),
        Some("memory pressure 40 %")
    );
}

#[test]
fn allowed_hours_across_midnight() {
    let mut s = laptop();
    s.hours = Some(Hours::parse("22:00-07:00").unwrap());
    assert_eq!(
        reason(&calm(), &s, NOON).as_deref(),
        Some("outside 22:00-07:00")
    );
    for minute in [22 * 60, 23 * 60 + 59, 0, 3 * 60, 6 * 60 + 59] {
        let now = Now {
            local_minute: Some(minute),
            ..NOON
        };
        assert_eq!(reason(&calm(), &s, now), None, "minute {minute}");
    }
    let seven = Now {
        local_minute: Some(7 * 60),
        ..NOON
    };
    assert!(decide(&calm(), &s, seven).paused);
    // The pause ends at the next 22:00: ten hours from noon.
    let end = pause_end(&calm(), &s, NOON).unwrap();
    assert_eq!(
        end - (NOON.unix_ms - NOON.unix_ms % 60_000),
        10 * 3600 * 1000
    );
}

#[test]
fn the_owners_pause_comes_first_and_expires() {
    let mut r = calm();
    r.power = Some(Power::Battery { percent: Some(5) });
    r.owner_pause = Some(OwnerPause {
        since_ms: NOON.unix_ms - 1000,
        until_ms: None,
    });
    assert_eq!(
        reason(&r, &laptop(), NOON).as_deref(),
        Some("paused by owner")
    );
    assert_eq!(pause_end(&r, &laptop(), NOON), None);
    let until = NOON.unix_ms + 3_600_000;
    r.owner_pause = Some(OwnerPause {
        since_ms: NOON.unix_ms,
        until_ms: Some(until),
    });
    let said = reason(&r, &laptop(), NOON).unwrap();
    assert!(said.starts_with("paused by owner until "), "{said}");
    assert_eq!(pause_end(&r, &laptop(), NOON), Some(until));
    // Expired: as if absent, and the next rule speaks.
    let later = Now {
        unix_ms: until,
        ..NOON
    };
    assert_eq!(
        reason(&r, &laptop(), later).as_deref(),
        Some("on battery 5 %")
    );
}

#[test]
fn a_clock_that_jumps() {
    let mut s = laptop();
    s.hours = Some(Hours::parse("22:00-07:00").unwrap());
    let mut r = calm();
    r.owner_pause = Some(OwnerPause {
        since_ms: NOON.unix_ms,
        until_ms: Some(NOON.unix_ms + 60_000),
    });
    let night = Now {
        unix_ms: NOON.unix_ms,
        local_minute: Some(23 * 60),
    };
    assert!(decide(&r, &s, night).paused);
    // Forward a day: the owner's pause is over and it is night, so work goes on.
    let jumped = Now {
        unix_ms: NOON.unix_ms + 86_400_000,
        local_minute: Some(23 * 60),
    };
    assert_eq!(reason(&r, &s, jumped), None);
    // Back a year: the pause holds, measured on the same clock it was written with; and an
    // unknown local time (the C library failing) drops only the hours rule.
    let back = Now {
        unix_ms: NOON.unix_ms - 365 * 86_400_000,
        local_minute: None,
    };
    assert!(
        reason(&r, &s, back)
            .unwrap()
            .starts_with("paused by owner until")
    );
    r.owner_pause = None;
    assert_eq!(reason(&r, &s, back), None);
}

#[test]
fn policy_off_only_honours_the_owners_pause() {
    let s = HostSettings::off();
    let mut r = calm();
    r.power = Some(Power::Battery { percent: Some(1) });
    r.owner_idle = Some(Duration::ZERO);
    assert_eq!(reason(&r, &s, NOON), None);
    r.owner_pause = Some(OwnerPause {
        since_ms: 0,
        until_ms: None,
    });
    assert_eq!(reason(&r, &s, NOON).as_deref(), Some("paused by owner"));
}
