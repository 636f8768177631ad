//! The wire: JSON-RPC messages framed by `Content-Length` headers over a byte stream, read on a
//! thread of their own and written by the caller.
//!
//! `lsp-server` gives the message types; its own stdio reader is not used, because it ends the
//! connection at the first payload that is not valid JSON and allocates whatever
//! `Content-Length` claims. Here a header line, a message and the headers of one message are
//! bounded; a payload that is too large is skipped without being held; and a payload that is
//! not JSON, or not a message, is answered with a JSON-RPC error while the connection goes on.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::thread;

use lsp_server::{ErrorCode, Message, Notification, Request, RequestId};
use serde_json::Value;

/// Longest header line read, in bytes.
const MAX_HEADER_LINE: u64 = 8 << 10;

/// Most header lines in front of one message.
const MAX_HEADERS: usize = 32;

/// Largest message read, in bytes: twice the default `max_file_size`, so that a buffer the
/// engine would check, JSON-escaped, fits. A larger message is skipped and answered with an
/// error.
pub(crate) const MAX_MESSAGE: usize = 64 << 20;

/// Messages read ahead of the main loop; the reader waits when they are not taken.
const QUEUE: usize = 16;

/// What the reader hands to the main loop.
#[derive(Debug)]
pub(crate) enum Incoming {
    /// A well-formed request or notification.
    Message(Message),
    /// The client's answer to a request of the server's; what it says is not used.
    Response,
    /// Something that could not be read as a message: answered with `code`, under the request's
    /// `id` when one could be read (JSON `null` otherwise).
    Invalid {
        /// The `id` of the request, if one could be read.
        id: Option<Value>,
        /// The JSON-RPC error code.
        code: ErrorCode,
        /// What was wrong.
        message: String,
    },
}

/// Starts reading messages from `input` on a thread; the channel closes at the end of the
/// input, when the input fails, or after an `exit` notification.
///
/// # Errors
///
/// When the thread cannot be started.
pub(crate) fn spawn_reader(input: impl Read + Send + 'static) -> io::Result<Receiver<Incoming>> {
    let (sender, receiver) = sync_channel(QUEUE);
    thread::Builder::new()
        .name("codex-lsp-reader".to_owned())
        .spawn(move || read_all(BufReader::new(input), &sender))?;
    Ok(receiver)
}

fn read_all(mut input: impl BufRead, sender: &SyncSender<Incoming>) {
    while let Ok(Some(frame)) = read_frame(&mut input) {
        let incoming = match frame {
            Frame::Body(body) => decode(&body),
            Frame::Bad(message) => Incoming::Invalid {
                id: None,
                code: ErrorCode::ParseError,
                message,
            },
        };
        let is_exit =
            matches!(&incoming, Incoming::Message(Message::Notification(n)) if n.method == "exit");
        if sender.send(incoming).is_err() || is_exit {
            return;
        }
    }
}

/// One framed payload, or why it could not be taken.
enum Frame {
    Body(Vec<u8>),
    Bad(String),
}

