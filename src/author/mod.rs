//! Rule authors' tools: scaffolding a new rule ([`scaffold`], `cargo codex new`) and testing
//! rules against their fixtures with the Codex's integrity checks ([`verify`],
//! `cargo codex test`).

pub mod scaffold;
pub mod verify;
