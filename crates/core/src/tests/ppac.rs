//! The Power Platform side: environments, encryption on the clock, rotation pickup, lock and
//! unlock, backups. Each test names the SPEC rule it covers.

use super::*;
use crate::powerplatform::environment::{record_plaintext, Service};
use sha2::{Digest, Sha256};

pub(crate) const RG: &str = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-cmk";

pub(crate) fn policy_id(name: &str) -> String {
    format!("{RG}/providers/Microsoft.PowerPlatform/enterprisePolicies/{name}")
}

/// Kai's purge-protected RBAC vault with key `cmk`, policy `ep-cmk` (europe) granted access,
/// Priya Reader on it; Priya's managed environment `env` of `env_type` in europe.
pub(crate) fn cmk_ready(env_type: &str) -> Fixture {
    let mut f = Fixture::with_vault(true);
    let kai = f.oid(KAI);
    let vault = f.vault_id();
    f.ok(
        KAI,
        Command::CreateRoleAssignment { assignee: kai, role: "Key Vault Crypto Officer".into(), scope: vault.clone() },
    );
    f.ok(KAI, key_with("kv-cmk", "cmk", 2048, "rsa2048-1"));
    f.ok(KAI, Command::RegisterProvider { namespace: "Microsoft.PowerPlatform".into() });
    deploy_policy(&mut f, "ep-cmk", "cmk");
    f.ok(
        PRIYA,
        Command::CreateEnvironment {
            name: "env".into(),
            region: "europe".into(),
            env_type: env_type.into(),
            byok: false,
        },
    );
    f.ok(PRIYA, Command::EnableManaged { environment: "env".into() });
    f
}

/// Deploys policy `name` on key `key` of kv-cmk, grants its identity, and gives Priya Reader.
pub(crate) fn deploy_policy(f: &mut Fixture, name: &str, key: &str) -> String {
    let template = crate::azure::policy::tests::filled(name, "europe", &f.vault_id(), key);
    f.ok(KAI, Command::DeployTemplate { resource_group: "rg-cmk".into(), template });
    let id = policy_id(name);
    let principal = f.ok(KAI, Command::ShowResource { id: id.clone() })["identity"]["principalId"]
        .as_str()
        .expect("id")
        .to_string();
    f.ok(
        KAI,
        Command::CreateRoleAssignment {
            assignee: principal.clone(),
            role: "Key Vault Crypto Service Encryption User".into(),
            scope: f.vault_id(),
        },
    );
    let priya = f.oid(PRIYA);
    f.ok(KAI, Command::CreateRoleAssignment { assignee: priya, role: "Reader".into(), scope: id.clone() });
    principal
}

pub(crate) fn env(f: &mut Fixture, name: &str) -> serde_json::Value {
    f.ok(PRIYA, Command::ShowEnvironment { environment: name.into() })
}

fn add(f: &mut Fixture, policy: &str, name: &str) -> serde_json::Value {
    f.ok(PRIYA, Command::AddEnvironmentToPolicy { policy: policy.into(), environment: name.into() })
}

fn read(f: &mut Fixture, name: &str, table: &str) -> Result<serde_json::Value, crate::Error> {
    f.run(PRIYA, Command::ReadTable { environment: name.into(), table: table.into() })
        .map(|o| serde_json::to_value(o).expect("json"))
}

/// SHA-256 of the plaintexts `sim data insert` writes for rows 0..n of a table.
pub(crate) fn expected_sha(env_id: &str, table: &str, n: usize) -> String {
    let mut h = Sha256::new();
    for i in 0..n {
        h.update(record_plaintext(env_id, table, i));
    }
    crate::powerplatform::environment::hex(&h.finalize())
}

fn records(f: &Fixture, name: &str, service: Service, table: &str) -> Vec<Vec<u8>> {
    let e = f.world.pp.environment(name).expect("env");
    e.services[&service].tables.get(table).map(|t| t.records.to_vec()).unwrap_or_default()
}

fn protector(f: &Fixture, name: &str, service: Service) -> String {
    f.world.pp.environment(name).expect("env").services[&service].dek.protector.label()
}

fn advance_hours(f: &mut Fixture, h: u64) {
    f.advance(SimDuration::hours(h));
}

#[test]
fn environments_have_the_shape_of_the_admin_center() {
    // SPEC ENV-1, ENV-5, AUTH-2.
    let mut f = cmk_ready("Sandbox");
    let e = env(&mut f, "env");
    assert_eq!(
        (e["name"].as_str(), e["region"].as_str(), e["type"].as_str()),
        (Some("env"), Some("europe"), Some("Sandbox"))
    );
    assert!(crate::ids::is_guid(e["id"].as_str().expect("id")));
    assert_eq!(e["managed"], true);
    assert_eq!(e["state"], "Enabled");
    assert_eq!(e["encryptionStatus"], "Microsoft Managed key");
    assert_eq!(e["policy"], serde_json::Value::Null);
    assert_eq!(e["keyVersion"], serde_json::Value::Null);
    assert_eq!(e["deletionDue"], serde_json::Value::Null);
    let history = f.ok(PRIYA, Command::EnvironmentHistory { environment: "env".into() });
    let ops: Vec<&str> =
        history.as_array().expect("list").iter().map(|h| h["operation"].as_str().expect("op")).collect();
    assert_eq!(ops, ["Create environment", "Enable Managed Environments"]);
    assert_eq!(history[0]["status"], "Succeeded");
    for t in ["Production", "Sandbox", "Developer", "Default", "Trial", "Teams", "SupportInvestigation"] {
        f.ok(
            GUS,
            Command::CreateEnvironment {
                name: format!("e-{t}"),
                region: "europe".into(),
                env_type: t.into(),
                byok: false,
            },
        );
    }
    f.refused(
        PRIYA,
        Command::CreateEnvironment {
            name: "x".into(),
            region: "westeurope".into(),
            env_type: "Sandbox".into(),
            byok: false,
        },
        ErrorCode::BadParameter,
    );
    f.refused(
        PRIYA,
        Command::CreateEnvironment {
            name: "x".into(),
            region: "europe".into(),
            env_type: "Playground".into(),
            byok: false,
        },
        ErrorCode::BadParameter,
    );
    // AUTH-2: only Entra admin roles reach the admin center.
    for upn in [KAI, MALLORY] {
        f.refused(
            upn,
            Command::CreateEnvironment {
                name: "k".into(),
                region: "europe".into(),
                env_type: "Sandbox".into(),
                byok: false,
            },
            ErrorCode::PowerPlatformAdminRequired,
        );
        f.refused(upn, Command::ListEnvironments, ErrorCode::PowerPlatformAdminRequired);
    }
}

#[test]
fn only_managed_eligible_environments_in_the_policy_region_can_be_added() {
    // SPEC ENV-2, EP-3, AUTH-6, AUTH-7.
    let mut f = cmk_ready("Sandbox");
    let ep = policy_id("ep-cmk");
    f.ok(
        PRIYA,
        Command::CreateEnvironment {
            name: "unmanaged".into(),
            region: "europe".into(),
            env_type: "Sandbox".into(),
            byok: false,
        },
    );
    let msg = f.refused(
        PRIYA,
        Command::AddEnvironmentToPolicy { policy: ep.clone(), environment: "unmanaged".into() },
        ErrorCode::EnvironmentNotEligible,
    );
    assert!(msg.contains("Managed Environment"), "{msg}");
    for t in ["Trial", "Teams"] {
        f.ok(
            PRIYA,
            Command::CreateEnvironment { name: t.into(), region: "europe".into(), env_type: t.into(), byok: false },
        );
        f.ok(PRIYA, Command::EnableManaged { environment: t.into() });
        f.refused(
            PRIYA,
            Command::AddEnvironmentToPolicy { policy: ep.clone(), environment: t.into() },
            ErrorCode::EnvironmentNotEligible,
        );
    }
    f.ok(
        PRIYA,
        Command::CreateEnvironment {
            name: "us".into(),
            region: "unitedstates".into(),
            env_type: "Sandbox".into(),
            byok: false,
        },
    );
    f.ok(PRIYA, Command::EnableManaged { environment: "us".into() });
    let msg = f.refused(
        PRIYA,
        Command::AddEnvironmentToPolicy { policy: ep.clone(), environment: "us".into() },
        ErrorCode::RegionMismatch,
    );
    assert!(msg.contains("unitedstates") && msg.contains("europe"), "{msg}");
    // AUTH-6: the Key Vault admin cannot add environments; AUTH-7: a PP admin needs Reader on the policy.
    f.refused(
        KAI,
        Command::AddEnvironmentToPolicy { policy: ep.clone(), environment: "env".into() },
        ErrorCode::PowerPlatformAdminRequired,
    );
    let priya = f.oid(PRIYA);
    f.ok(KAI, Command::DeleteRoleAssignment { assignee: priya, role: "Reader".into(), scope: ep.clone() });
    assert_eq!(f.ok(PRIYA, Command::ListPolicies), serde_json::json!([]), "without Reader the policy is not listed");
    f.refused(
        PRIYA,
        Command::AddEnvironmentToPolicy { policy: ep, environment: "env".into() },
        ErrorCode::AuthorizationFailed,
    );
}

