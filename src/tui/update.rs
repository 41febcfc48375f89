//! The one place the state changes: keys, mouse, resizes, ticks and network data go in,
//! requests for the network side come out.

use super::apply;
use super::layout;
use super::logview;
use super::msg::{Effect, Msg, Request};
use super::state::*;
use crossterm::event::{
    KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEventKind,
};

const READ_ONLY: &str = "read-only: actions are off (started with --read-only)";

pub fn update(state: &mut State, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::Key(key) if key.kind != KeyEventKind::Release => key_event(state, key),
        Msg::Key(_) => vec![],
        Msg::Mouse(mouse) => {
            if state.mode == Mode::Normal && state.detail.is_none() {
                match mouse.kind {
                    MouseEventKind::Down(MouseButton::Left) => {
                        click(state, mouse.column, mouse.row)
                    }
                    MouseEventKind::ScrollDown => step(state, 1),
                    MouseEventKind::ScrollUp => step(state, -1),
                    _ => {}
                }
            }
            vec![]
        }
        Msg::Resize(w, h) => {
            state.size = (w, h);
            for tab in Tab::ALL {
                let page = layout::page(state, tab);
                state.pos[tab.index()].keep_visible(page);
            }
            vec![]
        }
        Msg::Tick(now) => {
            state.now = now;
            state.throughput.advance(now);
            if state.flash.as_ref().is_some_and(|f| now - f.at > FLASH_MS) {
                state.flash = None;
            }
            vec![]
        }
        Msg::Net(net) => {
            apply::net(state, net);
            vec![]
        }
    }
}

fn key_event(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    if key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('c') {
        return vec![Effect::Quit];
    }
    match state.mode.clone() {
        Mode::Help => {
            // Any key closes the help, `q` included (a second `q` quits).
            state.mode = Mode::Normal;
            vec![]
        }
        Mode::LogSearch => {
            logview::search_key(state, key);
            vec![]
        }
        Mode::Confirm(what) => {
            state.mode = Mode::Normal;
            match (key.code, what) {
                (KeyCode::Char('y') | KeyCode::Char('Y'), Confirm::CancelTask(id)) => {
                    state.flash(format!("cancelling task {}…", short(&id)), false);
                    vec![Effect::Send(Request::CancelTask(id))]
                }
                (KeyCode::Char('y') | KeyCode::Char('Y'), Confirm::CancelJob(id)) => {
                    state.flash(format!("cancelling job {}…", short(&id)), false);
                    vec![Effect::Send(Request::CancelJob(id))]
                }
                _ => {
                    state.flash("nothing was cancelled", false);
                    vec![]
                }
            }
        }
        Mode::Filter => {
            filter_key(state, key);
            vec![]
        }
        Mode::Command => command_key(state, key),
        Mode::Normal => normal_key(state, key),
    }
}

fn normal_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    let page = layout::page(state, state.tab) as isize;
    if let Some(effects) = logview::detail_key(state, key) {
        return effects;
    }
    match key.code {
        KeyCode::Char('q') => return vec![Effect::Quit],
        KeyCode::Char('?') => state.mode = Mode::Help,
        KeyCode::Tab => switch(state, Tab::ALL[(state.tab.index() + 1) % TABS]),
        KeyCode::BackTab => switch(state, Tab::ALL[(state.tab.index() + TABS - 1) % TABS]),
        KeyCode::Char(c @ '1'..='5') => switch(state, Tab::ALL[c as usize - '1' as usize]),
        KeyCode::Char('j') | KeyCode::Down => step(state, 1),
        KeyCode::Char('k') | KeyCode::Up => step(state, -1),
        KeyCode::PageDown => step(state, page),
        KeyCode::PageUp => step(state, -page),
        KeyCode::Char('g') | KeyCode::Home => step(state, isize::MIN / 2),
        KeyCode::Char('G') | KeyCode::End => step(state, isize::MAX / 2),
        KeyCode::Enter => return open(state),
        KeyCode::Esc => return back(state),
        KeyCode::Char('/') => {
            state.mode = Mode::Filter;
            state.input = state.filters[state.tab.index()].clone();
        }
        KeyCode::Char(':') => {
            state.mode = Mode::Command;
            state.input.clear();
        }
        KeyCode::Char('r') => {
            state.flash("refreshing…", false);
            return vec![Effect::Send(Request::Refresh)];
        }
        KeyCode::Char('f') => {
            state.frozen = !state.frozen;
            if state.frozen {
                state.flash("frozen: live updates are held until f", false);
            } else {
                apply::release(state);
                state.flash("live updates resumed", false);
            }
        }
        KeyCode::Char('e') => {
            state.expanded = !state.expanded;
            for tab in Tab::ALL {
                let page = layout::page(state, tab);
                state.pos[tab.index()].keep_visible(page);
            }
        }
        KeyCode::Char('a') if !state.read_only => return node_action(state, "approve"),
        KeyCode::Char('d') if !state.read_only => return node_action(state, "drain"),
        KeyCode::Char('x') if !state.read_only && super::jobs::on_jobs(state) => {
            super::jobs::ask_cancel(state)
        }
        KeyCode::Char('x') if !state.read_only => ask_cancel(state),
        _ => {}
    }
    vec![]
}

