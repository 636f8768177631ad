//! cargo-codex: enforce a repository-owned Codex of rules, each born from a production
//! incident, on Rust code.
//!
//! The pipeline runs one way: [`config`] resolves settings; [`codex::load`] reads and validates
//! the rules; [`source::discover`] finds files; [`engine::check`] reads, lexes, parses and walks
//! each file once, whatever the number of rules, then applies scope and suppressions;
//! [`report::render`] writes one of the output formats.
//!
//! ```
//! use codex::codex::{Overrides, Sources, load::load};
//!
//! let sources = Sources { embedded: true, ..Sources::default() };
//! let codex = load(&sources, &Overrides::default()).map_err(|errors| errors.len())?;
//! assert!(codex.find("CX0001").is_some());
//! # Ok::<(), usize>(())
//! ```

pub mod baseline;
pub mod changes;
pub mod codex;
pub mod config;
pub mod diagnostic;
pub mod engine;
pub mod fix;
pub mod git;
pub mod report;
pub mod scaffold;
pub mod server;
pub mod source;
mod suppress;
pub mod text;
pub mod verify;
