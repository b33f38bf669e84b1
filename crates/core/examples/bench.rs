//! Native timings of the core, printed for `cargo xtask bench` (run with --release).

use std::time::Instant;

use cmk_core::{envelope, Command, CreateKey, CreateVault, SimTime, World};
use rand_chacha::rand_core::SeedableRng;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(2026);
    let mut world = World::new();
    let kai = world.user_by_upn("kai@contoso.onmicrosoft.com").map(|u| u.object_id.clone()).unwrap_or_default();
    let now = SimTime::GENESIS;
    let rg = Command::CreateResourceGroup { name: "rg-bench".into(), location: "westeurope".into() };
    world.execute(&kai, rg, now, &mut rng).ok();
    let mut vault = CreateVault::new("kv-bench", "rg-bench", "westeurope");
    vault.enable_rbac_authorization = false;
    world.execute(&kai, Command::CreateVault(vault), now, &mut rng).ok();

    for (bits, runs) in [(2048u32, 7), (3072, 5)] {
        let mut times = Vec::new();
        for i in 0..runs {
            let t = Instant::now();
            let cmd = Command::CreateKey(CreateKey::rsa("kv-bench", format!("k{bits}-{i}"), bits));
            if let Err(e) = world.execute(&kai, cmd, now, &mut rng) {
                eprintln!("bench failed: {e}");
                std::process::exit(1);
            }
            times.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        let max = times.iter().cloned().fold(0.0, f64::max);
        println!(
            "create RSA-{bits} key (keygen + execute): median {:.0} ms, max {max:.0} ms over {runs} runs",
            median(times)
        );
    }
    let t = Instant::now();
    let text = envelope::encode(&world).unwrap_or_default();
    let encode_ms = t.elapsed().as_secs_f64() * 1000.0;
    let t = Instant::now();
    let ok = envelope::decode(&text).is_ok();
    let decode_ms = t.elapsed().as_secs_f64() * 1000.0;
    println!(
        "save envelope with 12 keys: {} KB, encode {encode_ms:.1} ms, decode {decode_ms:.1} ms (ok: {ok})",
        text.len() / 1024
    );
}
