//! Enterprise policies: template deployment, identity, health, listing. SPEC EP-*, AUTH-1, AUTH-7.

use super::*;
use crate::azure::policy::{Health, POLICY_TYPE};

const RG: &str = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-cmk";

/// Kai's RBAC vault with a key, the provider registered, and policy `ep-cmk` deployed (not yet granted).
pub(crate) fn with_policy(rbac: bool) -> (Fixture, String, String) {
    let mut f = Fixture::with_vault(rbac);
    let kai = f.oid(KAI);
    let vault_id = f.vault_id();
    if rbac {
        f.ok(
            KAI,
            Command::CreateRoleAssignment {
                assignee: kai,
                role: "Key Vault Crypto Officer".into(),
                scope: vault_id.clone(),
            },
        );
    }
    f.ok(KAI, key_with("kv-cmk", "cmk", 2048, "rsa2048-1"));
    f.ok(KAI, Command::RegisterProvider { namespace: "Microsoft.PowerPlatform".into() });
    let template = crate::azure::policy::tests::filled("ep-cmk", "europe", &vault_id, "cmk");
    f.ok(KAI, Command::DeployTemplate { resource_group: "rg-cmk".into(), template });
    let id = format!("{RG}/providers/{POLICY_TYPE}/ep-cmk");
    let principal = f.ok(KAI, Command::ShowResource { id: id.clone() })["identity"]["principalId"]
        .as_str()
        .expect("principalId")
        .to_string();
    (f, id, principal)
}

fn health(f: &Fixture, id: &str) -> Health {
    let p = f.world.azure.policy_by_id(id).expect("policy").clone();
    f.world.azure.policy_health(&p, f.world.now())
}

fn unhealthy_code(f: &Fixture, id: &str) -> ErrorCode {
    match health(f, id) {
        Health::Unhealthy { reason } => reason.code(),
        Health::Healthy => panic!("expected Unhealthy"),
    }
}

#[test]
fn provider_must_be_registered_first() {
    // SPEC EP-1: Microsoft.PowerPlatform must be registered (once) before a policy can be created.
    let mut f = Fixture::with_vault(true);
    let template = crate::azure::policy::tests::filled("ep-cmk", "europe", &f.vault_id(), "cmk");
    let msg = f.refused(
        KAI,
        Command::DeployTemplate { resource_group: "rg-cmk".into(), template: template.clone() },
        ErrorCode::MissingSubscriptionRegistration,
    );
    assert!(msg.contains("az provider register --namespace Microsoft.PowerPlatform"), "{msg}");
    f.refused(
        PRIYA,
        Command::RegisterProvider { namespace: "Microsoft.PowerPlatform".into() },
        ErrorCode::AuthorizationFailed,
    );
    f.refused(KAI, Command::RegisterProvider { namespace: "Contoso.Widgets".into() }, ErrorCode::BadParameter);
    let reg = f.ok(KAI, Command::RegisterProvider { namespace: "microsoft.powerplatform".into() });
    assert_eq!(reg["registrationState"], "Registered");
    f.ok(KAI, Command::RegisterProvider { namespace: "Microsoft.PowerPlatform".into() });
    assert_eq!(*f.world.view().registered_providers, ["Microsoft.PowerPlatform"], "registered once");
    f.ok(KAI, Command::DeployTemplate { resource_group: "rg-cmk".into(), template });
}

