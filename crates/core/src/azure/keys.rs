//! Keys: create, import, show, versions, attributes, rotation, delete / recover / purge, and the
//! cryptographic operations. SPEC KV-4 .. KV-9, KV-12.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use base64::engine::general_purpose::{STANDARD, URL_SAFE, URL_SAFE_NO_PAD};
use base64::Engine as _;
use rand_core::CryptoRngCore;

use crate::azure::authz::{Caller, KeyOp};
use crate::azure::requests::{CreateKey, CryptoOperation, ImportKey, KeyOperation, SetKeyAttributes};
use crate::azure::rotation::RotationPolicy;
use crate::azure::schedule::Event;
use crate::azure::vault::{self, DeletedKey, Key, KeyType, KeyVersion, Vault, VaultSku};
use crate::azure::Azure;
use crate::crypto::{rsa_decrypt, rsa_encrypt, Algorithm};
use crate::error::internal;
use crate::error::{Error, ErrorCode};
use crate::ids;
use crate::key_material::{check_size, KeyMaterial, RSA_SIZES};
use crate::sim::Log;
use crate::time::{SimDuration, SimTime};
use crate::view::*;

pub(crate) fn key_not_found(vault: &Vault, name: &str, version: Option<&str>) -> Error {
    let what = match version {
        Some(v) => format!("A key with name '{name}' and version '{v}'"),
        None => format!("A key with name '{name}'"),
    };
    let deleted = if vault.deleted_keys.contains_key(&name.to_ascii_lowercase()) {
        " It is soft-deleted: recover it to use it again."
    } else {
        ""
    };
    Error::new(
        ErrorCode::KeyNotFound,
        format!("{what} was not found in {} '{}'.{deleted}", vault.kind_label(), vault.name),
    )
}

/// The version a request names, or the current one.
pub(crate) fn pick_version<'a>(vault: &Vault, key: &'a Key, version: Option<&str>) -> Result<&'a KeyVersion, Error> {
    match version.filter(|v| !v.is_empty()) {
        Some(v) => key.version(v).ok_or_else(|| key_not_found(vault, &key.name, Some(v))),
        None => key.current().ok_or_else(|| key_not_found(vault, &key.name, None)),
    }
}

pub(crate) fn disabled(vault: &Vault, key: &str, version: &str, op: &str) -> Error {
    Error::new(
        ErrorCode::KeyDisabled,
        format!("Operation {op} is not allowed on a disabled key: version {version} of '{key}' in '{}' is disabled. Enable it to use it again.", vault.name),
    )
}

/// SPEC KV-13: an operation the version does not permit is refused, whoever asks.
pub(crate) fn check_permitted(vault: &Vault, key: &Key, kv: &KeyVersion, op: &str) -> Result<(), Error> {
    if kv.permits(op) {
        return Ok(());
    }
    Err(Error::new(
        ErrorCode::KeyOperationForbidden,
        format!(
            "Operation {op} is not permitted on this key: version {} of '{}' in '{}' permits {} only. Add {op} to its permitted operations (az keyvault key set-attributes --ops …) to use it.",
            kv.version,
            key.name,
            vault.name,
            kv.key_ops().join(", ")
        ),
    ))
}

/// SPEC KV-6: outside nbf..exp a key still unwraps and decrypts but refuses wrap and encrypt.
pub(crate) fn check_validity(kv: &KeyVersion, key: &str, op: &str, now: SimTime) -> Result<(), Error> {
    if let Some(nbf) = kv.not_before.filter(|nbf| now < *nbf) {
        return Err(Error::new(
            ErrorCode::KeyNotYetValid,
            format!("Operation {op} is not allowed before the key's activation date: '{key}' version {} becomes active at {}.", kv.version, nbf.words()),
        ));
    }
    if let Some(exp) = kv.expires.filter(|exp| now >= *exp) {
        return Err(Error::new(
            ErrorCode::KeyExpired,
            format!("Operation {op} is not allowed on an expired key: '{key}' version {} expired at {}. Set a later expiry or rotate the key.", kv.version, exp.words()),
        ));
    }
    Ok(())
}

