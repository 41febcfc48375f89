//! `edgecoder ide` and `serve --mode ide-provider`: resolve the settings, get the token, start
//! the IDE provider (`crate::ide`) and serve until a signal; `ide token` prints the token.

use super::common_args::{ConfigArgs, discovery};
use super::exit::{CliError, OK};
use super::ide_args::{IdeArgs, IdeCommand};
use crate::config;
use crate::ide::local::Local;
use crate::ide::router::{RoutePolicy, Router};
use crate::ide::server::AppState;
use crate::ide::settings::{IdeSettings, is_loopback};
use crate::ide::swarm::Swarm;
use crate::ide::token;
use crate::server::http::ConnLimits;
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

pub fn run(args: IdeArgs) -> Result<u8, CliError> {
    match args.command {
        Some(IdeCommand::Token { json, .. }) => show_token(json, &args.config),
        None => serve(
            Plan {
                host: args.host,
                port: args.port,
                route: args.route,
                log_level: args.log_level,
            },
            &args.config,
        ),
    }
}

/// What the command line gave.
pub struct Plan {
    pub host: Option<String>,
    pub port: Option<u16>,
    pub route: Option<String>,
    pub log_level: Option<String>,
}

fn resolve(plan: &Plan, config: &ConfigArgs) -> Result<config::Resolved, CliError> {
    let mut flags: BTreeMap<&'static str, String> = BTreeMap::new();
    if let Some(r) = &plan.route {
        flags.insert("ide_route", r.clone());
    }
    if let Some(l) = &plan.log_level {
        flags.insert("log_level", l.clone());
    }
    Ok(config::resolve(&flags, &discovery(config))?)
}

/// Serves the IDE provider in the foreground until SIGINT/SIGTERM.
pub fn serve(plan: Plan, config: &ConfigArgs) -> Result<u8, CliError> {
    let resolved = resolve(&plan, config)?;
    let settings = IdeSettings::from_resolved(&resolved, plan.host, plan.port)?;
    // A token nobody has seen would leave the endpoint open to whoever guesses first on a
    // network: beyond loopback the token must exist before the start.
    if !is_loopback(&settings.host)
        && token::load(settings.token_file.as_deref())
            .map_err(CliError::error)?
            .is_none()
    {
        return Err(CliError::usage(format!(
            "refusing to listen on {} without a token: anything but loopback needs one made \
             beforehand. Run `edgecoder ide token` (or set EDGECODER_IDE_TOKEN_FILE), give it to \
             your editor, then start again; or listen on 127.0.0.1",
            settings.host
        )));
    }
    let token = token::load_or_make(settings.token_file.as_deref()).map_err(CliError::error)?;
    let clients = crate::models::RawClient::from_settings(&settings.models)
        .map_err(|e| CliError::usage(e.to_string()))?;
    let num_ctx = if settings.models.num_ctx == 0 {
        4096
    } else {
        settings.models.num_ctx
    };
    let local = Local::new(clients, settings.local_concurrency, num_ctx);
    let policy = settings
        .policy
        .unwrap_or_else(|| RoutePolicy::default_for(!local.is_empty()));
    super::logging::init_service(&resolved, "ide-provider");
    let state = Arc::new(AppState {
        router: Router {
            policy,
            local,
            swarm: swarm(config),
        },
        token_hash: crate::server::auth::hash_secret(&token.token),
        max_body_bytes: settings.max_body_bytes,
    });
    let rt = super::runtime()?;
    rt.block_on(listen(settings, state, token))
}

/// The swarm route with the developer's coordinator and token, resolved as `edgecoder server …`
/// resolves them (`EDGECODER_URL`/`COORDINATOR_URL`, `EDGECODER_TOKEN` or `edgecoder login`).
fn swarm(config: &ConfigArgs) -> Swarm {
    let args = super::remote::RemoteArgs {
        server: std::env::var("EDGECODER_URL")
            .ok()
            .filter(|v| !v.trim().is_empty()),
        // Taken out of the environment at start (`hardening::harden_daemon`) when it is secret.
        token: crate::hardening::env_var("EDGECODER_TOKEN").filter(|v| !v.trim().is_empty()),
        allow_insecure: false,
        config: config.clone(),
    };
    match super::remote::connect(&args) {
        Ok(remote) => Swarm::with_client(remote.client),
        Err(e) => Swarm::unavailable(format!("the swarm route cannot be used: {}", e.message)),
    }
}

async fn listen(
    settings: IdeSettings,
    state: Arc<AppState>,
    token: token::IdeToken,
) -> Result<u8, CliError> {
    // One attempt, never the next free port: an editor is configured with this URL.
    let listener = tokio::net::TcpListener::bind((settings.host.as_str(), settings.port))
        .await
        .map_err(|e| {
            CliError::error(format!(
                "cannot listen on {}:{} ({e}): stop what is using it, or choose another port                  with --port or EDGECODER_IDE_PORT",
                settings.host, settings.port
            ))
        })?;
    let addr = listener
        .local_addr()
        .map_err(|e| CliError::error(format!("cannot read the bound address: {e}")))?;
    let url = format!("http://{addr}");
    println!(
        "edgecoder {} IDE provider listening on {url}",
        crate::version::current()
    );
    println!("  OpenAI base URL: {url}/v1");
    println!("  Ollama URL:      {url}");
    println!("  route:           {}", state.router.policy.as_str());
    let urls = state.router.local.urls();
    if urls.is_empty() {
        println!("  local models:    none configured (OLLAMA_HOST, EDGECODER_OPENAI_BASE_URL)");
    } else {
        println!("  local models:    {}", urls.join(", "));
    }
    let made = if token.made { "made now, " } else { "" };
    println!(
        "  token:           {made}kept in {}; `edgecoder ide token` prints it for your editor",
        token.place.describe()
    );
    if let Some(why) = &token.keyring_unavailable {
        println!("  (no keyring: {why})");
    }
    crate::sd_notify::ready();
    let app = crate::ide::server::app(state);
    let limits = ConnLimits {
        max_connections: 256,
        header_read_timeout: Duration::from_secs(10),
    };
    crate::server::http::serve(listener, app, limits, super::signals::wait_for_signal()).await;
    Ok(OK)
}

/// `edgecoder ide token --json`.
#[derive(Debug, Serialize)]
struct TokenOutput {
    token: String,
    /// `keyring` or `file`.
    stored_in: &'static str,
    /// The file, when it is in one.
    path: Option<String>,
    /// Made by this command (the provider had none yet).
    made: bool,
}

fn show_token(json: bool, config: &ConfigArgs) -> Result<u8, CliError> {
    let resolved = config::resolve(&BTreeMap::new(), &discovery(config))?;
    let file = resolved
        .get("ide_token_file")
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(std::path::PathBuf::from);
    let token = token::load_or_make(file.as_deref()).map_err(CliError::error)?;
    let path = match &token.place {
        crate::secret_store::Place::File(p) => Some(p.display().to_string()),
        crate::secret_store::Place::Keyring => None,
    };
    if json {
        super::output::print_json(&TokenOutput {
            token: token.token.clone(),
            stored_in: token.place.kind(),
            path,
            made: token.made,
        })?;
        return Ok(OK);
    }
    println!("{}", token.token);
    eprintln!(
        "(the IDE provider's token, kept in {}; paste it as the API key of your editor's \
         OpenAI or Ollama provider)",
        token.place.describe()
    );
    Ok(OK)
}
