//! Guided scenarios: every flow of the seed documents as a prepared world, a goal and a
//! checklist. Each item is a question asked of the world's state (never of clicks), names the
//! persona who does it and carries its Cloud Shell lines ("Show me"). Items look at facts that
//! stay true once reached (history, activity, resources), so a finished checklist stays ticked.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use crate::azure::vault::{Key, Vault};
use crate::error::{Error, ErrorCode};
use crate::powerplatform::environment::{EncryptionStatus, Environment, Protector, Service};
use crate::shell::{render, NoFiles, Shell};
use crate::view::{ScenarioProgress, ScenarioStepView, ScenarioSummary};
use crate::world::World;

#[derive(Debug)]
pub struct Scenario {
    pub id: &'static str,
    pub title: &'static str,
    /// The goal, as shown above the checklist.
    pub goal: &'static str,
    /// Where the seed documents describe it.
    pub source: &'static str,
    /// Builds the prepared world (after the scenario's files are written).
    pub setup: &'static str,
    pub steps: &'static [Step],
}

#[derive(Debug)]
pub struct Step {
    pub text: &'static str,
    /// The persona's user principal name.
    pub persona: &'static str,
    /// The step as Cloud Shell lines (one per line).
    pub show_me: &'static str,
    pub done: fn(&World) -> bool,
}

pub const KAI: &str = "kai@contoso.onmicrosoft.com";
pub const PRIYA: &str = "priya@contoso.onmicrosoft.com";
pub const MALLORY: &str = "mallory@contoso.onmicrosoft.com";
pub const GUS: &str = "gus@contoso.onmicrosoft.com";

/// Files every scenario's Cloud Shell session starts with (templates of the documentation).
pub const FILES: &[(&str, &str)] = &[
    ("ep-contoso-cmk.json", include_str!("../../../tests/scenarios/ep-contoso-cmk.json")),
    ("ep-contoso-cmk2.json", include_str!("../../../tests/scenarios/ep-contoso-cmk2.json")),
    ("ep-shadow.json", include_str!("../../../tests/scenarios/ep-shadow.json")),
    ("ep-private.json", include_str!("../../../tests/scenarios/ep-private.json")),
    ("ep-hsm.json", include_str!("../../../tests/scenarios/ep-hsm.json")),
];

macro_rules! vault_ready {
    () => {
        "sim seed 1
az login --username kai@contoso.onmicrosoft.com
az provider register --namespace Microsoft.PowerPlatform
az group create --name rg-cmk --location westeurope
az keyvault create --name kv-contoso-cmk --resource-group rg-cmk --location westeurope --enable-purge-protection true --retention-days 90
KAI=$(az ad user show --id kai@contoso.onmicrosoft.com --query id -o tsv)
KV=$(az keyvault show --name kv-contoso-cmk --query id -o tsv)
PRIYA=$(az ad user show --id priya@contoso.onmicrosoft.com --query id -o tsv)
az role assignment create --assignee $KAI --role 'Key Vault Crypto Officer' --scope $KV
"
    };
}

/// `EP=`: the enterprise policy's ARM id, found as Resource Graph lists it.
macro_rules! policy_id {
    () => {
        "EP=$(az graph query -q \"resources | where type =~ 'microsoft.powerplatform/enterprisepolicies'\" --query data[0].id -o tsv)"
    };
}

macro_rules! policy_ready {
    () => {
        concat!(
            vault_ready!(),
            "az keyvault key create --vault-name kv-contoso-cmk --name cmk --kty RSA --size 2048
az deployment group create --resource-group rg-cmk --template-file ep-contoso-cmk.json
",
            policy_id!(),
            "
PID=$(az resource show --ids $EP --query identity.principalId -o tsv)
az role assignment create --assignee $PID --role 'Key Vault Crypto Service Encryption User' --scope $KV
New-AzRoleAssignment -ObjectId $PRIYA -RoleDefinitionName Reader -Scope $EP
"
        )
    };
}

/// A scenario with a world of its own: seed `$seed`; Kai registers the provider, creates
/// resource group `$rg` and runs `$kai` (lines ending in a newline); Priya creates the managed
/// Production environment `$env`.
macro_rules! own_group_and_production {
    ($seed:literal, $rg:literal, $kai:literal, $env:literal) => {
        concat!(
            "sim seed ",
            $seed,
            "
az login --username kai@contoso.onmicrosoft.com
az provider register --namespace Microsoft.PowerPlatform
az group create --name ",
            $rg,
            " --location westeurope
",
            $kai,
            "PRIYA=$(az ad user show --id priya@contoso.onmicrosoft.com --query id -o tsv)
az login --username priya@contoso.onmicrosoft.com
pp env create --name ",
            $env,
            " --region europe --type Production
pp env enable-managed --environment ",
            $env,
            "
"
        )
    };
}

