//! What Power Platform does on its own when the clock moves: the next step of an encryption
//! operation, the hourly health check, and the deletion of environments locked too long.

use alloc::string::String;

use serde::{Deserialize, Serialize};

use crate::powerplatform::environment::EnvironmentState;
use crate::powerplatform::{Ctx, PowerPlatform};
use crate::time::{SimDuration, SimTime};

/// One-shot events Power Platform queues for the clock.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Event {
    /// The next step of an environment's encryption job.
    JobStep { env: String, job: u64 },
    /// A locked environment's deadline (SPEC LOCK-3).
    DeleteEnvironment { env: String },
}

/// How often the health check runs (SPEC LOCK-1: at least hourly).
pub const HEALTH_CHECK_EVERY: SimDuration = SimDuration::hours(1);

impl PowerPlatform {
    /// The earliest queued event: its time and place.
    pub(crate) fn next_queued(&self) -> Option<(SimTime, usize)> {
        self.queue.next()
    }

    /// When the next health check runs: hourly while any environment exists.
    pub(crate) fn next_health_check(&self) -> Option<SimTime> {
        self.environments
            .values()
            .any(|e| e.state != EnvironmentState::Deleted)
            .then(|| self.last_health_check.unwrap_or(SimTime::GENESIS).plus(HEALTH_CHECK_EVERY))
    }

    /// Runs the queued event at `place` (found by [`PowerPlatform::next_queued`]).
    pub(crate) fn run_queued(&mut self, place: usize, cx: &mut Ctx<'_>) {
        let Some(s) = self.queue.take(place) else { return };
        match s.event {
            Event::JobStep { env, job } => self.job_step(&env, job, cx),
            Event::DeleteEnvironment { env } => self.delete_locked(&env, s.at, cx),
        }
    }

    /// When the next step of an operation in progress falls due (periodic checks excluded).
    pub fn next_operation_time(&self) -> Option<SimTime> {
        self.queue.iter().filter(|s| matches!(s.event, Event::JobStep { .. })).map(|s| s.at).min()
    }

    /// Whether an operation (not a periodic check) is in progress: what `sim clock run` waits for.
    pub fn operations_in_progress(&self) -> usize {
        self.environments.values().filter(|e| e.job.is_some()).count()
    }
}
