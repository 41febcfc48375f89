//! The Jobs tab's data and behaviour: the jobs with their subtasks (polled, nudged by the event
//! stream), the rows of the tree they make, and what its keys do (Enter opens a job, `x` asks to
//! cancel it). Kept out of `state`/`update`/`net` so those stay about every tab; the drawing is
//! `view::jobs`.
//!
//! The listing holds summaries only, so each job shown is fetched whole; a job that has ended
//! does not change, and is fetched once.

use super::msg::{Msg, Net};
use super::state::{Confirm, Detail, Mode, State, Tab};
use crate::api::client::{Client, ClientError};
use crate::api::follow::is_auth_error;
use crate::api::{JobInfo, JobSummary};
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::mpsc::Sender;
use std::time::Duration;
use tokio::sync::Notify;

/// The newest jobs shown.
pub const JOBS_SHOWN: u32 = 30;
/// Polls no more often than this, however many events nudge it.
const POLL_FLOOR: Duration = Duration::from_secs(1);
/// Polls this often when nothing happens (events nudge it sooner).
const POLL_IDLE: Duration = Duration::from_secs(5);
/// A coordinator without jobs is asked again this rarely (it may be updated).
const POLL_DISABLED: Duration = Duration::from_secs(60);

/// The jobs, as far as this token may see them.
#[derive(Debug, Clone, Default)]
pub enum JobsData {
    #[default]
    Unknown,
    /// The coordinator has no job routes (404 `no_route`: an older version).
    Disabled,
    /// Refused or failed, with the reason.
    Unavailable(String),
    /// Newest first.
    Loaded(Vec<JobInfo>),
}

impl JobsData {
    pub fn jobs(&self) -> &[JobInfo] {
        match self {
            JobsData::Loaded(jobs) => jobs,
            _ => &[],
        }
    }
}

/// One row of the Jobs tab: a job, or one of its subtasks at a depth of the tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JobRow {
    pub job: usize,
    /// None for the job's own row.
    pub sub: Option<usize>,
    /// 0 for a job; 1 and more for its subtasks.
    pub depth: usize,
}

/// Each job, then its subtasks in tree order (`crate::job_tree`).
pub fn rows(jobs: &[JobInfo]) -> Vec<JobRow> {
    let mut rows = Vec::new();
    for (j, job) in jobs.iter().enumerate() {
        rows.push(JobRow {
            job: j,
            sub: None,
            depth: 0,
        });
        for (depth, i) in crate::job_tree::tree_order(&job.subtasks) {
            rows.push(JobRow {
                job: j,
                sub: Some(i),
                depth: depth + 1,
            });
        }
    }
    rows
}

/// What the filter matches on row `i`: a subtask row matches on its job too, so filtering by a
/// job's id or prompt keeps its tree together.
pub fn row_text(state: &State, i: usize) -> Option<String> {
    let row = state.job_rows.get(i)?;
    let job = state.jobs.jobs().get(row.job)?;
    let mut text = format!("{} {} {}", job.id, job.state.as_str(), job.prompt);
    if let Some(sub) = row.sub.and_then(|s| job.subtasks.get(s)) {
        text.push_str(&format!(
            " {} {} {} {}",
            sub.subtask.id,
            sub.subtask.title,
            crate::job_tree::state_word(sub),
            sub.node_id.as_deref().unwrap_or("")
        ));
    }
    Some(text)
}

/// The job of the selected row (a subtask row selects its job).
pub fn selected_job(state: &State) -> Option<&JobInfo> {
    let row = state.job_rows.get(state.selected_index(Tab::Jobs)?)?;
    state.jobs.jobs().get(row.job)
}

/// The job the open detail shows, or the selected one.
pub fn shown_job(state: &State) -> Option<&JobInfo> {
    match &state.detail {
        Some(Detail::Job(id)) => state.jobs.jobs().iter().find(|j| j.id == *id),
        _ => selected_job(state),
    }
}

