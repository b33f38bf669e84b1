# Linking an environment to its enterprise policy through the admin API, in the style of
# Microsoft's CMK scripts: common functions dot-sourced from Common\, a function with mandatory
# parameters called bare (PowerShell asks for each), a 202 whose headers say where to poll and
# how often, a Read-Host before polling, Start-Sleep between polls (the simulated clock moves).
. "$PSScriptRoot\Common\AdminApi.ps1"
sim seed 5 | Out-Null

# Kai prepares the key and the policy; Priya gets Reader on it.
az login --username kai@contoso.onmicrosoft.com | Out-Null
az provider register --namespace Microsoft.PowerPlatform | Out-Null
az group create --name rg-cmk --location westeurope | Out-Null
$vault = az keyvault create --name kv-contoso-cmk --resource-group rg-cmk --location westeurope --enable-purge-protection true | ConvertFrom-Json
$kai = az ad user show --id kai@contoso.onmicrosoft.com | ConvertFrom-Json
az role assignment create --assignee $kai.id --role "Key Vault Crypto Officer" --scope $vault.id | Out-Null
az keyvault key create --vault-name kv-contoso-cmk --name cmk --kty RSA --size 2048 | Out-Null
az deployment group create --resource-group rg-cmk --template-file ep-contoso-cmk.json | Out-Null
$policy = Get-AzResource -ResourceId "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-cmk/providers/Microsoft.PowerPlatform/enterprisePolicies/ep-contoso-cmk" -ExpandProperties
az role assignment create --assignee $policy.Identity.PrincipalId --role "Key Vault Crypto Service Encryption User" --scope $vault.id | Out-Null
$priya = az ad user show --id priya@contoso.onmicrosoft.com | ConvertFrom-Json
New-AzRoleAssignment -ObjectId $priya.id -RoleDefinitionName Reader -Scope $policy.ResourceId | Out-Null

# Priya's environments: one managed, one not.
az login --username priya@contoso.onmicrosoft.com | Out-Null
pp env create --name Contoso-Prod --region europe --type Production | Out-Null
pp env enable-managed --environment Contoso-Prod | Out-Null
pp env create --name Contoso-Lab --region europe --type Sandbox | Out-Null
sim data insert --environment Contoso-Prod --table account --rows 500 | Out-Null
Get-AdminPowerAppEnvironment | Sort-Object DisplayName | Format-Table DisplayName, EnvironmentType, Location

function Set-EnvironmentKey {
    param(
        [Parameter(Mandatory = $true)]
        [ValidateNotNullOrEmpty()]
        [String]$environmentName,

        [Parameter(Mandatory = $true)]
        [ValidateNotNullOrEmpty()]
        [String]$policyArmId
    )
    Open-AdminSession
    $target = Get-AdminPowerAppEnvironment -Filter $environmentName
    if ($null -eq $target) {
        Write-Host "No environment called $environmentName" -ForegroundColor Red
        return
    }
    $record = Read-EnvironmentRecord $target.EnvironmentName
    if ($null -eq $record) { return }
    Write-Host "$($record.properties.displayName): key managed by $($record.properties.protectionStatus.keyManagedBy)"

    $ep = Get-AzResource -ResourceId $policyArmId -ExpandProperties
    $answer = Send-PolicyChange $record.name "link" $ep.Properties.systemId
    if ($answer.StatusCode -ne "202") {
        Write-Host "The link did not start ($($answer.StatusCode) $($answer.Error.code)): $($answer.Message)" -ForegroundColor Red
        return
    }
    $wait = $answer.Headers.'Retry-After'
    Write-Host "Link accepted; the service asks to poll every $wait seconds."
    $poll = Read-Host "Poll until it finishes? (y/n)"
    if ($poll -ne "y") { return }
    $state = Wait-AdminOperation $answer.Headers.'operation-location' $wait
    $after = Read-EnvironmentRecord $record.name
    "{0} is now {1}, key managed by {2}, policy {3}" -f $after.properties.displayName, $after.properties.encryptionStatus, $after.properties.protectionStatus.keyManagedBy, $after.properties.enterprisePolicies.CustomerManagedKeys.id.Split('/')[-1]
}

# The first attempt names the environment that is not a Managed Environment: the service's
# error comes back, and nothing changes.
Set-EnvironmentKey
pp env show --environment Contoso-Lab --query encryptionStatus -o tsv
Set-EnvironmentKey
pp env history --environment Contoso-Prod --query "[].[operation, status]" -o tsv
