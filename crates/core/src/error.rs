//! The one error type of the core: a stable machine code plus a message a person can act on.

use alloc::string::String;
use core::fmt;

use serde::{Deserialize, Serialize};

/// Stable error codes, spelled as Azure spells them where Azure has one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub enum ErrorCode {
    /// Control-plane (ARM) action without a role that grants it.
    AuthorizationFailed,
    /// Key Vault data-plane action refused by Azure RBAC.
    ForbiddenByRbac,
    /// Key Vault data-plane action refused by the vault's access policies.
    ForbiddenByPolicy,
    /// A parameter has a value the service does not accept.
    BadParameter,
    /// A required parameter is missing.
    MissingParameter,
    /// A user principal name or object id that the directory does not know.
    PrincipalNotFound,
    ResourceGroupNotFound,
    /// A resource group with that name already exists in another location.
    InvalidResourceGroupLocation,
    SubscriptionNotFound,
    VaultNotFound,
    /// The vault name is taken (possibly by a soft-deleted vault).
    VaultAlreadyExists,
    /// The vault name breaks the naming rules.
    VaultNameNotValid,
    KeyNotFound,
    /// A location the service does not offer.
    LocationNotAvailableForResourceType,
    /// A role name the directory does not know.
    RoleDefinitionNotFound,
    RoleAssignmentExists,
    /// Key material handed in (import or pre-generated) is not a usable RSA key.
    InvalidKeyMaterial,
    /// The clock was asked to move backwards.
    TimeMovesForward,
    /// Saved state that cannot be read (not JSON, not ours, damaged).
    CorruptState,
    /// Saved state written by a newer version of the playground.
    UnsupportedStateVersion,
    /// A bug in the playground, not in what was asked: please report it.
    InternalError,
    /// The vault's network rules keep this caller out (SPEC KV-10).
    ForbiddenByFirewall,
    /// A Managed HSM whose security domain was never downloaded.
    ManagedHsmNotActivated,
    /// The key (version) is disabled: every operation is refused (SPEC KV-6).
    KeyDisabled,
    /// Before the key's activation date: wrap and encrypt are refused (SPEC KV-6).
    KeyNotYetValid,
    /// After the key's expiration date: wrap and encrypt are refused (SPEC KV-6).
    KeyExpired,
    /// The key version does not permit the operation (its `key_ops`, SPEC KV-13); Key Vault
    /// answers 403 Forbidden with this inner code.
    KeyOperationForbidden,
    /// The name belongs to a soft-deleted object: recover or purge it first (SPEC KV-9).
    ObjectIsDeletedButRecoverable,
    DeletedVaultNotFound,
    DeletedKeyNotFound,
    /// Purge protection forbids purging before the retention period ends (SPEC KV-9).
    PurgeProtected,
    /// A change the service does not allow, such as turning off a one-way setting.
    OperationNotAllowed,
    /// The subscription has not registered the resource provider (SPEC EP-1).
    MissingSubscriptionRegistration,
    /// An ARM template that fails validation (SPEC EP-2).
    InvalidTemplate,
    ResourceNotFound,
    /// `az deployment group show` of a deployment the group's history does not hold.
    DeploymentNotFound,
    /// An enterprise policy with linked environments cannot change (SPEC EP-6).
    PolicyInUse,
    /// A Resource Graph query the playground does not understand.
    InvalidQuery,
    /// The thing already exists in a way that conflicts.
    Conflict,
    /// A vault without soft delete and purge protection cannot back a CMK policy (SPEC KV-3).
    VaultNotEligible,
    /// Power Platform takes RSA 2048 or 3072 keys only (SPEC KV-4).
    KeyNotEligible,
    /// The Power Platform admin center needs an Entra admin role (SPEC AUTH-2).
    PowerPlatformAdminRequired,
    EnvironmentNotFound,
    /// The environment is disabled (an encryption change is running).
    EnvironmentDisabled,
    /// The environment is locked: its key is out of reach (SPEC LOCK-1).
    EnvironmentLocked,
    EnvironmentDeleted,
    /// Only Managed Environments, never Trial or Teams, can use CMK (SPEC ENV-2).
    EnvironmentNotEligible,
    /// Environment and policy regions differ (SPEC EP-3).
    RegionMismatch,
    /// One operation at a time per environment.
    OperationInProgress,
    /// A storage service failed to re-wrap its data key (SPEC ENC-2).
    EncryptionStepFailed,
    /// The environment's key cannot be reached (SPEC LOCK-2).
    KeyAccessLost,
    /// Restore or copy across different keys (SPEC DB-2, DB-3).
    RestoreNotAllowed,
    BackupNotFound,
    /// The key version that wrapped a backup is gone or disabled (SPEC DB-5).
    KeyVersionUnavailable,
    /// A shell line that cannot be read (unbalanced quotes, …).
    ParseError,
    UnknownCommand,
    UnknownArgument,
    MissingArgument,
    InvalidArgumentValue,
    /// An argument of the real Azure CLI the playground does not act on (issue 31): refused,
    /// named, rather than silently ignored.
    NotSimulated,
    UnsetVariable,
    FileNotFound,
}

