//! The Power Platform side: environments and their storage services with really encrypted
//! records, encryption operations on the clock (apply, revert, rotation pickup), the hourly
//! health check that locks and the deadline that deletes, backups, restore, copy and reset. It
//! knows nobody's roles and no vault: keys are reached only through [`KeyAccess`].

pub mod access;
pub mod backup;
pub mod encryption;
pub mod environment;
pub mod schedule;

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;

use serde::{Deserialize, Serialize};

pub use access::{Ctx, KeyAccess, KeyVersionInfo, PolicyInfo};
use environment::Environment;

use crate::key_material::{KeyMaterial, SecretBytes};
use crate::sim::Queue;
use crate::time::SimTime;

/// What Power Platform keeps about an enterprise policy it uses.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyLink {
    /// Environment ids linked to the policy, in the order they were added (SPEC EP-6).
    pub environments: Vec<String>,
    /// Expiry warnings already given (`{version}:{days}`), so each is given once (SPEC ROT-3).
    pub expiry_warnings: Vec<String>,
}

/// Everything Power Platform holds.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PowerPlatform {
    /// Environments by id.
    pub(crate) environments: BTreeMap<String, Environment>,
    /// Microsoft's internal key (made on first use).
    pub(crate) microsoft_key: Option<SecretBytes>,
    /// The tenant's legacy bring-your-own-key key (made on first use).
    pub(crate) tenant_byok_key: Option<KeyMaterial>,
    pub(crate) last_health_check: Option<SimTime>,
    pub(crate) job_counter: u64,
    /// Policies in use, by lower-cased ARM id.
    pub(crate) links: BTreeMap<String, PolicyLink>,
    /// One-shot events waiting for the clock (encryption steps, deletions of locked environments).
    pub(crate) queue: Queue<schedule::Event>,
}

impl PowerPlatform {
    /// A copy with no environments (every field named, so a new one is not forgotten).
    pub(crate) fn without_environments(&self) -> PowerPlatform {
        PowerPlatform {
            environments: BTreeMap::new(),
            microsoft_key: self.microsoft_key.clone(),
            tenant_byok_key: self.tenant_byok_key.clone(),
            last_health_check: self.last_health_check,
            job_counter: self.job_counter,
            links: self.links.clone(),
            queue: self.queue.clone(),
        }
    }

    /// The environments linked to a policy (by lower-cased id).
    pub fn linked(&self, policy: &str) -> &[String] {
        self.links.get(policy).map(|l| l.environments.as_slice()).unwrap_or_default()
    }

    /// Forgets what was kept about a policy that was redeployed or deleted (it has no
    /// environments then).
    pub(crate) fn forget_policy(&mut self, policy: &str) {
        if self.links.get(policy).is_some_and(|l| l.environments.is_empty()) {
            self.links.remove(policy);
        }
    }
}
