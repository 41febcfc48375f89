//! Rendering (snapshots with ratatui's TestBackend at 80×24 and 160×48) and key handling of the
//! dashboard, against a known state.

use super::msg::{Effect, Failure, Msg, Net, Request};
use super::state::*;
use super::update::update;
use super::{apply, view};
use crate::api::*;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::collections::BTreeMap;

pub const NOW: i64 = 1_700_000_000_000;

pub fn task(n: usize, state: TaskState, node: Option<&str>, cmd: &str, age_s: i64) -> TaskInfo {
    TaskInfo {
        id: format!("t{n:04}-5c1a9e77b2d04f6e8a11"),
        state,
        command: TaskCommand::Argv(cmd.split(' ').map(str::to_string).collect()),
        env: BTreeMap::new(),
        timeout_secs: 600,
        requirements: Requirements::default(),
        placement: Placement::Mesh,
        priority: (n % 3) as i32,
        max_attempts: 3,
        attempts: u32::from(state != TaskState::Queued),
        idempotency_key: None,
        submitted_by: "admin".into(),
        created_at: NOW - age_s * 1000,
        updated_at: NOW - age_s * 500,
        finished_at: None,
        node_id: node.map(str::to_string),
        exit_code: match state {
            TaskState::Succeeded => Some(0),
            TaskState::Failed => Some(2),
            _ => None,
        },
        error: (state == TaskState::Failed).then(|| "exit status 2".to_string()),
        cancel_requested: false,
        network: true,
        attempt_history: Vec::new(),
    }
}

pub fn node(n: usize, name: &str, state: NodeState, online: bool) -> NodeInfo {
    NodeInfo {
        id: format!("n{n:03}-9f2e4b7c1d"),
        name: name.into(),
        state,
        online,
        draining: false,
        labels: [("zone".to_string(), format!("eu-{n}"))]
            .into_iter()
            .collect(),
        capabilities: Capabilities {
            os: "linux".into(),
            arch: "x86_64".into(),
            hostname: format!("{name}.lan"),
            cpus: 8,
            memory_total_mib: 16_384,
            memory_available_mib: 9_000,
            gpus: if n == 1 {
                vec![Gpu {
                    name: "A100".into(),
                    vram_mib: 40_960,
                }]
            } else {
                vec![]
            },
            max_concurrent_tasks: 4,
            ..Default::default()
        },
        registered_at: NOW - 86_400_000,
        last_heartbeat_at: online.then_some(NOW - 3_000),
        load: Some(0.5),
        running_tasks: if online { 1 } else { 0 },
        address: Some("127.0.0.1".into()),
        blacklisted: false,
    }
}

fn status() -> ServerStatus {
    let counts = [
        ("queued", 2),
        ("leased", 0),
        ("running", 2),
        ("succeeded", 41),
        ("failed", 1),
        ("cancelled", 1),
        ("timed_out", 0),
    ];
    ServerStatus {
        version: "0.1.0".into(),
        mode: "all-in-one".into(),
        started_at: NOW - 3_600_000,
        uptime_secs: 3600,
        queue: QueueSummary {
            counts: counts.iter().map(|(k, v)| (k.to_string(), *v)).collect(),
            oldest_queued_age_ms: Some(95_000),
            backlog: vec![],
            nodes_online: 2,
            nodes_pending: 1,
        },
    }
}

pub fn snapshot() -> Snapshot {
    let a = "n000-9f2e4b7c1d";
    let b = "n001-9f2e4b7c1d";
    let tasks = vec![
        task(6, TaskState::Queued, None, "cargo test --workspace", 5),
        task(5, TaskState::Queued, None, "make -j8 all", 20),
        task(
            4,
            TaskState::Running,
            Some(a),
            "python train.py --epochs 3",
            65,
        ),
        task(
            3,
            TaskState::Running,
            Some(b),
            "ollama run llama3 summarise",
            130,
        ),
        task(2, TaskState::Failed, Some(a), "sh -c exit 2", 600),
        task(1, TaskState::Succeeded, Some(b), "echo hello", 4000),
    ];
    let mut nodes = vec![
        node(0, "build-box", NodeState::Approved, true),
        node(1, "gpu-rig", NodeState::Approved, true),
        node(2, "laptop", NodeState::Pending, true),
        node(3, "old-server", NodeState::Approved, false),
        node(4, "spammer", NodeState::Approved, true),
    ];
    nodes[4].blacklisted = true;
    nodes[1].draining = true;
    Snapshot {
        status: status(),
        tasks,
        nodes,
        at: NOW,
    }
}

