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
