//! What the token suite shares: an independent JWE encryptor for forging tokens.

pub(crate) mod jose;