fn switch(state: &mut State, tab: Tab) {
    if state.tab != tab {
        state.tab = tab;
        state.detail = None;
    }
}

/// Moves the selection of the current tab by `delta` rows (clamped), scrolling to keep it seen.
pub fn step(state: &mut State, delta: isize) {
    let tab = state.tab;
    let len = state.visible[tab.index()].len();
    let page = layout::page(state, tab);
    let pos = &mut state.pos[tab.index()];
    if len == 0 {
        *pos = ListPos::default();
        return;
    }
    let target = (pos.selected as isize).saturating_add(delta);
    pos.selected = target.clamp(0, len as isize - 1) as usize;
    pos.keep_visible(page);
}

fn click(state: &mut State, x: u16, y: u16) {
    let screen = layout::screen(state);
    if y == screen.tabs.y && screen.tabs.height > 0 {
        // The tab bar: each title is " N Title " wide.
        let mut left = 0u16;
        for tab in Tab::ALL {
            let width = tab.title().len() as u16 + 4;
            if x >= left && x < left + width {
                switch(state, tab);
                return;
            }
            left += width;
        }
        return;
    }
    let rows = layout::table_rows(layout::list_table(state, state.tab));
    if x >= rows.x && x < rows.x + rows.width && y >= rows.y && y < rows.y + rows.height {
        let tab = state.tab;
        let row = state.pos[tab.index()].offset + (y - rows.y) as usize;
        if row < state.visible[tab.index()].len() {
            state.pos[tab.index()].selected = row;
        }
    }
}

fn open(state: &mut State) -> Vec<Effect> {
    if state.detail.is_some() {
        return vec![];
    }
    match state.tab {
        Tab::Queue => {
            if let Some(id) = state.selected_task().map(|t| t.id.clone()) {
                // The listing holds summaries only: the whole task arrives with the watch.
                state.task_detail = TaskDetail::default();
                state.log = logview::LogView::default();
                state.detail = Some(Detail::Task(id.clone()));
                return vec![Effect::Send(Request::Watch(Some(id)))];
            }
        }
        Tab::Nodes => {
            if let Some(node) = state.selected_node() {
                state.detail = Some(Detail::Node(node.id.clone()));
            }
        }
        Tab::Events => {
            if let Some(event) = state.selected_event() {
                state.detail = Some(Detail::Event(event.id));
            }
        }
        Tab::Jobs => super::jobs::open(state),
        Tab::Credits => {}
    }
    vec![]
}

fn back(state: &mut State) -> Vec<Effect> {
    match state.detail.take() {
        Some(Detail::Task(_)) => vec![Effect::Send(Request::Watch(None))],
        Some(_) => vec![],
        None => {
            if state.expanded {
                state.expanded = false;
            } else if !state.filters[state.tab.index()].is_empty() {
                state.filters[state.tab.index()].clear();
                state.refilter(state.tab);
            }
            vec![]
        }
    }
}

fn filter_key(state: &mut State, key: KeyEvent) {
    let tab = state.tab;
    match key.code {
        KeyCode::Esc => {
            state.mode = Mode::Normal;
            state.input.clear();
            state.filters[tab.index()].clear();
        }
        KeyCode::Enter => state.mode = Mode::Normal,
        KeyCode::Backspace => {
            state.input.pop();
            state.filters[tab.index()] = state.input.clone();
        }
        KeyCode::Char(c) => {
            state.input.push(c);
            state.filters[tab.index()] = state.input.clone();
        }
        _ => return,
    }
    // The list narrows as the user types.
    state.pos[tab.index()] = ListPos::default();
    state.refilter(tab);
}

