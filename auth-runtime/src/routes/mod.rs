//! The Auth.js routes, to be nested under [`AuthSchema::BASE_PATH`]:
//!
//! | route | module |
//! |---|---|
//! | `GET /providers` | `providers` |
//! | `GET /csrf` | `csrf` |
//! | `GET`, `POST /session` | `session` |
//! | `POST /callback/<provider>` | `callback` |
//! | `POST /signout` | `signout` |
//! | anything else | 400 `"Bad request."` |
//!
//! Each handler takes the [`Auth`] and the request and answers every method itself, so a
//! method it does not serve gets Auth.js's 400 rather than a 405. A new page (`GET /signin`,
//! `GET /error`) is one more `.at(…)` line here.

mod callback;
mod csrf;
mod providers;
mod request;
mod respond;
mod session;
mod signout;

use std::future::Future;

use poem::endpoint::make;
use poem::{Endpoint, Request, Response, Route};

use crate::auth::Auth;
use crate::schema::AuthSchema;

/// The auth routes of `auth`, to be `nest`ed under `C::BASE_PATH`.
pub fn routes<C: AuthSchema>(auth: &Auth<C>) -> Route {
    Route::new()
        .at("/providers", route(auth, providers::handle::<C>))
        .at("/csrf", route(auth, csrf::handle::<C>))
        .at("/session", route(auth, session::handle::<C>))
        .at("/callback/:provider", route(auth, callback::handle::<C>))
        .at("/signout", route(auth, signout::handle::<C>))
        .at("/", make(|_| async { respond::bad_request() }))
        .at("/*rest", make(|_| async { respond::bad_request() }))
}

/// An endpoint calling `handler` with a clone of `auth` and the request.
fn route<C, F, Fut>(auth: &Auth<C>, handler: F) -> impl Endpoint + 'static
where
    C: AuthSchema,
    F: Fn(Auth<C>, Request) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Response> + Send + 'static,
{
    let auth = auth.clone();
    make(move |req| handler(auth.clone(), req))
}
