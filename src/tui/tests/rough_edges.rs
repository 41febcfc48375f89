//! The rough edges a newcomer hit: `q` with the help open, node ids cut at any width, a user
//! token shown `0.000` earned for nodes it cannot see, and a task log that could only be tailed
//! (now searched with `/` `n` `N`, wrapped with `w`, saved with `s`).

use super::*;
use crate::tui::logview;
use ratatui::style::Modifier;

#[test]
fn q_with_the_help_open_closes_the_help() {
    let mut s = known((80, 24));
    update(&mut s, ch('?'));
    assert_eq!(s.mode, Mode::Help);
    assert!(press(&mut s, "q").is_empty(), "q in the help must not quit");
    assert_eq!(s.mode, Mode::Normal);
    assert_eq!(press(&mut s, "q"), vec![Effect::Quit]);
}

#[test]
fn node_ids_are_whole_on_a_wide_screen() {
    let whole = "n000-9f2e4b7c1d";
    for tab in ['2', '4'] {
        let mut s = known((160, 48));
        update(&mut s, ch(tab));
        let text = screen_text(&s);
        assert!(
            text.contains(whole),
            "tab {tab} at 160 columns cuts the id:\n{text}"
        );
    }
    // Narrow, the Events tab keeps 12 characters.
    let mut s = known((80, 24));
    update(&mut s, ch('4'));
    let text = screen_text(&s);
    assert!(
        text.contains("n000-9f2e4b7") && !text.contains(whole),
        "{text}"
    );
}

#[test]
fn a_user_token_sees_a_dash_for_nodes_it_cannot_see() {
    let mut s = known((80, 24));
    let Credits::Loaded(mut data) = s.credits.clone() else {
        panic!("known state has credits");
    };
    // What the coordinator lists for a user token: its own account only.
    data.accounts.retain(|a| a.id == "user:admin");
    data.sees_every_account = false;
    update(
        &mut s,
        Msg::Net(Net::Credits(Credits::Loaded(data.clone()))),
    );
    update(&mut s, ch('2'));
    let text = screen_text(&s);
    assert!(text.contains("EARNED"), "{text}");
    assert!(
        !text.contains("0.000"),
        "a user token is shown earnings it cannot see:\n{text}"
    );
    insta::assert_snapshot!("nodes_user_token_80x24", render(&s));

    // An admin sees every account: a node with none has earned nothing yet.
    data.sees_every_account = true;
    update(&mut s, Msg::Net(Net::Credits(Credits::Loaded(data))));
    assert!(screen_text(&s).contains("0.000"));
}

/// The known dashboard with task t0004's detail open and `log` as its output.
fn task_with_log(size: (u16, u16), log: &str) -> State {
    let mut s = known(size);
    press(&mut s, "jj");
    update(&mut s, key(KeyCode::Enter));
    let id = "t0004-5c1a9e77b2d04f6e8a11".to_string();
    update(
        &mut s,
        Msg::Net(Net::Task(Box::new(full_tasks()[2].clone()))),
    );
    let page = LogPage {
        task_id: id,
        attempt: 1,
        chunks: vec![LogChunk {
            attempt: 1,
            offset: 0,
            stream: "stdout".into(),
            data: log.into(),
        }],
        next_offset: log.len() as u64,
    };
    update(&mut s, Msg::Net(Net::Log(page)));
    s
}

const LOG: &str =
    "epoch 1/3 loss=0.91\nsaving checkpoint\nepoch 2/3 LOSS=0.55\nepoch 3/3 loss=0.31\ndone\n";

/// The style of the screen cell at the first place `needle` is drawn on row `y`.
fn style_at(backend: &TestBackend, needle: &str) -> Option<ratatui::style::Style> {
    let buffer = backend.buffer();
    let width = buffer.area.width as usize;
    let cells: Vec<&str> = buffer.content.iter().map(|c| c.symbol()).collect();
    for (y, row) in cells.chunks(width).enumerate() {
        let line: String = row.concat();
        if let Some(byte) = line.find(needle) {
            let x = line[..byte].chars().count();
            return Some(buffer.content[y * width + x].style());
        }
    }
    None
}

