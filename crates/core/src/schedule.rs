//! The clock: one-shot events in a queue, rotation and expiry notices derived from key policies,
//! all processed in time order by `advance`. Nothing in the world moves without it (SPEC PG-1).

use alloc::format;
use alloc::string::String;

use rand_core::CryptoRngCore;
use serde::{Deserialize, Serialize};

use crate::rotation::Trigger;
use crate::time::SimTime;
use crate::world::World;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Event {
    /// End of a soft-deleted vault's retention.
    PurgeVault { name: String },
    /// End of a soft-deleted key's retention.
    PurgeKey { vault: String, key: String },
    /// The next step of an environment's encryption job.
    JobStep { env: String, job: u64 },
    /// A locked environment's deadline (SPEC LOCK-3).
    DeleteEnvironment { env: String },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scheduled {
    pub at: SimTime,
    pub event: Event,
}

/// Something that happened on its own, for the activity log and `sim clock advance`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Activity {
    pub at: String,
    pub kind: String,
    pub resource: String,
    pub message: String,
}

/// What falls due next.
#[derive(Debug)]
enum Due {
    Queued(usize),
    Rotate { vault: String, key: String },
    Notify { vault: String, key: String, version: String },
    HealthCheck,
}

/// A bound on events in one advance, so a bug can never hang the page.
const MAX_EVENTS_PER_ADVANCE: usize = 100_000;

impl World {
    pub(crate) fn schedule(&mut self, at: SimTime, event: Event) {
        self.scheduled.push(Scheduled { at, event });
    }

    pub(crate) fn record(&mut self, kind: &str, resource: &str, message: String) {
        self.activity.push(Activity { at: self.now.to_iso(), kind: kind.into(), resource: resource.into(), message });
    }

    /// Moves the clock to `to` (never back), processing every due event in time order; an
    /// event's effects happen at its own time.
    pub fn advance(&mut self, to: SimTime, rng: &mut dyn CryptoRngCore) {
        for _ in 0..MAX_EVENTS_PER_ADVANCE {
            match self.next_due() {
                Some((at, due)) if at <= to => {
                    self.now = self.now.max(at);
                    self.apply(due, rng);
                }
                _ => break,
            }
        }
        self.now = self.now.max(to);
    }

    /// The earliest pending event, if any (ties: queue first, then rotation, then notices).
    pub fn next_event_time(&self) -> Option<SimTime> {
        self.next_due().map(|(at, _)| at)
    }

    fn next_due(&self) -> Option<(SimTime, Due)> {
        let mut best: Option<(SimTime, Due)> = None;
        let mut offer = |at: SimTime, due: Due| {
            if best.as_ref().is_none_or(|(b, _)| at < *b) {
                best = Some((at, due));
            }
        };
        for (i, s) in self.scheduled.iter().enumerate() {
            offer(s.at, Due::Queued(i));
        }
        if self.environments.values().any(|e| e.state != crate::environment::EnvironmentState::Deleted) {
            let last = self.last_health_check.unwrap_or(SimTime::GENESIS);
            offer(last.plus(crate::time::SimDuration::hours(1)), Due::HealthCheck);
        }
        for (vault_name, v) in &self.vaults {
            for (key_name, k) in &v.keys {
                let (Some(policy), Some(current)) = (&k.rotation_policy, k.current()) else { continue };
                match policy.rotate {
                    Some(Trigger::TimeAfterCreate(d)) => {
                        offer(current.created.plus(d), Due::Rotate { vault: vault_name.clone(), key: key_name.clone() })
                    }
                    Some(Trigger::TimeBeforeExpiry(d)) => {
                        if let Some(exp) = current.expires {
                            let at = SimTime::from_unix(exp.unix().saturating_sub(d.as_seconds()));
                            offer(at, Due::Rotate { vault: vault_name.clone(), key: key_name.clone() });
                        }
                    }
                    None => {}
                }
                if let (Some(Trigger::TimeBeforeExpiry(d)), Some(exp)) = (policy.notify, current.expires) {
                    if k.notified_version.as_deref() != Some(current.version.as_str()) {
                        let at = SimTime::from_unix(exp.unix().saturating_sub(d.as_seconds()));
                        offer(
                            at,
                            Due::Notify {
                                vault: vault_name.clone(),
                                key: key_name.clone(),
                                version: current.version.clone(),
                            },
                        );
                    }
                }
            }
        }
        best
    }

