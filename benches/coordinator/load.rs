//! The simulated load: agents that claim, start and complete as fast as the coordinator lets
//! them, submitters that keep the queue at its backlog, and the samples and errors they record.

use crate::*;

/// One call's timing: when it returned (since the run began) and how long it took.
#[derive(Clone, Copy)]
pub struct Sample {
    pub at: Duration,
    pub ms: f64,
}

#[derive(Default)]
pub struct Samples {
    pub submit: Vec<Sample>,
    pub claim: Vec<Sample>,
    pub claim_empty: Vec<Sample>,
    pub start: Vec<Sample>,
    pub complete: Vec<Sample>,
    pub heartbeat: Vec<Sample>,
}

impl Samples {
    pub fn merge(&mut self, o: Samples) {
        self.submit.extend(o.submit);
        self.claim.extend(o.claim);
        self.claim_empty.extend(o.claim_empty);
        self.start.extend(o.start);
        self.complete.extend(o.complete);
        self.heartbeat.extend(o.heartbeat);
    }
}

#[derive(Default)]
pub struct Errors {
    pub count: AtomicU64,
    pub first: Mutex<Vec<String>>,
}

impl Errors {
    pub fn record(&self, what: &str, e: &ClientError) {
        self.count.fetch_add(1, Ordering::Relaxed);
        if let Ok(mut first) = self.first.lock()
            && first.len() < 5
        {
            first.push(format!("{what}: {e}"));
        }
    }
}

pub struct Window {
    pub from: Duration,
    pub to: Duration,
}

impl Window {
    pub fn ms_in(&self, s: &[Sample]) -> Vec<f64> {
        let mut v: Vec<f64> = s
            .iter()
            .filter(|x| x.at >= self.from && x.at < self.to)
            .map(|x| x.ms)
            .collect();
        v.sort_by(|a, b| a.total_cmp(b));
        v
    }
}

pub async fn agent_loop(
    client: Client,
    t0: Instant,
    stop: Arc<AtomicBool>,
    backlog: Arc<Semaphore>,
    errors: Arc<Errors>,
) -> Samples {
    let mut s = Samples::default();
    while !stop.load(Ordering::Relaxed) {
        let t = Instant::now();
        let claimed = match client.claim(CLAIM_WAIT).await {
            Ok(r) => r.claimed,
            Err(e) => {
                errors.record("claim", &e);
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let sample = |t: Instant| Sample {
            at: t0.elapsed(),
            ms: t.elapsed().as_secs_f64() * 1000.0,
        };
        let Some(c) = claimed else {
            s.claim_empty.push(sample(t));
            continue;
        };
        s.claim.push(sample(t));
        let task_id = c.task.id;
        let lease_id = c.lease.lease_id;
        let t = Instant::now();
        if let Err(e) = client.start(&task_id, &lease_id).await {
            errors.record("start", &e);
            continue;
        }
        s.start.push(sample(t));
        let t = Instant::now();
        let done = client
            .complete(
                &task_id,
                &CompleteRequest {
                    lease_id,
                    outcome: Outcome::Succeeded,
                    exit_code: Some(0),
                    error: None,
                    duration_ms: Some(0),
                    cpu_ms: Some(0),
                    peak_rss_kib: None,
                    stdout_tail: None,
                    stderr_tail: None,
                    code: None,
                    artifacts: Vec::new(),
                    permanent: false,
                    inference: None,
                },
            )
            .await;
        backlog.add_permits(1);
        match done {
            Ok(_) => s.complete.push(sample(t)),
            Err(e) => errors.record("complete", &e),
        }
    }
    s
}

pub async fn submit_loop(
    client: Client,
    t0: Instant,
    stop: Arc<AtomicBool>,
    backlog: Arc<Semaphore>,
    errors: Arc<Errors>,
) -> Samples {
    let mut s = Samples::default();
    let req = SubmitRequest::argv(vec!["true".into()]);
    loop {
        // Closed at the end of the run.
        let Ok(permit) = backlog.acquire().await else {
            break;
        };
        permit.forget();
        if stop.load(Ordering::Relaxed) {
            break;
        }
        let t = Instant::now();
        match client.submit(&req).await {
            Ok(_) => s.submit.push(Sample {
                at: t0.elapsed(),
                ms: t.elapsed().as_secs_f64() * 1000.0,
            }),
            Err(e) => {
                errors.record("submit", &e);
                backlog.add_permits(1);
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
    }
    s
}
