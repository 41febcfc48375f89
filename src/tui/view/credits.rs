//! The Credits tab: the ledger's verification and head, balances, recent ledger entries. A
//! coordinator without credit routes gets a sentence saying so, never a screen of zeros.

use super::{List, count_title, credits_text, list};
use crate::fmt::{age, clip};
use crate::tui::layout::{self, WIDE};
use crate::tui::state::{CreditData, Credits, State, Tab};
use crate::tui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Cell, Paragraph, Row, Table, Wrap};

pub const NOT_ENABLED: &str = "Credits are not enabled on this coordinator.";

pub fn draw(frame: &mut Frame, state: &State, theme: Theme) {
    let body = layout::screen(state).body;
    let message = match &state.credits {
        Credits::Loaded(data) => return loaded(frame, state, theme, data),
        Credits::Unknown => vec![Line::styled("Loading credits…", theme.dim())],
        Credits::Disabled => vec![
            Line::styled(NOT_ENABLED, theme.bold()),
            Line::raw(""),
            Line::styled(
                "This coordinator has no credits or ledger routes, so there are no balances \
                 to show.",
                theme.dim(),
            ),
        ],
        Credits::Unavailable(why) => vec![
            Line::styled("Credits are not available to this token.", theme.warn()),
            Line::raw(why.clone()),
        ],
    };
    let p = Paragraph::new(message)
        .alignment(Alignment::Center)
        .wrap(Wrap { trim: true })
        .block(Block::bordered().title(Span::styled(" Credits ", theme.bold())));
    frame.render_widget(p, body);
}

fn loaded(frame: &mut Frame, state: &State, theme: Theme, data: &CreditData) {
    let (verify, balances, ledger) = layout::credits(state);
    if verify.height > 0 {
        verification(frame, theme, data, verify);
    }
    if balances.height > 0 {
        accounts(frame, theme, data, balances);
    }
    let wide = state.size.0 >= WIDE;
    let row = |i: usize| {
        let e = &data.entries[i];
        let amount = credits_text(e.amount);
        let style = if e.amount < 0 {
            theme.warn()
        } else {
            theme.good()
        };
        Row::new(vec![
            Cell::from(e.seq.to_string()),
            Cell::from(age(e.at, state.now)),
            Cell::from(e.kind.clone()),
            Cell::from(e.account.clone()),
            Cell::from(Span::styled(format!("{amount:>11}"), style)),
            Cell::from(
                e.task_id
                    .as_deref()
                    .map(|t| clip(t, 12))
                    .unwrap_or_default(),
            ),
        ])
    };
    let title = count_title(
        "Ledger, newest first",
        state,
        Tab::Credits,
        data.entries.len(),
    );
    let spec = List {
        title,
        header: vec!["SEQ", "AGE", "KIND", "ACCOUNT", "     AMOUNT", "TASK"],
        widths: vec![
            Constraint::Length(6),
            Constraint::Length(4),
            Constraint::Length(8),
            Constraint::Min(if wide { 20 } else { 12 }),
            Constraint::Length(11),
            Constraint::Length(12),
        ],
    };
    list(
        frame,
        ledger,
        spec,
        (&state.visible[2], state.pos[2]),
        theme,
        row,
    );
}

fn verification(frame: &mut Frame, theme: Theme, data: &CreditData, area: Rect) {
    let line = match &data.verify {
        Some(v) if v.ok => {
            let hash_room = (area.width as usize).saturating_sub(60).max(12);
            Line::from(vec![
                Span::styled("✓ verified ", theme.good()),
                Span::raw(format!("{} entries · head #{} · ", v.count, v.head_seq)),
                Span::styled(clip(&v.head_hash, hash_room), theme.dim()),
            ])
        }
        Some(v) => Line::from(vec![
            Span::styled("✗ DOES NOT VERIFY ", theme.bad()),
            Span::raw(format!(
                "first bad entry #{}: {}",
                v.first_bad_seq.unwrap_or(-1),
                v.reason.as_deref().unwrap_or("no reason given")
            )),
        ]),
        None => Line::styled("verification not available", theme.dim()),
    };
    let block = Block::bordered().title(Span::styled(" Ledger ", theme.bold()));
    frame.render_widget(Paragraph::new(line).block(block), area);
}

fn accounts(frame: &mut Frame, theme: Theme, data: &CreditData, area: Rect) {
    let fit = area.height.saturating_sub(3) as usize;
    let rows: Vec<Row> = data
        .accounts
        .iter()
        .take(fit)
        .map(|a| {
            Row::new(vec![
                Cell::from(a.id.clone()),
                Cell::from(format!("{:>11}", credits_text(a.balance))),
                Cell::from(format!("{:>10}", credits_text(a.held))),
                Cell::from(format!("{:>10}", credits_text(a.earned))),
            ])
        })
        .collect();
    let more = data.accounts.len().saturating_sub(fit);
    let title = if more > 0 {
        format!(
            " Balances ({} accounts, {more} not shown) ",
            data.accounts.len()
        )
    } else {
        format!(" Balances ({}) ", data.accounts.len())
    };
    let table = Table::new(
        rows,
        [
            Constraint::Min(12),
            Constraint::Length(11),
            Constraint::Length(10),
            Constraint::Length(10),
        ],
    )
    .header(
        Row::new(vec!["ACCOUNT", "    BALANCE", "      HELD", "    EARNED"])
            .style(theme.bold().patch(theme.dim())),
    )
    .block(Block::bordered().title(Span::styled(title, theme.bold())));
    frame.render_widget(table, area);
}
