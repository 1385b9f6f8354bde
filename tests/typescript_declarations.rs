//! The TypeScript declarations of `#[auth_config(typescript)]` (`auth_runtime::typescript`):
//! the demo's committed `examples/demo/next-auth.d.ts` is what its configuration gives, and a
//! configuration whose claim type changed no longer matches a file written before.
//!
//! After a deliberate change to the demo's claims, write the file again with
//! `UPDATE_TYPESCRIPT=1 cargo test --test typescript_declarations`, and read the diff.
//!
//! And the file does its work: the pinned `tsc` type-checks `tests/typescript/pass/*.ts`
//! against it and the real `next-auth` types, and refuses each `tests/typescript/fail/*.ts`
//! with the error its first line names.
#![allow(clippy::expect_used, clippy::panic, reason = "tests fail loudly")]

mod support;

use std::path::{Path, PathBuf};

use auth_runtime::typescript::{TypeScriptError, check, export, render};
use support::demo::app::DemoAuth;

/// The demo's committed declarations.
fn demo_declarations() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/demo/next-auth.d.ts")
}

#[test]
fn the_demo_declarations_are_current() {
    let path = demo_declarations();
    if std::env::var_os("UPDATE_TYPESCRIPT").is_some() {
        export::<DemoAuth>(&path).expect("write the demo's declarations");
    }
    if let Err(error) = check::<DemoAuth>(&path) {
        panic!("{error}\n(UPDATE_TYPESCRIPT=1 cargo test --test typescript_declarations)");
    }
}

#[test]
fn the_demo_declarations_type_every_claim_as_serde_writes_it() {
    let text = render::<DemoAuth>().expect("render");
    for expected in [
        // Enums with `rename_all = "lowercase"` are unions of their JSON strings.
        r#"export type Role = "admin" | "editor" | "viewer";"#,
        r#"export type Permission = "read" | "write" | "delete" | "admin";"#,
        // Newtypes are their inner type.
        "export type TenantId = string;",
        // `Vec` is an array; an `Option` serde skips when `None` is optional, never `null`;
        // the field is renamed as serde renames it.
        "\nid: UserId,\n",
        "\npermissions: Array<Permission>,\n",
        "\ntenantId?: TenantId, };\n",
        // An update may send `null` to clear an optional claim, or leave it out.
        "export type DemoAuthUpdate = {",
        "\ntenantId?: TenantId | null, };\n",
        "interface JWT extends DemoAuthToken {}",
        "user: DemoAuthSessionUser & DefaultSession[\"user\"];",
        "export type DemoAuthUpdateSession = (data?: DemoAuthUpdate) => Promise<Session | null>;",
    ] {
        assert!(text.contains(expected), "missing `{expected}` in:\n{text}");
    }
    // The standard fields are next-auth's own.
    for standard in [
        "sub:",
        "iat:",
        "jti:",
        "picture",
        "otherClaims",
        "other_claims",
    ] {
        assert!(!text.contains(standard), "`{standard}` in:\n{text}");
    }
}

/// Two versions of one configuration, `TenantAuth`, whose `tenant_id` claim changed type.
mod scratch {
    use auth_runtime::prelude::{AuthUser, auth_config};

    /// A tenant id, as first declared.
    #[derive(Clone, serde::Serialize, serde::Deserialize, ts_rs::TS)]
    pub(crate) struct TenantId(String);

    /// A user.
    pub(crate) struct User {
        tenant_id: Option<TenantId>,
        tenant_number: Option<u32>,
    }

    impl AuthUser for User {
        fn subject(&self) -> String {
            "user".into()
        }
    }

    async fn may_switch<T>(
        _: &impl Sized,
        _: &Option<T>,
        _: &(),
    ) -> Result<bool, auth_runtime::CallbackError> {
        Ok(true)
    }

    /// Before: the tenant is a `TenantId`.
    pub(crate) mod before {
        use super::*;

        /// The configuration.
        #[auth_config(user = super::User, typescript)]
        pub(crate) struct TenantAuth {
            #[claim(from_user, update = may_switch)]
            tenant_id: Option<TenantId>,
        }
    }

    /// After: the tenant is a number.
    pub(crate) mod after {
        use super::*;

