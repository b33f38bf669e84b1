//! Tests of the world through its one door, `execute`. Each names the SPEC rule it covers.

mod activity;
mod admin_api;
mod fuzz;
mod invariants;
mod keys;
mod keyvault;
mod layers;
mod limits;
mod matrix;
mod policy;
mod ppac;
mod props;
mod registry;
mod session;
mod stored;

#[allow(unused_imports)] // shared with the test modules through `use super::*`
pub(crate) use alloc::{format, string::String, string::ToString, vec, vec::Vec};

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha20Rng;
use rsa::traits::PublicKeyParts;
use zeroize::Zeroizing;

use crate::command::{Command, CreateKey, CreateVault};
use crate::envelope;
use crate::error::ErrorCode;
use crate::key_material::PrivateKeyDer;
use crate::time::{SimDuration, SimTime};
use crate::view::Outcome;
use crate::world::World;

pub(crate) const GUS: &str = "gus@contoso.onmicrosoft.com";
pub(crate) const KAI: &str = "kai@contoso.onmicrosoft.com";
pub(crate) const PRIYA: &str = "priya@contoso.onmicrosoft.com";
pub(crate) const MALLORY: &str = "mallory@contoso.onmicrosoft.com";

/// Committed fixture keys (openssl genpkey), so tests do not pay for key generation.
pub(crate) fn fixture(name: &str) -> PrivateKeyDer {
    let pem = match name {
        "rsa2048-1" => include_str!("../../tests/fixtures/rsa2048-1.pem"),
        "rsa2048-2" => include_str!("../../tests/fixtures/rsa2048-2.pem"),
        "rsa3072-1" => include_str!("../../tests/fixtures/rsa3072-1.pem"),
        "rsa4096-1" => include_str!("../../tests/fixtures/rsa4096-1.pem"),
        _ => panic!("no fixture {name}"),
    };
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    PrivateKeyDer(Zeroizing::new(STANDARD.decode(body).expect("fixture is base64")))
}

impl World {
    pub(crate) fn key_material(&self, vault: &str, key: &str) -> Option<&crate::key_material::KeyMaterial> {
        self.azure.vault(vault).ok()?.key(key)?.current().map(|v| &v.material)
    }
}

pub(crate) struct Fixture {
    pub world: World,
    pub rng: ChaCha20Rng,
    pub now: SimTime,
}

impl Fixture {
    pub fn new() -> Self {
        Self { world: World::new(), rng: ChaCha20Rng::seed_from_u64(42), now: SimTime::GENESIS }
    }
    pub fn oid(&self, upn: &str) -> String {
        self.world.user_by_upn(upn).expect("persona").object_id.clone()
    }
    pub fn run(&mut self, upn: &str, cmd: Command) -> Result<Outcome, crate::Error> {
        // Commands like `sim clock run` move the world's clock; the next command starts from there.
        self.now = self.now.max(self.world.now());
        let oid = self.oid(upn);
        self.world.execute(&oid, cmd, self.now, &mut self.rng)
    }
    /// Kai's resource group and an access-policy vault (Kai holds a full access policy).
    pub fn with_vault(rbac: bool) -> Self {
        let mut f = Self::new();
        f.run(
            KAI,
            Command::CreateResourceGroup {
                name: "rg-cmk".into(),
                location: "westeurope".into(),
                tags: Default::default(),
            },
        )
        .expect("rg");
        let mut v = CreateVault::new("kv-cmk", "rg-cmk", "westeurope");
        v.enable_rbac_authorization = rbac;
        v.enable_purge_protection = true;
        f.run(KAI, Command::CreateVault(v)).expect("vault");
        f
    }
    /// Runs a command that must succeed and returns its JSON.
    pub fn ok(&mut self, upn: &str, cmd: Command) -> serde_json::Value {
        let label = cmd.label();
        match self.run(upn, cmd) {
            Ok(outcome) => serde_json::to_value(outcome).expect("json"),
            Err(e) => panic!("{label} failed: {e}"),
        }
    }
    /// Runs a command that must fail with `code` and change nothing; returns the message.
    pub fn refused(&mut self, upn: &str, cmd: Command, code: ErrorCode) -> String {
        let before = self.world.clone();
        let label = cmd.label();
        match self.run(upn, cmd) {
            Ok(o) => panic!("{label} should fail with {code}, got {o:?}"),
            Err(e) => {
                assert_eq!(e.code(), code, "{label}: {e}");
                assert_eq!(self.world, before, "{label}: a refused command changes nothing");
                e.message().into()
            }
        }
    }
    pub fn advance(&mut self, d: SimDuration) {
        self.now = self.now.max(self.world.now()).plus(d);
        let now = self.now;
        self.world.advance(now, &mut self.rng);
    }
    pub fn vault_id(&self) -> String {
        "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-cmk/providers/Microsoft.KeyVault/vaults/kv-cmk".into()
    }
}

