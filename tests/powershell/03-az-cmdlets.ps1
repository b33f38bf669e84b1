# The same setup with the Az PowerShell modules' cmdlets, as the seeds' admins would write it:
# real parameter names (and unambiguous prefixes), the modules' output objects, pipelines
# over them, and a parameter the playground does not simulate refused by name.
sim seed 3 | Out-Null
Connect-AzAccount -AccountId kai@contoso.onmicrosoft.com | Out-Null
Get-AzContext
Register-AzResourceProvider -ProviderNamespace Microsoft.PowerPlatform | Select-Object ProviderNamespace, RegistrationState

$rg = New-AzResourceGroup -Name rg-cmdlets -Location westeurope
$rg

$vaultParams = @{
    Name                      = 'kv-cmdlets'
    ResourceGroupName         = $rg.ResourceGroupName
    Location                  = $rg.Location
    EnablePurgeProtection     = $true
    SoftDeleteRetentionInDays = 30
}
$vault = New-AzKeyVault @vaultParams
"{0}: purge protection {1}, kept {2} days, RBAC {3}" -f $vault.VaultName, $vault.EnablePurgeProtection, $vault.SoftDeleteRetentionInDays, $vault.EnableRbacAuthorization

$me = Get-AzADUser -UserPrincipalName kai@contoso.onmicrosoft.com
$me | Format-Table DisplayName, UserPrincipalName
New-AzRoleAssignment -ObjectId $me.Id -RoleDefinitionName 'Key Vault Crypto Officer' -Scope $vault.ResourceId |
    Select-Object RoleDefinitionName, ObjectType, Scope | Format-List

$key = Add-AzKeyVaultKey -Vault kv-cmdlets -Name cmk -Destination Software -Size 2048
"Key {0} version {1}: enabled {2}" -f $key.Name, $key.Version.Substring(0, 8), $key.Enabled
Invoke-AzKeyVaultKeyRotation -VaultName kv-cmdlets -Name cmk | Out-Null
$versions = Get-AzKeyVaultKey -VaultName kv-cmdlets -Name cmk -IncludeVersions
"versions: $($versions.Count)"
$old = $versions | Sort-Object Created | Select-Object -First 1
Update-AzKeyVaultKey -VaultName kv-cmdlets -Name cmk -Version $old.Version -Enable $false | Select-Object Name, Enabled

Get-AzKeyVault | Select-Object VaultName, ResourceGroupName, Location
Get-AzRoleAssignment -Scope $vault.ResourceId | Where-Object ObjectType -eq 'User' | ForEach-Object { "$($_.SignInName) is $($_.RoleDefinitionName)" }

New-AzKeyVault -Name kv-other -ResourceGroupName rg-cmdlets -Location westeurope -EnabledForDiskEncryption
New-AzKeyVault -Name kv-other -ResourceGroupName rg-cmdlets -Location westeurope -Colour blue
# A rotation policy, as the module's examples set it: with a hashtable, and from Key Vault's
# JSON in a file; a trigger under Key Vault's 7-day minimum is refused.
Set-AzKeyVaultKeyRotationPolicy -VaultName kv-cmdlets -Name cmk -ExpiresIn P2Y -KeyRotationLifetimeAction @{Action = 'Rotate'; TimeAfterCreate = 'P18M'}
'{"lifetimeActions":[{"trigger":{"timeBeforeExpiry":"P30D"},"action":{"type":"Notify"}}],"attributes":{"expiryTime":"P1Y"}}' | Set-Content rotation.json
Set-AzKeyVaultKeyRotationPolicy -VaultName kv-cmdlets -Name cmk -PolicyPath rotation.json | Out-Null
(Get-AzKeyVaultKeyRotationPolicy -VaultName kv-cmdlets -Name cmk).LifetimeActions
Set-AzKeyVaultKeyRotationPolicy -VaultName kv-cmdlets -Name cmk -KeyRotationLifetimeAction @{Action = 'Rotate'; TimeAfterCreate = 'P3D'}
"done"