#[test]
fn a_provider_in_use_cannot_be_unregistered() {
    // SPEC EP-1: unregistering Microsoft.PowerPlatform is refused while a policy exists; once the
    // policy is gone it is unregistered, and a new policy needs it registered again.
    let (mut f, id, _) = with_policy(true);
    let unregister = |ns: &str| Command::UnregisterProvider { namespace: ns.into() };
    let before = f.world.view();
    let msg = f.refused(KAI, unregister("Microsoft.PowerPlatform"), ErrorCode::Conflict);
    assert!(msg.contains("ep-cmk"), "{msg}");
    let msg = f.refused(KAI, unregister("microsoft.keyvault"), ErrorCode::Conflict);
    assert!(msg.contains("kv-cmk"), "{msg}");
    f.refused(PRIYA, unregister("Microsoft.ManagedIdentity"), ErrorCode::AuthorizationFailed);
    f.refused(KAI, unregister("Contoso.Widgets"), ErrorCode::BadParameter);
    assert_eq!(f.world.view(), before, "a refused unregister changes nothing");
    f.ok(KAI, Command::DeleteResource { id });
    let out = f.ok(KAI, unregister("microsoft.powerplatform"));
    assert_eq!(out["registrationState"], "NotRegistered");
    assert!(f.world.view().registered_providers.is_empty());
    let template = crate::azure::policy::tests::filled("ep-two", "europe", &f.vault_id(), "cmk");
    f.refused(
        KAI,
        Command::DeployTemplate { resource_group: "rg-cmk".into(), template },
        ErrorCode::MissingSubscriptionRegistration,
    );
}

#[test]
fn deploying_creates_the_policy_and_its_identity() {
    // SPEC EP-2 (template), EP-4 (identity created), AUTH-1 (the identity is a principal).
    let (mut f, id, principal) = with_policy(true);
    assert!(crate::ids::is_guid(&principal));
    let shown = f.ok(KAI, Command::ShowResource { id: id.clone() });
    assert_eq!(shown["type"], POLICY_TYPE);
    assert_eq!(shown["kind"], "Encryption");
    assert_eq!(shown["location"], "europe");
    assert_eq!(shown["identity"]["type"], "SystemAssigned");
    assert_eq!(shown["properties"]["encryption"]["keyVault"]["id"], f.vault_id());
    assert_eq!(shown["properties"]["encryption"]["keyVault"]["key"]["name"], "cmk");
    // The identity can be granted roles like any principal.
    let grant = f.ok(
        KAI,
        Command::CreateRoleAssignment {
            assignee: principal.clone(),
            role: "Key Vault Crypto Service Encryption User".into(),
            scope: f.vault_id(),
        },
    );
    assert_eq!(grant["principalName"], "ep-cmk");
    // Priya (no Azure role) may not deploy.
    let template = crate::azure::policy::tests::filled("ep-priya", "europe", &f.vault_id(), "cmk");
    f.refused(
        PRIYA,
        Command::DeployTemplate { resource_group: "rg-cmk".into(), template },
        ErrorCode::AuthorizationFailed,
    );
    // A broken template changes nothing and says what is wrong.
    let msg = f.refused(
        KAI,
        Command::DeployTemplate {
            resource_group: "rg-cmk".into(),
            template: crate::azure::policy::tests::SEED_TEMPLATE.into(),
        },
        ErrorCode::InvalidTemplate,
    );
    assert!(msg.contains("{EnterprisePolicyName}"), "{msg}");
}

