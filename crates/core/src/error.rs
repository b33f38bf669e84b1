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
        Self {
            code,
            message: message.into(),
        }
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
