//! The shutdown ladder: the first SIGINT/SIGTERM drains, the second cancels, the third exits.

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
