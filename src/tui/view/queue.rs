//! The Queue tab: counts by state, a throughput sparkline, and the live task table.

use super::{List, count_title, list};
use crate::api::TaskState;
use crate::fmt::{age, clip, short_id};
use crate::tui::layout::{self, WIDE};
use crate::tui::state::{BUCKET_MS, State, Tab};
use crate::tui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Cell, Paragraph, Row, Sparkline};

pub fn draw(frame: &mut Frame, state: &State, theme: Theme) {
    let (summary, table) = layout::queue(state);
    if summary.height > 0 {
        draw_summary(frame, state, theme, summary);
    }
    draw_table(frame, state, theme, table);
}

fn draw_summary(frame: &mut Frame, state: &State, theme: Theme, area: Rect) {
    let rows = area.height.saturating_sub(2).max(1) as usize;
    let columns = TaskState::ALL.len().div_ceil(rows);
    let counts_width = (columns as u16 * 15 + 1).max(24).min(area.width * 3 / 5);
    let [counts, spark] =
        Layout::horizontal([Constraint::Length(counts_width), Constraint::Min(10)]).areas(area);
    let count = |s: TaskState| {
        state
            .status
            .as_ref()
            .and_then(|st| st.queue.counts.get(s.as_str()).copied())
            .unwrap_or(0)
    };
    // States fill columns top to bottom.
    let mut lines: Vec<Vec<Span>> = vec![Vec::new(); rows];
    for (i, s) in TaskState::ALL.into_iter().enumerate() {
        let cell = format!("{:<9}{:>5} ", s.as_str(), count(s));
        lines[i % rows].push(Span::styled(cell, theme.state(s.as_str())));
    }
    let oldest = state
        .status
        .as_ref()
        .and_then(|s| s.queue.oldest_queued_age_ms)
        .map(|ms| format!(" oldest queued {} ", age(0, ms)))
        .unwrap_or_default();
    let block = Block::bordered()
        .title(Span::styled(" Tasks by state ", theme.bold()))
        .title_bottom(Span::styled(oldest, theme.dim()));
    frame.render_widget(
        Paragraph::new(lines.into_iter().map(Line::from).collect::<Vec<_>>()).block(block),
        counts,
    );

    let inner_width = spark.width.saturating_sub(2) as usize;
    let data: Vec<u64> = state
        .throughput
        .buckets
        .iter()
        .rev()
        .take(inner_width)
        .rev()
        .copied()
        .collect();
    // The bucket still filling is not shown as a rate.
    let done: &[u64] = &data[..data.len().saturating_sub(1)];
    let per_min = done
        .last()
        .map(|n| n * 60_000 / BUCKET_MS as u64)
        .unwrap_or(0);
    let title = format!(" Finished per {}s · now {per_min}/min ", BUCKET_MS / 1000);
    let sparkline = Sparkline::default()
        .block(Block::bordered().title(Span::styled(title, theme.bold())))
        .data(done)
        .style(theme.good());
    frame.render_widget(sparkline, spark);
}

fn draw_table(frame: &mut Frame, state: &State, theme: Theme, area: Rect) {
    let wide = state.size.0 >= WIDE;
    let id_width = if wide { 26 } else { 12 };
    let node_width = if wide { 20 } else { 12 };
    let node_name = |id: &str| -> String {
        state
            .nodes
            .iter()
            .find(|n| n.id == id)
            .map(|n| n.name.clone())
            .unwrap_or_else(|| short_id(id))
    };
    let widths = vec![
        Constraint::Length(id_width),
        Constraint::Length(9),
        Constraint::Length(4),
        Constraint::Length(node_width),
        Constraint::Length(5),
        Constraint::Length(5),
        Constraint::Min(10),
    ];
    let total = state.tasks.len();
    let mut title = count_title("Tasks", state, Tab::Queue, total);
    if let Some(s) = &state.status {
        let all: u64 = s.queue.counts.values().sum();
        if all as usize > total && state.filters[0].is_empty() {
            title = format!(" Tasks (newest {total} of {all}) ");
        }
    }
    let row = |i: usize| {
        let t = &state.tasks[i];
        let st = t.state.as_str();
        Row::new(vec![
            Cell::from(clip(&t.id, id_width as usize)),
            Cell::from(Span::styled(st, theme.state(st))),
            Cell::from(format!("{:>3}", t.priority)),
            Cell::from(clip(
                &t.node_id.as_deref().map(node_name).unwrap_or_default(),
                node_width as usize,
            )),
            Cell::from(age(t.created_at, state.now)),
            Cell::from(format!("{}/{}", t.attempts, t.max_attempts)),
            Cell::from(t.command.as_str()),
        ])
    };
    let spec = List {
        title,
        header: vec!["ID", "STATE", "PRI", "NODE", "AGE", "TRIES", "COMMAND"],
        widths,
    };
    list(
        frame,
        area,
        spec,
        (&state.visible[0], state.pos[0]),
        theme,
        row,
    );
}
