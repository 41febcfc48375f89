//! Where each part of the screen goes: a pure function of the state, used by the views to draw
//! and by `update` to scroll and to map mouse clicks to rows.

use super::state::{Credits, State, Tab};
use ratatui::layout::{Constraint, Layout, Rect};

/// Below this the dashboard shows only a "too small" message.
pub const MIN_WIDTH: u16 = 50;
pub const MIN_HEIGHT: u16 = 12;
/// From this width on, panels sit side by side and tables show more columns.
pub const WIDE: u16 = 120;

pub struct Screen {
    pub header: Rect,
    pub tabs: Rect,
    pub body: Rect,
    pub footer: Rect,
}

pub fn too_small(state: &State) -> bool {
    state.size.0 < MIN_WIDTH || state.size.1 < MIN_HEIGHT
}

pub fn full(state: &State) -> Rect {
    Rect::new(0, 0, state.size.0, state.size.1)
}

pub fn screen(state: &State) -> Screen {
    let area = full(state);
    if state.expanded {
        let [body, footer] =
            Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(area);
        let empty = Rect::new(0, 0, 0, 0);
        return Screen {
            header: empty,
            tabs: empty,
            body,
            footer,
        };
    }
    let [header, tabs, body, footer] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(area);
    Screen {
        header,
        tabs,
        body,
        footer,
    }
}

/// The Queue tab: the summary (counts and sparkline) and the task table.
pub fn queue(state: &State) -> (Rect, Rect) {
    let body = screen(state).body;
    if state.expanded {
        return (Rect::new(body.x, body.y, 0, 0), body);
    }
    let summary = if body.height >= 30 { 9 } else { 5 };
    let [top, table] =
        Layout::vertical([Constraint::Length(summary), Constraint::Min(3)]).areas(body);
    (top, table)
}

/// The Credits tab: verification line, balances, ledger entries.
pub fn credits(state: &State) -> (Rect, Rect, Rect) {
    let body = screen(state).body;
    let none = Rect::new(body.x, body.y, 0, 0);
    if state.expanded {
        return (none, none, body);
    }
    let [verify, rest] = Layout::vertical([Constraint::Length(3), Constraint::Min(3)]).areas(body);
    if state.size.0 >= WIDE {
        let [balances, ledger] =
            Layout::horizontal([Constraint::Percentage(45), Constraint::Percentage(55)])
                .areas(rest);
        return (verify, balances, ledger);
    }
    let accounts = match &state.credits {
        Credits::Loaded(d) => d.accounts.len() as u16,
        _ => 0,
    };
    // Balances take what they need, up to 40% of the space; the ledger gets the rest.
    let want = (accounts + 3).min(rest.height * 2 / 5).max(4);
    let [balances, ledger] =
        Layout::vertical([Constraint::Length(want), Constraint::Min(3)]).areas(rest);
    (verify, balances, ledger)
}

/// The Jobs tab: the tree of jobs and subtasks, and beside it on a wide screen the selected
/// job's detail (empty on a narrow one, where Enter opens it whole).
pub fn jobs(state: &State) -> (Rect, Rect) {
    let body = screen(state).body;
    if state.size.0 < WIDE || state.expanded {
        return (body, Rect::new(body.x + body.width, body.y, 0, 0));
    }
    let [list, detail] =
        Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(body);
    (list, detail)
}

/// The bordered table of a tab's selectable list.
pub fn list_table(state: &State, tab: Tab) -> Rect {
    match tab {
        Tab::Queue => queue(state).1,
        Tab::Credits => credits(state).2,
        Tab::Nodes | Tab::Events => screen(state).body,
        Tab::Jobs => jobs(state).0,
    }
}

/// The rows a table shows inside its border and below its header line.
pub fn table_rows(table: Rect) -> Rect {
    Rect::new(
        table.x.saturating_add(1),
        table.y.saturating_add(2),
        table.width.saturating_sub(2),
        table.height.saturating_sub(3),
    )
}

/// How many rows of a tab's list fit on the screen now.
pub fn page(state: &State, tab: Tab) -> usize {
    (table_rows(list_table(state, tab)).height as usize).max(1)
}

/// A box of at most `w`×`h` in the middle of `area`.
pub fn centred(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}
