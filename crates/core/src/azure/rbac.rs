//! Azure RBAC: built-in role definitions and the Managed HSM local roles, assignments at a scope,
//! and the inheritance check. SPEC AUTH-3, KV-11.

use alloc::string::String;

use serde::{Deserialize, Serialize};

/// A built-in role: its name, its GUID, and the actions and data actions it grants.
#[derive(Debug)]
pub struct RoleDefinition {
    pub name: &'static str,
    /// The built-in role's definition id (the same GUID in every tenant).
    pub id: &'static str,
    pub actions: &'static [&'static str],
    pub not_actions: &'static [&'static str],
    pub data_actions: &'static [&'static str],
}

/// The control-plane actions every Key Vault data role carries (reading the vault and its
/// deployments); the roles differ in their data actions.
const KEY_VAULT_DATA_ROLE_ACTIONS: &[&str] = &[
    "Microsoft.Authorization/*/read",
    "Microsoft.Resources/deployments/*",
    "Microsoft.Resources/subscriptions/resourceGroups/read",
    "Microsoft.KeyVault/checkNameAvailability/read",
    "Microsoft.KeyVault/deletedVaults/read",
    "Microsoft.KeyVault/locations/*/read",
    "Microsoft.KeyVault/vaults/*/read",
    "Microsoft.KeyVault/operations/read",
];

/// The built-in roles the playground knows, with the actions Azure documents for them.
pub static BUILTIN_ROLES: &[RoleDefinition] = &[
    RoleDefinition {
        name: "Owner",
        id: "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
        actions: &["*"],
        not_actions: &[],
        data_actions: &[],
    },
    RoleDefinition {
        name: "Contributor",
        id: "b24988ac-6180-42a0-ab88-20f7382dd24c",
        actions: &["*"],
        not_actions: &[
            "Microsoft.Authorization/*/Delete",
            "Microsoft.Authorization/*/Write",
            "Microsoft.Authorization/elevateAccess/Action",
        ],
        data_actions: &[],
    },
    RoleDefinition {
        name: "Reader",
        id: "acdd72a7-3385-48ef-bd42-f606fba81ae7",
        actions: &["*/read"],
        not_actions: &[],
        data_actions: &[],
    },
    RoleDefinition {
        name: "User Access Administrator",
        id: "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9",
        actions: &["*/read", "Microsoft.Authorization/*", "Microsoft.Support/*"],
        not_actions: &[],
        data_actions: &[],
    },
    RoleDefinition {
        name: "Key Vault Administrator",
        id: "00482a5a-887f-4fb3-b363-3b7fe8e74483",
        actions: KEY_VAULT_DATA_ROLE_ACTIONS,
        not_actions: &[],
        data_actions: &["Microsoft.KeyVault/vaults/*"],
    },
    RoleDefinition {
        name: "Key Vault Crypto Officer",
        id: "14b46e9e-c2b7-41b4-b07b-48a6ebf60603",
        actions: KEY_VAULT_DATA_ROLE_ACTIONS,
        not_actions: &[],
        data_actions: &["Microsoft.KeyVault/vaults/keys/*", "Microsoft.KeyVault/vaults/keyrotationpolicies/*"],
    },
    RoleDefinition {
        name: "Key Vault Crypto User",
        id: "12338af0-0e69-4776-bea7-57ae8d297424",
        actions: &[],
        not_actions: &[],
        data_actions: &[
            "Microsoft.KeyVault/vaults/keys/read",
            "Microsoft.KeyVault/vaults/keys/update/action",
            "Microsoft.KeyVault/vaults/keys/backup/action",
            "Microsoft.KeyVault/vaults/keys/encrypt/action",
            "Microsoft.KeyVault/vaults/keys/decrypt/action",
            "Microsoft.KeyVault/vaults/keys/wrap/action",
            "Microsoft.KeyVault/vaults/keys/unwrap/action",
            "Microsoft.KeyVault/vaults/keys/sign/action",
            "Microsoft.KeyVault/vaults/keys/verify/action",
        ],
    },
    RoleDefinition {
        name: "Key Vault Crypto Service Encryption User",
        id: "e147488a-f6f5-4113-8e2d-b22465e65bf6",
        actions: &[
            "Microsoft.EventGrid/eventSubscriptions/write",
            "Microsoft.EventGrid/eventSubscriptions/read",
            "Microsoft.EventGrid/eventSubscriptions/delete",
        ],
        not_actions: &[],
        data_actions: &[
            "Microsoft.KeyVault/vaults/keys/read",
            "Microsoft.KeyVault/vaults/keys/wrap/action",
            "Microsoft.KeyVault/vaults/keys/unwrap/action",
        ],
    },
    RoleDefinition {
        name: "Key Vault Reader",
        id: "21090545-7ca7-4776-b22c-e363652d74d2",
        actions: KEY_VAULT_DATA_ROLE_ACTIONS,
        not_actions: &[],
        data_actions: &["Microsoft.KeyVault/vaults/*/read", "Microsoft.KeyVault/vaults/secrets/readMetadata/action"],
    },
    RoleDefinition {
        name: "Managed HSM Crypto User",
        id: "21dbd100-6940-42c2-9190-5d6cb909625b",
        actions: &[],
        not_actions: &[],
        data_actions: HSM_CRYPTO_USER_ACTIONS,
    },
];

