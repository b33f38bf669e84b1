//! # cmk-core
//!
//! The simulated cloud of CMK Playground: an Entra tenant with its personas, Azure RBAC, Key
//! Vault with real RSA keys, all in one deterministic state machine. Every change goes through
//! [`World::execute`]; nothing here reads a clock or an OS random source — time is an argument and
//! randomness an injected [`rand_core::CryptoRngCore`], so the same inputs give the same world.
//!
//! ```
//! use cmk_core::{Command, CreateKey, CreateVault, SimTime, World};
//! use rand_chacha::rand_core::SeedableRng;
//!
//! let mut world = World::new();
//! let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(1);
//! let kai = world.user_by_upn("kai@contoso.onmicrosoft.com").unwrap().object_id.clone();
//! let now = SimTime::GENESIS;
//! world.execute(&kai, Command::CreateResourceGroup { name: "rg-cmk".into(), location: "westeurope".into(), tags: Default::default() }, now, &mut rng).unwrap();
//! let mut vault = CreateVault::new("kv-cmk", "rg-cmk", "westeurope");
//! vault.enable_rbac_authorization = false; // access policies: the creator gets one
//! world.execute(&kai, Command::CreateVault(vault), now, &mut rng).unwrap();
//! let created = world.execute(&kai, Command::CreateKey(CreateKey::rsa("kv-cmk", "cmk", 2048)), now, &mut rng);
//! assert!(created.is_ok());
//! ```
#![no_std]
#![forbid(unsafe_code)]

extern crate alloc;
#[cfg(test)]
extern crate std;

pub mod azure;
pub mod b64;
pub mod command;
pub mod crypto;
pub mod envelope;
pub mod error;
pub mod ids;
pub mod key_material;
pub mod location;
pub mod powerplatform;
pub mod scenarios;
pub mod session;
pub mod shell;
pub mod sim;
pub mod stored;
pub mod time;
pub mod view;
pub mod world;

/// A map from pairs, by inserting them one by one (a later pair replaces an earlier one, as
/// `collect` does). `collect()` into a `BTreeMap` sorts its input first, and each call site's
/// iterator type made its own copy of the stable sort: about 4 KB of wasm each.
pub fn map_from<K: Ord, V>(pairs: impl IntoIterator<Item = (K, V)>) -> alloc::collections::BTreeMap<K, V> {
    let mut map = alloc::collections::BTreeMap::new();
    for (k, v) in pairs {
        map.insert(k, v);
    }
    map
}

pub use command::{
    Command, CreateKey, CreateManagedHsm, CreateVault, CryptoOperation, HostKey, ImportKey, KeyOperation,
    SetKeyAttributes, UpdateVault,
};
pub use error::{Error, ErrorCode};
pub use key_material::PrivateKeyDer;
pub use time::{SimDuration, SimTime};
pub use view::{Outcome, View};
pub use world::World;

#[cfg(test)]
mod tests;
