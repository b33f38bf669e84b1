//! The everyday reads people type in Azure, answered by the shell from the signed-in persona's view
//! (`shell::reads`): their grammar.

use super::spec::{opt, Flag, Own, Spec};

/// A vault or an HSM, for the key lists.
const VAULT_ONLY: &[Flag] =
    &[opt(&["--vault-name"], "vault name"), opt(&["--hsm-name"], "Managed HSM name (instead of --vault-name)")];

pub(super) static SHELL: &[Spec] = &[
    Spec::own("az account show", "the subscription in use", &[], Own::Read),
    Spec::own("az group list", "resource groups", &[], Own::Read),
    Spec::own(
        "az keyvault list",
        "key vaults and Managed HSMs",
        &[opt(&["--resource-group", "-g"], "resource group")],
        Own::Read,
    ),
    Spec::own("az keyvault list-deleted", "soft-deleted vaults", &[], Own::Read),
    Spec::own("az keyvault key list", "a vault's keys", VAULT_ONLY, Own::Read),
    Spec::own("az keyvault key list-deleted", "a vault's soft-deleted keys", VAULT_ONLY, Own::Read),
    Spec::own(
        "az role definition list",
        "built-in role definitions",
        &[opt(&["--name", "-n"], "role name")],
        Own::Read,
    ),
    Spec::own("az ad user list", "the directory's users", &[], Own::Read),
    Spec::own(
        "az resource list",
        "resources (vaults, Managed HSMs, enterprise policies)",
        &[
            opt(&["--resource-type"], "type, e.g. Microsoft.KeyVault/vaults"),
            opt(&["--resource-group", "-g"], "resource group"),
        ],
        Own::Read,
    ),
];
