//! `edgecoder enroll`: trade an enrollment token for this node's credential and record where the
//! coordinator is in the env file.

use super::args::EnrollArgs;
use super::common_args::discovery;
use super::exit::{CliError, ERROR, OK, UNAUTHORISED, UNREACHABLE};
use crate::agent::task_env::TaskEnv;
use crate::agent::{capabilities, credentials};
use crate::api::client::{Client, ClientError};
use crate::api::url::CoordinatorUrl;
use crate::api::{NodeState, RegisterRequest};
use crate::config::envfile::{self, EnvFile};
use crate::config::{self};
use std::collections::BTreeMap;
use std::io::Read as _;
use std::path::Path;

pub fn run(args: EnrollArgs) -> Result<u8, CliError> {
    let mut flags = BTreeMap::new();
    if let Some(u) = &args.coordinator {
        flags.insert("coordinator_url", u.clone());
    }
    let resolved = config::resolve(&flags, &discovery(&args.config))?;
    let url = resolved
        .get("coordinator_url")
        .ok_or_else(|| CliError::usage("give the coordinator with --coordinator URL"))?;
    let parsed = CoordinatorUrl::parse(url).map_err(CliError::usage)?;
    let allow_insecure =
        args.allow_insecure || resolved.boolean("allow_insecure")?.unwrap_or(false);
    parsed
        .check_secret_transport(allow_insecure)
        .map_err(CliError::usage)?;
    // The owner's choice to trust this network is kept for the agent, which sends its node secret
    // there with every request.
    let record_insecure = allow_insecure && parsed.check_secret_transport(false).is_err();
    let url = parsed.as_str().to_string();
    let token = read_token(&args)?;
    let labels = super::parse::key_values("label", &args.labels)?;
    let max_concurrent = super::agent_cmd::max_concurrent(&resolved)?;
    let models = super::agent_cmd::model_backends(&resolved)?;
    let rt = super::runtime()?;
    let run_as =
        crate::agent::task_user::for_agent(resolved.get("task_user")).map_err(CliError::error)?;
    let task_env = TaskEnv::from_resolved(&resolved, run_as).map_err(CliError::usage)?;
    let caps = capabilities::detect(max_concurrent, &rt.block_on(models.detect()), &task_env);
    let request = RegisterRequest {
        enrollment_token: token,
        name: args.name.clone(),
        labels,
        capabilities: caps,
    };
    let client = Client::new(&url, None)
        .map_err(|e| CliError::error(e.to_string()))?
        .with_mesh_token(resolved.get("mesh_auth_token").map(str::to_string))
        .with_allow_insecure(allow_insecure);
    let answer = rt
        .block_on(client.register(&request))
        .map_err(|e| match e {
            ClientError::Unreachable { .. } => CliError::new(
                UNREACHABLE,
                format!("{e}: is the coordinator running, and is the URL right?"),
            ),
            ClientError::Api { status: 401, .. } => CliError::new(UNAUTHORISED, e.to_string()),
            other => CliError::new(ERROR, other.to_string()),
        })?;

    let cred_path = credentials::path_for(&resolved.env_file);
    credentials::save(&cred_path, &answer.node_secret).map_err(|e| {
        CliError::error(format!(
            "enrolled as node {}, but the credential could not be saved to {}: {e}; \
             fix the permissions and enroll again with a new token",
            answer.node_id,
            cred_path.display()
        ))
    })?;
    let env_path = resolved.env_file.clone();
    let mut env = envfile::load(&env_path)
        .map_err(|e| CliError::error(e.to_string()))?
        .unwrap_or_else(EnvFile::new);
    for (key, value) in [
        ("COORDINATOR_URL", url.as_str()),
        ("AGENT_ID", answer.node_id.as_str()),
        ("EDGE_RUNTIME_MODE", "worker"),
    ] {
        env.set(key, value)
            .map_err(|e| CliError::error(format!("{key}: {e}")))?;
    }
    if record_insecure {
        env.set("EDGECODER_ALLOW_INSECURE", "true")
            .map_err(|e| CliError::error(format!("EDGECODER_ALLOW_INSECURE: {e}")))?;
    }
    envfile::write_atomic(&env_path, &env)
        .map_err(|e| CliError::error(format!("cannot write {}: {e}", env_path.display())))?;

    println!("Enrolled as node {} with {url}.", answer.node_id);
    println!(
        "  credential: {} (a file readable only by you; the OS keyring is not used, see docs/decisions.md)",
        cred_path.display()
    );
    println!("  env file:   {}", env_path.display());
    println!();
    println!("Next:");
    for line in next_steps(config::paths::is_system(), &env_path) {
        println!("  {line}");
    }
    if answer.state == NodeState::Pending {
        println!(
            "  wait for approval:  an admin runs `edgecoder server nodes approve {}`",
            answer.node_id
        );
    }
    Ok(OK)
}