/// Finds a built-in role by name (case-insensitive) or by definition GUID.
pub fn role_by_name(name: &str) -> Option<&'static RoleDefinition> {
    BUILTIN_ROLES.iter().find(|r| r.name.eq_ignore_ascii_case(name) || r.id.eq_ignore_ascii_case(name))
}

/// The data actions of the Managed HSM Crypto User local role: the HSM enforces them, and the
/// role's entry among the built-in roles shows the same list.
const HSM_CRYPTO_USER_ACTIONS: &[&str] = &[
    "Microsoft.KeyVault/managedHsm/keys/read/action",
    "Microsoft.KeyVault/managedHsm/keys/write/action",
    "Microsoft.KeyVault/managedHsm/keys/create",
    "Microsoft.KeyVault/managedHsm/keys/import/action",
    "Microsoft.KeyVault/managedHsm/keys/delete",
    "Microsoft.KeyVault/managedHsm/keys/deletedKeys/*",
    "Microsoft.KeyVault/managedHsm/keys/encrypt/action",
    "Microsoft.KeyVault/managedHsm/keys/decrypt/action",
    "Microsoft.KeyVault/managedHsm/keys/wrap/action",
    "Microsoft.KeyVault/managedHsm/keys/unwrap/action",
    "Microsoft.KeyVault/managedHsm/keys/sign/action",
    "Microsoft.KeyVault/managedHsm/keys/verify/action",
    "Microsoft.KeyVault/managedHsm/keys/rotate/action",
    "Microsoft.KeyVault/managedHsm/keys/rotationpolicy/*",
];

/// Local roles of a Managed HSM and their data actions.
pub static HSM_LOCAL_ROLES: &[(&str, &[&str])] = &[
    (
        "Managed HSM Administrator",
        &[
            "Microsoft.KeyVault/managedHsm/roleAssignments/*",
            "Microsoft.KeyVault/managedHsm/roleDefinitions/read/action",
            "Microsoft.KeyVault/managedHsm/securitydomain/*",
        ],
    ),
    (
        "Managed HSM Crypto Officer",
        &["Microsoft.KeyVault/managedHsm/keys/*", "Microsoft.KeyVault/managedHsm/roleAssignments/*"],
    ),
    ("Managed HSM Crypto User", HSM_CRYPTO_USER_ACTIONS),
    (
        "Managed HSM Crypto Service Encryption User",
        &[
            "Microsoft.KeyVault/managedHsm/keys/read/action",
            "Microsoft.KeyVault/managedHsm/keys/wrap/action",
            "Microsoft.KeyVault/managedHsm/keys/unwrap/action",
        ],
    ),
];

pub fn hsm_role(name: &str) -> Option<(&'static str, &'static [&'static str])> {
    HSM_LOCAL_ROLES.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).copied()
}

/// One role assignment: `principal` holds `role` at `scope` and everything below it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleAssignment {
    /// GUID name of the assignment resource.
    pub name: String,
    pub principal_id: String,
    pub role: String,
    /// ARM id of the scope, e.g. `/subscriptions/…/resourceGroups/rg`.
    pub scope: String,
}

