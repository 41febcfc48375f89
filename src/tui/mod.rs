//! `edgecoder dash`: a live terminal dashboard of a coordinator's queue, nodes, credits and
//! events.
//!
//! Kept apart as gitui and atuin do: `state` holds everything shown, `update` is the only thing
//! that changes it (fed by keys, mouse, a one-second tick, and messages from `net`), and `view`
//! draws a frame from the state alone. The network runs in tokio tasks that send messages over
//! a channel, so the UI never waits on the coordinator.

pub mod apply;
pub mod jobs;
pub mod layout;
pub mod logview;
pub mod msg;
pub mod net;
pub mod state;
pub mod theme;
pub mod update;
pub mod view;

#[cfg(test)]
mod tests;

use crate::api::client::Client;
use crate::api::now_ms;
use crossterm::event::{self, DisableMouseCapture, EnableMouseCapture, Event};
use crossterm::execute;
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use msg::{Effect, Msg};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use state::State;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{RecvTimeoutError, channel};
use std::time::{Duration, Instant};

const TICK: Duration = Duration::from_secs(1);

/// Set by the panic hook, so a panic on any thread ends the dashboard with the terminal restored.
static PANICKED: AtomicBool = AtomicBool::new(false);

pub struct Options {
    pub url: String,
    pub client: Client,
    pub read_only: bool,
    pub colour: bool,
}

/// Puts the terminal back: raw mode off, main screen, mouse released, cursor shown. Safe to
/// call more than once.
pub fn restore_terminal() {
    let _ = disable_raw_mode();
    let _ = execute!(
        std::io::stdout(),
        DisableMouseCapture,
        LeaveAlternateScreen,
        crossterm::cursor::Show
    );
}

/// Restores the terminal when dropped: on return, on error, and while unwinding.
struct Restore;

impl Drop for Restore {
    fn drop(&mut self) {
        restore_terminal();
    }
}

fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        // Restore first, so the panic message lands on the normal screen and stays readable.
        restore_terminal();
        PANICKED.store(true, Ordering::SeqCst);
        previous(info);
    }));
}

/// Runs the dashboard until the user quits.
pub fn run(opts: Options, rt: &tokio::runtime::Runtime) -> std::io::Result<()> {
    install_panic_hook();
    enable_raw_mode()?;
    let _restore = Restore;
    execute!(std::io::stdout(), EnterAlternateScreen, EnableMouseCapture)?;
    let mut terminal = Terminal::new(CrosstermBackend::new(std::io::stdout()))?;
    terminal.hide_cursor()?;
    let size = terminal.size()?;

    let (tx, rx) = channel::<Msg>();
    let requests = net::start(rt.handle(), opts.client, tx.clone());
    // Input has a thread of its own: crossterm's read blocks, and must never hold up drawing.
    std::thread::spawn(move || {
        loop {
            let msg = match event::read() {
                Ok(Event::Key(k)) => Msg::Key(k),
                Ok(Event::Mouse(m)) => Msg::Mouse(m),
                Ok(Event::Resize(w, h)) => Msg::Resize(w, h),
                Ok(_) => continue,
                Err(_) => return,
            };
            if tx.send(msg).is_err() {
                return;
            }
        }
    });

    let mut state = State::new(
        &opts.url,
        opts.read_only,
        opts.colour,
        (size.width, size.height),
        now_ms(),
    );
    let mut next_tick = Instant::now() + TICK;
    loop {
        if PANICKED.load(Ordering::SeqCst) {
            return Err(std::io::Error::other(
                "the dashboard hit a bug (a panic, printed above) and stopped",
            ));
        }
        // Every pass follows a message or a tick (ages move on), so every pass draws.
        terminal.draw(|f| view::draw(f, &state))?;
        let wait = next_tick.saturating_duration_since(Instant::now());
        let first = match rx.recv_timeout(wait) {
            Ok(m) => m,
            Err(RecvTimeoutError::Timeout) => {
                next_tick = Instant::now() + TICK;
                Msg::Tick(now_ms())
            }
            Err(RecvTimeoutError::Disconnected) => return Ok(()),
        };
        // Take everything already waiting before drawing again: a burst of events is one frame.
        let mut batch = vec![first];
        batch.extend(rx.try_iter().take(10_000));
        for msg in batch {
            for effect in update::update(&mut state, msg) {
                match effect {
                    Effect::Quit => return Ok(()),
                    Effect::Send(req) => {
                        let _ = requests.send(req);
                    }
                    Effect::SaveLog { path, text } => logview::save(&mut state, &path, &text),
                }
            }
        }
    }
}
