//! Records: their deterministic content, inserting and reading them back under each service's
//! data key, and the limits on how many an environment holds.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use sha2::{Digest, Sha256};

use super::*;
use crate::crypto::{aes_gcm_open, aes_gcm_seal};
use crate::error::{internal, Error, ErrorCode};
use crate::powerplatform::{Ctx, KeyAccess, PowerPlatform};
use crate::view::RowsInserted;

/// Deterministic record content: row `i` of `table` in environment `env_id`.
pub fn record_plaintext(env_id: &str, table: &str, i: usize) -> Vec<u8> {
    let digest = Sha256::digest(format!("{env_id}/{table}/{i}").as_bytes());
    let mut text =
        format!("{{\"table\":\"{table}\",\"row\":{i},\"name\":\"Contoso record {i}\",\"data\":\"").into_bytes();
    for b in digest.iter().take(8 + (digest[0] as usize % 24)) {
        text.extend_from_slice(format!("{b:02x}").as_bytes());
    }
    text.extend_from_slice(b"\"}");
    text
}

/// The additional data that binds a record to its service and table.
pub(crate) fn record_aad(service: Service, table: &str) -> Vec<u8> {
    format!("{}/{table}", service.as_str()).into_bytes()
}

impl PowerPlatform {
    /// `sim data insert`: N deterministic rows appended to a Dataverse table, each encrypted
    /// under the Dataverse data key; the search and Copilot indexes get an entry each.
    pub(crate) fn insert_rows(
        &mut self,
        cx: &mut Ctx<'_>,
        env: &str,
        table: &str,
        rows: usize,
    ) -> Result<RowsInserted, Error> {
        if table.is_empty() || !table.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(Error::new(
                ErrorCode::BadParameter,
                format!("Table name '{table}' is not valid: letters, digits and '_'."),
            ));
        }
        let id = self.env_key(env)?;
        let e = self.environment(&id)?;
        check_rows(e.total_rows(), rows)?;
        Self::check_accessible(e)?;
        let dek = self.service_dek(cx.keys, e, Service::Dataverse)?;
        let start =
            e.services.get(&Service::Dataverse).and_then(|s| s.tables.get(table)).map(|t| t.records.len()).unwrap_or(0);
        let aad = record_aad(Service::Dataverse, table);
        let sealed: Vec<Vec<u8>> = (start..start + rows)
            .map(|i| aes_gcm_seal(&dek.key32(), &record_plaintext(&id, table, i), &aad, cx.rng))
            .collect();
        let mut index_entries = Vec::new();
        for service in [Service::Search, Service::Copilot] {
            let idx_dek = self.service_dek(cx.keys, e, service)?;
            let idx_table = format!("{table}_index");
            let n =
                e.services.get(&service).and_then(|s| s.tables.get(&idx_table)).map(|t| t.records.len()).unwrap_or(0);
            index_entries.push((
                service,
                idx_table.clone(),
                aes_gcm_seal(
                    &idx_dek.key32(),
                    &record_plaintext(&id, &idx_table, n),
                    &record_aad(service, &idx_table),
                    cx.rng,
                ),
            ));
        }
        let e = self.env_mut(&id)?;
        let total = {
            let t = e
                .services
                .get_mut(&Service::Dataverse)
                .ok_or_else(|| internal("dataverse"))?
                .tables
                .entry(table.into())
                .or_default();
            alloc::sync::Arc::make_mut(&mut t.records).extend(sealed);
            t.records.len()
        };
        for (service, idx_table, record) in index_entries {
            let t = e.services.get_mut(&service).ok_or_else(|| internal("index"))?.tables.entry(idx_table).or_default();
            alloc::sync::Arc::make_mut(&mut t.records).push(record);
        }
        Ok(RowsInserted { environment: e.name.clone(), table: table.into(), inserted: rows, rows: total })
    }

    /// Decrypts every record of a table; the row count and the SHA-256 of the plaintexts in order.
    pub fn read_table(
        &self,
        keys: &dyn KeyAccess,
        env: &str,
        service: Service,
        table: &str,
    ) -> Result<(usize, String), Error> {
        let e = self.environment(env)?;
        Self::check_accessible(e)?;
        let dek = self.service_dek(keys, e, service)?;
        let aad = record_aad(service, table);
        let records =
            e.services.get(&service).and_then(|s| s.tables.get(table)).map(|t| t.records.as_slice()).unwrap_or(&[]);
        let mut hasher = Sha256::new();
        for r in records {
            hasher.update(aes_gcm_open(&dek.key32(), r, &aad)?.as_slice());
        }
        Ok((records.len(), hex(&hasher.finalize())))
    }
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    use core::fmt::Write;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// The most rows one insert adds, and the most records one environment holds (all services).
pub const MAX_ROWS_PER_INSERT: usize = 1_000_000;
pub const MAX_RECORDS_PER_ENVIRONMENT: usize = 2_000_000;

/// Refuses an insert over either limit, naming it.
pub(crate) fn check_rows(existing: usize, rows: usize) -> Result<(), Error> {
    if rows == 0 || rows > MAX_ROWS_PER_INSERT {
        return Err(Error::new(
            ErrorCode::BadParameter,
            format!("Insert 1 to {MAX_ROWS_PER_INSERT} rows at a time (the limit per insert)."),
        ));
    }
    if existing.saturating_add(rows) > MAX_RECORDS_PER_ENVIRONMENT {
        return Err(Error::new(
            ErrorCode::BadParameter,
            format!(
                "The environment holds {existing} records; {rows} more would pass the limit of {MAX_RECORDS_PER_ENVIRONMENT} records per environment."
            ),
        ));
    }
    Ok(())
}