#[test]
fn applying_a_key_runs_on_the_clock_and_never_touches_records() {
    // SPEC ENC-1 (Encrypting → Encrypting - online → Encrypted, ≤ 4 days), ENC-7, ENV-3.
    let mut f = cmk_ready("Sandbox");
    f.ok(PRIYA, Command::InsertRows { environment: "env".into(), table: "account".into(), rows: 500 });
    let env_id = env(&mut f, "env")["id"].as_str().expect("id").to_string();
    let before = records(&f, "env", Service::Dataverse, "account");
    let wrapped_before = f.world.pp.environment("env").expect("env").services[&Service::Dataverse].dek.clone();
    let added = add(&mut f, "ep-cmk", "env");
    assert_eq!((added["state"].as_str(), added["encryptionStatus"].as_str()), (Some("Disabled"), Some("Encrypting")));
    assert_eq!(read(&mut f, "env", "account").expect_err("down").code(), ErrorCode::EnvironmentDisabled);
    f.refused(
        PRIYA,
        Command::AddEnvironmentToPolicy { policy: "ep-cmk".into(), environment: "env".into() },
        ErrorCode::OperationInProgress,
    );
    let mut timeline = vec![(f.world.now().to_iso(), "Encrypting".to_string())];
    for _ in 0..(4 * 24) {
        advance_hours(&mut f, 1);
        let status = env(&mut f, "env")["encryptionStatus"].as_str().expect("status").to_string();
        if timeline.last().is_none_or(|(_, s)| *s != status) {
            timeline.push((f.world.now().to_iso(), status));
        }
    }
    let statuses: Vec<&str> = timeline.iter().map(|(_, s)| s.as_str()).collect();
    assert_eq!(statuses, ["Encrypting", "Encrypting - online", "Encrypted"], "{timeline:?}");
    assert_eq!(timeline[1].0, "2026-01-01T01:00:00Z", "1 hour of downtime for a small database");
    assert_eq!(timeline[2].0, "2026-01-01T13:00:00Z", "indexes re-wrapped online");
    let e = env(&mut f, "env");
    assert_eq!(e["state"], "Enabled");
    assert_eq!(e["policy"], policy_id("ep-cmk"));
    assert!(e["keyVersion"].as_str().expect("kid").starts_with("https://kv-cmk.vault.azure.net/keys/cmk/"));
    for svc in [Service::Dataverse, Service::Files, Service::Search, Service::Copilot] {
        assert!(protector(&f, "env", svc).starts_with("https://kv-cmk.vault.azure.net/keys/cmk/"), "{svc:?}");
    }
    assert!(
        protector(&f, "env", Service::Flows).starts_with("https://"),
        "no existing flows: new flows will use the customer key"
    );
    assert_eq!(records(&f, "env", Service::Dataverse, "account"), before, "records are not re-encrypted");
    assert_ne!(
        f.world.pp.environment("env").expect("env").services[&Service::Dataverse].dek,
        wrapped_before,
        "the data key was re-wrapped"
    );
    assert_eq!(read(&mut f, "env", "account").expect("read")["sha256"], expected_sha(&env_id, "account", 500));
    let history = f.ok(PRIYA, Command::EnvironmentHistory { environment: "env".into() });
    let last = history.as_array().expect("list").last().expect("entry").clone();
    assert_eq!(
        (last["operation"].as_str(), last["status"].as_str()),
        (Some("Update Customer Managed Key"), Some("Succeeded"))
    );
    assert_eq!(last["finished"], "2026-01-01T13:00:00Z");
}

#[test]
fn downtime_grows_with_the_database_and_flows_stay_microsoft_managed() {
    // SPEC ENC-1 (downtime grows with size), ENV-4 + ENC-6 (existing flows: Warning).
    let mut f = cmk_ready("Production");
    f.ok(PRIYA, Command::InsertRows { environment: "env".into(), table: "big".into(), rows: 100_000 });
    add(&mut f, "ep-cmk", "env");
    advance_hours(&mut f, 5);
    assert_eq!(env(&mut f, "env")["encryptionStatus"], "Encrypting", "100,000 rows: 6 hours down");
    advance_hours(&mut f, 1);
    assert_eq!(env(&mut f, "env")["encryptionStatus"], "Encrypting - online");
    f.ok(PRIYA, Command::RunClock);
    let e = env(&mut f, "env");
    assert_eq!(e["encryptionStatus"], "Warning");
    assert_eq!(protector(&f, "env", Service::Flows), "Microsoft-managed key");
    assert!(e["alwaysMicrosoftManaged"]
        .as_array()
        .expect("list")
        .iter()
        .any(|x| x.as_str().is_some_and(|s| s.contains("flows"))));
    let history = f.ok(PRIYA, Command::EnvironmentHistory { environment: "env".into() });
    assert!(history.as_array().expect("h").last().expect("e")["detail"].as_str().expect("detail").contains("flows"));
}

#[test]
fn a_failed_step_keeps_data_readable_and_a_rerun_resumes() {
    // SPEC ENC-2.
    let mut f = cmk_ready("Sandbox");
    f.ok(PRIYA, Command::InsertRows { environment: "env".into(), table: "t".into(), rows: 50 });
    let env_id = env(&mut f, "env")["id"].as_str().expect("id").to_string();
    f.ok(PRIYA, Command::FailNextStep { environment: "env".into(), service: "search".into() });
    f.refused(
        PRIYA,
        Command::FailNextStep { environment: "env".into(), service: "mailbox".into() },
        ErrorCode::BadParameter,
    );
    add(&mut f, "ep-cmk", "env");
    f.ok(PRIYA, Command::RunClock);
    let e = env(&mut f, "env");
    assert_eq!((e["state"].as_str(), e["encryptionStatus"].as_str()), (Some("Enabled"), Some("Failed")));
    assert!(protector(&f, "env", Service::Dataverse).starts_with("https://"), "core data already under the new key");
    assert_eq!(protector(&f, "env", Service::Search), "Microsoft-managed key", "search still under the old key");
    assert_eq!(read(&mut f, "env", "t").expect("readable")["sha256"], expected_sha(&env_id, "t", 50));
    let dataverse_wrap = f.world.pp.environment("env").expect("env").services[&Service::Dataverse].dek.clone();
    let h = f.ok(PRIYA, Command::EnvironmentHistory { environment: "env".into() });
    assert_eq!(h.as_array().expect("h").last().expect("e")["status"], "Failed");
    add(&mut f, "ep-cmk", "env");
    f.ok(PRIYA, Command::RunClock);
    assert_eq!(env(&mut f, "env")["encryptionStatus"], "Encrypted");
    assert_eq!(
        f.world.pp.environment("env").expect("env").services[&Service::Dataverse].dek,
        dataverse_wrap,
        "resumed: done work is not redone"
    );
}

