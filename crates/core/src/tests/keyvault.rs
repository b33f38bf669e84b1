//! Vault lifecycle, networking, permission models and Managed HSM.

use super::*;
use crate::command::{CreateManagedHsm, UpdateVault};

fn update(name: &str) -> UpdateVault {
    UpdateVault { name: name.into(), ..UpdateVault::default() }
}

#[test]
fn soft_delete_and_purge_protection_are_one_way() {
    // SPEC KV-2: both one-way; retention fixed at creation.
    let mut f = Fixture::new();
    f.ok(
        KAI,
        Command::CreateResourceGroup { name: "rg".into(), location: "westeurope".into(), tags: Default::default() },
    );
    let mut v = CreateVault::new("kv-legacy", "rg", "westeurope");
    v.enable_soft_delete = false;
    v.retention_days = 30;
    let created = f.ok(KAI, Command::CreateVault(v));
    assert_eq!(created["properties"]["enableSoftDelete"], false);
    let msg = f.refused(
        KAI,
        Command::UpdateVault(UpdateVault { enable_purge_protection: Some(true), ..update("kv-legacy") }),
        ErrorCode::BadParameter,
    );
    assert!(msg.contains("soft delete"), "{msg}");
    f.ok(KAI, Command::UpdateVault(UpdateVault { enable_soft_delete: Some(true), ..update("kv-legacy") }));
    let on =
        f.ok(KAI, Command::UpdateVault(UpdateVault { enable_purge_protection: Some(true), ..update("kv-legacy") }));
    assert_eq!(on["properties"]["enablePurgeProtection"], true);
    f.refused(
        KAI,
        Command::UpdateVault(UpdateVault { enable_purge_protection: Some(false), ..update("kv-legacy") }),
        ErrorCode::OperationNotAllowed,
    );
    f.refused(
        KAI,
        Command::UpdateVault(UpdateVault { enable_soft_delete: Some(false), ..update("kv-legacy") }),
        ErrorCode::OperationNotAllowed,
    );
    let msg = f.refused(
        KAI,
        Command::UpdateVault(UpdateVault { retention_days: Some(60), ..update("kv-legacy") }),
        ErrorCode::OperationNotAllowed,
    );
    assert!(msg.contains("30 days"), "{msg}");
    let mut bad = CreateVault::new("kv-bad", "rg", "westeurope");
    bad.enable_soft_delete = false;
    bad.enable_purge_protection = true;
    f.refused(KAI, Command::CreateVault(bad), ErrorCode::BadParameter);
}

#[test]
fn deleted_vaults_keep_their_name_until_recovered_or_purged() {
    // SPEC KV-1 (a soft-deleted name stays reserved) and KV-9 (recover, purge, purge protection).
    let mut f = Fixture::with_vault(false); // kv-cmk: purge protection on, 90 days
    f.ok(KAI, key_with("kv-cmk", "cmk", 2048, "rsa2048-1"));
    f.ok(KAI, Command::DeleteVault { name: "kv-cmk".into() });
    f.refused(
        KAI,
        Command::ShowKey { vault: "kv-cmk".into(), name: "cmk".into(), version: None },
        ErrorCode::VaultNotFound,
    );
    let msg = f.refused(
        GUS,
        Command::CreateVault(CreateVault::new("kv-cmk", "rg-cmk", "westeurope")),
        ErrorCode::ObjectIsDeletedButRecoverable,
    );
    assert!(msg.contains("recover"), "{msg}");
    let msg = f.refused(KAI, Command::PurgeVault { name: "kv-cmk".into() }, ErrorCode::PurgeProtected);
    assert!(msg.contains("2026-04-01"), "names the purge date: {msg}");
    f.ok(KAI, Command::RecoverVault { name: "kv-cmk".into() });
    f.ok(KAI, Command::ShowKey { vault: "kv-cmk".into(), name: "cmk".into(), version: None });

    // Without purge protection a purge frees the name at once.
    let mut v = CreateVault::new("kv-tmp", "rg-cmk", "westeurope");
    v.enable_rbac_authorization = false;
    f.ok(KAI, Command::CreateVault(v));
    f.ok(KAI, Command::DeleteVault { name: "kv-tmp".into() });
    f.refused(PRIYA, Command::PurgeVault { name: "kv-tmp".into() }, ErrorCode::AuthorizationFailed);
    f.ok(KAI, Command::PurgeVault { name: "kv-tmp".into() });
    f.refused(KAI, Command::RecoverVault { name: "kv-tmp".into() }, ErrorCode::DeletedVaultNotFound);
    f.ok(KAI, Command::CreateVault(CreateVault::new("kv-tmp", "rg-cmk", "westeurope")));
}

