//! The world: both clouds and the clock behind one door. [`World::execute`] checks who acts
//! and dispatches each command to the side that owns it; [`World::advance`] runs what falls
//! due on either side in time order; [`World::view`] projects what the signed-in persona sees.
//! The Power Platform side gets at keys only through [`PolicyIdentity`], the world's bridge
//! from [`KeyAccess`] to Key Vault's trusted-service path.

pub(crate) mod activity;
mod admin_api;
mod clock;
mod dispatch;
mod hierarchy;
mod identity;
mod projection;
mod what_if;

pub use crate::view::ClockReport;
pub use hierarchy::tree_without_policy;
pub use identity::PolicyIdentity;

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use rand_core::CryptoRngCore;
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::azure::directory::{EntraRole, User};
use crate::azure::policy::EnterprisePolicy;
use crate::azure::schedule::KeyDue;
use crate::azure::Azure;
use crate::command::Command;
use crate::error::{Error, ErrorCode};
use crate::powerplatform::environment::Service;
use crate::powerplatform::{Ctx, KeyAccess, KeyVersionInfo, PolicyInfo, PowerPlatform};
use crate::sim::Log;
use crate::time::{SimDuration, SimTime};
use crate::view::*;

/// The simulated cloud. Same commands, times and RNG ⇒ same world, byte for byte.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct World {
    pub(crate) now: SimTime,
    pub(crate) azure: Azure,
    #[serde(rename = "powerPlatform")]
    pub(crate) pp: PowerPlatform,
    /// What happened on its own: rotations, expiry notices, purges, locks (oldest first).
    pub(crate) log: Log,
    /// Counts changes, so hosts save only when something changed. Not saved.
    #[serde(skip)]
    revision: u64,
}

/// Two worlds are equal when their state is: the revision counts a host's changes, not state.
impl PartialEq for World {
    fn eq(&self, other: &Self) -> bool {
        self.now == other.now && self.azure == other.azure && self.pp == other.pp && self.log == other.log
    }
}

impl Eq for World {}

impl Default for World {
    fn default() -> Self {
        Self::new()
    }
}

/// A bound on events in one advance, so a bug can never hang the page.
const MAX_EVENTS_PER_ADVANCE: usize = 100_000;

/// How far `sim clock run` (Run until idle) moves the clock at most.
pub const RUN_CLOCK_LIMIT: SimDuration = SimDuration::days(30);

/// What falls due next, on either side.
#[derive(Debug)]
enum Due {
    AzureQueued(usize),
    PowerPlatformQueued(usize),
    HealthCheck,
    Key(KeyDue),
}

impl World {
    /// A command's label as this world makes it read: Create key on a key that exists is the
    /// portal's + New Version ("Create a new version of key 'cmk' in 'kv'"), not a new key.
    pub fn label_of(&self, command: &Command) -> String {
        if let Command::CreateKey(k) = command {
            if self.azure.vault(&k.vault).is_ok_and(|v| v.keys.contains_key(&k.name)) {
                return alloc::format!("Create a new version of key '{}' in '{}'", k.name, k.vault);
            }
        }
        command.label()
    }

    /// A copy of the world with no environments (what the store's meta part holds).
    pub(crate) fn without_environments(&self) -> World {
        World {
            now: self.now,
            azure: self.azure.clone(),
            pp: self.pp.without_environments(),
            log: self.log.clone(),
            revision: self.revision,
        }
    }

    /// A new world at 2026-01-01T00:00:00Z: tenant contoso, one subscription, the four personas,
    /// Gus, Kai and Mallory Owners of the subscription, signed in as Gus.
    pub fn new() -> Self {
        Self {
            now: SimTime::GENESIS,
            azure: Azure::new(),
            pp: PowerPlatform::default(),
            log: Log::default(),
            revision: 0,
        }
    }

    pub fn now(&self) -> SimTime {
        self.now
    }

