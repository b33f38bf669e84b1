# Dot-sourced by 02-key-audit.ps1: helpers shared by runbooks.
function Get-KeyVersions {
    param([Parameter(Mandatory)][string]$Vault, [Parameter(Mandatory)][string]$Key)
    az keyvault key list-versions --vault-name $Vault --name $Key | ConvertFrom-Json
}

function Write-Step([string]$Text) {
    $script:step++
    Write-Host "Step $($script:step): $Text" -ForegroundColor Yellow
}
