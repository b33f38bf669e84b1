//! An environment's life in the admin center: finding it, creating it, Managed Environments,
//! whether it can be used now, its link to an enterprise policy, and `sim fail`. SPEC ENV-1,
//! ENV-2, AUTH-2.

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::*;
use crate::crypto::aes_gcm_seal;
use crate::error::{internal, Error, ErrorCode};
use crate::ids;
use crate::key_material::SecretBytes;
use crate::location::POLICY_LOCATIONS;
use crate::powerplatform::{Ctx, PowerPlatform};
use crate::view::EnvironmentView;

impl PowerPlatform {
    pub fn environment(&self, name_or_id: &str) -> Result<&Environment, Error> {
        // The clock's checks ask by id, an environment at a time: a map lookup, not a scan of
        // every environment's id and name (most of 30 simulated days' time with 50 of them).
        if let Some(e) = self.environments.get(name_or_id) {
            return Ok(e);
        }
        self.environments
            .values()
            .find(|e| e.id.eq_ignore_ascii_case(name_or_id) || e.name.eq_ignore_ascii_case(name_or_id))
            .ok_or_else(|| {
                Error::new(ErrorCode::EnvironmentNotFound, format!("There is no environment '{name_or_id}'."))
            })
    }

    pub(crate) fn env_key(&self, name_or_id: &str) -> Result<String, Error> {
        let e = self.environment(name_or_id)?;
        Ok(e.id.clone())
    }

    pub(crate) fn env_mut(&mut self, id: &str) -> Result<&mut Environment, Error> {
        self.environments.get_mut(id).ok_or_else(|| internal("environment vanished"))
    }

    /// Links an environment to a policy, on both sides (EP-6 counts the policy's list).
    pub(crate) fn link_policy(&mut self, env_id: &str, policy: &str) -> Result<(), Error> {
        self.env_mut(env_id)?.policy = Some(policy.into());
        let linked = &mut self.links.entry(policy.into()).or_default().environments;
        if !linked.iter().any(|x| x == env_id) {
            linked.push(env_id.into());
        }
        Ok(())
    }

    /// Takes the environment off its policy, on both sides of the link. Callers record why in
    /// the environment's history.
    pub(crate) fn unlink_policy(&mut self, env_id: &str) {
        let policy = self.environments.get_mut(env_id).and_then(|e| e.policy.take());
        if let Some(link) = policy.and_then(|p| self.links.get_mut(&p)) {
            link.environments.retain(|x| x != env_id);
        }
    }
    /// `pp env create`.
    pub(crate) fn create_environment(
        &mut self,
        cx: &mut Ctx<'_>,
        name: &str,
        region: &str,
        env_type: &str,
        byok: bool,
    ) -> Result<EnvironmentView, Error> {
        let env_type = EnvironmentType::parse(env_type)?;
        let region = region.to_ascii_lowercase();
        if !POLICY_LOCATIONS.contains(&region.as_str()) {
            return Err(Error::new(
                ErrorCode::BadParameter,
                format!("'{region}' is not a Power Platform region ({}).", POLICY_LOCATIONS.join(", ")),
            ));
        }
        check_environment_name(name)?;
        if self.environments.values().any(|e| e.name.eq_ignore_ascii_case(name) && e.state != EnvironmentState::Deleted)
        {
            return Err(Error::new(ErrorCode::Conflict, format!("An environment named '{name}' already exists.")));
        }
        let rng = &mut *cx.rng;
        let id = ids::new_guid(rng);
        let mut services = BTreeMap::new();
        for service in Service::ALL {
            let dek = SecretBytes::random(rng, 32);
            let wrapped = if byok { self.wrap_dek_byok(&dek.0, rng)? } else { self.wrap_dek_microsoft(&dek.0, rng) };
            let mut tables = BTreeMap::new();
            // Every service starts with a little content of its own, so each data key matters;
            // production and default environments come with existing flows (SPEC ENV-4).
            let has_flows = matches!(env_type, EnvironmentType::Production | EnvironmentType::Default);
            if service != Service::Flows || has_flows {
                let seed_table = format!("{}_content", service.as_str());
                let aad = record_aad(service, &seed_table);
                let records = Records::new(
                    (0..3)
                        .map(|i| aes_gcm_seal(&dek.key32(), &record_plaintext(&id, &seed_table, i), &aad, rng))
                        .collect(),
                );
                tables.insert(seed_table, Table::new(records));
            }
            services.insert(service, StorageService { dek: wrapped, tables, cached_dek: Some(dek) });
        }
        let mut env = Environment {
            name: name.into(),
            id: id.clone(),
            region,
            env_type,
            managed: false,
            state: EnvironmentState::Enabled,
            encryption: EncryptionStatus::MicrosoftManaged,
            policy: None,
            services,
            history: Vec::new(),
            job: None,
            deletion_due: None,
            lock: None,
            deleted: None,
            byok,
            backups: Vec::new(),
            last_system_backup: Some(cx.now),
            fail_next: Vec::new(),
        };
        env.record(
            "Create environment",
            OperationStatus::Succeeded,
            cx.now,
            byok.then(|| "Encrypted with the tenant key (BYOK)".into()),
        );
        self.environments.insert(id.clone(), env);
        self.env_view(cx.keys, &id)
    }

    /// `pp env enable-managed`: Enable Managed Environments.
    pub(crate) fn enable_managed(&mut self, cx: &mut Ctx<'_>, env: &str) -> Result<EnvironmentView, Error> {
        let id = self.env_key(env)?;
        let e = self.env_mut(&id)?;
        if e.state == EnvironmentState::Deleted {
            return Err(Error::new(ErrorCode::EnvironmentDeleted, format!("Environment '{}' was deleted.", e.name)));
        }
        if !e.managed {
            e.managed = true;
            e.record("Enable Managed Environments", OperationStatus::Succeeded, cx.now, None);
        }
        self.env_view(cx.keys, &id)
    }

    /// Checks an environment can be read or written right now.
    pub(crate) fn check_accessible(env: &Environment) -> Result<(), Error> {
        let (code, why) = match env.state {
            EnvironmentState::Enabled => return Ok(()),
            EnvironmentState::Disabled => (ErrorCode::EnvironmentDisabled, "is disabled while its encryption changes"),
            EnvironmentState::Locked => {
                (ErrorCode::EnvironmentLocked, "is locked: its key is not accessible. Environment disabled")
            }
            EnvironmentState::Deleted => (ErrorCode::EnvironmentDeleted, "was deleted"),
        };
        Err(Error::new(code, format!("Environment '{}' {why}.", env.name)))
    }

    /// `sim fail`: the next encryption step of a service fails.
    pub(crate) fn sim_fail(&mut self, env: &str, service: &str) -> Result<serde_json::Value, Error> {
        let service = Service::parse(service)?;
        let id = self.env_key(env)?;
        let e = self.env_mut(&id)?;
        if !e.fail_next.contains(&service) {
            e.fail_next.push(service);
        }
        Ok(
            serde_json::json!({ "environment": e.name, "failNext": e.fail_next.iter().map(|s| s.as_str()).collect::<Vec<_>>() }),
        )
    }
}

/// An environment's display name: 1 to 100 characters, not only spaces. The page checks it as the
/// name is typed, with the same words.
pub fn check_environment_name(name: &str) -> Result<(), Error> {
    if name.trim().is_empty() {
        return Err(Error::new(ErrorCode::BadParameter, "Enter a name for the environment."));
    }
    if name.chars().count() > 100 {
        return Err(Error::new(ErrorCode::BadParameter, "An environment's name can be at most 100 characters."));
    }
    Ok(())
}
