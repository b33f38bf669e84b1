//! Keys: attributes, crypto operations, rotation, import, delete / recover / purge.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rsa::pkcs8::DecodePrivateKey;
use rsa::traits::{PrivateKeyParts, PublicKeyParts};

use super::*;
use crate::command::{CryptoOperation, ImportKey, KeyOperation, SetKeyAttributes};
use crate::key_material::SecretText;

fn op(name: &str, version: Option<&str>, operation: CryptoOperation, alg: &str, value: &[u8]) -> Command {
    Command::KeyOperation(KeyOperation {
        vault: "kv-cmk".into(),
        name: name.into(),
        version: version.map(Into::into),
        operation,
        algorithm: alg.into(),
        value: STANDARD.encode(value),
    })
}

fn result_bytes(json: &serde_json::Value) -> Vec<u8> {
    STANDARD.decode(json["result"].as_str().expect("result")).expect("base64")
}

fn attrs(version: Option<&str>) -> SetKeyAttributes {
    SetKeyAttributes {
        tags: Default::default(),
        vault: "kv-cmk".into(),
        name: "cmk".into(),
        version: version.map(Into::into),
        enabled: None,
        expires: None,
        not_before: None,
        ops: None,
    }
}

#[test]
fn every_algorithm_round_trips_through_the_vault() {
    // SPEC KV-7: wrapKey / unwrapKey / encrypt / decrypt with RSA-OAEP-256, RSA-OAEP, RSA1_5.
    let mut f = Fixture::with_vault(false);
    f.ok(KAI, key_with("kv-cmk", "cmk", 2048, "rsa2048-1"));
    let dek = [0x5au8; 32];
    for alg in ["RSA-OAEP-256", "RSA-OAEP", "RSA1_5"] {
        let wrapped = f.ok(KAI, op("cmk", None, CryptoOperation::WrapKey, alg, &dek));
        assert_eq!(wrapped["algorithm"], alg);
        let ct = result_bytes(&wrapped);
        assert_eq!(ct.len(), 256);
        let back = f.ok(KAI, op("cmk", None, CryptoOperation::UnwrapKey, alg, &ct));
        assert_eq!(result_bytes(&back), dek);
        let enc = f.ok(KAI, op("cmk", None, CryptoOperation::Encrypt, alg, b"hello"));
        let dec = f.ok(KAI, op("cmk", None, CryptoOperation::Decrypt, alg, &result_bytes(&enc)));
        assert_eq!(result_bytes(&dec), b"hello");
    }
    let msg = f.refused(KAI, op("cmk", None, CryptoOperation::WrapKey, "RSA-OAEP-512", &dek), ErrorCode::BadParameter);
    assert!(msg.contains("RSA-OAEP-256"), "{msg}");
    f.refused(KAI, op("cmk", None, CryptoOperation::Encrypt, "RSA-OAEP-256", &[1u8; 200]), ErrorCode::BadParameter);
    f.refused(KAI, op("cmk", None, CryptoOperation::UnwrapKey, "RSA-OAEP-256", &[1u8; 256]), ErrorCode::BadParameter);
}

#[test]
fn vault_ciphertext_is_standard_rsa_oaep_256() {
    // SPEC KV-7: byte-compatible with any standard implementation: the public JWK encrypts, the vault decrypts.
    let mut f = Fixture::with_vault(false);
    let bundle = expect_key(f.run(KAI, key_with("kv-cmk", "cmk", 2048, "rsa2048-1")).expect("key"));
    let n = rsa::BigUint::from_bytes_be(&URL_SAFE_NO_PAD.decode(&bundle.key.n).expect("n"));
    let e = rsa::BigUint::from_bytes_be(&URL_SAFE_NO_PAD.decode(&bundle.key.e).expect("e"));
    let public = rsa::RsaPublicKey::new(n, e).expect("public key from the JWK");
    let ct = public.encrypt(&mut f.rng, rsa::Oaep::new::<sha2::Sha256>(), b"data key").expect("encrypt");
    let out = f.ok(KAI, op("cmk", None, CryptoOperation::UnwrapKey, "RSA-OAEP-256", &ct));
    assert_eq!(result_bytes(&out), b"data key");
    // And the other way: what the vault wraps, the private key (same PKCS#8 as the fixture) opens.
    let wrapped = result_bytes(&f.ok(KAI, op("cmk", None, CryptoOperation::WrapKey, "RSA-OAEP-256", b"other key")));
    let private = rsa::RsaPrivateKey::from_pkcs8_der(&fixture("rsa2048-1").0).expect("fixture");
    assert_eq!(private.decrypt(rsa::Oaep::new::<sha2::Sha256>(), &wrapped).expect("decrypt"), b"other key");
}

