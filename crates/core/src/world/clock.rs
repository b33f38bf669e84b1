//! The merged clock: what falls due next on either side, advancing to a time, and the reports
//! of what is pending and what happened.

use super::*;

impl World {
    pub(super) fn clock_report(&self, from: usize, stopped: Option<String>) -> Outcome {
        let report = ClockReport {
            now: self.now.to_iso(),
            pending: self.pending_view(),
            events: self.log.since(from).to_vec(),
            stopped,
        };
        Outcome::Clock(report)
    }

    /// What is waiting for the clock (not the periodic checks): operations in progress, then
    /// Azure's purges, then deletions of locked environments.
    pub fn pending(&self) -> Vec<PendingOperation> {
        let keys = self.key_access();
        let mut list = self.pp.pending(&keys);
        let (jobs, deletions): (Vec<_>, Vec<_>) = list.drain(..).partition(|p| p.progress.is_some());
        list.extend(jobs);
        for s in self.azure.queue.iter() {
            let target = match &s.event {
                crate::azure::schedule::Event::PurgeVault { name } => name.clone(),
                crate::azure::schedule::Event::PurgeKey { vault, key } => format!("{vault}/{key}"),
            };
            let kind = match &s.event {
                crate::azure::schedule::Event::PurgeVault { .. } => "PurgeVault",
                crate::azure::schedule::Event::PurgeKey { .. } => "PurgeKey",
            };
            list.push(PendingOperation {
                at: s.at.to_iso(),
                what: s.event.describe(),
                kind: kind.into(),
                target,
                progress: None,
            });
        }
        list.extend(deletions);
        // Soonest first; what falls due at the same time keeps the order above.
        soonest_first(&mut list);
        list
    }

    /// Everything the clock will do, soonest first: pending operations and deadlines, the next
    /// health check, rotations and expiries of keys, and the pickups of new versions (SPEC PG-1).
    pub fn upcoming(&self) -> Vec<PendingOperation> {
        let now = self.now;
        let mut list = self.pending();
        let item = |at: SimTime, what: String, kind: &str, target: String| PendingOperation {
            at: at.to_iso(),
            what,
            kind: kind.into(),
            target,
            progress: None,
        };
        if let Some(at) = self.pp.next_health_check() {
            list.push(item(
                at,
                "Hourly health check of the environments (locks, pickups, backups)".into(),
                "HealthCheck",
                String::new(),
            ));
        }
        for (at, due) in self.azure.key_dues() {
            let KeyDue::Rotate { vault, key } = due else { continue };
            let Some((v, k)) = self.azure.vault(&vault).ok().and_then(|v| v.key(&key).map(|k| (v, k))) else {
                continue;
            };
            if at >= now {
                let kid = k.current().map(|c| v.kid(&k.name, &c.version)).unwrap_or_default();
                list.push(item(
                    at,
                    format!("Rotation policy rotates key '{}' in '{}'", k.name, v.name),
                    "KeyRotation",
                    kid,
                ));
            }
        }
        for v in self.azure.vaults.values() {
            for k in v.keys.values() {
                let Some(current) = k.current() else { continue };
                if let Some(exp) = current.expires.filter(|e| *e > now) {
                    let kid = v.kid(&k.name, &current.version);
                    list.push(item(
                        exp,
                        format!("Key '{}' in '{}' expires (current version)", k.name, v.name),
                        "KeyExpiry",
                        kid,
                    ));
                }
            }
        }
        let keys = self.key_access();
        for (policy, link) in &self.pp.links {
            if link.environments.is_empty() {
                continue;
            }
            let Ok(current) = keys.current_version(policy) else { continue };
            let stale = link
                .environments
                .iter()
                .filter_map(|id| self.pp.environments.get(id))
                .any(|e| e.key_version().is_some_and(|kid| !kid.eq_ignore_ascii_case(&current.kid)));
            let at = current.created.plus(crate::powerplatform::encryption::PICKUP_DELAY);
            if stale && at >= now {
                let name = keys.policy(policy).map(|p| p.name).unwrap_or_default();
                list.push(item(
                    at,
                    format!("Environments of policy '{name}' start picking up the new key version (within 24 hours)"),
                    "RotationPickup",
                    current.kid,
                ));
            }
        }
        soonest_first(&mut list);
        list
    }