        /// The configuration.
        #[auth_config(user = super::User, typescript)]
        pub(crate) struct TenantAuth {
            #[claim(from_user = tenant_number, update = may_switch)]
            tenant_id: Option<u32>,
        }
    }

    /// Reads the user's fields, which only the claims copy otherwise.
    pub(crate) fn user(tenant: &str, number: u32) -> User {
        User {
            tenant_id: Some(TenantId(tenant.into())),
            tenant_number: Some(number),
        }
    }
}

#[test]
fn a_changed_claim_type_makes_the_check_fail_at_the_claim() {
    let _ = scratch::user("acme", 1);
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join("tenant-auth.d.ts");
    export::<scratch::before::TenantAuth>(&path).expect("write");
    check::<scratch::before::TenantAuth>(&path).expect("the file just written is current");

    let error = check::<scratch::after::TenantAuth>(&path).expect_err("the claim's type changed");
    let TypeScriptError::Stale {
        path: stale,
        expected,
        found,
        ..
    } = &error
    else {
        panic!("not a stale file: {error}");
    };
    assert_eq!(*stale, path);
    assert!(found.contains("tenantId?: TenantId"), "{found}");
    assert!(expected.contains("tenantId?: number"), "{expected}");
    let message = error.to_string();
    assert!(
        message.contains("tenant-auth.d.ts` is stale: line ")
            && message.contains("auth_runtime::typescript::export"),
        "{message}"
    );
}

#[test]
fn a_missing_file_is_an_error_naming_it() {
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join("no-such-dir/next-auth.d.ts");
    let error = check::<DemoAuth>(&path).expect_err("no file");
    assert!(
        matches!(&error, TypeScriptError::Io { path: missing, .. } if *missing == path),
        "{error}"
    );
    assert!(
        error.to_string().contains("no-such-dir/next-auth.d.ts"),
        "{error}"
    );
}

/// `tests/typescript/<kind>/*.ts`, sorted.
fn cases(kind: &str) -> Vec<PathBuf> {
    let dir = support::node::tests_dir().join("typescript").join(kind);
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/typescript")
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.extension().is_some_and(|extension| extension == "ts"))
        .collect();
    cases.sort();
    assert!(!cases.is_empty(), "no cases in {}", dir.display());
    cases
}

/// What `tsc` said about one file.
struct TscOutput {
    success: bool,
    /// Its diagnostics, one per line.
    diagnostics: String,
}

/// Type-checks `case` with the pinned `tsc` (strict, no emit) against the real `next-auth`
/// types, with `declarations` as the project's declaration file when given. Bounded: `tsc`
/// is killed after a minute.
fn tsc(case: &Path, declarations: Option<&Path>) -> TscOutput {
    let tests = support::node::tests_dir();
    let modules = tests.join("node_modules");
    let mut files = vec![case.to_owned()];
    files.extend(declarations.map(Path::to_owned));
    // `paths`: the declarations lie outside `tests/`, where `next-auth` is installed.
    let config = serde_json::json!({
        "compilerOptions": {
            "strict": true,
            "noEmit": true,
            "skipLibCheck": true,
            "target": "es2022",
            "module": "preserve",
            "moduleResolution": "bundler",
            "types": [],
            "paths": {
                "next-auth": [modules.join("next-auth")],
                "next-auth/*": [modules.join("next-auth/*")],
            },
        },
        "files": files,
    });
    let stem = case
        .file_stem()
        .and_then(|stem| stem.to_str())
        .expect("a file name");
    let kind = if declarations.is_some() {
        "with"
    } else {
        "without"
    };
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("typescript");
    std::fs::create_dir_all(&dir).expect("a directory for tsconfig files");
    let config_path = dir.join(format!("{stem}-{kind}-declarations.json"));
    std::fs::write(&config_path, config.to_string()).expect("write tsconfig");
    let config_arg = config_path.to_str().expect("a UTF-8 path");
    let output = support::node::run_script(
        "node_modules/typescript/bin/tsc",
        &["-p", config_arg, "--pretty", "false"],
        &[],
        std::time::Duration::from_secs(60),
    );
    TscOutput {
        success: output.success,
        diagnostics: output.stdout + &output.stderr,
    }
}

