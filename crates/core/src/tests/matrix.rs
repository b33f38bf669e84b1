//! The authorization matrix (SPEC AUTH-3, AUTH-4, AUTH-5, AUTH-6, KV-11): every command, run by
//! every persona (and Eve, who holds nothing), against a world where every command could
//! succeed. An oracle derives from the role tables whether the persona holds what the command
//! needs; whoever does not is refused with an authorization error and nothing changes.

use super::*;
use crate::azure::authz::KeyOp;
use crate::azure::directory::{EntraRole, User};
use crate::azure::rbac::{action_matches, scope_covers};
use crate::azure::vault::{hsm_role, KeyType, VaultKind};
use crate::command::*;
use crate::key_material::SecretText;

const SUB: &str = "/subscriptions/00000000-0000-0000-0000-000000000001";
const EVE: &str = "eve@contoso.onmicrosoft.com";

fn rg() -> String {
    format!("{SUB}/resourceGroups/rg")
}
fn vault_id(name: &str) -> String {
    format!("{}/providers/Microsoft.KeyVault/vaults/{name}", rg())
}
fn hsm_id(name: &str) -> String {
    format!("{}/providers/Microsoft.KeyVault/managedHSMs/{name}", rg())
}
fn policy_id() -> String {
    format!("{}/providers/Microsoft.PowerPlatform/enterprisePolicies/ep", rg())
}

/// What a command needs: nothing, ARM actions at scopes, a key operation, or an HSM local action.
enum Need {
    Nothing,
    Arm(Vec<(String, String)>),
    Key {
        vault: &'static str,
        key: &'static str,
        op: KeyOp,
    },
    HsmLocal {
        hsm: &'static str,
        action: &'static str,
    },
    /// An Entra admin role for the Power Platform admin center (AUTH-2), plus ARM actions (AUTH-7).
    PpAdmin(Vec<(String, String)>),
}

fn arm(action: &str, scope: String) -> Need {
    Need::Arm(vec![(action.into(), scope)])
}

