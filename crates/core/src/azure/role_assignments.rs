//! Azure role assignments (SPEC AUTH-3): create, delete, list, at the subscription, a
//! resource group, a vault, a key or an enterprise policy.

use alloc::format;
use alloc::vec::Vec;

use rand_core::CryptoRngCore;

use crate::azure::rbac::{role_by_name, scope_covers, RoleAssignment};
use crate::azure::vault::Vault;
use crate::azure::Azure;
use crate::error::{Error, ErrorCode};
use crate::ids;
use crate::view::*;

impl Azure {
    /// Whether `scope` names something that exists: the subscription, a group, a vault (or one of
    /// its keys), or an enterprise policy.
    fn scope_exists(&self, scope: &str) -> bool {
        scope.eq_ignore_ascii_case(&self.subscription_scope())
            || self.resource_groups.values().any(|rg| self.rg_id(&rg.name).eq_ignore_ascii_case(scope))
            || self.vaults.values().any(|v| scope_covers(&v.id(), scope) && key_scope_exists(v, scope))
            || self.policies.contains_key(&scope.to_ascii_lowercase())
    }

    pub(crate) fn create_role_assignment(
        &mut self,
        actor: &str,
        assignee: &str,
        role: &str,
        scope: &str,
        rng: &mut dyn CryptoRngCore,
    ) -> Result<Outcome, Error> {
        let definition = role_by_name(role).ok_or_else(|| unknown_role(role))?;
        let principal = self.resolve_principal(assignee)?;
        let scope = scope.trim_end_matches('/');
        if !self.scope_exists(scope) {
            return Err(Error::new(
                ErrorCode::BadParameter,
                format!("The scope '{scope}' does not name an existing subscription, resource group or resource."),
            ));
        }
        self.authorize(actor, "Microsoft.Authorization/roleAssignments/write", scope)?;
        let duplicate = self.role_assignments.iter().any(|a| {
            a.principal_id.eq_ignore_ascii_case(&principal)
                && a.role == definition.name
                && a.scope.eq_ignore_ascii_case(scope)
        });
        if duplicate {
            return Err(Error::new(
                ErrorCode::RoleAssignmentExists,
                format!("'{}' already holds '{}' at '{scope}'.", self.principal_name(&principal), definition.name),
            ));
        }
        let assignment = RoleAssignment {
            name: ids::new_guid(rng),
            principal_id: principal,
            role: definition.name.into(),
            scope: scope.into(),
        };
        let view = self.assignment_view(&assignment);
        self.role_assignments.push(assignment);
        Ok(Outcome::RoleAssignment(view))
    }

    pub(crate) fn delete_role_assignment(
        &mut self,
        actor: &str,
        assignee: &str,
        role: &str,
        scope: &str,
    ) -> Result<Outcome, Error> {
        let definition = role_by_name(role).ok_or_else(|| unknown_role(role))?;
        let principal = self.resolve_principal(assignee)?;
        let scope = scope.trim_end_matches('/');
        self.authorize(actor, "Microsoft.Authorization/roleAssignments/delete", scope)?;
        let position = self.role_assignments.iter().position(|a| {
            a.principal_id.eq_ignore_ascii_case(&principal)
                && a.role == definition.name
                && a.scope.eq_ignore_ascii_case(scope)
        });
        let Some(i) = position else {
            return Err(Error::new(
                ErrorCode::ResourceNotFound,
                format!(
                    "'{}' holds no '{}' assignment at exactly '{scope}'.",
                    self.principal_name(&principal),
                    definition.name
                ),
            ));
        };
        let removed = self.role_assignments.remove(i);
        Ok(Outcome::RoleAssignment(self.assignment_view(&removed)))
    }

    pub(crate) fn list_role_assignments(
        &self,
        actor: &str,
        assignee: Option<&str>,
        scope: Option<&str>,
        include_inherited: bool,
        role: Option<&str>,
    ) -> Result<Outcome, Error> {
        let principal = assignee.map(|a| self.resolve_principal(a)).transpose()?;
        // As the real CLI: a role by its name or its definition's id (the GUID, or the full id).
        let role = role
            .map(|r| role_by_name(r.rsplit('/').next().unwrap_or(r)).map(|d| d.name).ok_or_else(|| unknown_role(r)))
            .transpose()?;
        let list: Vec<RoleAssignmentView> = self
            .role_assignments
            .iter()
            .filter(|a| {
                self.has_action(actor, "Microsoft.Authorization/roleAssignments/read", &a.scope)
                    || a.principal_id == actor
            })
            .filter(|a| principal.as_deref().is_none_or(|p| a.principal_id.eq_ignore_ascii_case(p)))
            .filter(|a| role.is_none_or(|r| a.role.eq_ignore_ascii_case(r)))
            .filter(|a| {
                scope.is_none_or(|s| {
                    let s = s.trim_end_matches('/');
                    a.scope.eq_ignore_ascii_case(s) || (include_inherited && scope_covers(&a.scope, s))
                })
            })
            .map(|a| self.assignment_view(a))
            .collect();
        Ok(Outcome::Json(serde_json::to_value(list).unwrap_or_default()))
    }

    pub(crate) fn assignment_view(&self, a: &RoleAssignment) -> RoleAssignmentView {
        let def_id = a.definition().map(|d| d.id).unwrap_or_default();
        RoleAssignmentView {
            id: a.id(),
            name: a.name.clone(),
            principal_id: a.principal_id.clone(),
            principal_name: self.principal_display(&a.principal_id),
            role_definition_id: format!(
                "/subscriptions/{}/providers/Microsoft.Authorization/roleDefinitions/{def_id}",
                self.subscription.id
            ),
            role_definition_name: a.role.clone(),
            scope: a.scope.clone(),
            resource_type: "Microsoft.Authorization/roleAssignments".into(),
        }
    }
}

fn key_scope_exists(v: &Vault, scope: &str) -> bool {
    let id = v.id();
    if scope.len() == id.len() {
        return true;
    }
    match scope.get(id.len()..).and_then(|rest| rest.strip_prefix("/keys/")) {
        Some(name) => v.key(name).is_some(),
        None => false,
    }
}

fn unknown_role(role: &str) -> Error {
    Error::new(
        ErrorCode::RoleDefinitionNotFound,
        format!("There is no role named '{role}'. Check the spelling (for example 'Key Vault Crypto Service Encryption User')."),
    )
}
