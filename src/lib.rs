//! cargo-codex: enforce a repository-owned Codex of rules, each born from a production
//! incident, on Rust code.
//!
//! The pipeline runs one way, and [`pipeline::run`] runs all of it for a front end (the
//! command line, a language server):
//!
//! 1. [`config`] resolves settings; [`codex::load`] reads and validates the rules;
//! 2. [`select`] chooses the inputs: the project or named paths, the files a diff changed, the
//!    staged tree, a shard ([`source::discover`] walks the folders);
//! 3. [`engine::check`] reads, lexes, parses and walks each file once, whatever the number of
//!    rules, then applies scope and suppressions (`filter::suppress`);
//! 4. [`fix`] writes suggested fixes, and the files are checked again;
//! 5. [`filter`] keeps the findings of the change ([`filter::changed`]) and hides those of the
//!    baseline ([`filter::baseline`]);
//! 6. [`report::render`] writes one of the output formats.
//!
//! Rule authors' tools (explain, scaffold, test) are in [`author`]; the brief of a merge request
//! for a review bot, with the review rules that apply to it, is [`review`]'s.
//!
//! ```
//! use cargo_codex::codex::{Overrides, Sources, load::load};
//!
//! let sources = Sources { embedded: true, ..Sources::default() };
//! let codex = load(&sources, &Overrides::default()).map_err(|errors| errors.len())?;
//! assert!(codex.find("CX0001").is_some());
//! # Ok::<(), usize>(())
//! ```

pub mod author;
pub mod cache;
pub mod codex;
pub mod config;
pub mod diagnostic;
pub mod engine;
pub mod filter;
pub mod fix;
pub mod git;
pub mod mcp;
pub mod pipeline;
pub mod report;
pub mod review;
pub mod select;
pub mod server;
pub mod source;
pub mod text;
