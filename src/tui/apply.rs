//! Data from the network into the state: snapshots, events, credits, a task's detail and log.
//! While frozen, arrivals are held and applied on unfreezing.

use super::msg::{Failure, Net};
use super::state::*;
use crate::api::{Event, LogPage, TaskState};

pub fn net(state: &mut State, msg: Net) {
    match msg {
        Net::Snapshot(snap) => {
            state.last_poll_at = Some(snap.at);
            state.conn = match (&state.conn, state.stream_up) {
                (_, true) => Conn::Live,
                // Polls work but the stream does not (yet): not fully live.
                (Conn::Reconnecting(r), false) => Conn::Reconnecting(r.clone()),
                _ => Conn::Live,
            };
            if state.frozen {
                state.held.snapshot = Some(snap);
            } else {
                snapshot(state, *snap);
            }
        }
        Net::PollFailed(failure) => lost(state, failure),
        Net::Credits(credits) => {
            if state.frozen {
                state.held.credits = Some(credits);
            } else {
                state.credits = credits;
                state.refilter(Tab::Credits);
                state.refilter(Tab::Nodes);
            }
        }
        Net::StreamUp => {
            state.stream_up = true;
            if matches!(state.conn, Conn::Reconnecting(_)) && state.last_poll_at.is_some() {
                state.conn = Conn::Live;
            }
        }
        Net::StreamDown(failure) => {
            state.stream_up = false;
            lost(state, failure);
        }
        Net::Event(event) => {
            if state.last_event_id.is_some_and(|last| event.id <= last) {
                return; // already seen: a resumed stream must not repeat rows
            }
            state.last_event_id = Some(event.id);
            if state.frozen {
                state.held.events.push(event);
            } else {
                self::event(state, event);
                state.refilter(Tab::Events);
                if !state.filters[Tab::Queue.index()].is_empty() {
                    state.refilter(Tab::Queue); // a state change may move a task in or out
                }
            }
        }
        Net::Task(info) => {
            if matches!(&state.detail, Some(Detail::Task(id)) if *id == info.id) {
                state.task_detail.info = Some(*info);
                state.task_detail.error = None;
            }
        }
        Net::TaskFailed(id, why) => {
            if matches!(&state.detail, Some(Detail::Task(open)) if *open == id) {
                state.task_detail.error = Some(why);
            }
        }
        Net::Log(page) => log(state, page),
        Net::Jobs(jobs) => {
            if state.frozen {
                state.held.jobs = Some(jobs);
            } else {
                super::jobs::apply(state, jobs);
            }
        }
        Net::Done(Ok(text)) => state.flash(text, false),
        Net::Done(Err(text)) => state.flash(text, true),
    }
}

/// A failed poll or a dropped stream.
fn lost(state: &mut State, failure: Failure) {
    state.conn = match failure {
        Failure::Unauthorised(why) => Conn::Unauthorised(why),
        Failure::Unreachable(why) | Failure::Other(why) => {
            if state.status.is_some() {
                Conn::Reconnecting(why)
            } else {
                Conn::Down(why)
            }
        }
    };
}

/// Replaces the lists with a fresh poll, keeping the selected row on the same item.
pub fn snapshot(state: &mut State, snap: Snapshot) {
    let keep_task = state.selected_task().map(|t| t.id.clone());
    let keep_node = state.selected_node().map(|n| n.id.clone());
    let finished: u64 = TaskState::ALL
        .iter()
        .filter(|s| s.is_terminal())
        .map(|s| {
            snap.status
                .queue
                .counts
                .get(s.as_str())
                .copied()
                .unwrap_or(0)
        })
        .sum();
    state.throughput.record(snap.at, finished);
    state.status = Some(snap.status);
    state.tasks = snap.tasks;
    state.task_index = state
        .tasks
        .iter()
        .enumerate()
        .map(|(i, t)| (t.id.clone(), i))
        .collect();
    state.nodes = snap.nodes;
    state.refilter(Tab::Queue);
    state.refilter(Tab::Nodes);
    if let Some(id) = keep_task {
        reselect(state, Tab::Queue, |s, i| s.tasks[i].id == id);
    }
    if let Some(id) = keep_node {
        reselect(state, Tab::Nodes, |s, i| s.nodes[i].id == id);
    }
}

fn reselect(state: &mut State, tab: Tab, is: impl Fn(&State, usize) -> bool) {
    if let Some(row) = state.visible[tab.index()]
        .iter()
        .position(|&i| is(state, i))
    {
        let page = super::layout::page(state, tab);
        let pos = &mut state.pos[tab.index()];
        pos.selected = row;
        pos.keep_visible(page);
    }
}

/// One live event: into the Events list, and onto the task it names when that task is shown.
pub fn event(state: &mut State, event: Event) {
    if let Some(task_id) = &event.task_id
        && let Some(&i) = state.task_index.get(task_id)
        && let Some(task) = state.tasks.get_mut(i)
    {
        let new_state = match event.kind.as_str() {
            "task.leased" => Some(TaskState::Leased),
            "task.started" => Some(TaskState::Running),
            "task.requeued" => Some(TaskState::Queued),
            "task.succeeded" => Some(TaskState::Succeeded),
            "task.failed" => Some(TaskState::Failed),
            "task.cancelled" => Some(TaskState::Cancelled),
            "task.timed_out" => Some(TaskState::TimedOut),
            _ => None,
        };
        if let Some(s) = new_state {
            task.state = s;
            task.updated_at = event.at;
            if event.node_id.is_some() {
                task.node_id = event.node_id.clone();
            }
        }
    }
    // Keep the same row selected as the list grows at the top.
    let pos = &mut state.pos[Tab::Events.index()];
    if pos.selected > 0 && state.filters[Tab::Events.index()].is_empty() {
        pos.selected += 1;
        pos.offset += 1;
    }
    state.events.push_front(event);
    state.events.truncate(EVENTS_KEPT);
}

/// Applies everything held while frozen.
pub fn release(state: &mut State) {
    let held = std::mem::take(&mut state.held);
    if let Some(snap) = held.snapshot {
        snapshot(state, *snap);
    }
    if let Some(credits) = held.credits {
        state.credits = credits;
    }
    if let Some(jobs) = held.jobs {
        super::jobs::apply(state, jobs);
    }
    for e in held.events {
        event(state, e);
    }
    state.refilter_all();
}

fn log(state: &mut State, page: LogPage) {
    if !matches!(&state.detail, Some(Detail::Task(id)) if *id == page.task_id) {
        return;
    }
    let tail = &mut state.task_detail;
    if page.attempt != tail.attempt {
        tail.attempt = page.attempt;
        tail.lines.clear();
        tail.partial.clear();
    }
    for chunk in page.chunks {
        tail.partial.push_str(&chunk.data);
        while let Some(end) = tail.partial.find('\n') {
            let line: String = tail.partial.drain(..=end).collect();
            tail.lines
                .push_back(line.trim_end_matches(['\n', '\r']).to_string());
        }
    }
    while tail.lines.len() > LOG_LINES_KEPT {
        tail.lines.pop_front();
    }
}
