//! TypeScript declarations for a Next.js front end, from an `#[auth_config(typescript)]`
//! configuration (feature `typescript`).
//!
//! Auth.js users type their session by hand, in a `declare module "next-auth"` block that
//! drifts from the server. Here the block is written from the configuration:
//! [`render`] gives a `.d.ts` augmenting `Session` and `User` of `next-auth` and `JWT` of
//! `next-auth/jwt`, and naming the `update()` payload; [`export`] writes it and [`check`]
//! fails when a committed file is stale, so CI catches drift.
//!
//! The types come from [`ts-rs`](ts_rs): the generated token, session-user and update types
//! derive [`TS`] next to their serde derives, so the TypeScript follows the JSON they
//! (de)serialise: renames, optional fields, arrays. Claim types derive it too, as they derive
//! serde (`#[derive(Serialize, Deserialize, ts_rs::TS)]`, ts-rs 12; without a dependency of
//! their own, `#[derive(auth_runtime::typescript::TS)]` with
//! `#[ts(crate = "auth_runtime::typescript::ts_rs")]`). Standard fields (`name`, `email`,
//! `image`; `sub`, `iat`, `exp`, `jti`) are left to `next-auth`'s own declarations.
//!
//! The `typescript` key opts a configuration in; the feature alone does not, because features
//! unify across a build: one crate turning it on would otherwise require `TS` of every claim
//! type of every configuration. ts-rs's derive names `String`, `Option` and `Vec` unqualified,
//! so a module that shadows them cannot use the key.
//!
//! ```no_run
//! # fn demo<AppAuth: auth_runtime::typescript::TypeScriptSchema>() -> Result<(), auth_runtime::typescript::TypeScriptError> {
//! // In a test: fails, naming the first differing line, when the file is stale.
//! auth_runtime::typescript::check::<AppAuth>("web/next-auth.d.ts")?;
//! // After a change to the configuration: write it again.
//! auth_runtime::typescript::export::<AppAuth>("web/next-auth.d.ts")?;
//! # Ok(()) }
//! ```

use std::any::TypeId;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

pub use ts_rs::{self, TS};

use crate::AuthSchema;

/// What `#[auth_config(typescript)]` generates next to [`AuthSchema`]: the types whose
/// TypeScript goes into the declarations. Implemented by the macro, not by hand.
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no TypeScript declarations",
    note = "add the `typescript` key to its `#[auth_config(...)]`"
)]
pub trait TypeScriptSchema: AuthSchema {
    /// The config struct's name, e.g. `AppAuth`.
    const CONFIG_NAME: &'static str;
    /// Whether the session has members of its own besides `user` and `expires`: claims
    /// declared `session = top`, and `error` when a provider refreshes.
    const SESSION_TOP_LEVEL: bool = false;
    /// Those members (`<Name>SessionTopLevel` in TypeScript), declared when
    /// [`SESSION_TOP_LEVEL`](Self::SESSION_TOP_LEVEL).
    type SessionTopLevel: TS + 'static;
    /// The public claims of the session's user (`<Name>SessionUser`).
    type SessionUser: TS + 'static;
    /// Every declared claim, private ones included (`<Name>Token`).
    type TokenClaims: TS + 'static;
    /// What a client's `update()` may send (`<Name>Update`).
    type UpdateFields: TS + 'static;
}

/// Why declarations could not be written or checked.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TypeScriptError {
    /// The file could not be read or written.
    #[error("cannot access `{}`: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        source: std::io::Error,
    },
    /// The committed file differs from what the configuration gives.
    #[error(
        "`{}` is stale: line {line} is `{found}` but the configuration gives `{expected}`; \
         write it again with `auth_runtime::typescript::export`",
        path.display()
    )]
    Stale {
        /// The file.
        path: PathBuf,
        /// The first differing line, from 1.
        line: usize,
        /// That line as the configuration gives it (`(end of file)` past its end).
        expected: String,
        /// That line in the file (`(end of file)` past its end).
        found: String,
    },
    /// Two different Rust types would be declared under one TypeScript name.
    #[error(
        "two Rust types are both named `{name}` in TypeScript; rename one with \
         `#[ts(rename = \"…\")]`"
    )]
    NameClash {
        /// The TypeScript name.
        name: String,
    },
}

