//! Clap definitions of `edgecoder service …` and of the hidden update guard; the work is in
//! `cli/service.rs` and `server/self_update/guard.rs`.

use clap::{Args, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct ServiceArgs {
    #[command(subcommand)]
    pub command: ServiceCommand,
}

#[derive(Debug, Subcommand)]
pub enum ServiceCommand {
    /// Write the systemd unit (Linux) or launchd plist (macOS) for this binary.
    Install(ServiceInstallArgs),
    /// Stop and remove the unit or plist written by `service install`.
    Uninstall(ServiceUninstallArgs),
    /// Say whether the unit or plist is installed, and where.
    Status(ServiceTargetArgs),
}

#[derive(Debug, Args)]
pub struct ServiceInstallArgs {
    /// Print the unit or plist instead of writing it.
    #[arg(long)]
    pub dry_run: bool,
    /// Replace a unit or plist that differs from the one this binary would write.
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub target: ServiceTargetArgs,
}

#[derive(Debug, Args)]
pub struct ServiceUninstallArgs {
    /// Say what would be removed, change nothing.
    #[arg(long)]
    pub dry_run: bool,
    #[command(flatten)]
    pub target: ServiceTargetArgs,
}

#[derive(Debug, Args)]
pub struct ServiceTargetArgs {
    /// The unit or plist file to write or remove (default: /etc/systemd/system/edgecoder.service
    /// on Linux, /Library/LaunchDaemons/io.edgecoder.runtime.plist on macOS).
    #[arg(long, value_name = "PATH")]
    pub path: Option<PathBuf>,
    /// The per-user service that runs `edgecoder agent` as you, with your own env file and node
    /// secret (~/.config/edgecoder): the systemd user unit edgecoder-agent.service in
    /// ~/.config/systemd/user, or the LaunchAgent io.edgecoder.agent in ~/Library/LaunchAgents.
    /// No root needed. Without it: the system service, which reads /etc/edgecoder.
    #[arg(long)]
    pub user: bool,
    /// Machine-readable output (status only).
    #[arg(
        long,
        default_value_if("jq", clap::builder::ArgPredicate::IsPresent, "true"),
        help_heading = "Output options"
    )]
    pub json: bool,
    /// Filter the JSON output with a jq expression (implies --json; strings print raw).
    #[arg(long, value_name = "EXPR", help_heading = "Output options")]
    pub jq: Option<String>,
}

/// `__update-guard`: started by a coordinator that updates itself; not for people.
#[derive(Debug, Args)]
pub struct UpdateGuardArgs {
    #[arg(long)]
    pub parent: u32,
    #[arg(long)]
    pub health_url: String,
    #[arg(long)]
    pub expect_version: String,
    #[arg(long)]
    pub exe: PathBuf,
    #[arg(long)]
    pub rollback: PathBuf,
    #[arg(long)]
    pub listen_fd: i32,
    #[arg(long)]
    pub timeout_secs: u64,
    /// The coordinator's own arguments.
    #[arg(last = true)]
    pub args: Vec<std::ffi::OsString>,
}

impl From<UpdateGuardArgs> for crate::server::self_update::guard::GuardPlan {
    fn from(a: UpdateGuardArgs) -> Self {
        crate::server::self_update::guard::GuardPlan {
            parent: a.parent,
            health_url: a.health_url,
            version: a.expect_version,
            exe: a.exe,
            rollback: a.rollback,
            listen_fd: a.listen_fd,
            timeout: std::time::Duration::from_secs(a.timeout_secs),
            args: a.args,
        }
    }
}
