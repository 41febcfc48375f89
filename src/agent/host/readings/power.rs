//! Power: on mains or on battery, and the charge. Linux reads `class/power_supply/*/{type,
//! online,capacity,status}` under the sysfs root; macOS asks `pmset -g batt`.

use super::Power;
use std::path::Path;

/// `None` when the directory cannot be read at all. A machine with no battery entry is on
/// mains (a desktop cannot run from a battery it does not have).
pub fn read_power_supply(dir: &Path) -> Option<Power> {
    let entries = std::fs::read_dir(dir).ok()?;
    let read = |p: &Path, f: &str| {
        std::fs::read_to_string(p.join(f))
            .ok()
            .map(|t| t.trim().to_string())
    };
    let mut mains_seen = false;
    let mut mains_online = false;
    let mut battery: Option<(Option<u8>, Option<String>)> = None;
    for entry in entries.flatten() {
        let path = entry.path();
        match read(&path, "type").as_deref() {
            Some("Mains") | Some("USB") | Some("USB_C") | Some("USB_PD") => {
                mains_seen = true;
                mains_online |= read(&path, "online").as_deref() == Some("1");
            }
            Some("Battery") => {
                // A peripheral's battery (a mouse) is not the machine's.
                if read(&path, "scope").as_deref() == Some("Device") {
                    continue;
                }
                let percent = read(&path, "capacity")
                    .and_then(|c| c.parse::<u8>().ok())
                    .map(|p| p.min(100));
                // The first battery decides (a second one is rare; its charge would be a guess).
                if battery.is_none() {
                    battery = Some((percent, read(&path, "status")));
                }
            }
            _ => {}
        }
    }
    let Some((percent, status)) = battery else {
        return Some(Power::Mains);
    };
    let on_mains = if mains_seen {
        mains_online
    } else {
        // No mains entry: the battery's own status says whether it is being drained.
        !matches!(status.as_deref(), Some("Discharging") | None)
    };
    Some(if on_mains {
        Power::Mains
    } else {
        Power::Battery { percent }
    })
}

/// `pmset -g batt`: "Now drawing from 'AC Power'" / "'Battery Power'", then a line with "85%;".
pub fn parse_pmset(text: &str) -> Option<Power> {
    let source = text.lines().find(|l| l.contains("drawing from"))?;
    if !source.contains("Battery Power") {
        return Some(Power::Mains);
    }
    let percent = text.lines().find_map(|l| {
        let before = l.split('%').next()?;
        if !l.contains('%') {
            return None;
        }
        let digits: String = before
            .chars()
            .rev()
            .take_while(char::is_ascii_digit)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        digits.parse::<u8>().ok().map(|p| p.min(100))
    });
    Some(Power::Battery { percent })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn supply(root: &Path, name: &str, files: &[(&str, &str)]) {
        let dir = root.join(name);
        fs::create_dir_all(&dir).unwrap();
        for (f, v) in files {
            fs::write(dir.join(f), format!("{v}\n")).unwrap();
        }
    }

    #[test]
    fn a_laptop_on_mains_and_on_battery() {
        let dir = tempfile::tempdir().unwrap();
        supply(dir.path(), "AC", &[("type", "Mains"), ("online", "1")]);
        supply(
            dir.path(),
            "BAT0",
            &[
                ("type", "Battery"),
                ("capacity", "80"),
                ("status", "Charging"),
            ],
        );
        assert_eq!(read_power_supply(dir.path()), Some(Power::Mains));
        supply(dir.path(), "AC", &[("online", "0")]);
        supply(
            dir.path(),
            "BAT0",
            &[("capacity", "10"), ("status", "Discharging")],
        );
        assert_eq!(
            read_power_supply(dir.path()),
            Some(Power::Battery { percent: Some(10) })
        );
    }

    #[test]
    fn no_battery_is_mains_and_no_directory_is_unknown() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(read_power_supply(dir.path()), Some(Power::Mains));
        supply(
            dir.path(),
            "hidpp_battery_0",
            &[("type", "Battery"), ("scope", "Device")],
        );
        assert_eq!(read_power_supply(dir.path()), Some(Power::Mains));
        assert_eq!(read_power_supply(&dir.path().join("missing")), None);
    }

    #[test]
    fn a_battery_without_a_mains_entry_goes_by_its_status() {
        let dir = tempfile::tempdir().unwrap();
        supply(
            dir.path(),
            "BAT1",
            &[
                ("type", "Battery"),
                ("capacity", "garbage"),
                ("status", "Discharging"),
            ],
        );
        assert_eq!(
            read_power_supply(dir.path()),
            Some(Power::Battery { percent: None })
        );
        supply(dir.path(), "BAT1", &[("status", "Full")]);
        assert_eq!(read_power_supply(dir.path()), Some(Power::Mains));
    }

    #[test]
    fn pmset_output() {
        let ac = "Now drawing from 'AC Power'\n -InternalBattery-0 (id=1)\t100%; charged; 0:00 remaining present: true\n";
        assert_eq!(parse_pmset(ac), Some(Power::Mains));
        let bat = "Now drawing from 'Battery Power'\n -InternalBattery-0 (id=4653155)\t23%; discharging; 1:02 remaining present: true\n";
        assert_eq!(parse_pmset(bat), Some(Power::Battery { percent: Some(23) }));
        assert_eq!(parse_pmset("garbage"), None);
    }
}
