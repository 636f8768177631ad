//! Where inputs are selected: which files a run checks and which version of them. The whole
//! project or named paths; the files a diff changed ([`changes`]) and, for `--diff`, the merge
//! base to compare with ([`base`]); the staged tree of a pre-commit check ([`staged`]).

pub mod base;
pub mod changes;
mod git;
pub mod staged;
