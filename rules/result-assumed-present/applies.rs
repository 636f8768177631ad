// The selector matches each lookup of a value that may have been left unset.
pub fn execute(ctx: &mut Context, rule: &Rule) {
    let result = ctx.results.get(&rule.id); //~ CX0008
    if let Some(slot) = ctx.slots.get_mut(&rule.phase) { //~ CX0008
        slot.done = true;
    }
    let pending = ctx.pending.remove(&rule.id); //~ CX0008
    apply(result, pending);
}
