//! The base64url alphabet check every token passes first.

/// Whether every byte is base64url (`A-Z a-z 0-9 - _`) or `.`. Written without
/// short-circuits so that the compiler vectorises it: every token is checked before anything
/// else, and this scan was a tenth of a decode.
pub(crate) fn is_base64url_or_dot(bytes: &[u8]) -> bool {
    bytes.chunks(64).all(|chunk| {
        chunk.iter().fold(true, |valid, &byte| {
            let lower = byte | 0x20;
            let letter = lower.wrapping_sub(b'a') < 26;
            let digit = byte.wrapping_sub(b'0') < 10;
            let other = (byte == b'-') | (byte == b'_') | (byte == b'.');
            valid & (letter | digit | other)
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_character_scan_accepts_exactly_base64url_and_dots() {
        for byte in 0..=u8::MAX {
            let expected = byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.');
            // Alone, and at every position of a chunk and across a chunk boundary.
            for position in [0, 1, 63, 64, 100] {
                let mut bytes = vec![b'A'; 130];
                bytes[position] = byte;
                assert_eq!(is_base64url_or_dot(&bytes), expected, "byte {byte:#04x}");
            }
        }
        assert!(is_base64url_or_dot(b""));
    }
}