impl ErrorCode {
    /// The code as it appears in JSON output (`"code": "KeyNotFound"`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::AuthorizationFailed => "AuthorizationFailed",
            Self::ForbiddenByRbac => "ForbiddenByRbac",
            Self::ForbiddenByPolicy => "ForbiddenByPolicy",
            Self::BadParameter => "BadParameter",
            Self::MissingParameter => "MissingParameter",
            Self::PrincipalNotFound => "PrincipalNotFound",
            Self::ResourceGroupNotFound => "ResourceGroupNotFound",
            Self::InvalidResourceGroupLocation => "InvalidResourceGroupLocation",
            Self::SubscriptionNotFound => "SubscriptionNotFound",
            Self::VaultNotFound => "VaultNotFound",
            Self::VaultAlreadyExists => "VaultAlreadyExists",
            Self::VaultNameNotValid => "VaultNameNotValid",
            Self::KeyNotFound => "KeyNotFound",
            Self::LocationNotAvailableForResourceType => "LocationNotAvailableForResourceType",
            Self::RoleDefinitionNotFound => "RoleDefinitionNotFound",
            Self::RoleAssignmentExists => "RoleAssignmentExists",
            Self::InvalidKeyMaterial => "InvalidKeyMaterial",
            Self::TimeMovesForward => "TimeMovesForward",
            Self::CorruptState => "CorruptState",
            Self::UnsupportedStateVersion => "UnsupportedStateVersion",
            Self::InternalError => "InternalError",
            Self::ForbiddenByFirewall => "ForbiddenByFirewall",
            Self::ManagedHsmNotActivated => "ManagedHsmNotActivated",
            Self::KeyDisabled => "KeyDisabled",
            Self::KeyNotYetValid => "KeyNotYetValid",
            Self::KeyExpired => "KeyExpired",
            Self::KeyOperationForbidden => "KeyOperationForbidden",
            Self::ObjectIsDeletedButRecoverable => "ObjectIsDeletedButRecoverable",
            Self::DeletedVaultNotFound => "DeletedVaultNotFound",
            Self::DeletedKeyNotFound => "DeletedKeyNotFound",
            Self::PurgeProtected => "PurgeProtected",
            Self::OperationNotAllowed => "OperationNotAllowed",
            Self::MissingSubscriptionRegistration => "MissingSubscriptionRegistration",
            Self::InvalidTemplate => "InvalidTemplate",
            Self::ResourceNotFound => "ResourceNotFound",
            Self::DeploymentNotFound => "DeploymentNotFound",
            Self::PolicyInUse => "PolicyInUse",
            Self::InvalidQuery => "InvalidQuery",
            Self::Conflict => "Conflict",
            Self::VaultNotEligible => "VaultNotEligible",
            Self::KeyNotEligible => "KeyNotEligible",
            Self::PowerPlatformAdminRequired => "PowerPlatformAdminRequired",
            Self::EnvironmentNotFound => "EnvironmentNotFound",
            Self::EnvironmentDisabled => "EnvironmentDisabled",
            Self::EnvironmentLocked => "EnvironmentLocked",
            Self::EnvironmentDeleted => "EnvironmentDeleted",
            Self::EnvironmentNotEligible => "EnvironmentNotEligible",
            Self::RegionMismatch => "RegionMismatch",
            Self::OperationInProgress => "OperationInProgress",
            Self::EncryptionStepFailed => "EncryptionStepFailed",
            Self::KeyAccessLost => "KeyAccessLost",
            Self::RestoreNotAllowed => "RestoreNotAllowed",
            Self::BackupNotFound => "BackupNotFound",
            Self::KeyVersionUnavailable => "KeyVersionUnavailable",
            Self::ParseError => "ParseError",
            Self::UnknownCommand => "UnknownCommand",
            Self::UnknownArgument => "UnknownArgument",
            Self::MissingArgument => "MissingArgument",
            Self::InvalidArgumentValue => "InvalidArgumentValue",
            Self::NotSimulated => "NotSimulated",
            Self::UnsetVariable => "UnsetVariable",
            Self::FileNotFound => "FileNotFound",
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What went wrong: `code` for programs, `message` for people (what, where, how to fix).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Error {
    code: ErrorCode,
    message: String,
}

impl Error {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self { code, message: message.into() }
    }
    pub fn code(&self) -> ErrorCode {
        self.code
    }
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "({}) {}", self.code, self.message)
    }
}

impl core::error::Error for Error {}

/// A state the code believes impossible; reported, never panicked on.
pub(crate) fn internal(what: &str) -> Error {
    Error::new(ErrorCode::InternalError, alloc::format!("internal inconsistency: {what}"))
}

/// A key-access failure (a policy's health, a lock, a broken link of the key hierarchy) in plain
/// words, from its code, for the sentence a page says first; the error's own message is the
/// detail behind it. `None` for a code that is not about reaching a key.
pub fn key_access_in_words(code: &str) -> Option<&'static str> {
    Some(match code {
        "ForbiddenByRbac" => "the policy's identity has no role on the vault that lets it use the key",
        "ForbiddenByPolicy" => "no access policy of the vault lets the policy's identity use the key",
        "ForbiddenByFirewall" => "the vault's firewall keeps Power Platform out",
        "KeyDisabled" => "the key or its current version is disabled",
        "KeyExpired" => "the key version has expired",
        "KeyNotYetValid" => "the key version is not active yet",
        "KeyOperationForbidden" => "the key does not permit wrapping or unwrapping (its permitted operations)",
        "KeyNotFound" | "ResourceNotFound" | "VaultNotFound" => "the key or its vault is gone",
        "ManagedHsmNotActivated" => "the Managed HSM is not activated",
        "KeyAccessLost" => "the key is out of reach",
        _ => return None,
    })
}
