fn main() {
    std::env::set_var("RUST_LOG", "info");
    run();
}