pub(crate) fn key_with(vault: &str, name: &str, size: u32, fixture_name: &str) -> Command {
    let mut k = CreateKey::rsa(vault, name, size);
    k.pregenerated = Some(fixture(fixture_name));
    Command::CreateKey(k)
}

pub(crate) fn expect_key(outcome: Outcome) -> crate::view::KeyBundle {
    match outcome {
        Outcome::Key(k) => k,
        other => panic!("expected a key, got {other:?}"),
    }
}

#[test]
fn kai_creates_group_vault_and_keys_with_real_rsa_generation() {
    // SPEC KV-4: RSA 2048 and 3072 keys generated from the injected RNG. SPEC KV-5: kid shape, JWK.
    let mut f = Fixture::with_vault(false);
    for size in [2048u32, 3072] {
        let name = alloc::format!("cmk-{size}");
        let bundle = expect_key(f.run(KAI, Command::CreateKey(CreateKey::rsa("kv-cmk", &name, size))).expect("key"));
        let n = STANDARD
            .decode(bundle.key.n.replace('-', "+").replace('_', "/") + &"=".repeat((4 - bundle.key.n.len() % 4) % 4))
            .expect("n");
        assert_eq!(n.len() * 8, size as usize, "modulus has the requested size");
        assert_eq!(bundle.key.e, "AQAB");
        let prefix = alloc::format!("https://kv-cmk.vault.azure.net/keys/{name}/");
        assert!(bundle.key.kid.starts_with(&prefix), "{}", bundle.key.kid);
        let version = &bundle.key.kid[prefix.len()..];
        assert_eq!(version.len(), 32);
        assert!(version.bytes().all(|c| matches!(c, b'0'..=b'9' | b'a'..=b'f')));
        let material = f.world.key_material("kv-cmk", &name).expect("stored");
        assert_eq!(material.private_key().n().bits(), size as usize);
        material.private_key().validate().expect("a consistent RSA key");
    }
}

#[test]
fn key_bundle_shows_only_public_parts() {
    // SPEC KV-5: the public key is shown as a JWK (kid, kty, key_ops, n, e); the private key never leaves the vault.
    let mut f = Fixture::with_vault(false);
    let outcome = f.run(KAI, key_with("kv-cmk", "cmk", 2048, "rsa2048-1")).expect("key");
    let json: serde_json::Value = serde_json::to_value(&outcome).expect("json");
    let mut fields: Vec<&str> = json["key"].as_object().expect("key object").keys().map(String::as_str).collect();
    fields.sort_unstable();
    assert_eq!(fields, ["e", "key_ops", "kid", "kty", "n"]);
    assert_eq!(json["attributes"]["recoveryLevel"], "Recoverable", "purge protection on, 90 days");
    let debug = alloc::format!("{:?}", f.world);
    assert!(debug.contains("private part redacted"), "Debug never prints key material");
}

