//! Boxes drawn over the screen: the help listing every key, and the cancel confirmation.

use crate::fmt::short_id;
use crate::tui::layout;
use crate::tui::state::{Confirm, State};
use crate::tui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::Alignment;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

/// Every key, as the help lists it; actions are left out with --read-only.
pub fn keys(read_only: bool) -> Vec<(&'static str, &'static str)> {
    let mut keys = vec![
        ("Tab / S-Tab", "next / previous tab"),
        ("1 … 5", "Queue, Nodes, Credits, Events, Jobs"),
        ("j k / ↓ ↑", "move down / up"),
        ("PgDn PgUp", "move a page"),
        ("g G / Home End", "first / last row"),
        ("Enter", "details of the selected row"),
        ("Esc", "back; clears the filter"),
        ("/", "filter the list; in a task, search its log"),
        ("n N  w  s", "in a task: next/prev match, wrap, save log"),
    ];
    if !read_only {
        keys.extend([
            ("a", "approve the selected pending node"),
            ("d", "drain the selected node"),
            ("x", "cancel the selected task or job (asks first)"),
        ]);
    }
    keys.extend([
        ("r", "refresh now (retries after a refused token)"),
        ("f", "freeze / unfreeze live updates"),
        ("e", "expand the list to the whole screen"),
    ]);
    if read_only {
        keys.push((":", "command: tab NAME, refresh, quit"));
    } else {
        keys.extend([
            (":", ":node approve|reject|drain|undrain ID"),
            ("", ":task|job cancel ID  :tab NAME  :refresh  :q"),
        ]);
    }
    keys.extend([
        ("mouse", "click a row to select it; wheel scrolls"),
        ("?", "this help"),
        ("q / Ctrl-C", "quit"),
    ]);
    keys
}

pub fn help(frame: &mut Frame, state: &State, theme: Theme) {
    let mut lines: Vec<Line> = keys(state.read_only)
        .into_iter()
        .map(|(k, what)| {
            Line::from(vec![
                Span::styled(format!(" {k:<15}"), theme.bold()),
                Span::raw(what),
            ])
        })
        .collect();
    if state.read_only {
        lines.push(Line::styled(
            " read-only: approve, drain and cancel are off",
            theme.dim(),
        ));
    }
    lines.push(Line::styled(
        " any key closes this help, q too",
        theme.dim(),
    ));
    let area = layout::centred(frame.area(), 62, lines.len() as u16 + 2);
    frame.render_widget(Clear, area);
    frame.render_widget(
        Paragraph::new(lines)
            .block(Block::bordered().title(Span::styled(" Keys ", theme.header()))),
        area,
    );
}

pub fn confirm(frame: &mut Frame, what: &Confirm, theme: Theme) {
    let question = match what {
        Confirm::CancelTask(id) => format!("Cancel task {}?", short_id(id)),
        Confirm::CancelJob(id) => format!("Cancel job {} and its open subtasks?", short_id(id)),
    };
    let lines = vec![
        Line::raw(question),
        Line::raw(""),
        Line::from(vec![
            Span::styled("y", theme.bad()),
            Span::raw(" cancel it   "),
            Span::styled("any other key", theme.bold()),
            Span::raw(" keep it"),
        ]),
    ];
    let area = layout::centred(frame.area(), 44, 5);
    frame.render_widget(Clear, area);
    frame.render_widget(
        Paragraph::new(lines)
            .alignment(Alignment::Center)
            .wrap(Wrap { trim: true })
            .block(Block::bordered().title(Span::styled(" Confirm ", theme.warn()))),
        area,
    );
}
