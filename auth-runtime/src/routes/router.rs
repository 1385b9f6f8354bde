//! The router of the auth routes: which path goes to which handler, and the [`Auth`] methods
//! that add them to an app ([`Auth::mount`], [`Auth::routes`]).

use std::future::Future;

use poem::endpoint::make;
use poem::{Endpoint, Request, Response, Route};

use super::{
    callback, csrf, error, jwks, providers, respond, revoke, session, signin, signout, token,
};
use crate::auth::Auth;
use crate::schema::AuthSchema;

impl<C: AuthSchema> Auth<C> {
    /// `route` with the auth routes (`/session`, `/csrf`, `/signin`, `/callback/…`, …) added
    /// at their full paths under [`AuthSchema::BASE_PATH`]:
    /// `auth.mount(Route::new()).at("/api/me", get(me))`.
    ///
    /// The same routes, answering the same way, as [`routes`](Self::routes) nested at
    /// `BASE_PATH`, but cheaper per request: poem's `nest` rewrites each request's URI and
    /// matches its path a second time, which costs about as much as a `/session` answer's
    /// JSON.
    pub fn mount(&self, route: Route) -> Route {
        add_routes(self, route, C::BASE_PATH)
    }

    /// The auth routes, to be nested under [`AuthSchema::BASE_PATH`]; for wrapping them in a
    /// middleware of their own. Otherwise prefer [`mount`](Self::mount).
    pub fn routes(&self) -> Route {
        routes(self)
    }
}

/// The auth routes of `auth`, to be `nest`ed under `C::BASE_PATH` ([`Auth::routes`]).
pub fn routes<C: AuthSchema>(auth: &Auth<C>) -> Route {
    add_routes(auth, Route::new(), "")
}

/// `route` with the auth routes added under `prefix` (empty, or a path without a trailing
/// slash).
fn add_routes<C: AuthSchema>(auth: &Auth<C>, route: Route, prefix: &str) -> Route {
    let at = |path: &str| format!("{prefix}{path}");
    let root = if prefix.is_empty() { "/" } else { prefix };
    // Bearer tokens' routes exist only when the schema declares them.
    let route = if C::BEARER.is_some() {
        route
            .at(at("/jwks"), route_to(auth, jwks::handle::<C>))
            .at(at("/token"), route_to(auth, token::handle::<C>))
    } else {
        route
    };
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
        .at(at("/signout/others"), route_to(auth, revoke::handle::<C>))
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