#[test]
fn health_follows_the_identitys_access_to_the_key() {
    // SPEC EP-4 (grant Crypto Service Encryption User) and EP-8 (Healthy / Unhealthy + reason).
    let (mut f, id, principal) = with_policy(true);
    assert_eq!(unhealthy_code(&f, &id), ErrorCode::ForbiddenByRbac, "not granted yet");
    let shown = f.ok(KAI, Command::ShowResource { id: id.clone() });
    assert_eq!(shown["healthStatus"], "Unhealthy");
    assert_eq!(shown["properties"]["healthReason"]["code"], "ForbiddenByRbac");
    let vault_id = f.vault_id();
    let grant = || Command::CreateRoleAssignment {
        assignee: principal.clone(),
        role: "Key Vault Crypto Service Encryption User".into(),
        scope: vault_id.clone(),
    };
    f.ok(KAI, grant());
    assert_eq!(health(&f, &id), Health::Healthy);
    assert_eq!(f.ok(KAI, Command::ShowResource { id: id.clone() })["properties"]["healthStatus"], "Healthy");

    // Each way of losing access shows as its own reason.
    let attrs = |enabled: Option<bool>, expires: Option<Option<SimTime>>| {
        Command::SetKeyAttributes(crate::command::SetKeyAttributes {
            tags: Default::default(),
            vault: "kv-cmk".into(),
            name: "cmk".into(),
            version: None,
            enabled,
            expires,
            not_before: None,
            ops: None,
        })
    };
    f.ok(KAI, attrs(Some(false), None));
    assert_eq!(unhealthy_code(&f, &id), ErrorCode::KeyDisabled);
    // SPEC KV-13: a key that no longer permits wrapKey.
    let ops = |ops: &[&str]| {
        Command::SetKeyAttributes(crate::command::SetKeyAttributes {
            vault: "kv-cmk".into(),
            name: "cmk".into(),
            ops: Some(ops.iter().map(|o| (*o).into()).collect()),
            ..Default::default()
        })
    };
    f.ok(KAI, attrs(Some(true), None));
    f.ok(KAI, ops(&["unwrapKey", "decrypt"]));
    assert_eq!(unhealthy_code(&f, &id), ErrorCode::KeyOperationForbidden);
    f.ok(KAI, ops(&["wrapKey", "unwrapKey"]));
    assert_eq!(health(&f, &id), Health::Healthy);
    f.ok(KAI, attrs(Some(false), None));
    f.ok(KAI, attrs(Some(true), None));
    f.ok(KAI, attrs(None, Some(Some(SimTime::GENESIS.plus(SimDuration::days(1))))));
    assert_eq!(health(&f, &id), Health::Healthy);
    f.advance(SimDuration::days(1));
    assert_eq!(unhealthy_code(&f, &id), ErrorCode::KeyExpired);
    f.ok(KAI, attrs(None, Some(None)));
    f.ok(
        KAI,
        Command::DeleteRoleAssignment {
            assignee: principal.clone(),
            role: "Key Vault Crypto Service Encryption User".into(),
            scope: vault_id.clone(),
        },
    );
    assert_eq!(unhealthy_code(&f, &id), ErrorCode::ForbiddenByRbac);
    f.ok(KAI, grant());
    f.ok(
        KAI,
        Command::UpdateVault(crate::command::UpdateVault {
            name: "kv-cmk".into(),
            public_network_access: Some(false),
            bypass_azure_services: Some(false),
            ..Default::default()
        }),
    );
    assert_eq!(unhealthy_code(&f, &id), ErrorCode::ForbiddenByFirewall);
    f.ok(
        KAI,
        Command::UpdateVault(crate::command::UpdateVault {
            name: "kv-cmk".into(),
            bypass_azure_services: Some(true),
            ..Default::default()
        }),
    );
    assert_eq!(health(&f, &id), Health::Healthy, "trusted services bypass the firewall");
    f.ok(
        KAI,
        Command::UpdateVault(crate::command::UpdateVault {
            name: "kv-cmk".into(),
            public_network_access: Some(true),
            ..Default::default()
        }),
    );
    f.ok(KAI, Command::DeleteKey { vault: "kv-cmk".into(), name: "cmk".into() });
    assert_eq!(unhealthy_code(&f, &id), ErrorCode::KeyNotFound);
    f.ok(KAI, Command::RecoverKey { vault: "kv-cmk".into(), name: "cmk".into() });
    f.ok(KAI, Command::DeleteVault { name: "kv-cmk".into() });
    assert_eq!(unhealthy_code(&f, &id), ErrorCode::VaultNotFound);
    f.ok(KAI, Command::RecoverVault { name: "kv-cmk".into() });
    assert_eq!(health(&f, &id), Health::Healthy);
}

#[test]
fn access_policy_vaults_need_get_wrap_and_unwrap() {
    // SPEC EP-4: access policy with get + wrapKey + unwrapKey (vault access policy model).
    let (mut f, id, principal) = with_policy(false);
    assert_eq!(unhealthy_code(&f, &id), ErrorCode::ForbiddenByPolicy);
    f.ok(
        KAI,
        Command::SetAccessPolicy {
            vault: "kv-cmk".into(),
            object_id: principal.clone(),
            permissions: vec!["get".into(), "wrapKey".into()],
        },
    );
    assert_eq!(unhealthy_code(&f, &id), ErrorCode::ForbiddenByPolicy, "unwrapKey missing");
    f.ok(
        KAI,
        Command::SetAccessPolicy {
            vault: "kv-cmk".into(),
            object_id: principal,
            permissions: vec!["get".into(), "wrapKey".into(), "unwrapKey".into()],
        },
    );
    assert_eq!(health(&f, &id), Health::Healthy);
}

