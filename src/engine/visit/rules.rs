//! Offering a node to the rules that look at it: method names in qualified form, macro paths,
//! calls resolved through the file's imports. Patterns and rule objects are in [`super::object`].

use proc_macro2::Ident;

use super::Walker;
use crate::codex::RuleIndex;

impl Walker<'_> {
    /// Method rules for a path expression in fully qualified form: `Option::unwrap`,
    /// `std::result::Result::<T, E>::unwrap_err`, `<Option<_>>::unwrap`.
    pub(super) fn qualified_method(&mut self, qself: bool, path: &syn::Path) {
        let mut segments = path.segments.iter().rev();
        let Some(last) = segments.next() else { return };
        let rules = self.codex.triggers().method_rules(&last.ident);
        if rules.is_empty() {
            return;
        }
        let on_type = segments.next().is_some_and(|owner| {
            owner
                .ident
                .to_string()
                .starts_with(|c: char| c.is_uppercase())
        });
        let owner: Vec<String> = path
            .segments
            .iter()
            .take(path.segments.len() - 1)
            .map(|segment| segment.ident.to_string())
            .collect();
        if qself || (on_type && !self.own_type(&owner)) {
            self.record(rules, &last.ident);
        }
    }

    /// Whether `owner`, in a qualified `Owner::name`, is a type of the project itself: `Self`,
    /// or a path through `crate` or `super` as written or imported. Its associated function of
    /// that name is its own (clap's `MatchesError::unwrap(id, result)`), not the method of
    /// `Option` or `Result` a rule names; `Option` and `Result` are the std types whatever the
    /// path.
    pub(crate) fn own_type(&self, owner: &[String]) -> bool {
        match owner.last().map(String::as_str) {
            None | Some("Option" | "Result") => return false,
            Some("Self") => return true,
            Some(_) => {}
        }
        self.imports.resolve(owner).first().is_some_and(|full| {
            full.first()
                .is_some_and(|root| root == "crate" || root == "super")
        })
    }

    /// Macro rules for a macro path: `panic!`, `std::panic!`, `core::panic!`, `::core::panic!`.
    pub(crate) fn macro_path(&mut self, path: &syn::Path) {
        let Some(last) = path.segments.last() else {
            return;
        };
        let rules = self.codex.triggers().macro_rules(&last.ident);
        if rules.is_empty() {
            return;
        }
        let std_path = path.segments.len() == 1
            || (path.segments.len() == 2
                && path.segments.first().is_some_and(|first| {
                    first.ident == "std" || first.ident == "core" || first.ident == "alloc"
                }));
        if std_path {
            self.record(rules, &last.ident);
        }
    }

    /// Call rules for a call of the function at `path` (as written), resolved through the
    /// file's imports; the finding is on `name`, the path's last segment.
    pub(crate) fn call_path(&mut self, path: &[String], name: &Ident) {
        self.flow_at(name);
        let triggers = self.codex.triggers();
        if !triggers.has_call_rules() && triggers.befores().is_empty() {
            return;
        }
        let candidates = self.imports.resolve(path);
        if !triggers.befores().is_empty() {
            self.before_call(&candidates, name);
        }
        let mut rules: Vec<RuleIndex> = Vec::new();
        // The function's own name picks the clippy lint, whatever the alias it is called by.
        let mut matched: Option<&String> = None;
        for candidate in &candidates {
            let found = triggers.call_rules(candidate);
            if matched.is_none() && !found.is_empty() {
                matched = candidate.last();
            }
            rules.extend(found);
        }
        rules.sort_unstable();
        rules.dedup();
        if !rules.is_empty() {
            let range = name.span().byte_range();
            self.record_named(&rules, range, matched.map(String::as_str));
        }
    }
}
