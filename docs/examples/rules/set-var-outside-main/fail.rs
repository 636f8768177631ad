use std::env;

pub fn configure(tz: &str) {
    env::set_var("TZ", tz); //~ EX0005
    std::env::remove_var("LANG"); //~ EX0005
}
