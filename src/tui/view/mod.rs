//! Views: functions from the state to a frame. They read the state and nothing else (no clock,
//! no network), so a known state always draws the same screen.

mod code;
mod credits;
mod detail;
mod events;
mod jobs;
mod nodes;
mod overlay;
pub use overlay::keys as overlay_keys;
mod queue;

use super::layout;
use super::state::{Conn, Detail, ListPos, Mode, State, Tab};
use super::theme::Theme;
use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Row, Table, Tabs, Wrap};

pub fn draw(frame: &mut Frame, state: &State) {
    let theme = Theme {
        colour: state.colour,
    };
    let area = frame.area();
    if layout::too_small(state)
        || area.width < layout::MIN_WIDTH
        || area.height < layout::MIN_HEIGHT
    {
        let text = format!(
            "Terminal too small: {}×{}. edgecoder dash needs at least {}×{}. (q quits)",
            area.width,
            area.height,
            layout::MIN_WIDTH,
            layout::MIN_HEIGHT
        );
        let y = area.height / 2;
        let msg = Paragraph::new(text)
            .wrap(Wrap { trim: true })
            .alignment(Alignment::Center);
        frame.render_widget(
            msg,
            Rect::new(0, y.saturating_sub(1), area.width, 3.min(area.height)),
        );
        return;
    }
    let screen = layout::screen(state);
    if !state.expanded {
        header(frame, state, theme, screen.header);
        tabs(frame, state, theme, screen.tabs);
    }
    match (&state.conn, &state.status) {
        (Conn::Unauthorised(why), _) => {
            let lines = vec![
                Line::styled("Unauthorised", theme.bad()),
                Line::raw(""),
                Line::raw(format!(
                    "The coordinator at {} refused the token:",
                    state.url
                )),
                Line::raw(why.clone()),
                Line::raw(""),
                Line::raw(
                    "Run `edgecoder login`, or set EDGECODER_TOKEN / --token, and start again.",
                ),
                Line::styled("r tries again · q quits", theme.dim()),
            ];
            notice(frame, screen.body, lines);
        }
        (Conn::Down(why), None) | (Conn::Reconnecting(why), None) => {
            let lines = vec![
                Line::styled("Coordinator not reachable", theme.bad()),
                Line::raw(""),
                Line::raw(format!("Cannot reach {}:", state.url)),
                Line::raw(why.clone()),
                Line::raw(""),
                Line::raw("Is `edgecoder serve` running there? Retrying every few seconds…"),
                Line::styled("q quits", theme.dim()),
            ];
            notice(frame, screen.body, lines);
        }
        (Conn::Connecting, None) => {
            let lines = vec![Line::raw(format!("Connecting to {}…", state.url))];
            notice(frame, screen.body, lines);
        }
        _ => body(frame, state, theme),
    }
    footer(frame, state, theme, screen.footer);
    match &state.mode {
        Mode::Help => overlay::help(frame, state, theme),
        Mode::Confirm(c) => overlay::confirm(frame, c, theme),
        _ => {}
    }
}

fn body(frame: &mut Frame, state: &State, theme: Theme) {
    match (&state.detail, state.tab) {
        (Some(Detail::Task(_)), _) => detail::task(frame, state, theme),
        (Some(Detail::Node(id)), _) => detail::node(frame, state, theme, id),
        (Some(Detail::Event(id)), _) => detail::event(frame, state, theme, *id),
        (Some(Detail::Job(id)), _) => jobs::detail(frame, state, theme, id),
        (None, Tab::Queue) => queue::draw(frame, state, theme),
        (None, Tab::Nodes) => nodes::draw(frame, state, theme),
        (None, Tab::Credits) => credits::draw(frame, state, theme),
        (None, Tab::Events) => events::draw(frame, state, theme),
        (None, Tab::Jobs) => jobs::draw(frame, state, theme),
    }
}

fn notice(frame: &mut Frame, area: Rect, lines: Vec<Line>) {
    let height = lines.len() as u16 + 2;
    let width = area.width.saturating_sub(4).min(90);
    let inner = layout::centred(area, width, height);
    let p = Paragraph::new(lines)
        .alignment(Alignment::Center)
        .wrap(Wrap { trim: true })
        .block(Block::bordered());
    frame.render_widget(p, inner);
}

