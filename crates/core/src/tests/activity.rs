//! Azure's activity log (SPEC PG-1): who made which management operation, and when.

use super::*;

fn names(f: &Fixture) -> Vec<(String, String)> {
    f.world.view().operations.iter().map(|o| (o.name.clone(), o.caller.clone())).collect()
}

#[test]
fn the_activity_log_says_who_removed_the_role_newest_first() {
    // SPEC PG-1: management operations are logged with the time, the resource and who made them.
    let mut f = Fixture::with_vault(false);
    let gus = f.oid(GUS);
    let scope = f.vault_id();
    let assign = |who: &str| Command::CreateRoleAssignment {
        assignee: who.into(),
        role: "Key Vault Crypto Service Encryption User".into(),
        scope: scope.clone(),
    };
    f.ok(KAI, assign(&gus));
    f.advance(SimDuration::hours(2));
    f.ok(KAI, key_with("kv-cmk", "cmk", 2048, "rsa2048-1"));
    f.ok(
        MALLORY,
        Command::DeleteRoleAssignment {
            assignee: gus.clone(),
            role: "Key Vault Crypto Service Encryption User".into(),
            scope: scope.clone(),
        },
    );
    let log = f.world.view().operations;
    let newest = &log[0];
    assert_eq!(newest.name, "Delete role assignment");
    assert_eq!(newest.caller, MALLORY);
    assert_eq!(newest.resource, scope);
    assert_eq!(newest.at, SimTime::GENESIS.plus(SimDuration::hours(2)));
    // Creating a key is a data-plane operation: not in the activity log.
    assert_eq!(
        names(&f),
        [
            ("Delete role assignment".into(), MALLORY.into()),
            ("Create role assignment".into(), KAI.into()),
            ("Update Key Vault".into(), KAI.into()),
            ("Update resource group".into(), KAI.into()),
        ]
    );
    assert_eq!(log[2].resource, scope, "the vault's own id");
    assert_eq!(log[3].resource, "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-cmk");
}

#[test]
fn a_refused_operation_leaves_no_entry_and_readers_see_only_their_scope() {
    // SPEC PG-1: a refused command changes nothing, its log included; the log is read with Reader.
    let mut f = Fixture::with_vault(true);
    let before = f.world.view().operations.len();
    f.refused(PRIYA, Command::DeleteVault { name: "kv-cmk".into() }, ErrorCode::AuthorizationFailed);
    assert_eq!(f.world.view().operations.len(), before);
    // Priya, Reader on the vault only, reads the vault's entries and not the group's.
    let priya = f.oid(PRIYA);
    f.ok(KAI, Command::CreateRoleAssignment { assignee: priya, role: "Reader".into(), scope: f.vault_id() });
    f.ok(KAI, Command::SignIn { upn: PRIYA.into() });
    let seen: Vec<String> = f.world.view().operations.iter().map(|o| o.name.clone()).collect();
    assert_eq!(seen, ["Create role assignment", "Update Key Vault"]);
}

#[test]
fn the_activity_log_keeps_ninety_days() {
    // SPEC PG-1: Azure keeps the activity log for 90 days.
    let mut f = Fixture::with_vault(false);
    assert_eq!(f.world.view().operations.len(), 2);
    f.advance(SimDuration::days(91));
    assert!(f.world.view().operations.is_empty(), "older than 90 days: gone from the view");
    f.ok(KAI, Command::DeleteVault { name: "kv-cmk".into() });
    let log = f.world.view().operations;
    assert_eq!(log.len(), 1, "and dropped from the world when the next one is recorded");
    assert_eq!(log[0].name, "Delete Key Vault");
    f.ok(KAI, Command::RecoverVault { name: "kv-cmk".into() });
    assert_eq!(f.world.view().operations[0].name, "Recover Key Vault");
}
