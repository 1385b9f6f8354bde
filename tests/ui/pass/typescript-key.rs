//! The `typescript` key, under `deny(warnings, missing_docs)`: the generated types derive
//! ts-rs's `TS` (claim types derive it as users derive serde), `TypeScriptSchema` names them,
//! and the declarations follow the serde attributes: a renamed claim, a `rename_all` enum, an
//! optional claim, an array, a private claim in the token only. And through a renamed
//! runtime (`crate = …`).
#![deny(warnings, missing_docs)]

extern crate auth_runtime as renamed;

use auth_runtime::prelude::{AuthUser, auth_config};
use auth_runtime::typescript::render;

/// A plan.
#[derive(Clone, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Plan {
    /// Free.
    FreeTier,
    /// Paid.
    Paid,
}

/// A user.
pub struct User {
    plan: Plan,
}

impl AuthUser for User {
    fn subject(&self) -> String {
        "user".into()
    }
}

/// Any plan may be chosen.
async fn any_plan(
    _: &BillingAuthToken,
    _: &Plan,
    _: &(),
) -> Result<bool, auth_runtime::CallbackError> {
    Ok(true)
}

/// The configuration.
#[auth_config(user = User, typescript)]
pub struct BillingAuth {
    /// The plan.
    #[claim(from_user, rename = "billingPlan", update = any_plan)]
    plan: Plan,
    /// Seats, set by a callback.
    seat_numbers: Option<Vec<u32>>,
    /// Server side only.
    #[claim(private)]
    api_key: Option<String>,
}

/// The same runtime under another name.
#[renamed::auth_config(crate = renamed, user = User, typescript)]
pub struct RenamedAuth {
    /// A nickname, set by a callback.
    nickname: Option<String>,
}

fn main() {
    let user = User { plan: Plan::Paid };
    let _ = (&user.plan, Plan::FreeTier);
    let text = render::<BillingAuth>().expect("declarations");
    for expected in [
        r#"export type Plan = "FREE_TIER" | "PAID";"#,
        "billingPlan: Plan,",
        "seatNumbers?: Array<number>,",
        "apiKey?: string,",
        "billingPlan?: Plan,",
        "interface JWT extends BillingAuthToken {}",
    ] {
        assert!(text.contains(expected), "missing `{expected}` in:\n{text}");
    }
    let session_user = text
        .split("export type BillingAuthToken")
        .next()
        .expect("the session user comes first");
    assert!(!session_user.contains("apiKey"), "{session_user}");
    let renamed = render::<RenamedAuth>().expect("declarations");
    assert!(renamed.contains("nickname?: string,"), "{renamed}");
}