/// The RSA sizes a key can be created with, by `check_size` (SPEC KV-4): the same in every vault
/// today, carried with each vault as its key types are, so the portal asks one place. Power
/// Platform takes fewer of them: `policy::CMK_RSA_SIZES`.
pub(crate) fn allowed_key_sizes() -> Vec<u32> {
    RSA_SIZES.into_iter().filter(|bits| check_size(*bits).is_ok()).collect()
}

/// What a create or import line says of its new version: enabled, nbf, exp, tags, `--ops`.
type NewAttributes = (bool, Option<SimTime>, Option<SimTime>, crate::view::Tags, Option<Vec<String>>);

/// The parts of a new key version.
struct NewVersion {
    kty: KeyType,
    material: KeyMaterial,
    enabled: bool,
    not_before: Option<SimTime>,
    expires: Option<SimTime>,
    tags: crate::view::Tags,
    /// SPEC KV-13: `None`, every operation.
    ops: Option<Vec<String>>,
}

impl Azure {
    fn check_kty(&self, vault: &Vault, kty: KeyType) -> Result<(), Error> {
        match (vault.is_hsm(), kty) {
            (true, KeyType::Rsa) => Err(Error::new(ErrorCode::BadParameter, format!("Managed HSM '{}' holds HSM keys only: use kty RSA-HSM.", vault.name))),
            (false, KeyType::RsaHsm) if vault.sku != VaultSku::Premium => Err(Error::new(
                ErrorCode::BadParameter,
                format!("Vault '{}' is on the standard tier, which cannot hold HSM-protected keys: use kty RSA, or a premium vault or Managed HSM for RSA-HSM.", vault.name),
            )),
            _ => Ok(()),
        }
    }

    /// The key types `vault` accepts, by `check_kty`: RSA-HSM only in a Managed HSM, RSA in a
    /// standard vault, both in a premium one. The portal offers these and no others.
    pub(crate) fn allowed_key_types(&self, vault: &Vault) -> Vec<String> {
        [KeyType::Rsa, KeyType::RsaHsm]
            .into_iter()
            .filter(|k| self.check_kty(vault, *k).is_ok())
            .map(|k| k.as_str().into())
            .collect()
    }

    /// Adds a version (creating the key if new); the name must not be soft-deleted.
    fn add_version(
        &mut self,
        vault: &str,
        name: &str,
        new: NewVersion,
        now: SimTime,
        rng: &mut dyn CryptoRngCore,
    ) -> Result<KeyBundle, Error> {
        let NewVersion { kty, material, enabled, not_before, expires, tags, ops } = new;
        let version = ids::new_key_version(rng);
        let v = self.vault_mut(vault)?;
        let key = v.keys.entry(name.to_ascii_lowercase()).or_insert_with(|| Key {
            name: name.into(),
            kty,
            versions: Vec::new(),
            rotation_policy: None,
            notified_version: None,
        });
        key.versions.push(KeyVersion {
            version,
            created: now,
            updated: now,
            enabled,
            not_before,
            expires,
            material,
            tags,
            ops,
        });
        let v = self.vault(vault)?;
        key_bundle(v, name, None)
    }

    fn precheck_new_version(
        &self,
        vault: &Vault,
        name: &str,
        kty: KeyType,
        not_before: Option<SimTime>,
        expires: Option<SimTime>,
    ) -> Result<(), Error> {
        vault::check_key_name(name)?;
        self.check_kty(vault, kty)?;
        if vault.deleted_keys.contains_key(&name.to_ascii_lowercase()) {
            return Err(Error::new(
                ErrorCode::ObjectIsDeletedButRecoverable,
                format!("Key '{name}' is currently in a deleted but recoverable state in '{}': recover it, or purge it before reusing the name.", vault.name),
            ));
        }
        if let Some(existing) = vault.key(name) {
            if existing.kty != kty {
                return Err(Error::new(
                    ErrorCode::BadParameter,
                    format!(
                        "Key '{}' is of type {}; a new version cannot be {}.",
                        existing.name,
                        existing.kty.as_str(),
                        kty.as_str()
                    ),
                ));
            }
        }
        if let (Some(nbf), Some(exp)) = (not_before, expires) {
            if exp <= nbf {
                return Err(Error::new(
                    ErrorCode::BadParameter,
                    format!("The expiration date {} must be after the activation date {}.", exp.words(), nbf.words()),
                ));
            }
        }
        Ok(())
    }

