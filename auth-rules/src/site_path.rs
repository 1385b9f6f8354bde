//! The shape of a path on this site that a browser reads as we do: the rule behind the
//! redirect check of `callbackUrl` and behind custom page paths.

/// Printable ASCII other than space and backslash: anything else is read differently by
/// browsers (tabs and newlines dropped, `\` taken as `/`, non-ASCII hosts mapped by IDNA).
pub fn is_plain_url_byte(byte: u8) -> bool {
    byte.is_ascii_graphic() && byte != b'\\'
}

/// `rest` is what follows an origin: empty, or a path, query or fragment. A path must not
/// start with `//` (another host for a browser) nor hold an encoded slash, backslash, percent
/// sign or control character. The caller has checked every byte with [`is_plain_url_byte`].
pub fn is_safe_path_and_rest(rest: &str) -> bool {
    if rest.starts_with("//") {
        return false;
    }
    if !(rest.starts_with('/') || rest.starts_with('?') || rest.starts_with('#')) {
        return false;
    }
    let path_end = rest.find(['?', '#']).unwrap_or(rest.len());
    let path = &rest.as_bytes()[..path_end];
    let mut escapes = path.iter().enumerate().filter(|(_, byte)| **byte == b'%');
    escapes.all(|(index, _)| {
        let high = path.get(index + 1).map(u8::to_ascii_lowercase);
        let low = path.get(index + 2).map(u8::to_ascii_lowercase);
        match (high, low) {
            // Control characters (%00-%1F, %7F), `/` (%2F), `%` (%25), `\` (%5C).
            (Some(b'0' | b'1'), Some(_)) | (Some(b'7'), Some(b'f')) => false,
            (Some(b'2'), Some(b'f' | b'5')) | (Some(b'5'), Some(b'c')) => false,
            (Some(high), Some(low)) => high.is_ascii_hexdigit() && low.is_ascii_hexdigit(),
            _ => false,
        }
    })
}