#[test]
fn removing_reverts_to_the_microsoft_managed_key() {
    // SPEC ENC-3, EP-6.
    let mut f = cmk_ready("Sandbox");
    add(&mut f, "ep-cmk", "env");
    f.ok(PRIYA, Command::RunClock);
    f.refused(KAI, Command::DeleteResource { id: policy_id("ep-cmk") }, ErrorCode::PolicyInUse);
    let r = f.ok(PRIYA, Command::RemoveEnvironmentFromPolicy { policy: "ep-cmk".into(), environment: "env".into() });
    assert_eq!((r["state"].as_str(), r["encryptionStatus"].as_str()), (Some("Disabled"), Some("Reverting")));
    advance_hours(&mut f, 1);
    assert_eq!(env(&mut f, "env")["encryptionStatus"], "Reverting - online");
    assert_eq!(env(&mut f, "env")["state"], "Enabled");
    f.ok(PRIYA, Command::RunClock);
    let e = env(&mut f, "env");
    assert_eq!((e["encryptionStatus"].as_str(), e["policy"].is_null()), (Some("Microsoft Managed key"), true));
    for svc in Service::ALL {
        assert_eq!(protector(&f, "env", svc), "Microsoft-managed key");
    }
    f.ok(KAI, Command::DeleteResource { id: policy_id("ep-cmk") });
}

#[test]
fn changing_key_takes_two_downtimes() {
    // SPEC ENC-4: grant the new policy, remove (downtime 1), add to the new policy (downtime 2).
    let mut f = cmk_ready("Sandbox");
    f.ok(KAI, key_with("kv-cmk", "cmk2", 2048, "rsa2048-2"));
    deploy_policy(&mut f, "ep-new", "cmk2");
    add(&mut f, "ep-cmk", "env");
    f.ok(PRIYA, Command::RunClock);
    let msg = f.refused(
        PRIYA,
        Command::AddEnvironmentToPolicy { policy: "ep-new".into(), environment: "env".into() },
        ErrorCode::Conflict,
    );
    assert!(msg.contains("Remove it from that policy first"), "{msg}");
    f.ok(PRIYA, Command::RemoveEnvironmentFromPolicy { policy: "ep-cmk".into(), environment: "env".into() });
    f.ok(PRIYA, Command::RunClock);
    add(&mut f, "ep-new", "env");
    f.ok(PRIYA, Command::RunClock);
    assert!(env(&mut f, "env")["keyVersion"].as_str().expect("kid").contains("/keys/cmk2/"));
    let h = f.ok(PRIYA, Command::EnvironmentHistory { environment: "env".into() });
    let downtimes = h
        .as_array()
        .expect("h")
        .iter()
        .filter(|e| e["operation"] != "Create environment" && e["operation"] != "Enable Managed Environments")
        .count();
    assert_eq!(downtimes, 3, "apply, revert, apply");
}

/// Priya's managed sandbox `byok`, created with the legacy tenant key (SPEC ENC-5).
fn managed_byok_sandbox(f: &mut Fixture) {
    f.ok(
        PRIYA,
        Command::CreateEnvironment {
            name: "byok".into(),
            region: "europe".into(),
            env_type: "Sandbox".into(),
            byok: true,
        },
    );
    f.ok(PRIYA, Command::EnableManaged { environment: "byok".into() });
}

#[test]
fn byok_environments_migrate_by_being_added() {
    // SPEC ENC-5.
    let mut f = cmk_ready("Sandbox");
    managed_byok_sandbox(&mut f);
    f.ok(PRIYA, Command::InsertRows { environment: "byok".into(), table: "t".into(), rows: 20 });
    assert_eq!(protector(&f, "byok", Service::Dataverse), "Tenant key (BYOK)");
    let id = env(&mut f, "byok")["id"].as_str().expect("id").to_string();
    add(&mut f, "ep-cmk", "byok");
    f.ok(PRIYA, Command::RunClock);
    assert_eq!(env(&mut f, "byok")["encryptionStatus"], "Encrypted");
    assert!(protector(&f, "byok", Service::Dataverse).starts_with("https://kv-cmk"));
    assert_eq!(read(&mut f, "byok", "t").expect("read")["sha256"], expected_sha(&id, "t", 20));
}

#[test]
fn enc_5_the_view_says_which_environments_the_tenant_key_still_protects() {
    // SPEC ENC-5: the admin center names the tenant key from the core's own state (a data key
    // wrapped with it), not from a protector's label; once migrated, `byok` stays (it was
    // created so) but the tenant key protects nothing.
    let mut f = cmk_ready("Sandbox");
    managed_byok_sandbox(&mut f);
    f.ok(PRIYA, Command::SignIn { upn: PRIYA.into() });
    let flags = |f: &Fixture, name: &str| {
        let view = f.world.view();
        let d = view.environments.iter().find(|d| d.summary.name == name).expect("listed");
        (d.byok, d.under_tenant_key)
    };
    assert_eq!(flags(&f, "byok"), (true, true));
    assert_eq!(flags(&f, "env"), (false, false));
    add(&mut f, "ep-cmk", "byok");
    f.ok(PRIYA, Command::RunClock);
    assert_eq!(env(&mut f, "byok")["encryptionStatus"], "Encrypted");
    assert_eq!(flags(&f, "byok"), (true, false), "migrated: created with the tenant key, no longer under it");
}

fn encrypted(env_type: &str) -> Fixture {
    let mut f = cmk_ready(env_type);
    f.ok(PRIYA, Command::InsertRows { environment: "env".into(), table: "t".into(), rows: 40 });
    add(&mut f, "ep-cmk", "env");
    f.ok(PRIYA, Command::RunClock);
    f
}

#[test]
fn a_new_version_is_picked_up_within_a_day_without_downtime() {
    // SPEC ROT-1, EP-5, ENC-7.
    let mut f = encrypted("Sandbox");
    let id = env(&mut f, "env")["id"].as_str().expect("id").to_string();
    let before = records(&f, "env", Service::Dataverse, "t");
    let old = env(&mut f, "env")["keyVersion"].as_str().expect("kid").to_string();
    let new = expect_key(f.run(KAI, key_with("kv-cmk", "cmk", 2048, "rsa2048-2")).expect("new version")).key.kid;
    let mut picked = None;
    for hour in 1..=24 {
        advance_hours(&mut f, 1);
        let e = env(&mut f, "env");
        assert_eq!(e["state"], "Enabled", "no downtime at hour {hour}");
        if picked.is_none() && e["keyVersion"] == new.as_str() {
            picked = Some(hour);
        }
    }
    let hour = picked.expect("picked up within 24 hours");
    assert!(hour <= 24, "{hour}");
    assert_ne!(old, new);
    for svc in [Service::Dataverse, Service::Files, Service::Search, Service::Copilot] {
        assert_eq!(protector(&f, "env", svc), new, "{svc:?} re-wrapped");
    }
    assert_eq!(records(&f, "env", Service::Dataverse, "t"), before, "records untouched");
    assert_eq!(read(&mut f, "env", "t").expect("read")["sha256"], expected_sha(&id, "t", 40));
    assert!(f.world.log.iter().any(|a| a.kind == "KeyVersionPickedUp"));
}

