//! Styles. Only the 16 named ANSI colours (the terminal's own palette, so they read on dark and
//! light backgrounds alike) and no background fills; the selection is reverse video. With
//! `NO_COLOR` every style drops its colour and keeps only bold/dim/reverse.

use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone, Copy)]
pub struct Theme {
    pub colour: bool,
}

impl Theme {
    fn fg(self, c: Color) -> Style {
        if self.colour {
            Style::new().fg(c)
        } else {
            Style::new()
        }
    }

    pub fn good(self) -> Style {
        self.fg(Color::Green)
    }

    pub fn bad(self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }

    pub fn warn(self) -> Style {
        self.fg(Color::Yellow)
    }

    pub fn accent(self) -> Style {
        self.fg(Color::Cyan)
    }

    pub fn dim(self) -> Style {
        Style::new().add_modifier(Modifier::DIM)
    }

    pub fn bold(self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    pub fn header(self) -> Style {
        self.accent().add_modifier(Modifier::BOLD)
    }

    pub fn selected(self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }

    /// A match of the log search (reverse video, so it shows without colour too).
    pub fn search_match(self) -> Style {
        self.warn().add_modifier(Modifier::REVERSED)
    }

    /// The current match of the log search: the one `n` / `N` moved to.
    pub fn search_current(self) -> Style {
        self.search_match()
            .add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
    }

    /// The style of a task or node state word.
    pub fn state(self, state: &str) -> Style {
        match state {
            "succeeded" | "online" | "live" => self.good(),
            "failed" | "timed_out" | "rejected" | "blacklisted" | "unauthorised"
            | "unreachable" | "partial" | "blocked" => self.bad(),
            "running" | "leased" | "pending" | "draining" | "paused" | "reconnecting"
            | "connecting" | "decomposing" | "aggregating" => self.warn(),
            "offline" | "cancelled" | "removed" | "waiting" => self.dim(),
            "queued" => self.accent(),
            _ => Style::new(),
        }
    }
}