#[test]
fn disabled_keys_refuse_everything() {
    // SPEC KV-6: a disabled key refuses every operation (KeyDisabled).
    let mut f = Fixture::with_vault(false);
    f.ok(KAI, key_with("kv-cmk", "cmk", 2048, "rsa2048-1"));
    let ct = result_bytes(&f.ok(KAI, op("cmk", None, CryptoOperation::WrapKey, "RSA-OAEP-256", &[7u8; 32])));
    f.ok(KAI, Command::SetKeyAttributes(SetKeyAttributes { enabled: Some(false), ..attrs(None) }));
    for cmd in [
        op("cmk", None, CryptoOperation::WrapKey, "RSA-OAEP-256", &[7u8; 32]),
        op("cmk", None, CryptoOperation::UnwrapKey, "RSA-OAEP-256", &ct),
        op("cmk", None, CryptoOperation::Encrypt, "RSA-OAEP-256", b"x"),
        op("cmk", None, CryptoOperation::Decrypt, "RSA-OAEP-256", &ct),
        Command::ShowKey { vault: "kv-cmk".into(), name: "cmk".into(), version: None },
    ] {
        let msg = f.refused(KAI, cmd, ErrorCode::KeyDisabled);
        assert!(msg.contains("disabled"), "{msg}");
    }
    let listed = f.ok(KAI, Command::ListKeyVersions { vault: "kv-cmk".into(), name: "cmk".into() });
    assert_eq!(listed[0]["attributes"]["enabled"], false, "versions are still listed");
    f.ok(KAI, Command::SetKeyAttributes(SetKeyAttributes { enabled: Some(true), ..attrs(None) }));
    f.ok(KAI, op("cmk", None, CryptoOperation::UnwrapKey, "RSA-OAEP-256", &ct));
}

#[test]
fn outside_nbf_exp_a_key_unwraps_but_does_not_wrap() {
    // SPEC KV-6: outside nbf..exp a key still unwraps and decrypts but refuses wrap and encrypt.
    let mut f = Fixture::with_vault(false);
    f.ok(KAI, key_with("kv-cmk", "cmk", 2048, "rsa2048-1"));
    let ct = result_bytes(&f.ok(KAI, op("cmk", None, CryptoOperation::WrapKey, "RSA-OAEP-256", &[9u8; 32])));
    let later = SimTime::GENESIS.plus(SimDuration::days(10));
    f.ok(KAI, Command::SetKeyAttributes(SetKeyAttributes { not_before: Some(Some(later)), ..attrs(None) }));
    let msg = f.refused(
        KAI,
        op("cmk", None, CryptoOperation::WrapKey, "RSA-OAEP-256", &[9u8; 32]),
        ErrorCode::KeyNotYetValid,
    );
    assert!(msg.contains("2026-01-11 00:00 UTC"), "{msg}");
    f.refused(KAI, op("cmk", None, CryptoOperation::Encrypt, "RSA-OAEP", b"x"), ErrorCode::KeyNotYetValid);
    assert_eq!(result_bytes(&f.ok(KAI, op("cmk", None, CryptoOperation::UnwrapKey, "RSA-OAEP-256", &ct))), [9u8; 32]);

    let exp = SimTime::GENESIS.plus(SimDuration::days(20));
    f.ok(
        KAI,
        Command::SetKeyAttributes(SetKeyAttributes { not_before: Some(None), expires: Some(Some(exp)), ..attrs(None) }),
    );
    f.ok(KAI, op("cmk", None, CryptoOperation::WrapKey, "RSA-OAEP-256", &[1u8; 32]));
    f.advance(SimDuration::days(20));
    f.refused(KAI, op("cmk", None, CryptoOperation::WrapKey, "RSA-OAEP-256", &[1u8; 32]), ErrorCode::KeyExpired);
    f.ok(KAI, op("cmk", None, CryptoOperation::Decrypt, "RSA-OAEP-256", &ct));
    let bad = SetKeyAttributes { not_before: Some(Some(exp.plus(SimDuration::days(1)))), ..attrs(None) };
    f.refused(KAI, Command::SetKeyAttributes(bad), ErrorCode::BadParameter);
}

