# A Key Vault admin's runbook for customer-managed keys, in the style admins write them:
# a function with mandatory parameters (called bare, so PowerShell prompts), splatting,
# az output turned into objects, and a polling loop that waits with Start-Sleep.
[CmdletBinding()]
param(
    [string]$Location = 'westeurope'
)

sim seed 1 | Out-Null

function New-CmkVault {
    param(
        [Parameter(Mandatory = $true, HelpMessage = 'Resource group for the vault')]
        [ValidateNotNullOrEmpty()]
        [string]$ResourceGroupName,
        [Parameter(Mandatory = $true)]
        [string]$VaultName,
        [ValidateSet('Standard', 'Premium')]
        [string]$Sku = 'Standard'
    )
    Write-Host "Creating $VaultName ($Sku) in $ResourceGroupName..." -ForegroundColor Cyan
    az group create --name $ResourceGroupName --location $Location | Out-Null
    $vault = az keyvault create --name $VaultName --resource-group $ResourceGroupName --location $Location `
        --enable-purge-protection true --retention-days 90 | ConvertFrom-Json
    return $vault
}

az login --username kai@contoso.onmicrosoft.com | Out-Null
az provider register --namespace Microsoft.PowerPlatform | Out-Null

$vault = New-CmkVault
"Vault id ends with: $($vault.id.Split('/')[-1])"
$vault.properties | Select-Object enablePurgeProtection, softDeleteRetentionInDays

$me = az ad user show --id kai@contoso.onmicrosoft.com | ConvertFrom-Json
$grant = @{
    Role  = 'Key Vault Crypto Officer'
    Scope = $vault.id
}
az role assignment create --assignee $me.id --role $grant.Role --scope $grant.Scope | Out-Null

$key = az keyvault key create --vault-name $vault.name --name cmk --kty RSA --size 2048 | ConvertFrom-Json
"Key type {0}, enabled: {1}" -f $key.key.kty, $key.attributes.enabled

az deployment group create --resource-group $vault.resourceGroup --template-file ep-contoso-cmk.json | Out-Null
$policies = az graph query -q "resources | where type =~ 'microsoft.powerplatform/enterprisepolicies'" | ConvertFrom-Json
$policy = $policies.data | Where-Object { $_.name -like 'ep-*' } | Select-Object -First 1
$principal = (az resource show --ids $policy.id | ConvertFrom-Json).identity.principalId
az role assignment create --assignee $principal --role 'Key Vault Crypto Service Encryption User' --scope $vault.id | Out-Null
$priya = az ad user show --id priya@contoso.onmicrosoft.com | ConvertFrom-Json
New-AzRoleAssignment -ObjectId $priya.id -RoleDefinitionName Reader -Scope $policy.id | Out-Null

$answer = Read-Host -Prompt "Hand over to the Power Platform admin? (y/n)"
if ($answer -ne 'y') {
    Write-Warning 'Stopped before the environment was added.'
    exit 2
}

az login --username priya@contoso.onmicrosoft.com | Out-Null
pp env create --name Contoso-Prod --region europe --type Production | Out-Null
pp env enable-managed --environment Contoso-Prod | Out-Null
pp policy add-environment --policy $policy.name --environment Contoso-Prod | Out-Null

$started = Get-Date
$checks = 0
$last = ''
do {
    Start-Sleep -Seconds 3600
    $checks++
    $env = pp env show --environment Contoso-Prod | ConvertFrom-Json
    $now = "$($env.state) / $($env.encryptionStatus)"
    if ($now -ne $last) {
        Write-Host ("[{0:yyyy-MM-dd HH:mm}] {1}" -f (Get-Date), $now)
        $last = $now
    }
} while ($env.encryptionStatus -like 'Encrypting*' -and $checks -lt 72)

$waited = (Get-Date) - $started
switch ($env.encryptionStatus) {
    'Encrypted' { "Encrypted after $($waited.TotalHours) hours and $checks checks." }
    'Warning' { "Applied after $($waited.TotalHours) hours; the admin center says Warning (existing flows keep the Microsoft key)." }
    default { Write-Error "Still $($env.encryptionStatus) after $checks checks." }
}
$kid = $key.key.kid
[pscustomobject]@{ Environment = $env.name; State = $env.state; KeyName = $kid.Split('/')[-2] } | ConvertTo-Json
