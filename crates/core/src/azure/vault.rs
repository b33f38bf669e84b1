//! Key Vault: vaults, their keys and key versions, and the rules on names. SPEC KV-1, KV-4, KV-5.

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorCode};
use crate::key_material::KeyMaterial;
use crate::time::SimTime;
use crate::view::VersionStatus;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum VaultSku {
    #[serde(rename = "standard")]
    Standard,
    /// Premium vaults can hold HSM-protected keys (`RSA-HSM`).
    #[serde(rename = "premium")]
    Premium,
}

impl VaultSku {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Standard => "standard",
            Self::Premium => "premium",
        }
    }
}

/// Key types: software-protected RSA, or HSM-protected RSA (premium vault or Managed HSM).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum KeyType {
    #[serde(rename = "RSA")]
    Rsa,
    #[serde(rename = "RSA-HSM")]
    RsaHsm,
}

impl KeyType {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Rsa => "RSA",
            Self::RsaHsm => "RSA-HSM",
        }
    }
    pub fn parse(text: &str) -> Result<Self, Error> {
        match text {
            t if t.eq_ignore_ascii_case("RSA") => Ok(Self::Rsa),
            t if t.eq_ignore_ascii_case("RSA-HSM") => Ok(Self::RsaHsm),
            other => Err(Error::new(
                ErrorCode::BadParameter,
                format!("key type '{other}' is not supported here: use RSA or RSA-HSM"),
            )),
        }
    }
}

/// Key permissions of a legacy access policy (SPEC AUTH-4).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum KeyPermission {
    Get,
    List,
    Create,
    Update,
    Import,
    Delete,
    Recover,
    Purge,
    WrapKey,
    UnwrapKey,
    Encrypt,
    Decrypt,
    Rotate,
    GetRotationPolicy,
    SetRotationPolicy,
    Backup,
    Restore,
}

impl KeyPermission {
    pub const ALL: [KeyPermission; 17] = [
        Self::Get,
        Self::List,
        Self::Create,
        Self::Update,
        Self::Import,
        Self::Delete,
        Self::Recover,
        Self::Purge,
        Self::WrapKey,
        Self::UnwrapKey,
        Self::Encrypt,
        Self::Decrypt,
        Self::Rotate,
        Self::GetRotationPolicy,
        Self::SetRotationPolicy,
        Self::Backup,
        Self::Restore,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Get => "get",
            Self::List => "list",
            Self::Create => "create",
            Self::Update => "update",
            Self::Import => "import",
            Self::Delete => "delete",
            Self::Recover => "recover",
            Self::Purge => "purge",
            Self::WrapKey => "wrapKey",
            Self::UnwrapKey => "unwrapKey",
            Self::Encrypt => "encrypt",
            Self::Decrypt => "decrypt",
            Self::Rotate => "rotate",
            Self::GetRotationPolicy => "getrotationpolicy",
            Self::SetRotationPolicy => "setrotationpolicy",
            Self::Backup => "backup",
            Self::Restore => "restore",
        }
    }

    /// The permission in the API's spelling (`wrapKey`, case-insensitive).
    pub fn parse(api: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str().eq_ignore_ascii_case(api))
    }

    /// The portal's name for it, as the Create an access policy blade shows it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Get => "Get",
            Self::List => "List",
            Self::Create => "Create",
            Self::Update => "Update",
            Self::Import => "Import",
            Self::Delete => "Delete",
            Self::Recover => "Recover",
            Self::Purge => "Purge",
            Self::WrapKey => "Wrap Key",
            Self::UnwrapKey => "Unwrap Key",
            Self::Encrypt => "Encrypt",
            Self::Decrypt => "Decrypt",
            Self::Rotate => "Rotate",
            Self::GetRotationPolicy => "Get Rotation Policy",
            Self::SetRotationPolicy => "Set Rotation Policy",
            Self::Backup => "Backup",
            Self::Restore => "Restore",
        }
    }

    /// The portal's groups of key permissions, each with its permissions in the portal's order.
    pub const GROUPS: [(&'static str, &'static [KeyPermission]); 4] = [
        (
            "Key Management Operations",
            &[
                Self::Get,
                Self::List,
                Self::Update,
                Self::Create,
                Self::Import,
                Self::Delete,
                Self::Recover,
                Self::Backup,
                Self::Restore,
            ],
        ),
        ("Cryptographic Operations", &[Self::Decrypt, Self::Encrypt, Self::UnwrapKey, Self::WrapKey]),
        ("Privileged Key Operations", &[Self::Purge]),
        ("Rotation Policy Operations", &[Self::Rotate, Self::GetRotationPolicy, Self::SetRotationPolicy]),
    ];
}

