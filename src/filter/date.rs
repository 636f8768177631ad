//! Calendar days, for suppressions that expire (`codex:allow(CX0001, until = 2027-03-31) …`):
//! written `YYYY-MM-DD`, and compared with today's date in UTC, so a run gives the same answer
//! on every machine of a team whatever their time zone. Calendar arithmetic is jiff's.

use std::fmt;

/// Names a day to use as today instead of the clock's (`YYYY-MM-DD`), so tests and reproducible
/// runs do not depend on the date they run on.
pub const TODAY_VARIABLE: &str = "CARGO_CODEX_TODAY";

/// A day of the proleptic Gregorian calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(jiff::civil::Date);

impl Date {
    /// The day `text` names, written exactly `YYYY-MM-DD` (`2027-03-31`); `None` for anything
    /// else, a day that does not exist (`2027-02-30`) included.
    pub fn parse(text: &str) -> Option<Date> {
        let bytes = text.as_bytes();
        let shaped = bytes.len() == 10
            && bytes.iter().enumerate().all(|(i, b)| match i {
                4 | 7 => *b == b'-',
                _ => b.is_ascii_digit(),
            });
        if !shaped {
            return None;
        }
        text.parse().ok().map(Date)
    }

    /// Today's date in UTC, by the system clock.
    pub fn today_utc() -> Date {
        let now = jiff::Timestamp::now();
        Date(jiff::tz::TimeZone::UTC.to_datetime(now).date())
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:04}-{:02}-{:02}",
            self.0.year(),
            self.0.month(),
            self.0.day()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_existing_days_written_in_full() {
        assert_eq!(
            Date::parse("2027-03-31").map(|d| d.to_string()),
            Some("2027-03-31".to_owned())
        );
        assert!(Date::parse("2028-02-29").is_some(), "a leap day");
        for bad in [
            "2027-02-29",
            "2027-13-01",
            "2027-04-31",
            "2027-3-31",
            "20270331",
            "2027-03-31T00:00",
            " 2027-03-31",
            "tomorrow",
            "",
        ] {
            assert_eq!(Date::parse(bad), None, "{bad}");
        }
        assert!(Date::parse("2027-03-31") < Date::parse("2027-04-01"));
        assert!(Date::today_utc() > Date::parse("2026-01-01").unwrap());
    }
}