#[test]
fn rotate_now_keeps_old_versions_usable() {
    // SPEC KV-8: "Rotate now" makes a new current version; old versions stay usable.
    let mut f = Fixture::with_vault(false);
    let v1 = expect_key(f.run(KAI, key_with("kv-cmk", "cmk", 2048, "rsa2048-1")).expect("v1"));
    let old = v1.key.kid.rsplit('/').next().expect("version").to_string();
    let ct = result_bytes(&f.ok(KAI, op("cmk", None, CryptoOperation::WrapKey, "RSA-OAEP-256", &[3u8; 32])));
    let v2 = expect_key(
        f.run(KAI, Command::RotateKey { vault: "kv-cmk".into(), name: "cmk".into(), pregenerated: None })
            .expect("rotate"),
    );
    assert_ne!(v1.key.kid, v2.key.kid);
    assert_ne!(v1.key.n, v2.key.n, "a new key pair");
    assert_eq!(v2.key.n.len(), v1.key.n.len(), "same size");
    let current = expect_key(
        f.run(KAI, Command::ShowKey { vault: "kv-cmk".into(), name: "cmk".into(), version: None }).expect("show"),
    );
    assert_eq!(current.key.kid, v2.key.kid);
    f.refused(KAI, op("cmk", None, CryptoOperation::UnwrapKey, "RSA-OAEP-256", &ct), ErrorCode::BadParameter);
    assert_eq!(
        result_bytes(&f.ok(KAI, op("cmk", Some(&old), CryptoOperation::UnwrapKey, "RSA-OAEP-256", &ct))),
        [3u8; 32]
    );
    assert!(f.world.log.iter().any(|a| a.kind == "KeyRotated"));
}

#[test]
fn rotation_policy_rotates_and_notifies_on_the_clock() {
    // SPEC KV-8 + PG-1: the clock drives automatic rotation (timeAfterCreate) and Notify (timeBeforeExpiry).
    let mut f = Fixture::with_vault(false);
    f.ok(KAI, key_with("kv-cmk", "cmk", 2048, "rsa2048-1"));
    let policy = r#"{"lifetimeActions":[{"trigger":{"timeAfterCreate":"P30D"},"action":{"type":"Rotate"}},{"trigger":{"timeBeforeExpiry":"P10D"},"action":{"type":"Notify"}}],"attributes":{"expiryTime":"P60D"}}"#;
    f.refused(
        MALLORY,
        Command::SetRotationPolicy { vault: "kv-cmk".into(), name: "cmk".into(), policy: policy.into() },
        ErrorCode::ForbiddenByPolicy,
    );
    f.refused(
        KAI,
        Command::SetRotationPolicy {
            vault: "kv-cmk".into(),
            name: "cmk".into(),
            policy:
                "{\"lifetimeActions\":[{\"trigger\":{\"timeAfterCreate\":\"P1D\"},\"action\":{\"type\":\"Rotate\"}}]}"
                    .into(),
        },
        ErrorCode::BadParameter,
    );
    let set =
        f.ok(KAI, Command::SetRotationPolicy { vault: "kv-cmk".into(), name: "cmk".into(), policy: policy.into() });
    assert_eq!(set["attributes"]["expiryTime"], "P60D");
    let shown = f.ok(KAI, Command::ShowRotationPolicy { vault: "kv-cmk".into(), name: "cmk".into() });
    assert_eq!(shown["lifetimeActions"][0]["trigger"]["timeAfterCreate"], "P30D");
    assert_eq!(f.world.next_event_time(), Some(SimTime::GENESIS.plus(SimDuration::days(30))));

    f.advance(SimDuration::days(29));
    assert_eq!(f.world.azure.vault("kv-cmk").expect("v").key("cmk").expect("k").versions.len(), 1, "not yet");
    f.advance(SimDuration::days(1));
    let key = f.world.azure.vault("kv-cmk").expect("v").key("cmk").expect("k").clone();
    assert_eq!(key.versions.len(), 2, "rotated at day 30");
    let current = key.current().expect("current");
    assert_eq!(current.created.to_iso(), "2026-01-31T00:00:00Z", "rotation happens at its due time");
    assert_eq!(current.expires.map(SimTime::to_iso).as_deref(), Some("2026-04-01T00:00:00Z"), "expiryTime P60D");
    // Three more periods: rotations on day 60, 90 and 120, each version expiring 60 days after creation.
    f.advance(SimDuration::days(95));
    let key = f.world.azure.vault("kv-cmk").expect("v").key("cmk").expect("k").clone();
    assert_eq!(key.versions.len(), 5);
    let rotations = f.world.log.iter().filter(|a| a.kind == "KeyRotated").count();
    assert_eq!(rotations, 4);
    // Notify needs an expiry within 10 days of now, which rotation (every 30 days) always pre-empts.
    assert!(!f.world.log.iter().any(|a| a.kind == "KeyNearExpiry"));
}