#[test]
fn show_key_by_version_is_case_insensitive_and_new_versions_become_current() {
    // SPEC KV-5: versions are compared case-insensitively; creating an existing key adds a version.
    let mut f = Fixture::with_vault(false);
    let v1 = expect_key(f.run(KAI, key_with("kv-cmk", "cmk", 2048, "rsa2048-1")).expect("v1"));
    let v2 = expect_key(f.run(KAI, key_with("kv-cmk", "CMK", 2048, "rsa2048-2")).expect("v2"));
    assert_ne!(v1.key.kid, v2.key.kid);
    let current = expect_key(
        f.run(KAI, Command::ShowKey { vault: "kv-cmk".into(), name: "cmk".into(), version: None }).expect("show"),
    );
    assert_eq!(current.key.kid, v2.key.kid);
    let old_version = v1.key.kid.rsplit('/').next().expect("version").to_ascii_uppercase();
    let old = expect_key(
        f.run(KAI, Command::ShowKey { vault: "KV-CMK".into(), name: "cmk".into(), version: Some(old_version) })
            .expect("show v1"),
    );
    assert_eq!(old.key.n, v1.key.n);
    let missing = f
        .run(KAI, Command::ShowKey { vault: "kv-cmk".into(), name: "nope".into(), version: None })
        .expect_err("missing");
    assert_eq!(missing.code(), ErrorCode::KeyNotFound);
}

#[test]
fn sizes_outside_kv_4_are_refused_and_change_nothing() {
    // SPEC KV-4: 2048, 3072, 4096 can be created; nothing else.
    let mut f = Fixture::with_vault(false);
    let before = f.world.clone();
    let err = f.run(KAI, Command::CreateKey(CreateKey::rsa("kv-cmk", "small", 1024))).expect_err("1024");
    assert_eq!(err.code(), ErrorCode::BadParameter);
    assert!(err.message().contains("2048, 3072 or 4096"), "{}", err.message());
    let mut hsm = CreateKey::rsa("kv-cmk", "hsm", 2048);
    hsm.kty = crate::azure::vault::KeyType::RsaHsm;
    assert_eq!(f.run(KAI, Command::CreateKey(hsm)).expect_err("hsm in standard").code(), ErrorCode::BadParameter);
    assert_eq!(f.world, before);
}

#[test]
fn pregenerated_material_is_checked() {
    // SPEC KV-4: key material from the host must be a consistent RSA key of the requested size.
    let mut f = Fixture::with_vault(false);
    let before = f.world.clone();
    let wrong_size = f.run(KAI, key_with("kv-cmk", "cmk", 3072, "rsa2048-1")).expect_err("size mismatch");
    assert_eq!(wrong_size.code(), ErrorCode::InvalidKeyMaterial);
    let mut garbage = CreateKey::rsa("kv-cmk", "cmk", 2048);
    garbage.pregenerated = Some(PrivateKeyDer(Zeroizing::new(alloc::vec![0x30, 0x03, 0x02, 0x01, 0x00])));
    assert_eq!(f.run(KAI, Command::CreateKey(garbage)).expect_err("garbage").code(), ErrorCode::InvalidKeyMaterial);
    assert_eq!(f.world, before);
    assert!(f.run(KAI, key_with("kv-cmk", "cmk", 3072, "rsa3072-1")).is_ok());
}

