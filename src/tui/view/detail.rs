//! Detail views opened with Enter: a task (fields, attempts, live log tail), a node, an event.

use super::nodes::{gpus, labels};
use super::{credits_text, events::data_line};
use crate::fmt::{age, mib};
use crate::tui::layout;
use crate::tui::logview;
use crate::tui::state::{State, node_state};
use crate::tui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Cell, Paragraph, Row, Table, Wrap};

fn field<'a>(name: &'a str, value: String, style: Style, theme: Theme) -> Line<'a> {
    Line::from(vec![
        Span::styled(format!("{name:<12}"), theme.dim()),
        Span::styled(value, style),
    ])
}

/// The files a task kept (`--artifact`): a count line, then one line each (path, size, the
/// hash's start), at most a few, the rest counted; `tasks artifacts ID` fetches them.
fn artifact_lines<'a>(
    artifacts: &'a [crate::api::ArtifactInfo],
    style: Style,
    theme: Theme,
) -> Vec<Line<'a>> {
    const SHOWN: usize = 5;
    if artifacts.is_empty() {
        return Vec::new();
    }
    let total: u64 = artifacts.iter().map(|a| a.size).sum();
    let mut lines = vec![field(
        "artifacts",
        format!("{} file(s), {total} bytes", artifacts.len()),
        style,
        theme,
    )];
    for a in artifacts.iter().take(SHOWN) {
        lines.push(field(
            "",
            format!(
                "{}  {} B  {}",
                a.path,
                a.size,
                a.sha256.get(..12).unwrap_or("")
            ),
            style,
            theme,
        ));
    }
    if artifacts.len() > SHOWN {
        lines.push(field(
            "",
            format!("… {} more", artifacts.len() - SHOWN),
            theme.dim(),
            theme,
        ));
    }
    lines
}

fn when(at: Option<i64>, now: i64) -> String {
    at.map(|t| format!("{} ago", age(t, now)))
        .unwrap_or_else(|| "-".to_string())
}

pub fn task(frame: &mut Frame, state: &State, theme: Theme) {
    let body = layout::screen(state).body;
    let detail = &state.task_detail;
    let Some(t) = &detail.info else {
        let p = Paragraph::new("Loading the task…").block(Block::bordered());
        frame.render_widget(p, body);
        return;
    };
    let plain = Style::new();
    let mut lines = vec![
        field("id", t.id.clone(), theme.bold(), theme),
        field(
            "state",
            t.state.as_str().to_string(),
            theme.state(t.state.as_str()),
            theme,
        ),
        field("command", t.command.display(), plain, theme),
        field(
            "node",
            t.node_id.clone().unwrap_or_else(|| "-".into()),
            plain,
            theme,
        ),
        field(
            "attempts",
            format!(
                "{} of {} · priority {} · {}",
                t.attempts,
                t.max_attempts,
                t.priority,
                t.placement.as_str()
            ),
            plain,
            theme,
        ),
        field(
            "submitted",
            format!(
                "{} by {}",
                when(Some(t.created_at), state.now),
                t.submitted_by
            ),
            plain,
            theme,
        ),
    ];
    if let Some(code) = t.exit_code {
        lines.push(field("exit code", code.to_string(), plain, theme));
    }
    if let Some(err) = &t.error {
        lines.push(field("error", err.clone(), theme.bad(), theme));
    }
    lines.extend(artifact_lines(&t.artifacts, plain, theme));
    if t.cancel_requested && !t.state.is_terminal() {
        lines.push(field("cancel", "requested".into(), theme.warn(), theme));
    }
    if let Some(err) = &detail.error {
        lines.push(field("refresh", err.clone(), theme.bad(), theme));
    }
    let attempts = t.attempt_history.len() as u16;
    let fields_height = lines.len() as u16 + 2;
    let attempts_height = if attempts == 0 {
        0
    } else {
        (attempts + 3).min(body.height / 4 + 3)
    };
    let code_lines = t
        .code_result
        .as_ref()
        .map(|c| super::code::lines(c, theme))
        .unwrap_or_default();
    let code_height = if code_lines.is_empty() {
        0
    } else {
        (code_lines.len() as u16 + 2).min(body.height / 3 + 2)
    };
    let [top, middle, code, log] = Layout::vertical([
        Constraint::Length(fields_height),
        Constraint::Length(attempts_height),
        Constraint::Length(code_height),
        Constraint::Min(3),
    ])
    .areas(body);
    let title = Span::styled(" Task (Esc back · x cancel) ", theme.bold());
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(Block::bordered().title(title)),
        top,
    );
    if attempts_height > 0 {
        let rows: Vec<Row> = t
            .attempt_history
            .iter()
            .rev()
            .map(|a| {
                Row::new(vec![
                    Cell::from(a.number.to_string()),
                    Cell::from(Span::styled(a.outcome.clone(), theme.state(&a.outcome))),
                    Cell::from(super::node_id(state, &a.node_id)),
                    Cell::from(a.exit_code.map(|c| c.to_string()).unwrap_or_default()),
                    Cell::from(
                        a.duration_ms
                            .map(|d| format!("{:.1}s", d as f64 / 1000.0))
                            .unwrap_or_default(),
                    ),
                    Cell::from(a.error.clone().unwrap_or_default()),
                ])
            })
            .collect();
        let table = Table::new(
            rows,
            [
                Constraint::Length(3),
                Constraint::Length(10),
                Constraint::Length(super::node_id_width(state)),
                Constraint::Length(4),
                Constraint::Length(7),
                Constraint::Min(5),
            ],
        )
        .header(Row::new(vec!["#", "OUTCOME", "NODE", "EXIT", "TIME", "ERROR"]).style(theme.dim()))
        .block(Block::bordered().title(Span::styled(" Attempts ", theme.bold())));
        frame.render_widget(table, middle);
    }
    if code_height > 0 {
        // The newest iterations matter most: keep the heading, drop the oldest lines first.
        let room = code_height.saturating_sub(2) as usize;
        let skip = code_lines.len().saturating_sub(room);
        let shown: Vec<Line> = code_lines
            .iter()
            .take(1)
            .cloned()
            .chain(code_lines.iter().skip(1 + skip).cloned())
            .collect();
        frame.render_widget(
            Paragraph::new(shown)
                .block(Block::bordered().title(Span::styled(" Code ", theme.bold()))),
            code,
        );
    }
    log_tail(frame, state, theme, log);
}