#[test]
fn notify_fires_once_per_version_before_expiry() {
    // SPEC KV-8: a Notify action fires timeBeforeExpiry ahead of the current version's expiry.
    let mut f = Fixture::with_vault(false);
    let mut k = CreateKey::rsa("kv-cmk", "cmk", 2048);
    k.pregenerated = Some(fixture("rsa2048-1"));
    k.expires = Some(SimTime::GENESIS.plus(SimDuration::days(40)));
    f.ok(KAI, Command::CreateKey(k));
    let policy = r#"{"lifetimeActions":[{"trigger":{"timeBeforeExpiry":"P7D"},"action":{"type":"Notify"}}],"attributes":{"expiryTime":"P90D"}}"#;
    f.ok(KAI, Command::SetRotationPolicy { vault: "kv-cmk".into(), name: "cmk".into(), policy: policy.into() });
    f.advance(SimDuration::days(32));
    assert!(!f.world.log.iter().any(|a| a.kind == "KeyNearExpiry"));
    f.advance(SimDuration::days(1));
    let notices: Vec<_> = f.world.log.iter().filter(|a| a.kind == "KeyNearExpiry").collect();
    assert_eq!(notices.len(), 1);
    assert_eq!(notices[0].at, "2026-02-03T00:00:00Z");
    assert!(notices[0].message.contains("2026-02-10 00:00 UTC"), "{}", notices[0].message);
    f.advance(SimDuration::days(30));
    assert_eq!(f.world.log.iter().filter(|a| a.kind == "KeyNearExpiry").count(), 1, "once per version");
}

