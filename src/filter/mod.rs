//! Where findings are filtered, once found: suppression comments and clippy `allow`s (`suppress`,
//! applied by the engine as it finishes each run, which also reports a suppression that lacks
//! a reason or excuses nothing), the changed lines of `--diff` and `--changed-lines-from`
//! ([`changed`]), the rules `--select` and `--ignore` keep ([`rules`]), and the baseline of
//! accepted legacy findings ([`baseline`]). Suppressions may expire on a [`date`].

pub mod baseline;
pub mod changed;
pub mod date;
pub mod rules;
pub(crate) mod suppress;