#[test]
fn typescript_using_the_claims_as_declared_compiles() {
    let declarations = demo_declarations();
    for case in cases("pass") {
        let output = tsc(&case, Some(&declarations));
        assert!(
            output.success,
            "{} does not compile:\n{}",
            case.display(),
            output.diagnostics
        );
    }
}

/// The JSON the demo writes (a session as `GET /session` sends it, a token as it is
/// encrypted) and the updates it accepts are values of the declared types, for `tsc`.
#[test]
fn the_json_the_demo_writes_and_accepts_has_the_declared_types() {
    use auth_runtime::{Account, AuthSchema as _, ProviderKind};
    use support::demo::app::{DemoAuthUpdate, Role, TenantId, User, UserId};

    let account = Account::new("credentials", ProviderKind::Credentials, "u-admin");
    let user = |tenant: Option<&str>| User {
        id: UserId("u-admin".into()),
        name: "Ada Admin".into(),
        email: "admin@example.com".into(),
        role: Role::Admin,
        tenant_id: tenant.map(|tenant| TenantId(tenant.into())),
    };
    let mut values = Vec::new();
    for tenant in [Some("acme"), None] {
        let token = DemoAuth::new_token(&user(tenant), &account);
        let session =
            DemoAuth::session_json(&token, "2026-12-12T08:00:00.000Z").expect("the session JSON");
        let token = serde_json::to_string(&token).expect("the token JSON");
        values.push(format!(
            "export const session{}: Session = {session};",
            values.len()
        ));
        values.push(format!(
            "export const token{}: JWT = {token};",
            values.len()
        ));
    }
    let updates = [r#"{"tenantId":"globex"}"#, r#"{"tenantId":null}"#, "{}"];
    for update in updates {
        serde_json::from_str::<DemoAuthUpdate>(update).expect("the demo accepts the update");
    }
    let declarations = demo_declarations();
    let module = declarations
        .to_str()
        .and_then(|path| path.strip_suffix(".d.ts"))
        .expect("a UTF-8 path");
    let source = format!(
        "import type {{ Session }} from \"next-auth\";\n\
         import type {{ JWT }} from \"next-auth/jwt\";\n\
         import type {{ DemoAuthUpdate }} from {module:?};\n\
         {}\n\
         export const updates: DemoAuthUpdate[] = [{}];\n",
        values.join("\n"),
        updates.join(", "),
    );
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("typescript");
    std::fs::create_dir_all(&dir).expect("a directory for the values");
    let case = dir.join("demo-json-values.ts");
    std::fs::write(&case, &source).expect("write the values");
    let output = tsc(&case, Some(&declarations));
    assert!(
        output.success,
        "the demo's JSON is not of the declared types:\n{source}\n{}",
        output.diagnostics
    );
}

/// `skipLibCheck` (which the cases use, as Next.js projects do) skips every `.d.ts`, this one
/// too: checked as a `.ts` file, the declarations have no error of their own (an augmentation
/// conflicting with next-auth's interfaces would be one).
#[test]
fn the_declarations_have_no_error_of_their_own() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("typescript");
    std::fs::create_dir_all(&dir).expect("a directory for the copy");
    let copy = dir.join("demo-declarations-checked.ts");
    let text = render::<DemoAuth>().expect("render");
    std::fs::write(&copy, text).expect("write the declarations as a .ts file");
    let output = tsc(&copy, None);
    assert!(output.success, "{}", output.diagnostics);
}

/// Each file names the one error it must give in a first line `// expect: …`.
#[test]
fn typescript_misusing_a_claim_fails_with_its_error() {
    let declarations = demo_declarations();
    for case in cases("fail") {
        let text = std::fs::read_to_string(&case).expect("read the case");
        let expected = text
            .lines()
            .next()
            .and_then(|line| line.strip_prefix("// expect: "))
            .unwrap_or_else(|| panic!("{} has no `// expect: …` first line", case.display()));
        let output = tsc(&case, Some(&declarations));
        let name = case
            .file_name()
            .and_then(|name| name.to_str())
            .expect("a name");
        assert!(!output.success, "{} compiles", case.display());
        assert_eq!(
            output.diagnostics.matches("error TS").count(),
            1,
            "{name}: one error expected:\n{}",
            output.diagnostics
        );
        assert!(
            output.diagnostics.contains(&format!("{name}("))
                && output.diagnostics.contains(expected),
            "{name}: expected `{expected}` in:\n{}",
            output.diagnostics
        );
    }
}