fn command_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    match key.code {
        KeyCode::Esc => {
            state.mode = Mode::Normal;
            state.input.clear();
        }
        // Backspace on an empty line leaves the command line, as in vim.
        KeyCode::Backspace if state.input.is_empty() => state.mode = Mode::Normal,
        KeyCode::Backspace => {
            state.input.pop();
        }
        KeyCode::Enter => {
            state.mode = Mode::Normal;
            let line = std::mem::take(&mut state.input);
            return command(state, &line);
        }
        KeyCode::Char(c) => state.input.push(c),
        _ => {}
    }
    vec![]
}

/// Runs one `:` command line.
pub fn command(state: &mut State, line: &str) -> Vec<Effect> {
    let words: Vec<&str> = line.split_whitespace().collect();
    let act = |state: &mut State, req: Request| {
        if state.read_only {
            state.flash(READ_ONLY, true);
            vec![]
        } else {
            vec![Effect::Send(req)]
        }
    };
    match words.as_slice() {
        [] => vec![],
        ["q" | "quit"] => vec![Effect::Quit],
        ["refresh"] => vec![Effect::Send(Request::Refresh)],
        [
            "node",
            verb @ ("approve" | "reject" | "drain" | "undrain"),
            id,
        ] => {
            let action = match *verb {
                "approve" => "approve",
                "reject" => "reject",
                "drain" => "drain",
                _ => "undrain",
            };
            act(
                state,
                Request::NodeAction {
                    id: id.to_string(),
                    action,
                },
            )
        }
        ["job", "cancel", id] => {
            if state.read_only {
                state.flash(READ_ONLY, true);
                return vec![];
            }
            state.mode = Mode::Confirm(Confirm::CancelJob(id.to_string()));
            vec![]
        }
        ["task", "cancel", id] => {
            if state.read_only {
                state.flash(READ_ONLY, true);
                return vec![];
            }
            state.mode = Mode::Confirm(Confirm::CancelTask(id.to_string()));
            vec![]
        }
        ["tab", name] => {
            match Tab::ALL
                .into_iter()
                .find(|t| t.title().eq_ignore_ascii_case(name))
            {
                Some(tab) => switch(state, tab),
                None => state.flash(
                    format!("no tab {name:?}: queue, nodes, credits, events or jobs"),
                    true,
                ),
            }
            vec![]
        }
        _ => {
            state.flash(
                format!(
                    "unknown command {line:?}: try node approve|reject|drain|undrain ID, \
                     task cancel ID, job cancel ID, tab NAME, refresh, quit"
                ),
                true,
            );
            vec![]
        }
    }
}

fn node_action(state: &mut State, action: &'static str) -> Vec<Effect> {
    if state.tab != Tab::Nodes {
        state.flash(
            format!("{action}: select a node on the Nodes tab (2)"),
            true,
        );
        return vec![];
    }
    let node = match (&state.detail, state.selected_node()) {
        (Some(Detail::Node(id)), _) => state.nodes.iter().find(|n| n.id == *id),
        (_, node) => node,
    };
    let Some(node) = node else {
        state.flash("no node selected", true);
        return vec![];
    };
    if action == "approve" && node.state != crate::api::NodeState::Pending {
        let text = format!("{} is not pending approval", node.name);
        state.flash(text, true);
        return vec![];
    }
    let (id, name) = (node.id.clone(), node.name.clone());
    state.flash(format!("{action} {name}…"), false);
    vec![Effect::Send(Request::NodeAction { id, action })]
}

fn ask_cancel(state: &mut State) {
    let summary = |t: &crate::api::TaskSummary| (t.id.clone(), t.state);
    let task = match (&state.detail, state.tab) {
        (Some(Detail::Task(id)), _) => state
            .task_detail
            .info
            .as_ref()
            .filter(|t| t.id == *id)
            .map(|t| (t.id.clone(), t.state))
            .or_else(|| state.tasks.iter().find(|t| t.id == *id).map(summary)),
        (None, Tab::Queue) => state.selected_task().map(summary),
        _ => {
            state.flash("cancel: select a task on the Queue tab (1)", true);
            return;
        }
    };
    let Some((id, task_state)) = task else {
        state.flash("no task selected", true);
        return;
    };
    if task_state.is_terminal() {
        let text = format!(
            "task {} already ended ({})",
            short(&id),
            task_state.as_str()
        );
        state.flash(text, true);
        return;
    }
    state.mode = Mode::Confirm(Confirm::CancelTask(id));
}

fn short(id: &str) -> String {
    crate::fmt::short_id(id)
}
