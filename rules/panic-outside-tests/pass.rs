// Near misses: nothing here may be reported.
pub fn fine(count: usize) -> Result<usize, String> {
    if count > 200 {
        return Err(format!("too many features: {count}"));
    }
    let panic = "panic!(\"in a string\")";
    let _ = panic;
    std::panic::catch_unwind(|| 1).map_err(|_| "caught".to_owned())?;
    my_crate::panic!("a different crate's macro");
    Ok(count)
}

fn panic(message: &str) -> String {
    message.to_owned()
}

fn calls_the_function() -> String {
    panic("a function named panic is not the macro")
}

#[cfg(test)]
mod tests {
    #[test]
    #[should_panic]
    fn panics_in_tests() {
        panic!("expected");
    }

    #[test]
    fn todo_in_tests() {
        todo!();
    }
}

#[allow(clippy::panic)]
fn allowed_by_clippy() {
    panic!("annotated for clippy");
}

#[allow(clippy::todo)]
fn todo_allowed() {
    todo!();
}

#[allow(clippy::unimplemented)]
fn unimplemented_allowed() {
    unimplemented!();
}

#[allow(clippy::panic)]
fn panic_any_allowed() {
    std::panic::panic_any(1);
}

#[allow(clippy::restriction)]
fn every_form_allowed() {
    panic!();
    todo!();
    unimplemented!();
    std::panic::panic_any(2);
}

fn allowed_on_a_statement(flag: bool) {
    #[allow(clippy::panic)]
    if flag {
        panic!("annotated");
    }
}

// `unreachable!` has a lint of its own and is not this rule's; a local `panic_any` is not std's.
fn unreachable_and_local(flag: bool) {
    fn panic_any(_: u32) {}
    panic_any(1);
    if flag {
        unreachable!();
    }
}

// Const contexts: a panic there fails the build.
const SIZE: usize = 4;
const _: () = {
    if SIZE == 0 {
        panic!("SIZE must not be zero");
    }
};
const LIMIT: usize = match SIZE {
    0 => panic!("zero"),
    n => n,
};
static TABLE: [u8; 2] = {
    if SIZE < 2 {
        todo!()
    }
    [0; 2]
};

fn inline_const() {
    const {
        if SIZE == 0 {
            unimplemented!()
        }
    }
}
