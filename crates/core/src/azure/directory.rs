//! The Entra ID directory: the tenant, its users and their Entra (directory) roles. SPEC AUTH-1, AUTH-2.

use alloc::format;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

use serde::{Deserialize, Serialize};

use crate::azure::Azure;
use crate::error::{Error, ErrorCode};
use crate::view::{Outcome, UserView};

/// Entra roles that matter for Power Platform administration (SPEC AUTH-2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum EntraRole {
    #[serde(rename = "Global Administrator")]
    GlobalAdministrator,
    #[serde(rename = "Power Platform Administrator")]
    PowerPlatformAdministrator,
    #[serde(rename = "Dynamics 365 Administrator")]
    Dynamics365Administrator,
}

impl EntraRole {
    pub fn display_name(self) -> &'static str {
        match self {
            Self::GlobalAdministrator => "Global Administrator",
            Self::PowerPlatformAdministrator => "Power Platform Administrator",
            Self::Dynamics365Administrator => "Dynamics 365 Administrator",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    /// Object id (GUID), the principal id RBAC assignments name.
    pub object_id: String,
    pub upn: String,
    pub display_name: String,
    /// A one-line description of what this persona is for, shown in the persona switcher.
    pub description: String,
    pub entra_roles: Vec<EntraRole>,
}

/// A system-assigned managed identity (SPEC AUTH-1): one per enterprise policy, created with it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManagedIdentity {
    pub object_id: String,
    /// The resource it belongs to (its name is the resource's name).
    pub resource_id: String,
    pub display_name: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tenant {
    pub id: String,
    pub domain: String,
}

/// The tenant every new world starts with.
pub fn contoso() -> Tenant {
    Tenant { id: "72f988bf-0000-4c1e-9a3f-000000c0b7a1".into(), domain: "contoso.onmicrosoft.com".into() }
}

/// The four personas of the playground (SPEC PG-2). Their Azure RBAC roles are assigned by the world.
pub fn personas() -> Vec<User> {
    let user = |oid: &str, name: &str, display: &str, description: &str, roles: Vec<EntraRole>| User {
        object_id: oid.into(),
        upn: alloc::format!("{name}@contoso.onmicrosoft.com"),
        display_name: display.into(),
        description: description.into(),
        entra_roles: roles,
    };
    vec![
        user(
            "3b1f6c2e-8d4a-4f0e-9c71-5a2d8e6f0a01",
            "gus",
            "Gus Global",
            "Global Administrator; Owner of the subscription",
            vec![EntraRole::GlobalAdministrator],
        ),
        user(
            "9e4d2a7b-1c3f-4b8a-a6e2-7f0c5d9b1e02",
            "kai",
            "Kai Keys",
            "Key Vault admin: Owner of the subscription, no Power Platform role",
            vec![],
        ),
        user(
            "5c8a0e3d-6b2f-4d71-8e94-2b7a1f4c6d03",
            "priya",
            "Priya Platform",
            "Power Platform Administrator, no Azure role",
            vec![EntraRole::PowerPlatformAdministrator],
        ),
        user(
            "d0a7f5e1-4e9c-4a36-b2d8-8c1e3a5f7b04",
            "mallory",
            "Mallory Malicious",
            "Key Vault admin, like Kai, with bad intentions",
            vec![],
        ),
    ]
}

impl Azure {
    pub(crate) fn sign_in(&mut self, upn: &str) -> Result<Outcome, Error> {
        let user = self.user_by_upn(upn).ok_or_else(|| {
            Error::new(ErrorCode::PrincipalNotFound, format!("There is no user '{upn}' in {}.", self.tenant.domain))
        })?;
        let view = self.user_view(user);
        self.signed_in = view.id.clone();
        Ok(Outcome::User(view))
    }

    pub(crate) fn user_view(&self, u: &User) -> UserView {
        UserView {
            id: u.object_id.clone(),
            user_principal_name: u.upn.clone(),
            display_name: u.display_name.clone(),
            description: u.description.clone(),
            entra_roles: u.entra_roles.iter().map(|r| r.display_name().into()).collect(),
            azure_roles: self.assignments_of(&u.object_id).map(|a| format!("{} @ {}", a.role, a.scope)).collect(),
        }
    }
}
