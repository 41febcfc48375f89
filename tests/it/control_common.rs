//! Helpers shared by the control-plane suites (tests/it/control_plane*.rs).

use edgecoder::api::client::Client;
use edgecoder::api::*;
use std::time::Duration;

pub const WITHIN: Duration = Duration::from_secs(10);

pub async fn token(admin: &Client, role: Role, name: &str) -> Client {
    let created = admin
        .create_token(&TokenCreateRequest {
            kind: Some(TokenKind::Api),
            role: Some(role),
            name: Some(name.to_string()),
            ..Default::default()
        })
        .await
        .expect("token");
    Client::new(admin.base_url(), Some(created.token)).expect("client")
}

pub async fn submit(admin: &Client, req: SubmitRequest) -> TaskInfo {
    let r = admin.submit(&req).await.expect("submit");
    assert!(r.created);
    r.task
}

pub fn echo() -> SubmitRequest {
    SubmitRequest::argv(vec!["echo".into(), "hi".into()])
}

pub fn local_only(priority: i32) -> SubmitRequest {
    let mut r = echo();
    r.placement = Placement::LocalOnly;
    r.priority = priority;
    r
}

pub async fn audit_actions(admin: &Client) -> Vec<AuditEntry> {
    let mut page = admin.audit(1000, None, None).await.expect("audit");
    page.entries.reverse();
    page.entries
}