#[test]
fn purge_protected_vault_is_purged_by_the_clock_when_retention_ends() {
    // SPEC KV-9 + PG-1: with purge protection the vault is purged when retention ends, and only then.
    let mut f = Fixture::new();
    f.ok(
        KAI,
        Command::CreateResourceGroup { name: "rg".into(), location: "westeurope".into(), tags: Default::default() },
    );
    let mut v = CreateVault::new("kv-short", "rg", "westeurope");
    v.retention_days = 7;
    v.enable_purge_protection = true;
    f.ok(KAI, Command::CreateVault(v));
    f.ok(KAI, Command::DeleteVault { name: "kv-short".into() });
    assert_eq!(
        f.world.azure.queue.iter().map(|s| s.at).collect::<Vec<_>>(),
        [SimTime::GENESIS.plus(SimDuration::days(7))]
    );
    f.advance(SimDuration::days(6));
    f.refused(
        KAI,
        Command::CreateVault(CreateVault::new("kv-short", "rg", "westeurope")),
        ErrorCode::ObjectIsDeletedButRecoverable,
    );
    f.advance(SimDuration::days(1));
    assert!(f.world.log.iter().any(|a| a.kind == "VaultPurged" && a.at == "2026-01-08T00:00:00Z"));
    f.ok(KAI, Command::CreateVault(CreateVault::new("kv-short", "rg", "westeurope")));
}

#[test]
fn firewall_blocks_people_without_a_private_endpoint_and_services_without_bypass() {
    // SPEC KV-10: public access off; private endpoints; trusted services bypass.
    let mut f = Fixture::with_vault(false);
    f.ok(KAI, key_with("kv-cmk", "cmk", 2048, "rsa2048-1"));
    f.ok(KAI, Command::UpdateVault(UpdateVault { public_network_access: Some(false), ..update("kv-cmk") }));
    let show = Command::ShowKey { vault: "kv-cmk".into(), name: "cmk".into(), version: None };
    f.refused(KAI, show.clone(), ErrorCode::ForbiddenByFirewall);
    f.refused(
        PRIYA,
        Command::CreatePrivateEndpoint {
            name: "pe-kv".into(),
            resource_group: "rg-cmk".into(),
            vault: "kv-cmk".into(),
        },
        ErrorCode::AuthorizationFailed,
    );
    let pe = f.ok(
        KAI,
        Command::CreatePrivateEndpoint {
            name: "pe-kv".into(),
            resource_group: "rg-cmk".into(),
            vault: "kv-cmk".into(),
        },
    );
    assert_eq!(pe["privateLinkServiceConnections"][0]["status"], "Approved");
    f.ok(KAI, show);
    let vault = f.world.azure.vault("kv-cmk").expect("vault").clone();
    assert!(
        f.world.azure.check_network(&vault, crate::azure::authz::Caller::TrustedService).is_ok(),
        "bypass on by default"
    );
    f.ok(KAI, Command::UpdateVault(UpdateVault { bypass_azure_services: Some(false), ..update("kv-cmk") }));
    let vault = f.world.azure.vault("kv-cmk").expect("vault").clone();
    let err = f.world.azure.check_network(&vault, crate::azure::authz::Caller::TrustedService).expect_err("no bypass");
    assert_eq!(err.code(), ErrorCode::ForbiddenByFirewall);
}

