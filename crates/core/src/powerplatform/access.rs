//! The one way the Power Platform side reaches keys: as an enterprise policy's managed identity
//! would, through Key Vault, over the network. The world implements it on top of the Azure side;
//! tests can plug in a fake.

use alloc::string::String;
use alloc::vec::Vec;

use rand_core::CryptoRngCore;
use zeroize::Zeroizing;

use crate::error::Error;
use crate::sim::Log;
use crate::time::SimTime;

/// An enterprise policy as the Power Platform service knows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyInfo {
    /// The lower-cased ARM id: how environments refer to it.
    pub key: String,
    /// The ARM id as deployed.
    pub id: String,
    pub name: String,
    /// Its Power Platform region (SPEC EP-3).
    pub location: String,
    /// The object id of its system-assigned managed identity (SPEC EP-4).
    pub identity: String,
    /// Which key it names: the lower-cased vault id and key name (what "the same key" means for
    /// DB-2 and DB-3).
    pub key_ref: (String, String),
}

/// A key version as seen through a policy: its kid and dates.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyVersionInfo {
    pub kid: String,
    pub created: SimTime,
    pub expires: Option<SimTime>,
}

/// What Power Platform may ask of Key Vault. Every call is checked as the policy's identity
/// would be checked right now: network (trusted-services exception), permission (RBAC role or
/// access policy), key enabled, dates.
pub trait KeyAccess {
    /// A policy by ARM id or name.
    fn policy(&self, name_or_id: &str) -> Option<PolicyInfo>;
    /// The version the policy (by `PolicyInfo::key`) would wrap with now.
    fn current_version(&self, policy: &str) -> Result<KeyVersionInfo, Error>;
    /// Whether the policy's vault and key may back a customer-managed key at all (SPEC KV-3, KV-4).
    fn eligible(&self, policy: &str) -> Result<(), Error>;
    /// Wraps a data key with the policy's current version (RSA-OAEP-256): the kid and the blob.
    fn wrap(&self, policy: &str, dek: &[u8], rng: &mut dyn CryptoRngCore) -> Result<(String, Vec<u8>), Error>;
    /// Whether `identity` can still unwrap with the version `kid` names (SPEC LOCK-1, ROT-2).
    fn check(&self, identity: &str, kid: &str) -> Result<(), Error>;
    /// Unwraps a data key with the version `kid` names, as `identity`.
    fn unwrap(&self, identity: &str, kid: &str, blob: &[u8]) -> Result<Zeroizing<Vec<u8>>, Error>;
}

/// What a Power Platform operation runs with: the time, the activity log, the way to keys, and
/// the randomness for nonces and data keys.
pub struct Ctx<'a> {
    pub now: SimTime,
    pub log: &'a mut Log,
    pub keys: &'a dyn KeyAccess,
    pub rng: &'a mut dyn CryptoRngCore,
}

impl Ctx<'_> {
    pub fn record(&mut self, kind: &str, resource: &str, message: String) {
        self.log.record(self.now, kind, resource, message);
    }
}

impl core::fmt::Debug for Ctx<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Ctx").field("now", &self.now).finish_non_exhaustive()
    }
}