/// Gus builds a world in which every command below can succeed for someone with the rights.
fn rich_world() -> Fixture {
    let mut f = Fixture::new();
    let gus = f.oid(GUS);
    f.world.azure.users.push(User {
        object_id: "0e0e0e0e-0000-4000-8000-00000000e7e0".into(),
        upn: EVE.into(),
        display_name: "Eve Nobody".into(),
        description: "no roles at all".into(),
        entra_roles: vec![],
    });
    f.ok(GUS, Command::RegisterProvider { namespace: "Microsoft.PowerPlatform".into() });
    f.ok(
        GUS,
        Command::CreateResourceGroup { name: "rg".into(), location: "westeurope".into(), tags: Default::default() },
    );
    f.ok(
        GUS,
        Command::CreateResourceGroup {
            name: "rg-empty".into(),
            location: "westeurope".into(),
            tags: Default::default(),
        },
    );
    for (name, rbac) in [("kv-rbac", true), ("kv-ap", false), ("kv-del", true), ("kv-gone", true)] {
        let mut v = CreateVault::new(name, "rg", "westeurope");
        v.enable_rbac_authorization = rbac;
        v.enable_purge_protection = name == "kv-ap";
        f.ok(GUS, Command::CreateVault(v));
    }
    f.ok(GUS, Command::DeleteVault { name: "kv-gone".into() });
    f.ok(
        GUS,
        Command::CreateRoleAssignment {
            assignee: gus.clone(),
            role: "Key Vault Administrator".into(),
            scope: vault_id("kv-rbac"),
        },
    );
    for key in ["cmk", "k-del", "k-gone"] {
        f.ok(GUS, key_with("kv-rbac", key, 2048, "rsa2048-1"));
    }
    f.ok(GUS, Command::DeleteKey { vault: "kv-rbac".into(), name: "k-gone".into() });
    f.ok(GUS, key_with("kv-ap", "cmk", 2048, "rsa2048-2"));
    for hsm in ["hsm", "hsm-new-admin"] {
        f.ok(
            GUS,
            Command::CreateManagedHsm(CreateManagedHsm {
                name: hsm.into(),
                resource_group: "rg".into(),
                location: "westeurope".into(),
                administrators: vec![gus.clone()],
                retention_days: 90,
                enable_purge_protection: true,
            }),
        );
    }
    f.ok(GUS, Command::ActivateManagedHsm { name: "hsm".into() });
    f.ok(
        GUS,
        Command::CreateHsmRoleAssignment {
            hsm: "hsm".into(),
            role: "Managed HSM Crypto User".into(),
            assignee: gus.clone(),
            scope: "/keys".into(),
        },
    );
    let mut hsm_key = CreateKey::rsa("hsm", "cmk", 2048);
    hsm_key.kty = KeyType::RsaHsm;
    hsm_key.pregenerated = Some(fixture("rsa2048-2"));
    f.ok(GUS, Command::CreateKey(hsm_key));
    let kai = f.oid(KAI);
    f.ok(GUS, Command::CreateRoleAssignment { assignee: kai, role: "Reader".into(), scope: vault_id("kv-ap") });
    let template = crate::azure::policy::tests::filled("ep", "europe", &vault_id("kv-rbac"), "cmk");
    f.ok(GUS, Command::DeployTemplate { resource_group: "rg".into(), template });
    let identity = f.ok(GUS, Command::ShowResource { id: policy_id() })["identity"]["principalId"]
        .as_str()
        .expect("id")
        .to_string();
    f.ok(
        GUS,
        Command::CreateRoleAssignment {
            assignee: identity,
            role: "Key Vault Crypto Service Encryption User".into(),
            scope: vault_id("kv-rbac"),
        },
    );
    for name in ["env-a", "env-b"] {
        f.ok(
            GUS,
            Command::CreateEnvironment {
                name: name.into(),
                region: "europe".into(),
                env_type: "Sandbox".into(),
                byok: false,
            },
        );
        f.ok(GUS, Command::EnableManaged { environment: name.into() });
    }
    f
}

fn wrap(vault: &str) -> Command {
    Command::KeyOperation(KeyOperation {
        vault: vault.into(),
        name: "cmk".into(),
        version: None,
        operation: CryptoOperation::WrapKey,
        algorithm: "RSA-OAEP-256".into(),
        value: STANDARD.encode([1u8; 32]),
    })
}

