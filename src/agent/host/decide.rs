//! The policy as one pure function: readings + settings + the time → run or pause, and why.
//! Pure so that every rule (and a clock that jumps) is tested without a machine to heat up.
//!
//! Rules are checked in a fixed order and the first that says pause names the reason: the
//! owner's own pause, the allowed hours, power, heat, the owner's activity, the machine's load,
//! memory pressure. A reading that is unknown never pauses by itself (an agent on a machine
//! without sensors would otherwise never work) and is never taken for "idle" or "cool": the
//! start message says which readings are missing, so the owner knows which rules cannot fire.

use super::readings::{Power, Readings};
use super::settings::{BatteryRule, HostSettings};
use crate::api::HostStatus;

/// The time of one evaluation: wall clock and the local minute of day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Now {
    pub unix_ms: i64,
    /// 0..1440 in the node's time zone; `None` when the C library cannot say.
    pub local_minute: Option<u16>,
}

pub fn decide(r: &Readings, s: &HostSettings, now: Now) -> HostStatus {
    match pause_reason(r, s, now) {
        Some(reason) => HostStatus {
            paused: true,
            reason: Some(reason),
        },
        None => HostStatus {
            paused: false,
            reason: None,
        },
    }
}

/// When a pause decided now is known to end (unix ms): the owner's pause with an end, or the
/// next start of the allowed hours. `None`: running, indefinite, or ending when a reading
/// changes (battery, heat, activity, load).
pub fn pause_end(r: &Readings, s: &HostSettings, now: Now) -> Option<i64> {
    if let Some(p) = &r.owner_pause
        && p.until_ms.is_none_or(|u| u > now.unix_ms)
    {
        return p.until_ms;
    }
    if let (Some(hours), Some(minute)) = (s.hours, now.local_minute)
        && !hours.contains(minute)
    {
        let wait = (i64::from(hours.start) - i64::from(minute)).rem_euclid(24 * 60);
        // From the start of the current minute.
        return Some(now.unix_ms - now.unix_ms.rem_euclid(60_000) + wait * 60_000);
    }
    None
}

fn pause_reason(r: &Readings, s: &HostSettings, now: Now) -> Option<String> {
    if let Some(p) = &r.owner_pause {
        // An expired pause counts as absent (a clock set back makes it last longer, as the
        // owner's own clock says it should).
        match p.until_ms {
            None => return Some("paused by owner".into()),
            Some(until) if until > now.unix_ms => {
                return Some(format!(
                    "paused by owner until {}",
                    super::hours::local_hh_mm(until)
                ));
            }
            Some(_) => {}
        }
    }
    if let (Some(hours), Some(minute)) = (s.hours, now.local_minute)
        && !hours.contains(minute)
    {
        return Some(format!("outside {hours}"));
    }
    if let Some(Power::Battery { percent }) = r.power {
        let pause = match s.battery {
            BatteryRule::Ignore => false,
            BatteryRule::AcOnly => true,
            // An unknown charge on battery: not enough to say it is above the floor.
            BatteryRule::Above(min) => percent.is_none_or(|p| p < min),
        };
        if pause {
            return Some(match percent {
                Some(p) => format!("on battery {p} %"),
                None => "on battery".into(),
            });
        }
    }
    if let (Some(heat), Some(limit)) = (r.heat, s.pause_heat)
        && heat.tier >= limit
    {
        return Some(format!("hot: {} ({} °C)", heat.tier, heat.celsius));
    }
    if let (Some(idle), Some(need)) = (r.owner_idle, s.owner_idle)
        && idle < need
    {
        return Some("owner active".into());
    }
    if let (Some(busy), Some(max)) = (r.others_cpu_percent, s.max_others_cpu)
        && busy > f64::from(max)
    {
        return Some(format!("busy: other programs use {busy:.0} % CPU"));
    }
    if let (Some(psi), Some(max)) = (r.memory_pressure, s.max_memory_pressure)
        && psi > f64::from(max)
    {
        return Some(format!("memory pressure {psi:.0} %"));
    }
    None
}

#[cfg(test)]
#[path = "decide_tests.rs"]
mod tests;