    /// Goes up by one or more whenever the world changes (a command that changed something, or
    /// the clock moving). Hosts compare it to decide whether to save.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// For a host that rebuilt the world (undo): the revision must still move forward.
    pub(crate) fn set_revision(&mut self, revision: u64) {
        self.revision = revision;
    }

    /// The object id of the signed-in persona (what hosts pass as `actor`).
    pub fn signed_in(&self) -> &str {
        self.azure.signed_in()
    }

    pub fn user_by_upn(&self, upn: &str) -> Option<&User> {
        self.azure.user_by_upn(upn)
    }

    /// Finds an enterprise policy by ARM id or name.
    pub fn find_policy(&self, name_or_id: &str) -> Option<&EnterprisePolicy> {
        self.azure.find_policy(name_or_id)
    }

    /// The activity log, oldest first.
    pub fn activity(&self) -> &Log {
        &self.log
    }

    /// The key access the Power Platform side has at the current time.
    fn key_access(&self) -> PolicyIdentity<'_> {
        PolicyIdentity { azure: &self.azure, now: self.now }
    }

    /// Decrypts every record of a table; the row count and the SHA-256 of the plaintexts.
    pub fn read_table(&self, env: &str, service: Service, table: &str) -> Result<(usize, String), Error> {
        self.pp.read_table(&self.key_access(), env, service, table)
    }

    /// The one entry point for change. `actor` is the object id of the person acting; `now` is
    /// the simulated time of the command (the clock advances to it first, running what falls
    /// due). A command that fails changes nothing.
    pub fn execute(
        &mut self,
        actor: &str,
        command: Command,
        now: SimTime,
        rng: &mut dyn CryptoRngCore,
    ) -> Result<Outcome, Error> {
        if now < self.now {
            return Err(Error::new(
                ErrorCode::TimeMovesForward,
                format!("The clock is at {} and cannot go back to {}.", self.now.words(), now.words()),
            ));
        }
        self.advance(now, rng);
        let actor = self.azure.user(actor)?.object_id.clone();
        let changes = command.changes_world();
        let operation = if changes { self.arm_operation(&command) } else { None };
        let result = self.dispatch(&actor, command, rng);
        if let Ok(outcome) = &result {
            if changes {
                self.revision += 1;
            }
            if let Some(op) = operation {
                self.record_operation(&actor, op, outcome);
            }
        }
        result
    }

    /// SPEC AUTH-2: the admin center needs an Entra role that administers Power Platform.
    pub(crate) fn require_pp_admin(&self, actor: &str) -> Result<(), Error> {
        let user = self.azure.user(actor)?;
        let ok = user.entra_roles.iter().any(|r| {
            matches!(
                r,
                EntraRole::GlobalAdministrator
                    | EntraRole::PowerPlatformAdministrator
                    | EntraRole::Dynamics365Administrator
            )
        });
        if ok {
            return Ok(());
        }
        Err(Error::new(
            ErrorCode::PowerPlatformAdminRequired,
            format!("'{}' has no Power Platform administration role. The Power Platform admin center needs Global Administrator, Power Platform Administrator or Dynamics 365 Administrator in Entra ID.", user.upn),
        ))
    }

    // ----- the clock -----

    pub(crate) fn advance_capped(&mut self, to: SimTime, rng: &mut dyn CryptoRngCore, cap: usize) -> bool {
        let start = self.now;
        let mut ran = 0;
        let complete = loop {
            match self.next_due() {
                Some((at, due)) if at <= to => {
                    if ran == cap {
                        break false;
                    }
                    self.now = self.now.max(at);
                    self.run(due, rng);
                    self.revision += 1;
                    ran += 1;
                }
                _ => break true,
            }
        };
        if complete {
            self.now = self.now.max(to);
        }
        if self.now != start {
            self.revision += 1;
        }
        complete
    }

    // ----- the page's projection -----
}