/// Every command, each with what it needs.
fn all_commands(f: &Fixture) -> Vec<(Command, Need)> {
    let kai = f.oid(KAI);
    let gus = f.oid(GUS);
    let key = |op| Need::Key { vault: "kv-rbac", key: "cmk", op };
    let mut new_key = CreateKey::rsa("kv-rbac", "k-new", 2048);
    new_key.pregenerated = Some(fixture("rsa2048-2"));
    let template = crate::azure::policy::tests::filled("ep2", "europe", &vault_id("kv-rbac"), "cmk");
    // A backup of kv-rbac's k-del, made by Gus on a copy, for the restore into kv-ap.
    let blob = {
        let mut copy = Fixture { world: f.world.clone(), rng: f.rng.clone(), now: f.now };
        copy.ok(GUS, Command::BackupKey { vault: "kv-rbac".into(), name: "k-del".into() })["value"]
            .as_str()
            .expect("blob")
            .to_string()
    };
    vec![
        (Command::SignIn { upn: GUS.into() }, Need::Nothing),
        (Command::ShowUser { id: KAI.into() }, Need::Nothing),
        (
            Command::RegisterProvider { namespace: "Microsoft.KeyVault".into() },
            arm("Microsoft.KeyVault/register/action", SUB.into()),
        ),
        (
            Command::UnregisterProvider { namespace: "Microsoft.ManagedIdentity".into() },
            arm("Microsoft.ManagedIdentity/unregister/action", SUB.into()),
        ),
        (
            Command::CreateResourceGroup { name: "rg-new".into(), location: "eastus".into(), tags: Default::default() },
            arm("Microsoft.Resources/subscriptions/resourceGroups/write", format!("{SUB}/resourceGroups/rg-new")),
        ),
        (
            Command::UpdateResourceGroup { name: "rg".into(), tags: [("env".into(), "prod".into())].into() },
            arm("Microsoft.Resources/subscriptions/resourceGroups/write", rg()),
        ),
        (
            Command::DeleteResourceGroup { name: "rg-empty".into() },
            arm("Microsoft.Resources/subscriptions/resourceGroups/delete", format!("{SUB}/resourceGroups/rg-empty")),
        ),
        (
            Command::CreateVault(CreateVault::new("kv-new", "rg", "westeurope")),
            arm("Microsoft.KeyVault/vaults/write", vault_id("kv-new")),
        ),
        (
            Command::CreateManagedHsm(CreateManagedHsm {
                name: "hsm-new".into(),
                resource_group: "rg".into(),
                location: "westeurope".into(),
                administrators: vec![kai.clone()],
                retention_days: 7,
                enable_purge_protection: false,
            }),
            arm("Microsoft.KeyVault/managedHSMs/write", hsm_id("hsm-new")),
        ),
        (
            Command::ActivateManagedHsm { name: "hsm-new-admin".into() },
            Need::HsmLocal {
                hsm: "hsm-new-admin",
                action: "Microsoft.KeyVault/managedHsm/securitydomain/download/action",
            },
        ),
        (
            Command::CreateHsmRoleAssignment {
                hsm: "hsm".into(),
                role: "Managed HSM Crypto User".into(),
                assignee: kai.clone(),
                scope: "/keys".into(),
            },
            Need::HsmLocal { hsm: "hsm", action: "Microsoft.KeyVault/managedHsm/roleAssignments/write/action" },
        ),
        (
            Command::UpdateVault(UpdateVault {
                name: "kv-rbac".into(),
                public_network_access: Some(true),
                ..UpdateVault::default()
            }),
            arm("Microsoft.KeyVault/vaults/write", vault_id("kv-rbac")),
        ),
        (
            Command::AddNetworkRule(NetworkRule {
                vault: "kv-rbac".into(),
                ip_addresses: vec!["203.0.113.7".into()],
                subnet: None,
            }),
            arm("Microsoft.KeyVault/vaults/write", vault_id("kv-rbac")),
        ),
        (
            Command::RemoveNetworkRule(NetworkRule {
                vault: "kv-rbac".into(),
                ip_addresses: vec!["203.0.113.7".into()],
                subnet: None,
            }),
            arm("Microsoft.KeyVault/vaults/write", vault_id("kv-rbac")),
        ),
        (Command::ShowVault { name: "kv-rbac".into() }, arm("Microsoft.KeyVault/vaults/read", vault_id("kv-rbac"))),
        (Command::DeleteVault { name: "kv-del".into() }, arm("Microsoft.KeyVault/vaults/delete", vault_id("kv-del"))),
        (Command::RecoverVault { name: "kv-gone".into() }, arm("Microsoft.KeyVault/vaults/write", vault_id("kv-gone"))),
        (
            Command::PurgeVault { name: "kv-gone".into() },
            arm("Microsoft.KeyVault/locations/deletedVaults/purge/action", SUB.into()),
        ),
        (
            Command::SetAccessPolicy { vault: "kv-ap".into(), object_id: kai.clone(), permissions: vec!["get".into()] },
            arm("Microsoft.KeyVault/vaults/accessPolicies/write", vault_id("kv-ap")),
        ),
        (
            Command::DeleteAccessPolicy { vault: "kv-ap".into(), object_id: gus.clone() },
            arm("Microsoft.KeyVault/vaults/accessPolicies/write", vault_id("kv-ap")),
        ),
        (
            Command::CreatePrivateEndpoint { name: "pe".into(), resource_group: "rg".into(), vault: "kv-rbac".into() },
            Need::Arm(vec![
                (
                    "Microsoft.Network/privateEndpoints/write".into(),
                    format!("{}/providers/Microsoft.Network/privateEndpoints/pe", rg()),
                ),
                ("Microsoft.KeyVault/vaults/privateEndpointConnectionsApproval/action".into(), vault_id("kv-rbac")),
            ]),
        ),
        (Command::CreateKey(new_key), Need::Key { vault: "kv-rbac", key: "k-new", op: KeyOp::Create }),
        (
            Command::ImportKey(ImportKey {
                tags: Default::default(),
                vault: "kv-rbac".into(),
                name: "k-imp".into(),
                kty: KeyType::Rsa,
                material: SecretText::from(include_str!("../../tests/fixtures/rsa2048-1.pem")),
                enabled: true,
                not_before: None,
                expires: None,
                ops: None,
            }),
            Need::Key { vault: "kv-rbac", key: "k-imp", op: KeyOp::Import },
        ),
        (Command::ShowKey { vault: "kv-rbac".into(), name: "cmk".into(), version: None }, key(KeyOp::Get)),
        (Command::ListKeyVersions { vault: "kv-rbac".into(), name: "cmk".into() }, key(KeyOp::List)),
        (
            Command::SetKeyAttributes(SetKeyAttributes {
                tags: Default::default(),
                vault: "kv-rbac".into(),
                name: "cmk".into(),
                version: None,
                enabled: Some(true),
                expires: None,
                not_before: None,
                ops: None,
            }),
            key(KeyOp::Update),
        ),
        (Command::RotateKey { vault: "kv-rbac".into(), name: "cmk".into(), pregenerated: None }, key(KeyOp::Rotate)),
        (
            Command::SetRotationPolicy {
                vault: "kv-rbac".into(),
                name: "cmk".into(),
                policy: r#"{"lifetimeActions":[{"trigger":{"timeAfterCreate":"P90D"},"action":{"type":"Rotate"}}]}"#
                    .into(),
            },
            key(KeyOp::SetRotationPolicy),
        ),
        (Command::ShowRotationPolicy { vault: "kv-rbac".into(), name: "cmk".into() }, key(KeyOp::GetRotationPolicy)),
        (
            Command::DeleteKey { vault: "kv-rbac".into(), name: "k-del".into() },
            Need::Key { vault: "kv-rbac", key: "k-del", op: KeyOp::Delete },
        ),
        (
            Command::RecoverKey { vault: "kv-rbac".into(), name: "k-gone".into() },
            Need::Key { vault: "kv-rbac", key: "k-gone", op: KeyOp::Recover },
        ),
        (
            Command::PurgeKey { vault: "kv-rbac".into(), name: "k-gone".into() },
            Need::Key { vault: "kv-rbac", key: "k-gone", op: KeyOp::Purge },
        ),
        (Command::BackupKey { vault: "kv-rbac".into(), name: "cmk".into() }, key(KeyOp::Backup)),
        (
            Command::RestoreKey { vault: "kv-ap".into(), blob },
            Need::Key { vault: "kv-ap", key: "k-del", op: KeyOp::Restore },
        ),
        (wrap("kv-rbac"), key(KeyOp::WrapKey)),
        (wrap("kv-ap"), Need::Key { vault: "kv-ap", key: "cmk", op: KeyOp::WrapKey }),
        (wrap("hsm"), Need::Key { vault: "hsm", key: "cmk", op: KeyOp::WrapKey }),
        (
            Command::CreateRoleAssignment { assignee: kai.clone(), role: "Reader".into(), scope: rg() },
            arm("Microsoft.Authorization/roleAssignments/write", rg()),
        ),
        (
            Command::DeleteRoleAssignment { assignee: kai.clone(), role: "Reader".into(), scope: vault_id("kv-ap") },
            arm("Microsoft.Authorization/roleAssignments/delete", vault_id("kv-ap")),
        ),
        (
            Command::ListRoleAssignments { assignee: None, scope: None, include_inherited: false, role: None },
            Need::Nothing,
        ),
        (Command::ListDeployments { resource_group: "rg".into() }, arm("Microsoft.Resources/deployments/read", rg())),
        (
            Command::ShowDeployment { resource_group: "rg".into(), name: "ep".into() },
            arm("Microsoft.Resources/deployments/read", rg()),
        ),
        (
            Command::DeployTemplate { resource_group: "rg".into(), template },
            Need::Arm(vec![
                (
                    "Microsoft.Resources/deployments/write".into(),
                    format!("{}/providers/Microsoft.Resources/deployments/ep2", rg()),
                ),
                (
                    "Microsoft.PowerPlatform/enterprisePolicies/write".into(),
                    format!("{}/providers/Microsoft.PowerPlatform/enterprisePolicies/ep2", rg()),
                ),
            ]),
        ),
        (
            Command::ShowResource { id: policy_id() },
            arm("Microsoft.PowerPlatform/enterprisePolicies/read", policy_id()),
        ),
        (
            Command::DeleteResource { id: policy_id() },
            arm("Microsoft.PowerPlatform/enterprisePolicies/delete", policy_id()),
        ),
        (
            Command::GraphQuery {
                query: "resources | where type =~ 'microsoft.powerplatform/enterprisepolicies'".into(),
            },
            Need::Nothing,
        ),
        (
            Command::ListActivityLog {
                resource_group: None,
                resource_id: None,
                caller: None,
                status: None,
                offset: SimDuration::hours(6),
                max_events: 50,
            },
            Need::Nothing,
        ),
        (Command::AdvanceClock { by: SimDuration::hours(1) }, Need::Nothing),
        (Command::RunClock, Need::Nothing),
        (
            Command::CreateEnvironment {
                name: "env-new".into(),
                region: "europe".into(),
                env_type: "Sandbox".into(),
                byok: false,
            },
            pp(),
        ),
        (Command::ListEnvironments, pp()),
        (Command::ShowEnvironment { environment: "env-a".into() }, pp()),
        (Command::EnableManaged { environment: "env-a".into() }, pp()),
        (Command::EnvironmentHistory { environment: "env-a".into() }, pp()),
        (Command::ReEnableEnvironment { environment: "env-a".into() }, pp()),
        (Command::BackupEnvironment { environment: "env-a".into(), label: None }, pp()),
        (Command::RestoreBackup { source: "env-a".into(), backup: "none".into(), target: "env-a".into() }, pp()),
        (Command::CopyEnvironment { source: "env-a".into(), target: "env-b".into() }, pp()),
        (Command::ResetEnvironment { environment: "env-b".into() }, pp()),
        (Command::ListTargets { environment: "env-a".into(), copy: false }, pp()),
        (Command::ListPolicies, pp()),
        (
            Command::ShowPolicy { policy: "ep".into() },
            Need::PpAdmin(vec![("Microsoft.PowerPlatform/enterprisePolicies/read".into(), policy_id())]),
        ),
        (
            Command::AddEnvironmentToPolicy { policy: "ep".into(), environment: "env-a".into() },
            Need::PpAdmin(vec![("Microsoft.PowerPlatform/enterprisePolicies/read".into(), policy_id())]),
        ),
        (
            Command::RemoveEnvironmentFromPolicy { policy: "ep".into(), environment: "env-a".into() },
            Need::PpAdmin(vec![("Microsoft.PowerPlatform/enterprisePolicies/read".into(), policy_id())]),
        ),
        (
            Command::AdminApi {
                method: "GET".into(),
                uri: "https://api.bap.microsoft.com/providers/Microsoft.BusinessAppPlatform/environments/env-a".into(),
                body: None,
            },
            pp(),
        ),
        (Command::InsertRows { environment: "env-a".into(), table: "t".into(), rows: 3 }, Need::Nothing),
        (Command::ReadTable { environment: "env-a".into(), table: "t".into() }, Need::Nothing),
        (Command::FailNextStep { environment: "env-a".into(), service: "search".into() }, Need::Nothing),
    ]
}