    pub(crate) fn create_key(
        &mut self,
        actor: &str,
        cmd: CreateKey,
        now: SimTime,
        rng: &mut dyn CryptoRngCore,
    ) -> Result<Outcome, Error> {
        let size = cmd.size;
        let pregenerated = cmd.pregenerated.clone();
        let attrs = (cmd.enabled, cmd.not_before, cmd.expires, cmd.tags.clone(), cmd.ops.clone());
        self.new_version_command(actor, &cmd.vault, &cmd.name, cmd.kty, attrs, KeyOp::Create, now, rng, move |rng| {
            check_size(size)?;
            // The key is made from a generator of its own, seeded by 32 bytes of the caller's: a
            // key made elsewhere (WebCrypto in the page) takes the same 32 bytes, so what comes
            // after (version ids, data keys) is the same either way and a recorded session
            // replays natively to the same identifiers.
            let mut seed = [0u8; 32];
            rng.fill_bytes(&mut seed);
            match &pregenerated {
                Some(der) => KeyMaterial::from_pkcs8_der(&der.0, size),
                None => KeyMaterial::generate(
                    &mut <rand_chacha::ChaCha20Rng as rand_core::SeedableRng>::from_seed(seed),
                    size,
                ),
            }
        })
    }

    pub(crate) fn import_key(
        &mut self,
        actor: &str,
        cmd: ImportKey,
        now: SimTime,
        rng: &mut dyn CryptoRngCore,
    ) -> Result<Outcome, Error> {
        let attrs = (cmd.enabled, cmd.not_before, cmd.expires, cmd.tags.clone(), cmd.ops.clone());
        self.new_version_command(actor, &cmd.vault, &cmd.name, cmd.kty, attrs, KeyOp::Import, now, rng, |_| {
            KeyMaterial::import(&cmd.material.0)
        })
    }

    /// Create and import: authorize, check the name and dates, make the material, add the version.
    #[allow(clippy::too_many_arguments)] // one call site each; a struct would only rename them
    fn new_version_command(
        &mut self,
        actor: &str,
        vault: &str,
        name: &str,
        kty: KeyType,
        (enabled, not_before, expires, tags, ops): NewAttributes,
        op: KeyOp,
        now: SimTime,
        rng: &mut dyn CryptoRngCore,
        make: impl FnOnce(&mut dyn CryptoRngCore) -> Result<KeyMaterial, Error>,
    ) -> Result<Outcome, Error> {
        let v = self.vault(vault)?;
        self.authorize_key(actor, v, Some(name), op, Caller::User)?;
        self.precheck_new_version(v, name, kty, not_before, expires)?;
        let ops = ops.as_deref().map(vault::parse_key_ops).transpose()?.flatten();
        let material = make(rng)?;
        let new = NewVersion { kty, material, enabled, not_before, expires, tags, ops };
        let bundle = self.add_version(vault, name, new, now, rng)?;
        Ok(Outcome::Key(bundle))
    }

    pub(crate) fn show_key(
        &self,
        actor: &str,
        vault: &str,
        name: &str,
        version: Option<&str>,
    ) -> Result<Outcome, Error> {
        let v = self.vault(vault)?;
        self.authorize_key(actor, v, Some(name), KeyOp::Get, Caller::User)?;
        let key = v.key(name).ok_or_else(|| key_not_found(v, name, version))?;
        let kv = pick_version(v, key, version)?;
        if !kv.enabled {
            return Err(disabled(v, &key.name, &kv.version, "get"));
        }
        Ok(Outcome::Key(key_bundle(v, name, version)?))
    }