#[test]
fn permission_model_switch_decides_which_grants_count() {
    // SPEC AUTH-4: with RBAC on, access policies are ignored; switching needs roleAssignments/write.
    let mut f = Fixture::with_vault(false);
    f.ok(KAI, key_with("kv-cmk", "cmk", 2048, "rsa2048-1"));
    let get = || Command::ShowKey { vault: "kv-cmk".into(), name: "cmk".into(), version: None };
    f.ok(KAI, get());
    let kai = f.oid(KAI);
    f.ok(KAI, Command::UpdateVault(UpdateVault { enable_rbac_authorization: Some(true), ..update("kv-cmk") }));
    let msg = f.refused(KAI, get(), ErrorCode::ForbiddenByRbac);
    assert!(msg.contains("Microsoft.KeyVault/vaults/keys/read"), "{msg}");
    let scope = f.vault_id();
    f.ok(KAI, Command::CreateRoleAssignment { assignee: kai.clone(), role: "Key Vault Crypto User".into(), scope });
    f.ok(KAI, get());
    // A Contributor may manage the vault but not change who may read its keys.
    let priya = f.oid(PRIYA);
    f.ok(
        GUS,
        Command::CreateRoleAssignment {
            assignee: priya,
            role: "Contributor".into(),
            scope: "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-cmk".into(),
        },
    );
    let msg = f.refused(
        PRIYA,
        Command::UpdateVault(UpdateVault { enable_rbac_authorization: Some(false), ..update("kv-cmk") }),
        ErrorCode::AuthorizationFailed,
    );
    assert!(msg.contains("Microsoft.Authorization/roleAssignments/write"), "{msg}");
    f.ok(PRIYA, Command::UpdateVault(UpdateVault { public_network_access: Some(true), ..update("kv-cmk") }));
}

#[test]
fn access_policies_set_and_delete() {
    // SPEC AUTH-4: legacy access policies with the key permissions list.
    let mut f = Fixture::with_vault(false);
    f.ok(KAI, key_with("kv-cmk", "cmk", 2048, "rsa2048-1"));
    let mallory = f.oid(MALLORY);
    let get = || Command::ShowKey { vault: "kv-cmk".into(), name: "cmk".into(), version: None };
    f.refused(MALLORY, get(), ErrorCode::ForbiddenByPolicy);
    let msg = f.refused(
        KAI,
        Command::SetAccessPolicy {
            vault: "kv-cmk".into(),
            object_id: mallory.clone(),
            permissions: vec!["get".into(), "fly".into()],
        },
        ErrorCode::BadParameter,
    );
    assert!(msg.contains("'fly'"), "{msg}");
    let v = f.ok(
        KAI,
        Command::SetAccessPolicy {
            vault: "kv-cmk".into(),
            object_id: mallory.clone(),
            permissions: vec!["Get".into(), "wrapKey".into()],
        },
    );
    let policies = v["properties"]["accessPolicies"].as_array().expect("array").clone();
    assert!(policies.iter().any(
        |p| p["objectId"] == mallory.as_str() && p["permissions"]["keys"] == serde_json::json!(["get", "wrapKey"])
    ));
    f.ok(MALLORY, get());
    f.refused(MALLORY, Command::DeleteKey { vault: "kv-cmk".into(), name: "cmk".into() }, ErrorCode::ForbiddenByPolicy);
    f.ok(KAI, Command::DeleteAccessPolicy { vault: "kv-cmk".into(), object_id: mallory.clone() });
    f.refused(MALLORY, get(), ErrorCode::ForbiddenByPolicy);
    f.refused(
        KAI,
        Command::DeleteAccessPolicy { vault: "kv-cmk".into(), object_id: mallory },
        ErrorCode::ResourceNotFound,
    );
}