#[test]
fn power_platform_admin_cannot_touch_azure() {
    // SPEC AUTH-5, AUTH-6: a Power Platform admin with no Azure rights cannot create resources or touch keys.
    let mut f = Fixture::with_vault(false);
    let before = f.world.clone();
    let rg = f
        .run(
            PRIYA,
            Command::CreateResourceGroup {
                name: "rg-priya".into(),
                location: "westeurope".into(),
                tags: Default::default(),
            },
        )
        .expect_err("rg");
    assert_eq!(rg.code(), ErrorCode::AuthorizationFailed);
    assert!(
        rg.message().contains("Microsoft.Resources/subscriptions/resourceGroups/write"),
        "names the action: {}",
        rg.message()
    );
    assert!(rg.message().contains("/resourceGroups/rg-priya"), "names the scope: {}", rg.message());
    let vault =
        f.run(PRIYA, Command::CreateVault(CreateVault::new("kv-priya", "rg-cmk", "westeurope"))).expect_err("vault");
    assert_eq!(vault.code(), ErrorCode::AuthorizationFailed);
    let key = f.run(PRIYA, key_with("kv-cmk", "cmk", 2048, "rsa2048-1")).expect_err("key");
    assert_eq!(key.code(), ErrorCode::ForbiddenByPolicy);
    assert_eq!(f.world, before);
    let view = {
        f.run(PRIYA, Command::SignIn { upn: PRIYA.into() }).expect("sign in");
        f.world.view()
    };
    assert!(view.vaults.is_empty() && view.resource_groups.is_empty(), "no Azure role: sees no resources");
}

#[test]
fn rbac_vault_needs_a_data_plane_role_even_for_the_owner() {
    // SPEC AUTH-3, AUTH-5: Owner grants control-plane actions only; keys need a Key Vault data role.
    let mut f = Fixture::with_vault(true);
    let before = f.world.clone();
    let err = f.run(KAI, key_with("kv-cmk", "cmk", 2048, "rsa2048-1")).expect_err("no data role");
    assert_eq!(err.code(), ErrorCode::ForbiddenByRbac);
    assert!(err.message().contains("Microsoft.KeyVault/vaults/keys/create/action"), "{}", err.message());
    // The advice names the least-privileged role a person needs for it (issue 30 point 2).
    assert!(err.message().contains("assign it the Key Vault Crypto Officer role"), "{}", err.message());
    assert_eq!(f.world, before, "a refused command changes nothing");
    f.run(KAI, Command::SignIn { upn: KAI.into() }).expect("sign in");
    let listing = &f.world.view().vaults[0];
    assert_eq!(listing.keys.as_ref().expect_err("list refused").code(), ErrorCode::ForbiddenByRbac);

    let kai = f.oid(KAI);
    let scope = f.vault_id();
    f.run(KAI, Command::CreateRoleAssignment { assignee: kai, role: "Key Vault Crypto Officer".into(), scope })
        .expect("assign");
    f.run(KAI, key_with("kv-cmk", "cmk", 2048, "rsa2048-1")).expect("now allowed");
    // Crypto Officer at the vault scope does not reach Mallory, who has no assignment there.
    let err = f
        .run(MALLORY, Command::ShowKey { vault: "kv-cmk".into(), name: "cmk".into(), version: None })
        .expect_err("mallory");
    assert_eq!(err.code(), ErrorCode::ForbiddenByRbac);
}

#[test]
fn access_policy_vault_grants_only_its_policies() {
    // SPEC AUTH-4: with the access-policy model, only principals with a policy get key rights (Owner of the subscription is not enough).
    let mut f = Fixture::with_vault(false);
    f.run(KAI, key_with("kv-cmk", "cmk", 2048, "rsa2048-1")).expect("creator has a policy");
    let err = f
        .run(MALLORY, Command::ShowKey { vault: "kv-cmk".into(), name: "cmk".into(), version: None })
        .expect_err("mallory");
    assert_eq!(err.code(), ErrorCode::ForbiddenByPolicy);
    // RBAC data roles do not count on an access-policy vault.
    let mallory = f.oid(MALLORY);
    let scope = f.vault_id();
    f.run(GUS, Command::CreateRoleAssignment { assignee: mallory, role: "Key Vault Administrator".into(), scope })
        .expect("assign");
    let err = f
        .run(MALLORY, Command::ShowKey { vault: "kv-cmk".into(), name: "cmk".into(), version: None })
        .expect_err("still");
    assert_eq!(err.code(), ErrorCode::ForbiddenByPolicy);
}

