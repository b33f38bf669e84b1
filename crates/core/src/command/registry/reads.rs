//! The everyday reads people type in Azure, answered by the shell from the signed-in persona's view
//! (`shell::reads`): their grammar.

use super::spec::{opt, req, switch, Flag, Own, Spec};

/// The subscription a line names (`az account set`/`show`).
const SUBSCRIPTION: &[Flag] = &[opt(&["--subscription", "-s", "--name", "-n"], "subscription name or id")];

/// A vault or an HSM, for the key lists.
const VAULT_ONLY: &[Flag] = &[
    opt(&["--vault-name"], "vault name"),
    opt(&["--hsm-name"], "Managed HSM name (instead of --vault-name)"),
    opt(&["--id"], "the vault's URI, https://VAULT.vault.azure.net/, instead of --vault-name"),
    opt(&["--maxresults"], "at most this many"),
];

pub(super) static SHELL: &[Spec] = &[
    Spec::own("az account show", "the subscription in use", SUBSCRIPTION, Own::Read),
    Spec::own(
        "az account list",
        "the subscriptions of the signed-in persona",
        &[switch(&["--all"], "disabled ones too (there are none)")],
        Own::Read,
    ),
    Spec::own(
        "az account set",
        "choose the subscription (the tenant has one)",
        &[req(&["--subscription", "-s", "--name", "-n"], "subscription name or id")],
        Own::Read,
    ),
    Spec::own("az ad signed-in-user show", "the signed-in persona", &[], Own::Read),
    Spec::own(
        "az ad sp show",
        "a service principal: an enterprise policy's managed identity, by object id or the policy's name",
        &[req(&["--id"], "object id (the policy's identity.principalId) or the policy's name")],
        Own::Read,
    ),
    Spec::own(
        "az ad sp list",
        "service principals: the enterprise policies' managed identities",
        &[
            opt(&["--display-name"], "those whose display name starts with this"),
            switch(&["--all"], "all of them (there are few)"),
            switch(&["--show-mine"], "those the signed-in persona owns (none: managed identities have no owner)"),
        ],
        Own::Read,
    ),
    Spec::own("az provider list", "the resource providers the playground models, with their state", &[], Own::Read),
    Spec::own("az group list", "resource groups", &[], Own::Read),
    Spec::own(
        "az group show",
        "a resource group",
        &[req(&["--name", "-n", "--resource-group", "-g"], "name")],
        Own::Read,
    ),
    Spec::own(
        "az group exists",
        "whether a resource group exists",
        &[req(&["--name", "-n", "--resource-group", "-g"], "name")],
        Own::Read,
    ),
    Spec::own(
        "az provider show",
        "a resource provider's registration state",
        &[req(&["--namespace", "-n"], "e.g. Microsoft.PowerPlatform")],
        Own::Read,
    ),
    Spec::own(
        "az keyvault list",
        "key vaults and Managed HSMs",
        &[opt(&["--resource-group", "-g"], "resource group")],
        Own::Read,
    ),
    Spec::own("az keyvault list-deleted", "soft-deleted vaults", &[], Own::Read),
    Spec::own(
        "az keyvault network-rule list",
        "the firewall's IP address and virtual network rules",
        &[
            opt(&["--name", "-n"], "vault name"),
            opt(&["--hsm-name"], "Managed HSM name"),
            opt(&["--resource-group", "-g"], "its resource group: refused when the vault is in another"),
        ],
        Own::Read,
    ),
    Spec::own("az keyvault key list", "a vault's keys", VAULT_ONLY, Own::Read),
    Spec::own(
        "az keyvault key download",
        "write a key's public half to a file of the Cloud Shell",
        &[
            opt(&["--vault-name"], "vault name"),
            opt(&["--hsm-name"], "Managed HSM name (instead of --vault-name)"),
            opt(&["--name", "-n"], "key name"),
            opt(&["--version", "-v"], "key version (default: current)"),
            opt(&["--id"], "the key's identifier (kid), instead of --vault-name and --name"),
            req(&["--file", "-f"], "the file to write (it must not exist yet)"),
            opt(&["--encoding", "-e"], "PEM (DER is binary: the Cloud Shell's files here hold text)"),
        ],
        Own::KeyDownload,
    ),
    Spec::own("az keyvault key list-deleted", "a vault's soft-deleted keys", VAULT_ONLY, Own::Read),
    Spec::own(
        "az keyvault show-deleted",
        "a soft-deleted vault",
        &[
            opt(&["--name", "-n"], "vault name"),
            opt(&["--hsm-name"], "Managed HSM name (instead of --name)"),
            opt(&["--location", "-l"], "the region it was deleted in: refused when it was elsewhere"),
        ],
        Own::Read,
    ),
    Spec::own(
        "az keyvault key show-deleted",
        "a soft-deleted key",
        &[
            opt(&["--vault-name"], "vault name"),
            opt(&["--hsm-name"], "Managed HSM name (instead of --vault-name)"),
            opt(&["--name", "-n"], "key name"),
            opt(&["--id"], "the deleted key's recovery id, instead of --vault-name and --name"),
        ],
        Own::Read,
    ),
    Spec::own(
        "az role definition list",
        "built-in role definitions",
        &[opt(&["--name", "-n"], "role name")],
        Own::Read,
    ),
    Spec::own(
        "az ad user list",
        "the directory's users",
        &[
            opt(&["--display-name"], "those whose display name starts with this"),
            opt(&["--upn"], "the user with this principal name"),
        ],
        Own::Read,
    ),
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