#[test]
fn import_pem_pkcs8_pkcs1_and_jwk() {
    // SPEC KV-12: import an existing key (PEM / JWK) as a new key or a new version.
    let mut f = Fixture::with_vault(false);
    let import = |name: &str, text: &str| {
        Command::ImportKey(ImportKey {
            tags: Default::default(),
            vault: "kv-cmk".into(),
            name: name.into(),
            kty: crate::azure::vault::KeyType::Rsa,
            material: SecretText::from(text),
            enabled: true,
            not_before: None,
            expires: None,
            ops: None,
        })
    };
    let pkcs8 = include_str!("../../tests/fixtures/rsa2048-1.pem");
    let pkcs1 = include_str!("../../tests/fixtures/rsa2048-2-pkcs1.pem");
    let a = expect_key(f.run(KAI, import("imported", pkcs8)).expect("pkcs8"));
    let b = expect_key(f.run(KAI, import("imported", pkcs1)).expect("pkcs1 as a new version"));
    assert_ne!(a.key.kid, b.key.kid);
    let private = rsa::RsaPrivateKey::from_pkcs8_der(&fixture("rsa2048-1").0).expect("fixture");
    assert_eq!(
        URL_SAFE_NO_PAD.decode(&a.key.n).expect("n"),
        private.n().to_bytes_be(),
        "the imported key is the one given"
    );
    let b64 = |x: &rsa::BigUint| URL_SAFE_NO_PAD.encode(x.to_bytes_be());
    let jwk = serde_json::json!({
        "kty": "RSA", "n": b64(private.n()), "e": b64(private.e()), "d": b64(private.d()),
        "p": b64(&private.primes()[0]), "q": b64(&private.primes()[1]),
    })
    .to_string();
    let c = expect_key(f.run(KAI, import("from-jwk", &jwk)).expect("jwk"));
    assert_eq!(c.key.n, a.key.n);
    for (bad, why) in [
        (include_str!("../../tests/fixtures/rsa1024-1.pem"), "1024 bits"),
        ("-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----", "public key"),
        ("-----BEGIN PRIVATE KEY-----\n!!!!\n-----END PRIVATE KEY-----", "not base64"),
        ("just text", "BEGIN"),
        ("{\"kty\":\"EC\"}", "kty must be RSA"),
        ("{\"kty\":\"RSA\",\"n\":\"AQAB\"}", "missing"),
    ] {
        let msg = f.refused(KAI, import("bad", bad), ErrorCode::InvalidKeyMaterial);
        assert!(msg.contains(why), "{why}: {msg}");
    }
    f.refused(MALLORY, import("x", pkcs8), ErrorCode::ForbiddenByPolicy);
}

#[test]
fn deleted_keys_are_recoverable_and_their_names_reserved() {
    // SPEC KV-9: delete → soft-deleted; re-creating fails with ObjectIsDeletedButRecoverable; purge protection.
    let mut f = Fixture::with_vault(false); // purge protection on
    f.ok(KAI, key_with("kv-cmk", "cmk", 2048, "rsa2048-1"));
    f.ok(KAI, Command::DeleteKey { vault: "kv-cmk".into(), name: "cmk".into() });
    f.refused(
        KAI,
        Command::ShowKey { vault: "kv-cmk".into(), name: "cmk".into(), version: None },
        ErrorCode::KeyNotFound,
    );
    let msg = f.refused(KAI, key_with("kv-cmk", "cmk", 2048, "rsa2048-2"), ErrorCode::ObjectIsDeletedButRecoverable);
    assert!(msg.contains("deleted but recoverable"), "{msg}");
    f.refused(KAI, Command::PurgeKey { vault: "kv-cmk".into(), name: "cmk".into() }, ErrorCode::PurgeProtected);
    f.ok(KAI, Command::RecoverKey { vault: "kv-cmk".into(), name: "cmk".into() });
    f.ok(KAI, Command::ShowKey { vault: "kv-cmk".into(), name: "cmk".into(), version: None });
    f.refused(KAI, Command::RecoverKey { vault: "kv-cmk".into(), name: "cmk".into() }, ErrorCode::DeletedKeyNotFound);
    // After the retention period the clock purges it.
    f.ok(KAI, Command::DeleteKey { vault: "kv-cmk".into(), name: "cmk".into() });
    f.advance(SimDuration::days(90));
    assert!(f.world.log.iter().any(|a| a.kind == "KeyPurged"));
    f.ok(KAI, key_with("kv-cmk", "cmk", 2048, "rsa2048-2"));

    // Without purge protection a purge is immediate.
    let mut v = CreateVault::new("kv-free", "rg-cmk", "westeurope");
    v.enable_rbac_authorization = false;
    f.ok(KAI, Command::CreateVault(v));
    f.ok(KAI, key_with("kv-free", "k", 2048, "rsa2048-1"));
    f.ok(KAI, Command::DeleteKey { vault: "kv-free".into(), name: "k".into() });
    f.ok(KAI, Command::PurgeKey { vault: "kv-free".into(), name: "k".into() });
    f.ok(KAI, key_with("kv-free", "k", 2048, "rsa2048-1"));
}