#[test]
fn disabling_the_previous_version_too_early_takes_the_environment_down() {
    // SPEC ROT-2 (old versions must stay enabled), DB-5 (backups need their version).
    let mut f = encrypted("Sandbox");
    let backup =
        f.ok(PRIYA, Command::BackupEnvironment { environment: "env".into(), label: Some("before rotation".into()) });
    let backup_id = backup["backupId"].as_str().expect("id").to_string();
    let old_version =
        env(&mut f, "env")["keyVersion"].as_str().expect("kid").rsplit('/').next().expect("v").to_string();
    f.ok(KAI, key_with("kv-cmk", "cmk", 2048, "rsa2048-2"));
    f.advance(SimDuration::days(1));
    assert_eq!(env(&mut f, "env")["state"], "Enabled", "picked up the new version");
    f.ok(KAI, disable_version(&old_version));
    let before = f.world.pp.environment("env").expect("env").clone();
    let msg = f.refused(
        PRIYA,
        Command::RestoreBackup { source: "env".into(), backup: backup_id.clone(), target: "env".into() },
        ErrorCode::KeyVersionUnavailable,
    );
    assert!(msg.contains(&old_version) && msg.contains("Nothing was overwritten"), "{msg}");
    assert_eq!(f.world.pp.environment("env").expect("env"), &before);

    // An environment that has not picked up the new version yet goes down with the old one.
    let mut g = encrypted("Sandbox");
    let old = env(&mut g, "env")["keyVersion"].as_str().expect("kid").rsplit('/').next().expect("v").to_string();
    g.ok(KAI, key_with("kv-cmk", "cmk", 2048, "rsa2048-2"));
    g.ok(KAI, disable_version(&old));
    advance_hours(&mut g, 1);
    let e = env(&mut g, "env");
    assert_eq!(e["state"], "Locked");
}

#[test]
fn an_expiring_key_is_announced_then_takes_environments_down() {
    // SPEC ROT-3.
    let mut f = encrypted("Production");
    let exp = f.world.now().plus(SimDuration::days(10));
    f.ok(
        KAI,
        Command::SetKeyAttributes(crate::command::SetKeyAttributes {
            tags: Default::default(),
            vault: "kv-cmk".into(),
            name: "cmk".into(),
            version: None,
            enabled: None,
            expires: Some(Some(exp)),
            not_before: None,
            ops: None,
        }),
    );
    f.advance(SimDuration::days(3).plus_hours(1));
    let warnings: Vec<_> = f.world.log.iter().filter(|a| a.kind == "KeyExpiresSoon").cloned().collect();
    assert_eq!(warnings.len(), 1, "7 days ahead");
    f.advance(SimDuration::days(6));
    assert_eq!(f.world.log.iter().filter(|a| a.kind == "KeyExpiresSoon").count(), 2, "and 1 day ahead");
    assert_eq!(env(&mut f, "env")["state"], "Enabled");
    f.advance(SimDuration::days(1));
    let e = env(&mut f, "env");
    assert_eq!(e["state"], "Locked");
}

trait PlusHours {
    fn plus_hours(self, h: u64) -> SimDuration;
}
impl PlusHours for SimDuration {
    fn plus_hours(self, h: u64) -> SimDuration {
        SimDuration::seconds(self.as_seconds() + h * 3600)
    }
}

#[test]
fn every_way_of_revoking_access_locks_within_the_hour() {
    // SPEC LOCK-1: role removed, key disabled, key deleted, vault deleted, policy deleted, network
    // blocked; SPEC KV-13: the key no longer permits unwrapKey.
    type Revoke = fn(&mut Fixture, &str);
    let revocations: [(&str, Revoke); 7] = [
        ("unwrapKey no longer permitted", |f, _| {
            f.ok(
                KAI,
                Command::SetKeyAttributes(crate::command::SetKeyAttributes {
                    vault: "kv-cmk".into(),
                    name: "cmk".into(),
                    ops: Some(vec!["encrypt".into(), "decrypt".into(), "wrapKey".into()]),
                    ..Default::default()
                }),
            );
        }),
        ("role removed", |f, principal| {
            f.ok(
                KAI,
                Command::DeleteRoleAssignment {
                    assignee: principal.into(),
                    role: "Key Vault Crypto Service Encryption User".into(),
                    scope: f.vault_id(),
                },
            );
        }),
        ("key disabled", |f, _| {
            f.ok(
                KAI,
                Command::SetKeyAttributes(crate::command::SetKeyAttributes {
                    tags: Default::default(),
                    vault: "kv-cmk".into(),
                    name: "cmk".into(),
                    version: None,
                    enabled: Some(false),
                    expires: None,
                    not_before: None,
                    ops: None,
                }),
            );
        }),
        ("key deleted", |f, _| {
            f.ok(KAI, Command::DeleteKey { vault: "kv-cmk".into(), name: "cmk".into() });
        }),
        ("vault deleted", |f, _| {
            f.ok(KAI, Command::DeleteVault { name: "kv-cmk".into() });
        }),
        ("policy deleted", |f, _| {
            // A linked policy cannot be deleted (EP-6); the only way is around the admin center.
            let id = policy_id("ep-cmk").to_ascii_lowercase();
            f.world.azure.policies.remove(&id);
        }),
        ("network blocked", |f, _| {
            f.ok(
                KAI,
                Command::UpdateVault(crate::command::UpdateVault {
                    name: "kv-cmk".into(),
                    public_network_access: Some(false),
                    bypass_azure_services: Some(false),
                    ..Default::default()
                }),
            );
        }),
    ];
    for (what, revoke) in revocations {
        let mut f = encrypted("Sandbox");
        let principal = f.ok(KAI, Command::ShowResource { id: policy_id("ep-cmk") })["identity"]["principalId"]
            .as_str()
            .expect("p")
            .to_string();
        revoke(&mut f, &principal);
        assert_eq!(env(&mut f, "env")["state"], "Enabled", "{what}: not before the next check");
        advance_hours(&mut f, 1);
        let e = env(&mut f, "env");
        assert_eq!(e["state"], "Locked", "{what}");
        for upn in [PRIYA, GUS, KAI] {
            let err = f.run(upn, Command::ReadTable { environment: "env".into(), table: "t".into() }).expect_err(what);
            assert_eq!(err.code(), ErrorCode::EnvironmentLocked, "{what}: unreadable by anyone");
        }
        let h = f.ok(PRIYA, Command::EnvironmentHistory { environment: "env".into() });
        assert_eq!(h.as_array().expect("h").last().expect("e")["operation"], "Environment disabled", "{what}");
    }
}

#[test]
fn restoring_access_lets_an_admin_re_enable() {
    // SPEC LOCK-2.
    let mut f = encrypted("Sandbox");
    let id = env(&mut f, "env")["id"].as_str().expect("id").to_string();
    let attrs = |enabled| {
        Command::SetKeyAttributes(crate::command::SetKeyAttributes {
            tags: Default::default(),
            vault: "kv-cmk".into(),
            name: "cmk".into(),
            version: None,
            enabled: Some(enabled),
            expires: None,
            not_before: None,
            ops: None,
        })
    };
    f.ok(KAI, attrs(false));
    advance_hours(&mut f, 1);
    let msg = f.refused(PRIYA, Command::ReEnableEnvironment { environment: "env".into() }, ErrorCode::KeyAccessLost);
    assert!(msg.contains("disabled"), "{msg}");
    f.ok(KAI, attrs(true));
    advance_hours(&mut f, 3);
    assert_eq!(env(&mut f, "env")["state"], "Locked", "access back does not unlock by itself");
    let e = f.ok(PRIYA, Command::ReEnableEnvironment { environment: "env".into() });
    assert_eq!((e["state"].as_str(), e["deletionDue"].is_null()), (Some("Enabled"), true));
    assert_eq!(read(&mut f, "env", "t").expect("read")["sha256"], expected_sha(&id, "t", 40));
    f.refused(PRIYA, Command::ReEnableEnvironment { environment: "env".into() }, ErrorCode::Conflict);
}

