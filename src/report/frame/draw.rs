//! Drawing a [`Report`] as text: the header, the margin with line numbers, source lines with
//! their underlines and arrows, spans over several lines, then help and note, each string
//! written through [`terminal`] and coloured only when asked.

use std::cmp::Ordering;
use std::fmt::Write as _;

use anstyle::{Ansi256Color, Style};

use super::{Body, Kind, Line, Report, Span};
use crate::report::summary::{FIXABLE, FIXABLE_STYLE};
use crate::report::terminal::{self, visible};

const MARGIN: Style = Style::new().fg_color(Some(anstyle::Color::Ansi256(Ansi256Color(246))));
const SKIPPED: Style = Style::new().fg_color(Some(anstyle::Color::Ansi256(Ansi256Color(240))));
const UNIMPORTANT: Style = Style::new().fg_color(Some(anstyle::Color::Ansi256(Ansi256Color(249))));
const NOTE: Style = Style::new().fg_color(Some(anstyle::Color::Ansi256(Ansi256Color(115))));

/// Text being drawn, with or without colours.
struct Canvas {
    out: String,
    color: bool,
    /// The colour of the report's kind, for its header and its labels.
    accent: Style,
}

impl Canvas {
    fn paint(&mut self, style: Style, text: &str) {
        if self.color {
            let _ = write!(self.out, "{}{text}{}", style.render(), style.render_reset());
        } else {
            self.out.push_str(text);
        }
    }

    fn push(&mut self, text: &str) {
        self.out.push_str(text);
    }
}

/// Draws `report`; the text ends with a newline.
pub(in crate::report) fn draw(report: &Report<'_>, color: bool) -> String {
    let mut canvas = Canvas {
        out: String::new(),
        color,
        accent: report.kind.style(),
    };
    let width = digits(match &report.body {
        Body::Message(_) => 1,
        Body::Source(span, lines) => lines
            .last()
            .map(|line| line.number)
            .or(span.as_ref().map(|span| span.last.0))
            .unwrap_or(1),
    });
    let margin = Margin {
        blank: " ".repeat(width + 2),
        width,
    };
    draw_header(&mut canvas, &margin, report);
    let extra = draw_body(&mut canvas, &margin, &report.body);
    let notes = [("Help", report.help), ("Note", report.note)];
    if notes.iter().any(|(_, text)| text.is_some()) {
        margin.open(&mut canvas, extra);
        canvas.push("\n");
    }
    for (word, text) in notes {
        let Some(text) = text else { continue };
        for (i, line) in text.lines().enumerate() {
            margin.open(&mut canvas, extra);
            if i == 0 {
                canvas.paint(NOTE, word);
                let _ = writeln!(canvas.out, ": {}", visible(line));
            } else {
                let _ = writeln!(canvas.out, "      {}", visible(line));
            }
        }
    }
    canvas.paint(MARGIN, &format!("{}╯", "─".repeat(width + 2)));
    canvas.push("\n");
    canvas.out
}

/// `[CODE] Kind: title`, then the location.
fn draw_header(canvas: &mut Canvas, margin: &Margin, report: &Report<'_>) {
    let kind = match report.kind {
        Kind::Error => "Error",
        Kind::Warning => "Warning",
        Kind::Advice => "Advice",
    };
    let id = match report.code {
        Some(code) => format!("[{}] {kind}:", visible(code)),
        None => format!("{kind}:"),
    };
    canvas.paint(canvas.accent, &id);
    if report.fixable {
        canvas.push(" ");
        canvas.paint(FIXABLE_STYLE, FIXABLE);
    }
    let _ = writeln!(canvas.out, " {}", visible(report.title));
    canvas.push(&margin.blank);
    canvas.paint(MARGIN, "╭─[");
    let _ = write!(
        canvas.out,
        " {}:{}:{} ",
        visible(report.path),
        report.line,
        report.column
    );
    canvas.paint(MARGIN, "]");
    canvas.push("\n");
    canvas.push(&margin.blank);
    canvas.paint(MARGIN, "│");
    canvas.push("\n");
}

