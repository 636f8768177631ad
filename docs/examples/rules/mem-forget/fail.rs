use std::mem;
use std::mem::forget as leak;

pub fn f(guard: Guard, buf: Vec<u8>) {
    mem::forget(guard); //~ EX0002
    leak(buf); //~ EX0002
    core::mem::forget(1); //~ EX0002
}