/// The portal's name for a key permission or key operation given in the API's spelling
/// (`wrapKey` → `Wrap Key`); one it does not know, as given.
pub fn permission_label(api: &str) -> String {
    match KeyPermission::parse(api) {
        Some(p) => p.label().into(),
        None => match api {
            "sign" => "Sign".into(),
            "verify" => "Verify".into(),
            other => other.into(),
        },
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessPolicy {
    pub object_id: String,
    pub key_permissions: Vec<KeyPermission>,
}

/// A key vault, or a Managed HSM (SPEC KV-11): same keys, different endpoint and authorization.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum VaultKind {
    Vault,
    ManagedHsm {
        /// Keys can be used only after the security domain was downloaded (activation).
        activated: bool,
        /// Local RBAC: role assignments inside the HSM, scoped `/`, `/keys` or `/keys/{name}`.
        local_assignments: Vec<LocalAssignment>,
    },
}

/// A Managed HSM local role assignment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocalAssignment {
    pub name: String,
    pub principal_id: String,
    pub role: String,
    pub scope: String,
}

/// A vault's firewall while public access is on (SPEC KV-10): `deny` is the portal's "Allow
/// public access from specific virtual networks and IP addresses" (ARM's default action Deny);
/// then only the listed IPv4 ranges, the listed subnets, private endpoints and — with the bypass —
/// trusted Microsoft services get through.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NetworkRules {
    #[serde(default)]
    pub deny: bool,
    /// IPv4 ranges in CIDR form (`203.0.113.7/32`), in the order added.
    #[serde(default)]
    pub ip_rules: Vec<String>,
    /// Subnet resource ids, in the order added.
    #[serde(default)]
    pub vnet_rules: Vec<String>,
}

/// An IPv4 address or CIDR range as Key Vault stores it (`a.b.c.d/n`, a lone address as `/32`,
/// the host bits cleared), or `None` when it is neither.
pub fn ipv4_range(text: &str) -> Option<String> {
    let (addr, bits) = match text.trim().split_once('/') {
        Some((a, b)) => (a, b.parse::<u8>().ok().filter(|b| *b <= 32)?),
        None => (text.trim(), 32),
    };
    let mut octets = [0u8; 4];
    let mut parts = addr.split('.');
    for o in &mut octets {
        let part = parts.next()?;
        if part.is_empty() || part.len() > 3 || !part.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        *o = part.parse().ok()?;
    }
    if parts.next().is_some() {
        return None;
    }
    let mask = if bits == 0 { 0 } else { u32::MAX << (32 - u32::from(bits)) };
    let [a, b, c, d] = (u32::from_be_bytes(octets) & mask).to_be_bytes();
    Some(format!("{a}.{b}.{c}.{d}/{bits}"))
}

