//! `--help` examples: for each `az` form the shell knows, a line or two of what admins type,
//! in the playground's own names (the seeds' Contoso tenant). Every example parses here (a test)
//! and in the real azure-cli (`cargo xtask test` feeds them to its parser).

/// The examples `--help` prints for `path`.
pub fn examples(path: &str) -> &'static [&'static str] {
    match path {
        "az login" => &["az login --username kai@contoso.onmicrosoft.com"],
        "az account show" => &["az account show --query \"{name:name, id:id}\""],
        "az account list" => &["az account list -o table"],
        "az account set" => &["az account set --subscription \"Contoso Production\""],
        "az ad signed-in-user show" => &["az ad signed-in-user show --query id -o tsv"],
        "az ad user show" => &["az ad user show --id priya@contoso.onmicrosoft.com --query id -o tsv"],
        "az ad user list" => &["az ad user list --display-name Priya --query [].userPrincipalName"],
        "az ad sp show" => &["az ad sp show --id ep-contoso-cmk"],
        "az ad sp list" => &["az ad sp list --display-name ep- --query [].id -o tsv"],
        "az provider list" => &["az provider list --query \"[?registrationState=='Registered'].namespace\""],
        "az provider show" => &["az provider show --namespace Microsoft.PowerPlatform --query registrationState"],
        "az provider register" => &["az provider register --namespace Microsoft.PowerPlatform --wait"],
        "az provider unregister" => &["az provider unregister --namespace Microsoft.PowerPlatform"],
        "az group create" => &["az group create --name rg-cmk --location westeurope --tags owner=kai"],
        "az group show" => &["az group show --name rg-cmk"],
        "az group list" => &["az group list -o table"],
        "az group exists" => &["az group exists --name rg-cmk"],
        "az group update" => &["az group update --name rg-cmk --tags owner=kai costcenter=42"],
        "az group delete" => &["az group delete --name rg-old --yes --no-wait"],
        "az keyvault create" => &[
            "az keyvault create --name kv-contoso-cmk --resource-group rg-cmk --location westeurope --enable-purge-protection true --retention-days 90",
            "az keyvault create --hsm-name hsm-contoso --resource-group rg-hsm --location westeurope --administrators 9e4d2a7b-1c3f-4b8a-a6e2-7f0c5d9b1e02 --retention-days 7",
        ],
        "az keyvault show" => &["az keyvault show --name kv-contoso-cmk --query properties.enablePurgeProtection"],
        "az keyvault list" => &["az keyvault list --resource-group rg-cmk -o table"],
        "az keyvault update" => &[
            "az keyvault update --name kv-contoso-cmk --enable-purge-protection true",
            "az keyvault update --name kv-contoso-cmk --public-network-access Disabled --bypass AzureServices",
        ],
        "az keyvault delete" => &["az keyvault delete --name kv-old"],
        "az keyvault recover" => &["az keyvault recover --name kv-old"],
        "az keyvault purge" => &["az keyvault purge --name kv-old --location westeurope"],
        "az keyvault list-deleted" => &["az keyvault list-deleted --query [].name"],
        "az keyvault show-deleted" => &["az keyvault show-deleted --name kv-old"],
        "az keyvault set-policy" => &[
            "az keyvault set-policy --name kv-contoso-cmk --object-id 00000000-0000-0000-0000-000000000000 --key-permissions get wrapKey unwrapKey",
        ],
        "az keyvault delete-policy" => &["az keyvault delete-policy --name kv-contoso-cmk --upn priya@contoso.onmicrosoft.com"],
        "az keyvault network-rule add" => &["az keyvault network-rule add --name kv-contoso-cmk --ip-address 203.0.113.7"],
        "az keyvault network-rule list" => &["az keyvault network-rule list --name kv-contoso-cmk"],
        "az keyvault network-rule remove" => &["az keyvault network-rule remove --name kv-contoso-cmk --ip-address 203.0.113.7/32"],
        "az keyvault security-domain download" => &[
            "az keyvault security-domain download --hsm-name hsm-contoso --sd-wrapping-keys cert0.cer cert1.cer cert2.cer --sd-quorum 2 --security-domain-file hsm-contoso-SD.json",
        ],
        "az keyvault role assignment create" => &[
            "az keyvault role assignment create --hsm-name hsm-contoso --role \"Managed HSM Crypto User\" --assignee 00000000-0000-0000-0000-000000000000 --scope /keys",
        ],
        "az keyvault key create" => &[
            "az keyvault key create --vault-name kv-contoso-cmk --name cmk --kty RSA --size 2048",
            "az keyvault key create --hsm-name hsm-contoso --name cmk --kty RSA-HSM --size 3072 --ops wrapKey unwrapKey",
        ],
        "az keyvault key import" => &["az keyvault key import --vault-name kv-contoso-cmk --name byok --pem-file byok.pem"],
        "az keyvault key show" => &["az keyvault key show --vault-name kv-contoso-cmk --name cmk --query key.kid -o tsv"],
        "az keyvault key list" => &["az keyvault key list --vault-name kv-contoso-cmk --query [].name"],
        "az keyvault key list-versions" => &["az keyvault key list-versions --vault-name kv-contoso-cmk --name cmk -o table"],
        "az keyvault key set-attributes" => &[
            "az keyvault key set-attributes --vault-name kv-contoso-cmk --name cmk --version 0123456789abcdef0123456789abcdef --enabled false",
        ],
        "az keyvault key rotate" => &["az keyvault key rotate --vault-name kv-contoso-cmk --name cmk"],
        "az keyvault key rotation-policy show" => &["az keyvault key rotation-policy show --vault-name kv-contoso-cmk --name cmk"],
        "az keyvault key rotation-policy update" => &[
            "az keyvault key rotation-policy update --vault-name kv-contoso-cmk --name cmk --value @rotation-policy.json",
        ],
        "az keyvault key delete" => &["az keyvault key delete --vault-name kv-contoso-cmk --name old-key"],
        "az keyvault key recover" => &["az keyvault key recover --vault-name kv-contoso-cmk --name old-key"],
        "az keyvault key purge" => &["az keyvault key purge --vault-name kv-contoso-cmk --name old-key"],
        "az keyvault key list-deleted" => &["az keyvault key list-deleted --vault-name kv-contoso-cmk"],
        "az keyvault key show-deleted" => &["az keyvault key show-deleted --vault-name kv-contoso-cmk --name old-key"],
        "az keyvault key backup" => &["az keyvault key backup --vault-name kv-contoso-cmk --name cmk --file cmk.keybackup"],
        "az keyvault key restore" => &["az keyvault key restore --vault-name kv-contoso-dr --file cmk.keybackup"],
        "az keyvault key download" => &["az keyvault key download --vault-name kv-contoso-cmk --name cmk --file cmk-public.pem"],
        "az keyvault key encrypt" => &[
            "az keyvault key encrypt --vault-name kv-contoso-cmk --name cmk --algorithm RSA-OAEP-256 --value aGVsbG8= --data-type base64",
        ],
        "az keyvault key decrypt" => &[
            "az keyvault key decrypt --vault-name kv-contoso-cmk --name cmk --algorithm RSA-OAEP-256 --value AAAA --data-type base64",
        ],
        "az role assignment create" => &[
            "az role assignment create --assignee 00000000-0000-0000-0000-000000000000 --role \"Key Vault Crypto Service Encryption User\" --scope /subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-cmk/providers/Microsoft.KeyVault/vaults/kv-contoso-cmk",
        ],
        "az role assignment list" => &["az role assignment list --all --assignee priya@contoso.onmicrosoft.com -o table"],
        "az role assignment delete" => &[
            "az role assignment delete --assignee priya@contoso.onmicrosoft.com --role Reader --scope /subscriptions/00000000-0000-0000-0000-000000000001",
        ],
        "az role definition list" => &["az role definition list --name \"Key Vault Crypto Service Encryption User\" --query [].name"],
        "az deployment group create" => &[
            "az deployment group create --resource-group rg-cmk --template-file ep-contoso-cmk.json",
        ],
        "az deployment group list" => &["az deployment group list --resource-group rg-cmk -o table"],
        "az deployment group show" => &[
            "az deployment group show --resource-group rg-cmk --name ep-contoso-cmk --query properties.provisioningState",
        ],
        "az resource show" => &[
            "az resource show --resource-group rg-cmk --name ep-contoso-cmk --resource-type Microsoft.PowerPlatform/enterprisePolicies",
        ],
        "az resource list" => &["az resource list --resource-type Microsoft.PowerPlatform/enterprisePolicies -o table"],
        "az resource delete" => &[
            "az resource delete --ids /subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-cmk/providers/Microsoft.PowerPlatform/enterprisePolicies/ep-old",
        ],
        "az graph query" => &["az graph query -q \"resources | where type =~ 'microsoft.powerplatform/enterprisepolicies'\""],
        "az monitor activity-log list" => &[
            "az monitor activity-log list --resource-group rg-cmk --offset 1d",
            "az monitor activity-log list --caller kai@contoso.onmicrosoft.com --offset 7d --query \"[].{op:operationName.localizedValue, at:eventTimestamp}\" -o table",
        ],
        "az network private-endpoint create" => &[
            "az network private-endpoint create --name pe-kv --resource-group rg-cmk --vnet-name vnet-cmk --subnet default --private-connection-resource-id /subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-cmk/providers/Microsoft.KeyVault/vaults/kv-contoso-cmk --group-id vault --connection-name pe-kv",
        ],
        _ => &[],
    }
}