fn event(id: i64, kind: &str, task: Option<&str>, node: Option<&str>) -> Event {
    Event {
        id,
        at: NOW - (100 - id) * 1000,
        kind: kind.into(),
        task_id: task.map(str::to_string),
        node_id: node.map(str::to_string),
        data: if kind == "task.failed" {
            serde_json::json!({"exit_code": 2})
        } else {
            serde_json::json!({})
        },
    }
}

fn credits() -> Credits {
    let account = |id: &str, kind: &str, balance, earned| Account {
        id: id.into(),
        kind: kind.into(),
        balance,
        held: 0,
        earned,
        spent: 0,
    };
    let entry = |seq: i64, kind: &str, account: &str, amount: i64| LedgerEntry {
        seq,
        at: NOW - (20 - seq) * 60_000,
        kind: kind.into(),
        account: account.into(),
        amount,
        task_id: Some("t0001-5c1a9e77b2d04f6e8a11".into()),
        actor: Some("coordinator".into()),
        prev_hash: "00".repeat(32),
        hash: "ab".repeat(32),
    };
    Credits::Loaded(CreditData {
        accounts: vec![
            account("treasury", "treasury", 1_000_000, 0),
            account("node:n000-9f2e4b7c1d", "node", 12_500, 12_500),
            account("user:admin", "user", 87_500, 0),
        ],
        entries: vec![
            entry(4, "earn", "node:n000-9f2e4b7c1d", 12_500),
            entry(3, "fee", "treasury", 625),
            entry(2, "settle", "user:admin", -13_125),
            entry(1, "issue", "user:admin", 100_000),
        ],
        verify: Some(LedgerVerify {
            ok: true,
            count: 4,
            head_seq: 4,
            head_hash: "3f9a".repeat(16),
            checkpoints_checked: 1,
            first_bad_seq: None,
            reason: None,
        }),
    })
}

/// A dashboard that has polled once, read the credits and seen a few events.
pub fn known(size: (u16, u16)) -> State {
    let mut s = State::new("http://127.0.0.1:4301", false, true, size, NOW);
    update(&mut s, Msg::Net(Net::StreamUp));
    update(&mut s, Msg::Net(Net::Snapshot(Box::new(snapshot()))));
    update(&mut s, Msg::Net(Net::Credits(credits())));
    let t4 = "t0004-5c1a9e77b2d04f6e8a11";
    for e in [
        event(90, "node.registered", None, Some("n002-9f2e4b7c1d")),
        event(91, "task.submitted", Some(t4), None),
        event(92, "task.leased", Some(t4), Some("n000-9f2e4b7c1d")),
        event(93, "task.started", Some(t4), Some("n000-9f2e4b7c1d")),
        event(94, "task.failed", Some("t0002-5c1a9e77b2d04f6e8a11"), None),
    ] {
        update(&mut s, Msg::Net(Net::Event(e)));
    }
    s.throughput.buckets = [0, 2, 5, 3, 8, 13, 7, 4, 9, 11, 6, 2, 0, 1, 4]
        .into_iter()
        .cycle()
        .take(60)
        .collect();
    s
}

pub fn render(state: &State) -> TestBackend {
    let mut terminal =
        Terminal::new(TestBackend::new(state.size.0, state.size.1)).expect("test terminal");
    terminal.draw(|f| view::draw(f, state)).expect("draw");
    terminal.backend().clone()
}

fn screen_text(state: &State) -> String {
    render(state).to_string()
}

fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn ch(c: char) -> Msg {
    key(KeyCode::Char(c))
}

