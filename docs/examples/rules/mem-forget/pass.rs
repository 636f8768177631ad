use std::mem::ManuallyDrop;

pub fn f(guard: Guard) {
    let _kept = ManuallyDrop::new(guard);
    forget(1);
}

fn forget(_: u8) {}
