//! Clap definitions of the control-plane commands: `edgecoder server blacklist | audit | mode`.
//! The work is in `cli/remote_cmd/{blacklist,audit,mode}.rs`.

use clap::{ArgGroup, Args, Subcommand};

#[derive(Debug, Subcommand)]
pub enum BlacklistCommand {
    /// Refuse a node from now on, by id or by address; its tasks go back to the queue (admin).
    Add(BlacklistAddArgs),
    /// Remove an entry: its id, or the node id or address it names (admin).
    Remove {
        /// The entry id, or the node id or address it names.
        id: String,
    },
    /// Every entry with its reason and the nodes it refuses (owner).
    List,
}

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("target").required(true).args(["node", "address"])))]
pub struct BlacklistAddArgs {
    /// The node: its id, a unique prefix, or its name.
    #[arg(long, value_name = "ID")]
    pub node: Option<String>,
    /// An IP address: every node connecting from it is refused, and none may enroll from it.
    #[arg(long, value_name = "IP")]
    pub address: Option<String>,
    /// Why, for the record (shown in `blacklist list` and the audit log).
    #[arg(long, value_name = "TEXT")]
    pub reason: String,
}

#[derive(Debug, Args)]
pub struct AuditArgs {
    /// At most this many entries, newest first (1 to 1000).
    #[arg(long, default_value_t = 50, value_name = "N")]
    pub limit: u32,
    /// Only entries about this target (a node, token or blacklist entry id, or network_mode).
    #[arg(long, value_name = "ID")]
    pub target: Option<String>,
}

#[derive(Debug, Args)]
pub struct ModeArgs {
    #[command(subcommand)]
    pub command: Option<ModeCommand>,
}

#[derive(Debug, Subcommand)]
pub enum ModeCommand {
    /// The network mode in force and who set it (the default).
    Show,
    /// Change the network mode now: enterprise_overlay or public_mesh (admin).
    Set {
        /// enterprise_overlay (only approved nodes you trust) or public_mesh (volunteers too).
        #[arg(value_name = "MODE")]
        mode: String,
    },
}
