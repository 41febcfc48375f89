//! Which environment variables are edgecoder's own: the ones a test or benchmark removes from a
//! child's environment so the machine's settings never leak into a run. Derived from the tables
//! that define the settings, so a new setting is scrubbed everywhere without a second list.

use super::{SETTINGS, envfile};

/// Every variable edgecoder reads starts with this, except the older unprefixed names the
/// settings table and the env file's known keys list (`EDGE_RUNTIME_MODE`, `COORDINATOR_URL`…).
pub const ENV_PREFIX: &str = "EDGECODER_";

/// True for a variable that changes what edgecoder does: anything `EDGECODER_*`, any setting's
/// variable and any key the env file knows.
pub fn is_edgecoder_env(name: &str) -> bool {
    name.starts_with(ENV_PREFIX)
        || SETTINGS.iter().any(|setting| setting.env == name)
        || envfile::is_known(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_setting_and_known_key_is_scrubbed() {
        for setting in SETTINGS {
            assert!(is_edgecoder_env(setting.env), "{}", setting.env);
        }
        for name in [
            "EDGE_RUNTIME_MODE",
            "AGENT_ID",
            "COORDINATOR_URL",
            "MESH_AUTH_TOKEN",
            "ADMIN_API_TOKEN",
            "MAX_CONCURRENT_TASKS",
            "NETWORK_MODE",
            "AGENT_REGISTRATION_TOKEN",
            "COORDINATOR_FEE_BPS",
            "OLLAMA_HOST",
            "OLLAMA_MODEL",
            "EDGECODER_SOMETHING_NEW",
        ] {
            assert!(is_edgecoder_env(name), "{name}");
        }
    }

    #[test]
    fn the_rest_of_the_environment_is_kept() {
        for name in ["PATH", "HOME", "CI", "NO_COLOR", "RUST_LOG", "EDGECODER"] {
            assert!(!is_edgecoder_env(name), "{name}");
        }
    }
}
