//! The `code` of the API's error envelope (`{"error":{"code","message"}}`), for the codes that
//! clients match on or that every route can answer. The coordinator sends these and clients
//! compare with these, so the two cannot drift apart.

/// 404 for a path this coordinator does not serve (an older coordinator, a disabled feature:
/// the dashboard shows credits as "disabled" on this).
pub const NO_ROUTE: &str = "no_route";
/// 404 for an id that names nothing.
pub const NOT_FOUND: &str = "not_found";
/// 400: the request cannot be understood.
pub const BAD_REQUEST: &str = "bad_request";
/// 401: no token, or one that is unknown, revoked or expired.
pub const UNAUTHORIZED: &str = "unauthorized";
/// 403: the token's role may not do this.
pub const FORBIDDEN: &str = "forbidden";
/// 503: starting, draining or otherwise unable to serve for now; retry.
pub const UNAVAILABLE: &str = "unavailable";
/// 409 from a control plane (`serve --mode control-plane`) to an agent: it hands out no work.
pub const CONTROL_PLANE: &str = "control_plane";
/// 500: a fault of the coordinator's own.
pub const INTERNAL: &str = "internal";
