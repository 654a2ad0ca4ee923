//! A reader for the part of TOML that Cargo manifests use.
//!
//! The macros only need to know under which name a crate depends on eddy, so this reader does not
//! build a tree: it flattens the document into a list of [`Entry`]s, each a full key path (table
//! header, dotted keys and inline-table keys joined) and a value. A table header or an inline
//! table is recorded as an entry of its own with [`Value::Table`], so that `[dependencies.eddy]`
//! with nothing under it still says "there is a dependency called `eddy`".
//!
//! What it understands: comments, `[table]` and `[[array]]` headers, bare, quoted and dotted keys,
//! basic and literal strings (single- and multi-line, with escapes), inline tables (nested,
//! spread over lines, trailing commas), arrays (whose elements are read and dropped) and bare
//! scalars (booleans are kept, numbers and dates are recorded as [`Value::Other`]). Anything it
//! cannot read makes [`parse`] return `None`; the caller then falls back to a default, which is
//! the safe choice because Cargo has already rejected manifests that are not valid TOML.

/// The value at the end of a key path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Value {
    /// A string, with its escapes resolved.
    Str(String),
    /// `true` or `false`.
    Bool(bool),
    /// A table header or an inline table; its keys follow as entries of their own.
    Table,
    /// Anything else: numbers, dates, arrays.
    Other,
}

/// One key path and the value found there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Entry {
    /// The full key: table header parts, then the (dotted) key parts.
    pub(crate) key: Vec<String>,
    /// What the key is set to.
    pub(crate) value: Value,
}

/// Reads `text` into its flat list of entries, in document order, or `None` if it is not TOML
/// this reader understands.
pub(crate) fn parse(text: &str) -> Option<Vec<Entry>> {
    let mut reader = Reader {
        bytes: text.as_bytes(),
        pos: 0,
        entries: Vec::new(),
    };
    reader.document()?;
    Some(reader.entries)
}

/// The cursor over the document. Scanning bytes is sound for UTF-8 input because every byte TOML
/// gives meaning to is ASCII, and ASCII bytes never occur inside a multi-byte character.
struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
    entries: Vec<Entry>,
}