/// The pass cases compile because of the declarations: without them, `next-auth`'s `JWT`
/// claims are `unknown`.
#[test]
fn without_the_declarations_the_claims_are_untyped() {
    let case = support::node::tests_dir().join("typescript/pass/jwt-claims.ts");
    let output = tsc(&case, None);
    assert!(!output.success, "compiles without the declarations");
    assert!(
        output
            .diagnostics
            .contains("error TS2322: Type 'unknown' is not assignable to type"),
        "{}",
        output.diagnostics
    );
}

/// Two claim types of one name from different modules.
mod clash {
    use auth_runtime::prelude::{AuthUser, auth_config};

    /// An id in one system.
    pub(crate) mod billing {
        /// The id.
        #[derive(Clone, serde::Serialize, serde::Deserialize, ts_rs::TS)]
        pub(crate) struct AccountId(pub(crate) String);
    }

    /// An id in another.
    pub(crate) mod support {
        /// The id.
        #[derive(Clone, serde::Serialize, serde::Deserialize, ts_rs::TS)]
        pub(crate) struct AccountId(pub(crate) u64);
    }

    /// A user.
    pub(crate) struct User;

    impl AuthUser for User {
        fn subject(&self) -> String {
            "user".into()
        }
    }

    /// Both ids as claims, set by a callback.
    #[auth_config(user = User, typescript)]
    pub(crate) struct ClashAuth {
        billing_account: Option<billing::AccountId>,
        support_account: Option<support::AccountId>,
    }
}

#[test]
fn two_types_of_one_typescript_name_are_an_error() {
    let _ = (
        clash::billing::AccountId(String::new()).0,
        clash::support::AccountId(0).0,
        clash::User,
    );
    let error = render::<clash::ClashAuth>().expect_err("two `AccountId`s");
    assert!(
        matches!(&error, TypeScriptError::NameClash { name } if name == "AccountId"),
        "{error}"
    );
    assert!(error.to_string().contains("#[ts(rename"), "{error}");
}

/// A configuration with session-only fields (`#[session_field]`), one in the session's user
/// and one at its top level.
mod session_fields {
    use std::collections::BTreeMap;

    use auth_runtime::prelude::*;

    /// A user.
    pub(crate) struct User;

    impl AuthUser for User {
        fn subject(&self) -> String {
            "user".into()
        }
    }

    /// Fills both fields.
    pub(crate) async fn session(
        session: &mut FlagsAuthSession,
        _state: &(),
    ) -> Result<SessionAction, CallbackError> {
        session.features.insert("beta".into(), true);
        session.user.department = Some("sales".into());
        Ok(SessionAction::Keep)
    }

    /// A claim and two session-only fields.
    #[auth_config(user = User, typescript, callbacks(session = session))]
    pub(crate) struct FlagsAuth {
        /// A plan the `jwt` callback sets.
        plan: Option<String>,
        /// The department, read fresh on each session read.
        #[session_field]
        department: Option<String>,
        /// The feature flags, at the session's top level.
        #[session_field(top)]
        features: BTreeMap<String, bool>,
    }
}

/// Session-only fields are typed in the session (`Session["user"]`, and the top-level members
/// `Session` extends), never in `JWT`: the front end reads them where `GET /session` puts
/// them, and no server-side code expects them in the token.
#[test]
fn session_only_fields_are_declared_in_the_session_and_not_in_the_token() {
    let text = render::<session_fields::FlagsAuth>().expect("declarations");
    let between = |start: &str, end: &str| -> String {
        let from = text
            .find(start)
            .unwrap_or_else(|| panic!("{start} in:\n{text}"));
        let rest = &text[from..];
        rest[..rest.find(end).unwrap_or(rest.len())].to_owned()
    };
    let user = between("export type FlagsAuthSessionUser", "};");
    assert!(user.contains("department?: string"), "{user}");
    let top = between("export type FlagsAuthSessionTopLevel", "};");
    assert!(
        top.contains("features: { [key in string]: boolean }"),
        "{top}"
    );
    let token = between("export type FlagsAuthToken", "};");
    assert!(token.contains("plan?: string"), "{token}");
    assert!(
        !token.contains("features") && !token.contains("department"),
        "{token}"
    );
}