/// A new poll: replaces the jobs, keeping the same row selected (the same job and subtask).
pub fn apply(state: &mut State, jobs: JobsData) {
    let keep = state
        .selected_index(Tab::Jobs)
        .and_then(|i| state.job_rows.get(i).copied())
        .and_then(|row| {
            let job = state.jobs.jobs().get(row.job)?;
            let sub = row
                .sub
                .and_then(|s| job.subtasks.get(s))
                .map(|s| s.subtask.id.clone());
            Some((job.id.clone(), sub))
        });
    state.jobs = jobs;
    state.job_rows = rows(state.jobs.jobs());
    state.refilter(Tab::Jobs);
    let Some((job_id, sub_id)) = keep else { return };
    let jobs = state.jobs.jobs();
    let is = |i: usize| {
        state.job_rows.get(i).is_some_and(|row| {
            let job = &jobs[row.job];
            job.id == job_id && row.sub.map(|s| &job.subtasks[s].subtask.id) == sub_id.as_ref()
        })
    };
    if let Some(row) = state.visible[Tab::Jobs.index()].iter().position(|&i| is(i)) {
        let page = super::layout::page(state, Tab::Jobs);
        let pos = &mut state.pos[Tab::Jobs.index()];
        pos.selected = row;
        pos.keep_visible(page);
    }
}

/// Whether `x` is about a job: on the Jobs tab or in a job's detail.
pub fn on_jobs(state: &State) -> bool {
    matches!(state.detail, Some(Detail::Job(_)))
        || (state.detail.is_none() && state.tab == Tab::Jobs)
}

/// Enter on the Jobs tab: the selected row's job, whole.
pub fn open(state: &mut State) {
    if let Some(id) = selected_job(state).map(|j| j.id.clone()) {
        state.detail = Some(Detail::Job(id));
    }
}

/// `x` on a job: asks to confirm, unless it has ended.
pub fn ask_cancel(state: &mut State) {
    let Some(job) = shown_job(state) else {
        state.flash("no job selected", true);
        return;
    };
    if job.state.is_final() {
        let text = format!(
            "job {} already ended ({})",
            crate::fmt::short_id(&job.id),
            job.state.as_str()
        );
        state.flash(text, true);
        return;
    }
    state.mode = Mode::Confirm(Confirm::CancelJob(job.id.clone()));
}

/// What a request for the jobs came to.
fn failure(e: &ClientError) -> Option<JobsData> {
    if e.status() == Some(404) && e.code() == Some(crate::api::codes::NO_ROUTE) {
        return Some(JobsData::Disabled);
    }
    match e {
        ClientError::Unreachable { .. } => None, // the main poller says so in the header
        _ if is_auth_error(e) => Some(JobsData::Unavailable(e.to_string())),
        _ => Some(JobsData::Unavailable(e.to_string())),
    }
}

/// Polls the newest jobs and each one's subtasks; `poke` (an event, `r`) polls sooner.
pub async fn poller(client: Client, ui: Sender<Msg>, poke: Arc<Notify>) {
    let mut ended: HashMap<String, JobInfo> = HashMap::new();
    loop {
        let started = tokio::time::Instant::now();
        let result = poll(&client, &mut ended).await;
        let refused = result.as_ref().is_err_and(is_auth_error);
        let data = match result {
            Ok(jobs) => Some(JobsData::Loaded(jobs)),
            Err(e) => failure(&e),
        };
        let wait = match &data {
            Some(JobsData::Disabled) => POLL_DISABLED,
            _ => POLL_IDLE,
        };
        if let Some(data) = data
            && ui.send(Msg::Net(Net::Jobs(data))).is_err()
        {
            return; // the UI is gone
        }
        if refused {
            // A refused token does not get better by asking again: wait for `r`.
            poke.notified().await;
            continue;
        }
        tokio::select! {
            _ = tokio::time::sleep(wait) => {}
            _ = poke.notified() => {}
        }
        tokio::time::sleep_until(started + POLL_FLOOR).await;
    }
}

/// One look: the listing, then each job whole (an ended one from `ended` once fetched).
async fn poll(
    client: &Client,
    ended: &mut HashMap<String, JobInfo>,
) -> Result<Vec<JobInfo>, ClientError> {
    let list = client.jobs(None, Some(JOBS_SHOWN)).await?;
    let mut jobs = Vec::with_capacity(list.jobs.len());
    for summary in &list.jobs {
        if let Some(job) = cached(ended, summary) {
            jobs.push(job);
            continue;
        }
        match client.job(&summary.id).await {
            Ok(job) => {
                if job.state.is_final() {
                    ended.insert(job.id.clone(), job.clone());
                }
                jobs.push(job);
            }
            // Deleted between the listing and now: leave it out.
            Err(e) if e.status() == Some(404) => {}
            Err(e) => return Err(e),
        }
    }
    // Forget ended jobs that fell off the listing.
    ended.retain(|id, _| list.jobs.iter().any(|s| s.id == *id));
    Ok(jobs)
}

fn cached(ended: &HashMap<String, JobInfo>, summary: &JobSummary) -> Option<JobInfo> {
    ended
        .get(&summary.id)
        .filter(|j| j.state == summary.state)
        .cloned()
}
