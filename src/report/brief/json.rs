//! The brief as its JSON document, pretty-printed: its serde shape is the contract
//! (`schemas/review-v1.schema.json`).

use std::io::{self, Write};

use crate::review::Brief;

pub(super) fn render(writer: &mut dyn Write, brief: &Brief) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *writer, brief)?;
    writeln!(writer)
}

/// Bytes of [`render`]'s output, counted without keeping it.
pub(super) fn size(brief: &Brief) -> usize {
    let mut counter = Counter(0);
    // Writing to a counter cannot fail.
    let _ = render(&mut counter, brief);
    counter.0
}

/// A writer that only counts.
struct Counter(usize);

impl Write for Counter {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.0 += bytes.len();
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}
