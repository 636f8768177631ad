pub unsafe fn read(p: *const u8) -> u8 {
    // SAFETY: the caller guarantees that `p` is valid for reads.
    unsafe { *p }
}

pub trait Raw {
    unsafe fn raw(&self) -> u8;
}