fn log_tail(frame: &mut Frame, state: &State, theme: Theme, area: Rect) {
    let detail = &state.task_detail;
    let room = area.height.saturating_sub(2) as usize;
    let width = area.width.saturating_sub(2) as usize;
    let all = logview::lines(detail);
    let query = state.log.query.as_str();
    let anchor = logview::anchor(state);
    let start = logview::window_start(state, room, width);
    let mut lines: Vec<Line> = all
        .iter()
        .enumerate()
        .skip(start)
        .take(room.max(1))
        .map(|(i, l)| highlighted(l, query, anchor == Some(i), theme))
        .collect();
    if lines.is_empty() {
        lines.push(Line::styled("(no output yet)", theme.dim()));
    }
    let mut title = format!(" Log, attempt {}", detail.attempt.max(1));
    let found = logview::matching_lines(&all, query).len();
    if query.is_empty() {
        title.push_str(" (live tail)");
    } else if found == 0 {
        title.push_str(&format!(" · /{query}: no match"));
    } else {
        let current = state.log.current.min(found - 1) + 1;
        title.push_str(&format!(" · /{query}: {current} of {found} (n N)"));
    }
    if state.log.wrap {
        title.push_str(" · wrapped");
    }
    title.push(' ');
    let mut paragraph =
        Paragraph::new(lines).block(Block::bordered().title(Span::styled(title, theme.bold())));
    if state.log.wrap {
        paragraph = paragraph.wrap(Wrap { trim: false });
    }
    frame.render_widget(paragraph, area);
}

/// One log line with every match of the search marked; the current match's line stands out.
fn highlighted<'a>(line: &'a str, query: &str, current: bool, theme: Theme) -> Line<'a> {
    let found = logview::find_all(line, query);
    if found.is_empty() {
        return Line::raw(line);
    }
    let mark = if current {
        theme.search_current()
    } else {
        theme.search_match()
    };
    let mut spans = Vec::new();
    let mut at = 0;
    for (start, end) in found {
        if start > at {
            spans.push(Span::raw(&line[at..start]));
        }
        spans.push(Span::styled(&line[start..end], mark));
        at = end;
    }
    if at < line.len() {
        spans.push(Span::raw(&line[at..]));
    }
    Line::from(spans)
}

