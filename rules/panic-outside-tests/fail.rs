// Each line marked `//~ CX0003` must be reported, and no other.
pub fn check(count: usize) -> usize {
    if count > 200 {
        panic!("too many features: {count}"); //~ CX0003
    }
    if count == 0 {
        std::panic!("empty"); //~ CX0003
    }
    if count == 1 {
        core::panic!(); //~ CX0003
    }
    match count {
        2 => todo!(), //~ CX0003
        3 => unimplemented!("later"), //~ CX0003
        4 => ::core::panic!("absolute"), //~ CX0003
        _ => {}
    }
    let v = vec![count, if count > 5 { panic!() } else { 1 }]; //~ CX0003
    println!("{}", format!("{}", if v.is_empty() { todo!() } else { 0 })); //~ CX0003
    count
}

macro_rules! fail_fast {
    () => {
        panic!("in a macro body") //~ CX0003
    };
}

// `panic_any` is a panic too, however it is reached.
pub fn payload(code: u32) {
    if code > 1 {
        std::panic::panic_any(code); //~ CX0003
    }
}

mod imported {
    use std::panic::panic_any;
    pub fn f() {
        panic_any("x"); //~ CX0003
    }
}

mod through_the_module {
    use std::panic;
    pub fn f() {
        panic::panic_any(1); //~ CX0003
    }
}

// Each form has its own clippy lint: allowing one does not allow the others.
#[allow(clippy::panic)]
fn panic_allowed() {
    todo!(); //~ CX0003
    unimplemented!(); //~ CX0003
}

#[allow(clippy::todo, clippy::unimplemented)]
fn todo_allowed() {
    panic!("still reported"); //~ CX0003
    std::panic::panic_any(1); //~ CX0003
}

// A `const fn` body also runs at run time.
const fn checked(v: u32) -> u32 {
    if v == 0 {
        panic!("zero") //~ CX0003
    }
    v
}

// A lint attribute on the invocation itself does not reach its expansion (rustc: unused
// attribute): clippy still reports these.
fn allowed_on_the_invocation(flag: bool) {
    if flag {
        #[allow(clippy::panic)]
        panic!("still reported"); //~ CX0003
    }
    #[allow(clippy::todo)]
    todo!(); //~ CX0003
}