#[test]
fn the_log_is_searched_with_slash_n_and_shift_n() {
    let mut s = task_with_log((80, 24), LOG);
    assert!(press(&mut s, "/loss").is_empty());
    assert_eq!(s.mode, Mode::LogSearch);
    assert!(screen_text(&s).contains("search log /loss"));
    update(&mut s, key(KeyCode::Enter));
    assert_eq!(s.mode, Mode::Normal);
    assert_eq!(s.log.query, "loss");
    // Three lines match (case aside); the search starts at the newest.
    let text = screen_text(&s);
    assert!(text.contains("/loss: 3 of 3"), "{text}");
    assert_eq!(logview::anchor(&s), Some(3));
    press(&mut s, "n");
    assert!(
        screen_text(&s).contains("/loss: 1 of 3"),
        "n goes round to the first"
    );
    press(&mut s, "N");
    press(&mut s, "N");
    assert!(screen_text(&s).contains("/loss: 2 of 3"));
    assert_eq!(logview::anchor(&s), Some(2));

    // Matches are highlighted, the current one more.
    let backend = render(&s);
    let current = style_at(&backend, "LOSS").expect("the match is drawn");
    assert!(
        current
            .add_modifier
            .contains(Modifier::REVERSED | Modifier::UNDERLINED)
    );
    let other = style_at(&backend, "loss=0.91").expect("drawn");
    assert!(other.add_modifier.contains(Modifier::REVERSED));
    assert!(!other.add_modifier.contains(Modifier::UNDERLINED));
    insta::assert_snapshot!("task_log_search_80x24", backend);

    // Nothing found says so; Esc while typing clears the search.
    press(&mut s, "/");
    let _ = (0..4)
        .map(|_| update(&mut s, key(KeyCode::Backspace)))
        .count();
    press(&mut s, "nowhere");
    update(&mut s, key(KeyCode::Enter));
    assert!(screen_text(&s).contains("\"nowhere\" is not in the log"));
    press(&mut s, "/");
    update(&mut s, key(KeyCode::Esc));
    assert!(s.log.query.is_empty());
    assert!(screen_text(&s).contains("(live tail)"));
}

#[test]
fn the_search_finds_a_line_scrolled_out_of_the_tail() {
    let mut log: String = (0..200).map(|i| format!("step {i} ok\n")).collect();
    log.insert_str(0, "needle at the very start\n");
    let mut s = task_with_log((80, 24), &log);
    assert!(
        !screen_text(&s).contains("needle"),
        "only the tail is shown at first"
    );
    press(&mut s, "/needle");
    update(&mut s, key(KeyCode::Enter));
    assert!(screen_text(&s).contains("needle at the very start"));
}

#[test]
fn w_wraps_long_log_lines() {
    let long = format!("start {} the-end-of-the-line\n", "x".repeat(120));
    let mut s = task_with_log((80, 24), &long);
    assert!(
        !screen_text(&s).contains("the-end-of-the-line"),
        "cut at the edge"
    );
    press(&mut s, "w");
    assert!(s.log.wrap);
    let text = screen_text(&s);
    assert!(
        text.contains("the-end-of-the-line") && text.contains("wrapped"),
        "{text}"
    );
    insta::assert_snapshot!("task_log_wrapped_80x24", render(&s));
    press(&mut s, "w");
    assert!(!screen_text(&s).contains("the-end-of-the-line"));
}

#[test]
fn s_saves_the_log_to_a_file_and_says_where() {
    let mut s = task_with_log((80, 24), LOG);
    let effects = press(&mut s, "s");
    let [Effect::SaveLog { path, text }] = effects.as_slice() else {
        panic!("s must ask to save the log: {effects:?}");
    };
    assert_eq!(
        path,
        std::path::Path::new("edgecoder-task-t0004-5c1a9e77b2d04f6e8a11-attempt-1.log")
    );
    assert_eq!(text, LOG);

    // The runner writes it through the atomic write and flashes where.
    let dir = tempfile::tempdir().expect("temp dir");
    let target = dir.path().join(path);
    logview::save(&mut s, &target, text);
    assert_eq!(std::fs::read_to_string(&target).expect("saved"), LOG);
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&target).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    assert!(
        screen_text(&s).contains("log saved to"),
        "{}",
        screen_text(&s)
    );

    // A write that fails says why, and nothing panics.
    logview::save(&mut s, &dir.path().join("missing/dir/x.log"), text);
    assert!(
        s.flash
            .as_ref()
            .is_some_and(|f| f.bad && f.text.contains("cannot save"))
    );

    // The file name cannot leave the current directory, whatever the id.
    let name = logview::file_name("../../etc/passwd", 2);
    assert_eq!(name.components().count(), 1, "{name:?}");
}

#[test]
fn the_log_keys_only_act_in_a_task_detail() {
    let mut s = known((80, 24));
    // On the list, `/` filters and `n`/`w`/`s` do nothing to any log.
    press(&mut s, "/");
    assert_eq!(s.mode, Mode::Filter);
    update(&mut s, key(KeyCode::Esc));
    assert!(press(&mut s, "s").is_empty());
    assert!(!s.log.wrap);
}