macro_rules! prod_encrypted {
    () => {
        concat!(
            policy_ready!(),
            "az login --username priya@contoso.onmicrosoft.com
pp env create --name Contoso-Prod --region europe --type Production
pp env enable-managed --environment Contoso-Prod
sim data insert --environment Contoso-Prod --table account --rows 1000
pp policy add-environment --policy ep-contoso-cmk --environment Contoso-Prod
sim clock run
"
        )
    };
}

// ----- questions asked of the world -----

fn env<'a>(w: &'a World, name: &str) -> Option<&'a Environment> {
    w.pp.environments.values().find(|e| e.name.eq_ignore_ascii_case(name))
}

fn vault<'a>(w: &'a World, name: &str) -> Option<&'a Vault> {
    w.azure.vaults.get(name).or_else(|| w.azure.vaults.values().find(|v| v.name.eq_ignore_ascii_case(name)))
}

fn key<'a>(w: &'a World, vault_name: &str, name: &str) -> Option<&'a Key> {
    vault(w, vault_name)?.keys.get(name)
}

fn policy_exists(w: &World, name: &str) -> bool {
    w.azure.policies.values().any(|p| p.name.eq_ignore_ascii_case(name))
}

fn policy_healthy(w: &World, name: &str) -> bool {
    w.azure
        .policies
        .values()
        .filter(|p| p.name.eq_ignore_ascii_case(name))
        .any(|p| matches!(w.azure.policy_health(p, w.now()), crate::azure::policy::Health::Healthy))
}

/// Encrypted with the key of `policy` (its current version protects the Dataverse data key).
fn encrypted_by(w: &World, env_name: &str, policy: &str) -> bool {
    let Some(e) = env(w, env_name) else { return false };
    let Some(p) = w.azure.policies.values().find(|p| p.name.eq_ignore_ascii_case(policy)) else { return false };
    let linked = e.policy.as_deref().is_some_and(|id| id.eq_ignore_ascii_case(&p.id()));
    let on_key = e.key_version().is_some_and(|kid| kid.contains(&format!("/keys/{}/", p.key_name)));
    linked && on_key && matches!(e.encryption, EncryptionStatus::Encrypted | EncryptionStatus::Warning)
}

fn did(w: &World, env_name: &str, operation: &str) -> bool {
    env(w, env_name).is_some_and(|e| e.history.iter().any(|h| h.operation == operation))
}

fn succeeded(w: &World, env_name: &str, operation: &str) -> bool {
    env(w, env_name).is_some_and(|e| {
        e.history.iter().any(|h| {
            h.operation == operation && h.status == crate::powerplatform::environment::OperationStatus::Succeeded
        })
    })
}

fn was_locked(w: &World, env_name: &str) -> bool {
    let Some(e) = env(w, env_name) else { return false };
    w.log.iter().any(|a| a.kind == "EnvironmentLocked" && a.resource == e.id)
}

fn reader_on_policy(w: &World, policy: &str, upn: &str) -> bool {
    let Some(p) = w.azure.policies.values().find(|p| p.name.eq_ignore_ascii_case(policy)) else { return false };
    let Some(user) = w.azure.users.iter().find(|u| u.upn.eq_ignore_ascii_case(upn)) else {
        return false;
    };
    let id = p.id().to_ascii_lowercase();
    w.azure
        .role_assignments
        .iter()
        .any(|r| r.principal_id == user.object_id && r.role == "Reader" && r.scope.to_ascii_lowercase() == id)
}

fn on_microsoft_key(w: &World, env_name: &str) -> bool {
    env(w, env_name).is_some_and(|e| {
        e.policy.is_none()
            && e.job.is_none()
            && e.services.values().all(|s| matches!(s.dek.protector, Protector::Microsoft))
    })
}

