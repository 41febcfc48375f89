//! Heat: the hottest `class/thermal/thermal_zone*/temp` (millidegrees Celsius), in tiers.
//!
//! Thresholds (documented in docs/decisions.md): nominal below 70 °C, fair from 70, serious from
//! 85, critical from 95. Laptop CPUs throttle in the 90s; "serious" is where a lap gets hot and
//! fans get loud. Values outside -40..150 °C are a broken sensor and are skipped.

use super::Heat;
use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum HeatTier {
    Nominal,
    Fair,
    Serious,
    Critical,
}

impl HeatTier {
    pub fn of(celsius: i64) -> HeatTier {
        match celsius {
            c if c >= 95 => HeatTier::Critical,
            c if c >= 85 => HeatTier::Serious,
            c if c >= 70 => HeatTier::Fair,
            _ => HeatTier::Nominal,
        }
    }

    pub fn parse(text: &str) -> Option<HeatTier> {
        match text.trim().to_ascii_lowercase().as_str() {
            "nominal" => Some(HeatTier::Nominal),
            "fair" => Some(HeatTier::Fair),
            "serious" => Some(HeatTier::Serious),
            "critical" => Some(HeatTier::Critical),
            _ => None,
        }
    }
}

impl std::fmt::Display for HeatTier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            HeatTier::Nominal => "nominal",
            HeatTier::Fair => "fair",
            HeatTier::Serious => "serious",
            HeatTier::Critical => "critical",
        })
    }
}

/// The hottest plausible zone under `<sysfs>/class/thermal`; `None` when there is none.
pub fn read_hottest_zone(sysfs: &Path) -> Option<Heat> {
    let dir = sysfs.join("class/thermal");
    let hottest = std::fs::read_dir(dir)
        .ok()?
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("thermal_zone"))
        .filter_map(|e| std::fs::read_to_string(e.path().join("temp")).ok())
        .filter_map(|t| t.trim().parse::<i64>().ok())
        .map(|milli| milli.div_euclid(1000))
        .filter(|c| (-40..=150).contains(c))
        .max()?;
    Some(Heat {
        tier: HeatTier::of(hottest),
        celsius: hottest,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    #[test]
    fn tiers_at_their_thresholds() {
        assert_eq!(HeatTier::of(69), HeatTier::Nominal);
        assert_eq!(HeatTier::of(70), HeatTier::Fair);
        assert_eq!(HeatTier::of(85), HeatTier::Serious);
        assert_eq!(HeatTier::of(95), HeatTier::Critical);
        assert!(HeatTier::Critical > HeatTier::Serious && HeatTier::Fair > HeatTier::Nominal);
        assert_eq!(HeatTier::parse(" Serious "), Some(HeatTier::Serious));
        assert_eq!(HeatTier::parse("warm"), None);
    }

    #[test]
    fn the_hottest_plausible_zone_wins() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(read_hottest_zone(dir.path()), None);
        for (zone, temp) in [
            ("thermal_zone0", "45000"),
            ("thermal_zone1", "88500"),
            ("thermal_zone2", "255000"),
            ("thermal_zone3", "junk"),
            ("cooling_device0", "99000"),
        ] {
            let z = dir.path().join("class/thermal").join(zone);
            fs::create_dir_all(&z).unwrap();
            fs::write(z.join("temp"), format!("{temp}\n")).unwrap();
        }
        assert_eq!(
            read_hottest_zone(dir.path()),
            Some(Heat {
                tier: HeatTier::Serious,
                celsius: 88
            })
        );
    }
}
