// Each line marked `//~ CX0005` must be reported, and no other.
use std::collections::HashMap;

pub fn execute(results: &HashMap<String, u32>, rule: &str, ids: &[String]) -> u32 {
    let direct = results[&rule.to_owned()]; //~ CX0005
    let nested = results[&ids[0]]; //~ CX0005
    let in_macro = format!("{}", results[&ids[1]]); //~ CX0005
    let chained = results
        .clone()[&ids[2]]; //~ CX0005
    let closure = |key: &String| results[key] + results[&key.clone()]; //~ CX0005
    let _ = (in_macro, closure);
    direct + nested + chained
}

pub fn guard_does_not_cover(results: &mut HashMap<String, u32>, mut key: String, other: String) -> u32 {
    let mut total = 0;
    if results.contains_key(&key) {
        total += results[&other]; //~ CX0005
    }
    if results.contains_key(&key) {
        results.remove(&key);
        total += results[&key]; //~ CX0005
    }
    if results.contains_key(&key) {
        key = other;
        total += results[&key]; //~ CX0005
    }
    if !results.contains_key(&key) {
        total += results[&key]; //~ CX0005
    }
    if results.contains_key(&key) || total > 0 {
        total += results[&key]; //~ CX0005
    }
    if results.get(&key).is_none() {
        log(&key);
    }
    total + results[&key] //~ CX0005
}