impl Reader<'_> {
    fn document(&mut self) -> Option<()> {
        let mut table = Vec::new();
        loop {
            self.skip_trivia();
            match self.peek() {
                None => return Some(()),
                Some(b'[') => {
                    table = self.header()?;
                    self.record(Some(&table), Value::Table);
                }
                Some(_) => self.key_value(Some(&table))?,
            }
            self.end_of_line()?;
        }
    }

    /// `[a.b]` or `[[a.b]]`; entries of an array of tables are filed under the header's key.
    fn header(&mut self) -> Option<Vec<String>> {
        self.expect(b'[')?;
        let array = self.eat(b'[');
        self.skip_spaces();
        let key = self.key()?;
        self.expect(b']')?;
        if array {
            self.expect(b']')?;
        }
        Some(key)
    }

    /// `key = value`, recorded under `table` unless `table` is `None` (inside an array).
    fn key_value(&mut self, table: Option<&[String]>) -> Option<()> {
        let key = self.key()?;
        self.expect(b'=')?;
        self.skip_spaces();
        let full = table.map(|table| [table, key.as_slice()].concat());
        self.value(full.as_deref())
    }

    /// A dotted key; leaves the cursor after the spaces that follow it.
    fn key(&mut self) -> Option<Vec<String>> {
        let mut parts = vec![self.simple_key()?];
        loop {
            self.skip_spaces();
            if !self.eat(b'.') {
                return Some(parts);
            }
            self.skip_spaces();
            parts.push(self.simple_key()?);
        }
    }

    fn simple_key(&mut self) -> Option<String> {
        match self.peek()? {
            b'"' | b'\'' => self.string(),
            _ => {
                let start = self.pos;
                while self.peek().is_some_and(is_bare_key_byte) {
                    self.pos += 1;
                }
                (self.pos > start).then(|| self.text_since(start))
            }
        }
    }

    fn value(&mut self, key: Option<&[String]>) -> Option<()> {
        let value = match self.peek()? {
            b'"' | b'\'' => Value::Str(self.string()?),
            b'{' => return self.inline_table(key),
            b'[' => {
                self.array()?;
                Value::Other
            }
            _ => match self.bare_scalar()?.as_str() {
                "true" => Value::Bool(true),
                "false" => Value::Bool(false),
                _ => Value::Other,
            },
        };
        self.record(key, value);
        Some(())
    }

    fn inline_table(&mut self, key: Option<&[String]>) -> Option<()> {
        self.expect(b'{')?;
        self.record(key, Value::Table);
        loop {
            self.skip_trivia();
            if self.eat(b'}') {
                return Some(());
            }
            self.key_value(key)?;
            self.skip_trivia();
            if !self.eat(b',') {
                return self.expect(b'}');
            }
        }
    }

    /// Reads an array and drops its elements: no dependency information lives in arrays.
    fn array(&mut self) -> Option<()> {
        self.expect(b'[')?;
        loop {
            self.skip_trivia();
            if self.eat(b']') {
                return Some(());
            }
            self.value(None)?;
            self.skip_trivia();
            if !self.eat(b',') {
                return self.expect(b']');
            }
        }
    }

    /// A number, boolean or date: everything up to the next delimiter.
    fn bare_scalar(&mut self) -> Option<String> {
        let start = self.pos;
        while self
            .peek()
            .is_some_and(|byte| !b" \t\r\n,]}#".contains(&byte))
        {
            self.pos += 1;
        }
        (self.pos > start).then(|| self.text_since(start))
    }

    fn string(&mut self) -> Option<String> {
        let quote = self.peek()?;
        let multi_line = self.bytes[self.pos..].starts_with(&[quote; 3]);
        self.pos += if multi_line { 3 } else { 1 };
        if multi_line {
            // A newline right after the opening delimiter is not part of the string.
            self.eat(b'\r');
            self.eat(b'\n');
        }
        let mut out = Vec::new();
        loop {
            let byte = self.bump()?;
            if byte == quote && self.closes(quote, multi_line, &mut out) {
                return String::from_utf8(out).ok();
            }
            match byte {
                b'\\' if quote == b'"' => self.escape(multi_line, &mut out)?,
                b'\n' if !multi_line => return None,
                _ => out.push(byte),
            }
        }
    }

    /// Called after a quote inside a string: whether it ends the string. A multi-line string ends
    /// at three quotes, and up to two more quotes right before them belong to its content (added
    /// here); a quote that does not end the string is left for the caller to add.
    fn closes(&mut self, quote: u8, multi_line: bool, out: &mut Vec<u8>) -> bool {
        if !multi_line {
            return true;
        }
        let run = 1 + self.bytes[self.pos..]
            .iter()
            .take_while(|&&byte| byte == quote)
            .count();
        if run < 3 {
            return false;
        }
        out.extend(std::iter::repeat(quote).take(run.min(5) - 3));
        self.pos += run.min(5) - 1;
        true
    }

    /// The escape after a backslash in a basic string.
    fn escape(&mut self, multi_line: bool, out: &mut Vec<u8>) -> Option<()> {
        let byte = self.bump()?;
        let simple = match byte {
            b'b' => Some('\u{8}'),
            b't' => Some('\t'),
            b'n' => Some('\n'),
            b'f' => Some('\u{c}'),
            b'r' => Some('\r'),
            b'e' => Some('\u{1b}'),
            b'"' => Some('"'),
            b'\\' => Some('\\'),
            _ => None,
        };
        let decoded = match (simple, byte) {
            (Some(character), _) => character,
            (None, b'x') => self.hex_char(2)?,
            (None, b'u') => self.hex_char(4)?,
            (None, b'U') => self.hex_char(8)?,
            (None, b' ' | b'\t' | b'\r' | b'\n') if multi_line => {
                // A line-ending backslash swallows the newline and the whitespace after it.
                self.pos -= 1;
                self.skip_trivia_without_comments();
                return Some(());
            }
            _ => return None,
        };
        let mut buffer = [0; 4];
        out.extend_from_slice(decoded.encode_utf8(&mut buffer).as_bytes());
        Some(())
    }

    fn hex_char(&mut self, digits: usize) -> Option<char> {
        let hex = self.bytes.get(self.pos..self.pos + digits)?;
        self.pos += digits;
        let code = u32::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()?;
        char::from_u32(code)
    }

    /// After a header or key-value: only spaces and a comment may remain on the line.
    fn end_of_line(&mut self) -> Option<()> {
        self.skip_spaces();
        self.skip_comment();
        self.eat(b'\r');
        (self.eat(b'\n') || self.peek().is_none()).then_some(())
    }

    /// Whitespace, newlines and comments.
    fn skip_trivia(&mut self) {
        loop {
            self.skip_trivia_without_comments();
            if self.peek() != Some(b'#') {
                return;
            }
            self.skip_comment();
        }
    }

    fn skip_trivia_without_comments(&mut self) {
        while self.peek().is_some_and(|byte| b" \t\r\n".contains(&byte)) {
            self.pos += 1;
        }
    }

    fn skip_spaces(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.pos += 1;
        }
    }

    fn skip_comment(&mut self) {
        if self.peek() == Some(b'#') {
            while self.peek().is_some_and(|byte| byte != b'\n') {
                self.pos += 1;
            }
        }
    }

    fn record(&mut self, key: Option<&[String]>, value: Value) {
        if let Some(key) = key {
            self.entries.push(Entry {
                key: key.to_vec(),
                value,
            });
        }
    }

    fn text_since(&self, start: usize) -> String {
        String::from_utf8_lossy(&self.bytes[start..self.pos]).into_owned()
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn bump(&mut self) -> Option<u8> {
        let byte = self.peek()?;
        self.pos += 1;
        Some(byte)
    }

    fn eat(&mut self, byte: u8) -> bool {
        let found = self.peek() == Some(byte);
        if found {
            self.pos += 1;
        }
        found
    }

    fn expect(&mut self, byte: u8) -> Option<()> {
        self.eat(byte).then_some(())
    }
}

fn is_bare_key_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_'
}

#[cfg(test)]
mod tests;
