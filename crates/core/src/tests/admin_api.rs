//! The admin API (`pp rest`) Microsoft's CMK scripts call: the same rules as the admin center
//! (SPEC ENC-1, ENC-3, ENC-4, ENV-2, AUTH-2), the service's answers and operations.

use super::ppac::{cmk_ready, policy_id};
use super::*;

const ENVS: &str = "https://api.bap.microsoft.com/providers/Microsoft.BusinessAppPlatform/environments";

fn rest(method: &str, uri: &str, body: Option<String>) -> Command {
    Command::AdminApi { method: method.into(), uri: uri.into(), body }
}

fn env_id(f: &mut Fixture) -> String {
    f.ok(PRIYA, Command::ShowEnvironment { environment: "env".into() })["id"].as_str().expect("id").to_string()
}

fn system_id(f: &mut Fixture, policy: &str) -> String {
    f.ok(KAI, Command::ShowResource { id: policy_id(policy) })["properties"]["systemId"].as_str().expect("sid").into()
}

fn link(f: &mut Fixture, verb: &str, env: &str, policy: &str) -> Result<Outcome, crate::Error> {
    let sid = system_id(f, policy);
    let uri = format!("{ENVS}/{env}/enterprisePolicies/Encryption/{verb}?&api-version=2019-10-01");
    f.run(PRIYA, rest("POST", &uri, Some(format!(r#"{{"SystemId":"{sid}"}}"#))))
}

/// The operation a 202 points at, fetched as the scripts poll it.
fn poll(f: &mut Fixture, accepted: &serde_json::Value) -> String {
    let location = accepted["headers"]["operation-location"].as_str().expect("operation-location");
    let op = f.ok(PRIYA, rest("GET", location, None));
    assert_eq!(op["statusCode"], 200);
    op["body"]["state"]["id"].as_str().expect("state").to_string()
}

#[test]
fn enc_1_link_answers_202_and_its_operation_runs_until_the_environment_is_encrypted() {
    let mut f = cmk_ready("Production");
    let id = env_id(&mut f);
    // The environment's GET: its GUID is the name the scripts link by, no policy yet.
    let got = f.ok(PRIYA, rest("GET", &format!("{ENVS}/{id}/?&api-version=2016-11-01"), None));
    assert_eq!(got["statusCode"], 200);
    assert_eq!(got["body"]["name"], id.as_str());
    assert_eq!(got["body"]["properties"]["displayName"], "env");
    assert_eq!(got["body"]["properties"]["enterprisePolicies"], serde_json::json!({}));

    let accepted = serde_json::to_value(link(&mut f, "link", &id, "ep-cmk").expect("link")).expect("json");
    assert_eq!(accepted["statusCode"], 202);
    let retry: u64 = accepted["headers"]["Retry-After"].as_str().expect("retry").parse().expect("seconds");
    assert!(retry >= 60, "{retry}");
    // The admin center's path ran: the environment is encrypting, disabled.
    let env = f.ok(PRIYA, Command::ShowEnvironment { environment: "env".into() });
    assert_eq!(env["encryptionStatus"], "Encrypting");
    assert_eq!(poll(&mut f, &accepted), "Running");
    let got = f.ok(PRIYA, rest("GET", &format!("{ENVS}/{id}"), None));
    let cmk = &got["body"]["properties"]["enterprisePolicies"]["CustomerManagedKeys"];
    assert!(cmk["id"].as_str().expect("id").eq_ignore_ascii_case(&policy_id("ep-cmk")));
    assert_eq!(cmk["systemId"], system_id(&mut f, "ep-cmk").as_str());

    // Polling every Retry-After seconds, as the scripts do, ends in Succeeded once Encrypted.
    let mut polls = 0;
    while poll(&mut f, &accepted) == "Running" {
        f.advance(SimDuration::seconds(retry));
        polls += 1;
        assert!(polls < 200, "the operation never finished");
    }
    assert_eq!(poll(&mut f, &accepted), "Succeeded");
    // Encrypted, or Warning where flows stay under Microsoft's key (ENV-4).
    let env = f.ok(PRIYA, Command::ShowEnvironment { environment: "env".into() });
    assert!(["Encrypted", "Warning"].contains(&env["encryptionStatus"].as_str().expect("status")), "{env}");
    assert!(polls >= 2, "the operation ran on the clock ({polls} polls)");

    // ENC-3: unlink reverts through the admin center's Remove path.
    let accepted = serde_json::to_value(link(&mut f, "unlink", &id, "ep-cmk").expect("unlink")).expect("json");
    assert_eq!(accepted["statusCode"], 202);
    let env = f.ok(PRIYA, Command::ShowEnvironment { environment: "env".into() });
    assert_eq!(env["encryptionStatus"], "Reverting");
    assert_eq!(poll(&mut f, &accepted), "Running");
}

#[test]
fn env_2_a_broken_rule_answers_the_service_error_and_changes_nothing() {
    let mut f = cmk_ready("Production");
    f.ok(
        PRIYA,
        Command::CreateEnvironment {
            name: "plain".into(),
            region: "europe".into(),
            env_type: "Sandbox".into(),
            byok: false,
        },
    );
    let plain =
        f.ok(PRIYA, Command::ShowEnvironment { environment: "plain".into() })["id"].as_str().expect("id").to_string();
    let before = f.world.clone();
    let e = link(&mut f, "link", &plain, "ep-cmk").expect_err("not a Managed Environment");
    assert_eq!(e.code(), ErrorCode::EnvironmentNotEligible);
    assert!(e.message().starts_with("Bad Request({\"error\":{\"code\":\"EnvironmentNotEligible\""), "{e}");
    assert!(e.message().contains("Managed Environment"), "{e}");
    assert_eq!(f.world, before, "a refused link changes nothing");

    // An unknown environment and an unknown system id are 404s.
    let e = f.run(PRIYA, rest("GET", &format!("{ENVS}/00000000-0000-0000-0000-00000000dead"), None)).expect_err("404");
    assert!(e.message().starts_with("Not Found("), "{e}");
    let uri = format!("{ENVS}/{plain}/enterprisePolicies/Encryption/link");
    let e = f.run(PRIYA, rest("POST", &uri, Some(r#"{"SystemId":"/regions/europe/nope"}"#.into()))).expect_err("404");
    assert!(e.message().starts_with("Not Found(") && e.message().contains("system id"), "{e}");
    // A body without the system id is a bad request; a route not simulated says so.
    let e = f.run(PRIYA, rest("POST", &uri, Some("{}".into()))).expect_err("400");
    assert!(e.message().starts_with("Bad Request("), "{e}");
    let e = f
        .run(
            PRIYA,
            rest(
                "GET",
                "https://api.bap.microsoft.com/providers/Microsoft.BusinessAppPlatform/platformapps/status",
                None,
            ),
        )
        .expect_err("not simulated");
    assert_eq!(e.code(), ErrorCode::NotSimulated);
    assert_eq!(f.world, before);
}

#[test]
fn enc_4_swap_to_another_policy_is_refused_with_the_two_step_reason() {
    let mut f = cmk_ready("Production");
    super::ppac::deploy_policy(&mut f, "ep-two", "cmk");
    let id = env_id(&mut f);
    link(&mut f, "link", &id, "ep-cmk").expect("link");
    f.advance(SimDuration::days(4));
    let before = f.world.clone();
    let e = link(&mut f, "swap", &id, "ep-two").expect_err("two steps");
    assert_eq!(e.code(), ErrorCode::Conflict);
    assert!(e.message().starts_with("Conflict(") && e.message().contains("Remove it from that policy first"), "{e}");
    assert_eq!(f.world, before);
}

#[test]
fn auth_2_the_admin_api_needs_a_power_platform_admin() {
    let mut f = cmk_ready("Production");
    let id = env_id(&mut f);
    let e = f.refused(KAI, rest("GET", &format!("{ENVS}/{id}"), None), ErrorCode::PowerPlatformAdminRequired);
    assert!(e.starts_with("Forbidden("), "{e}");
}
