//! Jobs: submit a request to be decomposed and run across the swarm, list, show and cancel them.
//! A job's live events come from the event stream with `?job=ID` (see `api::follow`).

use super::{Client, ClientError, seg};
use crate::api::{JobInfo, JobList, JobState, JobSubmitRequest, JobSubmitResponse};

impl Client {
    pub async fn submit_job(
        &self,
        req: &JobSubmitRequest,
    ) -> Result<JobSubmitResponse, ClientError> {
        self.post("/api/v1/jobs", req).await
    }

    /// Newest first; `state` keeps only jobs in that state, `limit` at most that many.
    pub async fn jobs(
        &self,
        state: Option<JobState>,
        limit: Option<u32>,
    ) -> Result<JobList, ClientError> {
        let mut query = Vec::new();
        if let Some(state) = state {
            query.push(format!("state={}", state.as_str()));
        }
        if let Some(limit) = limit {
            query.push(format!("limit={limit}"));
        }
        let path = if query.is_empty() {
            "/api/v1/jobs".to_string()
        } else {
            format!("/api/v1/jobs?{}", query.join("&"))
        };
        self.get(&path).await
    }

    /// A job by id or unique prefix.
    pub async fn job(&self, id: &str) -> Result<JobInfo, ClientError> {
        self.get(&format!("/api/v1/jobs/{}", seg(id))).await
    }

    pub async fn cancel_job(&self, id: &str) -> Result<JobInfo, ClientError> {
        self.post(&format!("/api/v1/jobs/{}/cancel", seg(id)), &())
            .await
    }
}
