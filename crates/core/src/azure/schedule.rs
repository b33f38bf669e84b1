//! What Azure does on its own when the clock moves: automatic rotation and expiry notices from
//! key rotation policies (SPEC KV-8), and purges at the end of soft-delete retention (KV-9).

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use rand_core::CryptoRngCore;
use serde::{Deserialize, Serialize};

use crate::azure::rotation::{RotationPolicy, Trigger};
use crate::azure::vault::KeyVersion;
use crate::azure::Azure;
use crate::sim::Log;
use crate::time::{SimDuration, SimTime};

/// The most keys one move of the clock is given ahead (rotations past that make their keys in the
/// core, as when no host makes keys).
pub const MAX_KEYS_FOR_ONE_MOVE: usize = 32;

/// One-shot events Azure queues for the clock.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Event {
    /// End of a soft-deleted vault's retention.
    PurgeVault { name: String },
    /// End of a soft-deleted key's retention.
    PurgeKey { vault: String, key: String },
}

impl Event {
    /// How `sim clock show` lists it.
    pub fn describe(&self) -> String {
        match self {
            Self::PurgeVault { name } => format!("Purge of soft-deleted vault '{name}'"),
            Self::PurgeKey { vault, key } => format!("Purge of soft-deleted key '{key}' in '{vault}'"),
        }
    }
}

/// What a key's rotation policy asks for next.
#[derive(Debug)]
pub enum KeyDue {
    Rotate { vault: String, key: String },
    Notify { vault: String, key: String, version: String },
}

/// When a key's rotation policy next rotates it, counted from its current version: its creation
/// plus `timeAfterCreate`, or its expiry less `timeBeforeExpiry`.
fn rotation_due(policy: &RotationPolicy, current: &KeyVersion) -> Option<SimTime> {
    match policy.rotate? {
        Trigger::TimeAfterCreate(d) => Some(current.created.plus(d)),
        Trigger::TimeBeforeExpiry(d) => {
            current.expires.map(|exp| SimTime::from_unix(exp.unix().saturating_sub(d.as_seconds())))
        }
    }
}

impl Azure {
    /// The earliest queued event: its time and place.
    pub(crate) fn next_queued(&self) -> Option<(SimTime, usize)> {
        self.queue.next()
    }

    /// Every rotation and expiry notice the keys' rotation policies ask for, with its time, in
    /// vault and key order (rotation before notice for one key).
    pub(crate) fn key_dues(&self) -> Vec<(SimTime, KeyDue)> {
        let mut dues = Vec::new();
        for (vault_name, v) in &self.vaults {
            for (key_name, k) in &v.keys {
                let (Some(policy), Some(current)) = (&k.rotation_policy, k.current()) else { continue };
                if let Some(at) = rotation_due(policy, current) {
                    dues.push((at, KeyDue::Rotate { vault: vault_name.clone(), key: key_name.clone() }));
                }
                if let (Some(Trigger::TimeBeforeExpiry(d)), Some(exp)) = (policy.notify, current.expires) {
                    if k.notified_version.as_deref() != Some(current.version.as_str()) {
                        let at = SimTime::from_unix(exp.unix().saturating_sub(d.as_seconds()));
                        dues.push((
                            at,
                            KeyDue::Notify {
                                vault: vault_name.clone(),
                                key: key_name.clone(),
                                version: current.version.clone(),
                            },
                        ));
                    }
                }
            }
        }
        dues
    }

    /// The size of every version the rotation policies will make from `now` until `until`, one
    /// entry per rotation (at most [`MAX_KEYS_FOR_ONE_MOVE`]): what a host that makes keys
    /// itself prepares before moving the clock. An overdue rotation happens at `now`; a policy
    /// rotates again one period after each new version (`timeAfterCreate`, or the policy's
    /// `expiryTime` less `timeBeforeExpiry`).
    pub fn rotations_between(&self, now: SimTime, until: SimTime) -> Vec<u32> {
        let mut sizes = Vec::new();
        for v in self.vaults.values() {
            for k in v.keys.values() {
                let (Some(policy), Some(current)) = (&k.rotation_policy, k.current()) else { continue };
                let period = match policy.rotate {
                    Some(Trigger::TimeAfterCreate(d)) => Some(d),
                    Some(Trigger::TimeBeforeExpiry(d)) => {
                        policy.expiry_time.map(|e| SimDuration::seconds(e.as_seconds().saturating_sub(d.as_seconds())))
                    }
                    None => None,
                };
                let Some(mut at) = rotation_due(policy, current).map(|t| t.max(now)) else { continue };
                while at <= until && sizes.len() < MAX_KEYS_FOR_ONE_MOVE {
                    sizes.push(k.bits());
                    match period.filter(|p| p.as_seconds() > 0) {
                        Some(p) => at = at.plus(p),
                        None => break,
                    }
                }
            }
        }
        sizes
    }

    /// Of `sizes`, those no key made ahead answers yet (one ready key answers one entry).
    pub fn keys_short_of(&self, mut sizes: Vec<u32>) -> Vec<u32> {
        for (bits, _) in &self.keys_ahead.ready {
            if let Some(i) = sizes.iter().position(|b| b == bits) {
                sizes.swap_remove(i);
            }
        }
        sizes
    }

    /// The earliest of [`Azure::key_dues`] (ties: the first in its order).
    pub(crate) fn next_key_due(&self) -> Option<(SimTime, KeyDue)> {
        let mut best: Option<(SimTime, KeyDue)> = None;
        for (at, due) in self.key_dues() {
            if best.as_ref().is_none_or(|(b, _)| at < *b) {
                best = Some((at, due));
            }
        }
        best
    }

    /// Runs the queued event at `place` (found by [`Azure::next_queued`]) at time `now`.
    pub(crate) fn run_queued(&mut self, place: usize, now: SimTime, log: &mut Log) {
        let Some(s) = self.queue.take(place) else { return };
        match s.event {
            Event::PurgeVault { name } => {
                // Only if still deleted with this very purge date (not recovered and deleted again).
                if self.deleted_vaults.get(&name).is_some_and(|d| d.scheduled_purge == s.at) {
                    self.deleted_vaults.remove(&name);
                    log.record(
                        now,
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
                    log.record(
                        now,
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

    /// Runs a rotation or notice that fell due at `now`.
    pub(crate) fn run_key_due(&mut self, due: KeyDue, now: SimTime, log: &mut Log, rng: &mut dyn CryptoRngCore) {
        match due {
            KeyDue::Rotate { vault, key } => match self.new_rotated_version(&vault, &key, None, now, rng) {
                Ok(bundle) => log.record(
                    now,
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
                    log.record(
                        now,
                        "RotationFailed",
                        &key,
                        format!("Automatic rotation of '{key}' failed and was turned off: {e}"),
                    )
                }
            },
            KeyDue::Notify { vault, key, version } => {
                let kid = self.vault(&vault).map(|v| v.kid(&key, &version)).unwrap_or_default();
                let exp = self
                    .vault(&vault)
                    .ok()
                    .and_then(|v| v.key(&key))
                    .and_then(|k| k.current())
                    .and_then(|c| c.expires)
                    .map(SimTime::words)
                    .unwrap_or_default();
                if let Ok(v) = self.vault_mut(&vault) {
                    if let Some(k) = v.keys.get_mut(&key) {
                        k.notified_version = Some(version);
                    }
                }
                log.record(
                    now,
                    "KeyNearExpiry",
                    &kid,
                    format!("Key '{key}' expires at {exp}: rotate it or extend its expiry."),
                );
            }
        }
    }
}