#[test]
fn managed_hsm_needs_activation_and_local_rbac() {
    // SPEC KV-11: provision, activate, purge protection, local RBAC role Managed HSM Crypto User, FIPS 140-2 Level 3.
    let mut f = Fixture::new();
    f.ok(
        KAI,
        Command::CreateResourceGroup { name: "rg".into(), location: "westeurope".into(), tags: Default::default() },
    );
    let kai = f.oid(KAI);
    let hsm = CreateManagedHsm {
        name: "hsm-cmk".into(),
        resource_group: "rg".into(),
        location: "westeurope".into(),
        administrators: vec![kai.clone()],
        retention_days: 90,
        enable_purge_protection: true,
    };
    f.refused(PRIYA, Command::CreateManagedHsm(hsm.clone()), ErrorCode::AuthorizationFailed);
    let created = f.ok(KAI, Command::CreateManagedHsm(hsm));
    assert_eq!(created["type"], "Microsoft.KeyVault/managedHSMs");
    assert_eq!(created["properties"]["securityLevel"], "FIPS 140-2 Level 3");
    assert_eq!(created["properties"]["activationState"], "NotActivated");
    assert_eq!(created["properties"]["vaultUri"], "https://hsm-cmk.managedhsm.azure.net/");
    let mut key = CreateKey::rsa("hsm-cmk", "cmk", 2048);
    key.kty = crate::azure::vault::KeyType::RsaHsm;
    key.pregenerated = Some(fixture("rsa2048-1"));
    f.refused(KAI, Command::CreateKey(key.clone()), ErrorCode::ManagedHsmNotActivated);
    f.refused(MALLORY, Command::ActivateManagedHsm { name: "hsm-cmk".into() }, ErrorCode::ForbiddenByRbac);
    f.ok(KAI, Command::ActivateManagedHsm { name: "hsm-cmk".into() });
    let msg = f.refused(KAI, Command::CreateKey(key.clone()), ErrorCode::ForbiddenByRbac);
    assert!(msg.contains("Managed HSM Crypto User"), "an administrator is not a crypto user: {msg}");
    let assign = |who: &str, scope: &str| Command::CreateHsmRoleAssignment {
        hsm: "hsm-cmk".into(),
        role: "Managed HSM Crypto User".into(),
        assignee: who.into(),
        scope: scope.into(),
    };
    f.refused(KAI, assign(&kai, "/secrets"), ErrorCode::BadParameter);
    f.refused(MALLORY, assign(&kai, "/keys"), ErrorCode::ForbiddenByRbac);
    f.ok(KAI, assign(&kai, "/keys"));
    let bundle = expect_key(f.run(KAI, Command::CreateKey(key)).expect("HSM key"));
    assert!(bundle.key.kid.starts_with("https://hsm-cmk.managedhsm.azure.net/keys/cmk/"), "{}", bundle.key.kid);
    assert_eq!(bundle.key.kty, "RSA-HSM");
    f.refused(KAI, key_with("hsm-cmk", "soft", 2048, "rsa2048-2"), ErrorCode::BadParameter);
}

#[test]
fn the_view_lists_the_key_types_each_vault_accepts() {
    // The Generate/Import page offers what `check_kty` accepts: RSA in a standard vault, RSA and
    // RSA-HSM in a premium one, RSA-HSM only in a Managed HSM (SPEC KV-11).
    let mut f = Fixture::with_vault(true);
    let mut premium = crate::command::CreateVault::new("kv-premium", "rg-cmk", "westeurope");
    premium.sku = crate::azure::vault::VaultSku::Premium;
    f.ok(KAI, Command::CreateVault(premium));
    let kai = f.oid(KAI);
    f.ok(
        KAI,
        Command::CreateManagedHsm(CreateManagedHsm {
            name: "hsm-cmk".into(),
            resource_group: "rg-cmk".into(),
            location: "westeurope".into(),
            administrators: vec![kai],
            retention_days: 90,
            enable_purge_protection: true,
        }),
    );
    let view = f.world.view();
    let types =
        |name: &str| view.vaults.iter().find(|l| l.vault.name == name).map(|l| l.key_types.clone()).expect("listed");
    assert_eq!(types("kv-cmk"), ["RSA"]);
    assert_eq!(types("kv-premium"), ["RSA", "RSA-HSM"]);
    assert_eq!(types("hsm-cmk"), ["RSA-HSM"]);
}

#[test]
fn kv_4_the_view_lists_the_key_sizes_the_core_creates() {
    // SPEC KV-4: the Generate page offers the sizes `check_size` accepts, not a list of its own;
    // a size outside them is refused by the same check. Power Platform's fewer sizes are the
    // core's constant the eligibility check uses.
    let mut f = Fixture::with_vault(false);
    let view = f.world.view();
    let sizes = view.vaults.iter().find(|l| l.vault.name == "kv-cmk").map(|l| l.key_sizes.clone()).expect("listed");
    assert_eq!(sizes, [2048, 3072, 4096]);
    assert!(sizes.iter().all(|bits| crate::key_material::check_size(*bits).is_ok()));
    f.refused(KAI, Command::CreateKey(CreateKey::rsa("kv-cmk", "small", 1024)), ErrorCode::BadParameter);
    let cmk = crate::azure::policy::CMK_RSA_SIZES;
    assert!(cmk.iter().all(|bits| sizes.contains(bits)) && !cmk.contains(&4096), "{cmk:?}");
}

