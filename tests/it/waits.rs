//! Waits on what the coordinator shows, for tests that must know the other side is ready
//! (a claim waiting, a stream connected) rather than guess it with a sleep.

use crate::common::{ADMIN_TOKEN, eventually, http};
use edgecoder::api::client::Client;
use std::time::Duration;

/// Starts `node`'s claim long-poll and returns once the coordinator has made the claim's first
/// look: a claim marks its node seen (`last_heartbeat_at`), so from then on the claim is known
/// to be waiting on the coordinator, not still on its way. Panics if it answered before that.
pub async fn start_waiting_claim(
    admin: &Client,
    node: Client,
    node_id: &str,
    wait: Duration,
) -> tokio::task::JoinHandle<
    Result<edgecoder::api::ClaimResponse, edgecoder::api::client::ClientError>,
> {
    let seen_before = admin.node(node_id).await.expect("node").last_heartbeat_at;
    let claim = tokio::spawn(async move { node.claim(wait).await });
    eventually(Duration::from_secs(10), || async {
        let seen = admin.node(node_id).await.ok()?.last_heartbeat_at;
        (seen != seen_before).then_some(())
    })
    .await;
    assert!(
        !claim.is_finished(),
        "the claim answered at its first look: it never waited"
    );
    claim
}

/// How many requests to `route` (the router's pattern, e.g. `/api/v1/events`) the coordinator at
/// `url` has answered, from its /metrics. A stream counts once its response starts, so this tells
/// when a follower is connected. 0 while /metrics cannot be read.
pub async fn requests_answered(url: &str, route: &str) -> u64 {
    let Ok(response) = http()
        .get(format!("{url}/metrics"))
        .bearer_auth(ADMIN_TOKEN)
        .send()
        .await
    else {
        return 0;
    };
    let text = response.text().await.unwrap_or_default();
    let wanted = format!("route=\"{route}\"}}");
    text.lines()
        .filter(|line| line.starts_with("edgecoder_request_duration_seconds_count{"))
        .filter(|line| {
            line.split_whitespace()
                .next()
                .is_some_and(|l| l.ends_with(&wanted))
        })
        .filter_map(|line| line.split_whitespace().nth(1)?.parse::<u64>().ok())
        .sum()
}