#[test]
fn four_thousand_bit_keys_can_be_created() {
    // SPEC KV-4: 4096 can be created (Power Platform takes only 2048 and 3072; that is checked when a policy is used).
    let mut f = Fixture::with_vault(false);
    let b = expect_key(f.run(KAI, key_with("kv-cmk", "big", 4096, "rsa4096-1")).expect("4096"));
    assert_eq!(URL_SAFE_NO_PAD.decode(&b.key.n).expect("n").len(), 512);
}

#[test]
fn a_key_refuses_the_operations_it_does_not_permit() {
    // SPEC KV-13: key_ops set at create / import and by set-attributes; an operation the key does
    // not permit is refused (KeyOperationForbidden), whoever asks; a rotation keeps them.
    let mut f = Fixture::with_vault(false);
    let mut create = key_with("kv-cmk", "cmk", 2048, "rsa2048-1");
    if let Command::CreateKey(k) = &mut create {
        k.ops = Some(vec!["Decrypt".into(), "encrypt".into()]);
    }
    let made = expect_key(f.run(KAI, create).expect("created"));
    assert_eq!(made.key.key_ops, ["encrypt", "decrypt"], "Key Vault's spelling and order");
    let enc = result_bytes(&f.ok(KAI, op("cmk", None, CryptoOperation::Encrypt, "RSA-OAEP-256", b"x")));
    assert_eq!(result_bytes(&f.ok(KAI, op("cmk", None, CryptoOperation::Decrypt, "RSA-OAEP-256", &enc))), b"x");
    let msg = f.refused(
        KAI,
        op("cmk", None, CryptoOperation::WrapKey, "RSA-OAEP-256", &[1u8; 32]),
        ErrorCode::KeyOperationForbidden,
    );
    assert!(msg.contains("wrapKey is not permitted") && msg.contains("encrypt, decrypt"), "{msg}");
    f.refused(KAI, op("cmk", None, CryptoOperation::UnwrapKey, "RSA-OAEP-256", &enc), ErrorCode::KeyOperationForbidden);

    // Names outside Key Vault's list, import/export, and an empty list are refused; nothing changes.
    let before = f.world.clone();
    for (ops, code) in [
        (vec!["wrap".to_string()], ErrorCode::BadParameter),
        (vec!["export".to_string()], ErrorCode::NotSimulated),
        (vec![], ErrorCode::BadParameter),
    ] {
        f.refused(KAI, Command::SetKeyAttributes(SetKeyAttributes { ops: Some(ops), ..attrs(None) }), code);
    }
    assert!(f.world == before, "a refused change leaves the world as it was");

    f.ok(
        KAI,
        Command::SetKeyAttributes(SetKeyAttributes {
            ops: Some(vec!["wrapKey".into(), "unwrapKey".into()]),
            ..attrs(None)
        }),
    );
    let wrapped = result_bytes(&f.ok(KAI, op("cmk", None, CryptoOperation::WrapKey, "RSA-OAEP-256", &[2u8; 32])));
    f.refused(KAI, op("cmk", None, CryptoOperation::Encrypt, "RSA-OAEP-256", b"x"), ErrorCode::KeyOperationForbidden);
    let rotated = expect_key(
        f.run(KAI, Command::RotateKey { vault: "kv-cmk".into(), name: "cmk".into(), pregenerated: None })
            .expect("rotated"),
    );
    assert_eq!(rotated.key.key_ops, ["wrapKey", "unwrapKey"], "a rotation keeps the permitted operations");
    let first = made.key.kid.rsplit('/').next().expect("version");
    assert_eq!(
        result_bytes(&f.ok(KAI, op("cmk", Some(first), CryptoOperation::UnwrapKey, "RSA-OAEP-256", &wrapped))),
        [2u8; 32]
    );
    let all = f.ok(
        KAI,
        Command::SetKeyAttributes(SetKeyAttributes {
            ops: Some(crate::azure::vault::KEY_OPS.map(Into::into).to_vec()),
            ..attrs(None)
        }),
    );
    assert_eq!(all["key"]["key_ops"].as_array().map(Vec::len), Some(6));
}