    pub(crate) fn list_key_versions(&self, actor: &str, vault: &str, name: &str) -> Result<Outcome, Error> {
        let v = self.vault(vault)?;
        self.authorize_key(actor, v, Some(name), KeyOp::List, Caller::User)?;
        let key = v.key(name).ok_or_else(|| key_not_found(v, name, None))?;
        let list: Vec<serde_json::Value> = key
            .versions
            .iter()
            .map(|kv| serde_json::json!({ "kid": v.kid(&key.name, &kv.version), "attributes": attributes(v, kv) }))
            .collect();
        Ok(Outcome::Json(serde_json::Value::Array(list)))
    }

    pub(crate) fn set_key_attributes(
        &mut self,
        actor: &str,
        cmd: SetKeyAttributes,
        now: SimTime,
    ) -> Result<Outcome, Error> {
        let v = self.vault(&cmd.vault)?;
        self.authorize_key(actor, v, Some(&cmd.name), KeyOp::Update, Caller::User)?;
        let key = v.key(&cmd.name).ok_or_else(|| key_not_found(v, &cmd.name, cmd.version.as_deref()))?;
        let kv = pick_version(v, key, cmd.version.as_deref())?;
        let ops = cmd.ops.as_deref().map(vault::parse_key_ops).transpose()?;
        let nbf = cmd.not_before.unwrap_or(kv.not_before);
        let exp = cmd.expires.unwrap_or(kv.expires);
        if let (Some(nbf), Some(exp)) = (nbf, exp) {
            if exp <= nbf {
                return Err(Error::new(
                    ErrorCode::BadParameter,
                    format!("The expiration date {} must be after the activation date {}.", exp.words(), nbf.words()),
                ));
            }
        }
        let version = kv.version.clone();
        let key = self
            .vault_mut(&cmd.vault)?
            .keys
            .get_mut(&cmd.name.to_ascii_lowercase())
            .ok_or_else(|| internal("key vanished"))?;
        let kv = key.version_mut(&version).ok_or_else(|| internal("version vanished"))?;
        if let Some(enabled) = cmd.enabled {
            kv.enabled = enabled;
        }
        if let Some(tags) = cmd.tags {
            kv.tags = tags;
        }
        if let Some(ops) = ops {
            kv.ops = ops;
        }
        kv.not_before = nbf;
        kv.expires = exp;
        kv.updated = now;
        let v = self.vault(&cmd.vault)?;
        Ok(Outcome::Key(key_bundle(v, &cmd.name, Some(&version))?))
    }

    /// A new version with the same type and size; `expires` from the rotation policy's expiryTime.
    pub(crate) fn new_rotated_version(
        &mut self,
        vault: &str,
        name: &str,
        pregenerated: Option<&crate::key_material::PrivateKeyDer>,
        now: SimTime,
        rng: &mut dyn CryptoRngCore,
    ) -> Result<KeyBundle, Error> {
        let v = self.vault(vault)?;
        let key = v.key(name).ok_or_else(|| key_not_found(v, name, None))?;
        let (kty, bits) = (key.kty, key.bits());
        let expires = key.rotation_policy.as_ref().and_then(|p| p.expiry_time).map(|d| now.plus(d));
        let key_name = key.name.clone();
        // The new version keeps the current one's tags and permitted operations.
        let tags = key.current().map(|c| c.tags.clone()).unwrap_or_default();
        let ops = key.current().and_then(|c| c.ops.clone());
        // As for a created key: its own generator, seeded by 32 bytes of the caller's, so a key
        // made by the host (WebCrypto) leaves the randomness where the core's own would.
        let mut seed = [0u8; 32];
        rng.fill_bytes(&mut seed);
        // A key the host made ahead (WebCrypto) serves a rotation the caller gave no key for;
        // without one (or with one that does not fit) the core makes it.
        let material = match pregenerated {
            Some(der) => KeyMaterial::from_pkcs8_der(&der.0, bits)?,
            None => match self.keys_ahead.take(bits).and_then(|d| KeyMaterial::from_pkcs8_der(&d.0, bits).ok()) {
                Some(made_ahead) => made_ahead,
                None => KeyMaterial::generate(
                    &mut <rand_chacha::ChaCha20Rng as rand_core::SeedableRng>::from_seed(seed),
                    bits,
                )?,
            },
        };
        self.add_version(
            vault,
            &key_name,
            NewVersion { kty, material, enabled: true, not_before: None, expires, tags, ops },
            now,
            rng,
        )
    }

