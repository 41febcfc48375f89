//! The Nodes tab: every node with its state (and, on wide screens, why its host paused), labels,
//! resources, running tasks, heartbeat age and credits earned.

use super::{List, count_title, credits_text, list};
use crate::api::NodeInfo;
use crate::fmt::{age, clip, mib};
use crate::tui::layout::WIDE;
use crate::tui::state::{State, Tab, node_state};
use crate::tui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::Constraint;
use ratatui::style::Style;
use ratatui::text::Span;
use ratatui::widgets::{Cell, Row};

pub fn labels(n: &NodeInfo) -> String {
    n.labels
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(",")
}

pub fn gpus(n: &NodeInfo) -> String {
    match n.capabilities.gpus.len() {
        0 => "-".to_string(),
        1 => n.capabilities.gpus[0].name.clone(),
        k => format!("{k}×{}", n.capabilities.gpus[0].name),
    }
}

/// The HOST column on wide screens: `running` or `paused: <reason>`, clipped.
const HOST_WIDTH: usize = 26;

pub fn draw(frame: &mut Frame, state: &State, theme: Theme) {
    let wide = state.size.0 >= WIDE;
    let area = crate::tui::layout::screen(state).body;
    let mut header = vec!["NAME"];
    let mut widths = vec![Constraint::Length(if wide { 20 } else { 14 })];
    if wide {
        header.push("ID");
        widths.push(Constraint::Length(super::node_id_width(state)));
    }
    header.extend(["STATE", "CPU", "MEM", "GPU", "RUN", "BEAT", "EARNED"]);
    widths.extend([
        Constraint::Length(11),
        Constraint::Length(5),
        Constraint::Length(6),
        Constraint::Length(if wide { 16 } else { 5 }),
        Constraint::Length(3),
        Constraint::Length(5),
        Constraint::Length(9),
    ]);
    // Wide screens say why a paused node is paused; narrow ones show `paused` (its detail says
    // why).
    if wide {
        header.push("HOST");
        widths.push(Constraint::Length(HOST_WIDTH as u16));
    }
    header.push("LABELS");
    widths.push(Constraint::Min(6));
    let row = |i: usize| {
        let n = &state.nodes[i];
        let st = node_state(n);
        let caps = &n.capabilities;
        let cpu = match n.load {
            Some(load) if wide => format!("{}/{load:.1}", caps.cpus),
            _ => caps.cpus.to_string(),
        };
        let mut cells = vec![Cell::from(clip(&n.name, if wide { 20 } else { 14 }))];
        if wide {
            cells.push(Cell::from(super::node_id(state, &n.id)));
        }
        cells.extend([
            Cell::from(Span::styled(st, theme.state(st))),
            Cell::from(cpu),
            Cell::from(mib(caps.memory_total_mib)),
            Cell::from(gpus(n)),
            Cell::from(n.running_tasks.to_string()),
            Cell::from(
                n.last_heartbeat_at
                    .map(|at| age(at, state.now))
                    .unwrap_or_else(|| "-".to_string()),
            ),
            Cell::from(
                state
                    .node_earned(&n.id)
                    .map(credits_text)
                    .unwrap_or_else(|| "-".to_string()),
            ),
        ]);
        if wide {
            let host = n.host_label();
            let style = if n.host_paused() {
                theme.state("paused")
            } else {
                Style::new()
            };
            cells.push(Cell::from(Span::styled(clip(&host, HOST_WIDTH), style)));
        }
        cells.push(Cell::from(labels(n)));
        Row::new(cells)
    };
    let title = count_title("Nodes", state, Tab::Nodes, state.nodes.len());
    let spec = List {
        title,
        header,
        widths,
    };
    list(
        frame,
        area,
        spec,
        (&state.visible[1], state.pos[1]),
        theme,
        row,
    );
}
