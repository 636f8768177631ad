pub fn key(line: &str) -> &str {
    for (i, c) in line.chars().enumerate() { //~ EX0004
        if c == '=' {
            return &line[..i];
        }
    }
    line
}