    pub(crate) fn rotate_key(
        &mut self,
        actor: &str,
        vault: &str,
        name: &str,
        pregenerated: Option<&crate::key_material::PrivateKeyDer>,
        (now, log): (SimTime, &mut Log),
        rng: &mut dyn CryptoRngCore,
    ) -> Result<Outcome, Error> {
        let v = self.vault(vault)?;
        self.authorize_key(actor, v, Some(name), KeyOp::Rotate, Caller::User)?;
        v.key(name).ok_or_else(|| key_not_found(v, name, None))?;
        let bundle = self.new_rotated_version(vault, name, pregenerated, now, rng)?;
        log.record(
            now,
            "KeyRotated",
            &bundle.key.kid,
            format!("Key '{name}' rotated on request: new version is current."),
        );
        Ok(Outcome::Key(bundle))
    }

    pub(crate) fn set_rotation_policy(
        &mut self,
        actor: &str,
        vault: &str,
        name: &str,
        policy: &str,
    ) -> Result<Outcome, Error> {
        let v = self.vault(vault)?;
        self.authorize_key(actor, v, Some(name), KeyOp::SetRotationPolicy, Caller::User)?;
        v.key(name).ok_or_else(|| key_not_found(v, name, None))?;
        let parsed = RotationPolicy::from_json(policy)?;
        let json = rotation_policy_json(v, name, Some(&parsed));
        let key =
            self.vault_mut(vault)?.keys.get_mut(&name.to_ascii_lowercase()).ok_or_else(|| internal("key vanished"))?;
        key.rotation_policy = Some(parsed);
        Ok(Outcome::Json(json))
    }

    pub(crate) fn show_rotation_policy(&self, actor: &str, vault: &str, name: &str) -> Result<Outcome, Error> {
        let v = self.vault(vault)?;
        self.authorize_key(actor, v, Some(name), KeyOp::GetRotationPolicy, Caller::User)?;
        let key = v.key(name).ok_or_else(|| key_not_found(v, name, None))?;
        Ok(Outcome::Json(rotation_policy_json(v, name, key.rotation_policy.as_ref())))
    }

    pub(crate) fn delete_key(&mut self, actor: &str, vault: &str, name: &str, now: SimTime) -> Result<Outcome, Error> {
        let v = self.vault(vault)?;
        self.authorize_key(actor, v, Some(name), KeyOp::Delete, Caller::User)?;
        let bundle = {
            let key = v.key(name).ok_or_else(|| key_not_found(v, name, None))?;
            let current = key.current().ok_or_else(|| key_not_found(v, name, None))?;
            bundle_of(v, key, current)
        };
        let (soft, retention) = (v.soft_delete, v.soft_delete_retention_days);
        let lower = name.to_ascii_lowercase();
        let vault_ref = self.vault_mut(vault)?;
        let key = vault_ref.keys.remove(&lower).ok_or_else(|| internal("key vanished"))?;
        if soft {
            let scheduled_purge = now.plus(SimDuration::days(u64::from(retention)));
            vault_ref.deleted_keys.insert(lower.clone(), DeletedKey { key, deleted: now, scheduled_purge });
            self.queue.push(scheduled_purge, Event::PurgeKey { vault: vault.to_ascii_lowercase(), key: lower });
        }
        Ok(Outcome::Key(bundle))
    }

    pub(crate) fn recover_key(&mut self, actor: &str, vault: &str, name: &str) -> Result<Outcome, Error> {
        let v = self.vault(vault)?;
        self.authorize_key(actor, v, Some(name), KeyOp::Recover, Caller::User)?;
        let lower = name.to_ascii_lowercase();
        if !v.deleted_keys.contains_key(&lower) {
            return Err(Error::new(
                ErrorCode::DeletedKeyNotFound,
                format!("There is no soft-deleted key '{name}' in '{vault}'."),
            ));
        }
        let vault_ref = self.vault_mut(vault)?;
        let deleted = vault_ref.deleted_keys.remove(&lower).ok_or_else(|| internal("deleted key vanished"))?;
        vault_ref.keys.insert(lower, deleted.key);
        let v = self.vault(vault)?;
        Ok(Outcome::Key(key_bundle(v, name, None)?))
    }

