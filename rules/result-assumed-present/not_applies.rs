// No lookup: building the map and iterating it are not reads of a value another component
// may have skipped.
pub fn record(ctx: &mut Context, rule: &Rule, result: Outcome) {
    ctx.results.insert(rule.id.clone(), result);
    for (id, outcome) in &ctx.results {
        log(id, outcome);
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn lookups_in_tests_are_not_listed() {
        let map = std::collections::HashMap::from([(1, 2)]);
        assert_eq!(map.get(&1), Some(&2));
    }
}
