//! The per-user service of `edgecoder service install --user`: a systemd user unit (Linux) or a
//! LaunchAgent (macOS) that runs `edgecoder agent` as the person who enrolled, reading the
//! per-user env file and node secret (`~/.config/edgecoder`). The system unit cannot serve them:
//! it runs as the `edgecoder` user and reads `/etc/edgecoder`.

use super::exit::CliError;
use super::service::Flavour;
use std::path::PathBuf;

/// The systemd user unit's name (apart from the system unit `edgecoder.service`).
pub const UNIT_NAME: &str = "edgecoder-agent.service";
/// The LaunchAgent's label.
pub const AGENT_LABEL: &str = "io.edgecoder.agent";

/// Where the per-user unit or plist goes: `~/.config/systemd/user/edgecoder-agent.service`
/// (`$XDG_CONFIG_HOME` honoured) or `~/Library/LaunchAgents/io.edgecoder.agent.plist`.
pub fn default_path(flavour: Flavour) -> Result<PathBuf, CliError> {
    let dirs = directories::BaseDirs::new().ok_or_else(|| {
        CliError::error(
            "cannot find your home directory (is HOME set?): pass --path for the unit file",
        )
    })?;
    Ok(match flavour {
        Flavour::Systemd => dirs.config_dir().join("systemd/user").join(UNIT_NAME),
        Flavour::Launchd => dirs
            .home_dir()
            .join("Library/LaunchAgents")
            .join(format!("{AGENT_LABEL}.plist")),
    })
}

/// The unit or plist for the binary at `exe` (already checked to be writable into it).
pub fn render(flavour: Flavour, exe: &str) -> Result<String, CliError> {
    Ok(match flavour {
        Flavour::Systemd => {
            let exec = if exe.contains(' ') {
                format!("\"{exe}\" agent")
            } else {
                format!("{exe} agent")
            };
            format!(
                "# edgecoder worker for one user: `edgecoder agent` with this user's env file and\n\
                 # node secret (~/.config/edgecoder). Written by `edgecoder service install --user`.\n\
                 # Keep it running after logout: `loginctl enable-linger $USER`.\n\
                 \n\
                 [Unit]\n\
                 Description=edgecoder worker (this user's edgecoder agent)\n\
                 Documentation=man:edgecoder(1)\n\
                 After=network-online.target\n\
                 \n\
                 [Service]\n\
                 Type=notify\n\
                 NotifyAccess=main\n\
                 ExecStart={exec}\n\
                 Restart=on-failure\n\
                 RestartSec=5s\n\
                 RestartPreventExitStatus=2 3\n\
                 # Stopping drains running tasks (up to 5 minutes) before the rest is killed.\n\
                 KillMode=mixed\n\
                 KillSignal=SIGTERM\n\
                 TimeoutStopSec=6min\n\
                 WatchdogSec=2min\n\
                 NoNewPrivileges=yes\n\
                 \n\
                 [Install]\n\
                 WantedBy=default.target\n"
            )
        }
        Flavour::Launchd => {
            let logs = directories::BaseDirs::new()
                .map(|d| d.home_dir().join("Library/Logs/edgecoder"))
                .unwrap_or_else(|| PathBuf::from("/tmp"));
            let logs = logs.display().to_string();
            if logs.contains(['"', '<', '&']) {
                return Err(CliError::error(
                    "your home directory's path cannot be written into a plist: pass --path",
                ));
            }
            format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
                 <!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n\
                 <!-- edgecoder worker for one user (`edgecoder agent`), written by\n\
                 \x20    `edgecoder service install --user`. -->\n\
                 <plist version=\"1.0\">\n\
                 <dict>\n\
                 \x20   <key>Label</key>\n\
                 \x20   <string>{AGENT_LABEL}</string>\n\
                 \x20   <key>ProgramArguments</key>\n\
                 \x20   <array>\n\
                 \x20       <string>{exe}</string>\n\
                 \x20       <string>agent</string>\n\
                 \x20   </array>\n\
                 \x20   <key>RunAtLoad</key>\n\
                 \x20   <true/>\n\
                 \x20   <key>KeepAlive</key>\n\
                 \x20   <dict>\n\
                 \x20       <key>SuccessfulExit</key>\n\
                 \x20       <false/>\n\
                 \x20   </dict>\n\
                 \x20   <key>ThrottleInterval</key>\n\
                 \x20   <integer>5</integer>\n\
                 \x20   <key>ExitTimeOut</key>\n\
                 \x20   <integer>360</integer>\n\
                 \x20   <key>ProcessType</key>\n\
                 \x20   <string>Background</string>\n\
                 \x20   <key>StandardOutPath</key>\n\
                 \x20   <string>{logs}/agent.out.log</string>\n\
                 \x20   <key>StandardErrorPath</key>\n\
                 \x20   <string>{logs}/agent.err.log</string>\n\
                 </dict>\n\
                 </plist>\n"
            )
        }
    })
}

/// What to run after `service install --user` wrote the file at its default place.
pub fn next_steps(flavour: Flavour) -> Vec<String> {
    match flavour {
        Flavour::Systemd => vec![
            format!("systemctl --user daemon-reload && systemctl --user enable --now {UNIT_NAME}"),
            "loginctl enable-linger \"$USER\"   (keeps it running when you log out)".to_string(),
        ],
        Flavour::Launchd => vec![format!(
            "launchctl bootstrap gui/$(id -u) ~/Library/LaunchAgents/{AGENT_LABEL}.plist"
        )],
    }
}

/// How to stop it before `service uninstall --user`.
pub fn stop_hint(flavour: Flavour) -> String {
    match flavour {
        Flavour::Systemd => format!("systemctl --user disable --now {UNIT_NAME}"),
        Flavour::Launchd => format!("launchctl bootout gui/$(id -u)/{AGENT_LABEL}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_user_unit_runs_the_agent_for_the_default_target() {
        let unit = render(Flavour::Systemd, "/home/a/.cargo/bin/edgecoder").unwrap();
        assert!(unit.contains("\nExecStart=/home/a/.cargo/bin/edgecoder agent\n"));
        assert!(unit.contains("\nWantedBy=default.target\n"));
        assert!(!unit.contains("User="), "a user unit runs as its user");
        assert!(!unit.contains("/etc/edgecoder"));
        let plist = render(Flavour::Launchd, "/Users/a/bin/edgecoder").unwrap();
        assert!(plist.contains("<string>/Users/a/bin/edgecoder</string>"));
        assert!(plist.contains("<string>agent</string>"));
        assert!(!plist.contains("UserName"));
    }
}
