# Audit a vault's key versions before disabling old ones: which versions exist, which the
# rotation made, and what a mistake looks like when a command fails.
param(
    [Parameter(Mandatory = $true)]
    [ValidateSet('westeurope', 'westus')]
    [string]$Region
)
$ErrorActionPreference = 'Continue'
$step = 0
. "$PSScriptRoot\helpers.ps1"

sim seed 2 | Out-Null
az login --username kai@contoso.onmicrosoft.com | Out-Null
Write-Step "vault and key in $Region"
az group create --name rg-audit --location $Region | Out-Null
az keyvault create --name kv-audit --resource-group rg-audit --location $Region --enable-purge-protection true | Out-Null
$me = (az ad user show --id kai@contoso.onmicrosoft.com | ConvertFrom-Json).id
$vaultId = az keyvault show --name kv-audit --query id -o tsv
az role assignment create --assignee $me --role 'Key Vault Crypto Officer' --scope $vaultId | Out-Null
foreach ($i in 1..3) {
    az keyvault key create --vault-name kv-audit --name cmk --kty RSA --size 2048 | Out-Null
    Start-Sleep -Seconds (86400 * 30)
}

Write-Step 'versions, newest first'
$versions = Get-KeyVersions -Vault kv-audit -Key cmk
$rows = $versions | ForEach-Object {
    [pscustomobject]@{
        Version = $_.kid.Split('/')[-1].Substring(0, 8)
        Created = ([datetime]$_.attributes.created).ToString('yyyy-MM-dd')
        Enabled = $_.attributes.enabled
    }
}
$rows | Sort-Object Created -Descending
"{0} versions, {1} enabled" -f $rows.Count, ($rows | Where-Object Enabled).Count

Write-Step 'the report, as a file'
$rows | ConvertTo-Json | Out-File -FilePath audit.json
$back = Get-Content audit.json -Raw | ConvertFrom-Json
"audit.json holds $($back.Count) versions; oldest $(($back | Sort-Object Created | Select-Object -First 1).Created)"

Write-Step 'a mistake, caught'
try {
    $missing = az keyvault key show --vault-name kv-audit --name no-such-key
    if ($LASTEXITCODE -ne 0) { throw "key lookup failed with exit code $LASTEXITCODE" }
} catch {
    Write-Warning "Caught: $($_.Exception.Message)"
}
$summary = @{ Region = $Region; Versions = $rows.Count }
$summary.Keys | Sort-Object | ForEach-Object { "$_ = $($summary[$_])" }