#[test]
fn role_assignment_validation() {
    // SPEC AUTH-3: assignments need a known role, a known principal, an existing scope, and Microsoft.Authorization/roleAssignments/write.
    let mut f = Fixture::with_vault(true);
    let kai = f.oid(KAI);
    let scope = f.vault_id();
    let unknown_role = f.run(
        GUS,
        Command::CreateRoleAssignment { assignee: kai.clone(), role: "Key Master".into(), scope: scope.clone() },
    );
    assert_eq!(unknown_role.expect_err("role").code(), ErrorCode::RoleDefinitionNotFound);
    let unknown_principal = f.run(
        GUS,
        Command::CreateRoleAssignment {
            assignee: "00000000-1111-2222-3333-444444444444".into(),
            role: "Reader".into(),
            scope: scope.clone(),
        },
    );
    assert_eq!(unknown_principal.expect_err("principal").code(), ErrorCode::PrincipalNotFound);
    let bad_scope = f.run(
        GUS,
        Command::CreateRoleAssignment {
            assignee: kai.clone(),
            role: "Reader".into(),
            scope: "/subscriptions/nope".into(),
        },
    );
    assert_eq!(bad_scope.expect_err("scope").code(), ErrorCode::BadParameter);
    let priya = f.run(
        PRIYA,
        Command::CreateRoleAssignment { assignee: kai.clone(), role: "Reader".into(), scope: scope.clone() },
    );
    assert_eq!(priya.expect_err("priya").code(), ErrorCode::AuthorizationFailed);
    f.run(GUS, Command::CreateRoleAssignment { assignee: kai.clone(), role: "reader".into(), scope: scope.clone() })
        .expect("ok");
    let dup = f.run(GUS, Command::CreateRoleAssignment { assignee: KAI.into(), role: "Reader".into(), scope });
    assert_eq!(dup.expect_err("dup").code(), ErrorCode::RoleAssignmentExists);
}

#[test]
fn vault_creation_rules() {
    // SPEC KV-1: names and uniqueness; SPEC KV-2: retention 7–90 days fixed at creation.
    let mut f = Fixture::with_vault(false);
    let before = f.world.clone();
    let taken =
        f.run(GUS, Command::CreateVault(CreateVault::new("KV-CMK", "rg-cmk", "westeurope"))).expect_err("taken");
    assert_eq!(taken.code(), ErrorCode::VaultAlreadyExists);
    let bad = f.run(GUS, Command::CreateVault(CreateVault::new("1kv", "rg-cmk", "westeurope"))).expect_err("name");
    assert_eq!(bad.code(), ErrorCode::VaultNameNotValid);
    let mut short = CreateVault::new("kv-short", "rg-cmk", "westeurope");
    short.retention_days = 6;
    assert_eq!(f.run(GUS, Command::CreateVault(short)).expect_err("retention").code(), ErrorCode::BadParameter);
    let no_rg = f.run(GUS, Command::CreateVault(CreateVault::new("kv-x", "rg-none", "westeurope"))).expect_err("rg");
    assert_eq!(no_rg.code(), ErrorCode::ResourceGroupNotFound);
    let nowhere = f.run(GUS, Command::CreateVault(CreateVault::new("kv-x", "rg-cmk", "atlantis"))).expect_err("loc");
    assert_eq!(nowhere.code(), ErrorCode::LocationNotAvailableForResourceType);
    assert_eq!(f.world, before);
    let moved = f
        .run(
            GUS,
            Command::CreateResourceGroup { name: "RG-CMK".into(), location: "eastus".into(), tags: Default::default() },
        )
        .expect_err("moved");
    assert_eq!(moved.code(), ErrorCode::InvalidResourceGroupLocation);
}

