//! What if?: a command run on a copy of the world, whose clock then moves ahead; the report
//! says what would lock, be deleted, become unrestorable or turn Unhealthy.

use super::*;

impl World {
    /// What `command` would do, found on a copy of the world: the copy runs it as `actor`, then
    /// its clock moves `horizon` ahead. `self` is untouched (SPEC LOCK-1, LOCK-3, ROT-2, EP-8).
    pub fn what_if(
        &self,
        actor: &str,
        command: Command,
        horizon: SimDuration,
        rng: &mut dyn CryptoRngCore,
    ) -> WhatIfView {
        let mut copy = self.clone();
        let from = copy.log.len();
        let now = self.now;
        let result = copy.execute(actor, command, now, rng).err().map(|e| ErrorView::of(&e));
        let healthy = |w: &World, p: &EnterprisePolicy| w.azure.policy_key(p, w.now).is_ok();
        let unhealthy_policies = copy
            .azure
            .policies
            .values()
            .filter(|p| {
                !healthy(&copy, p) && self.azure.policy_by_id(&p.id()).is_some_and(|before| healthy(self, before))
            })
            .map(|p| ConsequenceView {
                at: now.to_iso(),
                name: p.name.clone(),
                detail: copy
                    .azure
                    .policy_key(p, now)
                    .err()
                    // Plain words with the code: the message itself is the lock's detail.
                    .map(|e| match crate::error::key_access_in_words(e.code().as_str()) {
                        Some(words) => format!("{}: {words}", e.code()),
                        None => format!("{}: {}", e.code(), e.message()),
                    })
                    .unwrap_or_default(),
            })
            .collect();
        let blocked = |w: &World| -> Vec<(String, String, String)> {
            let keys = w.key_access();
            w.pp.environments
                .keys()
                .filter_map(|id| w.pp.env_detail(&keys, id).ok())
                .flat_map(|d| {
                    let env = d.summary.name.clone();
                    d.backup_list.into_iter().filter_map(move |b| {
                        b.restore_blocked.map(|r| (env.clone(), b.label.clone(), format!("{}: {}", r.code, r.message)))
                    })
                })
                .collect()
        };
        let before_blocked = blocked(self);
        let unrestorable_backups = blocked(&copy)
            .into_iter()
            .filter(|x| !before_blocked.iter().any(|b| b.0 == x.0 && b.1 == x.1))
            .map(|(env, label, why)| ConsequenceView { at: now.to_iso(), name: format!("{env}: {label}"), detail: why })
            .collect();
        copy.advance(now.plus(horizon), rng);
        let events: Vec<Activity> = copy.log.since(from).to_vec();
        let name_of = |id: &str| copy.pp.environments.get(id).map(|e| e.name.clone()).unwrap_or_else(|| id.into());
        let pick = |kind: &str| -> Vec<ConsequenceView> {
            events
                .iter()
                .filter(|a| a.kind == kind)
                .map(|a| ConsequenceView { at: a.at.clone(), name: name_of(&a.resource), detail: a.message.clone() })
                .collect()
        };
        WhatIfView {
            result,
            until: copy.now.to_iso(),
            unhealthy_policies,
            unrestorable_backups,
            locks: pick("EnvironmentLocked"),
            deletions: pick("EnvironmentDeleted"),
            events,
        }
    }
}
