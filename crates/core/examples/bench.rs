//! Native timings of the core, printed for `cargo xtask bench` (run with --release).

use std::time::Instant;

use base64::Engine as _;
use cmk_core::{envelope, Command, CreateKey, CreateVault, CryptoOperation, KeyOperation, World};
use rand_chacha::rand_core::SeedableRng;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn run(world: &mut World, who: &str, cmd: Command, rng: &mut rand_chacha::ChaCha20Rng) -> serde_json::Value {
    match world.execute(who, cmd, world.now(), rng) {
        Ok(o) => serde_json::to_value(o).unwrap_or_default(),
        Err(e) => {
            eprintln!("bench failed: {e}");
            std::process::exit(1);
        }
    }
}

fn main() {
    let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(2026);
    let mut world = World::new();
    let kai = world.user_by_upn("kai@contoso.onmicrosoft.com").map(|u| u.object_id.clone()).unwrap_or_default();
    run(
        &mut world,
        &kai,
        Command::CreateResourceGroup {
            name: "rg-bench".into(),
            location: "westeurope".into(),
            tags: Default::default(),
        },
        &mut rng,
    );
    let mut vault = CreateVault::new("kv-bench", "rg-bench", "westeurope");
    vault.enable_rbac_authorization = false;
    run(&mut world, &kai, Command::CreateVault(vault), &mut rng);

    println!("{:<46} {:>10} {:>10} {:>6}", "operation (native release, via World::execute)", "median", "max", "runs");
    for (bits, runs) in [(2048u32, 9), (3072, 5), (4096, 3)] {
        let mut times = Vec::new();
        for i in 0..runs {
            let t = Instant::now();
            run(
                &mut world,
                &kai,
                Command::CreateKey(CreateKey::rsa("kv-bench", format!("k{bits}-{i}"), bits)),
                &mut rng,
            );
            times.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        let max = times.iter().cloned().fold(0.0, f64::max);
        println!("{:<46} {:>7.0} ms {:>7.0} ms {runs:>6}", format!("RSA-{bits} key generation"), median(times), max);
    }
    for bits in [2048u32, 3072, 4096] {
        let op = |operation, value: &[u8]| {
            Command::KeyOperation(KeyOperation {
                vault: "kv-bench".into(),
                name: format!("k{bits}-0"),
                version: None,
                operation,
                algorithm: "RSA-OAEP-256".into(),
                value: base64::engine::general_purpose::STANDARD.encode(value),
            })
        };
        let (mut wraps, mut unwraps) = (Vec::new(), Vec::new());
        for _ in 0..50 {
            let t = Instant::now();
            let wrapped = run(&mut world, &kai, op(CryptoOperation::WrapKey, &[7u8; 32]), &mut rng);
            wraps.push(t.elapsed().as_secs_f64() * 1000.0);
            let ct = base64::engine::general_purpose::STANDARD
                .decode(wrapped["result"].as_str().unwrap_or_default())
                .unwrap_or_default();
            let t = Instant::now();
            run(&mut world, &kai, op(CryptoOperation::UnwrapKey, &ct), &mut rng);
            unwraps.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        println!("{:<46} {:>7.2} ms {:>10} {:>6}", format!("RSA-OAEP-256 wrapKey, {bits}-bit"), median(wraps), "", 50);
        println!(
            "{:<46} {:>7.2} ms {:>10} {:>6}",
            format!("RSA-OAEP-256 unwrapKey, {bits}-bit"),
            median(unwraps),
            "",
            50
        );
    }
    power_platform(&mut rng);
    shell_speed();

    let t = Instant::now();
    let text = envelope::encode(&world).unwrap_or_default();
    let encode_ms = t.elapsed().as_secs_f64() * 1000.0;
    let t = Instant::now();
    let ok = envelope::decode(&text).is_ok();
    let decode_ms = t.elapsed().as_secs_f64() * 1000.0;
    println!(
        "save envelope with 17 keys: {} KB, encode {encode_ms:.1} ms, decode {decode_ms:.1} ms (ok: {ok})",
        text.len() / 1024
    );
}

/// Apply-CMK and rotation pickup for a small and a large environment: the cost must not grow
/// with the data (envelope encryption re-wraps data keys only). Also prints one timeline.
fn power_platform(rng: &mut rand_chacha::ChaCha20Rng) {
    println!();
    println!("{:<46} {:>12} {:>12}", "Power Platform (native release)", "1,000 rows", "100,000 rows");
    let mut apply = Vec::new();
    let mut rotate = Vec::new();
    for rows in [1_000u64, 100_000] {
        let (mut world, kai, priya) = cmk_world(rng);
        let exec = |w: &mut World, who: &str, c: Command, rng: &mut rand_chacha::ChaCha20Rng| {
            let now = w.now();
            w.execute(who, c, now, rng).map(|o| serde_json::to_value(o).unwrap_or_default())
        };
        let ok = |r: Result<serde_json::Value, cmk_core::Error>| {
            r.unwrap_or_else(|e| {
                eprintln!("bench failed: {e}");
                std::process::exit(1)
            })
        };
        ok(exec(
            &mut world,
            &priya,
            Command::InsertRows { environment: "env".into(), table: "account".into(), rows },
            rng,
        ));
        let t = Instant::now();
        ok(exec(
            &mut world,
            &priya,
            Command::AddEnvironmentToPolicy { policy: "ep".into(), environment: "env".into() },
            rng,
        ));
        let report = ok(exec(&mut world, &priya, Command::RunClock, rng));
        apply.push(t.elapsed().as_secs_f64() * 1000.0);
        if rows == 1_000 {
            println!("  timeline of one add-environment run (simulated time):");
            let history = ok(exec(&mut world, &priya, Command::EnvironmentHistory { environment: "env".into() }, rng));
            let _ = report;
            print_timeline(&world);
            let last = history.as_array().and_then(|h| h.last().cloned()).unwrap_or_default();
            println!(
                "    {}  {} ({})",
                last["finished"].as_str().unwrap_or("?"),
                last["operation"].as_str().unwrap_or("?"),
                last["status"].as_str().unwrap_or("?")
            );
        }
        ok(exec(&mut world, &kai, Command::CreateKey(CreateKey::rsa("kv-pp", "cmk", 2048)), rng));
        // The daily system backup (which copies the records) falls 11 hours after the new
        // version; the pickup 12 hours after it. Time only the window with the pickup.
        ok(exec(&mut world, &kai, Command::AdvanceClock { by: cmk_core::SimDuration::hours(11) }, rng));
        let before = world.view().environments.first().map(|e| e.summary.key_version.clone()).unwrap_or_default();
        let t = Instant::now();
        ok(exec(&mut world, &kai, Command::AdvanceClock { by: cmk_core::SimDuration::hours(2) }, rng));
        rotate.push(t.elapsed().as_secs_f64() * 1000.0);
        let after = world.view().environments.first().map(|e| e.summary.key_version.clone()).unwrap_or_default();
        if before == after {
            eprintln!("bench failed: the new key version was not picked up");
            std::process::exit(1);
        }
        let read_t = Instant::now();
        let read = ok(exec(
            &mut world,
            &priya,
            Command::ReadTable { environment: "env".into(), table: "account".into() },
            rng,
        ));
        if rows == 100_000 {
            println!(
                "  (reading back 100,000 rows after apply + rotation: {} rows in {:.0} ms)",
                read["rows"],
                read_t.elapsed().as_secs_f64() * 1000.0
            );
        }
    }
    println!("{:<46} {:>9.1} ms {:>9.1} ms", "apply CMK (add + run the clock to Encrypted)", apply[0], apply[1]);
    println!("{:<46} {:>9.1} ms {:>9.1} ms", "rotation pickup (the 2 simulated hours with it)", rotate[0], rotate[1]);
}

fn print_timeline(world: &World) {
    for a in world_activity(world) {
        println!("    {a}");
    }
}

fn world_activity(world: &World) -> Vec<String> {
    let v = world.view();
    v.activity
        .iter()
        .rev()
        .filter(|a| a.kind == "EncryptionStatus")
        .map(|a| format!("{}  {}", a.at, a.message))
        .collect()
}

fn cmk_world(rng: &mut rand_chacha::ChaCha20Rng) -> (World, String, String) {
    let mut w = World::new();
    let kai = w.user_by_upn("kai@contoso.onmicrosoft.com").map(|u| u.object_id.clone()).unwrap_or_default();
    let priya = w.user_by_upn("priya@contoso.onmicrosoft.com").map(|u| u.object_id.clone()).unwrap_or_default();
    let mut run = |w: &mut World, who: &str, c: Command| {
        let now = w.now();
        match w.execute(who, c, now, rng) {
            Ok(o) => serde_json::to_value(o).unwrap_or_default(),
            Err(e) => {
                eprintln!("bench setup failed: {e}");
                std::process::exit(1);
            }
        }
    };
    run(
        &mut w,
        &kai,
        Command::CreateResourceGroup { name: "rg".into(), location: "westeurope".into(), tags: Default::default() },
    );
    let mut v = CreateVault::new("kv-pp", "rg", "westeurope");
    v.enable_rbac_authorization = false;
    v.enable_purge_protection = true;
    run(&mut w, &kai, Command::CreateVault(v));
    run(&mut w, &kai, Command::CreateKey(CreateKey::rsa("kv-pp", "cmk", 2048)));
    run(&mut w, &kai, Command::RegisterProvider { namespace: "Microsoft.PowerPlatform".into() });
    let vault_id =
        "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv-pp";
    let template = format!(
        r#"{{"$schema":"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#","contentVersion":"1.0.0.0","resources":[{{"type":"Microsoft.PowerPlatform/enterprisePolicies","apiVersion":"2020-10-30","name":"ep","location":"europe","kind":"Encryption","identity":{{"type":"SystemAssigned"}},"properties":{{"encryption":{{"state":"Enabled","keyVault":{{"id":"{vault_id}","key":{{"name":"cmk"}}}}}}}}}}]}}"#
    );
    run(&mut w, &kai, Command::DeployTemplate { resource_group: "rg".into(), template });
    let ep = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.PowerPlatform/enterprisePolicies/ep";
    let principal = run(&mut w, &kai, Command::ShowResource { id: ep.into() })["identity"]["principalId"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    run(
        &mut w,
        &kai,
        Command::SetAccessPolicy {
            vault: "kv-pp".into(),
            object_id: principal,
            permissions: vec!["get".into(), "wrapKey".into(), "unwrapKey".into()],
        },
    );
    run(
        &mut w,
        &kai,
        Command::CreateRoleAssignment { assignee: priya.clone(), role: "Reader".into(), scope: ep.into() },
    );
    run(
        &mut w,
        &priya,
        Command::CreateEnvironment {
            name: "env".into(),
            region: "europe".into(),
            env_type: "Sandbox".into(),
            byok: false,
        },
    );
    run(&mut w, &priya, Command::EnableManaged { environment: "env".into() });
    (w, kai, priya)
}

/// The script runner on a 10,000-line script without key generation.
fn shell_speed() {
    use cmk_core::shell::{NoFiles, Shell};
    let mut script = String::from(
        "sim seed 5\naz login --username gus@contoso.onmicrosoft.com\naz group create --name rg --location westeurope\n\
         az keyvault create --name kv-speed --resource-group rg --location westeurope\n\
         pp env create --name speed --region europe --type Sandbox\n",
    );
    let mut lines = 5;
    let mut i = 0;
    while lines < 10_000 {
        let line = match i % 8 {
            0 => format!("az group create --name rg-{} --location westeurope --query name -o tsv", i % 200),
            1 => "az keyvault show --name kv-speed --query properties.vaultUri -o tsv".to_string(),
            2 => "sim data insert --environment speed --table t --rows 2".to_string(),
            3 => "pp env show --environment speed --query state -o tsv".to_string(),
            4 => format!("X{}=$(az ad user show --id kai@contoso.onmicrosoft.com --query id -o tsv)", i % 50),
            5 => "sim clock advance 30m".to_string(),
            6 => "az keyvault update --name kv-speed --public-network-access Enabled --query name -o tsv".to_string(),
            _ => "az nope --typo".to_string(),
        };
        script.push_str(&line);
        script.push('\n');
        lines += 1;
        i += 1;
    }
    let mut world = World::new();
    let mut shell = Shell::new([9; 32]);
    let t = Instant::now();
    let out = shell.run_script(&mut world, &script, &NoFiles);
    let secs = t.elapsed().as_secs_f64();
    let failed = out.iter().filter(|l| l.contains("\"ok\":false")).count();
    println!();
    println!(
        "script runner: {} lines in {:.2} s = {:.0} commands/s ({failed} deliberate failures), native release",
        out.len(),
        secs,
        out.len() as f64 / secs
    );
}
