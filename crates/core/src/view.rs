//! What the outside sees: results shaped like the real services' JSON, and the `View` the page
//! renders. Nothing here carries private key material.

use alloc::string::String;
use alloc::vec::Vec;

use serde::{Deserialize, Serialize};

use crate::error::Error;
pub use crate::sim::{Activity, Operation};

mod azure;
mod playground;
mod ppac;

pub use azure::*;
pub use playground::*;
pub use ppac::*;

/// Declares [`Outcome`] once, and from the same list its tagged twin [`tagged`].
macro_rules! outcomes {
    ($($(#[$doc:meta])* $variant:ident($ty:ty),)*) => {
        /// The result of a successful command, serialized as the real service would answer.
        #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
        #[serde(untagged)]
        pub enum Outcome {
            $($(#[$doc])* $variant($ty),)*
        }

        /// An [`Outcome`] that keeps its variant's name: untagged, it serializes as the service's
        /// JSON, and read back it would become the first variant that fits. Where the variant
        /// must survive (the worker's answers to the page), `#[serde(with = "…::tagged")]`.
        pub mod tagged {
            use super::*;

            #[derive(Serialize, Deserialize)]
            #[serde(remote = "Outcome")]
            enum Tagged {
                $($variant($ty),)*
            }

            pub fn serialize<S: serde::Serializer>(outcome: &Outcome, s: S) -> Result<S::Ok, S::Error> {
                Tagged::serialize(outcome, s)
            }

            pub fn deserialize<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Outcome, D::Error> {
                Tagged::deserialize(d)
            }
        }
    };
}

outcomes! {
    User(UserView),
    ResourceGroup(ResourceGroupView),
    Vault(VaultView),
    Key(KeyBundle),
    RoleAssignment(RoleAssignmentView),
    Policy(PolicyView),
    Environment(EnvironmentView),
    KeyOperation(KeyOperationResult),
    /// `az deployment group create`.
    Deployment(DeploymentView),
    /// `sim clock advance` / `run`: the time, what is waiting, what happened.
    Clock(ClockReport),
    /// Restore or copy targets, each refused one with the core's reason.
    Targets(Vec<CandidateView>),
    Rows(RowsInserted),
    TableRead(TableRead),
    /// Any other service answer, already in the service's JSON shape.
    Json(serde_json::Value),
}

/// A resource's tags (SPEC KV-14): kept and shown, never acted on.
pub type Tags = alloc::collections::BTreeMap<String, String>;

/// Everything the page shows, as the signed-in persona may see it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct View {
    pub now: String,
    pub tenant_domain: String,
    #[serde(default)]
    pub tenant_id: String,
    pub signed_in: UserView,
    pub personas: Vec<UserView>,
    pub subscription_id: String,
    pub subscription_name: String,
    pub registered_providers: Vec<String>,
    pub resource_groups: Vec<ResourceGroupView>,
    pub vaults: Vec<VaultListing>,
    pub role_assignments: Vec<RoleAssignmentView>,
    /// Enterprise policies the persona can read, as `az resource show` shows them.
    pub policies: Vec<PolicyView>,
    /// The newest things that happened on their own (rotations, notices, purges), newest first.
    pub activity: Vec<Activity>,
    /// Environments, for a persona with a Power Platform admin role: `pp env show` and more.
    pub environments: Vec<EnvironmentDetail>,
    /// Operations waiting for the clock, soonest first.
    pub pending: Vec<PendingOperation>,
    /// Everything the clock will do, soonest first: `pending`, and the next health check, key
    /// rotations and expiries, rotation pickups (the clock bar's list and timeline).
    #[serde(default)]
    pub upcoming: Vec<PendingOperation>,
    /// Enterprise policies as the admin center lists them, for a persona with a Power Platform
    /// admin role: every policy, whether or not the persona may read it in Azure (SPEC AUTH-7).
    #[serde(default)]
    pub admin_policies: Vec<AdminPolicyView>,
    /// Soft-deleted vaults (Manage deleted vaults), for a persona who may read them.
    #[serde(default)]
    pub deleted_vaults: Vec<DeletedItemView>,
    /// The deployments of the resource groups whose deployments the persona may read, oldest
    /// first, each with the template it deployed (a resource group's Deployments blade).
    #[serde(default)]
    pub deployments: Vec<DeploymentEntry>,
    /// Azure's activity log as the persona may read it, newest first (90 days).
    #[serde(default)]
    pub operations: Vec<Operation>,
    /// Each enterprise policy's key hierarchy as the services see it (the playground's diagram).
    #[serde(default)]
    pub key_trees: Vec<KeyTreeView>,
    /// The playground session: its script, undo, and the guided scenario in progress (filled by
    /// the session; a bare world's view leaves it empty).
    #[serde(default)]
    pub session: SessionView,
}

/// A deployment of a resource group's history, as ARM answers it, and its template's text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeploymentEntry {
    pub resource_group: String,
    pub deployment: DeploymentView,
    pub template: String,
}

impl View {
    /// A vault (or Managed HSM) the persona can see, by name, as Azure matches names.
    pub fn vault(&self, name: &str) -> Option<&VaultListing> {
        self.vaults.iter().find(|l| l.vault.name.eq_ignore_ascii_case(name))
    }
}

/// An error as services put it inside a resource: `{"code", "message"}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorView {
    pub code: String,
    pub message: String,
}

impl ErrorView {
    pub fn of(e: &Error) -> Self {
        Self { code: e.code().as_str().into(), message: e.message().into() }
    }
}
