//! Signals: the agent's shutdown ladder (the first SIGINT/SIGTERM drains, the second cancels,
//! the third exits), and which stop signal a waiting client got (a CI runner cancelling a step
//! sends SIGTERM, a person at a terminal Ctrl-C).

use crate::agent::worker::Control;
use tokio::sync::mpsc;

/// Feeds the worker's control channel from signals; returns when the first signal arrived.
pub async fn ladder(control: mpsc::Sender<Control>) {
    wait_for_signal().await;
    tracing::info!("signal received: draining (signal again to cancel running tasks)");
    crate::sd_notify::stopping();
    let _ = control.send(Control::Drain).await;
    tokio::spawn(async move {
        wait_for_signal().await;
        tracing::warn!("second signal: cancelling running tasks (again to exit at once)");
        let _ = control.send(Control::Cancel).await;
        wait_for_signal().await;
        eprintln!("third signal: exiting now");
        std::process::exit(1);
    });
}

#[cfg(unix)]
pub async fn wait_for_signal() {
    use tokio::signal::unix::{SignalKind, signal};
    let (Ok(mut term), Ok(mut int)) = (
        signal(SignalKind::terminate()),
        signal(SignalKind::interrupt()),
    ) else {
        let _ = tokio::signal::ctrl_c().await;
        return;
    };
    tokio::select! {
        _ = term.recv() => {}
        _ = int.recv() => {}
    }
}

#[cfg(not(unix))]
pub async fn wait_for_signal() {
    let _ = tokio::signal::ctrl_c().await;
}

/// A request to stop, by the signal that carried it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// SIGTERM: what CI runners (GitHub Actions, GitLab Runner, Buildkite) send to cancel a step.
    Terminate,
    /// SIGINT: Ctrl-C.
    Interrupt,
}

impl Stop {
    /// The exit code a process stopped this way reports: 128 + the signal's number.
    pub fn exit_code(self) -> u8 {
        match self {
            Stop::Terminate => 143,
            Stop::Interrupt => 130,
        }
    }
}

/// Waits for SIGTERM or SIGINT and says which came.
#[cfg(unix)]
pub async fn next_stop() -> Stop {
    use tokio::signal::unix::{SignalKind, signal};
    let (Ok(mut term), Ok(mut int)) = (
        signal(SignalKind::terminate()),
        signal(SignalKind::interrupt()),
    ) else {
        let _ = tokio::signal::ctrl_c().await;
        return Stop::Interrupt;
    };
    tokio::select! {
        _ = term.recv() => Stop::Terminate,
        _ = int.recv() => Stop::Interrupt,
    }
}

#[cfg(not(unix))]
pub async fn next_stop() -> Stop {
    let _ = tokio::signal::ctrl_c().await;
    Stop::Interrupt
}
