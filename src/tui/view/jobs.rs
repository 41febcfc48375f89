//! The Jobs tab: each job with its subtasks as a tree (state glyph, state, node, an escalated
//! mark), and the detail of a job (beside the list on a wide screen, whole after Enter): its
//! fields, the tree with each subtask's error, the log's end and the result.

use super::{List, count_title, list};
use crate::api::{JobInfo, TaskState};
use crate::fmt::{age, clip, one_line};
use crate::job_tree::{glyph, state_word, time_of_day, tree_order};
use crate::tui::jobs::{JobsData, shown_job};
use crate::tui::layout;
use crate::tui::state::{State, Tab};
use crate::tui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Cell, Paragraph, Row, Wrap};

/// Log lines shown at the end of a job's detail.
const LOG_SHOWN: usize = 8;

pub fn draw(frame: &mut Frame, state: &State, theme: Theme) {
    let (table, side) = layout::jobs(state);
    let empty = match &state.jobs {
        JobsData::Unknown => Some("Loading the jobs…".to_string()),
        JobsData::Disabled => Some(
            "This coordinator has no jobs (an older version): update it to split requests \
             across the swarm."
                .to_string(),
        ),
        JobsData::Unavailable(why) => Some(format!("Jobs unavailable: {why}")),
        JobsData::Loaded(jobs) if jobs.is_empty() => Some(
            "No jobs yet. Submit one: edgecoder server jobs submit 'PROMPT' --follow".to_string(),
        ),
        JobsData::Loaded(_) => None,
    };
    if let Some(text) = empty {
        let block = Block::bordered().title(Span::styled(" Jobs ", theme.bold()));
        frame.render_widget(
            Paragraph::new(text).wrap(Wrap { trim: true }).block(block),
            layout::screen(state).body,
        );
        return;
    }
    draw_table(frame, state, theme, table);
    if side.width > 0 {
        match shown_job(state) {
            Some(job) => draw_job(frame, state, theme, side, job, " Selected job "),
            None => frame.render_widget(Block::bordered(), side),
        }
    }
}

fn draw_table(frame: &mut Frame, state: &State, theme: Theme, area: Rect) {
    let jobs = state.jobs.jobs();
    let row = |i: usize| {
        let r = state.job_rows[i];
        let job = &jobs[r.job];
        match r.sub.and_then(|s| job.subtasks.get(s)) {
            None => {
                let done = job
                    .subtasks
                    .iter()
                    .filter(|s| s.state == Some(TaskState::Succeeded))
                    .count();
                let st = job.state.as_str();
                Row::new(vec![
                    Cell::from(Span::styled(
                        format!("{} {}", job_glyph(job), crate::fmt::short_id(&job.id)),
                        theme.bold(),
                    )),
                    Cell::from(Span::styled(
                        format!("{st} {done}/{}", job.subtasks.len()),
                        theme.state(st),
                    )),
                    Cell::from(""),
                    Cell::from(age(job.created_at, state.now)),
                    Cell::from(one_line(&job.prompt, 200)),
                ])
            }
            Some(sub) => {
                let word = state_word(sub);
                let mut what = one_line(&sub.subtask.title, 120);
                if sub.escalated {
                    what = format!("⇡ {what}");
                }
                Row::new(vec![
                    Cell::from(format!(
                        "{}{} {}",
                        "  ".repeat(r.depth),
                        glyph(sub),
                        clip(&sub.subtask.id, 12)
                    )),
                    Cell::from(Span::styled(word, theme.state(word))),
                    Cell::from(
                        sub.node_id
                            .as_deref()
                            .map(|n| super::node_id(state, n))
                            .unwrap_or_default(),
                    ),
                    Cell::from(""),
                    Cell::from(what),
                ])
            }
        }
    };
    let spec = List {
        title: format!(
            "{}· ⇡ escalated ",
            count_title("Jobs and subtasks", state, Tab::Jobs, state.job_rows.len())
        ),
        header: vec!["JOB / SUBTASK", "STATE", "NODE", "AGE", "PROMPT / TITLE"],
        widths: vec![
            Constraint::Length(20),
            Constraint::Length(15),
            Constraint::Length(super::node_id_width(state)),
            Constraint::Length(4),
            Constraint::Min(10),
        ],
    };
    list(
        frame,
        area,
        spec,
        (
            &state.visible[Tab::Jobs.index()],
            state.pos[Tab::Jobs.index()],
        ),
        theme,
        row,
    );
}