fn press(state: &mut State, keys: &str) -> Vec<Effect> {
    keys.chars().flat_map(|c| update(state, ch(c))).collect()
}

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
        let mut info = snapshot().tasks[2].clone();
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
fn tabs_switch_with_tab_backtab_and_digits() {
    let mut s = known((80, 24));
    assert_eq!(s.tab, Tab::Queue);
    update(&mut s, key(KeyCode::Tab));
    assert_eq!(s.tab, Tab::Nodes);
    update(&mut s, key(KeyCode::BackTab));
    update(&mut s, key(KeyCode::BackTab));
    assert_eq!(s.tab, Tab::Events);
    update(&mut s, ch('3'));
    assert_eq!(s.tab, Tab::Credits);
    update(&mut s, ch('1'));
    assert_eq!(s.tab, Tab::Queue);
}

#[test]
fn movement_is_clamped_and_scrolls() {
    let mut s = known((80, 24));
    press(&mut s, "k");
    assert_eq!(s.pos[0].selected, 0);
    press(&mut s, "jj");
    assert_eq!(
        s.selected_task().map(|t| t.id.as_str()),
        Some("t0004-5c1a9e77b2d04f6e8a11")
    );
    update(&mut s, key(KeyCode::Down));
    update(&mut s, key(KeyCode::Up));
    assert_eq!(s.pos[0].selected, 2);
    press(&mut s, "G");
    assert_eq!(s.pos[0].selected, 5);
    press(&mut s, "jjj");
    assert_eq!(s.pos[0].selected, 5);
    press(&mut s, "g");
    assert_eq!(s.pos[0].selected, 0);

    // A long list scrolls so the selection stays on screen.
    let mut snap = snapshot();
    snap.tasks = (0..300)
        .map(|i| task(i, TaskState::Queued, None, "true", i as i64))
        .collect();
    update(&mut s, Msg::Net(Net::Snapshot(Box::new(snap))));
    press(&mut s, "g");
    let page = super::layout::page(&s, Tab::Queue);
    for _ in 0..page + 5 {
        press(&mut s, "j");
    }
    let pos = s.pos[0];
    assert_eq!(pos.selected, page + 5);
    assert!(pos.offset <= pos.selected && pos.selected < pos.offset + page);
    let text = screen_text(&s);
    let selected = s
        .selected_task()
        .map(|t| t.id[..11].to_string())
        .unwrap_or_default();
    assert!(text.contains(&selected), "selected row not drawn: {text}");
}

#[test]
fn filter_narrows_and_esc_clears() {
    let mut s = known((80, 24));
    press(&mut s, "/");
    assert_eq!(s.mode, Mode::Filter);
    press(&mut s, "llama");
    assert_eq!(s.visible[0].len(), 1);
    assert_eq!(
        s.selected_task().map(|t| t.id.as_str()),
        Some("t0003-5c1a9e77b2d04f6e8a11")
    );
    update(&mut s, key(KeyCode::Enter));
    assert_eq!(s.mode, Mode::Normal);
    assert_eq!(s.filters[0], "llama");
    assert!(screen_text(&s).contains("matching \"llama\""));
    // The filter stays across polls.
    update(&mut s, Msg::Net(Net::Snapshot(Box::new(snapshot()))));
    assert_eq!(s.visible[0].len(), 1);
    // States match too; backspace widens again.
    press(&mut s, "/");
    for _ in 0..5 {
        update(&mut s, key(KeyCode::Backspace));
    }
    press(&mut s, "running");
    assert_eq!(s.visible[0].len(), 2);
    update(&mut s, key(KeyCode::Esc));
    assert_eq!(s.filters[0], "");
    assert_eq!(s.visible[0].len(), 6);
    // Filters are per tab.
    press(&mut s, "2/gpu");
    assert_eq!(s.visible[1].len(), 1);
    assert_eq!(s.visible[0].len(), 6);
}