impl RoleAssignment {
    pub fn definition(&self) -> Option<&'static RoleDefinition> {
        role_by_name(&self.role)
    }
    /// The assignment's ARM id.
    pub fn id(&self) -> String {
        alloc::format!("{}/providers/Microsoft.Authorization/roleAssignments/{}", self.scope, self.name)
    }
}

/// Whether `scope` covers `resource`: equal, or an ancestor in the ARM id path (case-insensitive).
pub fn scope_covers(scope: &str, resource: &str) -> bool {
    let scope = scope.trim_end_matches('/');
    resource.len() >= scope.len()
        && resource.is_char_boundary(scope.len())
        && resource[..scope.len()].eq_ignore_ascii_case(scope)
        && (resource.len() == scope.len() || resource.as_bytes()[scope.len()] == b'/')
}

/// Azure's operation matching: `*` matches any run of characters, comparison ignores case.
pub fn action_matches(pattern: &str, action: &str) -> bool {
    fn go(p: &[u8], a: &[u8]) -> bool {
        match p.split_first() {
            None => a.is_empty(),
            Some((b'*', rest)) => (0..=a.len()).any(|i| go(rest, &a[i..])),
            Some((c, rest)) => a.first().is_some_and(|x| x.eq_ignore_ascii_case(c)) && go(rest, &a[1..]),
        }
    }
    go(pattern.as_bytes(), action.as_bytes())
}

impl RoleDefinition {
    pub fn grants_action(&self, action: &str) -> bool {
        self.actions.iter().any(|p| action_matches(p, action))
            && !self.not_actions.iter().any(|p| action_matches(p, action))
    }
    pub fn grants_data_action(&self, action: &str) -> bool {
        self.data_actions.iter().any(|p| action_matches(p, action))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_inherit_downwards_only() {
        // SPEC AUTH-3: scope is a subscription, resource group or resource id, and inherits downwards.
        let sub = "/subscriptions/00000000-0000-0000-0000-000000000001";
        let rg = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-cmk";
        let kv = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/RG-CMK/providers/Microsoft.KeyVault/vaults/kv1";
        assert!(scope_covers(sub, rg));
        assert!(scope_covers(rg, kv), "case-insensitive");
        assert!(scope_covers(kv, kv));
        assert!(!scope_covers(kv, rg), "never upwards");
        assert!(
            !scope_covers("/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg", rg),
            "rg is not a prefix of rg-cmk"
        );
    }

    #[test]
    fn role_actions_follow_azure_wildcards() {
        // SPEC AUTH-3: Owner has no data actions; Crypto Service Encryption User is keys read + wrap + unwrap only.
        let owner = role_by_name("owner").expect("builtin");
        assert!(owner.grants_action("Microsoft.KeyVault/vaults/write"));
        assert!(!owner.grants_data_action("Microsoft.KeyVault/vaults/keys/create/action"));
        let contributor = role_by_name("Contributor").expect("builtin");
        assert!(!contributor.grants_action("Microsoft.Authorization/roleAssignments/write"));
        let reader = role_by_name("Reader").expect("builtin");
        assert!(reader.grants_action("Microsoft.KeyVault/vaults/read"));
        assert!(!reader.grants_action("Microsoft.KeyVault/vaults/write"));
        let kvcseu = role_by_name("Key Vault Crypto Service Encryption User").expect("builtin");
        assert!(kvcseu.grants_data_action("Microsoft.KeyVault/vaults/keys/wrap/action"));
        assert!(kvcseu.grants_data_action("Microsoft.KeyVault/vaults/keys/unwrap/action"));
        assert!(kvcseu.grants_data_action("Microsoft.KeyVault/vaults/keys/read"));
        assert!(!kvcseu.grants_data_action("Microsoft.KeyVault/vaults/keys/create/action"));
        assert!(!kvcseu.grants_data_action("Microsoft.KeyVault/vaults/keys/encrypt/action"));
        let officer = role_by_name("Key Vault Crypto Officer").expect("builtin");
        assert!(officer.grants_data_action("Microsoft.KeyVault/vaults/keys/create/action"));
        assert!(role_by_name("00482a5a-887f-4fb3-b363-3b7fe8e74483").is_some(), "by definition id");
    }
}
