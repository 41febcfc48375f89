//! Whether an attempt that failed runs again: the one place that decides (issue 17).
//!
//! A CI step's failure is its answer: a task that ran and exited non-zero (or was killed by a
//! signal, or timed out) ends failed at once, unless its submitter opted in with a
//! [`RetryRule`] (`--retry N`, `--retry-on-exit CODES`). A failure of the infrastructure (the
//! node was lost, its lease expired, its agent shut down, the sandbox could not start the task)
//! says nothing about the task, so it is tried again up to `max_attempts`.

use crate::api::{RetryRule, SubmitRequest};
use crate::server::error::ApiError;
use crate::server::store::db::{Db, params};

/// How an attempt failed, as far as retrying goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Failure {
    /// Not the task's doing: run it again while attempts remain.
    Infrastructure,
    /// The task ran and exited with this code: again only if its retry rule says so.
    Exited(i32),
    /// Another attempt would end the same way (a coding task whose whole loop ran).
    Final,
}

/// What a retry decision comes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Decision {
    /// Back to the queue, counted against `max_attempts`.
    Retry,
    /// Back to the queue under the task's retry rule: one more attempt than `max_attempts`
    /// allows, if that is what it takes.
    RetryByRule,
    /// The task ends failed.
    Fail,
}

/// Decides whether the task runs again after attempt number `attempts` failed as `failure`.
pub(super) fn decide(
    conn: &Db,
    task_id: &str,
    failure: Failure,
    attempts: u32,
    max_attempts: u32,
) -> Result<Decision, ApiError> {
    match failure {
        Failure::Final => Ok(Decision::Fail),
        Failure::Infrastructure if attempts < max_attempts => Ok(Decision::Retry),
        Failure::Infrastructure => Ok(Decision::Fail),
        Failure::Exited(code) => {
            let rule: Option<String> = conn
                .prepare_cached("SELECT retry FROM tasks WHERE id = ?1")?
                .query_row([task_id], |r| r.get(0))?;
            let Some(rule) = rule else {
                return Ok(Decision::Fail);
            };
            let rule: RetryRule = serde_json::from_str(&rule)?;
            // This attempt's row is already written, so it is counted here.
            let exited: u32 = conn
                .prepare_cached(
                    "SELECT COUNT(*) FROM attempts WHERE task_id = ?1 AND exit_code IS NOT NULL \
                     AND outcome = 'failed'",
                )?
                .query_row(params![task_id], |r| r.get(0))?;
            Ok(if rule.allows(code, exited) {
                Decision::RetryByRule
            } else {
                Decision::Fail
            })
        }
    }
}

/// The most retries a rule may ask for, and the longest name a task may have.
const MAX_RETRIES: u32 = 20;
const MAX_NAME_CHARS: usize = 100;

/// Refuses a name or retry rule that makes no sense, saying what would.
pub(super) fn check_name_and_rule(req: &SubmitRequest) -> Result<(), ApiError> {
    if let Some(name) = &req.name {
        if name.trim().is_empty() || name.chars().count() > MAX_NAME_CHARS {
            return Err(ApiError::bad_request(format!(
                "name must be 1 to {MAX_NAME_CHARS} characters, not blank"
            )));
        }
        if name.chars().any(char::is_control) {
            return Err(ApiError::bad_request(
                "name must not hold control characters (newlines, tabs, escapes)",
            ));
        }
    }
    if let Some(rule) = &req.retry {
        if rule.retries == 0 || rule.retries > MAX_RETRIES {
            return Err(ApiError::bad_request(format!(
                "retry.retries must be between 1 and {MAX_RETRIES}"
            )));
        }
        if let Some(codes) = &rule.exit_codes
            && (codes.is_empty() || codes.iter().any(|c| !(1..=255).contains(c)))
        {
            return Err(ApiError::bad_request(
                "retry.exit_codes must list exit codes between 1 and 255 (leave it out to retry \
                 any non-zero exit)",
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rule_retries_only_its_codes_and_only_so_often() {
        let rule = RetryRule {
            retries: 2,
            exit_codes: Some(vec![3]),
        };
        assert!(rule.allows(3, 1));
        assert!(rule.allows(3, 2));
        assert!(!rule.allows(3, 3));
        assert!(!rule.allows(4, 1));
        let any = RetryRule {
            retries: 1,
            exit_codes: None,
        };
        assert!(any.allows(4, 1));
        assert!(!any.allows(0, 1));
    }

    #[test]
    fn nonsense_names_and_rules_are_refused() {
        let mut req = SubmitRequest::argv(vec!["true".into()]);
        req.name = Some("a\nb".into());
        assert!(check_name_and_rule(&req).is_err());
        req.name = Some("unit tests (py3.12)".into());
        assert!(check_name_and_rule(&req).is_ok());
        req.retry = Some(RetryRule {
            retries: 2,
            exit_codes: Some(vec![0]),
        });
        assert!(check_name_and_rule(&req).is_err());
        req.retry = Some(RetryRule {
            retries: 0,
            exit_codes: None,
        });
        assert!(check_name_and_rule(&req).is_err());
    }
}
