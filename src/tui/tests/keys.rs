//! The update function: keys, mouse, freezing, live events.

use super::*;

#[test]
fn tabs_switch_with_tab_backtab_and_digits() {
    let mut s = known((80, 24));
    assert_eq!(s.tab, Tab::Queue);
    update(&mut s, key(KeyCode::Tab));
    assert_eq!(s.tab, Tab::Nodes);
    update(&mut s, key(KeyCode::BackTab));
    update(&mut s, key(KeyCode::BackTab));
    assert_eq!(s.tab, Tab::Jobs);
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
        .map(|i| task(i, TaskState::Queued, None, "true", i as i64).summary())
        .collect();
    update(&mut s, Msg::Net(Net::Snapshot(Box::new(snap))));
    press(&mut s, "g");
    let page = crate::tui::layout::page(&s, Tab::Queue);
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
        .insert(0, task(7, TaskState::Queued, None, "new work", 0).summary());
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
    let rows = crate::tui::layout::table_rows(crate::tui::layout::list_table(&s, Tab::Queue));
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
    let tabs = crate::tui::layout::screen(&s).tabs;
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
        .insert(0, task(9, TaskState::Queued, None, "newer", 0).summary());
    apply::snapshot(&mut s, snap);
    assert_eq!(
        s.selected_task().map(|t| t.id.as_str()),
        Some("t0004-5c1a9e77b2d04f6e8a11")
    );
}
