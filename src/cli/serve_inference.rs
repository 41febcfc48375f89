//! `serve --mode inference`, and where an all-in-one or coordinator `serve` finds its inference
//! service: the one `EDGECODER_INFERENCE_URL` names (with `EDGECODER_INFERENCE_TOKEN`), else in
//! all-in-one one started inside the process on loopback with a fresh token.

use super::args::Mode;
use super::exit::{CliError, OK};
use crate::api::client::inference::InferenceEndpoint;
use crate::config::Resolved;
use crate::inference::{self, InferenceSettings};
use crate::server::Settings;

/// Where the coordinator's inference service comes from.
pub enum Plan {
    /// `EDGECODER_INFERENCE_URL` names one.
    Remote(InferenceEndpoint),
    /// All-in-one without a URL: started inside this process, on these backends.
    Inside {
        backends: crate::models::Backends,
        model: Option<String>,
        escalation_model: Option<String>,
    },
    /// A coordinator without one: jobs cannot be decomposed until one is configured.
    None,
}

pub fn plan(r: &Resolved, mode: Mode) -> Result<Plan, CliError> {
    let text = |key: &str| {
        r.get(key)
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_string)
    };
    match (text("inference_url"), text("inference_token")) {
        (Some(url), Some(token)) => Ok(Plan::Remote(InferenceEndpoint { url, token })),
        (Some(url), None) => Err(CliError::usage(format!(
            "EDGECODER_INFERENCE_URL is {url} but EDGECODER_INFERENCE_TOKEN is not set: set it \
             to the token that inference service was started with"
        ))),
        (None, _) if mode == Mode::AllInOne => Ok(Plan::Inside {
            backends: super::agent_cmd::model_backends(r)?,
            model: text("inference_model"),
            escalation_model: text("escalation_model"),
        }),
        (None, _) => Ok(Plan::None),
    }
}

/// Starts the service inside this process when the plan says so and points `settings` at it;
/// the returned handle serves for the life of the process.
pub async fn start_inside(
    plan: Plan,
    settings: &mut Settings,
) -> Result<Option<inference::Started>, CliError> {
    let Plan::Inside {
        backends,
        model,
        escalation_model,
    } = plan
    else {
        return Ok(None);
    };
    let (endpoint, started) = inference::spawn_local(backends, model, escalation_model)
        .await
        .map_err(|e| CliError::error(format!("cannot start the inference service: {e}")))?;
    println!(
        "  inference: {} (inside this process; a fresh token each start)",
        endpoint.url
    );
    settings.inference = Some(endpoint);
    Ok(Some(started))
}

/// `serve --mode inference`: serves until SIGINT/SIGTERM.
pub fn run(r: &Resolved) -> Result<u8, CliError> {
    super::logging::init_service(r, "inference");
    let backends = super::agent_cmd::model_backends(r)?;
    let conn_limits = super::serve::conn_limits(r)?;
    let settings =
        InferenceSettings::from_resolved(r, backends, conn_limits).map_err(CliError::usage)?;
    let model = settings.model.clone();
    let escalation = settings.escalation_model.clone();
    let rt = super::runtime()?;
    rt.block_on(async move {
        let started = inference::serve::start(settings, super::signals::wait_for_signal())
            .await
            .map_err(CliError::error)?;
        println!(
            "edgecoder {} inference service listening on {}",
            crate::version::current(),
            started.listening.url
        );
        println!(
            "  model:            {}",
            model.as_deref().unwrap_or("(the backend's default)")
        );
        println!(
            "  escalation model: {}",
            escalation
                .as_deref()
                .unwrap_or("(the largest the backends serve)")
        );
        println!("  token:            EDGECODER_INFERENCE_TOKEN (required on every model call)");
        crate::sd_notify::ready();
        started
            .task
            .await
            .map_err(|e| CliError::error(format!("the inference service crashed: {e}")))?;
        Ok(OK)
    })
}
