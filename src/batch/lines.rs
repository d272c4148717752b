//! Reading a stream line by line without trusting it: a line longer than
//! the limit is skipped over, not held in memory, and a reader about to
//! wait for more input says so first, so that a caller talking to thresh
//! one line at a time gets its answers before it sends the next line.

use super::error::Cause;
use std::io::{self, BufRead, BufReader, Read};

/// The reader's buffer: large enough that reads are few.
const BUFFER: usize = 256 << 10;

/// One line of input, numbered from 1, without its `\n` or `\r\n`.
#[derive(Debug)]
pub struct Line {
    /// The line number.
    pub number: u64,
    /// The bytes, or why they were not kept.
    pub bytes: Result<Vec<u8>, Cause>,
}

/// The lines of a stream. Ends at the end of input or at the first read
/// error, which [`Lines::take_error`] then returns.
pub struct Lines<R, W> {
    reader: BufReader<R>,
    limit: usize,
    number: u64,
    error: Option<io::Error>,
    waiting: W,
}

impl<R: Read, W: FnMut(bool)> Lines<R, W> {
    /// Lines of `reader` of at most `limit` bytes. `waiting(true)` is called
    /// before a read that may block, `waiting(false)` after it.
    pub fn new(reader: R, limit: usize, waiting: W) -> Self {
        Lines {
            reader: BufReader::with_capacity(BUFFER, reader),
            limit,
            number: 0,
            error: None,
            waiting,
        }
    }

    /// The read error that ended the lines, if one did.
    pub fn take_error(&mut self) -> Option<io::Error> {
        self.error.take()
    }

    fn fill(&mut self) -> io::Result<&[u8]> {
        let idle = self.reader.buffer().is_empty();
        if idle {
            (self.waiting)(true);
        }
        let filled = self.reader.fill_buf();
        if idle {
            (self.waiting)(false);
        }
        filled
    }

    /// The next line, `None` at the end of input; keeps at most `limit + 1`
    /// bytes of it.
    fn read_line(&mut self) -> io::Result<Option<(Vec<u8>, u64)>> {
        let mut line = Vec::new();
        let mut size = 0u64;
        let mut started = false;
        loop {
            let limit = self.limit as u64;
            let buf = self.fill()?;
            if buf.is_empty() {
                return Ok(started.then_some((line, size)));
            }
            started = true;
            let end = memchr::memchr(b'\n', buf);
            let chunk = &buf[..end.unwrap_or(buf.len())];
            size += chunk.len() as u64;
            if size <= limit {
                line.extend_from_slice(chunk);
            } else {
                line = Vec::new();
            }
            let used = chunk.len() + usize::from(end.is_some());
            self.reader.consume(used);
            if end.is_some() {
                return Ok(Some((line, size)));
            }
        }
    }
}

impl<R: Read, W: FnMut(bool)> Iterator for Lines<R, W> {
    type Item = Line;

    fn next(&mut self) -> Option<Line> {
        let (mut line, size) = match self.read_line() {
            Ok(line) => line?,
            Err(e) => {
                self.error = Some(e);
                return None;
            }
        };
        self.number += 1;
        if line.last() == Some(&b'\r') {
            line.pop();
        }
        let bytes = if size > self.limit as u64 {
            Err(Cause::TooLarge {
                size,
                limit: self.limit,
            })
        } else {
            Ok(line)
        };
        Some(Line {
            number: self.number,
            bytes,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(input: &[u8], limit: usize) -> Vec<(u64, Result<String, String>)> {
        Lines::new(input, limit, |_| {})
            .map(|line| {
                let text = line
                    .bytes
                    .map(|b| String::from_utf8(b).unwrap())
                    .map_err(|e| e.to_string());
                (line.number, text)
            })
            .collect()
    }

    #[test]
    fn splits_on_newlines_and_drops_carriage_returns() {
        let got = lines(b"a\r\nbb\n\nlast", 10);
        let want = ["a", "bb", "", "last"];
        assert_eq!(got.len(), want.len());
        for (i, (number, text)) in got.into_iter().enumerate() {
            assert_eq!(number, i as u64 + 1);
            assert_eq!(text.unwrap(), want[i]);
        }
    }

    #[test]
    fn a_line_over_the_limit_is_an_error_and_the_next_line_survives() {
        let got = lines(b"short\nmuch too long\nok\n", 5);
        assert_eq!(got[0].1.as_deref(), Ok("short"));
        assert!(got[1].1.as_ref().unwrap_err().contains("13 bytes"));
        assert_eq!(got[2].1.as_deref(), Ok("ok"));
        assert_eq!(got.len(), 3);
    }

    #[test]
    fn reports_waiting_around_reads_that_may_block() {
        let mut calls = Vec::new();
        let count = Lines::new(&b"a\nb\n"[..], 10, |w| calls.push(w)).count();
        assert_eq!(count, 2);
        assert_eq!(calls.first(), Some(&true));
        assert_eq!(calls.len() % 2, 0);
    }
}
