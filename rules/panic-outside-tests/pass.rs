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