fn header(frame: &mut Frame, state: &State, theme: Theme, area: Rect) {
    let conn = state.conn.label();
    let mut top = vec![
        Span::styled(" edgecoder dash ", theme.header()),
        Span::raw(state.url.clone()),
    ];
    if let Some(s) = &state.status {
        top.push(Span::styled(
            format!("  v{}  {}", s.version, s.mode),
            theme.dim(),
        ));
    }
    top.push(Span::raw("  "));
    top.push(Span::styled(format!("● {conn}"), theme.state(conn)));
    if state.frozen {
        top.push(Span::styled("  [frozen]", theme.warn()));
    }
    if state.read_only {
        top.push(Span::styled("  [read-only]", theme.dim()));
    }
    let second = match &state.status {
        Some(s) => {
            let q = &s.queue;
            let n = |k: &str| q.counts.get(k).copied().unwrap_or(0);
            vec![
                Span::raw(" "),
                Span::styled(format!("{} queued", n("queued")), theme.state("queued")),
                Span::raw(" · "),
                Span::styled(
                    format!("{} running", n("running") + n("leased")),
                    theme.state("running"),
                ),
                Span::raw(" · "),
                Span::styled(
                    format!("{} succeeded", n("succeeded")),
                    theme.state("succeeded"),
                ),
                Span::raw(" · "),
                Span::styled(
                    format!("{} failed", n("failed") + n("timed_out")),
                    theme.state("failed"),
                ),
                Span::styled("  │  nodes ", theme.dim()),
                Span::styled(format!("{} online", q.nodes_online), theme.state("online")),
                Span::raw(" · "),
                Span::styled(
                    format!("{} pending", q.nodes_pending),
                    theme.state("pending"),
                ),
            ]
        }
        None => vec![Span::styled(" waiting for the coordinator…", theme.dim())],
    };
    frame.render_widget(
        Paragraph::new(vec![Line::from(top), Line::from(second)]),
        area,
    );
}

fn tabs(frame: &mut Frame, state: &State, theme: Theme, area: Rect) {
    let titles: Vec<Line> = Tab::ALL
        .iter()
        .enumerate()
        .map(|(i, t)| Line::raw(format!("{} {}", i + 1, t.title())))
        .collect();
    let tabs = Tabs::new(titles)
        .select(state.tab.index())
        .highlight_style(theme.selected().patch(theme.bold()))
        .divider("")
        .padding(" ", " ");
    frame.render_widget(tabs, area);
}

fn footer(frame: &mut Frame, state: &State, theme: Theme, area: Rect) {
    let line = match &state.mode {
        Mode::Filter => Line::from(vec![
            Span::styled("/", theme.accent()),
            Span::raw(state.input.clone()),
            Span::styled("█", theme.dim()),
            Span::styled("   Enter keeps · Esc clears", theme.dim()),
        ]),
        Mode::LogSearch => Line::from(vec![
            Span::styled("search log /", theme.accent()),
            Span::raw(state.input.clone()),
            Span::styled("█", theme.dim()),
            Span::styled("   Enter keeps · Esc clears · then n / N", theme.dim()),
        ]),
        Mode::Command => Line::from(vec![
            Span::styled(":", theme.accent()),
            Span::raw(state.input.clone()),
            Span::styled("█", theme.dim()),
        ]),
        _ => match &state.flash {
            Some(f) => Line::styled(
                format!(" {}", f.text),
                if f.bad { theme.bad() } else { theme.accent() },
            ),
            None => hints(state, theme, area.width),
        },
    };
    frame.render_widget(Paragraph::new(line), area);
}

