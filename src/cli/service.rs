//! `edgecoder service install | uninstall | status`: the systemd unit (Linux) or launchd plist
//! (macOS) for people who installed with cargo. The text is the one the packages ship
//! (installers/), with this binary's path in place of the packaged one.

use super::exit::{CONFLICT, CliError, OK};
use super::output::print_json;
use super::service_args::{
    ServiceArgs, ServiceCommand, ServiceInstallArgs, ServiceTargetArgs, ServiceUninstallArgs,
};
use super::service_user;
use serde::Serialize;
use std::path::{Path, PathBuf};

const UNIT_TEMPLATE: &str = include_str!("../../installers/systemd/edgecoder.service");
const PLIST_TEMPLATE: &str = include_str!("../../installers/macos/io.edgecoder.runtime.plist");
const PACKAGED_UNIT_EXEC: &str = "ExecStart=/usr/bin/edgecoder serve";
const PACKAGED_PLIST_EXEC: &str = "<string>/usr/local/bin/edgecoder</string>";
pub const UNIT_PATH: &str = "/etc/systemd/system/edgecoder.service";
pub const PLIST_PATH: &str = "/Library/LaunchDaemons/io.edgecoder.runtime.plist";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavour {
    Systemd,
    Launchd,
}

impl Flavour {
    pub fn current() -> Flavour {
        if cfg!(target_os = "macos") {
            Flavour::Launchd
        } else {
            Flavour::Systemd
        }
    }

    fn default_path(self) -> PathBuf {
        PathBuf::from(match self {
            Flavour::Systemd => UNIT_PATH,
            Flavour::Launchd => PLIST_PATH,
        })
    }

    fn what(self) -> &'static str {
        match self {
            Flavour::Systemd => "systemd unit",
            Flavour::Launchd => "launchd plist",
        }
    }
}

/// The unit or plist for the binary at `exe`.
pub fn render(flavour: Flavour, exe: &Path) -> Result<String, CliError> {
    let exe = plain_exe(exe)?;
    Ok(match flavour {
        Flavour::Systemd => {
            let mut text = UNIT_TEMPLATE.replace(PACKAGED_UNIT_EXEC, &unit_exec(exe));
            if exe.starts_with("/home/") || exe.starts_with("/root/") {
                // ProtectHome=yes would hide the binary itself from the service.
                text = text.replace(
                    "ProtectHome=yes",
                    "# The binary lives under a home directory, so homes stay readable.\n\
                     ProtectHome=read-only",
                );
            }
            text
        }
        Flavour::Launchd => {
            PLIST_TEMPLATE.replace(PACKAGED_PLIST_EXEC, &format!("<string>{exe}</string>"))
        }
    })
}

/// The system or (`--user`) per-user file for this binary.
fn wanted(flavour: Flavour, user: bool) -> Result<String, CliError> {
    let exe = own_exe()?;
    if user {
        service_user::render(flavour, plain_exe(&exe)?)
    } else {
        render(flavour, &exe)
    }
}

/// The binary's path, if it can be written into a unit or plist as it is.
fn plain_exe(exe: &Path) -> Result<&str, CliError> {
    exe.to_str()
        .filter(|s| !s.contains(['\n', '"', '<', '&']))
        .ok_or_else(|| {
            CliError::error(
                "this binary's path cannot be written into a service file: move it to a plain \
                 path such as /usr/local/bin/edgecoder or ~/.local/bin/edgecoder",
            )
        })
}

fn unit_exec(exe: &str) -> String {
    if exe.contains(' ') {
        format!("ExecStart=\"{exe}\" serve")
    } else {
        format!("ExecStart={exe} serve")
    }
}

pub fn run(args: ServiceArgs) -> Result<u8, CliError> {
    let flavour = Flavour::current();
    match args.command {
        ServiceCommand::Install(a) => install(flavour, a),
        ServiceCommand::Uninstall(a) => uninstall(flavour, a),
        ServiceCommand::Status(a) => status(flavour, a),
    }
}

fn own_exe() -> Result<PathBuf, CliError> {
    std::env::current_exe()
        .map_err(|e| CliError::error(format!("cannot tell where this binary is: {e}")))
}

fn target(flavour: Flavour, t: &ServiceTargetArgs) -> Result<PathBuf, CliError> {
    match &t.path {
        Some(p) => Ok(p.clone()),
        None if t.user => service_user::default_path(flavour),
        None => Ok(flavour.default_path()),
    }
}

fn install(flavour: Flavour, args: ServiceInstallArgs) -> Result<u8, CliError> {
    let text = wanted(flavour, args.target.user)?;
    let path = target(flavour, &args.target)?;
    if args.dry_run {
        print!("{text}");
        return Ok(OK);
    }
    match std::fs::read_to_string(&path) {
        Ok(existing) if existing == text => {
            println!("the {} at {} is up to date", flavour.what(), path.display());
            return Ok(OK);
        }
        Ok(_) if !args.force => {
            return Err(CliError::new(
                CONFLICT,
                format!(
                    "{} exists and differs from what this binary would write: compare with \
                     `edgecoder service install --dry-run`, then pass --force to replace it",
                    path.display()
                ),
            ));
        }
        _ => {}
    }
    write_file(&path, &text, args.target.user)?;
    println!("wrote the {} to {}", flavour.what(), path.display());
    if args.target.user {
        println!("next:");
        for step in service_user::next_steps(flavour) {
            println!("  {step}");
        }
    } else if args.target.path.is_none() {
        print_next_steps(flavour);
    }
    Ok(OK)
}