#[test]
fn kv_6_each_version_in_the_view_carries_the_status_the_core_gives_it() {
    // SPEC KV-6: Disabled, Expired (from exp on), Not yet active (before nbf) or Enabled, decided
    // when the view is made, so the portal's key lists no longer work it out from the dates.
    use crate::view::VersionStatus;
    let mut f = Fixture::with_vault(false);
    let day = |d: u64| SimTime::GENESIS.plus(SimDuration::days(d));
    let key = |name: &str, enabled: bool, nbf: Option<SimTime>, exp: Option<SimTime>| {
        let mut k = CreateKey::rsa("kv-cmk", name, 2048);
        k.pregenerated = Some(fixture("rsa2048-1"));
        (k.enabled, k.not_before, k.expires) = (enabled, nbf, exp);
        Command::CreateKey(k)
    };
    f.ok(KAI, key("on", true, None, None));
    f.ok(KAI, key("off", false, None, None));
    f.ok(KAI, key("later", true, Some(day(10)), None));
    f.ok(KAI, key("ending", true, None, Some(day(5))));
    f.ok(KAI, Command::SignIn { upn: KAI.into() });
    let statuses = |f: &Fixture| -> Vec<(String, VersionStatus)> {
        let view = f.world.view();
        let listing = view.vaults.iter().find(|l| l.vault.name == "kv-cmk").expect("listed");
        let keys = listing.keys.as_ref().expect("Kai lists keys");
        keys.iter().map(|k| (k.name.clone(), k.versions[0].status)).collect()
    };
    let at_start = statuses(&f);
    assert_eq!(
        at_start,
        [
            ("ending".to_string(), VersionStatus::Enabled),
            ("later".to_string(), VersionStatus::NotYetActive),
            ("off".to_string(), VersionStatus::Disabled),
            ("on".to_string(), VersionStatus::Enabled),
        ]
    );
    f.advance(SimDuration::days(10));
    let later = statuses(&f);
    assert_eq!(later[0], ("ending".to_string(), VersionStatus::Expired), "exp is the first instant it is expired");
    assert_eq!(later[1], ("later".to_string(), VersionStatus::Enabled), "nbf is the first instant it is active");
    // The page shows the words the key hierarchy already used.
    assert_eq!(serde_json::to_value(VersionStatus::NotYetActive).expect("json"), "Not yet active");
    assert_eq!(VersionStatus::NotYetActive.as_str(), "Not yet active");
}

#[test]
fn auth_4_access_policy_permissions_have_the_portals_names_and_groups() {
    use crate::azure::vault::{permission_label, KeyPermission};
    let mut grouped: Vec<KeyPermission> = KeyPermission::GROUPS.iter().flat_map(|(_, p)| p.iter().copied()).collect();
    assert_eq!(grouped.len(), KeyPermission::ALL.len(), "each permission in exactly one group");
    grouped.sort_by_key(|p| p.as_str());
    grouped.dedup();
    assert_eq!(grouped.len(), KeyPermission::ALL.len());
    assert_eq!(permission_label("wrapKey"), "Wrap Key");
    assert_eq!(permission_label("getrotationpolicy"), "Get Rotation Policy");
    assert_eq!(permission_label("verify"), "Verify");
    assert_eq!(KeyPermission::parse("UNWRAPKEY"), Some(KeyPermission::UnwrapKey));
}

#[test]
fn a_new_version_is_labelled_as_the_portal_says_it() {
    // Issue 30 point 8: + New Version on an existing key is not "Create key".
    let mut f = Fixture::with_vault(false);
    let create = key_with("kv-cmk", "cmk", 2048, "rsa2048-1");
    assert_eq!(f.world.label_of(&create), "Create key 'cmk' in 'kv-cmk'");
    f.run(KAI, create.clone()).expect("first version");
    assert_eq!(f.world.label_of(&create), "Create a new version of key 'cmk' in 'kv-cmk'");
}