/// Reads the next frame; `None` at the end of the input.
fn read_frame(input: &mut impl BufRead) -> io::Result<Option<Frame>> {
    let mut length: Option<Result<usize, String>> = None;
    let mut problem = None;
    let mut lines = 0;
    loop {
        let mut line = Vec::new();
        let read = input
            .by_ref()
            .take(MAX_HEADER_LINE)
            .read_until(b'\n', &mut line)?;
        if read == 0 {
            return Ok(None);
        }
        if line.last() != Some(&b'\n') {
            // Skip the rest of an overlong line.
            skip_line(input)?;
            lines += 1;
            problem.get_or_insert_with(|| "a header line is too long".to_owned());
            continue;
        }
        let line = String::from_utf8_lossy(&line);
        let line = line.trim_end_matches(['\r', '\n']);
        if line.is_empty() {
            if lines == 0 {
                // Blank lines between messages are tolerated.
                continue;
            }
            break;
        }
        lines += 1;
        if lines > MAX_HEADERS {
            problem.get_or_insert_with(|| "too many header lines".to_owned());
            continue;
        }
        let Some((name, value)) = line.split_once(':') else {
            problem.get_or_insert_with(|| format!("malformed header `{}`", shorten(line)));
            continue;
        };
        if name.trim().eq_ignore_ascii_case("Content-Length") {
            length = Some(value.trim().parse::<usize>().map_err(|_| {
                format!(
                    "`Content-Length: {}` is not a length",
                    shorten(value.trim())
                )
            }));
        }
    }
    let length = match length {
        Some(Ok(length)) => length,
        Some(Err(message)) => return Ok(Some(Frame::Bad(message))),
        None => {
            let message = problem.unwrap_or_else(|| "no Content-Length header".to_owned());
            return Ok(Some(Frame::Bad(message)));
        }
    };
    if length > MAX_MESSAGE {
        io::copy(&mut input.by_ref().take(length as u64), &mut io::sink())?;
        return Ok(Some(Frame::Bad(format!(
            "a message of {length} bytes is over the {MAX_MESSAGE}-byte limit; it was skipped"
        ))));
    }
    let mut body = vec![0; length];
    input.read_exact(&mut body)?;
    Ok(Some(match problem {
        Some(message) => Frame::Bad(message),
        None => Frame::Body(body),
    }))
}

/// Discards input up to and including the next line break.
fn skip_line(input: &mut impl BufRead) -> io::Result<()> {
    loop {
        let buffer = input.fill_buf()?;
        if buffer.is_empty() {
            return Ok(());
        }
        if let Some(at) = memchr::memchr(b'\n', buffer) {
            input.consume(at + 1);
            return Ok(());
        }
        let all = buffer.len();
        input.consume(all);
    }
}

/// The first characters of a header, for an error message.
fn shorten(text: &str) -> String {
    text.chars().take(40).collect()
}

/// A payload as a message, or the error to answer it with.
fn decode(body: &[u8]) -> Incoming {
    match serde_json::from_slice::<Value>(body) {
        Ok(value) => check_message(value).unwrap_or_else(|invalid| invalid),
        Err(error) => Incoming::Invalid {
            id: None,
            code: ErrorCode::ParseError,
            message: format!("the message is not JSON: {error}"),
        },
    }
}

/// Checks that `value` is a message the protocol allows (an object; an `id` that is a 32-bit
/// integer or a string; a `method` string, or a `result` or `error`) and takes it apart; the
/// error to answer it with otherwise.
fn check_message(value: Value) -> Result<Incoming, Incoming> {
    let invalid = |id: Option<Value>, message: String| Incoming::Invalid {
        id,
        code: ErrorCode::InvalidRequest,
        message,
    };
    let Value::Object(mut fields) = value else {
        return Err(invalid(None, "a message must be a JSON object".to_owned()));
    };
    let id = match fields.remove("id") {
        None => None,
        Some(Value::String(id)) => Some(RequestId::from(id)),
        Some(other) => {
            let Some(n) = other.as_i64().and_then(|n| i32::try_from(n).ok()) else {
                let shown = shorten(&other.to_string());
                return Err(invalid(None, format!("`{shown}` is not a request id")));
            };
            Some(RequestId::from(n))
        }
    };
    let answer_id = id.as_ref().and_then(|id| serde_json::to_value(id).ok());
    let params = fields.remove("params").unwrap_or(Value::Null);
    match (fields.remove("method"), id) {
        (Some(Value::String(method)), Some(id)) => {
            Ok(Incoming::Message(Message::Request(Request {
                id,
                method,
                params,
            })))
        }
        (Some(Value::String(method)), None) => {
            Ok(Incoming::Message(Message::Notification(Notification {
                method,
                params,
            })))
        }
        (None, Some(_)) if fields.contains_key("result") || fields.contains_key("error") => {
            Ok(Incoming::Response)
        }
        _ => Err(invalid(
            answer_id,
            "a message needs a `method` string".to_owned(),
        )),
    }
}