/// The `.d.ts` text for configuration `C`.
///
/// # Errors
///
/// [`TypeScriptError::NameClash`] when two of the Rust types it declares have one
/// TypeScript name.
pub fn render<C: TypeScriptSchema>() -> Result<String, TypeScriptError> {
    let name = C::CONFIG_NAME;
    let config = ts_rs::Config::new();
    let mut declarations = Declarations::new(&config);
    declarations.add_root::<C::SessionUser>();
    if C::SESSION_TOP_LEVEL {
        declarations.add_root::<C::SessionTopLevel>();
    }
    declarations.add_root::<C::TokenClaims>();
    declarations.add_root::<C::UpdateFields>();
    if let Some(name) = declarations.clash {
        return Err(TypeScriptError::NameClash { name });
    }
    let user = <C::SessionUser as TS>::ident(&config);
    let token = <C::TokenClaims as TS>::ident(&config);
    let update = <C::UpdateFields as TS>::ident(&config);
    // Members of the session itself (`session.accessToken`, `session.error`) extend it.
    let (session_extends, session_doc) = if C::SESSION_TOP_LEVEL {
        (
            format!(" extends {}", <C::SessionTopLevel as TS>::ident(&config)),
            ", and its own members beside `user` and `expires` are declared",
        )
    } else {
        (String::new(), "")
    };
    let mut out = String::new();
    // `User` extends next-auth's `DefaultUser`, whose `id?: string` a claim named `id` would
    // conflict with (TS2320, which `skipLibCheck` hides): `User` gets every public claim but
    // `id`; `Session["user"]` keeps them all, through the intersection. `DefaultUser`'s other
    // fields and `DefaultJWT`'s are reserved claim names, so they cannot conflict.
    // Writing to a `String` cannot fail.
    let _ = write!(
        out,
        r#"// The TypeScript of the `{name}` auth configuration, for a Next.js front end sharing its
// session. Generated by `auth_runtime::typescript::export`; do not edit: a test compares it
// with the configuration.

import type {{ DefaultSession, Session }} from "next-auth";
import type {{}} from "next-auth/jwt";

{types}/** `useSession().update`, typed: it sends only what `{name}` lets a client change. */
export type {name}UpdateSession = (data?: {update}) => Promise<Session | null>;

declare module "next-auth" {{
  /** The session of `{name}`: its public claims are on `user`{session_doc}. */
  interface Session{session_extends} {{
    user: {user} & DefaultSession["user"];
  }}

  /** A user of `{name}`, with the public claims (`id` stays next-auth's `id?: string`). */
  interface User extends Omit<{user}, "id"> {{}}
}}

declare module "next-auth/jwt" {{
  /** The token of `{name}`, with every claim, private ones included (server side only). */
  interface JWT extends {token} {{}}
}}
"#,
        types = declarations.text(),
    );
    // ts-rs ends some lines with a space; a committed file should not.
    let mut text: String = out
        .lines()
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join("\n");
    text.push('\n');
    Ok(text)
}

/// Writes the declarations of `C` to `path`.
///
/// # Errors
///
/// [`TypeScriptError::Io`] when the file cannot be written, or what [`render`] gives.
pub fn export<C: TypeScriptSchema>(path: impl AsRef<Path>) -> Result<(), TypeScriptError> {
    let path = path.as_ref();
    let text = render::<C>()?;
    std::fs::write(path, text).map_err(|source| TypeScriptError::Io {
        path: path.to_owned(),
        source,
    })
}

/// Checks that `path` holds exactly the declarations of `C`; [`TypeScriptError::Stale`]
/// names the first line that differs.
///
/// # Errors
///
/// [`TypeScriptError::Stale`] when the file differs, [`TypeScriptError::Io`] when it cannot
/// be read, or what [`render`] gives.
pub fn check<C: TypeScriptSchema>(path: impl AsRef<Path>) -> Result<(), TypeScriptError> {
    let path = path.as_ref();
    let expected = render::<C>()?;
    let found = std::fs::read_to_string(path).map_err(|source| TypeScriptError::Io {
        path: path.to_owned(),
        source,
    })?;
    match first_difference(&expected, &found) {
        None => Ok(()),
        Some((line, expected, found)) => Err(TypeScriptError::Stale {
            path: path.to_owned(),
            line,
            expected,
            found,
        }),
    }
}