#[test]
fn kv_10_selected_networks_let_through_only_the_firewalls_addresses_and_trusted_services() {
    // SPEC KV-10: public access on but limited to selected networks (default action Deny): people
    // get through from an address in the IP rules (the playground's client address), services
    // only with the trusted-services bypass.
    use crate::azure::authz::{Caller, CLIENT_IP};
    use crate::command::NetworkRule;
    let mut f = Fixture::with_vault(false);
    f.ok(KAI, key_with("kv-cmk", "cmk", 2048, "rsa2048-1"));
    let show = Command::ShowKey { vault: "kv-cmk".into(), name: "cmk".into(), version: None };
    let rule = |ips: &[&str]| NetworkRule {
        vault: "kv-cmk".into(),
        ip_addresses: ips.iter().map(|s| (*s).into()).collect(),
        subnet: None,
    };
    let shown = f.ok(KAI, Command::UpdateVault(UpdateVault { default_action_deny: Some(true), ..update("kv-cmk") }));
    assert_eq!(shown["properties"]["networkAcls"]["defaultAction"], "Deny");
    assert_eq!(shown["properties"]["publicNetworkAccess"], "Enabled");
    let msg = f.refused(KAI, show.clone(), ErrorCode::ForbiddenByFirewall);
    assert!(msg.contains(CLIENT_IP), "{msg}");
    // Another range lets nobody here through; the client's /24 does.
    f.ok(KAI, Command::AddNetworkRule(rule(&["198.51.100.0/24"])));
    f.refused(KAI, show.clone(), ErrorCode::ForbiddenByFirewall);
    let added = f.ok(KAI, Command::AddNetworkRule(rule(&["203.0.113.200/24", "198.51.100.0/24"])));
    let values: Vec<&str> = added["properties"]["networkAcls"]["ipRules"]
        .as_array()
        .expect("rules")
        .iter()
        .filter_map(|r| r["value"].as_str())
        .collect();
    assert_eq!(values, ["198.51.100.0/24", "203.0.113.0/24"], "stored as CIDR, host bits cleared, no duplicates");
    f.ok(KAI, show.clone());
    // Power Platform is a trusted service: through with the bypass, not without it.
    let vault = f.world.azure.vault("kv-cmk").expect("vault").clone();
    assert!(f.world.azure.check_network(&vault, Caller::TrustedService).is_ok());
    f.ok(KAI, Command::UpdateVault(UpdateVault { bypass_azure_services: Some(false), ..update("kv-cmk") }));
    let vault = f.world.azure.vault("kv-cmk").expect("vault").clone();
    assert_eq!(
        f.world.azure.check_network(&vault, Caller::TrustedService).map_err(|e| e.code()),
        Err(ErrorCode::ForbiddenByFirewall)
    );
    // Bad input changes nothing; an unauthorized caller changes nothing.
    let before = f.world.view();
    f.refused(KAI, Command::AddNetworkRule(rule(&["203.0.113.300"])), ErrorCode::BadParameter);
    f.refused(KAI, Command::AddNetworkRule(rule(&["10.0.0.0/33"])), ErrorCode::BadParameter);
    f.refused(KAI, Command::AddNetworkRule(rule(&[])), ErrorCode::MissingArgument);
    f.refused(
        KAI,
        Command::AddNetworkRule(NetworkRule { subnet: Some("/subscriptions/x/subnets/y".into()), ..rule(&[]) }),
        ErrorCode::BadParameter,
    );
    f.refused(PRIYA, Command::AddNetworkRule(rule(&["192.0.2.1"])), ErrorCode::AuthorizationFailed);
    assert_eq!(f.world.view(), before);
    // Removing the client's range shuts people out again; Allow opens to all networks.
    f.ok(KAI, Command::RemoveNetworkRule(rule(&["203.0.113.0/24"])));
    f.refused(KAI, show.clone(), ErrorCode::ForbiddenByFirewall);
    f.ok(KAI, Command::UpdateVault(UpdateVault { default_action_deny: Some(false), ..update("kv-cmk") }));
    f.ok(KAI, show);
}

#[test]
fn ipv4_ranges_read_as_key_vault_stores_them() {
    use crate::azure::vault::{ipv4_allowed, ipv4_range};
    assert_eq!(ipv4_range("203.0.113.7").as_deref(), Some("203.0.113.7/32"));
    assert_eq!(ipv4_range("10.1.2.3/8").as_deref(), Some("10.0.0.0/8"));
    assert_eq!(ipv4_range("0.0.0.0/0").as_deref(), Some("0.0.0.0/0"));
    for bad in ["", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.4/33", "a.b.c.d", "1.2.3.4/", "+1.2.3.4", "1..2.3"] {
        assert_eq!(ipv4_range(bad), None, "{bad}");
    }
    let ranges = ["10.0.0.0/8".to_string(), "203.0.113.7/32".to_string()];
    assert!(ipv4_allowed(&ranges, "10.200.3.4"));
    assert!(ipv4_allowed(&ranges, "203.0.113.7"));
    assert!(!ipv4_allowed(&ranges, "203.0.113.8"));
    assert!(ipv4_allowed(&["0.0.0.0/0".to_string()], "198.51.100.1"));
}
