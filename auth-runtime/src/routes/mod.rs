//! The Auth.js routes, under [`AuthSchema::BASE_PATH`] ([`mount`] adds them to an app's
//! router at their full paths, [`routes`] gives them to be nested):
//!
//! | route | module |
//! |---|---|
//! | `GET /providers` | `providers` |
//! | `GET /csrf` | `csrf` |
//! | `GET`, `POST /session` | `session` |
//! | `GET /signin` (the sign-in page), `POST /signin/<provider>` | `signin` |
//! | `POST /callback/<provider>` (rate limited by `throttle`) | `callback` |
//! | `GET` (confirmation page), `POST /signout` | `signout` |
//! | `GET /error` (the error page) | `error` |
//! | anything else | 400 `"Bad request."` |
//!
//! Each handler takes the [`Auth`] and the request and answers every method itself, so a
//! method it does not serve gets Auth.js's 400 rather than a 405. The pages' HTML is built by
//! [`pages`](crate::pages); where pages and errors send the user is decided in one place,
//! `respond`.

mod callback;
mod client_addr;
mod csrf;
mod error;
mod providers;
mod request;
mod respond;
mod session;
mod signin;
mod signout;
mod throttle;

pub(crate) use client_addr::client_ip;

use std::future::Future;

use poem::endpoint::make;
use poem::{Endpoint, Request, Response, Route};

use crate::auth::Auth;
use crate::schema::AuthSchema;

/// The auth routes of `auth`, to be `nest`ed under `C::BASE_PATH` ([`Auth::routes`]).
pub fn routes<C: AuthSchema>(auth: &Auth<C>) -> Route {
    add_routes(auth, Route::new(), "")
}

/// `route` with the auth routes of `auth` added at their full paths, under `C::BASE_PATH`
/// ([`Auth::mount`]).
pub fn mount<C: AuthSchema>(auth: &Auth<C>, route: Route) -> Route {
    add_routes(auth, route, C::BASE_PATH)
}

/// `route` with the auth routes added under `prefix` (empty, or a path without a trailing
/// slash).
fn add_routes<C: AuthSchema>(auth: &Auth<C>, route: Route, prefix: &str) -> Route {
    let at = |path: &str| format!("{prefix}{path}");
    let root = if prefix.is_empty() { "/" } else { prefix };
    route
        .at(at("/providers"), route_to(auth, providers::handle::<C>))
        .at(at("/csrf"), route_to(auth, csrf::handle::<C>))
        .at(at("/session"), route_to(auth, session::handle::<C>))
        .at(at("/signin"), route_to(auth, signin::handle::<C>))
        .at(
            at("/signin/:provider"),
            route_to(auth, signin::handle_provider::<C>),
        )
        .at(
            at("/callback/:provider"),
            route_to(auth, callback::handle::<C>),
        )
        .at(at("/signout"), route_to(auth, signout::handle::<C>))
        .at(at("/error"), route_to(auth, error::handle::<C>))
        .at(root, make(|_| async { respond::bad_request() }))
        .at(at("/*rest"), make(|_| async { respond::bad_request() }))
}

/// An endpoint calling `handler` with a clone of `auth` and the request.
fn route_to<C, F, Fut>(auth: &Auth<C>, handler: F) -> impl Endpoint + 'static
where
    C: AuthSchema,
    F: Fn(Auth<C>, Request) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Response> + Send + 'static,
{
    let auth = auth.clone();
    make(move |req| handler(auth.clone(), req))
}
