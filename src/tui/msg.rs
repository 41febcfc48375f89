//! What flows into `update` (keys, ticks, data from the network) and what comes out of it
//! (requests for the network side, quitting).

use super::state::{Credits, Snapshot};
use crate::api::{Event, LogPage, TaskInfo};
use crossterm::event::{KeyEvent, MouseEvent};

#[derive(Debug)]
pub enum Msg {
    Key(KeyEvent),
    Mouse(MouseEvent),
    Resize(u16, u16),
    /// The clock, in ms since the epoch.
    Tick(i64),
    Net(Net),
}

/// Why a request to the coordinator failed, as far as the dashboard cares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    Unreachable(String),
    Unauthorised(String),
    Other(String),
}

#[derive(Debug)]
pub enum Net {
    Snapshot(Box<Snapshot>),
    PollFailed(Failure),
    Credits(Credits),
    StreamUp,
    StreamDown(Failure),
    Event(Event),
    Task(Box<TaskInfo>),
    TaskFailed(String, String),
    Log(LogPage),
    /// A poll of the jobs and their subtasks.
    Jobs(super::jobs::JobsData),
    /// The outcome of an action, as the line to show.
    Done(Result<String, String>),
}

/// Work for the network side.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    /// Poll everything now (also retries after an unauthorised answer).
    Refresh,
    /// approve, reject, drain or undrain.
    NodeAction {
        id: String,
        action: &'static str,
    },
    CancelTask(String),
    CancelJob(String),
    /// Follow one task's detail and log, or stop following.
    Watch(Option<String>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    Quit,
    Send(Request),
    /// Write the open task's log to `path` (relative: the current directory), then say where.
    SaveLog {
        path: std::path::PathBuf,
        text: String,
    },
}