/// Writes framed messages.
pub(crate) struct Writer {
    output: Box<dyn Write>,
}

impl Writer {
    /// A writer onto `output`.
    pub(crate) fn new(output: Box<dyn Write>) -> Self {
        Writer { output }
    }

    /// Sends one message.
    ///
    /// # Errors
    ///
    /// When the output fails (the client went away).
    pub(crate) fn send(&mut self, message: impl Into<Message>) -> io::Result<()> {
        message.into().write(&mut self.output)
    }

    /// Sends an error response under `id` (JSON `null` when there is none).
    ///
    /// # Errors
    ///
    /// When the output fails.
    pub(crate) fn send_error(
        &mut self,
        id: Option<Value>,
        code: ErrorCode,
        message: &str,
    ) -> io::Result<()> {
        let body = serde_json::json!({
            "jsonrpc": "2.0",
            "id": id.unwrap_or(Value::Null),
            "error": { "code": code as i32, "message": message },
        });
        let text = body.to_string();
        write!(self.output, "Content-Length: {}\r\n\r\n{text}", text.len())?;
        self.output.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(input: &[u8]) -> Vec<Incoming> {
        let mut reader = BufReader::new(input);
        let mut out = Vec::new();
        while let Ok(Some(frame)) = read_frame(&mut reader) {
            out.push(match frame {
                Frame::Body(body) => decode(&body),
                Frame::Bad(message) => Incoming::Invalid {
                    id: None,
                    code: ErrorCode::ParseError,
                    message,
                },
            });
        }
        out
    }

    fn framed(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    #[test]
    fn bad_payloads_are_answered_and_reading_goes_on() {
        let input = [
            framed(r#"{"jsonrpc":"2.0","id":1,"method":"shutdown"}"#),
            framed("{not json"),
            framed("[1,2]"),
            framed(r#"{"id":{"a":1},"method":"x"}"#),
            framed(r#"{"id":7}"#),
            "Content-Length: many\r\n\r\n".to_owned(),
            format!("X-Long: {}\r\n\r\n", "a".repeat(20_000)),
            framed(r#"{"jsonrpc":"2.0","method":"exit"}"#),
        ]
        .concat();
        let read = frames(input.as_bytes());
        let kinds: Vec<String> = read
            .iter()
            .map(|incoming| match incoming {
                Incoming::Message(Message::Request(r)) => format!("request {}", r.method),
                Incoming::Message(Message::Notification(n)) => format!("notification {}", n.method),
                Incoming::Message(Message::Response(_)) | Incoming::Response => {
                    "response".to_owned()
                }
                Incoming::Invalid { id, code, .. } => format!("invalid {id:?} {}", *code as i32),
            })
            .collect();
        assert_eq!(
            kinds,
            [
                "request shutdown",
                "invalid None -32700",
                "invalid None -32600",
                "invalid None -32600",
                "invalid Some(Number(7)) -32600",
                "invalid None -32700",
                "invalid None -32700",
                "notification exit",
            ]
        );
    }

    #[test]
    fn an_oversized_message_is_skipped_without_being_held() {
        let claimed = MAX_MESSAGE + 10;
        let mut input = format!("Content-Length: {claimed}\r\n\r\n").into_bytes();
        input.resize(input.len() + claimed, b' ');
        input.extend_from_slice(framed(r#"{"method":"initialized"}"#).as_bytes());
        let read = frames(&input);
        assert_eq!(read.len(), 2);
        assert!(matches!(&read[0], Incoming::Invalid { message, .. } if message.contains("limit")));
        assert!(matches!(
            &read[1],
            Incoming::Message(Message::Notification(_))
        ));
        // A length larger than memory, with the input ending early, just ends the stream.
        let huge = format!("Content-Length: {}\r\n\r\n{{", usize::MAX);
        assert_eq!(frames(huge.as_bytes()).len(), 1);
    }
}
