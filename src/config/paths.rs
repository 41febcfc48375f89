//! Where edgecoder keeps things. Running as root means the system service: `/etc/edgecoder`,
//! `/var/lib/edgecoder`, `/var/log/edgecoder`; anyone else gets the per-user directories.

use std::path::PathBuf;

pub const SYSTEM_ENV_FILE: &str = "/etc/edgecoder/edgecoder.env";
pub const SYSTEM_CONFIG_FILE: &str = "/etc/edgecoder/config.toml";
pub const SYSTEM_DATA_DIR: &str = "/var/lib/edgecoder";
pub const SYSTEM_LOG_DIR: &str = "/var/log/edgecoder";

pub fn is_system() -> bool {
    #[cfg(unix)]
    {
        rustix::process::geteuid().is_root()
    }
    #[cfg(not(unix))]
    {
        false
    }
}

fn project_dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("", "", "edgecoder")
}

/// The per-user config dir (`~/.config/edgecoder` on Linux), or `./.edgecoder` without a home.
pub fn user_config_dir() -> PathBuf {
    project_dirs()
        .map(|d| d.config_dir().to_path_buf())
        .unwrap_or_else(|| PathBuf::from(".edgecoder"))
}

pub fn default_env_file() -> PathBuf {
    if is_system() {
        PathBuf::from(SYSTEM_ENV_FILE)
    } else {
        user_config_dir().join("edgecoder.env")
    }
}

pub fn default_data_dir() -> PathBuf {
    if is_system() {
        return PathBuf::from(SYSTEM_DATA_DIR);
    }
    project_dirs()
        .map(|d| d.data_dir().to_path_buf())
        .unwrap_or_else(|| PathBuf::from(".edgecoder/data"))
}

pub fn default_log_dir() -> PathBuf {
    if is_system() {
        return PathBuf::from(SYSTEM_LOG_DIR);
    }
    project_dirs()
        .map(|d| d.state_dir().unwrap_or_else(|| d.data_dir()).join("logs"))
        .unwrap_or_else(|| PathBuf::from(".edgecoder/logs"))
}

/// Config files in the order they are looked for (the first that exists is used).
pub fn config_candidates() -> Vec<PathBuf> {
    vec![
        PathBuf::from("edgecoder.toml"),
        user_config_dir().join("config.toml"),
        PathBuf::from(SYSTEM_CONFIG_FILE),
    ]
}
