//! What the Web Worker does for one request, natively, on a big world: 50 environments of
//! 10,000 rows each, half of them under a customer-managed key. For `cargo xtask bench`.
//!
//! A request is: execute the command, project the `View`, serialize it for the page, and save.
//! "whole envelope" is what the worker did before the store was split (the whole world as JSON
//! after every change); "parts that changed" is what it does now (`cmk_core::stored`).

use std::time::Instant;

use cmk_core::shell::{MemoryFiles, Shell};
use cmk_core::stored::Stored;
use cmk_core::{envelope, Command, SimDuration, World};

const ENVIRONMENTS: usize = 50;
const ROWS: usize = 10_000;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let mut files = MemoryFiles::default();
    files.0.insert("ep-contoso-cmk.json".into(), include_str!("../../../tests/scenarios/ep-contoso-cmk.json").into());
    let mut script = String::from(
        "sim seed 7
az login --username kai@contoso.onmicrosoft.com
az provider register --namespace Microsoft.PowerPlatform
az group create --name rg-cmk --location westeurope
az keyvault create --name kv-contoso-cmk --resource-group rg-cmk --location westeurope --enable-purge-protection true --retention-days 90
KAI=$(az ad user show --id kai@contoso.onmicrosoft.com --query id -o tsv)
KV=$(az keyvault show --name kv-contoso-cmk --query id -o tsv)
az role assignment create --assignee $KAI --role \"Key Vault Crypto Officer\" --scope $KV
az keyvault key create --vault-name kv-contoso-cmk --name cmk --kty RSA --size 2048
az deployment group create --resource-group rg-cmk --template-file ep-contoso-cmk.json
EP=$(az graph query -q \"resources | where type =~ 'microsoft.powerplatform/enterprisepolicies'\" --query data[0].id -o tsv)
PID=$(az resource show --ids $EP --query identity.principalId -o tsv)
az role assignment create --assignee $PID --role \"Key Vault Crypto Service Encryption User\" --scope $KV
PRIYA=$(az ad user show --id priya@contoso.onmicrosoft.com --query id -o tsv)
New-AzRoleAssignment -ObjectId $PRIYA -RoleDefinitionName Reader -Scope $EP
az login --username priya@contoso.onmicrosoft.com
",
    );
    for i in 0..ENVIRONMENTS {
        script.push_str(&format!(
            "pp env create --name env-{i} --region europe --type Sandbox\npp env enable-managed --environment env-{i}\nsim data insert --environment env-{i} --table account --rows {ROWS}\n"
        ));
        if i % 2 == 0 {
            script.push_str(&format!("pp policy add-environment --policy ep-contoso-cmk --environment env-{i}\n"));
        }
    }
    script.push_str("sim clock run\nsim clock advance 2d\n");
    let mut world = World::new();
    let mut shell = Shell::new([7; 32]);
    let t = Instant::now();
    let lines = shell.run_script(&mut world, &script, &files);
    let failed: Vec<&String> = lines.iter().filter(|l| l.contains("\"ok\":false")).collect();
    if !failed.is_empty() {
        eprintln!("bench failed: {}", failed[0]);
        std::process::exit(1);
    }
    let built = t.elapsed().as_secs_f64();

    let view_bytes = serde_json::to_string(&world.view()).map(|s| s.len()).unwrap_or(0);
    let envelope_bytes = envelope::encode(&world).map(|s| s.len()).unwrap_or(0);
    println!("world of {ENVIRONMENTS} environments x {ROWS} rows built in {built:.1} s");
    println!("{:<46} {:>10.1} KB", "View sent to the page (JSON)", view_bytes as f64 / 1024.0);
    println!("{:<46} {:>10.1} MB", "saved envelope (JSON)", envelope_bytes as f64 / 1_048_576.0);

    let priya = world.user_by_upn("priya@contoso.onmicrosoft.com").map(|u| u.object_id.clone()).unwrap_or_default();
    let mut rng = <rand_chacha::ChaCha20Rng as rand_chacha::rand_core::SeedableRng>::seed_from_u64(1);
    type Case = (&'static str, fn() -> Command);
    let commands: [Case; 3] = [
        ("read: show an environment", || Command::ShowEnvironment { environment: "env-7".into() }),
        ("write: back up an environment", || Command::BackupEnvironment {
            environment: "env-7".into(),
            label: Some("bench".into()),
        }),
        ("refused: Priya creates a resource group", || Command::CreateResourceGroup {
            name: "rg-bench".into(),
            location: "westeurope".into(),
        }),
    ];
    let mut stored = Stored::holding(&world);
    println!("{:<46} {:>14} {:>17}", "one worker request, median of 7", "whole envelope", "parts that changed");
    for (label, make) in commands {
        let (mut always, mut on_change) = (Vec::new(), Vec::new());
        for _ in 0..7 {
            for save_always in [true, false] {
                let t = Instant::now();
                let before = revision(&world);
                let now = world.now();
                let result = world.execute(&priya, make(), now, &mut rng).map(serde_json::to_value);
                let view = serde_json::to_string(&world.view()).unwrap_or_default();
                if save_always {
                    let _ = envelope::encode(&world);
                } else if revision(&world) != before {
                    if let Ok((changes, next)) = stored.changes(&world) {
                        std::hint::black_box(changes.meta.len());
                        stored = next;
                    }
                }
                let ms = t.elapsed().as_secs_f64() * 1000.0;
                std::hint::black_box((result.is_ok(), view.len()));
                if save_always {
                    always.push(ms)
                } else {
                    on_change.push(ms)
                }
            }
        }
        println!("{:<46} {:>11.1} ms {:>14.1} ms", label, median(always), median(on_change));
    }

    // The clock, an hour at a time for two days, and 30 days at once (on copies).
    let mut hours = Vec::new();
    let mut copy = world.clone();
    for h in 0..48 {
        let t = Instant::now();
        let to = copy.now().plus(SimDuration::hours(1));
        copy.advance(to, &mut rng);
        hours.push((t.elapsed().as_secs_f64() * 1000.0, h, copy.now().to_iso()));
    }
    hours.sort_by(|a, b| b.0.total_cmp(&a.0));
    let hour_times: Vec<f64> = hours.iter().map(|h| h.0).collect();
    println!(
        "{:<46} {:>9.1} ms   (slowest {:.1} ms, the hour to {})",
        "advance 1 hour, median of 48",
        median(hour_times),
        hours[0].0,
        hours[0].2
    );
    let mut copy = world.clone();
    let t = Instant::now();
    let to = copy.now().plus(SimDuration::days(30));
    copy.advance(to, &mut rng);
    println!("{:<46} {:>9.1} ms", "advance 30 days", t.elapsed().as_secs_f64() * 1000.0);

    // What if? as the worker answers it: the role of the policy's identity removed, on a copy of
    // the world moved 35 days ahead (half the environments lock, then the sandboxes are deleted).
    let kai = world.user_by_upn("kai@contoso.onmicrosoft.com").map(|u| u.object_id.clone()).unwrap_or_default();
    let now = world.now();
    let _ = world.execute(&kai, Command::SignIn { upn: "kai@contoso.onmicrosoft.com".into() }, now, &mut rng);
    let v = world.view();
    let (policy, vault) = (v.policies.first(), v.vaults.first());
    if let (Some(p), Some(kv)) = (policy, vault) {
        let revoke = Command::DeleteRoleAssignment {
            assignee: p.identity.principal_id.clone(),
            role: "Key Vault Crypto Service Encryption User".into(),
            scope: kv.vault.id.clone(),
        };
        let mut times = Vec::new();
        let mut report = None;
        for _ in 0..3 {
            let t = Instant::now();
            let r = world.what_if(&kai, revoke.clone(), cmk_core::SimDuration::days(35), &mut rng.clone());
            let json = serde_json::to_string(&r).unwrap_or_default();
            times.push(t.elapsed().as_secs_f64() * 1000.0);
            report = Some((r.locks.len(), r.deletions.len(), json.len()));
        }
        let (locks, deletions, bytes) = report.unwrap_or_default();
        println!(
            "{:<46} {:>9.1} ms   ({locks} locks, {deletions} deletions, {:.1} KB report)",
            "what-if: revoke the policy's role (35 days)",
            median(times),
            bytes as f64 / 1024.0
        );
    }
}

fn revision(world: &World) -> u64 {
    world.revision()
}