/// The message or the labelled lines; returns the room a span's arrow takes in the margin of
/// the rows after it.
fn draw_body(canvas: &mut Canvas, margin: &Margin, body: &Body<'_>) -> &'static str {
    match body {
        Body::Message(message) => {
            margin.open(canvas, "");
            let _ = writeln!(canvas.out, "{}", visible(message));
            ""
        }
        Body::Source(span, lines) => {
            if let Some(span) = span {
                draw_span(canvas, margin, span);
            }
            let extra = if span.is_some() { "    " } else { "" };
            let mut previous = span.as_ref().map(|span| span.last.0);
            for line in lines {
                // Lines in between are not shown: one blank row says so.
                if previous.is_some_and(|previous| line.number > previous.saturating_add(1)) {
                    margin.open(canvas, extra);
                    canvas.push("\n");
                }
                previous = Some(line.number);
                draw_line(canvas, margin, extra, line);
            }
            extra
        }
    }
}

/// The left margin: blank, or with a line number, always followed by `│ `.
struct Margin {
    blank: String,
    width: usize,
}

impl Margin {
    /// A margin without a line number, then `extra` (the room of a span's arrow).
    fn open(&self, canvas: &mut Canvas, extra: &str) {
        canvas.push(&self.blank);
        canvas.paint(MARGIN, "│");
        canvas.push(" ");
        canvas.push(extra);
    }

    fn numbered(&self, canvas: &mut Canvas, number: usize) {
        canvas.push(" ");
        canvas.paint(MARGIN, &format!("{number:>width$} │", width = self.width));
        canvas.push(" ");
    }
}

/// A labelled line: the source, the underline, the arrow and the message.
fn draw_line(canvas: &mut Canvas, margin: &Margin, extra: &str, line: &Line<'_>) {
    let label = &line.label;
    margin.numbered(canvas, line.number);
    canvas.push(extra);
    let cells = draw_text(canvas, line.text, label.start..label.end);
    let cell = |column: usize| cells.get(column).copied().unwrap_or(1);
    let reach = label.end + 2;
    let attach = usize::midpoint(label.start, label.end);
    let mut row = String::new();
    for column in 0..reach {
        let under = (label.start..label.end).contains(&column);
        let (head, tail) = match (column == attach, under) {
            (true, true) => ('┬', '─'),
            (true, false) => ('│', ' '),
            (false, true) => ('─', '─'),
            (false, false) => (' ', ' '),
        };
        fill(&mut row, head, tail, cell(column));
    }
    // Blanks around the mark stay unpainted: one colour span per row.
    let painted = |canvas: &mut Canvas, row: &str| {
        let after = row.trim_end_matches(' ');
        let mark = after.trim_start_matches(' ');
        canvas.push(&after[..after.len() - mark.len()]);
        canvas.paint(canvas.accent, mark);
        canvas.push(&row[after.len()..]);
    };
    margin.open(canvas, extra);
    painted(canvas, &row);
    canvas.push("\n");
    row.clear();
    for column in 0..reach {
        let (head, tail) = match column.cmp(&attach) {
            Ordering::Less => (' ', ' '),
            Ordering::Equal => ('╰', '─'),
            Ordering::Greater => ('─', '─'),
        };
        fill(&mut row, head, tail, cell(column));
    }
    margin.open(canvas, extra);
    painted(canvas, &row);
    let _ = writeln!(canvas.out, " {}", visible(label.message));
}

/// A label over several lines: its first and last lines with an arrow in the margin.
fn draw_span(canvas: &mut Canvas, margin: &Margin, span: &Span<'_>) {
    let (first, first_text, start) = span.first;
    let (last, last_text, end) = span.last;
    margin.numbered(canvas, first);
    canvas.push("╭─▶ ");
    draw_text(canvas, first_text, start..usize::MAX);
    if last > first + 1 {
        canvas.push(&margin.blank);
        canvas.paint(SKIPPED, "┆");
        canvas.push(" ┆   \n");
    }
    margin.numbered(canvas, last);
    canvas.push("├─▶ ");
    let cells = draw_text(canvas, last_text, 0..end);
    // As far as the last line reaches, its line break included when the label covers it.
    let len = last_text.chars().count();
    let reach = cells.iter().sum::<usize>() + len - cells.len() + 2 + usize::from(end > len);
    margin.open(canvas, "│   ");
    canvas.push(&" ".repeat(reach));
    canvas.push("\n");
    margin.open(canvas, "╰───");
    canvas.push(&"─".repeat(reach));
    let _ = writeln!(canvas.out, " {}", visible(span.message));
}

/// Writes `head` then `tail` to fill `width` columns.
fn fill(out: &mut String, head: char, tail: char, width: usize) {
    if width > 0 {
        out.push(head);
        out.extend(std::iter::repeat_n(tail, width - 1));
    }
}

/// Writes a source line without its trailing blanks, every character shown safely, those in
/// `highlight` in the default colour and the others dimmed; returns each character's width.
fn draw_text(canvas: &mut Canvas, text: &str, highlight: std::ops::Range<usize>) -> Vec<usize> {
    let text = text.trim_end_matches([' ', '\t']);
    let mut cells = Vec::with_capacity(text.len());
    let mut column = 0;
    let mut segment = String::new();
    let mut lit = false;
    for (i, c) in text.chars().enumerate() {
        let now = highlight.contains(&i);
        if now != lit && !segment.is_empty() {
            paint_segment(canvas, lit, &segment);
            segment.clear();
        }
        lit = now;
        let width = terminal::width(c, column);
        terminal::push(&mut segment, c, column);
        cells.push(width);
        column += width;
    }
    paint_segment(canvas, lit, &segment);
    canvas.push("\n");
    cells
}

fn paint_segment(canvas: &mut Canvas, lit: bool, segment: &str) {
    if lit || segment.is_empty() {
        canvas.push(segment);
    } else {
        canvas.paint(UNIMPORTANT, segment);
    }
}

/// Digits of `number`, at least one.
fn digits(number: usize) -> usize {
    number.checked_ilog10().map_or(1, |log| log as usize + 1)
}
