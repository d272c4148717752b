//! What the caller hands the pipeline: bytes plus optional hints.

/// Whether the input is an HTML page or text a scraper already extracted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum InputKind {
    /// Decide from the content: markup at the start means HTML.
    #[default]
    Auto,
    /// Extracted text, one block per line.
    Text,
    /// A raw HTML page.
    Html,
}

/// One document to clean: its bytes and whatever the caller knows about them.
///
/// ```
/// use thresh::{Input, InputKind};
/// let input = Input::new(b"Hello, world.")
///     .url("https://example.com/news/1")
///     .charset("utf-8")
///     .kind(InputKind::Text);
/// assert_eq!(input.bytes(), b"Hello, world.");
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Input<'a> {
    bytes: &'a [u8],
    url: Option<&'a str>,
    charset: Option<&'a str>,
    kind: InputKind,
}

impl<'a> Input<'a> {
    /// Raw bytes in any encoding.
    pub fn new(bytes: &'a [u8]) -> Self {
        Input {
            bytes,
            url: None,
            charset: None,
            kind: InputKind::Auto,
        }
    }

    /// The document's URL: it becomes metadata and helps guess a legacy charset.
    pub fn url(mut self, url: &'a str) -> Self {
        self.url = Some(url);
        self
    }

    /// A transport charset, such as the one in an HTTP `Content-Type` header.
    pub fn charset(mut self, label: &'a str) -> Self {
        self.charset = Some(label);
        self
    }

    /// Overrides the pipeline's input kind for this document.
    pub fn kind(mut self, kind: InputKind) -> Self {
        self.kind = kind;
        self
    }

    /// The raw bytes.
    pub fn bytes(&self) -> &'a [u8] {
        self.bytes
    }

    /// The URL, if given.
    pub fn url_hint(&self) -> Option<&'a str> {
        self.url
    }

    /// The transport charset label, if given.
    pub fn charset_hint(&self) -> Option<&'a str> {
        self.charset
    }

    /// The kind, [`InputKind::Auto`] unless set.
    pub fn input_kind(&self) -> InputKind {
        self.kind
    }
}

impl<'a> From<&'a str> for Input<'a> {
    fn from(text: &'a str) -> Self {
        Input::new(text.as_bytes())
    }
}

impl<'a> From<&'a [u8]> for Input<'a> {
    fn from(bytes: &'a [u8]) -> Self {
        Input::new(bytes)
    }
}