fn write_file(path: &Path, text: &str, user: bool) -> Result<(), CliError> {
    let fail = |e: std::io::Error| {
        let hint = if e.kind() == std::io::ErrorKind::PermissionDenied && !user {
            ": run it with sudo"
        } else {
            ""
        };
        CliError::error(format!("cannot write {}: {e}{hint}", path.display()))
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(fail)?;
    }
    // Unit files and launchd plists are read by the service manager: world-readable, no secrets.
    crate::files::write_atomic(path, text.as_bytes(), 0o644).map_err(fail)
}

fn print_next_steps(flavour: Flavour) {
    println!("next:");
    match flavour {
        Flavour::Systemd => {
            if !user_exists("edgecoder") {
                println!(
                    "  sudo useradd --system --home-dir /var/lib/edgecoder --shell /usr/sbin/nologin edgecoder"
                );
            }
            println!("  sudo install -d -o root -g edgecoder -m 0770 /etc/edgecoder");
            println!("  sudo systemctl daemon-reload && sudo systemctl enable --now edgecoder");
        }
        Flavour::Launchd => {
            println!("  sudo launchctl bootstrap system {PLIST_PATH}");
        }
    }
}

#[cfg(unix)]
fn user_exists(name: &str) -> bool {
    let Ok(c) = std::ffi::CString::new(name) else {
        return false;
    };
    // SAFETY: getpwnam reads a NUL-terminated name; only the pointer's nullness is used.
    unsafe { !libc::getpwnam(c.as_ptr()).is_null() }
}

#[cfg(not(unix))]
fn user_exists(_name: &str) -> bool {
    false
}

fn uninstall(flavour: Flavour, args: ServiceUninstallArgs) -> Result<u8, CliError> {
    let path = target(flavour, &args.target)?;
    let existing = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            println!(
                "no {} at {}: nothing to remove",
                flavour.what(),
                path.display()
            );
            return Ok(OK);
        }
        Err(e) => {
            return Err(CliError::error(format!(
                "cannot read {}: {e}",
                path.display()
            )));
        }
    };
    if !existing.contains("edgecoder") {
        return Err(CliError::new(
            CONFLICT,
            format!(
                "{} is not an edgecoder {}: left alone",
                path.display(),
                flavour.what()
            ),
        ));
    }
    if args.dry_run {
        println!("would remove {}", path.display());
        return Ok(OK);
    }
    if args.target.user {
        println!(
            "stop it first if it runs: {}",
            service_user::stop_hint(flavour)
        );
    } else if args.target.path.is_none() {
        match flavour {
            Flavour::Systemd => {
                println!("stop it first if it runs: sudo systemctl disable --now edgecoder")
            }
            Flavour::Launchd => println!(
                "stop it first if it runs: sudo launchctl bootout system/io.edgecoder.runtime"
            ),
        }
    }
    std::fs::remove_file(&path)
        .map_err(|e| CliError::error(format!("cannot remove {}: {e}", path.display())))?;
    println!("removed {}", path.display());
    Ok(OK)
}

#[derive(Serialize)]
struct ServiceStatus {
    kind: &'static str,
    path: String,
    installed: bool,
    /// The installed file is what `service install` would write for this binary now.
    up_to_date: bool,
}

fn status(flavour: Flavour, args: ServiceTargetArgs) -> Result<u8, CliError> {
    let path = target(flavour, &args)?;
    let wanted = wanted(flavour, args.user)?;
    let existing = std::fs::read_to_string(&path).ok();
    let report = ServiceStatus {
        kind: match flavour {
            Flavour::Systemd => "systemd",
            Flavour::Launchd => "launchd",
        },
        path: path.display().to_string(),
        installed: existing.is_some(),
        up_to_date: existing.as_deref() == Some(wanted.as_str()),
    };
    if args.json {
        print_json(&report)?;
        return Ok(OK);
    }
    match (report.installed, report.up_to_date) {
        (false, _) => println!(
            "not installed: no {} at {} (`edgecoder service install{}` writes it)",
            flavour.what(),
            report.path,
            if args.user { " --user" } else { "" }
        ),
        (true, true) => println!("installed: {} (up to date)", report.path),
        (true, false) => println!(
            "installed: {} (differs from what this binary would write; \
             `edgecoder service install --force` replaces it)",
            report.path
        ),
    }
    Ok(OK)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_unit_runs_this_binary_and_keeps_its_hardening() {
        let unit = render(Flavour::Systemd, Path::new("/opt/ec/bin/edgecoder")).unwrap();
        assert!(unit.contains("\nExecStart=/opt/ec/bin/edgecoder serve\n"));
        assert!(!unit.contains("/usr/bin/edgecoder"));
        assert!(unit.contains("\nProtectHome=yes\n"));
        let home = render(Flavour::Systemd, Path::new("/home/a/.cargo/bin/edgecoder")).unwrap();
        assert!(home.contains("\nProtectHome=read-only\n"));
        assert!(!home.contains("\nProtectHome=yes\n"));
    }

    #[test]
    fn the_plist_runs_this_binary() {
        let plist = render(Flavour::Launchd, Path::new("/opt/ec/edgecoder")).unwrap();
        assert!(plist.contains("<string>/opt/ec/edgecoder</string>"));
        assert!(!plist.contains("/usr/local/bin/edgecoder"));
        assert!(render(Flavour::Launchd, Path::new("/opt/a&b/edgecoder")).is_err());
    }
}
