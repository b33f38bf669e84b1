//! What the outside sees: results shaped like the real services' JSON, and the `View` the page
//! renders. Nothing here carries private key material.

use alloc::rc::Rc;
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

/// Declares [`View`] once, and from the same list [`ViewPatch`]: the fields that changed.
macro_rules! view {
    (
        $($(#[$pattr:meta])* $plain:ident: $pty:ty,)*
        ;
        $($(#[$attr:meta])* $field:ident: $ty:ty,)*
    ) => {
        /// Everything the page shows, as the signed-in persona may see it.
        #[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
        #[serde(rename_all = "camelCase")]
        pub struct View {
            $($(#[$pattr])* pub $plain: $pty,)*
            $($(#[$attr])* pub $field: Rc<$ty>,)*
        }

        /// A [`View`] as the world projects it, before its parts are shared.
        #[derive(Debug, Default)]
        pub struct ViewParts {
            $(pub $plain: $pty,)*
            $(pub $field: $ty,)*
        }

        impl From<ViewParts> for View {
            fn from(parts: ViewParts) -> Self {
                Self { $($plain: parts.$plain,)* $($field: Rc::new(parts.$field),)* }
            }
        }

        /// What changed in a [`View`] since the one a page last got: the worker sends this after
        /// each request instead of the whole view (on a world of 50 environments the page spent
        /// most of a round trip reading fields that had not changed). Whole, it is the view.
        /// The parts are shared (`Rc`): taking in a patch copies no unchanged part.
        #[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
        #[serde(rename_all = "camelCase")]
        pub struct ViewPatch {
            $(#[serde(default, skip_serializing_if = "Option::is_none")]
            pub $plain: Option<$pty>,)*
            $(#[serde(default, skip_serializing_if = "Option::is_none")]
            pub $field: Option<Rc<$ty>>,)*
        }

        impl View {
            /// Makes this view (the one a page holds) `now`, and answers what changed.
            pub fn patch_to(&mut self, now: View) -> ViewPatch {
                let mut patch = ViewPatch::default();
                $(if self.$plain != now.$plain {
                    patch.$plain = Some(now.$plain.clone());
                    self.$plain = now.$plain;
                })*
                $(if self.$field != now.$field {
                    patch.$field = Some(now.$field.clone());
                    self.$field = now.$field;
                })*
                patch
            }

            /// Takes in what changed.
            pub fn apply(&mut self, patch: ViewPatch) {
                $(if let Some(value) = patch.$plain {
                    self.$plain = value;
                })*
                $(if let Some(value) = patch.$field {
                    self.$field = value;
                })*
            }
        }

        impl ViewPatch {
            /// Nothing changed.
            pub fn is_empty(&self) -> bool {
                true $(&& self.$plain.is_none())* $(&& self.$field.is_none())*
            }
        }

        impl From<View> for ViewPatch {
            fn from(view: View) -> Self {
                Self { $($plain: Some(view.$plain),)* $($field: Some(view.$field),)* }
            }
        }
    };
}

view! {
    now: String,
    tenant_domain: String,
    #[serde(default)]
    tenant_id: String,
    subscription_id: String,
    subscription_name: String,
    ;
    signed_in: UserView,
    personas: Vec<UserView>,
    registered_providers: Vec<String>,
    resource_groups: Vec<ResourceGroupView>,
    vaults: Vec<VaultListing>,
    role_assignments: Vec<RoleAssignmentView>,
    /// Enterprise policies the persona can read, as `az resource show` shows them.
    policies: Vec<PolicyView>,
    /// The newest things that happened on their own (rotations, notices, purges), newest first.
    activity: Vec<Activity>,
    /// Environments, for a persona with a Power Platform admin role: `pp env show` and more.
    environments: Vec<EnvironmentDetail>,
    /// Operations waiting for the clock, soonest first.
    pending: Vec<PendingOperation>,
    /// Everything the clock will do, soonest first: `pending`, and the next health check, key
    /// rotations and expiries, rotation pickups (the clock bar's list and timeline).
    #[serde(default)]
    upcoming: Vec<PendingOperation>,
    /// Enterprise policies as the admin center lists them, for a persona with a Power Platform
    /// admin role: every policy, whether or not the persona may read it in Azure (SPEC AUTH-7).
    #[serde(default)]
    admin_policies: Vec<AdminPolicyView>,
    /// Soft-deleted vaults (Manage deleted vaults), for a persona who may read them.
    #[serde(default)]
    deleted_vaults: Vec<DeletedItemView>,
    /// The deployments of the resource groups whose deployments the persona may read, oldest
    /// first, each with the template it deployed (a resource group's Deployments blade).
    #[serde(default)]
    deployments: Vec<DeploymentEntry>,
    /// Azure's activity log as the persona may read it, newest first (90 days).
    #[serde(default)]
    operations: Vec<Operation>,
    /// Each enterprise policy's key hierarchy as the services see it (the playground's diagram).
    #[serde(default)]
    key_trees: Vec<KeyTreeView>,
    /// The playground session: its script, undo, and the guided scenario in progress (filled by
    /// the session; a bare world's view leaves it empty).
    #[serde(default)]
    session: SessionView,
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