fn pp() -> Need {
    Need::PpAdmin(vec![])
}

/// The variant's name; the match has no wildcard, so a new command cannot be added without
/// coming here, and `VARIANTS` must then list it for the coverage assertion below.
fn variant(c: &Command) -> &'static str {
    match c {
        Command::SignIn { .. } => "SignIn",
        Command::ShowUser { .. } => "ShowUser",
        Command::RegisterProvider { .. } => "RegisterProvider",
        Command::UnregisterProvider { .. } => "UnregisterProvider",
        Command::CreateResourceGroup { .. } => "CreateResourceGroup",
        Command::UpdateResourceGroup { .. } => "UpdateResourceGroup",
        Command::DeleteResourceGroup { .. } => "DeleteResourceGroup",
        Command::CreateVault(_) => "CreateVault",
        Command::CreateManagedHsm(_) => "CreateManagedHsm",
        Command::ActivateManagedHsm { .. } => "ActivateManagedHsm",
        Command::CreateHsmRoleAssignment { .. } => "CreateHsmRoleAssignment",
        Command::UpdateVault(_) => "UpdateVault",
        Command::AddNetworkRule(_) => "AddNetworkRule",
        Command::RemoveNetworkRule(_) => "RemoveNetworkRule",
        Command::ShowVault { .. } => "ShowVault",
        Command::DeleteVault { .. } => "DeleteVault",
        Command::RecoverVault { .. } => "RecoverVault",
        Command::PurgeVault { .. } => "PurgeVault",
        Command::SetAccessPolicy { .. } => "SetAccessPolicy",
        Command::DeleteAccessPolicy { .. } => "DeleteAccessPolicy",
        Command::CreatePrivateEndpoint { .. } => "CreatePrivateEndpoint",
        Command::CreateKey(_) => "CreateKey",
        Command::ImportKey(_) => "ImportKey",
        Command::ShowKey { .. } => "ShowKey",
        Command::ListKeyVersions { .. } => "ListKeyVersions",
        Command::SetKeyAttributes(_) => "SetKeyAttributes",
        Command::RotateKey { .. } => "RotateKey",
        Command::SetRotationPolicy { .. } => "SetRotationPolicy",
        Command::ShowRotationPolicy { .. } => "ShowRotationPolicy",
        Command::DeleteKey { .. } => "DeleteKey",
        Command::RecoverKey { .. } => "RecoverKey",
        Command::PurgeKey { .. } => "PurgeKey",
        Command::BackupKey { .. } => "BackupKey",
        Command::RestoreKey { .. } => "RestoreKey",
        Command::KeyOperation(_) => "KeyOperation",
        Command::CreateRoleAssignment { .. } => "CreateRoleAssignment",
        Command::DeleteRoleAssignment { .. } => "DeleteRoleAssignment",
        Command::ListRoleAssignments { .. } => "ListRoleAssignments",
        Command::DeployTemplate { .. } => "DeployTemplate",
        Command::ListDeployments { .. } => "ListDeployments",
        Command::ShowDeployment { .. } => "ShowDeployment",
        Command::ShowResource { .. } => "ShowResource",
        Command::DeleteResource { .. } => "DeleteResource",
        Command::GraphQuery { .. } => "GraphQuery",
        Command::ListActivityLog { .. } => "ListActivityLog",
        Command::AdvanceClock { .. } => "AdvanceClock",
        Command::RunClock => "RunClock",
        Command::CreateEnvironment { .. } => "CreateEnvironment",
        Command::ListEnvironments => "ListEnvironments",
        Command::ShowEnvironment { .. } => "ShowEnvironment",
        Command::EnableManaged { .. } => "EnableManaged",
        Command::EnvironmentHistory { .. } => "EnvironmentHistory",
        Command::ReEnableEnvironment { .. } => "ReEnableEnvironment",
        Command::BackupEnvironment { .. } => "BackupEnvironment",
        Command::RestoreBackup { .. } => "RestoreBackup",
        Command::CopyEnvironment { .. } => "CopyEnvironment",
        Command::ResetEnvironment { .. } => "ResetEnvironment",
        Command::ListTargets { .. } => "ListTargets",
        Command::ListPolicies => "ListPolicies",
        Command::ShowPolicy { .. } => "ShowPolicy",
        Command::AddEnvironmentToPolicy { .. } => "AddEnvironmentToPolicy",
        Command::RemoveEnvironmentFromPolicy { .. } => "RemoveEnvironmentFromPolicy",
        Command::AdminApi { .. } => "AdminApi",
        Command::InsertRows { .. } => "InsertRows",
        Command::ReadTable { .. } => "ReadTable",
        Command::FailNextStep { .. } => "FailNextStep",
    }
}