/// A job's own glyph: ended well, ended badly, or still going.
fn job_glyph(job: &JobInfo) -> &'static str {
    use crate::api::JobState::*;
    match job.state {
        Succeeded => "✓",
        Partial | Failed => "✗",
        Cancelled => "⊘",
        Decomposing | Running | Aggregating => "▶",
    }
}

/// The whole job after Enter (Esc goes back).
pub fn detail(frame: &mut Frame, state: &State, theme: Theme, id: &str) {
    let body = layout::screen(state).body;
    match state.jobs.jobs().iter().find(|j| j.id == id) {
        Some(job) => draw_job(
            frame,
            state,
            theme,
            body,
            job,
            " Job (Esc back · x cancel) ",
        ),
        None => frame.render_widget(
            Paragraph::new("This job is no longer listed. Esc goes back.").block(Block::bordered()),
            body,
        ),
    }
}

fn draw_job(
    frame: &mut Frame,
    state: &State,
    theme: Theme,
    area: Rect,
    job: &JobInfo,
    title: &str,
) {
    let lines = job_lines(state, theme, job);
    // Keep the end in sight (the log and the result) when it does not all fit.
    let inner = area.height.saturating_sub(2) as usize;
    let scroll = lines.len().saturating_sub(inner).min(u16::MAX as usize) as u16;
    frame.render_widget(
        Paragraph::new(lines)
            .scroll((scroll, 0))
            .block(Block::bordered().title(Span::styled(title.to_string(), theme.bold()))),
        area,
    );
}

fn field(name: &str, value: String, theme: Theme) -> Line<'static> {
    Line::from(vec![
        Span::styled(format!("{name:<10}"), theme.dim()),
        Span::raw(value),
    ])
}

fn job_lines(state: &State, theme: Theme, job: &JobInfo) -> Vec<Line<'static>> {
    let st = job.state.as_str();
    let mut lines = vec![
        field("job", job.id.clone(), theme),
        Line::from(vec![
            Span::styled(format!("{:<10}", "state"), theme.dim()),
            Span::styled(st.to_string(), theme.state(st)),
        ]),
        field("prompt", one_line(&job.prompt, 300), theme),
        field(
            "language",
            format!(
                "{} · model {}",
                job.language,
                job.model.as_deref().unwrap_or("each node's")
            ),
            theme,
        ),
        field(
            "submitted",
            format!(
                "{} ago by {}",
                age(job.created_at, state.now),
                job.submitted_by
            ),
            theme,
        ),
    ];
    if let Some(check) = &job.check {
        lines.push(field("check", one_line(check, 200), theme));
    }
    if let Some(error) = &job.error {
        lines.push(Line::styled(
            format!("{:<10}{}", "error", one_line(error, 300)),
            theme.bad(),
        ));
    }
    lines.push(Line::styled("subtasks", theme.dim()));
    for (depth, i) in tree_order(&job.subtasks) {
        let sub = &job.subtasks[i];
        let word = state_word(sub);
        let mut spans = vec![
            Span::raw(format!("{}{} ", "  ".repeat(depth + 1), glyph(sub))),
            Span::styled(sub.subtask.id.clone(), theme.bold()),
            Span::raw(" "),
            Span::styled(word.to_string(), theme.state(word)),
        ];
        if let Some(node) = &sub.node_id {
            spans.push(Span::styled(format!(" on {node}"), theme.dim()));
        }
        if sub.escalated {
            spans.push(Span::styled(" escalated", theme.warn()));
        }
        lines.push(Line::from(spans));
        if let Some(error) = &sub.error {
            lines.push(Line::styled(
                format!("{}{}", "  ".repeat(depth + 3), one_line(error, 200)),
                theme.bad(),
            ));
        }
    }
    if !job.log.is_empty() {
        lines.push(Line::styled("log", theme.dim()));
        let skip = job.log.len().saturating_sub(LOG_SHOWN);
        for l in job.log.iter().skip(skip) {
            lines.push(Line::raw(format!(
                "  {}  {}",
                time_of_day(l.at),
                one_line(&l.message, 300)
            )));
        }
    }
    if let Some(result) = &job.result {
        let check = match result.check_passed {
            Some(true) => "passed",
            Some(false) => "failed",
            None => "not run",
        };
        lines.push(field(
            "result",
            format!(
                "{} file(s) · check {check} · {} conflict(s) · {} tokens",
                result.files.len(),
                result.conflicts.len(),
                result.tokens_in + result.tokens_out
            ),
            theme,
        ));
        if !result.failed_subtasks.is_empty() {
            lines.push(Line::styled(
                format!("{:<10}{}", "failed", result.failed_subtasks.join(", ")),
                theme.bad(),
            ));
        }
    }
    lines
}
