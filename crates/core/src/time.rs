//! Simulated time. The core never reads a clock: every instant comes in as an argument.

use alloc::format;
use alloc::string::String;
use core::fmt;

use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorCode};

/// An instant of simulated time: whole seconds since 1970-01-01T00:00:00Z.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SimTime(u64);

/// A span of simulated time in whole seconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SimDuration(u64);

impl SimDuration {
    pub const fn seconds(s: u64) -> Self {
        Self(s)
    }
    pub const fn minutes(m: u64) -> Self {
        Self(m * 60)
    }
    pub const fn hours(h: u64) -> Self {
        Self(h * 3600)
    }
    pub const fn days(d: u64) -> Self {
        Self(d * 86_400)
    }
    pub const fn as_seconds(self) -> u64 {
        self.0
    }

    /// How a person says it: "1 hour", "70 days", "90 minutes" (the largest whole unit).
    pub fn human(self) -> alloc::string::String {
        let (n, unit) = match self.0 {
            s if s > 0 && s % 86_400 == 0 => (s / 86_400, "day"),
            s if s > 0 && s % 3_600 == 0 => (s / 3_600, "hour"),
            s if s > 0 && s % 60 == 0 => (s / 60, "minute"),
            s => (s, "second"),
        };
        alloc::format!("{n} {unit}{}", if n == 1 { "" } else { "s" })
    }
}

impl SimTime {
    /// 2026-01-01T00:00:00Z, when every new world starts.
    pub const GENESIS: SimTime = SimTime(1_767_225_600);

    pub const fn from_unix(seconds: u64) -> Self {
        Self(seconds)
    }
    pub const fn unix(self) -> u64 {
        self.0
    }
    /// `self + d`, saturating at the end of representable time.
    pub fn plus(self, d: SimDuration) -> Self {
        Self(self.0.saturating_add(d.0))
    }
    /// Time from `earlier` to `self`, zero if `earlier` is later.
    pub fn since(self, earlier: SimTime) -> SimDuration {
        SimDuration(self.0.saturating_sub(earlier.0))
    }

    /// Parses `YYYY-MM-DDTHH:MM:SSZ` (also without seconds, or a bare date meaning midnight UTC).
    pub fn parse_iso(text: &str) -> Result<Self, Error> {
        let bad = || {
            Error::new(
                ErrorCode::BadParameter,
                format!("'{text}' is not a UTC date-time: use ISO-8601 like 2026-03-01T00:00:00Z"),
            )
        };
        let t = text.trim();
        let (date, time) = match t.split_once(['T', 't', ' ']) {
            Some((d, rest)) => (d, rest.trim_end_matches(['Z', 'z'])),
            None => (t, "00:00:00"),
        };
        let mut d = date.split('-');
        let (Some(y), Some(m), Some(day), None) = (d.next(), d.next(), d.next(), d.next()) else {
            return Err(bad());
        };
        let num = |s: &str, len: usize| -> Result<u64, Error> {
            if s.len() != len || !s.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad());
            }
            s.parse().map_err(|_| bad())
        };
        let (y, m, day) = (num(y, 4)?, num(m, 2)?, num(day, 2)?);
        let mut parts = time.split(':');
        let h = num(parts.next().ok_or_else(bad)?, 2)?;
        let min = num(parts.next().ok_or_else(bad)?, 2)?;
        let s = match parts.next() {
            Some(s) => num(s.split('.').next().unwrap_or(s), 2)?,
            None => 0,
        };
        if parts.next().is_some() || y < 1970 || !(1..=12).contains(&m) || h > 23 || min > 59 || s > 59 {
            return Err(bad());
        }
        if day == 0 || day > days_in_month(y, m) {
            return Err(bad());
        }
        let days = days_from_civil(y, m, day);
        Ok(Self(days * 86_400 + h * 3600 + min * 60 + s))
    }

    /// `YYYY-MM-DDTHH:MM:SSZ`.
    pub fn to_iso(self) -> String {
        format!("{self}")
    }

    /// How the page writes an instant in a sentence: "2026-03-01 09:30 UTC" (seconds only when
    /// not zero). Messages use this; JSON fields keep `to_iso`.
    pub fn words(self) -> String {
        let iso = self.to_iso();
        let text = iso.replacen('T', " ", 1);
        let text = text.trim_end_matches('Z');
        format!("{} UTC", text.strip_suffix(":00").unwrap_or(text))
    }
}

impl fmt::Display for SimTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = civil_from_days(self.0 / 86_400);
        let s = self.0 % 86_400;
        write!(f, "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", s / 3600, s / 60 % 60, s % 60)
    }
}

fn is_leap(y: u64) -> bool {
    (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400)
}

fn days_in_month(y: u64, m: u64) -> u64 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (years ≥ 1970).
fn days_from_civil(y: u64, m: u64, d: u64) -> u64 {
    // Shift the year to start in March so the leap day is the last day of the year.
    let (y, m) = if m <= 2 { (y - 1, m + 9) } else { (y, m - 3) };
    let era = y / 400;
    let yoe = y - era * 400;
    let doy = (153 * m + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: u64) -> (u64, u64, u64) {
    let z = z + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + u64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    #[test]
    fn durations_read_as_a_person_says_them() {
        assert_eq!(SimDuration::hours(1).human(), "1 hour");
        assert_eq!(SimDuration::days(70).human(), "70 days");
        assert_eq!(SimDuration::minutes(90).human(), "90 minutes");
        assert_eq!(SimDuration::hours(36).human(), "36 hours");
        assert_eq!(SimDuration::seconds(61).human(), "61 seconds");
        assert_eq!(SimDuration::seconds(0).human(), "0 seconds");
    }

    #[test]
    fn genesis_is_new_year_2026() {
        assert_eq!(SimTime::GENESIS.to_iso(), "2026-01-01T00:00:00Z");
        assert_eq!(SimTime::parse_iso("2026-01-01T00:00:00Z"), Ok(SimTime::GENESIS));
    }

    #[test]
    fn words_are_the_pages_dates() {
        assert_eq!(SimTime::GENESIS.plus(SimDuration::hours(5)).words(), "2026-01-01 05:00 UTC");
        assert_eq!(SimTime::GENESIS.plus(SimDuration::seconds(61)).words(), "2026-01-01 00:01:01 UTC");
    }

    #[test]
    fn iso_round_trips_across_leap_days() {
        for text in ["2024-02-29T23:59:59Z", "2000-03-01T00:00:00Z", "1970-01-01T00:00:00Z", "2099-12-31T12:30:05Z"] {
            let t = SimTime::parse_iso(text).expect("valid");
            assert_eq!(t.to_string(), text);
        }
        assert_eq!(SimTime::parse_iso("2026-03-01").map(SimTime::to_iso), Ok("2026-03-01T00:00:00Z".into()));
    }

    #[test]
    fn rejects_impossible_dates() {
        for text in ["2026-02-29T00:00:00Z", "2026-13-01", "2026-1-1", "yesterday", "2026-01-01T24:00:00Z", ""] {
            let err = SimTime::parse_iso(text).expect_err(text);
            assert_eq!(err.code(), ErrorCode::BadParameter);
        }
    }
}