const VARIANTS: [&str; 66] = [
    "AdminApi",
    "RunClock",
    "CreateEnvironment",
    "ListEnvironments",
    "ShowEnvironment",
    "EnableManaged",
    "EnvironmentHistory",
    "ReEnableEnvironment",
    "BackupEnvironment",
    "RestoreBackup",
    "CopyEnvironment",
    "ResetEnvironment",
    "ListTargets",
    "ListPolicies",
    "ShowPolicy",
    "AddEnvironmentToPolicy",
    "RemoveEnvironmentFromPolicy",
    "InsertRows",
    "ReadTable",
    "FailNextStep",
    "SignIn",
    "ShowUser",
    "RegisterProvider",
    "UnregisterProvider",
    "CreateResourceGroup",
    "UpdateResourceGroup",
    "DeleteResourceGroup",
    "CreateVault",
    "CreateManagedHsm",
    "ActivateManagedHsm",
    "CreateHsmRoleAssignment",
    "UpdateVault",
    "AddNetworkRule",
    "RemoveNetworkRule",
    "ShowVault",
    "DeleteVault",
    "RecoverVault",
    "PurgeVault",
    "SetAccessPolicy",
    "DeleteAccessPolicy",
    "CreatePrivateEndpoint",
    "CreateKey",
    "ImportKey",
    "ShowKey",
    "ListKeyVersions",
    "SetKeyAttributes",
    "RotateKey",
    "SetRotationPolicy",
    "ShowRotationPolicy",
    "DeleteKey",
    "RecoverKey",
    "PurgeKey",
    "BackupKey",
    "RestoreKey",
    "KeyOperation",
    "CreateRoleAssignment",
    "DeleteRoleAssignment",
    "ListRoleAssignments",
    "DeployTemplate",
    "ListDeployments",
    "ShowDeployment",
    "ShowResource",
    "DeleteResource",
    "GraphQuery",
    "ListActivityLog",
    "AdvanceClock",
];

