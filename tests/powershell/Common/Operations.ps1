# Shared by 04-cmk-style.ps1, in the way Microsoft's CMK scripts share Common\*.ps1: dot-sourced
# with a Windows path relative to $PSScriptRoot, itself dot-sourcing a file one folder up.
. "$PSScriptRoot\..\helpers.ps1"

function Connect-Tenant {
    param(
        [Parameter(Mandatory = $false)]
        [ValidateSet("prod", "usgovhigh", "china")]
        [String]$endpoint,
        [Parameter(Mandatory = $true)]
        [String]$account
    )
    $environment = "AzureCloud"
    if ($endpoint -eq "china") { $environment = "AzureChinaCloud" }
    $params = @{ Environment = $environment; AccountId = $account }
    $connect = Connect-AzAccount @params
    if ($null -eq $connect) {
        Write-Host "Error connecting to Azure Account `n" -ForegroundColor Red
        return $false
    }
    return $true
}

function Get-PolicyById([String]$policyArmId) {
    $policy = Get-AzResource -ResourceId $policyArmId -ExpandProperties
    if ($null -eq $policy.ResourceId) { return $null }
    return $policy
}
