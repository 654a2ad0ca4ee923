//! The path through which generated code reaches the eddy facade.
//!
//! Without `crate = "..."`, the macros find the caller's name for eddy at expansion time: Cargo
//! sets `CARGO_MANIFEST_DIR` for every crate it compiles, so the macro reads that crate's
//! `Cargo.toml` (and, for `workspace = true` dependencies, the workspace root's) and looks for a
//! dependency on the package `eddy`, whatever key it goes by. The facade's own tests, examples
//! and doctests see it as `eddy`.
//!
//! A user can name eddy in three ways, and the lookup covers each:
//!
//! 1. `eddy = ..`: found as package `eddy`, path `::eddy`;
//! 2. `tokio = { package = "eddy", .. }`: found as package `eddy` under the key `tokio`;
//! 3. `tokio = "1.54.1"` with `[patch.crates-io]` pointing `tokio` at eddy's compat package
//!    (`crates/tokio`, which re-exports the whole facade, hidden items included): the crate does
//!    not depend on package `eddy` at all, so the lookup falls back to a dependency on package
//!    `tokio`, under its key.
//!
//! **Precedence: a dependency on package `eddy`, in any table, wins over one on package `tokio`,
//! in any table.** A package called `eddy` is always eddy, whereas a package called `tokio` may be
//! the real Tokio: a benchmark that compares the two depends on both and must expand to
//! `::eddy`, and a library that depends on the real Tokio but tests itself on eddy through a
//! dev-dependency must not have its `#[eddy::test]`s run on Tokio, which would compile and pass
//! silently. The price is one case that fails loudly instead: a crate that reaches eddy as
//! `tokio` in `[dependencies]` and also as `eddy` in `[dev-dependencies]` gets `::eddy` in its
//! non-test code too, which the compiler rejects; `crate = "tokio"` settles it. Within one
//! package the table order is `manifest::local_name`'s (normal, then dev, then build).
//!
//! When nothing matches (or the manifest cannot be read), the path is `::eddy`, which gives the
//! ordinary "unresolved crate" error if eddy is missing.
//!
//! The function-like macros that reach the facade at run time (`select!`, `join!` and
//! `try_join!`, whose expansions call the facade's hidden `macros::support`) are used through
//! the facade's declarative wrappers, which pass the facade's `$crate` in front of the caller's
//! input: `crate = $crate; <input>` ([`facade_and_input`]). That path is spliced as it is, so
//! these macros work however the caller reached them, a re-export by another crate included, as
//! Tokio's declarative ones do. Only a direct call (`eddy_macros::select!`) falls back to the
//! lookup. Only the attributes take a user-written `crate = "..."`, as in Tokio.
//!
//! The looked-up path always starts with `::`, so a local module of the same name cannot capture
//! it.

use crate::manifest::{self, Manifest};
use proc_macro2::{Span, TokenStream, TokenTree};
use quote::ToTokens;
use std::env;
use std::path::Path;

/// The facade's package name.
const FACADE: &str = "eddy";

/// The compat package's name: the facade re-exported as Tokio, for `[patch.crates-io]`.
const COMPAT: &str = "tokio";

/// `::<name>`, where `<name>` is what the crate being compiled calls eddy.
pub(crate) fn default_crate_path() -> syn::Path {
    let name = caller_name()
        .and_then(|name| syn::parse_str::<syn::Ident>(&name).ok())
        .unwrap_or_else(|| syn::Ident::new(FACADE, Span::call_site()));
    syn::parse_quote!(::#name)
}

/// Splits the facade's path off a function-like macro's input.
///
/// The facade's wrappers call the macro as `crate = $crate; <input>`: the tokens between `=` and
/// the first `;` are the path, kept verbatim (`$crate` reaches a proc macro as one identifier,
/// which is no `syn::Path`, so it is not parsed). Neither `select!` nor `join!` input can start
/// with `crate =`, so a user's input is never taken for this prefix. Without it, the path is
/// [`default_crate_path`].
pub(crate) fn facade_and_input(input: TokenStream) -> (TokenStream, TokenStream) {
    let mut tokens = input.clone().into_iter();
    let starts_with_crate = matches!(tokens.next(), Some(TokenTree::Ident(ident)) if ident == "crate")
        && matches!(tokens.next(), Some(TokenTree::Punct(punct)) if punct.as_char() == '=');
    if !starts_with_crate {
        return (default_crate_path().into_token_stream(), input);
    }
    let facade = tokens
        .by_ref()
        .take_while(|token| !matches!(token, TokenTree::Punct(punct) if punct.as_char() == ';'))
        .collect();
    (facade, tokens.collect())
}

fn caller_name() -> Option<String> {
    let crate_name = env::var("CARGO_CRATE_NAME").unwrap_or_default();
    let dir = env::var_os("CARGO_MANIFEST_DIR")?;
    name_in(Path::new(&dir), &crate_name)
}

/// The name under which crate `crate_name`, whose manifest is in `dir`, sees the facade.
fn name_in(dir: &Path, crate_name: &str) -> Option<String> {
    if crate_name == FACADE {
        return Some(FACADE.to_owned());
    }
    let member = read_manifest(dir)?;
    if member.package_name() == Some(FACADE) {
        return Some(FACADE.to_owned());
    }
    let build_script = crate_name.starts_with("build_script_");
    [FACADE, COMPAT].into_iter().find_map(|package| {
        manifest::local_name(&member, package, build_script, || workspace_root(dir))
    })
}

/// The nearest manifest with a `[workspace]` table, from `dir` upwards.
fn workspace_root(dir: &Path) -> Option<Manifest> {
    dir.ancestors()
        .filter_map(read_manifest)
        .find(Manifest::is_workspace_root)
}

fn read_manifest(dir: &Path) -> Option<Manifest> {
    let text = std::fs::read_to_string(dir.join("Cargo.toml")).ok()?;
    Manifest::parse(&text)
}

#[cfg(test)]
mod tests;