#[test]
fn versionless_policies_follow_the_current_version() {
    // SPEC EP-5: without a key version the policy follows the key's current version; with one it stays.
    let (mut f, id, principal) = with_policy(true);
    f.ok(
        KAI,
        Command::CreateRoleAssignment {
            assignee: principal,
            role: "Key Vault Crypto Service Encryption User".into(),
            scope: f.vault_id(),
        },
    );
    let policy = f.world.azure.policy_by_id(&id).expect("policy").clone();
    let v1 = f.world.azure.policy_key(&policy, f.world.now()).expect("key").2.version.clone();
    f.ok(KAI, Command::RotateKey { vault: "kv-cmk".into(), name: "cmk".into(), pregenerated: None });
    let v2 = f.world.azure.policy_key(&policy, f.world.now()).expect("key").2.version.clone();
    assert_ne!(v1, v2, "picked up the new version");
    let template = crate::azure::policy::tests::filled("ep-cmk", "europe", &f.vault_id(), "cmk")
        .replace("\"name\": \"cmk\"", &format!("\"name\": \"cmk\", \"version\": \"{}\"", v1.to_ascii_uppercase()));
    f.ok(KAI, Command::DeployTemplate { resource_group: "rg-cmk".into(), template });
    let pinned = f.world.azure.policy_by_id(&id).expect("policy").clone();
    assert_eq!(pinned.principal_id, policy.principal_id, "an update keeps the identity");
    assert_eq!(f.world.azure.policy_key(&pinned, f.world.now()).expect("key").2.version, v1);
    assert_eq!(
        f.ok(KAI, Command::ShowResource { id })["properties"]["encryption"]["keyVault"]["key"]["version"],
        v1.as_str()
    );
}

#[test]
fn policies_with_linked_environments_cannot_change() {
    // SPEC EP-6: a policy with linked environments cannot be updated or deleted.
    let (mut f, id, principal) = with_policy(true);
    f.world.pp.links.entry(id.to_ascii_lowercase()).or_default().environments.push("env-1".into());
    let template = crate::azure::policy::tests::filled("ep-cmk", "europe", &f.vault_id(), "cmk2");
    let msg =
        f.refused(KAI, Command::DeployTemplate { resource_group: "rg-cmk".into(), template }, ErrorCode::PolicyInUse);
    assert!(msg.contains("1 linked environment"), "{msg}");
    f.refused(KAI, Command::DeleteResource { id: id.clone() }, ErrorCode::PolicyInUse);
    f.world.pp.links.entry(id.to_ascii_lowercase()).or_default().environments.clear();
    f.refused(PRIYA, Command::DeleteResource { id: id.clone() }, ErrorCode::AuthorizationFailed);
    f.ok(KAI, Command::DeleteResource { id: id.clone() });
    f.refused(KAI, Command::ShowResource { id }, ErrorCode::ResourceNotFound);
    // The identity is gone with the policy (AUTH-1): it can no longer be granted anything.
    f.refused(
        KAI,
        Command::CreateRoleAssignment { assignee: principal, role: "Reader".into(), scope: f.vault_id() },
        ErrorCode::PrincipalNotFound,
    );
}

