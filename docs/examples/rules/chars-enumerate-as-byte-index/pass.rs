pub fn key(line: &str) -> &str {
    for (i, c) in line.char_indices() {
        if c == '=' {
            return &line[..i];
        }
    }
    line
}