/// The keys that do something here, most useful first, as many as fit the width.
fn hints(state: &State, theme: Theme, width: u16) -> Line<'static> {
    let mut keys: Vec<(&str, &str)> = vec![("q", "quit"), ("?", "help")];
    if state.detail.is_some() {
        keys.push(("Esc", "back"));
        if matches!(state.detail, Some(super::state::Detail::Task(_))) {
            keys.extend([
                ("/", "search log"),
                ("n", "next"),
                ("w", "wrap"),
                ("s", "save log"),
            ]);
        }
    } else {
        if state.tab != Tab::Credits {
            keys.push(("Enter", "details"));
        }
        keys.push(("/", "filter"));
    }
    if !state.read_only {
        match state.tab {
            Tab::Queue | Tab::Jobs => keys.push(("x", "cancel")),
            Tab::Nodes => {
                keys.push(("a", "approve"));
                keys.push(("d", "drain"));
            }
            _ => {}
        }
    }
    keys.push(("f", if state.frozen { "unfreeze" } else { "freeze" }));
    keys.push(("e", "expand"));
    keys.push((":", "command"));
    let filter = &state.filters[state.tab.index()];
    let mut spans = Vec::new();
    if !filter.is_empty() {
        spans.push(Span::styled(format!(" filter: {filter} "), theme.warn()));
    }
    let mut used: usize = spans.iter().map(|s| s.content.chars().count()).sum();
    for (key, what) in keys {
        let len = key.chars().count() + what.chars().count() + 2;
        if used + len > width as usize {
            break;
        }
        used += len;
        spans.push(Span::styled(format!(" {key}"), theme.bold()));
        spans.push(Span::styled(format!(" {what}"), theme.dim()));
    }
    Line::from(spans)
}

/// Draws a bordered table showing only the rows that fit, the selected one highlighted.
/// `row` builds one row from a data index; only the visible rows are built.
pub(super) struct List<'a> {
    pub title: String,
    pub header: Vec<&'a str>,
    pub widths: Vec<Constraint>,
}

pub(super) fn list<'a>(
    frame: &mut Frame,
    area: Rect,
    spec: List<'a>,
    (rows, pos): (&[usize], ListPos),
    theme: Theme,
    row: impl Fn(usize) -> Row<'a>,
) {
    let List {
        title,
        header,
        widths,
    } = spec;
    let page = layout::table_rows(area).height as usize;
    let shown: Vec<Row> = rows
        .iter()
        .enumerate()
        .skip(pos.offset)
        .take(page)
        .map(|(n, &i)| {
            let r = row(i);
            if n == pos.selected {
                r.style(theme.selected())
            } else {
                r
            }
        })
        .collect();
    let header = Row::new(header).style(theme.bold().patch(theme.dim()));
    let block = Block::bordered().title(Span::styled(title, theme.bold()));
    let table = Table::new(shown, widths)
        .header(header)
        .column_spacing(1)
        .block(block);
    frame.render_widget(table, area);
}

/// "12 of 40" for a list title, naming the filter when one is set.
pub(super) fn count_title(name: &str, state: &State, tab: Tab, total: usize) -> String {
    let shown = state.visible[tab.index()].len();
    let filter = &state.filters[tab.index()];
    if filter.is_empty() {
        format!(" {name} ({total}) ")
    } else {
        format!(" {name} ({shown} of {total} matching {filter:?}) ")
    }
}

/// Milli-credits as credits with three decimals.
pub(super) fn credits_text(milli: i64) -> String {
    let sign = if milli < 0 { "-" } else { "" };
    let m = milli.unsigned_abs();
    format!("{sign}{}.{:03}", m / 1000, m % 1000)
}

/// Width of a node-id column: on a wide screen the longest id known, whole (ids are short, and
/// one cut by a character cannot be typed back into `:node approve`); else 12 characters.
pub(super) fn node_id_width(state: &State) -> u16 {
    if state.size.0 < crate::tui::layout::WIDE {
        return 12;
    }
    state
        .nodes
        .iter()
        .map(|n| n.id.chars().count())
        .max()
        .unwrap_or(12)
        .clamp(12, 40) as u16
}

/// A node id as a column of [`node_id_width`] shows it.
pub(super) fn node_id(state: &State, id: &str) -> String {
    let width = node_id_width(state) as usize;
    if width <= 12 {
        crate::fmt::short_id(id)
    } else {
        crate::fmt::clip(id, width)
    }
}