#[test]
fn resource_graph_lists_what_the_caller_can_read() {
    // SPEC EP-7 (Resource Graph listing) and AUTH-7 (a Power Platform admin needs Reader on the policy).
    let (mut f, id, _) = with_policy(true);
    let q =
        Command::GraphQuery { query: "resources | where type =~ 'microsoft.powerplatform/enterprisepolicies'".into() };
    let all = f.ok(KAI, q.clone());
    assert_eq!(all["count"], 1);
    assert_eq!(all["data"][0]["id"], id.as_str());
    assert_eq!(f.ok(PRIYA, q.clone())["count"], 0, "Priya has no Reader yet");
    f.refused(PRIYA, Command::ShowResource { id: id.clone() }, ErrorCode::AuthorizationFailed);
    let priya = f.oid(PRIYA);
    f.ok(KAI, Command::CreateRoleAssignment { assignee: priya, role: "Reader".into(), scope: id.clone() });
    assert_eq!(f.ok(PRIYA, q)["count"], 1);
    f.ok(PRIYA, Command::ShowResource { id: id.clone() });
    f.run(PRIYA, Command::SignIn { upn: PRIYA.into() }).expect("sign in");
    assert_eq!(f.world.view().policies.len(), 1, "and sees it in the portal");
    let vaults =
        f.ok(KAI, Command::GraphQuery { query: "resources | where type == 'Microsoft.KeyVault/vaults'".into() });
    assert_eq!(vaults["data"][0]["name"], "kv-cmk");
    f.refused(
        KAI,
        Command::GraphQuery { query: "resources | where type =~ 'x' | project id".into() },
        ErrorCode::InvalidQuery,
    );
}

#[test]
fn only_purge_protected_vaults_and_2048_or_3072_bit_keys_can_back_cmk() {
    // SPEC KV-3 (soft delete AND purge protection) and KV-4 (only 2048 and 3072 for Power Platform CMK).
    let mut f = Fixture::new();
    f.ok(
        KAI,
        Command::CreateResourceGroup { name: "rg-cmk".into(), location: "westeurope".into(), tags: Default::default() },
    );
    f.ok(KAI, Command::RegisterProvider { namespace: "Microsoft.PowerPlatform".into() });
    let mut v = CreateVault::new("kv-plain", "rg-cmk", "westeurope");
    v.enable_rbac_authorization = false;
    f.ok(KAI, Command::CreateVault(v));
    f.ok(KAI, key_with("kv-plain", "cmk", 2048, "rsa2048-1"));
    f.ok(KAI, key_with("kv-plain", "big", 4096, "rsa4096-1"));
    let vault_id = format!("{RG}/providers/Microsoft.KeyVault/vaults/kv-plain");
    for (name, key) in [("ep-small", "cmk"), ("ep-big", "big")] {
        let template = crate::azure::policy::tests::filled(name, "europe", &vault_id, key);
        f.ok(KAI, Command::DeployTemplate { resource_group: "rg-cmk".into(), template });
        let shown = f.ok(KAI, Command::ShowResource { id: format!("{RG}/providers/{POLICY_TYPE}/{name}") });
        let principal = shown["identity"]["principalId"].as_str().expect("id").to_string();
        f.ok(
            KAI,
            Command::SetAccessPolicy {
                vault: "kv-plain".into(),
                object_id: principal,
                permissions: vec!["get".into(), "wrapKey".into(), "unwrapKey".into()],
            },
        );
    }
    let small = f.world.find_policy("ep-small").expect("policy").clone();
    let big = f.world.find_policy("ep-big").expect("policy").clone();
    assert_eq!(f.world.azure.policy_health(&small, f.world.now()), Health::Healthy, "reachable, but…");
    let err = f.world.azure.policy_cmk_eligibility(&small, f.world.now()).expect_err("no purge protection");
    assert_eq!(err.code(), ErrorCode::VaultNotEligible);
    assert!(err.message().contains("purge protection: off"), "{}", err.message());
    f.ok(
        KAI,
        Command::UpdateVault(crate::command::UpdateVault {
            name: "kv-plain".into(),
            enable_purge_protection: Some(true),
            ..Default::default()
        }),
    );
    assert_eq!(f.world.azure.policy_cmk_eligibility(&small, f.world.now()), Ok(()));
    let err = f.world.azure.policy_cmk_eligibility(&big, f.world.now()).expect_err("4096");
    assert_eq!(err.code(), ErrorCode::KeyNotEligible);
    let shown = f.ok(KAI, Command::ShowResource { id: big.id() });
    assert_eq!(shown["properties"]["cmkEligibility"]["code"], "KeyNotEligible");
}

