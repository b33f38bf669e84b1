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
        Command::CreateResourceGroup { name: "rg-bench".into(), location: "westeurope".into() },
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
