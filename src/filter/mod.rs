//! Where findings are filtered, once found: suppression comments and clippy `allow`s (applied
//! by the engine as it finishes each run, [`suppress`]), the changed lines of `--diff` and
//! `--changed-lines-from` ([`changed`]), and the baseline of accepted legacy findings
//! ([`baseline`]). Each filter only removes findings; none adds one.

pub mod baseline;
pub mod changed;
pub(crate) mod suppress;