#[test]
fn a_policy_on_an_unprotected_vault_is_deployed_with_a_warning_at_creation() {
    // SPEC KV-3: Azure Resource Manager deploys the policy (it does not look inside the vault),
    // but the answer and the activity log say at once that no environment can use it yet.
    let mut f = Fixture::new();
    f.ok(
        KAI,
        Command::CreateResourceGroup { name: "rg-cmk".into(), location: "westeurope".into(), tags: Default::default() },
    );
    f.ok(KAI, Command::RegisterProvider { namespace: "Microsoft.PowerPlatform".into() });
    let mut v = CreateVault::new("kv-plain", "rg-cmk", "westeurope");
    v.enable_rbac_authorization = false;
    f.ok(KAI, Command::CreateVault(v));
    f.ok(KAI, key_with("kv-plain", "cmk", 2048, "rsa2048-1"));
    let vault_id = format!("{RG}/providers/Microsoft.KeyVault/vaults/kv-plain");
    let template = crate::azure::policy::tests::filled("ep-plain", "europe", &vault_id, "cmk");
    let deployed = f.ok(KAI, Command::DeployTemplate { resource_group: "rg-cmk".into(), template });
    assert_eq!(deployed["properties"]["provisioningState"], "Succeeded");
    assert_eq!(deployed["properties"]["warnings"][0]["code"], "VaultNotEligible", "{deployed}");
    let note = f.world.log.iter().find(|a| a.kind == "PolicyKeyNotEligible").expect("recorded at creation");
    assert!(note.resource.ends_with("/ep-plain") && note.message.contains("purge protection: off"), "{note:?}");
    let shown = f.ok(KAI, Command::ShowResource { id: format!("{RG}/providers/{POLICY_TYPE}/ep-plain") });
    assert_eq!(shown["properties"]["cmkEligibility"]["eligible"], false);

    // With purge protection on, a policy deploys without a warning, although its identity
    // has no access yet (granting it is the next step of the seeds, not a fault).
    f.ok(
        KAI,
        Command::UpdateVault(crate::command::UpdateVault {
            name: "kv-plain".into(),
            enable_purge_protection: Some(true),
            ..Default::default()
        }),
    );
    let template = crate::azure::policy::tests::filled("ep-good", "europe", &vault_id, "cmk");
    let deployed = f.ok(KAI, Command::DeployTemplate { resource_group: "rg-cmk".into(), template });
    assert!(deployed["properties"].get("warnings").is_none(), "{deployed}");
    assert_eq!(f.world.log.iter().filter(|a| a.kind == "PolicyKeyNotEligible").count(), 1);
}

#[test]
fn ep_1_the_deployment_answer_reads_back_typed() {
    // SPEC EP-1, KV-4: the deployment page reads the answer's name and warning as fields of the
    // core's type, not by JSON pointers; the answer is the same JSON the shell prints.
    let (mut f, _, _) = with_policy(false);
    f.ok(KAI, key_with("kv-cmk", "big", 4096, "rsa4096-1"));
    let template = crate::azure::policy::tests::filled("ep-big", "europe", &f.vault_id(), "big");
    let outcome = f.run(KAI, Command::DeployTemplate { resource_group: "rg-cmk".into(), template }).expect("deployed");
    let Outcome::Deployment(d) = &outcome else { panic!("a deployment: {outcome:?}") };
    assert_eq!((d.name.as_str(), d.properties.provisioning_state.as_str()), ("ep-big", "Succeeded"));
    assert_eq!(d.properties.warnings.iter().map(|w| w.code.as_str()).collect::<Vec<_>>(), ["KeyNotEligible"]);
    assert_eq!(serde_json::to_value(d).expect("json"), serde_json::to_value(&outcome).expect("json"));
}

