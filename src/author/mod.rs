//! Rule authors' tools: what a rule is, for people ([`explain`], `cargo codex explain` and
//! `cargo codex rules`), scaffolding a new rule ([`scaffold`], `cargo codex new`), and testing
//! rules against their fixtures with the Codex's integrity checks ([`verify`],
//! `cargo codex test`); [`review`] does the same for review rules.

pub mod explain;
pub mod review;
pub mod scaffold;
pub mod verify;