#[test]
fn locked_environments_are_deleted_after_7_or_30_days() {
    // SPEC LOCK-3.
    for (env_type, days) in [("Sandbox", 7u64), ("Production", 30)] {
        let mut f = encrypted(env_type);
        f.ok(
            KAI,
            Command::SetKeyAttributes(crate::command::SetKeyAttributes {
                tags: Default::default(),
                vault: "kv-cmk".into(),
                name: "cmk".into(),
                version: None,
                enabled: Some(false),
                expires: None,
                not_before: None,
                ops: None,
            }),
        );
        advance_hours(&mut f, 1);
        let locked_at = f.world.now();
        let e = env(&mut f, "env");
        assert_eq!(e["deletionDue"], locked_at.plus(SimDuration::days(days)).to_iso(), "{env_type}");
        assert!(f.world.pending_view().iter().any(|p| p.what.contains("Deletion of locked environment 'env'")));
        f.advance(SimDuration::days(days).plus_hours(0));
        let _ = f.ok(PRIYA, Command::ListEnvironments);
        let e = env(&mut f, "env");
        assert_eq!(e["state"], "Deleted", "{env_type} after {days} days");
        assert!(f.world.pp.environment("env").expect("env").services.is_empty(), "data gone");
        assert_eq!(e["backups"], 0, "backups gone");
        assert_eq!(read(&mut f, "env", "t").expect_err("deleted").code(), ErrorCode::EnvironmentDeleted);
    }
}

#[test]
fn the_malicious_admin_sequence() {
    // SPEC LOCK-4: create key and policy, add environments, revoke — and watch them lock, then vanish.
    let mut f = Fixture::new();
    f.ok(
        MALLORY,
        Command::CreateResourceGroup {
            name: "rg-evil".into(),
            location: "westeurope".into(),
            tags: Default::default(),
        },
    );
    let mut v = CreateVault::new("kv-evil", "rg-evil", "westeurope");
    v.enable_purge_protection = true;
    v.enable_rbac_authorization = false;
    f.ok(MALLORY, Command::CreateVault(v));
    f.ok(MALLORY, key_with("kv-evil", "trap", 3072, "rsa3072-1"));
    f.ok(MALLORY, Command::RegisterProvider { namespace: "Microsoft.PowerPlatform".into() });
    let vault_id = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-evil/providers/Microsoft.KeyVault/vaults/kv-evil";
    f.ok(
        MALLORY,
        Command::DeployTemplate {
            resource_group: "rg-evil".into(),
            template: crate::azure::policy::tests::filled("ep-evil", "europe", vault_id, "trap"),
        },
    );
    let ep = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-evil/providers/Microsoft.PowerPlatform/enterprisePolicies/ep-evil";
    let principal = f.ok(MALLORY, Command::ShowResource { id: ep.into() })["identity"]["principalId"]
        .as_str()
        .expect("p")
        .to_string();
    f.ok(
        MALLORY,
        Command::SetAccessPolicy {
            vault: "kv-evil".into(),
            object_id: principal.clone(),
            permissions: vec!["get".into(), "wrapKey".into(), "unwrapKey".into()],
        },
    );
    let priya = f.oid(PRIYA);
    f.ok(MALLORY, Command::CreateRoleAssignment { assignee: priya, role: "Reader".into(), scope: ep.into() });
    for name in ["sales", "support"] {
        f.ok(
            PRIYA,
            Command::CreateEnvironment {
                name: name.into(),
                region: "europe".into(),
                env_type: "Sandbox".into(),
                byok: false,
            },
        );
        f.ok(PRIYA, Command::EnableManaged { environment: name.into() });
        f.ok(PRIYA, Command::InsertRows { environment: name.into(), table: "crm".into(), rows: 25 });
        f.ok(PRIYA, Command::AddEnvironmentToPolicy { policy: "ep-evil".into(), environment: name.into() });
    }
    f.ok(PRIYA, Command::RunClock);
    // Mallory revokes the policy's access.
    f.ok(MALLORY, Command::DeleteAccessPolicy { vault: "kv-evil".into(), object_id: principal });
    f.advance(SimDuration::hours(1));
    for name in ["sales", "support"] {
        assert_eq!(f.ok(PRIYA, Command::ShowEnvironment { environment: name.into() })["state"], "Locked");
        assert_eq!(
            f.run(GUS, Command::ReadTable { environment: name.into(), table: "crm".into() })
                .expect_err("locked")
                .code(),
            ErrorCode::EnvironmentLocked
        );
    }
    f.refused(PRIYA, Command::ReEnableEnvironment { environment: "sales".into() }, ErrorCode::KeyAccessLost);
    f.advance(SimDuration::days(7));
    for name in ["sales", "support"] {
        assert_eq!(f.ok(PRIYA, Command::ShowEnvironment { environment: name.into() })["state"], "Deleted");
    }
    assert_eq!(f.world.log.iter().filter(|a| a.kind == "EnvironmentDeleted").count(), 2);
}

#[test]
fn backups_restore_copy_and_reset() {
    // SPEC DB-1 (capture), DB-2 (restore targets), DB-3 (copy), DB-4 (reset).
    let mut f = encrypted("Sandbox");
    let id = env(&mut f, "env")["id"].as_str().expect("id").to_string();
    let b = f.ok(PRIYA, Command::BackupEnvironment { environment: "env".into(), label: Some("40 rows".into()) });
    let backup = b["backupId"].as_str().expect("id").to_string();
    f.ok(PRIYA, Command::InsertRows { environment: "env".into(), table: "t".into(), rows: 10 });
    assert_eq!(read(&mut f, "env", "t").expect("read")["rows"], 50);
    f.ok(PRIYA, Command::RestoreBackup { source: "env".into(), backup: backup.clone(), target: "env".into() });
    let r = read(&mut f, "env", "t").expect("read");
    assert_eq!((r["rows"].as_u64(), r["sha256"].as_str()), (Some(40), Some(expected_sha(&id, "t", 40).as_str())));
    // Another environment on the same key may receive it; one on the Microsoft-managed key may not.
    f.ok(
        PRIYA,
        Command::CreateEnvironment {
            name: "same".into(),
            region: "europe".into(),
            env_type: "Sandbox".into(),
            byok: false,
        },
    );
    f.ok(
        PRIYA,
        Command::CreateEnvironment {
            name: "plain".into(),
            region: "europe".into(),
            env_type: "Sandbox".into(),
            byok: false,
        },
    );
    let before = f.world.pp.environment("plain").expect("plain").clone();
    f.refused(
        PRIYA,
        Command::RestoreBackup { source: "env".into(), backup: backup.clone(), target: "plain".into() },
        ErrorCode::RestoreNotAllowed,
    );
    f.refused(
        PRIYA,
        Command::CopyEnvironment { source: "env".into(), target: "plain".into() },
        ErrorCode::RestoreNotAllowed,
    );
    assert_eq!(f.world.pp.environment("plain").expect("plain"), &before, "nothing overwritten");
    f.ok(PRIYA, Command::EnableManaged { environment: "same".into() });
    add(&mut f, "ep-cmk", "same");
    f.ok(PRIYA, Command::RunClock);
    f.ok(PRIYA, Command::RestoreBackup { source: "env".into(), backup: backup.clone(), target: "same".into() });
    assert_eq!(read(&mut f, "same", "t").expect("read")["sha256"], expected_sha(&id, "t", 40));
    f.ok(PRIYA, Command::InsertRows { environment: "env".into(), table: "t".into(), rows: 5 });
    f.ok(PRIYA, Command::CopyEnvironment { source: "env".into(), target: "same".into() });
    assert_eq!(read(&mut f, "same", "t").expect("read")["sha256"], expected_sha(&id, "t", 45));
    f.refused(
        PRIYA,
        Command::RestoreBackup { source: "env".into(), backup: "nope".into(), target: "env".into() },
        ErrorCode::BackupNotFound,
    );
    f.refused(
        KAI,
        Command::BackupEnvironment { environment: "env".into(), label: None },
        ErrorCode::PowerPlatformAdminRequired,
    );
    // Reset: data and backups gone, back to Microsoft's key, policy unlinked.
    let e = f.ok(PRIYA, Command::ResetEnvironment { environment: "env".into() });
    assert_eq!(
        (e["encryptionStatus"].as_str(), e["policy"].is_null(), e["backups"].as_u64()),
        (Some("Microsoft Managed key"), true, Some(0))
    );
    assert_eq!(read(&mut f, "env", "t").expect("read")["rows"], 0);
    let p = f.ok(PRIYA, Command::ShowPolicy { policy: "ep-cmk".into() });
    let names: Vec<&str> =
        p["environments"].as_array().expect("envs").iter().map(|e| e["name"].as_str().expect("n")).collect();
    assert_eq!(names, ["same"]);
}

