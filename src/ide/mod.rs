//! The IDE provider: one local endpoint that editors (Continue, Cline, Zed, aider, any OpenAI or
//! Ollama client) point at, answered by this machine's model or by a model on the swarm.
//!
//! Why it is shaped this way:
//! - Both surfaces (`openai`: `/v1`, `ollama`: `/api`) turn a request into one [`ChatCall`]
//!   (an OpenAI chat-completions body, kept whole so `tools`, `response_format`… pass through)
//!   and render one stream of [`Piece`]s back in their protocol. Neither knows where the answer
//!   comes from.
//! - [`router::Router`] picks the upstream by the policy (`EDGECODER_IDE_ROUTE`): `local`
//!   (this machine's model servers, `local`) or `swarm` (an inference task on the coordinator,
//!   `swarm`). The route goes in the `X-Edgecoder-Route` header, never in the body.
//! - Safe by default: loopback only, a bearer token always (made at first start, kept like the
//!   other secrets: `token`), no prompt or token ever logged.

pub mod auth;
pub mod call;
pub mod local;
pub mod ollama;
pub mod openai;
pub mod router;
pub mod server;
pub mod settings;
pub mod swarm;
pub mod to_ollama;
pub mod token;
pub mod upstream;

pub use call::ChatCall;
pub use router::{Route, RoutePolicy};
pub use upstream::{Opened, Piece, PieceStream, UpstreamError, Usage};

/// The header that says which route answered: `local` or `swarm:<node>`.
pub const ROUTE_HEADER: &str = "x-edgecoder-route";

/// The default port of `serve --mode ide-provider` and `edgecoder ide`.
pub const DEFAULT_PORT: u16 = 4304;