    /// When the next step of an operation in progress falls due (periodic checks excluded).
    pub fn next_operation_time(&self) -> Option<SimTime> {
        self.scheduled.iter().filter(|s| matches!(s.event, Event::JobStep { .. })).map(|s| s.at).min()
    }

    fn apply(&mut self, due: Due, rng: &mut dyn CryptoRngCore) {
        match due {
            Due::HealthCheck => self.health_check(rng),
            Due::Queued(i) => {
                let s = self.scheduled.remove(i);
                self.apply_event(s, rng);
            }
            Due::Rotate { vault, key } => match self.new_rotated_version(&vault, &key, rng) {
                Ok(bundle) => self.record(
                    "KeyRotated",
                    &bundle.key.kid,
                    format!("Rotation policy created a new version of key '{key}'."),
                ),
                Err(e) => {
                    // Never loop on a failing rotation: drop the policy and say why.
                    if let Ok(v) = self.vault_mut(&vault) {
                        if let Some(k) = v.keys.get_mut(&key) {
                            k.rotation_policy = None;
                        }
                    }
                    self.record(
                        "RotationFailed",
                        &key,
                        format!("Automatic rotation of '{key}' failed and was turned off: {e}"),
                    )
                }
            },
            Due::Notify { vault, key, version } => {
                let kid = self.vault(&vault).map(|v| v.kid(&key, &version)).unwrap_or_default();
                let exp = self
                    .vault(&vault)
                    .ok()
                    .and_then(|v| v.key(&key))
                    .and_then(|k| k.current())
                    .and_then(|c| c.expires)
                    .map(SimTime::to_iso)
                    .unwrap_or_default();
                if let Ok(v) = self.vault_mut(&vault) {
                    if let Some(k) = v.keys.get_mut(&key) {
                        k.notified_version = Some(version);
                    }
                }
                self.record(
                    "KeyNearExpiry",
                    &kid,
                    format!("Key '{key}' expires at {exp}: rotate it or extend its expiry."),
                );
            }
        }
    }

    fn apply_event(&mut self, s: Scheduled, rng: &mut dyn CryptoRngCore) {
        match s.event {
            Event::JobStep { env, job } => self.job_step(&env, job, rng),
            Event::DeleteEnvironment { env } => self.delete_locked(&env, s.at),
            Event::PurgeVault { name } => {
                // Only if still deleted with this very purge date (not recovered and deleted again).
                if self.deleted_vaults.get(&name).is_some_and(|d| d.scheduled_purge == s.at) {
                    self.deleted_vaults.remove(&name);
                    self.record(
                        "VaultPurged",
                        &name,
                        format!("Soft-deleted vault '{name}' reached the end of its retention and was purged."),
                    );
                }
            }
            Event::PurgeKey { vault, key } => {
                let purged = self
                    .vault_mut(&vault)
                    .ok()
                    .filter(|v| v.deleted_keys.get(&key).is_some_and(|d| d.scheduled_purge == s.at))
                    .map(|v| v.deleted_keys.remove(&key))
                    .is_some();
                if purged {
                    self.record(
                        "KeyPurged",
                        &key,
                        format!(
                            "Soft-deleted key '{key}' in '{vault}' reached the end of its retention and was purged."
                        ),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
pub(crate) fn pending(world: &World) -> alloc::vec::Vec<SimTime> {
    world.scheduled.iter().map(|s| s.at).collect()
}