pub static SCENARIOS: &[Scenario] = &[
    Scenario {
        id: "setup-cmk",
        title: "Set up a customer-managed key",
        goal: "Encrypt Contoso-Prod with your own key: create the key, deploy the enterprise policy, grant its identity, and add the environment.",
        source: "Manage your customer-managed encryption key: create the key and the enterprise policy, grant permissions, add environments",
        setup: concat!(
            vault_ready!(),
            "az login --username priya@contoso.onmicrosoft.com
pp env create --name Contoso-Prod --region europe --type Production
sim data insert --environment Contoso-Prod --table account --rows 1000
"
        ),
        steps: &[
            Step {
                text: "Create an RSA key named cmk (2048 bits) in kv-contoso-cmk.",
                persona: KAI,
                show_me: "az login --username kai@contoso.onmicrosoft.com\naz keyvault key create --vault-name kv-contoso-cmk --name cmk --kty RSA --size 2048",
                done: |w| key(w, "kv-contoso-cmk", "cmk").is_some(),
            },
            Step {
                text: "Deploy the enterprise policy ep-contoso-cmk from the ARM template.",
                persona: KAI,
                show_me: "az login --username kai@contoso.onmicrosoft.com\naz deployment group create --resource-group rg-cmk --template-file ep-contoso-cmk.json",
                done: |w| policy_exists(w, "ep-contoso-cmk"),
            },
            Step {
                text: "Give the policy's managed identity Key Vault Crypto Service Encryption User on the vault, so the policy is Healthy.",
                persona: KAI,
                show_me: concat!("az login --username kai@contoso.onmicrosoft.com\n", policy_id!(), "\nPID=$(az resource show --ids $EP --query identity.principalId -o tsv)\naz role assignment create --assignee $PID --role 'Key Vault Crypto Service Encryption User' --scope $KV"),
                done: |w| policy_healthy(w, "ep-contoso-cmk"),
            },
            Step {
                text: "Make Priya, the Power Platform administrator, Reader on the policy.",
                persona: KAI,
                show_me: concat!("az login --username kai@contoso.onmicrosoft.com\n", policy_id!(), "\nNew-AzRoleAssignment -ObjectId $PRIYA -RoleDefinitionName Reader -Scope $EP"),
                done: |w| reader_on_policy(w, "ep-contoso-cmk", PRIYA),
            },
            Step {
                text: "Turn Contoso-Prod into a Managed Environment.",
                persona: PRIYA,
                show_me: "az login --username priya@contoso.onmicrosoft.com\npp env enable-managed --environment Contoso-Prod",
                done: |w| env(w, "Contoso-Prod").is_some_and(|e| e.managed),
            },
            Step {
                text: "Add Contoso-Prod to ep-contoso-cmk and let the encryption finish (about 3 hours on the clock).",
                persona: PRIYA,
                show_me: "az login --username priya@contoso.onmicrosoft.com\npp policy add-environment --policy ep-contoso-cmk --environment Contoso-Prod\nsim clock run",
                done: |w| encrypted_by(w, "Contoso-Prod", "ep-contoso-cmk"),
            },
        ],
    },
    Scenario {
        id: "rotate-version",
        title: "Rotate the key by a new version",
        goal: "Create a new version of cmk and watch Contoso-Prod pick it up within 24 hours, without downtime.",
        source: "Rotate your key: create a new key version",
        setup: prod_encrypted!(),
        steps: &[
            Step {
                text: "Create a new version of the key cmk.",
                persona: KAI,
                show_me: "az login --username kai@contoso.onmicrosoft.com\naz keyvault key create --vault-name kv-contoso-cmk --name cmk --kty RSA --size 2048",
                done: |w| key(w, "kv-contoso-cmk", "cmk").is_some_and(|k| k.versions.len() >= 2),
            },
            Step {
                text: "Advance the clock a day: Contoso-Prod re-wraps its data keys with the new version, online.",
                persona: PRIYA,
                show_me: "az login --username priya@contoso.onmicrosoft.com\nsim clock advance 1d",
                done: |w| did(w, "Contoso-Prod", "Key rotation"),
            },
        ],
    },
    Scenario {
        id: "rotation-policy",
        title: "Rotate on a schedule with a rotation policy",
        goal: "Let Key Vault rotate cmk on its own and see the environment follow the new version.",
        source: "Rotate your key: key rotation policy",
        setup: prod_encrypted!(),
        steps: &[
            Step {
                text: "Set a rotation policy on cmk that rotates it 7 days after creation (the shortest Key Vault allows).",
                persona: KAI,
                show_me: "az login --username kai@contoso.onmicrosoft.com\naz keyvault key rotation-policy update --vault-name kv-contoso-cmk --name cmk --value '{\"lifetimeActions\":[{\"trigger\":{\"timeAfterCreate\":\"P7D\"},\"action\":{\"type\":\"Rotate\"}}]}'",
                done: |w| key(w, "kv-contoso-cmk", "cmk").is_some_and(|k| k.rotation_policy.is_some()),
            },
            Step {
                text: "Advance the clock 8 days: the key rotates and Contoso-Prod picks up the new version.",
                persona: KAI,
                show_me: "sim clock advance 8d",
                done: |w| {
                    key(w, "kv-contoso-cmk", "cmk").is_some_and(|k| k.versions.len() >= 2)
                        && did(w, "Contoso-Prod", "Key rotation")
                },
            },
        ],
    },
    Scenario {
        id: "change-key",
        title: "Change the key with a new policy",
        goal: "Move Contoso-Prod from ep-contoso-cmk to a new policy on another key. It goes through the Microsoft-managed key in between: two downtimes.",
        source: "Change the environment's encryption key with a new enterprise policy and key",
        setup: prod_encrypted!(),
        steps: &[
            Step {
                text: "Create the key cmk2 (RSA 3072) and deploy the enterprise policy ep-contoso-cmk2 on it.",
                persona: KAI,
                show_me: "az login --username kai@contoso.onmicrosoft.com\naz keyvault key create --vault-name kv-contoso-cmk --name cmk2 --kty RSA --size 3072\naz deployment group create --resource-group rg-cmk --template-file ep-contoso-cmk2.json",
                done: |w| key(w, "kv-contoso-cmk", "cmk2").is_some() && policy_exists(w, "ep-contoso-cmk2"),
            },
            Step {
                text: "Grant the new policy's identity on the vault and make Priya Reader on it.",
                persona: KAI,
                show_me: "az login --username kai@contoso.onmicrosoft.com\nEP2=$(az graph query -q \"resources | where type =~ 'microsoft.powerplatform/enterprisepolicies'\" --query data[1].id -o tsv)\nPID2=$(az resource show --ids $EP2 --query identity.principalId -o tsv)\naz role assignment create --assignee $PID2 --role 'Key Vault Crypto Service Encryption User' --scope $KV\nNew-AzRoleAssignment -ObjectId $PRIYA -RoleDefinitionName Reader -Scope $EP2",
                done: |w| policy_healthy(w, "ep-contoso-cmk2") && reader_on_policy(w, "ep-contoso-cmk2", PRIYA),
            },
            Step {
                text: "Remove Contoso-Prod from ep-contoso-cmk and let it return to the Microsoft-managed key.",
                persona: PRIYA,
                show_me: "az login --username priya@contoso.onmicrosoft.com\npp policy remove-environment --policy ep-contoso-cmk --environment Contoso-Prod\nsim clock run",
                done: |w| did(w, "Contoso-Prod", crate::powerplatform::environment::REVERT_CMK),
            },
            Step {
                text: "Add Contoso-Prod to ep-contoso-cmk2 and let the encryption finish.",
                persona: PRIYA,
                show_me: "az login --username priya@contoso.onmicrosoft.com\npp policy add-environment --policy ep-contoso-cmk2 --environment Contoso-Prod\nsim clock run",
                done: |w| encrypted_by(w, "Contoso-Prod", "ep-contoso-cmk2"),
            },
        ],
    },
    Scenario {
        id: "revert",
        title: "Revert to the Microsoft-managed key",
        goal: "Take Contoso-Prod off the customer-managed key, then delete the policy nobody uses any more.",
        source: "Revert to a Microsoft-managed key: remove environments from the enterprise policy",
        setup: prod_encrypted!(),
        steps: &[
            Step {
                text: "Remove Contoso-Prod from ep-contoso-cmk and let it finish.",
                persona: PRIYA,
                show_me: "az login --username priya@contoso.onmicrosoft.com\npp policy remove-environment --policy ep-contoso-cmk --environment Contoso-Prod\nsim clock run",
                done: |w| did(w, "Contoso-Prod", crate::powerplatform::environment::REVERT_CMK) && on_microsoft_key(w, "Contoso-Prod"),
            },
            Step {
                text: "Delete the enterprise policy, now that no environment uses it.",
                persona: KAI,
                show_me: concat!("az login --username kai@contoso.onmicrosoft.com\n", policy_id!(), "\naz resource delete --ids $EP"),
                done: |w| !policy_exists(w, "ep-contoso-cmk") && env(w, "Contoso-Prod").is_some(),
            },
        ],
    },
    Scenario {
        id: "lock-unlock",
        title: "Lock and unlock environments",
        goal: "Disable the key: within the hour both environments lock. Bring Contoso-Prod back; leave the sandbox locked and see it deleted after 7 days.",
        source: "Lock and unlock environments (revoke key access, then restore it and re-enable)",
        setup: concat!(
            prod_encrypted!(),
            "pp env create --name Contoso-Test --region europe --type Sandbox
pp env enable-managed --environment Contoso-Test
sim data insert --environment Contoso-Test --table lead --rows 50
pp policy add-environment --policy ep-contoso-cmk --environment Contoso-Test
sim clock run
"
        ),
        steps: &[
            Step {
                text: "Disable the key cmk, then advance the clock an hour: the health check locks the environments.",
                persona: KAI,
                show_me: "az login --username kai@contoso.onmicrosoft.com\naz keyvault key set-attributes --vault-name kv-contoso-cmk --name cmk --enabled false\nsim clock advance 1h",
                done: |w| was_locked(w, "Contoso-Prod") && was_locked(w, "Contoso-Test"),
            },
            Step {
                text: "Enable the key again, then re-enable Contoso-Prod in the admin center.",
                persona: PRIYA,
                show_me: "az login --username kai@contoso.onmicrosoft.com\naz keyvault key set-attributes --vault-name kv-contoso-cmk --name cmk --enabled true\naz login --username priya@contoso.onmicrosoft.com\npp env re-enable --environment Contoso-Prod",
                done: |w| did(w, "Contoso-Prod", "Environment enabled"),
            },
            Step {
                text: "Leave Contoso-Test locked: advance 7 days and it is deleted with its data.",
                persona: PRIYA,
                show_me: "sim clock advance 7d",
                done: |w| env(w, "Contoso-Test").is_some_and(|e| e.deleted.is_some()),
            },
        ],
    },
    Scenario {
        id: "malicious-admin",
        title: "The malicious admin",
        goal: "Mallory, a Key Vault admin, encrypted Sales with her own key. See what happens when she takes the key away.",
        source: "Considerations: a rogue key vault administrator can lock environments",
        setup: concat!("sim seed 7
az login --username mallory@contoso.onmicrosoft.com
az provider register --namespace Microsoft.PowerPlatform
az group create --name rg-shadow --location westeurope
az keyvault create --name kv-shadow --resource-group rg-shadow --location westeurope --enable-purge-protection true --enable-rbac-authorization false
az keyvault key create --vault-name kv-shadow --name trap --kty RSA --size 2048
az deployment group create --resource-group rg-shadow --template-file ep-shadow.json
", policy_id!(), "
PID=$(az resource show --ids $EP --query identity.principalId -o tsv)
az keyvault set-policy --name kv-shadow --object-id $PID --key-permissions get wrapKey unwrapKey
PRIYA=$(az ad user show --id priya@contoso.onmicrosoft.com --query id -o tsv)
az role assignment create --assignee $PRIYA --role Reader --scope $EP
az login --username priya@contoso.onmicrosoft.com
pp env create --name Sales --region europe --type Sandbox
pp env enable-managed --environment Sales
sim data insert --environment Sales --table opportunity --rows 200
pp policy add-environment --policy ep-shadow --environment Sales
sim clock run
"),
        steps: &[
            Step {
                text: "As Mallory, delete the access policy of ep-shadow's identity on kv-shadow.",
                persona: MALLORY,
                show_me: "az login --username mallory@contoso.onmicrosoft.com\naz keyvault delete-policy --name kv-shadow --object-id $PID",
                done: |w| vault(w, "kv-shadow").is_some_and(|v| v.access_policies.len() == 1),
            },
            Step {
                text: "Advance an hour: Sales locks and its data can no longer be read.",
                persona: GUS,
                show_me: "sim clock advance 1h",
                done: |w| was_locked(w, "Sales"),
            },
            Step {
                text: "Advance 7 days: Sales, a sandbox, is deleted for good.",
                persona: GUS,
                show_me: "sim clock advance 7d",
                done: |w| env(w, "Sales").is_some_and(|e| e.deleted.is_some()),
            },
        ],
    },
    Scenario {
        id: "byok-migration",
        title: "Migrate a bring-your-own-key environment",
        goal: "Legacy-BYOK is protected by the tenant's legacy key. Add it to the enterprise policy to move it to the customer-managed key.",
        source: "Migrate bring-your-own-key (BYOK) environments to customer-managed key",
        setup: concat!(
            policy_ready!(),
            "az login --username priya@contoso.onmicrosoft.com
pp env create --name Legacy-BYOK --region europe --type Sandbox --byok
sim data insert --environment Legacy-BYOK --table contact --rows 300
"
        ),
        steps: &[
            Step {
                text: "Turn Legacy-BYOK into a Managed Environment (a policy takes Managed Environments only).",
                persona: PRIYA,
                show_me: "az login --username priya@contoso.onmicrosoft.com\npp env enable-managed --environment Legacy-BYOK",
                done: |w| env(w, "Legacy-BYOK").is_some_and(|e| e.managed),
            },
            Step {
                text: "Add Legacy-BYOK to ep-contoso-cmk and let the migration finish: no service is left on the tenant key.",
                persona: PRIYA,
                show_me: "az login --username priya@contoso.onmicrosoft.com\npp policy add-environment --policy ep-contoso-cmk --environment Legacy-BYOK\nsim clock run",
                done: |w| {
                    encrypted_by(w, "Legacy-BYOK", "ep-contoso-cmk")
                        && env(w, "Legacy-BYOK").is_some_and(|e| {
                            e.services.iter().all(|(s, v)| {
                                *s == Service::Flows || matches!(v.dek.protector, Protector::Cmk { .. })
                            })
                        })
                },
            },
        ],
    },
    Scenario {
        id: "private-link",
        title: "A key vault behind a private endpoint",
        goal: "Close the vault to the public network, keep the trusted-services exception, and encrypt Private-Prod through it.",
        source: "Key vault with private link: allow trusted Microsoft services",
        setup: own_group_and_production!(
            "9",
            "rg-private",
            "az keyvault create --name kv-private-cmk --resource-group rg-private --location westeurope --enable-purge-protection true --enable-rbac-authorization false
az keyvault key create --vault-name kv-private-cmk --name cmk --kty RSA --size 2048
KV=$(az keyvault show --name kv-private-cmk --query id -o tsv)
",
            "Private-Prod"
        ),
        steps: &[
            Step {
                text: "Turn off public network access on kv-private-cmk, allowing trusted Microsoft services.",
                persona: KAI,
                show_me: "az login --username kai@contoso.onmicrosoft.com\naz keyvault update --name kv-private-cmk --public-network-access Disabled --bypass AzureServices",
                done: |w| vault(w, "kv-private-cmk").is_some_and(|v| !v.public_network_access && v.bypass_azure_services),
            },
            Step {
                text: "Create the private endpoint pe-kv to the vault.",
                persona: KAI,
                show_me: "az login --username kai@contoso.onmicrosoft.com\naz network private-endpoint create --name pe-kv --resource-group rg-private --vnet-name vnet-cmk --subnet default --private-connection-resource-id $KV --group-id vault --connection-name kv-link",
                done: |w| vault(w, "kv-private-cmk").is_some_and(|v| !v.private_endpoints.is_empty()),
            },
            Step {
                text: "Deploy ep-private and give its identity get, wrapKey and unwrapKey in an access policy.",
                persona: KAI,
                show_me: concat!("az login --username kai@contoso.onmicrosoft.com\naz deployment group create --resource-group rg-private --template-file ep-private.json\n", policy_id!(), "\nPID=$(az resource show --ids $EP --query identity.principalId -o tsv)\naz keyvault set-policy --name kv-private-cmk --object-id $PID --key-permissions get wrapKey unwrapKey"),
                done: |w| policy_healthy(w, "ep-private"),
            },
            Step {
                text: "Make Priya Reader on the policy; as Priya add Private-Prod and let it finish.",
                persona: PRIYA,
                show_me: concat!("az login --username kai@contoso.onmicrosoft.com\n", policy_id!(), "\nNew-AzRoleAssignment -ObjectId $PRIYA -RoleDefinitionName Reader -Scope $EP\naz login --username priya@contoso.onmicrosoft.com\npp policy add-environment --policy ep-private --environment Private-Prod\nsim clock run"),
                done: |w| encrypted_by(w, "Private-Prod", "ep-private"),
            },
        ],
    },
    Scenario {
        id: "restore-copy-reset",
        title: "Backup, restore, copy and reset",
        goal: "Back up Contoso-Prod, restore it, copy it to a sandbox under the same key, and reset the sandbox.",
        source: "Backup and restore, copy and reset environments with a customer-managed key",
        setup: prod_encrypted!(),
        steps: &[
            Step {
                text: "Back up Contoso-Prod with the label \"before import\".",
                persona: PRIYA,
                show_me: "az login --username priya@contoso.onmicrosoft.com\npp env backup --environment Contoso-Prod --label 'before import'",
                done: |w| did(w, "Contoso-Prod", "Backup"),
            },
            Step {
                text: "Restore that backup onto Contoso-Prod.",
                persona: PRIYA,
                show_me: "az login --username priya@contoso.onmicrosoft.com\npp env restore --source Contoso-Prod --backup 'before import' --target Contoso-Prod",
                done: |w| did(w, "Contoso-Prod", "Restore"),
            },
            Step {
                text: "Create the sandbox Contoso-Dev, make it Managed and add it to ep-contoso-cmk: a copy target needs the same key.",
                persona: PRIYA,
                show_me: "az login --username priya@contoso.onmicrosoft.com\npp env create --name Contoso-Dev --region europe --type Sandbox\npp env enable-managed --environment Contoso-Dev\npp policy add-environment --policy ep-contoso-cmk --environment Contoso-Dev\nsim clock run",
                done: |w| succeeded(w, "Contoso-Dev", crate::powerplatform::environment::UPDATE_CMK),
            },
            Step {
                text: "Copy Contoso-Prod to Contoso-Dev.",
                persona: PRIYA,
                show_me: "az login --username priya@contoso.onmicrosoft.com\npp env copy --source Contoso-Prod --target Contoso-Dev",
                done: |w| did(w, "Contoso-Dev", "Copy"),
            },
            Step {
                text: "Reset Contoso-Dev.",
                persona: PRIYA,
                show_me: "az login --username priya@contoso.onmicrosoft.com\npp env reset --environment Contoso-Dev",
                done: |w| did(w, "Contoso-Dev", "Reset"),
            },
        ],
    },
    Scenario {
        id: "managed-hsm",
        title: "A key in Managed HSM",
        goal: "Back the enterprise policy with an RSA-HSM key in a Managed HSM and encrypt HSM-Prod with it.",
        source: "Create a key in Azure Key Vault Managed HSM",
        setup: own_group_and_production!(
            "11",
            "rg-hsm",
            "KAI=$(az ad user show --id kai@contoso.onmicrosoft.com --query id -o tsv)
",
            "HSM-Prod"
        ),
        steps: &[
            Step {
                text: "Create the Managed HSM hsm-contoso with purge protection, Kai as administrator.",
                persona: KAI,
                show_me: "az login --username kai@contoso.onmicrosoft.com\naz keyvault create --hsm-name hsm-contoso --resource-group rg-hsm --location westeurope --administrators $KAI --retention-days 90 --enable-purge-protection true",
                done: |w| vault(w, "hsm-contoso").is_some(),
            },
            Step {
                text: "Download its security domain to activate it.",
                persona: KAI,
                show_me: "az login --username kai@contoso.onmicrosoft.com\naz keyvault security-domain download --hsm-name hsm-contoso --sd-wrapping-keys cert0.cer cert1.cer cert2.cer --sd-quorum 2 --security-domain-file hsm-sd.json",
                done: |w| vault(w, "hsm-contoso").is_some_and(|v| matches!(v.kind, crate::azure::vault::VaultKind::ManagedHsm { activated: true, .. })),
            },
            Step {
                text: "Take the Managed HSM Crypto User role on /keys and create the RSA-HSM key cmk-hsm.",
                persona: KAI,
                show_me: "az login --username kai@contoso.onmicrosoft.com\naz keyvault role assignment create --hsm-name hsm-contoso --role 'Managed HSM Crypto User' --assignee $KAI --scope /keys\naz keyvault key create --hsm-name hsm-contoso --name cmk-hsm --kty RSA-HSM --size 2048",
                done: |w| key(w, "hsm-contoso", "cmk-hsm").is_some(),
            },
            Step {
                text: "Deploy ep-hsm and give its identity Managed HSM Crypto Service Encryption User on the key.",
                persona: KAI,
                show_me: concat!("az login --username kai@contoso.onmicrosoft.com\naz deployment group create --resource-group rg-hsm --template-file ep-hsm.json\n", policy_id!(), "\nPID=$(az resource show --ids $EP --query identity.principalId -o tsv)\naz keyvault role assignment create --hsm-name hsm-contoso --role 'Managed HSM Crypto Service Encryption User' --assignee $PID --scope /keys/cmk-hsm"),
                done: |w| policy_healthy(w, "ep-hsm"),
            },
            Step {
                text: "Make Priya Reader on ep-hsm; as Priya add HSM-Prod and let it finish.",
                persona: PRIYA,
                show_me: concat!("az login --username kai@contoso.onmicrosoft.com\n", policy_id!(), "\nNew-AzRoleAssignment -ObjectId $PRIYA -RoleDefinitionName Reader -Scope $EP\naz login --username priya@contoso.onmicrosoft.com\npp policy add-environment --policy ep-hsm --environment HSM-Prod\nsim clock run"),
                done: |w| encrypted_by(w, "HSM-Prod", "ep-hsm"),
            },
        ],
    },
    Scenario {
        id: "powershell-cmk",
        title: "Set up a customer-managed key with PowerShell",
        goal: "The setup in the Cloud Shell's PowerShell, as Microsoft's CMK scripts do it: Az cmdlets, then the admin API to link Contoso-Prod (or upload their scripts as a .zip and run them).",
        source: "microsoft/PowerPlatform-EnterprisePolicies: CreateCMKEnterprisePolicy.ps1, AddCustomerManagedKeyToEnvironment.ps1",
        setup: concat!(
            vault_ready!(),
            "az login --username priya@contoso.onmicrosoft.com
pp env create --name Contoso-Prod --region europe --type Production
pp env enable-managed --environment Contoso-Prod
sim data insert --environment Contoso-Prod --table account --rows 1000
"
        ),
        steps: &[
            Step {
                text: "Create the RSA key cmk with Add-AzKeyVaultKey.",
                persona: KAI,
                show_me: "az login --username kai@contoso.onmicrosoft.com\nAdd-AzKeyVaultKey -VaultName kv-contoso-cmk -Name cmk -Destination Software",
                done: |w| key(w, "kv-contoso-cmk", "cmk").is_some(),
            },
            Step {
                text: "Deploy ep-contoso-cmk with New-AzResourceGroupDeployment.",
                persona: KAI,
                show_me: "az login --username kai@contoso.onmicrosoft.com\nNew-AzResourceGroupDeployment -ResourceGroupName rg-cmk -TemplateFile ep-contoso-cmk.json",
                done: |w| policy_exists(w, "ep-contoso-cmk"),
            },
            Step {
                text: "With New-AzRoleAssignment, grant the policy's identity Key Vault Crypto Service Encryption User, and Priya Reader on the policy.",
                persona: KAI,
                show_me: concat!(
                    "az login --username kai@contoso.onmicrosoft.com\n",
                    policy_id!(),
                    "\nPID=$(az resource show --ids $EP --query identity.principalId -o tsv)\nNew-AzRoleAssignment -ObjectId $PID -RoleDefinitionName 'Key Vault Crypto Service Encryption User' -Scope $KV\nNew-AzRoleAssignment -ObjectId $PRIYA -RoleDefinitionName Reader -Scope $EP"
                ),
                done: |w| policy_healthy(w, "ep-contoso-cmk") && reader_on_policy(w, "ep-contoso-cmk", PRIYA),
            },
            Step {
                text: "As Priya, link Contoso-Prod through the admin API (InvokeApi: POST enterprisePolicies/Encryption/link with the policy's systemId) and let the operation finish.",
                persona: PRIYA,
                show_me: concat!(
                    "az login --username priya@contoso.onmicrosoft.com\n",
                    policy_id!(),
                    "\nSID=$(az resource show --ids $EP --query properties.systemId -o tsv)\nENV=$(pp env show --environment Contoso-Prod --query id -o tsv)\npp rest --method POST --uri \"https://api.bap.microsoft.com/providers/Microsoft.BusinessAppPlatform/environments/$ENV/enterprisePolicies/Encryption/link?api-version=2019-10-01\" --body \"{\\\"SystemId\\\":\\\"$SID\\\"}\"\nsim clock run"
                ),
                done: |w| encrypted_by(w, "Contoso-Prod", "ep-contoso-cmk"),
            },
        ],
    },
];

pub fn find(id: &str) -> Result<&'static Scenario, Error> {
    SCENARIOS
        .iter()
        .find(|s| s.id == id)
        .ok_or_else(|| Error::new(ErrorCode::BadParameter, format!("There is no scenario '{id}'.")))
}