/// The oracle: straight from the role tables and the vault's grants.
fn holds(world: &World, principal: &str, need: &Need) -> bool {
    let assignments = || world.azure.role_assignments.iter().filter(|a| a.principal_id == principal);
    match need {
        Need::Nothing => true,
        Need::Arm(list) => list.iter().all(|(action, scope)| {
            assignments()
                .any(|a| scope_covers(&a.scope, scope) && a.definition().is_some_and(|d| d.grants_action(action)))
        }),
        Need::Key { vault, key, op } => {
            let v = world.azure.vault(vault).expect("vault in the rich world");
            match &v.kind {
                VaultKind::ManagedHsm { local_assignments, .. } => local_assignments.iter().any(|a| {
                    a.principal_id == principal
                        && hsm_role(&a.role)
                            .is_some_and(|(_, actions)| actions.iter().any(|p| action_matches(p, op.hsm_data_action())))
                }),
                VaultKind::Vault if v.enable_rbac_authorization => {
                    let scope = format!("{}/keys/{key}", v.id());
                    assignments().any(|a| {
                        scope_covers(&a.scope, &scope)
                            && a.definition().is_some_and(|d| d.grants_data_action(op.vault_data_action()))
                    })
                }
                VaultKind::Vault => v
                    .access_policies
                    .iter()
                    .any(|p| p.object_id == principal && p.key_permissions.contains(&op.permission())),
            }
        }
        Need::PpAdmin(arm) => {
            let admin = world.azure.users.iter().any(|u| {
                u.object_id == principal
                    && u.entra_roles.iter().any(|r| {
                        matches!(
                            r,
                            EntraRole::GlobalAdministrator
                                | EntraRole::PowerPlatformAdministrator
                                | EntraRole::Dynamics365Administrator
                        )
                    })
            });
            admin && holds(world, principal, &Need::Arm(arm.clone()))
        }
        Need::HsmLocal { hsm, action } => match &world.azure.vault(hsm).expect("hsm").kind {
            VaultKind::ManagedHsm { local_assignments, .. } => local_assignments.iter().any(|a| {
                a.principal_id == principal
                    && hsm_role(&a.role).is_some_and(|(_, actions)| actions.iter().any(|p| action_matches(p, action)))
            }),
            VaultKind::Vault => false,
        },
    }
}

