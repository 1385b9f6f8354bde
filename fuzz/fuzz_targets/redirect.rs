//! The `callbackUrl` and redirect policy, against a browser's reading of URLs: whatever is
//! asked, the URL we send the browser to parses (by the WHATWG rules of the `url` crate, as
//! browsers read it) to the site's origin or an allowed one, never anywhere else.
#![no_main]

use std::sync::LazyLock;

use auth_runtime::{Origin, RedirectPolicy};
use libfuzzer_sys::fuzz_target;

static POLICY: LazyLock<RedirectPolicy> = LazyLock::new(|| {
    RedirectPolicy::new(
        Origin::parse("https://app.example").expect("an origin"),
        vec![Origin::parse("https://docs.example:8443").expect("an origin")],
    )
});

fuzz_target!(|data: &[u8]| {
    let Ok(asked) = std::str::from_utf8(data) else {
        return;
    };
    let sent = POLICY.check(asked);
    let url = url::Url::parse(&sent).unwrap_or_else(|_| panic!("an absolute URL: {sent:?}"));
    let origin = url.origin().ascii_serialization();
    assert!(
        origin == "https://app.example" || origin == "https://docs.example:8443",
        "{asked:?} sent the browser to {origin}"
    );
    assert!(url.username().is_empty() && url.password().is_none());
});
