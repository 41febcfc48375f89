//! How commands print: aligned tables for people (coloured only on a terminal and never with
//! `NO_COLOR`), pretty JSON for `--json`, and the short formatters (re-exported from `crate::fmt`).

// The text formatters live in `crate::fmt` so the dashboard can use them without `cli`.
pub use crate::fmt::{age, clip, mib, short_duration, short_id};

use super::exit::CliError;
use serde::Serialize;

pub mod jq;
use std::io::IsTerminal;

/// Whether stdout gets ANSI colours: a terminal, and `NO_COLOR` unset or empty.
pub fn colour_enabled() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Plain,
    Good,
    Bad,
    Warn,
    Dim,
}

impl Tone {
    fn code(self) -> &'static str {
        match self {
            Tone::Plain => "",
            Tone::Good => "\x1b[32m",
            Tone::Bad => "\x1b[31m",
            Tone::Warn => "\x1b[33m",
            Tone::Dim => "\x1b[2m",
        }
    }

    /// The tone for a task or node state name.
    pub fn of_state(state: &str) -> Tone {
        match state {
            "succeeded" | "approved" | "online" => Tone::Good,
            "failed" | "timed_out" | "rejected" | "offline" | "blacklisted" => Tone::Bad,
            "running" | "leased" | "pending" | "draining" => Tone::Warn,
            "cancelled" | "removed" => Tone::Dim,
            _ => Tone::Plain,
        }
    }
}

/// `text` wrapped in the tone's colour when colour is on.
pub fn paint(text: &str, tone: Tone, colour: bool) -> String {
    if colour && tone != Tone::Plain {
        format!("{}{text}\x1b[0m", tone.code())
    } else {
        text.to_string()
    }
}

/// Prints a value as pretty JSON: the `--json` output of every command (through the `--jq`
/// filter when one was given).
pub fn print_json(value: &impl Serialize) -> Result<(), CliError> {
    if let Some(expr) = jq::active() {
        return print_filtered(expr, value);
    }
    let text = serde_json::to_string_pretty(value)
        .map_err(|e| CliError::error(format!("cannot encode the output as JSON: {e}")))?;
    println!("{text}");
    Ok(())
}

/// Prints one record of a stream (`--follow`, events) as one line of JSON, through the `--jq`
/// filter when one was given.
pub fn print_json_line(value: &impl Serialize) -> Result<(), CliError> {
    if let Some(expr) = jq::active() {
        return print_filtered(expr, value);
    }
    let text = serde_json::to_string(value)
        .map_err(|e| CliError::error(format!("cannot encode the output as JSON: {e}")))?;
    println!("{text}");
    Ok(())
}

fn print_filtered(expr: &str, value: &impl Serialize) -> Result<(), CliError> {
    let value = serde_json::to_value(value)
        .map_err(|e| CliError::error(format!("cannot encode the output as JSON: {e}")))?;
    print!("{}", jq::apply(expr, &value)?);
    Ok(())
}

/// A table of left-aligned columns; a cell may carry a tone.
pub struct Table {
    headers: Vec<&'static str>,
    rows: Vec<Vec<(String, Tone)>>,
}

impl Table {
    pub fn new(headers: &[&'static str]) -> Table {
        Table {
            headers: headers.to_vec(),
            rows: Vec::new(),
        }
    }

    pub fn row(&mut self, cells: Vec<(String, Tone)>) {
        self.rows.push(cells);
    }

    /// A row of untoned cells.
    pub fn plain_row(&mut self, cells: Vec<String>) {
        self.rows
            .push(cells.into_iter().map(|c| (c, Tone::Plain)).collect());
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    pub fn render(&self, colour: bool) -> String {
        let mut widths: Vec<usize> = self.headers.iter().map(|h| h.chars().count()).collect();
        for row in &self.rows {
            for (i, (cell, _)) in row.iter().enumerate() {
                if let Some(w) = widths.get_mut(i) {
                    *w = (*w).max(cell.chars().count());
                }
            }
        }
        let mut out = String::new();
        let line = |cells: Vec<(String, Tone)>, out: &mut String| {
            let last = cells.len().saturating_sub(1);
            for (i, (cell, tone)) in cells.into_iter().enumerate() {
                let pad = widths
                    .get(i)
                    .copied()
                    .unwrap_or(0)
                    .saturating_sub(cell.chars().count());
                out.push_str(&paint(&cell, tone, colour));
                if i != last {
                    out.push_str(&" ".repeat(pad + 2));
                }
            }
            out.push('\n');
        };
        line(
            self.headers
                .iter()
                .map(|h| (h.to_string(), if colour { Tone::Dim } else { Tone::Plain }))
                .collect(),
            &mut out,
        );
        for row in &self.rows {
            line(row.clone(), &mut out);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_align_and_colour_only_when_asked() {
        let mut t = Table::new(&["ID", "STATE"]);
        t.row(vec![("abc".into(), Tone::Plain), ("ok".into(), Tone::Good)]);
        t.plain_row(vec!["a".into(), "failed".into()]);
        assert_eq!(t.render(false), "ID   STATE\nabc  ok\na    failed\n");
        assert!(t.render(true).contains("\x1b[32mok\x1b[0m"));
    }
}
