//! The Events tab: the coordinator's live event stream, newest first.

use super::{List, count_title, list};
use crate::api::Event;
use crate::fmt::{age, clip};
use crate::tui::layout::{self, WIDE};
use crate::tui::state::{State, Tab};
use crate::tui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::Constraint;
use ratatui::text::Span;
use ratatui::widgets::{Cell, Row};

/// The event's data in one line, `{}` left out.
pub fn data_line(e: &Event) -> String {
    match &e.data {
        serde_json::Value::Object(m) if m.is_empty() => String::new(),
        serde_json::Value::Null => String::new(),
        v => v.to_string(),
    }
}

fn tone(kind: &str) -> &'static str {
    match kind.rsplit('.').next().unwrap_or("") {
        "succeeded" | "approved" | "online" | "undrained" => "succeeded",
        "failed" | "timed_out" | "rejected" | "offline" | "removed" => "failed",
        "leased" | "started" | "draining" | "requeued" | "cancel_requested" => "running",
        "cancelled" => "cancelled",
        _ => "",
    }
}

pub fn draw(frame: &mut Frame, state: &State, theme: Theme) {
    let wide = state.size.0 >= WIDE;
    let area = layout::screen(state).body;
    let id_width = if wide { 26 } else { 12 };
    let row = |i: usize| {
        let e = &state.events[i];
        Row::new(vec![
            Cell::from(e.id.to_string()),
            Cell::from(age(e.at, state.now)),
            Cell::from(Span::styled(e.kind.clone(), theme.state(tone(&e.kind)))),
            Cell::from(
                e.task_id
                    .as_deref()
                    .map(|t| clip(t, id_width as usize))
                    .unwrap_or_default(),
            ),
            Cell::from(
                e.node_id
                    .as_deref()
                    .map(|id| super::node_id(state, id))
                    .unwrap_or_default(),
            ),
            Cell::from(data_line(e)),
        ])
    };
    let mut title = count_title(
        "Events, newest first",
        state,
        Tab::Events,
        state.events.len(),
    );
    if !state.stream_up {
        title.push_str("(stream reconnecting) ");
    }
    let spec = List {
        title,
        header: vec!["ID", "AGE", "KIND", "TASK", "NODE", "DATA"],
        widths: vec![
            Constraint::Length(7),
            Constraint::Length(4),
            Constraint::Length(21),
            Constraint::Length(id_width),
            Constraint::Length(super::node_id_width(state)),
            Constraint::Min(10),
        ],
    };
    list(
        frame,
        area,
        spec,
        (&state.visible[3], state.pos[3]),
        theme,
        row,
    );
}
