//! Every tab, detail, overlay and fault screen drawn at fixed sizes and compared with snapshots.

use super::*;

const SIZES: [(u16, u16); 2] = [(80, 24), (160, 48)];

#[test]
fn every_tab_renders_at_both_sizes() {
    for (w, h) in SIZES {
        for tab in Tab::ALL {
            let mut s = known((w, h));
            update(&mut s, ch(char::from(b'1' + tab.index() as u8)));
            assert_eq!(s.tab, tab);
            let name = format!("{}_{w}x{h}", tab.title().to_lowercase());
            insta::assert_snapshot!(name, render(&s));
        }
    }
}

#[test]
fn details_render() {
    for (w, h) in SIZES {
        let mut s = known((w, h));
        update(&mut s, ch('j'));
        update(&mut s, ch('j'));
        let effects = update(&mut s, key(KeyCode::Enter));
        let id = "t0004-5c1a9e77b2d04f6e8a11".to_string();
        assert_eq!(
            effects,
            vec![Effect::Send(Request::Watch(Some(id.clone())))]
        );
        let mut info = super::full_tasks()[2].clone();
        info.attempt_history = vec![Attempt {
            number: 1,
            node_id: "n000-9f2e4b7c1d".into(),
            lease_id: "l1".into(),
            claimed_at: NOW - 60_000,
            started_at: Some(NOW - 59_000),
            finished_at: None,
            outcome: "running".into(),
            exit_code: None,
            error: None,
            duration_ms: None,
            cpu_ms: None,
            peak_rss_kib: None,
        }];
        update(&mut s, Msg::Net(Net::Task(Box::new(info))));
        let page = LogPage {
            task_id: id,
            attempt: 1,
            chunks: vec![LogChunk {
                attempt: 1,
                offset: 0,
                stream: "stdout".into(),
                data: "epoch 1/3 loss=0.91\nepoch 2/3 loss=0.55\nepoch 3/3 lo".into(),
            }],
            next_offset: 52,
        };
        update(&mut s, Msg::Net(Net::Log(page)));
        let text = screen_text(&s);
        assert!(text.contains("epoch 2/3 loss=0.55"), "{text}");
        insta::assert_snapshot!(format!("task_detail_{w}x{h}"), render(&s));

        let mut s = known((w, h));
        update(&mut s, ch('2'));
        update(&mut s, key(KeyCode::Enter));
        insta::assert_snapshot!(format!("node_detail_{w}x{h}"), render(&s));
    }
}

/// A node whose host paused (issue 20): `paused` in the table, the reason on wide screens and in
/// its detail.
#[test]
fn a_paused_node_says_why() {
    for (w, h) in SIZES {
        let mut s = known((w, h));
        let mut snap = snapshot();
        snap.nodes[0].host = Some(HostStatus {
            paused: true,
            reason: Some("on battery 23 %".into()),
        });
        snap.nodes[3].host = Some(HostStatus {
            paused: false,
            reason: None,
        });
        update(&mut s, Msg::Net(Net::Snapshot(Box::new(snap))));
        update(&mut s, ch('2'));
        let table = screen_text(&s);
        assert!(table.contains("paused"), "{table}");
        assert_eq!(table.contains("on battery 23 %"), w >= 160, "{table}");
        insta::assert_snapshot!(format!("nodes_paused_{w}x{h}"), render(&s));
        update(&mut s, key(KeyCode::Enter));
        let detail = screen_text(&s);
        assert!(detail.contains("paused: on battery 23 %"), "{detail}");
        insta::assert_snapshot!(format!("node_detail_paused_{w}x{h}"), render(&s));
    }
}

#[test]
fn a_drain_deadline_shows_in_the_node_detail() {
    let mut s = known((80, 24));
    let mut snap = snapshot();
    snap.nodes[1].drain_deadline = Some(NOW + 600_000);
    update(&mut s, Msg::Net(Net::Snapshot(Box::new(snap))));
    update(&mut s, ch('2'));
    update(&mut s, ch('j'));
    update(&mut s, key(KeyCode::Enter));
    let detail = screen_text(&s);
    assert!(detail.contains("gpu-rig"), "{detail}");
    assert!(
        detail.contains("running tasks are handed back in 10m"),
        "{detail}"
    );
}

#[test]
fn credits_off_says_so_instead_of_zeros() {
    let mut s = known((80, 24));
    update(&mut s, Msg::Net(Net::Credits(Credits::Disabled)));
    update(&mut s, ch('3'));
    let text = screen_text(&s);
    assert!(
        text.contains("Credits are not enabled on this coordinator."),
        "{text}"
    );
    assert!(!text.contains("0.000"), "{text}");
    insta::assert_snapshot!("credits_disabled_80x24", render(&s));
}

#[test]
fn a_tiny_terminal_gets_a_message_not_a_panic() {
    for (w, h) in [(40, 10), (20, 3), (1, 1), (79, 5)] {
        let mut s = known((80, 24));
        update(&mut s, Msg::Resize(w, h));
        let text = screen_text(&s);
        if w >= 20 {
            assert!(text.contains("too small"), "{w}x{h}: {text}");
        }
    }
    let mut s = known((80, 24));
    update(&mut s, Msg::Resize(40, 10));
    insta::assert_snapshot!("too_small_40x10", render(&s));
}

