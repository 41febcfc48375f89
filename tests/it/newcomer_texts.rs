//! What a newcomer reads at three steps where the text used to mislead: `status` right after
//! enrolling (the agent has not connected yet), `env set` of a setting the agent reads only at
//! start, and an unknown enrollment token (the command it names must really exist).

use crate::common::*;
use crate::worker_common::*;
use std::time::Duration;

/// Enrolled but the agent never started: `status` says so (it used to say "online: yes"), and
/// once the agent has connected it says "online: yes".
#[tokio::test]
async fn status_before_the_agent_ever_connected() {
    let csb = Sandbox::new();
    let coord = fast_coordinator(&csb, "1s");
    let admin = coord.admin();
    let sb = Sandbox::new();
    let token = enroll_token(&admin, true, 1).await;
    enroll_ok(&sb, &coord.url, &token, &[]);

    let out = cli(&sb, &["status"], None);
    assert_eq!(out.code, Some(0), "{out:?}");
    assert!(
        out.stdout.contains("online:       not yet")
            && out.stdout.contains("has not connected")
            && out.stdout.contains("edgecoder agent"),
        "{out:?}"
    );
    assert!(!out.stdout.contains("online:       yes"), "{out:?}");
    let out = cli(&sb, &["status", "--json"], None);
    let doc: serde_json::Value = serde_json::from_str(&out.stdout).expect("status JSON");
    assert_eq!(doc["agent_connected"], false, "{doc}");
    assert_eq!(doc["online"], false, "{doc}");

    let _agent = Agent::start(&sb, &[]);
    eventually(Duration::from_secs(30), || async {
        let out = cli(&sb, &["status"], None);
        out.stdout.contains("online:       yes").then_some(())
    })
    .await;
    let out = cli(&sb, &["status", "--json"], None);
    let doc: serde_json::Value = serde_json::from_str(&out.stdout).expect("status JSON");
    assert_eq!(doc["agent_connected"], true, "{doc}");
    assert_eq!(doc["online"], true, "{doc}");
}

/// `env set` of a setting the agent reads at start says it waits for a restart; one that the
/// local commands read each time does not.
#[test]
fn env_set_says_when_a_change_takes_effect() {
    let sb = Sandbox::new();
    let out = cli(&sb, &["env", "set", "MAX_CONCURRENT_TASKS", "2"], None);
    assert_eq!(out.code, Some(0), "{out:?}");
    assert!(
        out.stdout.contains("takes effect when the agent restarts"),
        "{out:?}"
    );
    assert!(
        out.stdout.contains("MAX_CONCURRENT_TASKS set in"),
        "{out:?}"
    );

    let runs = sb.path().join("runs").display().to_string();
    let out = cli(&sb, &["env", "set", "EDGECODER_RUNS_DIR", &runs], None);
    assert_eq!(out.code, Some(0), "{out:?}");
    assert!(!out.stdout.contains("restart"), "{out:?}");
}

/// An unknown enrollment token names the command that makes one, and that command, run as
/// written, makes one.
#[tokio::test]
async fn unknown_enrollment_token_names_a_real_command() {
    let csb = Sandbox::new();
    let coord = fast_coordinator(&csb, "1s");
    let sb = Sandbox::new();
    let out = enroll(&sb, &coord.url, "ece_not-a-real-token-0000", &[]);
    assert_eq!(out.code, Some(3), "{out:?}");
    let start = out
        .stderr
        .find("`edgecoder ")
        .unwrap_or_else(|| panic!("no command named: {out:?}"));
    let rest = &out.stderr[start + 1..];
    let named = &rest[..rest.find('`').expect("closing backquote")];
    assert_eq!(named, "edgecoder server tokens create --kind enroll");

    let args: Vec<&str> = named.split(' ').skip(1).collect();
    let made = cli_with(server_cmd(&sb, &coord.url), &args, None);
    assert_eq!(made.code, Some(0), "the named command fails: {made:?}");
    assert!(made.text().contains("enroll"), "{made:?}");

    // An API token given to enroll names the same command.
    let out = enroll(&sb, &coord.url, ADMIN_TOKEN, &[]);
    assert!(
        out.stderr
            .contains("`edgecoder server tokens create --kind enroll`"),
        "{out:?}"
    );
}