/// The first line (from 1) where two texts differ, with that line of each.
fn first_difference(expected: &str, found: &str) -> Option<(usize, String, String)> {
    const END: &str = "(end of file)";
    let mut expected_lines = expected.split('\n');
    let mut found_lines = found.split('\n');
    let mut line = 0;
    loop {
        line += 1;
        match (expected_lines.next(), found_lines.next()) {
            (None, None) => return None,
            (Some(a), Some(b)) if a == b => {}
            (a, b) => {
                let text = |line: Option<&str>| line.unwrap_or(END).to_owned();
                return Some((line, text(a), text(b)));
            }
        }
    }
}

/// The `export type …` declarations of some types (the roots, in the order added) and of
/// every type they use, each once. ts-rs visits dependencies in no stable order, so they are
/// sorted by name: the file must not change from one build to the next.
struct Declarations<'a> {
    config: &'a ts_rs::Config,
    /// The types declared, with their TypeScript names.
    seen: Vec<(TypeId, String)>,
    roots: Vec<String>,
    dependencies: BTreeMap<String, String>,
    /// A TypeScript name two Rust types share.
    clash: Option<String>,
}

impl<'a> Declarations<'a> {
    fn new(config: &'a ts_rs::Config) -> Self {
        Self {
            config,
            seen: Vec::new(),
            roots: Vec::new(),
            dependencies: BTreeMap::new(),
            clash: None,
        }
    }

    /// Declares `T` as a root, then what it uses.
    fn add_root<T: TS + 'static + ?Sized>(&mut self) {
        if let Some(declaration) = self.declare::<T>() {
            self.roots.push(declaration);
            T::visit_dependencies(self);
        }
    }

    /// `T`'s declaration, unless it is declared already.
    fn declare<T: TS + 'static + ?Sized>(&mut self) -> Option<String> {
        let name = T::ident(self.config);
        let id = TypeId::of::<T>();
        if let Some((seen, _)) = self.seen.iter().find(|(_, seen)| *seen == name) {
            if *seen != id {
                self.clash.get_or_insert(name);
            }
            return None;
        }
        self.seen.push((id, name));
        let mut declaration = T::docs().unwrap_or_default();
        declaration.push_str("export ");
        declaration.push_str(&T::decl(self.config));
        declaration.push_str("\n\n");
        Some(declaration)
    }

    /// Every declaration: the roots, then their dependencies.
    fn text(&self) -> String {
        self.roots
            .iter()
            .chain(self.dependencies.values())
            .map(String::as_str)
            .collect()
    }
}

impl ts_rs::TypeVisitor for Declarations<'_> {
    fn visit<T: TS + 'static + ?Sized>(&mut self) {
        // Types without a declaration of their own (`string`, arrays) are written inline.
        if T::output_path().is_none() {
            return;
        }
        if let Some(declaration) = self.declare::<T>() {
            self.dependencies.insert(T::ident(self.config), declaration);
            T::visit_dependencies(self);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::first_difference;

    #[test]
    fn equal_texts_have_no_difference() {
        assert_eq!(first_difference("a\nb\n", "a\nb\n"), None);
    }

    #[test]
    fn a_changed_line_is_named_with_both_versions() {
        assert_eq!(
            first_difference("a\nrole: Role;\nc\n", "a\nrole: string;\nc\n"),
            Some((2, "role: Role;".to_owned(), "role: string;".to_owned()))
        );
    }

    #[test]
    fn a_missing_line_is_the_end_of_file() {
        assert_eq!(
            first_difference("a\nb\n", "a\n"),
            Some((2, "b".to_owned(), String::new()))
        );
        assert_eq!(
            first_difference("a", "a\nb"),
            Some((2, "(end of file)".to_owned(), "b".to_owned()))
        );
    }
}
