//! Which upstream answers a call: the policy (`EDGECODER_IDE_ROUTE`) and the choice it makes.
//!
//! - `local-only`: this machine's model servers, never anything else (the privacy default when
//!   a model server is configured). A busy backend makes the call wait for a slot.
//! - `prefer-local`: the local backend when it has the model, answers, and has a free slot;
//!   otherwise the swarm.
//! - `swarm`: always the swarm (the default with no local model server).

use super::call::ChatCall;
use super::local::{Local, LocalModel};
use super::swarm::Swarm;
use super::upstream::{Opened, UpstreamError};

/// The routing policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoutePolicy {
    LocalOnly,
    PreferLocal,
    Swarm,
}

impl RoutePolicy {
    pub const NAMES: &'static str = "local-only, prefer-local or swarm";

    pub fn parse(text: &str) -> Option<RoutePolicy> {
        match text.trim() {
            "local-only" => Some(RoutePolicy::LocalOnly),
            "prefer-local" => Some(RoutePolicy::PreferLocal),
            "swarm" => Some(RoutePolicy::Swarm),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            RoutePolicy::LocalOnly => "local-only",
            RoutePolicy::PreferLocal => "prefer-local",
            RoutePolicy::Swarm => "swarm",
        }
    }

    /// The default: `local-only` on a machine with a model server, else `swarm`.
    pub fn default_for(has_local: bool) -> RoutePolicy {
        if has_local {
            RoutePolicy::LocalOnly
        } else {
            RoutePolicy::Swarm
        }
    }
}

/// Where an answer came from: the `X-Edgecoder-Route` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    Local,
    Swarm { node: String },
}

impl Route {
    pub fn header_value(&self) -> String {
        match self {
            Route::Local => "local".to_string(),
            Route::Swarm { node } => format!("swarm:{node}"),
        }
    }
}

/// A model a client may name, and where it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Listed {
    pub name: String,
    /// `local` or `swarm`.
    pub owned_by: &'static str,
    pub info: crate::api::ModelInfo,
}

/// The policy and both upstreams.
pub struct Router {
    pub policy: RoutePolicy,
    pub local: Local,
    pub swarm: Swarm,
}

impl Router {
    /// Opens an answer for `call` on the route the policy picks.
    pub async fn open(&self, call: ChatCall) -> Result<Opened, UpstreamError> {
        match self.policy {
            RoutePolicy::LocalOnly => self.local.open(call, true).await,
            RoutePolicy::Swarm => self.swarm.open(call).await,
            RoutePolicy::PreferLocal => match self.local.open(call.clone(), false).await {
                Ok(opened) => Ok(opened),
                Err(local) => match self.swarm.open(call).await {
                    Ok(opened) => Ok(opened),
                    Err(swarm) => Err(worse(local, swarm)),
                },
            },
        }
    }

    /// Every model a client may name on the routes the policy allows, each name once (the
    /// local one wins).
    pub async fn models(&self) -> Vec<Listed> {
        let mut listed: Vec<Listed> = Vec::new();
        if self.policy != RoutePolicy::Swarm {
            for LocalModel { info, .. } in self.local.models().await {
                if !listed.iter().any(|l| l.name == info.name) {
                    listed.push(Listed {
                        name: info.name.clone(),
                        owned_by: "local",
                        info,
                    });
                }
            }
        }
        if self.policy != RoutePolicy::LocalOnly {
            for info in self.swarm.models().await {
                if !listed.iter().any(|l| l.name == info.name) {
                    listed.push(Listed {
                        name: info.name.clone(),
                        owned_by: "swarm",
                        info,
                    });
                }
            }
        }
        listed
    }

    /// A listed model by the name a client sent (Ollama's implied `:latest` either way).
    pub async fn find(&self, name: &str) -> Result<Listed, UpstreamError> {
        let models = self.models().await;
        let infos: Vec<crate::api::ModelInfo> = models.iter().map(|m| m.info.clone()).collect();
        match crate::models::find_listed(&infos, name) {
            Some(found) => models
                .into_iter()
                .find(|m| m.name == found)
                .ok_or_else(|| UpstreamError::BadGateway("the model list changed".into())),
            None => Err(UpstreamError::UnknownModel {
                model: name.to_string(),
                available: models.into_iter().map(|m| m.name).collect(),
            }),
        }
    }
}

/// What to tell the client when neither route could answer: two "no such model" answers as one
/// that names every model there is; else the local reason unless the swarm's says more.
fn worse(local: UpstreamError, swarm: UpstreamError) -> UpstreamError {
    use UpstreamError::{BadGateway, BadRequest, UnknownModel};
    match (local, swarm) {
        (
            UnknownModel {
                model,
                mut available,
            },
            UnknownModel {
                available: more, ..
            },
        ) => {
            for name in more {
                if !available.contains(&name) {
                    available.push(name);
                }
            }
            UnknownModel { model, available }
        }
        (_, swarm @ (BadRequest { .. } | BadGateway(_))) => swarm,
        (local, _) => local,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policies_parse_and_default_by_what_the_machine_has() {
        for p in [
            RoutePolicy::LocalOnly,
            RoutePolicy::PreferLocal,
            RoutePolicy::Swarm,
        ] {
            assert_eq!(RoutePolicy::parse(p.as_str()), Some(p));
        }
        assert_eq!(RoutePolicy::parse("local"), None);
        assert_eq!(RoutePolicy::default_for(true), RoutePolicy::LocalOnly);
        assert_eq!(RoutePolicy::default_for(false), RoutePolicy::Swarm);
        assert_eq!(Route::Swarm { node: "b".into() }.header_value(), "swarm:b");
    }
}