/// How to start the worker that was just enrolled. As root, `enroll` sets up the system service
/// (it reads /etc/edgecoder); anyone else gets the foreground agent or the per-user service, which
/// read the per-user files `enroll` just wrote (the system service could not read them).
fn next_steps(system: bool, env_path: &Path) -> Vec<String> {
    if !system {
        return vec![
            "start the worker:   edgecoder agent".to_string(),
            "or keep it running: edgecoder service install --user   (a systemd user unit, or a \
             LaunchAgent on macOS, that runs `edgecoder agent` as you)"
                .to_string(),
        ];
    }
    let mut lines = vec![
        "start the service:  systemctl enable --now edgecoder   (the system service; or in the \
         foreground: edgecoder agent)"
            .to_string(),
    ];
    let system_env = Path::new(config::paths::SYSTEM_ENV_FILE);
    if env_path != system_env {
        lines.push(format!(
            "note: the system service reads {}, not {}: enroll without --env-file for it, or run \
             `edgecoder agent --env-file {}`",
            system_env.display(),
            env_path.display(),
            env_path.display()
        ));
    }
    lines
}

fn read_token(args: &EnrollArgs) -> Result<String, CliError> {
    let raw = match (&args.token, &args.token_file) {
        (Some(t), _) if t == "-" => {
            let mut s = String::new();
            std::io::stdin()
                .read_to_string(&mut s)
                .map_err(|e| CliError::error(format!("cannot read the token from stdin: {e}")))?;
            s
        }
        (Some(t), _) => t.clone(),
        (None, Some(path)) => std::fs::read_to_string(path).map_err(|e| {
            CliError::error(format!("cannot read the token file {}: {e}", path.display()))
        })?,
        (None, None) => std::env::var("AGENT_REGISTRATION_TOKEN").map_err(|_| {
            CliError::usage(
                "give the enrollment token with --token TOKEN, --token - (stdin) or --token-file PATH",
            )
        })?,
    };
    let token = raw.trim().to_string();
    if token.is_empty() {
        return Err(CliError::usage("the enrollment token is empty"));
    }
    Ok(token)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_user_is_never_sent_to_the_system_unit() {
        let user =
            next_steps(false, Path::new("/home/a/.config/edgecoder/edgecoder.env")).join("\n");
        assert!(user.contains("edgecoder agent"), "{user}");
        assert!(user.contains("service install --user"), "{user}");
        assert!(!user.contains("systemctl"), "{user}");
        let root = next_steps(true, Path::new(config::paths::SYSTEM_ENV_FILE)).join("\n");
        assert!(root.contains("systemctl enable --now edgecoder"), "{root}");
        assert!(!root.contains("note:"), "{root}");
        let elsewhere = next_steps(true, Path::new("/tmp/x.env")).join("\n");
        assert!(
            elsewhere.contains("reads /etc/edgecoder/edgecoder.env"),
            "{elsewhere}"
        );
    }
}
