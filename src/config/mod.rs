//! Configuration: where files are, how they are found, and which value wins.
//!
//! Precedence, highest first: command-line flag > environment variable > env file > config file >
//! default. A file that exists but does not parse stops start-up; it never falls back silently.

mod database_url;
pub mod env_scrub;
pub mod envfile;
pub mod paths;
pub mod private_dir;
pub mod secret_file;
pub mod server_json;
mod setting_table;
mod settings;

pub use database_url::{DatabaseSetting, mask_database_url};
pub use settings::{ConfigError, Discovery, Resolved, SETTINGS, SettingDef, Source, resolve};