fn is_auth_error(code: ErrorCode) -> bool {
    matches!(
        code,
        ErrorCode::AuthorizationFailed
            | ErrorCode::ForbiddenByRbac
            | ErrorCode::ForbiddenByPolicy
            | ErrorCode::PowerPlatformAdminRequired
    )
}

#[test]
fn every_command_checks_its_permission_for_every_persona() {
    let base = rich_world();
    let commands = all_commands(&base);
    let mut covered: Vec<&str> = commands.iter().map(|(c, _)| variant(c)).collect();
    covered.sort_unstable();
    covered.dedup();
    let mut expected = VARIANTS.to_vec();
    expected.sort_unstable();
    assert_eq!(covered, expected, "every command variant is in the matrix");

    let (mut refused, mut allowed) = (0, 0);
    for upn in [GUS, KAI, PRIYA, MALLORY, EVE] {
        let principal = base.oid(upn);
        for (command, need) in &commands {
            let mut f = Fixture { world: base.world.clone(), rng: ChaCha20Rng::seed_from_u64(9), now: base.now };
            let label = format!("{upn}: {}", command.label());
            let result = f.run(upn, command.clone());
            if holds(&base.world, &principal, need) {
                allowed += 1;
                if let Err(e) = &result {
                    assert!(!is_auth_error(e.code()), "{label} holds the permission but was refused: {e}");
                }
            } else {
                refused += 1;
                let e = result.expect_err(&label);
                assert!(is_auth_error(e.code()), "{label}: expected an authorization error, got {e}");
                assert!(
                    e.message().contains(upn) || e.message().contains(&principal),
                    "{label}: the error names the caller: {e}"
                );
                assert_eq!(f.world, base.world, "{label}: a refused command changes nothing");
            }
        }
    }
    // Sanity: the matrix exercises both sides. Gus can do everything; Eve nothing that needs a right.
    assert!(refused > 120 && allowed > 80, "refused {refused}, allowed {allowed}");
    let nothing_needed = commands.iter().filter(|(_, n)| matches!(n, Need::Nothing)).count();
    let eve = base.oid(EVE);
    let held = commands.iter().filter(|(_, n)| holds(&base.world, &eve, n)).count();
    assert_eq!(held, nothing_needed, "Eve holds no right at all");
    let gus = base.oid(GUS);
    assert!(commands.iter().all(|(_, n)| holds(&base.world, &gus, n)), "Gus holds every right in this world");
}

#[test]
fn owners_without_data_roles_are_refused_on_the_data_plane() {
    // SPEC AUTH-3 / AUTH-6: Kai and Mallory own the subscription but hold no Key Vault data role.
    let mut f = rich_world();
    for upn in [KAI, MALLORY] {
        f.refused(
            upn,
            Command::ShowKey { vault: "kv-rbac".into(), name: "cmk".into(), version: None },
            ErrorCode::ForbiddenByRbac,
        );
        f.refused(upn, wrap("kv-ap"), ErrorCode::ForbiddenByPolicy);
        f.refused(upn, wrap("hsm"), ErrorCode::ForbiddenByRbac);
        f.ok(upn, Command::ShowVault { name: "kv-rbac".into() });
    }
}
