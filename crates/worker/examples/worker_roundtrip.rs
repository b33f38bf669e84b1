//! What the Web Worker does for one request, natively, on a big world: 50 environments of
//! 10,000 rows each, half of them under a customer-managed key. For `cargo xtask bench`.
//!
//! Every request goes through the worker's own [`HostCore`] — the path the browser's worker
//! takes, without its I/O: the command runs, the `View` is projected, the answer is encoded for
//! the page, and the save of the parts that changed is worked out (`cmk_core::stored`). The
//! whole envelope (what the worker saved before the store was split) is timed beside it.

use std::sync::OnceLock;
use std::time::Instant;

use cmk_core::{envelope, scenarios, Command, SimDuration};
use cmk_worker::host_core::{Effect, Env, HostCore, Input, Saved};
use cmk_worker::{Answer, Request, Response};

const ENVIRONMENTS: usize = 50;
const ROWS: usize = 10_000;
const PAGE: u32 = 1;

fn now() -> f64 {
    static START: OnceLock<Instant> = OnceLock::new();
    START.get_or_init(Instant::now).elapsed().as_secs_f64() * 1000.0
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or_default()
}

/// One request through the host, its save landed: the answer, and the bytes sent to the page.
fn request(host: &mut HostCore<u32>, request: Request) -> (Option<Result<Answer, cmk_core::Error>>, usize) {
    let effects = host.handle(Input::Request(PAGE, request));
    let mut answer = (None, 0);
    for effect in &effects {
        if let Effect::Respond(_, response) = effect {
            let Response::Done { result, .. } = response.as_ref() else { continue };
            let wire = serde_json::to_string(response).map(|s| s.len()).unwrap_or_default();
            answer = (Some(result.clone()), wire);
        }
    }
    if effects.iter().any(|e| matches!(e, Effect::Save(_))) {
        host.handle(Input::Saved(Ok(())));
    }
    answer
}

/// The prepared world of the key rotation scenario (the policy, Priya a Reader on it), and 50
/// environments beside Contoso-Prod, every other one under the policy.
fn script() -> Result<String, cmk_core::Error> {
    let mut script = scenarios::find("rotate-version")?.prelude();
    script.push_str("az login --username priya@contoso.onmicrosoft.com\n");
    for i in 0..ENVIRONMENTS {
        script.push_str(&format!(
            "pp env create --name env-{i} --region europe --type Sandbox\npp env enable-managed --environment env-{i}\nsim data insert --environment env-{i} --table account --rows {ROWS}\n"
        ));
        if i % 2 == 0 {
            script.push_str(&format!("pp policy add-environment --policy ep-contoso-cmk --environment env-{i}\n"));
        }
    }
    script.push_str("sim clock run\nsim clock advance 2d\n");
    Ok(script)
}

fn main() {
    let mut host = HostCore::new(Env { now, entropy: || [7; 32] });
    host.handle(Input::Connected(PAGE));
    host.handle(Input::Opened(Ok(Saved::default())));
    let script = match script() {
        Ok(script) => script,
        Err(e) => return fail(&e.to_string()),
    };
    let t = Instant::now();
    match request(&mut host, Request::RunScript { id: 1, script }).0 {
        Some(Ok(Answer::ScriptRan { failed: 0, .. })) => {}
        other => return fail(&format!("the world was not built: {other:?}")),
    }
    let built = t.elapsed().as_secs_f64();
    let Some(world) = host.session().map(|s| s.world().clone()) else { return fail("no session") };

    let view_bytes = serde_json::to_string(&world.view()).map(|s| s.len()).unwrap_or(0);
    let envelope_bytes = envelope::encode(&world).map(|s| s.len()).unwrap_or(0);
    println!(
        "world of {ENVIRONMENTS} environments x {ROWS} rows built in {built:.1} s (one Open shared scenario request)"
    );
    println!("{:<46} {:>10.1} KB", "View sent to the page (JSON)", view_bytes as f64 / 1024.0);
    println!("{:<46} {:>10.1} MB", "saved envelope (JSON)", envelope_bytes as f64 / 1_048_576.0);

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
            tags: Default::default(),
        }),
    ];
    println!(
        "{:<46} {:>14} {:>17}",
        "one worker request (HostCore), median of 7", "whole envelope", "parts that changed"
    );
    for (label, make) in commands {
        let (mut always, mut on_change) = (Vec::new(), Vec::new());
        for id in 0..7 {
            let t = Instant::now();
            let (answer, wire) = request(&mut host, Request::Execute { id, command: make() });
            on_change.push(t.elapsed().as_secs_f64() * 1000.0);
            std::hint::black_box((answer.map(|a| a.is_ok()), wire));
            // The old save: the whole world as one envelope after every request.
            let t = Instant::now();
            let whole = host.session().map(|s| envelope::encode(s.world()).map(|e| e.len()));
            always.push(on_change[on_change.len() - 1] + t.elapsed().as_secs_f64() * 1000.0);
            std::hint::black_box(whole);
        }
        println!("{:<46} {:>11.1} ms {:>14.1} ms", label, median(always), median(on_change));
    }

    // Tab in the Cloud Shell: the names it offers come from the world's view.
    let mut tabs = Vec::new();
    for id in 0..7 {
        let t = Instant::now();
        let line = "az keyvault key show --vault-name ".to_string();
        std::hint::black_box(request(&mut host, Request::Complete { id: 50 + id, line }));
        tabs.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    println!("{:<46} {:>9.1} ms", "Tab (Cloud Shell completion), median of 7", median(tabs));

    clock(&world);
    what_if(&mut host);
}

/// The clock, an hour at a time for two days, and 30 days at once (on copies of the world).
fn clock(world: &cmk_core::World) {
    let mut rng = <rand_chacha::ChaCha20Rng as rand_chacha::rand_core::SeedableRng>::seed_from_u64(1);
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
}

/// What if? as the worker answers it: the role of the policy's identity removed, on a copy of
/// the world moved 35 days ahead (half the environments lock, then the sandboxes are deleted).
fn what_if(host: &mut HostCore<u32>) {
    let sign_in = Command::SignIn { upn: scenarios::KAI.into() };
    request(host, Request::Execute { id: 100, command: sign_in });
    let Some(v) = host.session().map(|s| s.view()) else { return };
    let (Some(p), Some(kv)) = (v.policies.first(), v.vaults.first()) else { return fail("no policy or vault") };
    let revoke = Command::DeleteRoleAssignment {
        assignee: p.identity.principal_id.clone(),
        role: "Key Vault Crypto Service Encryption User".into(),
        scope: kv.vault.id.clone(),
    };
    let mut times = Vec::new();
    let mut report = None;
    for id in 0..3 {
        let t = Instant::now();
        let (answer, wire) = request(host, Request::WhatIf { id: 200 + id, command: revoke.clone() });
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        if let Some(Ok(Answer::WhatIf(r))) = answer {
            report = Some((r.locks.len(), r.deletions.len(), wire));
        }
    }
    let (locks, deletions, bytes) = report.unwrap_or_default();
    println!(
        "{:<46} {:>9.1} ms   ({locks} locks, {deletions} deletions, {:.1} KB answer with its view)",
        "what-if: revoke the policy's role (35 days)",
        median(times),
        bytes as f64 / 1024.0
    );
}

fn fail(why: &str) {
    eprintln!("bench failed: {why}");
    std::process::exit(1);
}
