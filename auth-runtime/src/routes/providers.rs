//! `GET /providers`: the configured providers and their URLs (an OAuth provider
//! only when its client id and secret are set).

use poem::http::{Method, StatusCode};
use poem::{Request, Response};
use serde_json::{Map, Value, json};

use super::respond;
use crate::auth::Auth;
use crate::schema::AuthSchema;

/// `{"<id>":{"id","name","type","signinUrl","callbackUrl"}}`, as Auth.js lists them.
pub(super) async fn handle<C: AuthSchema>(auth: Auth<C>, req: Request) -> Response {
    if req.method() != Method::GET {
        return respond::bad_request();
    }
    let providers: Map<String, Value> = auth
        .providers()
        .map(|provider| {
            let entry = json!({
                "id": provider.id,
                "name": provider.name,
                "type": provider.kind.as_str(),
                "signinUrl": auth.url_of(&format!("/signin/{}", provider.id)),
                "callbackUrl": auth.url_of(&format!("/callback/{}", provider.id)),
            });
            (provider.id.to_owned(), entry)
        })
        .collect();
    respond::json(StatusCode::OK, &Value::Object(providers), &[])
}