    pub(crate) fn purge_key(&mut self, actor: &str, vault: &str, name: &str) -> Result<Outcome, Error> {
        let v = self.vault(vault)?;
        self.authorize_key(actor, v, Some(name), KeyOp::Purge, Caller::User)?;
        let lower = name.to_ascii_lowercase();
        let deleted = v.deleted_keys.get(&lower).ok_or_else(|| {
            Error::new(
                ErrorCode::DeletedKeyNotFound,
                format!("There is no soft-deleted key '{name}' in '{vault}' to purge."),
            )
        })?;
        if v.purge_protection {
            return Err(Error::new(
                ErrorCode::PurgeProtected,
                format!("'{vault}' has purge protection: key '{name}' cannot be purged before {}, when it is purged automatically.", deleted.scheduled_purge.words()),
            ));
        }
        self.vault_mut(vault)?.deleted_keys.remove(&lower);
        Ok(Outcome::Json(serde_json::json!({ "purged": format!("{}deletedkeys/{name}", self.vault(vault)?.uri()) })))
    }

    pub(crate) fn key_operation(
        &mut self,
        actor: &str,
        op: KeyOperation,
        now: SimTime,
        rng: &mut dyn CryptoRngCore,
    ) -> Result<Outcome, Error> {
        let algorithm = Algorithm::parse(&op.algorithm)?;
        let input = decode_base64(&op.value)?;
        let v = self.vault(&op.vault)?;
        let key_op = match op.operation {
            CryptoOperation::Encrypt => KeyOp::Encrypt,
            CryptoOperation::Decrypt => KeyOp::Decrypt,
            CryptoOperation::WrapKey => KeyOp::WrapKey,
            CryptoOperation::UnwrapKey => KeyOp::UnwrapKey,
        };
        self.authorize_key(actor, v, Some(&op.name), key_op, Caller::User)?;
        let key = v.key(&op.name).ok_or_else(|| key_not_found(v, &op.name, op.version.as_deref()))?;
        let kv = pick_version(v, key, op.version.as_deref())?;
        let (kid, result) = run_crypto(v, key, kv, op.operation, algorithm, &input, now, rng)?;
        Ok(Outcome::KeyOperation(crate::view::KeyOperationResult {
            kid,
            result: STANDARD.encode(result),
            algorithm: algorithm.as_str().into(),
        }))
    }

    /// The kids of every version of a key (none if there is no such key).
    pub(crate) fn key_version_ids(&self, vault: &str, name: &str) -> Vec<String> {
        let Ok(v) = self.vault(vault) else { return Vec::new() };
        v.key(name).map(|k| k.versions.iter().map(|kv| v.kid(&k.name, &kv.version)).collect()).unwrap_or_default()
    }

    pub(crate) fn key_summary(&self, v: &Vault, k: &Key, now: SimTime) -> KeySummary {
        KeySummary {
            name: k.name.clone(),
            kty: k.kty.as_str().into(),
            size: k.bits(),
            versions: k
                .versions
                .iter()
                .rev()
                .map(|kv| KeyVersionSummary {
                    version: kv.version.clone(),
                    kid: v.kid(&k.name, &kv.version),
                    enabled: kv.enabled,
                    created: kv.created.to_iso(),
                    updated: kv.updated.to_iso(),
                    nbf: kv.not_before.map(SimTime::to_iso),
                    exp: kv.expires.map(SimTime::to_iso),
                    status: kv.status(now),
                })
                .collect(),
            rotation_policy: k.rotation_policy.as_ref().map(RotationPolicy::to_view),
        }
    }
}