#[test]
fn a_groups_deployments_are_kept_listed_and_shown_until_the_group_goes() {
    // Issue 31 item 3: az deployment group list/show read the group's history; a redeployment
    // under the same name replaces its entry; deleting the group forgets them.
    let (mut f, _, _) = with_policy(true);
    let list = || Command::ListDeployments { resource_group: "rg-cmk".into() };
    let listed = f.ok(KAI, list());
    let names: Vec<&str> = listed.as_array().expect("list").iter().filter_map(|d| d["name"].as_str()).collect();
    assert_eq!(names, ["ep-cmk"]);
    assert_eq!(listed[0]["properties"]["provisioningState"], "Succeeded");
    let template = crate::azure::policy::tests::filled("ep-two", "europe", &f.vault_id(), "cmk");
    f.ok(KAI, Command::DeployTemplate { resource_group: "rg-cmk".into(), template });
    let template = crate::azure::policy::tests::filled("ep-cmk", "europe", &f.vault_id(), "cmk");
    f.ok(KAI, Command::DeployTemplate { resource_group: "rg-cmk".into(), template });
    let listed = f.ok(KAI, list());
    let names: Vec<&str> = listed.as_array().expect("list").iter().filter_map(|d| d["name"].as_str()).collect();
    assert_eq!(names, ["ep-two", "ep-cmk"], "the redeployment replaced the first, and comes last");
    let shown = f.ok(KAI, Command::ShowDeployment { resource_group: "RG-CMK".into(), name: "EP-TWO".into() });
    assert!(
        shown["id"].as_str().is_some_and(|id| id.ends_with("/providers/Microsoft.Resources/deployments/ep-two")),
        "{shown}"
    );
    f.refused(
        KAI,
        Command::ShowDeployment { resource_group: "rg-cmk".into(), name: "nope".into() },
        ErrorCode::DeploymentNotFound,
    );
    f.refused(PRIYA, list(), ErrorCode::AuthorizationFailed);
    f.refused(KAI, Command::ListDeployments { resource_group: "rg-none".into() }, ErrorCode::ResourceGroupNotFound);
    // Issue 32 item 1: the portal's Deployments blade reads the same history from the view, each
    // with its template, for a persona who may read the group's deployments — and only then.
    f.ok(KAI, Command::SignIn { upn: KAI.into() });
    let view = f.world.view();
    let shown: Vec<(&str, &str)> =
        view.deployments.iter().map(|d| (d.resource_group.as_str(), d.deployment.name.as_str())).collect();
    assert_eq!(shown, [("rg-cmk", "ep-two"), ("rg-cmk", "ep-cmk")]);
    assert!(view.deployments[1].template.contains("ep-cmk"), "the template it deployed");
    f.ok(PRIYA, Command::SignIn { upn: PRIYA.into() });
    assert!(f.world.view().deployments.is_empty(), "Priya may not read the group's deployments");
}

#[test]
fn a_policy_carries_its_system_id_and_a_new_deployment_a_new_one() {
    // SPEC EP-4: the policy's identifiers as Azure gives them, properties.systemId included
    // (Power Platform's scripts link environments by it).
    let (mut f, id, _) = with_policy(true);
    let shown = f.ok(KAI, Command::ShowResource { id: id.clone() });
    let system_id = shown["properties"]["systemId"].as_str().expect("systemId").to_string();
    let guid = system_id
        .strip_prefix("/regions/europe/providers/Microsoft.PowerPlatform/enterprisePolicies/")
        .unwrap_or_else(|| panic!("{system_id}"));
    assert!(crate::ids::is_guid(guid), "{guid}");
    assert_eq!(
        f.ok(KAI, Command::ShowResource { id: id.clone() })["properties"]["systemId"],
        system_id.as_str(),
        "stable"
    );
    let saved = crate::envelope::decode(&crate::envelope::encode(&f.world).expect("encode")).expect("decode");
    assert_eq!(saved.view().policies[0].properties.system_id, system_id, "the same after a save and load");
    // Deleted and deployed again under the same name, it is a new resource with a new systemId.
    f.ok(KAI, Command::DeleteResource { id: id.clone() });
    let template = crate::azure::policy::tests::filled("ep-cmk", "europe", &f.vault_id(), "cmk");
    f.ok(KAI, Command::DeployTemplate { resource_group: "rg-cmk".into(), template });
    let again =
        f.ok(KAI, Command::ShowResource { id })["properties"]["systemId"].as_str().unwrap_or_default().to_string();
    assert_ne!(again, system_id);
}
