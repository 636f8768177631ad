fn main() {
    let a: Option<u8> = Some(1);
    let _ = a.unwrap();                              // 1 unwrap
    let r: Result<u8, u8> = Err(2);
    let _ = r.unwrap_err();                          // 2 unwrap_err
    let _ = a.expect("msg");                         // 3 expect
    let _ = r.expect_err(&format!("{}", 1));         // 4 expect_err
    let _ = foo().bar.unwrap();                      // 5 unwrap on a field
    if false { panic!("boom {}", 1); }               // 6 panic!
    if false { todo!() }                             // 7 todo!
    if false { unimplemented!("later") }             // 8 unimplemented!
    let _ = a.unwrap_or(0);                          // not flagged
    let _ = expect(1);                               // not flagged (free fn)
    println!("{}", 1);                               // not flagged
    if false { std::panic!("qualified") }            // 10 std::panic!
    if false { core::todo!() }                       // 11 core::todo!
    let v = vec![Some(1)];
    let _ = v.iter().map(|x| x.unwrap()).count();    // 9 unwrap in closure
}