#[test]
fn help_lists_every_key() {
    let mut s = known((80, 24));
    update(&mut s, ch('?'));
    assert_eq!(s.mode, Mode::Help);
    let text = screen_text(&s);
    for (k, what) in view::overlay_keys(false) {
        assert!(text.contains(what), "help lacks {k} {what}: {text}");
    }
    for k in [
        "Tab", "j k", "Enter", "Esc", "/", "a ", "d ", "x ", "r ", "f ", "e ", ":", "?", "q",
    ] {
        assert!(text.contains(k), "help lacks {k:?}");
    }
    insta::assert_snapshot!("help_80x24", render(&s));
    // Any key closes it.
    update(&mut s, ch('j'));
    assert_eq!(s.mode, Mode::Normal);
}

#[test]
fn connection_screens() {
    let mut s = State::new("http://127.0.0.1:9", false, false, (80, 24), NOW);
    update(
        &mut s,
        Msg::Net(Net::PollFailed(Failure::Unreachable(
            "connection refused or failed".into(),
        ))),
    );
    assert_eq!(s.conn.label(), "unreachable");
    let text = screen_text(&s);
    assert!(text.contains("Coordinator not reachable"), "{text}");
    insta::assert_snapshot!("unreachable_80x24", render(&s));

    let mut s = State::new("http://127.0.0.1:4301", false, false, (80, 24), NOW);
    update(
        &mut s,
        Msg::Net(Net::PollFailed(Failure::Unauthorised(
            "invalid token (unauthorised)".into(),
        ))),
    );
    assert_eq!(s.conn.label(), "unauthorised");
    insta::assert_snapshot!("unauthorised_80x24", render(&s));

    // Live, then the coordinator goes away: the data stays, the header says reconnecting.
    let mut s = known((80, 24));
    assert_eq!(s.conn, Conn::Live);
    update(
        &mut s,
        Msg::Net(Net::StreamDown(Failure::Unreachable("broke".into()))),
    );
    assert_eq!(s.conn.label(), "reconnecting");
    let text = screen_text(&s);
    assert!(
        text.contains("reconnecting") && text.contains("cargo test"),
        "{text}"
    );
    update(&mut s, Msg::Net(Net::StreamUp));
    update(&mut s, Msg::Net(Net::Snapshot(Box::new(snapshot()))));
    assert_eq!(s.conn, Conn::Live);
}

#[test]
fn no_color_means_no_colour() {
    let coloured = render(&known((80, 24)));
    let mut plain_state = known((80, 24));
    plain_state.colour = false;
    let plain = render(&plain_state);
    use ratatui::style::Color;
    let colours = |b: &TestBackend| {
        b.buffer()
            .content()
            .iter()
            .filter(|c| c.fg != Color::Reset || c.bg != Color::Reset)
            .count()
    };
    assert!(colours(&coloured) > 0);
    assert_eq!(colours(&plain), 0);
}

#[test]
fn a_coding_task_detail_shows_its_iterations_and_final_files() {
    let iteration = |number: u32, passed: bool| CodeIteration {
        number,
        files_changed: vec!["main.py".into()],
        check_passed: passed,
        check_exit_code: Some(if passed { 0 } else { 1 }),
        check_output_tail: String::new(),
        error: (!passed).then(|| "AssertionError: 3 != 4".to_string()),
        duration_ms: 2400,
        model_ms: 2000,
        check_ms: 300,
        tokens_in: 512,
        tokens_out: 128,
        truncated: false,
    };
    for (w, h) in SIZES {
        let mut s = known((w, h));
        update(&mut s, ch('j'));
        update(&mut s, ch('j'));
        update(&mut s, key(KeyCode::Enter));
        let mut info = super::full_tasks()[2].clone();
        info.state = TaskState::Succeeded;
        info.code_result = Some(CodeResult {
            status: CodeStatus::Succeeded,
            reason: None,
            plan: "write add() and a test".into(),
            files: ["main.py", "test_main.py"]
                .iter()
                .map(|p| TaskFile {
                    path: p.to_string(),
                    content: "x".into(),
                })
                .collect(),
            iterations: vec![iteration(1, false), iteration(2, true)],
            model: "qwen2.5-coder:7b".into(),
            backend: "ollama".into(),
            tokens_in: 1024,
            tokens_out: 256,
        });
        update(&mut s, Msg::Net(Net::Task(Box::new(info))));
        let text = screen_text(&s);
        for needle in [
            "succeeded · qwen2.5-coder:7b via ollama · tokens 1024 in / 256 out",
            "#1  check failed · exit 1 · 2.4s",
            "#2  check passed · exit 0",
            "files main.py, test_main.py",
        ] {
            assert!(text.contains(needle), "{needle:?} in\n{text}");
        }
        insta::assert_snapshot!(format!("code_task_detail_{w}x{h}"), render(&s));
    }
}

#[test]
fn a_task_detail_lists_its_artifacts() {
    for (w, h) in SIZES {
        let mut s = known((w, h));
        update(&mut s, ch('j'));
        update(&mut s, ch('j'));
        update(&mut s, key(KeyCode::Enter));
        let mut info = super::full_tasks()[2].clone();
        info.state = TaskState::Succeeded;
        info.artifacts = ["reports/junit.xml", "dist/app.tar.gz"]
            .iter()
            .enumerate()
            .map(|(i, p)| crate::api::ArtifactInfo {
                path: p.to_string(),
                size: 1000 * (i as u64 + 1),
                sha256: format!("{i}").repeat(64),
            })
            .collect();
        update(&mut s, Msg::Net(Net::Task(Box::new(info))));
        let text = screen_text(&s);
        for needle in [
            "artifacts   2 file(s), 3000 bytes",
            "reports/junit.xml  1000 B  000000000000",
        ] {
            assert!(text.contains(needle), "{needle:?} in\n{text}");
        }
        insta::assert_snapshot!(format!("artifacts_task_detail_{w}x{h}"), render(&s));
    }
}
