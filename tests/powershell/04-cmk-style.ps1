# In the style of Microsoft's CMK scripts: common functions dot-sourced from another folder, a
# function with mandatory parameters called bare (PowerShell asks for each), the policy's ARM
# template built as a hashtable, written to a temporary file and deployed, then read back and
# checked the way their validation script checks it.
. "$PSScriptRoot\Common\Operations.ps1"
sim seed 4 | Out-Null
az login --username kai@contoso.onmicrosoft.com | Out-Null
az provider register --namespace Microsoft.PowerPlatform | Out-Null
az group create --name rg-style --location westeurope | Out-Null
az keyvault create --name kv-style --resource-group rg-style --location westeurope --enable-purge-protection true | Out-Null

function CreateCmkPolicy {
    param(
        [Parameter(Mandatory = $true)]
        [ValidateNotNullOrEmpty()]
        [String]$resourceGroup,

        [Parameter(Mandatory = $true)]
        [ValidateNotNullOrEmpty()]
        [String]$policyName,

        [Parameter(Mandatory = $true)]
        [ValidateSet("europe", "unitedstates")]
        [String]$policyLocation,

        [Parameter(Mandatory = $true)]
        [String]$keyVaultName,

        [Parameter(Mandatory = $true)]
        [String]$keyName
    )
    Write-Step "signing in"
    if (-not (Connect-Tenant -account kai@contoso.onmicrosoft.com)) {
        Write-Warning "Stopping: no signed-in account."
        return
    }
    $vault = Get-AzKeyVault -VaultName $keyVaultName
    Write-Step "a key in $($vault.VaultName)"
    $me = Get-AzADUser -UserPrincipalName kai@contoso.onmicrosoft.com
    New-AzRoleAssignment -ObjectId $me.Id -RoleDefinitionName "Key Vault Crypto Officer" -Scope $vault.ResourceId | Out-Null
    $key = Add-AzKeyVaultKey -VaultName $keyVaultName -Name $keyName -Destination Software
    Write-Step "the policy's template"
    $body = [ordered]@{
        '$schema'      = 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#'
        contentVersion = '1.0.0.0'
        parameters     = @{}
        resources      = @(
            [ordered]@{
                type       = 'Microsoft.PowerPlatform/enterprisePolicies'
                apiVersion = '2020-10-30'
                name       = $policyName
                location   = $policyLocation
                kind       = 'Encryption'
                identity   = @{ type = 'SystemAssigned' }
                properties = @{
                    encryption = @{
                        state    = 'Enabled'
                        keyVault = @{ id = $vault.ResourceId; key = @{ name = $key.Name } }
                    }
                }
            }
        )
    }
    $tmp = New-TemporaryFile
    $body | ConvertTo-Json -Depth 7 | Out-File $tmp.FullName
    $deployment = New-AzResourceGroupDeployment -DeploymentName "policy-from-runbook" -ResourceGroupName $resourceGroup -TemplateFile $tmp.FullName
    Remove-Item $tmp.FullName
    Write-Host "Deployment $($deployment.ProvisioningState)"
    $policyArmId = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/$resourceGroup/providers/Microsoft.PowerPlatform/enterprisePolicies/$policyName"
    $policy = Get-PolicyById -policyArmId $policyArmId
    if ($null -eq $policy) {
        Write-Warning "No policy at $policyArmId after the deployment."
        return
    }
    if ($policy.Kind -ne "Encryption") { Write-Warning "Expected an Encryption policy, found kind '$($policy.Kind)'."; return }
    Write-Step "grant the policy's identity"
    $principal = $policy.Identity.PrincipalId
    $sp = Get-AzADServicePrincipal -DisplayName $policyName
    Write-Host ("{0} is a {1} service principal: {2}" -f $sp.DisplayName, $sp.ServicePrincipalType, ($sp.Id -eq $principal))
    New-AzRoleAssignment -ObjectId $principal -RoleDefinitionName "Key Vault Crypto Service Encryption User" -Scope $vault.ResourceId | Out-Null
    $granted = Get-AzRoleAssignment -Scope $vault.ResourceId | Where-Object { $_.ObjectId -eq $principal }
    Write-Host ("{0}: {1} for its identity; key {2}; system id {3}" -f $policy.Name, $granted.RoleDefinitionName, $policy.Properties.encryption.keyVault.key.name, ($policy.Properties.systemId -replace '[0-9a-f-]{36}$', '<guid>'))
    return $policy
}

$created = CreateCmkPolicy
Write-Host "Health now: $((az resource show --ids $created.ResourceId | ConvertFrom-Json).properties.healthStatus)"