pub fn node(frame: &mut Frame, state: &State, theme: Theme, id: &str) {
    let body = layout::screen(state).body;
    let Some(n) = state.nodes.iter().find(|n| n.id == id) else {
        let p = Paragraph::new("This node is no longer listed by the coordinator. Esc goes back.")
            .block(Block::bordered());
        frame.render_widget(p, body);
        return;
    };
    let plain = Style::new();
    let caps = &n.capabilities;
    let st = node_state(n);
    let running: Vec<String> = state
        .tasks
        .iter()
        .filter(|t| t.node_id.as_deref() == Some(&n.id) && !t.state.is_terminal())
        .map(|t| t.id.clone())
        .collect();
    let mut lines = vec![
        field("name", n.name.clone(), theme.bold(), theme),
        field("id", n.id.clone(), plain, theme),
        field("state", st.to_string(), theme.state(st), theme),
        field(
            "policy",
            n.host_label(),
            if n.host_paused() {
                theme.state("paused")
            } else {
                plain
            },
            theme,
        ),
        field(
            "address",
            n.address.clone().unwrap_or_else(|| "-".into()),
            plain,
            theme,
        ),
        field(
            "host",
            format!("{} ({} {})", caps.hostname, caps.os, caps.arch),
            plain,
            theme,
        ),
        field(
            "cpu",
            format!(
                "{} cpus{} · load {}",
                caps.cpus,
                caps.cpu_quota
                    .map(|q| format!(" (quota {q:.1})"))
                    .unwrap_or_default(),
                n.load
                    .map(|l| format!("{l:.2}"))
                    .unwrap_or_else(|| "-".into())
            ),
            plain,
            theme,
        ),
        field(
            "memory",
            format!(
                "{} total · {} available{}",
                mib(caps.memory_total_mib),
                mib(caps.memory_available_mib),
                caps.memory_limit_mib
                    .map(|l| format!(" · limit {}", mib(l)))
                    .unwrap_or_default()
            ),
            plain,
            theme,
        ),
        field("gpu", gpus(n), plain, theme),
        field("labels", labels(n), plain, theme),
        field("toolchains", caps.toolchains.join(", "), plain, theme),
        field(
            "tasks",
            format!(
                "{} running (max {})",
                n.running_tasks, caps.max_concurrent_tasks
            ),
            plain,
            theme,
        ),
        field(
            "heartbeat",
            when(n.last_heartbeat_at, state.now),
            plain,
            theme,
        ),
        field(
            "registered",
            when(Some(n.registered_at), state.now),
            plain,
            theme,
        ),
        field(
            "earned",
            state
                .node_earned(&n.id)
                .map(credits_text)
                .unwrap_or_else(|| "- (credits not enabled)".into()),
            plain,
            theme,
        ),
    ];
    if !running.is_empty() {
        lines.push(field("running", running.join(", "), plain, theme));
    }
    if let Some(at) = n.drain_deadline {
        let when = if at > state.now {
            format!("in {}", age(state.now, at))
        } else {
            "now".to_string()
        };
        lines.push(field(
            "drain",
            format!("running tasks are handed back {when}"),
            theme.state("draining"),
            theme,
        ));
    }
    let actions = if state.read_only {
        "Esc back"
    } else {
        "Esc back · a approve · d drain"
    };
    let title = Span::styled(format!(" Node ({actions}) "), theme.bold());
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(Block::bordered().title(title)),
        body,
    );
}

pub fn event(frame: &mut Frame, state: &State, theme: Theme, id: i64) {
    let body = layout::screen(state).body;
    let plain = Style::new();
    let lines = match state.events.iter().find(|e| e.id == id) {
        Some(e) => {
            let data = serde_json::to_string_pretty(&e.data).unwrap_or_else(|_| data_line(e));
            let mut lines = vec![
                field("id", e.id.to_string(), theme.bold(), theme),
                field("kind", e.kind.clone(), plain, theme),
                field("when", when(Some(e.at), state.now), plain, theme),
                field(
                    "task",
                    e.task_id.clone().unwrap_or_else(|| "-".into()),
                    plain,
                    theme,
                ),
                field(
                    "node",
                    e.node_id.clone().unwrap_or_else(|| "-".into()),
                    plain,
                    theme,
                ),
                Line::styled("data", theme.dim()),
            ];
            lines.extend(data.lines().map(|l| Line::raw(l.to_string())));
            lines
        }
        None => vec![Line::raw("This event is no longer kept. Esc goes back.")],
    };
    let title = Span::styled(" Event (Esc back) ", theme.bold());
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(Block::bordered().title(title)),
        body,
    );
}