/// Whether the IPv4 `address` falls in one of `ranges` (each as [`ipv4_range`] stores it).
pub fn ipv4_allowed(ranges: &[String], address: &str) -> bool {
    let Some(host) = ipv4_range(address) else { return false };
    let value = |r: &str| -> Option<(u32, u32)> {
        let (a, b) = r.split_once('/')?;
        let octets: Vec<u8> = a.split('.').filter_map(|o| o.parse().ok()).collect();
        let ip = u32::from_be_bytes(octets.try_into().ok()?);
        let bits: u32 = b.parse().ok()?;
        Some((ip, if bits == 0 { 0 } else { u32::MAX << (32 - bits) }))
    };
    let Some((ip, _)) = value(&host) else { return false };
    ranges.iter().filter_map(|r| value(r)).any(|(net, mask)| ip & mask == net)
}

// The Managed HSM local roles are role definitions: they live with the others in `rbac`.
pub use crate::azure::rbac::{hsm_role, HSM_LOCAL_ROLES};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Vault {
    pub name: String,
    pub kind: VaultKind,
    pub subscription_id: String,
    pub resource_group: String,
    pub location: String,
    pub tenant_id: String,
    pub sku: VaultSku,
    pub enable_rbac_authorization: bool,
    pub access_policies: Vec<AccessPolicy>,
    /// Soft delete: once on, never off (SPEC KV-2).
    pub soft_delete: bool,
    /// Soft delete retention in days (7–90), fixed at creation (SPEC KV-2).
    pub soft_delete_retention_days: u32,
    pub purge_protection: bool,
    pub public_network_access: bool,
    pub bypass_azure_services: bool,
    /// Names of private endpoint connections (SPEC KV-10).
    pub private_endpoints: Vec<String>,
    /// The firewall's rules while public access is on (SPEC KV-10).
    #[serde(default)]
    pub network: NetworkRules,
    pub created: SimTime,
    /// Keys by lower-cased name.
    pub keys: BTreeMap<String, Key>,
    /// Soft-deleted keys by lower-cased name: the name stays taken until recovered or purged.
    pub deleted_keys: BTreeMap<String, DeletedKey>,
    /// SPEC KV-14.
    #[serde(default)]
    pub tags: crate::view::Tags,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeletedKey {
    pub key: Key,
    pub deleted: SimTime,
    pub scheduled_purge: SimTime,
}

impl Vault {
    pub fn is_hsm(&self) -> bool {
        matches!(self.kind, VaultKind::ManagedHsm { .. })
    }
    /// ARM resource id.
    pub fn id(&self) -> String {
        let kind = if self.is_hsm() { "managedHSMs" } else { "vaults" };
        format!(
            "/subscriptions/{}/resourceGroups/{}/providers/Microsoft.KeyVault/{kind}/{}",
            self.subscription_id, self.resource_group, self.name
        )
    }
    pub fn uri(&self) -> String {
        format!("https://{}.{}/", self.name.to_ascii_lowercase(), self.dns_suffix())
    }
    pub fn dns_suffix(&self) -> &'static str {
        if self.is_hsm() {
            "managedhsm.azure.net"
        } else {
            "vault.azure.net"
        }
    }
    /// `https://{vault}.vault.azure.net/keys/{name}/{version}` (SPEC KV-5; Managed HSM:
    /// `.managedhsm.azure.net`).
    pub fn kid(&self, key: &str, version: &str) -> String {
        format!("https://{}.{}/keys/{}/{}", self.name.to_ascii_lowercase(), self.dns_suffix(), key, version)
    }
    pub fn kind_label(&self) -> &'static str {
        if self.is_hsm() {
            "Managed HSM"
        } else {
            "Key vault"
        }
    }
    /// Azure's `recoveryLevel` for keys in this vault.
    pub fn recovery_level(&self) -> &'static str {
        if !self.soft_delete {
            return "Purgeable";
        }
        match (self.purge_protection, self.soft_delete_retention_days < 90) {
            (true, true) => "CustomizedRecoverable",
            (true, false) => "Recoverable",
            (false, true) => "CustomizedRecoverable+Purgeable",
            (false, false) => "Recoverable+Purgeable",
        }
    }
    pub fn key(&self, name: &str) -> Option<&Key> {
        self.keys.get(&name.to_ascii_lowercase())
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Key {
    pub name: String,
    pub kty: KeyType,
    /// Versions in creation order; the last one is the current version.
    pub versions: Vec<KeyVersion>,
    pub rotation_policy: Option<crate::azure::rotation::RotationPolicy>,
    /// The version for which the near-expiry notification was already sent.
    pub notified_version: Option<String>,
}

impl Key {
    pub fn current(&self) -> Option<&KeyVersion> {
        self.versions.last()
    }
    /// Finds a version by id, case-insensitively (SPEC KV-5).
    pub fn version(&self, version: &str) -> Option<&KeyVersion> {
        self.versions.iter().find(|v| v.version.eq_ignore_ascii_case(version))
    }
    pub fn version_mut(&mut self, version: &str) -> Option<&mut KeyVersion> {
        self.versions.iter_mut().find(|v| v.version.eq_ignore_ascii_case(version))
    }
    pub fn bits(&self) -> u32 {
        self.current().map(|v| v.material.bits()).unwrap_or(0)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyVersion {
    pub version: String,
    pub created: SimTime,
    pub updated: SimTime,
    pub enabled: bool,
    pub not_before: Option<SimTime>,
    pub expires: Option<SimTime>,
    pub material: KeyMaterial,
    /// SPEC KV-14: each version has its own, as in Key Vault.
    #[serde(default)]
    pub tags: crate::view::Tags,
    /// SPEC KV-13: the operations this version permits (`key_ops`); `None`: every one its type
    /// allows ([`KEY_OPS`]), as a key made without `--ops`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ops: Option<Vec<String>>,
}

/// SPEC KV-13: the operations an RSA key can permit, in Key Vault's spelling and order.
pub const KEY_OPS: [&str; 6] = ["encrypt", "decrypt", "sign", "verify", "wrapKey", "unwrapKey"];

/// The operations a line or a form asks a key to permit, in Key Vault's spelling and order:
/// names are matched case-insensitively; `import` and `export` (release policies) are not
/// simulated; an empty list permits nothing, which no key here could use, so it is refused.
/// Every operation is kept as no list (`None`), as for a key made without `--ops`.
pub fn parse_key_ops(asked: &[String]) -> Result<Option<Vec<String>>, Error> {
    for a in asked {
        if ["import", "export"].iter().any(|n| n.eq_ignore_ascii_case(a)) {
            return Err(Error::new(
                ErrorCode::NotSimulated,
                format!("The key operation '{a}' is not simulated (it belongs to exportable keys and release policies): choose among {}.", KEY_OPS.join(", ")),
            ));
        }
        if !KEY_OPS.iter().any(|n| n.eq_ignore_ascii_case(a)) {
            return Err(Error::new(
                ErrorCode::BadParameter,
                format!("'{a}' is not a key operation: choose among {}.", KEY_OPS.join(", ")),
            ));
        }
    }
    let ops: Vec<String> =
        KEY_OPS.iter().filter(|n| asked.iter().any(|a| n.eq_ignore_ascii_case(a))).map(|n| (*n).into()).collect();
    if ops.is_empty() {
        return Err(Error::new(
            ErrorCode::BadParameter,
            format!("A key must permit at least one operation: choose among {}.", KEY_OPS.join(", ")),
        ));
    }
    Ok(Some(ops).filter(|o| o.len() < KEY_OPS.len()))
}

impl KeyVersion {
    /// SPEC KV-13: the operations this version permits, in Key Vault's spelling.
    pub fn key_ops(&self) -> Vec<&str> {
        match &self.ops {
            Some(ops) => ops.iter().map(String::as_str).collect(),
            None => KEY_OPS.to_vec(),
        }
    }
    /// SPEC KV-13: whether this version permits `op` (`wrapKey`, …).
    pub fn permits(&self, op: &str) -> bool {
        self.ops.as_ref().is_none_or(|ops| ops.iter().any(|o| o == op))
    }
    /// SPEC KV-6: wrap and encrypt only inside `nbf..exp`.
    pub fn within_validity(&self, now: SimTime) -> bool {
        self.not_before.is_none_or(|nbf| now >= nbf) && self.expires.is_none_or(|exp| now < exp)
    }
    pub fn expired(&self, now: SimTime) -> bool {
        self.expires.is_some_and(|exp| now >= exp)
    }
    /// How the portal lists the version at `now`: disabled first, then expired (KV-6: from
    /// `exp` on), then not yet active (before `nbf`).
    pub fn status(&self, now: SimTime) -> VersionStatus {
        if !self.enabled {
            VersionStatus::Disabled
        } else if self.expired(now) {
            VersionStatus::Expired
        } else if self.not_before.is_some_and(|nbf| now < nbf) {
            VersionStatus::NotYetActive
        } else {
            VersionStatus::Enabled
        }
    }
}

/// SPEC KV-1: 3–24 characters, letters, digits and hyphens, starts with a letter, ends with a
/// letter or digit, no consecutive hyphens.
pub fn check_vault_name(name: &str) -> Result<(), Error> {
    let problem = if !(3..=24).contains(&name.len()) {
        Some("it must be 3 to 24 characters long")
    } else if !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
        Some("it may contain only letters, digits and hyphens")
    } else if !name.as_bytes()[0].is_ascii_alphabetic() {
        Some("it must start with a letter")
    } else if name.ends_with('-') {
        Some("it must end with a letter or digit")
    } else if name.contains("--") {
        Some("it must not contain consecutive hyphens")
    } else {
        None
    };
    match problem {
        None => Ok(()),
        Some(why) => {
            Err(Error::new(ErrorCode::VaultNameNotValid, format!("The vault name '{name}' is not valid: {why}.")))
        }
    }
}

/// Key names: 1–127 letters, digits and hyphens.
pub fn check_key_name(name: &str) -> Result<(), Error> {
    if name.is_empty() {
        return Err(Error::new(ErrorCode::BadParameter, "The value must not be empty."));
    }
    if (1..=127).contains(&name.len()) && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
        Ok(())
    } else {
        Err(Error::new(
            ErrorCode::BadParameter,
            format!("The key name '{name}' is not valid: use 1 to 127 letters, digits and hyphens."),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vault_names_follow_kv_1() {
        // SPEC KV-1
        for ok in ["kv1", "contoso-cmk-kv", "a23456789012345678901234", "Kv-1"] {
            assert_eq!(check_vault_name(ok), Ok(()), "{ok}");
        }
        for bad in ["kv", "a234567890123456789012345", "1kv", "kv-", "kv--a", "kv_a", "kv a", "-kv"] {
            let err = check_vault_name(bad).expect_err(bad);
            assert_eq!(err.code(), ErrorCode::VaultNameNotValid);
            assert!(err.message().contains(bad), "names the vault: {}", err.message());
        }
    }

    #[test]
    fn kid_has_the_kv_5_shape() {
        // SPEC KV-5
        let vault = Vault {
            tags: Default::default(),
            name: "Contoso-KV".into(),
            kind: VaultKind::Vault,
            subscription_id: "s".into(),
            resource_group: "rg".into(),
            location: "westeurope".into(),
            tenant_id: "t".into(),
            sku: VaultSku::Standard,
            enable_rbac_authorization: true,
            access_policies: Vec::new(),
            soft_delete: true,
            soft_delete_retention_days: 90,
            purge_protection: true,
            public_network_access: true,
            bypass_azure_services: true,
            private_endpoints: Vec::new(),
            network: NetworkRules::default(),
            created: SimTime::GENESIS,
            keys: BTreeMap::new(),
            deleted_keys: BTreeMap::new(),
        };
        assert_eq!(
            vault.kid("cmk", "0123456789abcdef0123456789abcdef"),
            "https://contoso-kv.vault.azure.net/keys/cmk/0123456789abcdef0123456789abcdef"
        );
    }
}
