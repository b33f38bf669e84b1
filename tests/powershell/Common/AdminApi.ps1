# Shared by 05-admin-api.ps1: the admin API through the Power Platform admin module's helpers
# (Add-PowerAppsAccount, InvokeApi, ReplaceMacro), in the way Microsoft's CMK scripts share
# theirs from Common\. Our own functions, our own words.

function Open-AdminSession {
    if ($null -eq $global:currentSession.userId -or (Get-Date $global:currentSession.expiresOn) -lt (Get-Date)) {
        Add-PowerAppsAccount -Endpoint prod
    }
    Write-Host "Admin API as $($global:currentSession.upn)" -ForegroundColor Green
}

function Read-EnvironmentRecord ($environmentId) {
    $route = "https://{bapEndpoint}/providers/Microsoft.BusinessAppPlatform/environments/{id}?api-version={apiVersion}" |
        ReplaceMacro -Macro "{id}" -Value $environmentId
    $record = InvokeApi -Method GET -Route $route -ApiVersion "2016-11-01"
    if ($null -ne $record.StatusCode) {
        Write-Host "Could not read environment ${environmentId}: $($record.Message)" -ForegroundColor Red
        return $null
    }
    return $record
}

function Send-PolicyChange ($environmentId, $verb, $systemId) {
    $route = "https://{bapEndpoint}/providers/Microsoft.BusinessAppPlatform/environments/{id}/enterprisePolicies/Encryption/{verb}?api-version={apiVersion}" |
        ReplaceMacro -Macro "{id}" -Value $environmentId |
        ReplaceMacro -Macro "{verb}" -Value $verb
    $payload = [pscustomobject]@{ SystemId = $systemId }
    return InvokeApi -Method POST -Route $route -ApiVersion "2019-10-01" -Body $payload
}

function Wait-AdminOperation ($location, $seconds) {
    $checks = 0
    while ($true) {
        $op = InvokeApi -Method GET -Route $location
        $checks++
        switch ($op.state.id) {
            "Running" { Start-Sleep -Seconds $seconds }
            default {
                Write-Host "Operation $($op.operation): $($op.state.id) after $checks checks"
                return $op.state.id
            }
        }
    }
}