impl Scenario {
    /// The lines that build the prepared world: the scenario's files, then its setup.
    pub fn prelude(&self) -> String {
        let mut out = String::new();
        for (name, text) in FILES {
            let line = render::lines_for_file(name, text);
            out.push_str(&line);
            out.push('\n');
        }
        out.push_str(self.setup);
        // The scenario starts signed in as the persona of its first step (the checklist says
        // "As Kai"; the setup may have ended as someone else).
        if let Some(first) = self.steps.first() {
            if !out.ends_with('\n') {
                out.push('\n');
            }
            out.push_str("az login --username ");
            out.push_str(first.persona);
            out.push('\n');
        }
        out
    }

    /// The prepared world and the Cloud Shell session that built it (variables such as $KV and
    /// $PRIYA and the template files are there for the steps' lines).
    pub fn prepare(&self) -> (World, Shell) {
        let mut world = World::new();
        let mut shell = Shell::seeded(0);
        shell.run_script(&mut world, &self.prelude(), &NoFiles);
        (world, shell)
    }

    /// The solution: every step's lines, in order.
    pub fn solution(&self) -> String {
        self.steps.iter().map(|s| s.show_me).collect::<Vec<_>>().join("\n")
    }
}

/// The checklist of scenario `id` against `world`.
pub fn progress(id: &str, world: &World) -> Option<ScenarioProgress> {
    let s = find(id).ok()?;
    let steps: Vec<ScenarioStepView> = s
        .steps
        .iter()
        .map(|step| ScenarioStepView {
            text: step.text.to_string(),
            persona: step.persona.to_string(),
            show_me: step.show_me.to_string(),
            done: (step.done)(world),
        })
        .collect();
    Some(ScenarioProgress {
        id: s.id.to_string(),
        title: s.title.to_string(),
        goal: s.goal.to_string(),
        complete: steps.iter().all(|s| s.done),
        steps,
    })
}

/// Every scenario in a line, for the Scenarios page.
pub fn catalog() -> Vec<ScenarioSummary> {
    SCENARIOS
        .iter()
        .map(|s| ScenarioSummary {
            id: s.id.into(),
            title: s.title.into(),
            goal: s.goal.into(),
            source: s.source.into(),
            steps: s.steps.len(),
        })
        .collect()
}
