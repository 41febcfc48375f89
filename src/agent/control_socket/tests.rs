use super::*;

fn mode_of(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[tokio::test]
async fn pause_and_resume_reach_the_agent_change_the_file_and_poke_the_watcher() {
    let dir = tempfile::tempdir().unwrap();
    let wake = Arc::new(Notify::new());
    let socket = ControlSocket::start(dir.path(), wake.clone()).unwrap();
    assert_eq!(mode_of(socket.path()), 0o600);

    let until = crate::api::now_ms() + 7_200_000;
    let sent = send(
        dir.path(),
        &Request::Pause {
            until_ms: Some(until),
        },
    )
    .await
    .unwrap();
    let Sent::Answered(reply) = sent else {
        panic!("no agent answered: {sent:?}")
    };
    assert!(reply.ok, "{reply:?}");
    assert_eq!(reply.message, "paused for 2h", "{reply:?}");
    tokio::time::timeout(Duration::from_secs(5), wake.notified())
        .await
        .expect("the watcher was poked");
    let file = owner_pause::path_in(dir.path());
    assert_eq!(mode_of(&file), 0o600);
    let pause = owner_pause::read(dir.path()).unwrap().unwrap();
    assert_eq!(pause.until_ms, Some(until));

    let Sent::Answered(reply) = send(dir.path(), &Request::Resume).await.unwrap() else {
        panic!("no agent answered")
    };
    assert_eq!(reply, Reply::ok("resumed"));
    assert!(!file.exists());

    let path = socket.path().to_path_buf();
    drop(socket);
    assert!(!path.exists(), "the socket is removed with the agent");
    assert!(matches!(
        send(dir.path(), &Request::Resume).await,
        Ok(Sent::NoAgent)
    ));
}

#[tokio::test]
async fn a_caller_of_another_uid_is_refused_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let wake = Arc::new(Notify::new());
    // The agent's owner is someone else: this process is the stranger.
    let stranger_owner = own_uid().wrapping_add(1);
    let _socket = ControlSocket::start_for(dir.path(), wake, stranger_owner).unwrap();
    let Sent::Answered(reply) = send(dir.path(), &Request::Pause { until_ms: None })
        .await
        .unwrap()
    else {
        panic!("no agent answered")
    };
    assert!(!reply.ok);
    assert!(
        reply.message.contains("not this agent's owner"),
        "{reply:?}"
    );
    assert!(!owner_pause::path_in(dir.path()).exists());
}

#[tokio::test]
async fn the_client_refuses_a_socket_others_may_open() {
    let dir = tempfile::tempdir().unwrap();
    let socket = ControlSocket::start(dir.path(), Arc::new(Notify::new())).unwrap();
    std::fs::set_permissions(socket.path(), std::fs::Permissions::from_mode(0o666)).unwrap();
    let err = send(dir.path(), &Request::Pause { until_ms: None })
        .await
        .unwrap_err();
    assert!(err.contains("mode 666"), "{err}");
    assert!(!owner_pause::path_in(dir.path()).exists());
}

#[tokio::test]
async fn stale_sockets_are_replaced_live_ones_and_other_files_are_not() {
    let dir = tempfile::tempdir().unwrap();
    // Left by an agent that died: bound, then its listener gone.
    drop(std::os::unix::net::UnixListener::bind(socket_path(dir.path())).unwrap());
    let live = ControlSocket::start(dir.path(), Arc::new(Notify::new())).unwrap();
    let second = ControlSocket::start(dir.path(), Arc::new(Notify::new()));
    let err = second.err().expect("a second agent is refused");
    assert!(err.to_string().contains("another agent"), "{err}");
    drop(live);

    std::fs::write(socket_path(dir.path()), "not a socket").unwrap();
    let err = ControlSocket::start(dir.path(), Arc::new(Notify::new()))
        .err()
        .expect("a plain file is not replaced");
    assert!(err.to_string().contains("not a socket"), "{err}");
    assert_eq!(
        std::fs::read_to_string(socket_path(dir.path())).unwrap(),
        "not a socket"
    );
    let err = send(dir.path(), &Request::Resume).await.unwrap_err();
    assert!(err.contains("not a socket"), "{err}");
}

#[tokio::test]
async fn a_bad_request_gets_a_refusal_not_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let socket = ControlSocket::start(dir.path(), Arc::new(Notify::new())).unwrap();
    let mut stream = UnixStream::connect(socket.path()).await.unwrap();
    stream.write_all(b"{\"cmd\":\"explode\"}\n").await.unwrap();
    let mut answer = String::new();
    BufReader::new(stream).read_line(&mut answer).await.unwrap();
    let reply: Reply = serde_json::from_str(&answer).unwrap();
    assert!(
        !reply.ok && reply.message.starts_with("not a request"),
        "{reply:?}"
    );
    // Still serving.
    let sent = send(dir.path(), &Request::Resume).await.unwrap();
    assert!(
        matches!(sent, Sent::Answered(Reply { ok: true, .. })),
        "{sent:?}"
    );
}

#[test]
fn a_pause_that_ends_before_it_starts_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let err = apply(dir.path(), &Request::Pause { until_ms: Some(5) }, 10).unwrap_err();
    assert!(err.contains("positive --for"), "{err}");
    assert!(!owner_pause::path_in(dir.path()).exists());
}