/// Runs one cryptographic operation with all of KV-6's checks. Shared by people (through
/// `KeyOperation`) and by services (the Power Platform side wrapping its data keys).
#[allow(clippy::too_many_arguments)] // each is a distinct input of one Key Vault call
pub(crate) fn run_crypto(
    v: &Vault,
    key: &Key,
    kv: &KeyVersion,
    operation: CryptoOperation,
    algorithm: Algorithm,
    input: &[u8],
    now: SimTime,
    rng: &mut dyn CryptoRngCore,
) -> Result<(String, Vec<u8>), Error> {
    if !kv.enabled {
        return Err(disabled(v, &key.name, &kv.version, operation.as_str()));
    }
    check_permitted(v, key, kv, operation.as_str())?;
    let kid = v.kid(&key.name, &kv.version);
    let output = match operation {
        CryptoOperation::Encrypt | CryptoOperation::WrapKey => {
            check_validity(kv, &key.name, operation.as_str(), now)?;
            rsa_encrypt(kv.material.private_key(), algorithm, input, rng)?
        }
        CryptoOperation::Decrypt | CryptoOperation::UnwrapKey => {
            rsa_decrypt(kv.material.private_key(), algorithm, input)?.to_vec()
        }
    };
    Ok((kid, output))
}

fn decode_base64(value: &str) -> Result<Vec<u8>, Error> {
    let v = value.trim();
    STANDARD.decode(v).or_else(|_| URL_SAFE.decode(v)).or_else(|_| URL_SAFE_NO_PAD.decode(v)).map_err(|_| {
        Error::new(
            ErrorCode::BadParameter,
            "The value is not base64: pass the bytes base64-encoded (--data-type base64).",
        )
    })
}

fn attributes(v: &Vault, kv: &KeyVersion) -> KeyAttributes {
    KeyAttributes {
        enabled: kv.enabled,
        exp: kv.expires.map(SimTime::to_iso),
        nbf: kv.not_before.map(SimTime::to_iso),
        created: kv.created.to_iso(),
        updated: kv.updated.to_iso(),
        recovery_level: v.recovery_level().into(),
    }
}

fn bundle_of(v: &Vault, key: &Key, kv: &KeyVersion) -> KeyBundle {
    KeyBundle {
        tags: kv.tags.clone(),
        key: JsonWebKey {
            kid: v.kid(&key.name, &kv.version),
            kty: key.kty.as_str().into(),
            key_ops: kv.key_ops().into_iter().map(Into::into).collect(),
            n: kv.material.jwk_n(),
            e: kv.material.jwk_e(),
        },
        attributes: attributes(v, kv),
    }
}

pub(crate) fn key_bundle(v: &Vault, name: &str, version: Option<&str>) -> Result<KeyBundle, Error> {
    let key = v.key(name).ok_or_else(|| key_not_found(v, name, version))?;
    let kv = pick_version(v, key, version)?;
    Ok(bundle_of(v, key, kv))
}

fn rotation_policy_json(v: &Vault, name: &str, policy: Option<&RotationPolicy>) -> serde_json::Value {
    let mut json = policy
        .map(RotationPolicy::to_json)
        .unwrap_or_else(|| serde_json::json!({ "lifetimeActions": [], "attributes": { "expiryTime": null } }));
    if let Some(obj) = json.as_object_mut() {
        obj.insert("id".into(), serde_json::Value::String(format!("{}keys/{name}/rotationpolicy", v.uri())));
    }
    json
}

impl KeyMaterial {
    /// Imports a private key from PEM (PKCS#1 `RSA PRIVATE KEY` or PKCS#8 `PRIVATE KEY`) or a
    /// private JWK (SPEC KV-12). Only sizes Key Vault accepts.
    pub(crate) fn import(text: &str) -> Result<Self, Error> {
        let t = text.trim();
        let key = if t.starts_with('{') {
            crate::key_material::rsa_from_jwk(t)?
        } else {
            crate::key_material::rsa_from_pem(t)?
        };
        KeyMaterial::from_private_key(key)
    }
}

/// What a key backup carries, sealed: the key with every version, and the vault kind it came
/// from (a vault's backup restores into a vault, a Managed HSM's into a Managed HSM).
#[derive(serde::Serialize, serde::Deserialize)]
struct KeyBackup {
    hsm: bool,
    key: Key,
}