#[test]
fn cancel_asks_first() {
    let mut s = known((80, 24));
    press(&mut s, "jj");
    let effects = press(&mut s, "x");
    assert!(effects.is_empty(), "x must not cancel at once");
    let id = "t0004-5c1a9e77b2d04f6e8a11".to_string();
    assert_eq!(s.mode, Mode::Confirm(Confirm::CancelTask(id.clone())));
    assert!(screen_text(&s).contains("Cancel task t0004-5c1a9e?"));
    // Anything but y keeps the task.
    assert!(press(&mut s, "n").is_empty());
    assert_eq!(s.mode, Mode::Normal);
    press(&mut s, "x");
    assert_eq!(
        press(&mut s, "y"),
        vec![Effect::Send(Request::CancelTask(id))]
    );
    // A finished task is not offered for cancelling.
    press(&mut s, "G");
    assert!(press(&mut s, "x").is_empty());
    assert_eq!(s.mode, Mode::Normal);
    assert!(
        s.flash
            .as_ref()
            .is_some_and(|f| f.text.contains("already ended"))
    );
    // The command line asks too.
    let effects = press(&mut s, ":task cancel abc");
    assert!(effects.is_empty());
    assert!(update(&mut s, key(KeyCode::Enter)).is_empty());
    assert_eq!(s.mode, Mode::Confirm(Confirm::CancelTask("abc".into())));
}

#[test]
fn node_actions_and_commands() {
    let mut s = known((80, 24));
    press(&mut s, "2jj");
    assert_eq!(s.selected_node().map(|n| n.name.as_str()), Some("laptop"));
    let approve = Request::NodeAction {
        id: "n002-9f2e4b7c1d".into(),
        action: "approve",
    };
    assert_eq!(press(&mut s, "a"), vec![Effect::Send(approve)]);
    // An approved node is not approved again.
    press(&mut s, "k");
    assert!(press(&mut s, "a").is_empty());
    let drain = Request::NodeAction {
        id: "n001-9f2e4b7c1d".into(),
        action: "drain",
    };
    assert_eq!(press(&mut s, "d"), vec![Effect::Send(drain)]);
    press(&mut s, ":node undrain n9");
    let undrain = Request::NodeAction {
        id: "n9".into(),
        action: "undrain",
    };
    assert_eq!(
        update(&mut s, key(KeyCode::Enter)),
        vec![Effect::Send(undrain)]
    );
    press(&mut s, ":bogus");
    assert!(update(&mut s, key(KeyCode::Enter)).is_empty());
    assert!(
        s.flash
            .as_ref()
            .is_some_and(|f| f.bad && f.text.contains("unknown command"))
    );
    press(&mut s, ":q");
    assert_eq!(update(&mut s, key(KeyCode::Enter)), vec![Effect::Quit]);
}

#[test]
fn read_only_hides_every_action() {
    let mut s = known((80, 24));
    s.read_only = true;
    assert!(press(&mut s, "jjx").is_empty());
    assert_eq!(s.mode, Mode::Normal);
    assert!(press(&mut s, "2jjad").is_empty());
    press(&mut s, ":node approve n002-9f2e4b7c1d");
    assert!(update(&mut s, key(KeyCode::Enter)).is_empty());
    press(&mut s, ":task cancel t0004");
    assert!(update(&mut s, key(KeyCode::Enter)).is_empty());
    assert_eq!(s.mode, Mode::Normal);
    s.flash = None;
    let screen = screen_text(&s);
    let footer = screen.lines().last().unwrap_or_default();
    assert!(footer.contains("quit"), "{footer}");
    for word in ["approve", "drain", "cancel"] {
        assert!(
            !footer.contains(word),
            "read-only screen shows {word}: {footer}"
        );
    }
    update(&mut s, ch('?'));
    let help = screen_text(&s);
    assert!(help.contains("read-only"));
    assert!(!help.contains("approve the selected"), "{help}");
    insta::assert_snapshot!("help_read_only_80x24", render(&s));
}

#[test]
fn freeze_holds_updates_until_unfrozen() {
    let mut s = known((80, 24));
    press(&mut s, "f");
    assert!(s.frozen);
    assert!(screen_text(&s).contains("[frozen]"));
    let mut snap = snapshot();
    snap.tasks
        .insert(0, task(7, TaskState::Queued, None, "new work", 0));
    update(&mut s, Msg::Net(Net::Snapshot(Box::new(snap))));
    update(
        &mut s,
        Msg::Net(Net::Event(event(95, "task.succeeded", None, None))),
    );
    assert_eq!(s.tasks.len(), 6);
    assert_eq!(s.events.len(), 5);
    press(&mut s, "f");
    assert!(!s.frozen);
    assert_eq!(s.tasks.len(), 7);
    assert_eq!(s.events.len(), 6);
    assert_eq!(s.visible[0].len(), 7);
}