#[test]
fn clock_only_moves_forward() {
    // SPEC PG-1: the simulated clock drives time; commands cannot be dated in its past.
    let mut f = Fixture::new();
    f.now = SimTime::GENESIS.plus(SimDuration::days(2));
    f.run(GUS, Command::SignIn { upn: KAI.into() }).expect("sign in");
    assert_eq!(f.world.now().to_iso(), "2026-01-03T00:00:00Z");
    let before = f.world.clone();
    let gus = f.oid(GUS);
    let err =
        f.world.execute(&gus, Command::SignIn { upn: GUS.into() }, SimTime::GENESIS, &mut f.rng).expect_err("past");
    assert_eq!(err.code(), ErrorCode::TimeMovesForward);
    assert_eq!(f.world, before);
}

#[test]
fn sign_in_switches_persona_and_rejects_strangers() {
    // SPEC PG-2: personas Gus, Kai, Priya, Mallory; SPEC AUTH-2: Entra roles per persona.
    let mut f = Fixture::new();
    let view = f.world.view();
    let upns: Vec<&str> = view.personas.iter().map(|p| p.user_principal_name.as_str()).collect();
    assert_eq!(upns, [GUS, KAI, PRIYA, MALLORY]);
    assert_eq!(view.signed_in.user_principal_name, GUS);
    assert_eq!(view.personas[2].entra_roles, ["Power Platform Administrator"]);
    assert!(view.personas[2].azure_roles.is_empty());
    f.run(GUS, Command::SignIn { upn: "PRIYA@contoso.onmicrosoft.com".into() }).expect("case-insensitive upn");
    assert_eq!(f.world.view().signed_in.user_principal_name, PRIYA);
    let err = f.run(GUS, Command::SignIn { upn: "eve@contoso.onmicrosoft.com".into() }).expect_err("stranger");
    assert_eq!(err.code(), ErrorCode::PrincipalNotFound);
}

#[test]
fn envelope_round_trips_exactly_and_rejects_bad_saves() {
    // SPEC PG-3: saved state is a versioned envelope; corrupt or newer state is reported, never loaded half-way.
    let mut f = Fixture::with_vault(false);
    f.run(KAI, key_with("kv-cmk", "cmk", 2048, "rsa2048-1")).expect("key");
    let text = envelope::encode(&f.world).expect("encode");
    let back = envelope::decode(&text).expect("decode");
    assert_eq!(back, f.world);
    assert_eq!(envelope::encode(&back).expect("encode"), text, "byte-identical");

    let newer = text.replacen("\"version\":2", "\"version\":99", 1);
    assert_eq!(envelope::decode(&newer).expect_err("newer").code(), ErrorCode::UnsupportedStateVersion);
    for bad in ["", "{", "[]", "{\"format\":\"excalidraw\",\"version\":1}", "{\"format\":\"cmk-playground\"}"] {
        assert_eq!(envelope::decode(bad).expect_err(bad).code(), ErrorCode::CorruptState, "{bad}");
    }
    let damaged = text.replacen("MII", "MIX", 1);
    assert_eq!(envelope::decode(&damaged).expect_err("damaged key").code(), ErrorCode::CorruptState);
    let truncated = &text[..text.len() / 2];
    assert_eq!(envelope::decode(truncated).expect_err("truncated").code(), ErrorCode::CorruptState);
}

#[test]
fn same_seed_and_commands_give_the_same_bytes() {
    // SPEC PG-1 (determinism): the core reads no clock and no OS RNG.
    let run = || {
        let mut f = Fixture::with_vault(true);
        let kai = f.oid(KAI);
        let scope = f.vault_id();
        f.run(KAI, Command::CreateRoleAssignment { assignee: kai, role: "Key Vault Administrator".into(), scope })
            .expect("assign");
        f.run(KAI, Command::CreateKey(CreateKey::rsa("kv-cmk", "cmk", 2048))).expect("key");
        envelope::encode(&f.world).expect("encode")
    };
    assert_eq!(run(), run());
}
