//! Property tests (proptest, seeded): crypto round trips for every algorithm and size, and
//! world invariants over random command sequences.

use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use rsa::pkcs8::DecodePrivateKey;

use super::*;
use crate::command::{SetKeyAttributes, UpdateVault};
use crate::crypto::{rsa_decrypt, rsa_encrypt, Algorithm};

fn runner(cases: u32) -> TestRunner {
    let config = Config { cases, failure_persistence: None, ..Config::default() };
    TestRunner::new_with_rng(config, TestRng::deterministic_rng(RngAlgorithm::ChaCha))
}

#[test]
fn wrap_unwrap_round_trips_for_all_algorithms_and_sizes() {
    // SPEC KV-7: every algorithm, 2048 / 3072 / 4096.
    let keys: Vec<rsa::RsaPrivateKey> = ["rsa2048-1", "rsa3072-1", "rsa4096-1"]
        .iter()
        .map(|n| rsa::RsaPrivateKey::from_pkcs8_der(&fixture(n).0).expect("fixture"))
        .collect();
    let strategy = (0usize..3, 0usize..3, proptest::collection::vec(any::<u8>(), 0..=190), any::<u64>());
    runner(96)
        .run(&strategy, |(k, a, payload, seed)| {
            let key = &keys[k];
            let alg = Algorithm::ALL[a];
            let mut rng = ChaCha20Rng::seed_from_u64(seed);
            let payload = &payload[..payload.len().min(alg.max_plaintext(256))];
            let ct = rsa_encrypt(key, alg, payload, &mut rng).expect("fits");
            prop_assert_eq!(ct.len(), key_bytes(key));
            let back = rsa_decrypt(key, alg, &ct).expect("decrypts");
            prop_assert_eq!(back.as_slice(), payload);
            // A flipped byte never yields the same plaintext silently.
            let mut bad = ct.clone();
            bad[ct.len() / 2] ^= 0x40;
            if let Ok(other) = rsa_decrypt(key, alg, &bad) {
                prop_assert_ne!(other.as_slice(), payload);
            }
            Ok(())
        })
        .expect("property holds");
}

fn key_bytes(key: &rsa::RsaPrivateKey) -> usize {
    rsa::traits::PublicKeyParts::size(key)
}

const PERSONAS: [&str; 4] = [GUS, KAI, PRIYA, MALLORY];
const VAULTS: [&str; 3] = ["kv-a", "kv-b", "kv-c"];
const KEYS: [&str; 2] = ["k1", "k2"];

/// One random step: who acts, what, on which names, and how far the clock moves first.
#[derive(Clone, Debug)]
struct Step {
    persona: usize,
    op: u8,
    vault: usize,
    key: usize,
    flag: bool,
    hours: u64,
}

fn step() -> impl Strategy<Value = Step> {
    (0usize..4, 0u8..14, 0usize..3, 0usize..2, any::<bool>(), 0u64..200)
        .prop_map(|(persona, op, vault, key, flag, hours)| Step { persona, op, vault, key, flag, hours })
}

fn command_for(f: &Fixture, s: &Step) -> Command {
    let (vault, key) = (VAULTS[s.vault].to_string(), KEYS[s.key].to_string());
    let vault_id = format!("/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/{vault}");
    let who = f.oid(PERSONAS[(s.persona + 1) % 4]);
    match s.op {
        0 => {
            let mut v = CreateVault::new(vault, "rg", "westeurope");
            v.enable_rbac_authorization = s.flag;
            v.enable_purge_protection = !s.flag;
            Command::CreateVault(v)
        }
        1 | 2 => key_with(&vault, &key, 2048, if s.flag { "rsa2048-1" } else { "rsa2048-2" }),
        3 => Command::SetKeyAttributes(SetKeyAttributes {
            tags: Default::default(),
            vault,
            name: key,
            version: None,
            enabled: Some(s.flag),
            expires: None,
            not_before: None,
            ops: None,
        }),
        4 => Command::DeleteKey { vault, name: key },
        5 => Command::RecoverKey { vault, name: key },
        6 => Command::CreateRoleAssignment {
            assignee: who,
            role: if s.flag { "Key Vault Crypto Officer" } else { "Reader" }.into(),
            scope: vault_id,
        },
        7 => Command::DeleteRoleAssignment {
            assignee: who,
            role: if s.flag { "Key Vault Crypto Officer" } else { "Reader" }.into(),
            scope: vault_id,
        },
        8 => Command::UpdateVault(UpdateVault {
            name: vault,
            public_network_access: Some(s.flag),
            ..UpdateVault::default()
        }),
        9 => Command::DeleteVault { name: vault },
        10 => Command::RecoverVault { name: vault },
        11 => Command::SetAccessPolicy {
            vault,
            object_id: who,
            permissions: vec!["get".into(), "wrapKey".into(), "unwrapKey".into()],
        },
        12 => Command::DeployTemplate {
            resource_group: "rg".into(),
            template: crate::azure::policy::tests::filled("ep", "europe", &vault_id, &key),
        },
        _ => Command::ShowKey { vault, name: key, version: None },
    }
}

#[test]
fn random_command_sequences_keep_the_world_consistent() {
    // SPEC PG-1 (time only moves forward), AUTH-5 (a refused command changes nothing) and the
    // save envelope (PG-3): a snapshot taken at any point reads back identical, byte for byte.
    let strategy = proptest::collection::vec(step(), 5..30);
    runner(48)
        .run(&strategy, |steps| {
            let mut f = Fixture::new();
            f.ok(
                GUS,
                Command::CreateResourceGroup {
                    name: "rg".into(),
                    location: "westeurope".into(),
                    tags: Default::default(),
                },
            );
            f.ok(GUS, Command::RegisterProvider { namespace: "Microsoft.PowerPlatform".into() });
            for s in &steps {
                let before_time = f.world.now();
                f.now = f.now.plus(SimDuration::hours(s.hours));
                let cmd = command_for(&f, s);
                let snapshot = {
                    let mut w = f.world.clone();
                    w.advance(f.now, &mut f.rng.clone());
                    w
                };
                match f.run(PERSONAS[s.persona], cmd) {
                    Ok(_) => {}
                    Err(_) => {
                        prop_assert_eq!(&f.world, &snapshot, "a refused command changes nothing beyond the clock")
                    }
                }
                prop_assert!(f.world.now() >= before_time, "time only moves forward");
                let text = envelope::encode(&f.world).expect("encode");
                let back = envelope::decode(&text).expect("decode");
                prop_assert_eq!(&back, &f.world);
                prop_assert_eq!(envelope::encode(&back).expect("encode"), text);
            }
            Ok(())
        })
        .expect("property holds");
}