#[test]
fn events_update_rows_and_are_never_repeated() {
    let mut s = known((80, 24));
    assert_eq!(s.events.len(), 5);
    // A resumed stream that repeats an event adds no row.
    update(
        &mut s,
        Msg::Net(Net::Event(event(94, "task.failed", None, None))),
    );
    assert_eq!(s.events.len(), 5);
    // A live event moves its task on without waiting for a poll.
    let t6 = "t0006-5c1a9e77b2d04f6e8a11";
    update(
        &mut s,
        Msg::Net(Net::Event(event(
            96,
            "task.succeeded",
            Some(t6),
            Some("n000-9f2e4b7c1d"),
        ))),
    );
    let task = &s.tasks[s.task_index[t6]];
    assert_eq!(task.state, TaskState::Succeeded);
    assert_eq!(s.events.len(), 6);
}

#[test]
fn enter_and_esc_open_and_close_details() {
    let mut s = known((80, 24));
    update(&mut s, key(KeyCode::Enter));
    assert!(matches!(s.detail, Some(Detail::Task(_))));
    assert_eq!(
        update(&mut s, key(KeyCode::Esc)),
        vec![Effect::Send(Request::Watch(None))]
    );
    assert_eq!(s.detail, None);
    press(&mut s, "4");
    update(&mut s, key(KeyCode::Enter));
    assert_eq!(s.detail, Some(Detail::Event(94)));
    assert!(screen_text(&s).contains("exit_code"));
    // Expanding and Esc.
    update(&mut s, key(KeyCode::Esc));
    press(&mut s, "e");
    assert!(s.expanded);
    assert!(!screen_text(&s).contains("edgecoder dash"));
    update(&mut s, key(KeyCode::Esc));
    assert!(!s.expanded);
}

#[test]
fn mouse_selects_rows_and_tabs() {
    let mut s = known((80, 24));
    let rows = super::layout::table_rows(super::layout::list_table(&s, Tab::Queue));
    let click = |x, y| {
        Msg::Mouse(MouseEvent {
            kind: MouseEventKind::Down(MouseButton::Left),
            column: x,
            row: y,
            modifiers: KeyModifiers::NONE,
        })
    };
    update(&mut s, click(rows.x + 3, rows.y + 3));
    assert_eq!(s.pos[0].selected, 3);
    // Below the last row: nothing changes.
    update(&mut s, click(rows.x + 3, rows.y + 20));
    assert_eq!(s.pos[0].selected, 3);
    // The tab bar.
    let tabs = super::layout::screen(&s).tabs;
    update(&mut s, click(12, tabs.y));
    assert_eq!(s.tab, Tab::Nodes);
}

#[test]
fn throughput_counts_finished_tasks_per_bucket() {
    let mut t = Throughput::default();
    t.record(0, 10);
    t.record(5_000, 13);
    t.record(BUCKET_MS + 1, 14);
    t.advance(5 * BUCKET_MS);
    assert_eq!(
        t.buckets.iter().copied().collect::<Vec<_>>(),
        vec![3, 1, 0, 0, 0, 0]
    );
}

#[test]
fn quitting() {
    let mut s = known((80, 24));
    assert_eq!(press(&mut s, "q"), vec![Effect::Quit]);
    let ctrl_c = Msg::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL));
    assert_eq!(update(&mut s, ctrl_c), vec![Effect::Quit]);
    // While typing a filter, q is text.
    press(&mut s, "/");
    assert!(press(&mut s, "q").is_empty());
    assert_eq!(s.filters[0], "q");
}

#[test]
fn applying_a_held_snapshot_keeps_the_selected_task() {
    let mut s = known((80, 24));
    press(&mut s, "jj");
    let mut snap = snapshot();
    snap.tasks
        .insert(0, task(9, TaskState::Queued, None, "newer", 0));
    apply::snapshot(&mut s, snap);
    assert_eq!(
        s.selected_task().map(|t| t.id.as_str()),
        Some("t0004-5c1a9e77b2d04f6e8a11")
    );
}
