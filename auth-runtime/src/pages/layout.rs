//! The HTML shell every page shares, the escaping helper, and the page's
//! `Content-Security-Policy`.
//!
//! The pages hold one inline `<style>` element and nothing else that loads: no script, image,
//! font or external stylesheet. The policy allows exactly that style (by its SHA-256 hash, not
//! `'unsafe-inline'`), form submissions to this site (and to the allowed redirect origins and
//! the OAuth providers' authorization endpoints, which a form's redirect may lead to: browsers
//! apply `form-action` to the redirects that follow a submission), and no framing.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::sync::LazyLock;

use base64_simd::STANDARD;
use sha2::{Digest as _, Sha256};

use crate::origin::Origin;
use crate::redirect::RedirectPolicy;

/// The pages' only style sheet: a centred card.
const STYLE: &str = "\
body{margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;\
background:#f3f4f6;color:#111827;font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif}\
main{box-sizing:border-box;width:100%;max-width:24rem;margin:1rem;padding:2rem;background:#fff;\
border-radius:.75rem;box-shadow:0 1px 3px rgba(0,0,0,.12),0 8px 24px rgba(0,0,0,.06)}\
h1{margin:0 0 1.5rem;font-size:1.5rem;text-align:center}\
section+section{margin-top:1.5rem;padding-top:1.5rem;border-top:1px solid #e5e7eb}\
label{display:block;margin:0 0 .25rem;font-size:.875rem;font-weight:500}\
input{display:block;box-sizing:border-box;width:100%;margin:0 0 1rem;padding:.5rem .75rem;\
border:1px solid #d1d5db;border-radius:.375rem;font:inherit}\
button{display:block;width:100%;padding:.625rem;border:0;border-radius:.375rem;\
background:#111827;color:#fff;font:inherit;font-weight:500;cursor:pointer}\
button:hover,button:focus{background:#374151}\
p{margin:0 0 1.25rem;line-height:1.5;text-align:center}\
.error{padding:.75rem;border-radius:.375rem;background:#fef2f2;color:#991b1b;text-align:left}\
a{color:#2563eb}";

/// `'sha256-<base64>'` of [`STYLE`], for the policy's `style-src`.
static STYLE_SOURCE: LazyLock<String> = LazyLock::new(|| {
    format!(
        "'sha256-{}'",
        STANDARD.encode_to_string(Sha256::digest(STYLE))
    )
});

/// Escapes `text` for HTML text and double- or single-quoted attribute values: `&`, `<`, `>`,
/// `"` and `'` become character references.
pub(crate) fn escape(text: &str) -> Cow<'_, str> {
    if !text.contains(['&', '<', '>', '"', '\'']) {
        return Cow::Borrowed(text);
    }
    let mut escaped = String::with_capacity(text.len() + 16);
    for character in text.chars() {
        match character {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#x27;"),
            other => escaped.push(other),
        }
    }
    Cow::Owned(escaped)
}

/// A whole page: `title` (escaped here) and `main`, the card's HTML (already escaped by the
/// caller).
pub(super) fn page(title: &str, main: &str) -> String {
    let mut html = String::with_capacity(STYLE.len() + main.len() + 512);
    html.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    html.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    html.push_str("<meta name=\"robots\" content=\"noindex\">\n");
    let _ = writeln!(html, "<title>{}</title>", escape(title));
    let _ = writeln!(html, "<style>{STYLE}</style>");
    html.push_str("</head>\n<body>\n<main>\n");
    html.push_str(main);
    html.push_str("</main>\n</body>\n</html>\n");
    html
}

/// A hidden form input.
pub(super) fn hidden_input(html: &mut String, name: &str, value: &str) {
    let _ = writeln!(
        html,
        "<input type=\"hidden\" name=\"{}\" value=\"{}\">",
        escape(name),
        escape(value)
    );
}

/// The pages' `Content-Security-Policy`: nothing loads but the inline style; forms post to this
/// site and may be redirected to the site's origin, an allowed redirect origin, or one of
/// `providers` (the origins of the OAuth providers' authorization endpoints, where
/// `POST /signin/<id>` redirects).
pub(crate) fn content_security_policy(redirects: &RedirectPolicy, providers: &[Origin]) -> String {
    let mut form_action = String::from("'self' ");
    form_action.push_str(redirects.origin().as_str());
    let mut listed = vec![redirects.origin()];
    for origin in redirects.allowed().iter().chain(providers) {
        if listed.contains(&origin) {
            continue;
        }
        listed.push(origin);
        form_action.push(' ');
        form_action.push_str(origin.as_str());
    }
    format!(
        "default-src 'none'; style-src {}; form-action {form_action}; frame-ancestors 'none'; \
         base-uri 'none'",
        *STYLE_SOURCE
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_covers_text_and_both_attribute_quotes() {
        assert_eq!(
            escape(r#"<a href="x" title='y'>&</a>"#),
            "&lt;a href=&quot;x&quot; title=&#x27;y&#x27;&gt;&amp;&lt;/a&gt;"
        );
        assert!(matches!(escape("plain text"), Cow::Borrowed(_)));
    }

    #[test]
    fn the_policy_allows_exactly_the_page_style_and_forms_to_known_origins() {
        let origin = Origin::parse("https://app.example").unwrap();
        let docs = Origin::parse("https://docs.example").unwrap();
        let provider = Origin::parse("https://id.example").unwrap();
        let policy = content_security_policy(
            &RedirectPolicy::new(origin.clone(), vec![docs.clone()]),
            &[provider, docs, origin],
        );
        assert!(policy.starts_with("default-src 'none'; style-src 'sha256-"));
        assert!(
            policy.contains(
                "form-action 'self' https://app.example https://docs.example https://id.example;"
            ),
            "{policy}"
        );
        assert!(policy.contains("frame-ancestors 'none'"));
        assert!(!policy.contains("unsafe"));
        // The hash is of the exact contents of the page's one style element.
        let html = page("t", "");
        let start = html.find("<style>").unwrap() + "<style>".len();
        let end = html.find("</style>").unwrap();
        let digest = STANDARD.encode_to_string(Sha256::digest(&html[start..end]));
        assert!(policy.contains(&format!("'sha256-{digest}'")));
    }
}