#[test]
fn system_backups_are_daily_and_kept_7_or_28_days() {
    // SPEC DB-1: daily system backups, kept 7 days (sandbox) / 28 (production).
    for (env_type, keep) in [("Sandbox", 7usize), ("Production", 28)] {
        let mut f = cmk_ready(env_type);
        f.advance(SimDuration::days(40));
        let n = f.world.pp.environment("env").expect("env").backups.iter().filter(|b| b.system).count();
        assert_eq!(n, keep, "{env_type}");
    }
}

#[test]
fn backups_survive_the_environment_being_overwritten() {
    // SPEC DB-1: a backup holds the data as it was, even after a copy replaced the environment's tables.
    let mut f = encrypted("Sandbox");
    let id = env(&mut f, "env")["id"].as_str().expect("id").to_string();
    let backup = f.ok(PRIYA, Command::BackupEnvironment { environment: "env".into(), label: None })["backupId"]
        .as_str()
        .expect("id")
        .to_string();
    f.ok(
        PRIYA,
        Command::CreateEnvironment {
            name: "other".into(),
            region: "europe".into(),
            env_type: "Sandbox".into(),
            byok: false,
        },
    );
    f.ok(PRIYA, Command::EnableManaged { environment: "other".into() });
    f.ok(PRIYA, Command::InsertRows { environment: "other".into(), table: "t".into(), rows: 7 });
    add(&mut f, "ep-cmk", "other");
    f.ok(PRIYA, Command::RunClock);
    let other_id = env(&mut f, "other")["id"].as_str().expect("id").to_string();
    f.ok(PRIYA, Command::CopyEnvironment { source: "other".into(), target: "env".into() });
    assert_eq!(read(&mut f, "env", "t").expect("read")["sha256"], expected_sha(&other_id, "t", 7), "the copy arrived");
    f.ok(PRIYA, Command::RestoreBackup { source: "env".into(), backup, target: "env".into() });
    assert_eq!(
        read(&mut f, "env", "t").expect("read")["sha256"],
        expected_sha(&id, "t", 40),
        "and the old backup still holds the old data"
    );
}

fn disable_version(v: &str) -> Command {
    Command::SetKeyAttributes(crate::command::SetKeyAttributes {
        tags: Default::default(),
        vault: "kv-cmk".into(),
        name: "cmk".into(),
        version: Some(v.into()),
        enabled: Some(false),
        expires: None,
        not_before: None,
        ops: None,
    })
}

#[test]
fn the_health_check_locks_an_environment_in_the_middle_of_an_operation() {
    // SPEC LOCK-1: access revoked while Encrypting locks within the hour, not at the next step.
    let mut f = cmk_ready("Sandbox");
    f.ok(PRIYA, Command::InsertRows { environment: "env".into(), table: "t".into(), rows: 100_000 });
    add(&mut f, "ep-cmk", "env");
    assert_eq!(env(&mut f, "env")["operation"]["nextStep"], "2026-01-01T06:00:00Z", "6 hours of downtime");
    let version = f.world.azure.vault("kv-cmk").expect("vault").key("cmk").expect("key").versions[0].version.clone();
    f.ok(KAI, disable_version(&version));
    advance_hours(&mut f, 1);
    let e = env(&mut f, "env");
    assert_eq!((e["state"].as_str(), e["encryptionStatus"].as_str()), (Some("Locked"), Some("Failed")));
    assert_eq!(e["operation"], serde_json::Value::Null, "the operation stopped");
    let history = f.ok(PRIYA, Command::EnvironmentHistory { environment: "env".into() });
    let ops: Vec<(String, String)> = history
        .as_array()
        .expect("h")
        .iter()
        .map(|h| (h["operation"].as_str().unwrap_or("").to_string(), h["status"].as_str().unwrap_or("").to_string()))
        .collect();
    assert!(ops.contains(&("Update Customer Managed Key".into(), "Failed".into())), "{ops:?}");
    let detail = f.world.view().environments.iter().find(|&d| d.summary.name == "env").cloned().expect("env");
    let lock = detail.lock.expect("lock reason shown");
    assert_eq!(lock.code, "KeyDisabled", "the check that failed: {}", lock.message);
    // The queued step finds no job and does nothing; re-enabling the key and the environment
    // and adding again resumes.
    advance_hours(&mut f, 6);
    assert_eq!(env(&mut f, "env")["state"], "Locked");
    f.ok(
        KAI,
        Command::SetKeyAttributes(crate::command::SetKeyAttributes {
            tags: Default::default(),
            vault: "kv-cmk".into(),
            name: "cmk".into(),
            version: Some(version),
            enabled: Some(true),
            expires: None,
            not_before: None,
            ops: None,
        }),
    );
    f.ok(PRIYA, Command::ReEnableEnvironment { environment: "env".into() });
    assert!(f.world.view().environments[0].lock.is_none(), "the lock is lifted");
    add(&mut f, "ep-cmk", "env");
    f.ok(PRIYA, Command::RunClock);
    assert_eq!(env(&mut f, "env")["encryptionStatus"], "Encrypted");
}

#[test]
fn a_rerun_after_only_an_index_failed_has_no_second_downtime() {
    // SPEC ENC-2: the core data is done, so the re-run re-wraps the indexes online.
    let mut f = cmk_ready("Sandbox");
    f.ok(PRIYA, Command::InsertRows { environment: "env".into(), table: "t".into(), rows: 50 });
    let env_id = env(&mut f, "env")["id"].as_str().expect("id").to_string();
    f.ok(PRIYA, Command::FailNextStep { environment: "env".into(), service: "copilot".into() });
    add(&mut f, "ep-cmk", "env");
    f.ok(PRIYA, Command::RunClock);
    assert_eq!(env(&mut f, "env")["encryptionStatus"], "Failed");
    let rerun = add(&mut f, "ep-cmk", "env");
    assert_eq!(
        (rerun["state"].as_str(), rerun["encryptionStatus"].as_str()),
        (Some("Enabled"), Some("Encrypting - online")),
        "no downtime: {rerun}"
    );
    assert_eq!(rerun["operation"]["phase"], 2, "straight to the Copilot index");
    assert_eq!(read(&mut f, "env", "t").expect("readable while it runs")["sha256"], expected_sha(&env_id, "t", 50));
    let pending = f.world.pending();
    let progress = pending[0].progress.as_ref().expect("progress");
    assert_eq!((progress.step, progress.running.as_slice()), (3, ["copilot".to_string()].as_slice()));
    f.ok(PRIYA, Command::RunClock);
    assert_eq!(env(&mut f, "env")["encryptionStatus"], "Encrypted");

    // When the core data failed, the re-run takes the environment down again.
    let mut g = cmk_ready("Sandbox");
    g.ok(PRIYA, Command::FailNextStep { environment: "env".into(), service: "files".into() });
    add(&mut g, "ep-cmk", "env");
    g.ok(PRIYA, Command::RunClock);
    let rerun = add(&mut g, "ep-cmk", "env");
    assert_eq!((rerun["state"].as_str(), rerun["encryptionStatus"].as_str()), (Some("Disabled"), Some("Encrypting")));
}

