//! `file:` URIs ↔ the paths the workspace names its sources by.

use std::prelude::rust_2021::*;

/// The `file:` URI of the path `path` (absolute, `/`-separated; a Windows path
/// `C:/x` becomes `file:///C:/x`). Bytes outside the unreserved set and `/` are
/// percent-encoded.
pub fn file_uri(path: &str) -> String {
    let mut out = String::from("file://");
    if !path.starts_with('/') {
        out.push('/');
    }
    for byte in path.bytes() {
        let keep = byte.is_ascii_alphanumeric() || b"-._~/:".contains(&byte);
        if keep {
            out.push(char::from(byte));
        } else {
            out.push('%');
            out.push(hex_digit(byte >> 4));
            out.push(hex_digit(byte & 0xF));
        }
    }
    out
}

/// The path of a `file:` URI (`None` for other schemes or a bad encoding). A host
/// part (`file://host/x`) is dropped, and a Windows drive (`/C:/x`) loses its
/// leading slash.
pub fn file_path(uri: &str) -> Option<String> {
    let rest = uri.strip_prefix("file://")?;
    let path = rest.get(rest.find('/')?..)?;
    let path = path.split(['?', '#']).next().unwrap_or(path);
    let decoded = percent_decode(path)?;
    let bytes = decoded.as_bytes();
    let windows_drive = bytes.len() >= 3
        && bytes.get(2) == Some(&b':')
        && bytes.get(1).is_some_and(u8::is_ascii_alphabetic);
    if windows_drive {
        return decoded.get(1..).map(String::from);
    }
    Some(decoded)
}

fn hex_digit(value: u8) -> char {
    char::from(
        b"0123456789ABCDEF"
            .get(usize::from(value))
            .copied()
            .unwrap_or(b'0'),
    )
}

fn percent_decode(text: &str) -> Option<String> {
    let mut bytes = Vec::with_capacity(text.len());
    let mut rest = text.as_bytes();
    while let Some((&byte, tail)) = rest.split_first() {
        if byte == b'%' {
            let high = char::from(*tail.first()?).to_digit(16)?;
            let low = char::from(*tail.get(1)?).to_digit(16)?;
            bytes.push(u8::try_from(high * 16 + low).ok()?);
            rest = tail.get(2..)?;
        } else {
            bytes.push(byte);
            rest = tail;
        }
    }
    String::from_utf8(bytes).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_round_trip_through_uris() {
        for path in ["/srv/k8s/web.yaml", "/a b/ü#1.yaml", "C:/k8s/x.yaml"] {
            assert_eq!(file_path(&file_uri(path)).as_deref(), Some(path), "{path}");
        }
        assert_eq!(file_uri("/a b/x.yaml"), "file:///a%20b/x.yaml");
        assert_eq!(file_uri("C:/x.yaml"), "file:///C:/x.yaml");
    }

    #[test]
    fn other_schemes_and_bad_encodings_have_no_path() {
        assert_eq!(file_path("untitled:Untitled-1"), None);
        assert_eq!(file_path("file:///x%zz"), None);
        assert_eq!(
            file_path("file://host/srv/x.yaml").as_deref(),
            Some("/srv/x.yaml")
        );
        assert_eq!(
            file_path("file:///C%3A/x.yaml").as_deref(),
            Some("C:/x.yaml")
        );
    }
}