/// The AAD every backup blob is sealed with.
const BACKUP_AAD: &[u8] = b"cmk-playground key backup v1";

impl Azure {
    /// The key only this tenant's Key Vault holds to seal and open backups: the blob is useless
    /// outside it, and nothing in it can be read with `cat`.
    fn backup_protection_key(&self) -> [u8; 32] {
        use sha2::Digest;
        let mut h = sha2::Sha256::new();
        h.update(b"CMK Playground key backup protection\0");
        h.update(self.tenant.id.as_bytes());
        h.finalize().into()
    }

    /// `az keyvault key backup`: every version of the key, sealed with AES-256-GCM under the
    /// tenant's protection key, as Key Vault's opaque base64url blob (`{"value": …}`).
    pub(crate) fn backup_key(
        &self,
        actor: &str,
        vault: &str,
        name: &str,
        rng: &mut dyn CryptoRngCore,
    ) -> Result<Outcome, Error> {
        let v = self.vault(vault)?;
        self.authorize_key(actor, v, Some(name), KeyOp::Backup, Caller::User)?;
        let key = v.key(name).ok_or_else(|| key_not_found(v, name, None))?;
        // JSON text through the same serializer and parser the saved world uses (a byte-slice
        // parser of its own would add kilobytes to the worker).
        let plain = zeroize::Zeroizing::new(
            serde_json::to_string(&KeyBackup { hsm: v.is_hsm(), key: key.clone() }).map_err(|_| internal("backup"))?,
        );
        let sealed = crate::crypto::aes_gcm_seal(&self.backup_protection_key(), plain.as_bytes(), BACKUP_AAD, rng);
        Ok(Outcome::Json(serde_json::json!({ "value": URL_SAFE_NO_PAD.encode(sealed) })))
    }

    /// `az keyvault key restore`: a backup blob back into a vault of the same kind, under the
    /// key's own name and versions; refused while that name is taken (by a key or a soft-deleted
    /// one), and for a blob this tenant's Key Vault did not make.
    pub(crate) fn restore_key(&mut self, actor: &str, vault: &str, blob: &str) -> Result<Outcome, Error> {
        let v = self.vault(vault)?;
        self.authorize_key(actor, v, None, KeyOp::Restore, Caller::User)?;
        let bad = || {
            Error::new(
                ErrorCode::BadParameter,
                "The backup blob is not valid: it was not made by this tenant's Key Vault, or it was changed.",
            )
        };
        let sealed = URL_SAFE_NO_PAD.decode(blob.trim().trim_end_matches('=')).map_err(|_| bad())?;
        let plain =
            crate::crypto::aes_gcm_open(&self.backup_protection_key(), &sealed, BACKUP_AAD).map_err(|_| bad())?;
        let backup: KeyBackup =
            serde_json::from_str(core::str::from_utf8(&plain).map_err(|_| bad())?).map_err(|_| bad())?;
        if backup.hsm != v.is_hsm() {
            let (from, to) =
                if backup.hsm { ("a Managed HSM", "a key vault") } else { ("a key vault", "a Managed HSM") };
            return Err(Error::new(
                ErrorCode::BadParameter,
                format!("This backup was made in {from}; it can only be restored into {from}, not {to} '{}'.", v.name),
            ));
        }
        self.check_kty(v, backup.key.kty)?;
        let lower = backup.key.name.to_ascii_lowercase();
        if v.keys.contains_key(&lower) || v.deleted_keys.contains_key(&lower) {
            return Err(Error::new(
                ErrorCode::Conflict,
                format!(
                    "'{}' already has a key named '{}' (or a soft-deleted one): a backup restores under its own name only. Delete and purge it, or restore into another vault.",
                    v.name, backup.key.name
                ),
            ));
        }
        let name = backup.key.name.clone();
        self.vault_mut(vault)?.keys.insert(lower, backup.key);
        let v = self.vault(vault)?;
        Ok(Outcome::Key(key_bundle(v, &name, None)?))
    }
}