#[test]
fn disabling_or_deleting_a_version_in_use_is_allowed_but_named_in_the_activity_log() {
    // SPEC ROT-2: the warning names the environments whose data keys or recent backups need it.
    let mut f = encrypted("Sandbox");
    f.ok(PRIYA, Command::BackupEnvironment { environment: "env".into(), label: Some("weekly".into()) });
    let old = env(&mut f, "env")["keyVersion"].as_str().expect("kid").rsplit('/').next().expect("v").to_string();
    f.ok(KAI, key_with("kv-cmk", "cmk", 2048, "rsa2048-2"));
    f.advance(SimDuration::days(1));
    assert!(protector(&f, "env", Service::Dataverse).ends_with(&format!(
        "/{}",
        f.world.azure.vault("kv-cmk").expect("v").key("cmk").expect("k").current().expect("c").version
    )));
    f.ok(KAI, disable_version(&old));
    let warning = f.world.log.iter().rev().find(|a| a.kind == "KeyVersionInUse").expect("warned").clone();
    assert!(warning.resource.ends_with(&old), "{warning:?}");
    assert!(warning.message.contains("'env'") && warning.message.contains("backup"), "{}", warning.message);
    assert!(!warning.message.contains("data key"), "the live data moved on: {}", warning.message);

    // Before the pickup the live data keys are at risk too.
    let mut g = encrypted("Sandbox");
    let old = env(&mut g, "env")["keyVersion"].as_str().expect("kid").rsplit('/').next().expect("v").to_string();
    g.ok(KAI, key_with("kv-cmk", "cmk", 2048, "rsa2048-2"));
    g.ok(KAI, disable_version(&old));
    let warning = g.world.log.iter().rev().find(|a| a.kind == "KeyVersionInUse").expect("warned");
    assert!(warning.message.contains("data key(s) (dataverse, files, search, copilot, flows)"), "{}", warning.message);

    // Deleting the key warns for every version; a version nobody uses warns nobody.
    g.ok(KAI, Command::DeleteKey { vault: "kv-cmk".into(), name: "cmk".into() });
    assert_eq!(g.world.log.iter().filter(|a| a.kind == "KeyVersionInUse").count(), 2);
    let mut h = cmk_ready("Sandbox");
    let version = h.world.azure.vault("kv-cmk").expect("v").key("cmk").expect("k").versions[0].version.clone();
    h.ok(KAI, disable_version(&version));
    assert!(!h.world.log.iter().any(|a| a.kind == "KeyVersionInUse"), "no environment uses it");
}

#[test]
fn the_admin_center_lists_every_policy_with_who_can_be_added_and_why_not() {
    // SPEC AUTH-7 (seen without Reader, refused on add), ENC-1 (region, Managed, Trial/Teams).
    let mut f = cmk_ready("Sandbox");
    for (name, region, t) in [
        ("env-us", "unitedstates", "Sandbox"),
        ("env-trial", "europe", "Trial"),
        ("env-plain", "europe", "Production"),
        ("env-us-plain", "unitedstates", "Production"),
    ] {
        f.ok(
            PRIYA,
            Command::CreateEnvironment { name: name.into(), region: region.into(), env_type: t.into(), byok: false },
        );
    }
    f.ok(PRIYA, Command::EnableManaged { environment: "env-trial".into() });
    f.ok(PRIYA, Command::EnableManaged { environment: "env-us".into() });
    f.ok(PRIYA, Command::SignIn { upn: PRIYA.into() });
    let view = f.world.view();
    let p = view.admin_policies.iter().find(|p| p.name == "ep-cmk").expect("listed");
    assert!(p.reader && p.health_status == "Healthy");
    let reason =
        |name: &str| p.candidates.iter().find(|c| c.name == name).expect(name).blocked.as_ref().map(|b| b.code.clone());
    assert_eq!(reason("env"), None, "managed, in europe");
    assert_eq!(reason("env-us").as_deref(), Some("RegionMismatch"));
    assert_eq!(reason("env-trial").as_deref(), Some("EnvironmentNotEligible"));
    assert_eq!(reason("env-plain").as_deref(), Some("EnvironmentNotEligible"), "not a Managed Environment");
    // Another region is the reason that counts, even when it is not managed either (the page
    // leaves other regions out by this code; 'not a Managed Environment' hid the real reason).
    assert_eq!(reason("env-us-plain").as_deref(), Some("RegionMismatch"));
    // Without Reader, the policy is still listed, marked, and adding fails with AUTH-7's error.
    let priya = f.oid(PRIYA);
    f.ok(KAI, Command::DeleteRoleAssignment { assignee: priya, role: "Reader".into(), scope: policy_id("ep-cmk") });
    let view = f.world.view();
    let p = view.admin_policies.iter().find(|p| p.name == "ep-cmk").expect("still listed");
    assert!(!p.reader);
    assert!(view.policies.is_empty(), "the Azure side does not show it to her");
    f.refused(
        PRIYA,
        Command::AddEnvironmentToPolicy { policy: "ep-cmk".into(), environment: "env".into() },
        ErrorCode::AuthorizationFailed,
    );
    // A persona without a Power Platform role gets no admin-center data at all.
    f.ok(GUS, Command::SignIn { upn: KAI.into() });
    assert!(f.world.view().admin_policies.is_empty() && f.world.view().environments.is_empty());
}

#[test]
fn db_2_db_3_restore_and_copy_targets_carry_the_cores_reason() {
    // SPEC DB-2, DB-3: the admin center asks the core where a restore or a copy may go, and
    // greys the others with the core's own refusal instead of re-deriving the rule.
    let mut f = encrypted("Production");
    let dev = Command::CreateEnvironment {
        name: "dev".into(),
        region: "europe".into(),
        env_type: "Sandbox".into(),
        byok: false,
    };
    f.ok(PRIYA, dev);
    let targets = |f: &mut Fixture, env: &str, copy: bool| match f
        .run(PRIYA, Command::ListTargets { environment: env.into(), copy })
    {
        Ok(Outcome::Targets(list)) => list,
        other => panic!("targets of {env}: {other:?}"),
    };
    let blocked = |list: &[crate::view::CandidateView], name: &str| {
        list.iter().find(|c| c.name == name).expect("listed").blocked.as_ref().map(|b| b.code.clone())
    };
    let (restore, copy) = (targets(&mut f, "env", false), targets(&mut f, "env", true));
    // A restore may go back into the source; a copy never lists it.
    assert_eq!(blocked(&restore, "env"), None);
    assert!(!copy.iter().any(|c| c.name == "env"));
    // A customer-managed key to Microsoft's key and back: refused both ways.
    assert_eq!(blocked(&restore, "dev").as_deref(), Some("RestoreNotAllowed"));
    assert_eq!(blocked(&copy, "dev").as_deref(), Some("RestoreNotAllowed"));
    assert_eq!(blocked(&targets(&mut f, "dev", true), "env").as_deref(), Some("RestoreNotAllowed"));
    assert_eq!(blocked(&targets(&mut f, "dev", false), "dev"), None);
    // What is greyed is what the core refuses, word for word.
    let reason = copy.iter().find(|c| c.name == "dev").and_then(|c| c.blocked.clone()).expect("greyed");
    let err =
        f.run(PRIYA, Command::CopyEnvironment { source: "env".into(), target: "dev".into() }).expect_err("refused");
    assert_eq!((reason.code.as_str(), reason.message.as_str()), (err.code().as_str(), err.message()));
    // A busy target is greyed too, and an unknown source is an error, not an empty list.
    f.ok(PRIYA, Command::BackupEnvironment { environment: "dev".into(), label: None });
    f.refused(
        PRIYA,
        Command::ListTargets { environment: "nowhere".into(), copy: false },
        ErrorCode::EnvironmentNotFound,
    );
    // Only a Power Platform admin may ask (SPEC AUTH-2).
    f.refused(
        KAI,
        Command::ListTargets { environment: "env".into(), copy: false },
        ErrorCode::PowerPlatformAdminRequired,
    );
}