    /// `sim clock show`'s list: when, and what.
    pub fn pending_view(&self) -> Vec<PendingLine> {
        self.pending().iter().map(PendingLine::from).collect()
    }

    /// Moves the clock to `to` (never back), processing every due event of both sides in time
    /// order; an event's effects happen at its own time.
    ///
    /// At most `MAX_EVENTS_PER_ADVANCE` events run in one call: past that the clock stops at the
    /// last event run (never beyond an event still due) and the answer is `false`; calling again
    /// goes on.
    pub fn advance(&mut self, to: SimTime, rng: &mut dyn CryptoRngCore) -> bool {
        self.advance_capped(to, rng, MAX_EVENTS_PER_ADVANCE)
    }

    /// `sim clock advance`: moves the clock by `by` and reports what happened on the way.
    pub(super) fn advance_clock(&mut self, by: SimDuration, rng: &mut dyn CryptoRngCore) -> Outcome {
        let from = self.log.len();
        let to = self.now.plus(by);
        self.advance(to, rng);
        self.clock_report(from, self.stopped_early(to))
    }

    /// `sim clock run`: moves the clock until no operation is in progress, at most
    /// `RUN_CLOCK_LIMIT` ahead.
    pub(super) fn run_clock(&mut self, rng: &mut dyn CryptoRngCore) -> Outcome {
        let from = self.log.len();
        let limit = self.now.plus(RUN_CLOCK_LIMIT);
        while self.pp.operations_in_progress() > 0 {
            let Some(next) = self.pp.next_operation_time().filter(|t| *t <= limit) else { break };
            if !self.advance(next, rng) {
                let stopped = self.stopped_early(next);
                return self.clock_report(from, stopped);
            }
        }
        self.clock_report(from, None)
    }

    /// What a clock command says when it stopped at the events limit.
    pub(super) fn stopped_early(&self, to: SimTime) -> Option<String> {
        (self.now < to).then(|| {
            format!(
                "Stopped at {} after {MAX_EVENTS_PER_ADVANCE} events, the most one advance runs; {} is still ahead: advance again to go on.",
                self.now.words(), to.words()
            )
        })
    }

    /// The earliest pending event, if any.
    pub fn next_event_time(&self) -> Option<SimTime> {
        self.next_due().map(|(at, _)| at)
    }

    /// The earliest event of either side. On a tie the order is fixed: queued events (Azure's,
    /// then Power Platform's), the health check, then rotation policies.
    pub(super) fn next_due(&self) -> Option<(SimTime, Due)> {
        let mut best: Option<(SimTime, Due)> = None;
        let mut offer = |candidate: Option<(SimTime, Due)>| {
            if let Some((at, due)) = candidate {
                if best.as_ref().is_none_or(|(b, _)| at < *b) {
                    best = Some((at, due));
                }
            }
        };
        offer(self.azure.next_queued().map(|(at, i)| (at, Due::AzureQueued(i))));
        offer(self.pp.next_queued().map(|(at, i)| (at, Due::PowerPlatformQueued(i))));
        offer(self.pp.next_health_check().map(|at| (at, Due::HealthCheck)));
        offer(self.azure.next_key_due().map(|(at, due)| (at, Due::Key(due))));
        best
    }

    pub(super) fn run(&mut self, due: Due, rng: &mut dyn CryptoRngCore) {
        let now = self.now;
        match due {
            Due::AzureQueued(place) => self.azure.run_queued(place, now, &mut self.log),
            Due::Key(due) => self.azure.run_key_due(due, now, &mut self.log, rng),
            Due::PowerPlatformQueued(place) => self.with_pp(rng, |pp, cx| pp.run_queued(place, cx)),
            Due::HealthCheck => self.with_pp(rng, |pp, cx| pp.health_check(cx)),
        }
    }
}

/// Soonest first; what falls due at the same time keeps its order (one sort for both lists).
fn soonest_first(list: &mut [PendingOperation]) {
    list.sort_by_key(|p| SimTime::parse_iso(&p.at).map(SimTime::unix).unwrap_or(u64::MAX));
}
