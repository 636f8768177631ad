pub unsafe fn read(p: *const u8) -> u8 { //~ EX0003
    *p
}