#[test]
fn restore_and_copy_need_the_same_key_group() {
    // SPEC DB-2, DB-3: what the admin center greys is what the core refuses.
    let mut f = encrypted("Production");
    f.ok(
        PRIYA,
        Command::CreateEnvironment {
            name: "dev".into(),
            region: "europe".into(),
            env_type: "Sandbox".into(),
            byok: true,
        },
    );
    f.ok(PRIYA, Command::SignIn { upn: PRIYA.into() });
    let view = f.world.view();
    let prod = view.environments.iter().find(|d| d.summary.name == "env").expect("env");
    let dev = view.environments.iter().find(|d| d.summary.name == "dev").expect("dev");
    assert!(prod.key_group.as_deref().is_some_and(|g| g.ends_with("/vaults/kv-cmk/cmk")), "{:?}", prod.key_group);
    assert_eq!(dev.key_group, None, "the tenant key is not a customer-managed key of a policy");
    assert!(dev.byok && !prod.byok, "BYOK environments are marked (SPEC ENC-5)");
    let backup = f.ok(PRIYA, Command::BackupEnvironment { environment: "env".into(), label: None })["backupId"]
        .as_str()
        .expect("id")
        .to_string();
    f.refused(
        PRIYA,
        Command::RestoreBackup { source: "env".into(), backup, target: "dev".into() },
        ErrorCode::RestoreNotAllowed,
    );
}

#[test]
fn upcoming_lists_what_the_clock_will_do_soonest_first() {
    // SPEC PG-1: the clock bar shows operations, the health check, rotations, expiries, pickups.
    let mut f = encrypted("Sandbox");
    let policy = r#"{"lifetimeActions":[{"trigger":{"timeAfterCreate":"P30D"},"action":{"type":"Rotate"}}],"attributes":{"expiryTime":"P90D"}}"#;
    f.ok(KAI, Command::SetRotationPolicy { vault: "kv-cmk".into(), name: "cmk".into(), policy: policy.into() });
    f.ok(KAI, key_with("kv-cmk", "cmk", 2048, "rsa2048-2"));
    let kinds: Vec<String> = f.world.upcoming().iter().map(|p| p.kind.clone()).collect();
    for kind in ["HealthCheck", "RotationPickup", "KeyRotation"] {
        assert!(kinds.iter().any(|k| k == kind), "{kind} in {kinds:?}");
    }
    let times: Vec<u64> = f.world.upcoming().iter().map(|p| SimTime::parse_iso(&p.at).expect("time").unix()).collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "soonest first");
    assert_eq!(*f.world.view().upcoming, f.world.upcoming());
    // The pickup happens, and leaves the list.
    f.advance(SimDuration::days(1));
    assert!(!f.world.upcoming().iter().any(|p| p.kind == "RotationPickup"));
}

#[test]
fn what_if_revoking_the_policy_role_shows_every_lock_and_deletion_and_changes_nothing() {
    // SPEC LOCK-1, LOCK-3, EP-8 on a copy: three environments on one policy.
    let mut f = cmk_ready("Production");
    for (name, t) in [("env-sandbox", "Sandbox"), ("env-dev", "Developer")] {
        f.ok(
            PRIYA,
            Command::CreateEnvironment { name: name.into(), region: "europe".into(), env_type: t.into(), byok: false },
        );
        f.ok(PRIYA, Command::EnableManaged { environment: name.into() });
    }
    for name in ["env", "env-sandbox", "env-dev"] {
        add(&mut f, "ep-cmk", name);
    }
    f.ok(PRIYA, Command::RunClock);
    f.ok(PRIYA, Command::BackupEnvironment { environment: "env".into(), label: Some("weekly".into()) });
    let principal = f.world.find_policy("ep-cmk").expect("policy").principal_id.clone();
    let before = envelope::encode(&f.world).expect("encode");
    let kai = f.oid(KAI);
    let revoke = Command::DeleteRoleAssignment {
        assignee: principal,
        role: "Key Vault Crypto Service Encryption User".into(),
        scope: f.vault_id(),
    };
    let mut rng = ChaCha20Rng::seed_from_u64(5);
    let report = f.world.what_if(&kai, revoke, SimDuration::days(35), &mut rng);
    assert_eq!(report.result, None, "the revocation itself succeeds");
    assert_eq!(report.unhealthy_policies.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(), ["ep-cmk"]);
    let mut locked: Vec<&str> = report.locks.iter().map(|l| l.name.as_str()).collect();
    locked.sort_unstable();
    assert_eq!(locked, ["env", "env-dev", "env-sandbox"], "all three lock");
    assert!(report.locks.iter().all(|l| l.detail.contains("ForbiddenByRbac")), "{:?}", report.locks);

    let deleted: Vec<(&str, &str)> = report.deletions.iter().map(|d| (d.name.as_str(), &d.at[..10])).collect();
    assert!(
        deleted.contains(&("env-sandbox", "2026-01-08")) && deleted.contains(&("env-dev", "2026-01-08")),
        "{deleted:?}"
    );
    assert!(deleted.iter().any(|(n, _)| *n == "env"), "production after 30 days, within 35: {deleted:?}");
    assert_eq!(
        report.unrestorable_backups.iter().map(|b| b.name.as_str()).collect::<Vec<_>>(),
        ["env: weekly"],
        "nor its backup"
    );
    assert_eq!(envelope::encode(&f.world).expect("encode"), before, "the real world is byte-identical");
}

#[test]
fn auth_5_a_lock_for_a_revoked_role_names_the_role_the_policys_identity_needs() {
    // Issue 30 point 2: the identity is told the role made for it (the document's), not a
    // person's (Crypto Officer, Administrator).
    let mut f = cmk_ready("Production");
    add(&mut f, "ep-cmk", "env");
    f.ok(PRIYA, Command::RunClock);
    let principal = f.world.find_policy("ep-cmk").expect("policy").principal_id.clone();
    let scope = f.vault_id();
    let role = "Key Vault Crypto Service Encryption User".to_string();
    f.ok(KAI, Command::DeleteRoleAssignment { assignee: principal, role: role.clone(), scope });
    advance_hours(&mut f, 1);
    let detail = f.world.view().environments.iter().find(|&d| d.summary.name == "env").cloned().expect("env");
    let lock = detail.lock.expect("locked");
    assert_eq!(lock.code, "ForbiddenByRbac");
    assert!(lock.message.contains(&format!("assign it the {role} role")), "{}", lock.message);
    assert!(!lock.message.contains("Crypto Officer"), "{}", lock.message);
    // The Warning's reason stays the key operation's, not the lock's (said once, in the banner).
    let note = detail.encryption_note.unwrap_or_default();
    assert!(note.contains("Power Automate flows") && !note.contains("not authorized"), "{note}");
}

#[test]
fn env_4_a_warning_says_which_data_kept_microsofts_key() {
    // SPEC ENV-4 with issue 30 point 7: the environment page reads why from the view.
    let mut f = cmk_ready("Production");
    add(&mut f, "ep-cmk", "env");
    f.ok(PRIYA, Command::RunClock);
    let detail = f.world.view().environments.iter().find(|&d| d.summary.name == "env").cloned().expect("env");
    assert_eq!(detail.summary.encryption_status, "Warning");
    let note = detail.encryption_note.expect("a Warning says why");
    assert!(note.contains("Power Automate flows") && note.contains("Microsoft-managed key"), "{note}");
    let sandbox = cmk_ready("Sandbox");
    let quiet = sandbox.world.view().environments.iter().find(|&d| d.summary.name == "env").cloned().expect("env");
    assert_eq!(quiet.encryption_note, None, "no note where the status says it all");
}

#[test]
fn deleting_the_group_of_a_policy_in_use_is_refused_with_nothing_deleted() {
    // SPEC EP-6: a resource group whose enterprise policy has linked environments is not deleted,
    // and nothing in it is (the vault is in the same group here).
    let mut f = encrypted("Sandbox");
    let group = RG.rsplit('/').next().expect("name").to_string();
    let before = f.world.clone();
    let msg = f.refused(KAI, Command::DeleteResourceGroup { name: group }, ErrorCode::PolicyInUse);
    assert!(msg.contains("ep-cmk") && msg.contains("nothing in the group was deleted"), "{msg}");
    assert!(f.world == before, "nothing deleted");
    advance_hours(&mut f, 1);
    assert_eq!(env(&mut f, "env")["state"], "Enabled", "and nothing locks");
}
