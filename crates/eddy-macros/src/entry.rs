//! The expansion of `#[eddy::main]` and `#[eddy::test]`.
//!
//! The async function becomes a plain function with the same attributes, visibility, name,
//! arguments and return type. Its body becomes an `async` block that a freshly built runtime
//! drives to completion, so the function returns what the block returns (`Result<(), E>` from
//! `main` works as it does in a synchronous `main`):
//!
//! ```text
//! fn main() -> R {
//!     let body = async { ..the original body.. };
//!     return <crate>::runtime::Builder::new_multi_thread()   // or new_current_thread()
//!         .worker_threads(N)                                  // when asked
//!         .enable_all()
//!         .start_paused(true)                                 // when asked
//!         .name("...")                                        // when asked
//!         .build()                       // flavor = "local": build_local(Default::default())
//!         .expect("Failed building the Runtime")
//!         .block_on(body);
//! }
//! ```
//!
//! `flavor = "local"` builds a current-thread `LocalRuntime`, whose `block_on` also runs
//! `spawn_local` tasks; the options type of `build_local` is left to inference, so the expansion
//! names no more of the facade than `runtime::Builder`.
//!
//! A test also gets `#[::core::prelude::v1::test]` and its body is pinned and used as
//! `Pin<&mut dyn Future<Output = R>>`, so every test shares one `block_on` instance instead of
//! monomorphising one per test.
//!
//! The local `body` is spanned at the macro's own hygiene site, so the user's code cannot see or
//! shadow it. When the arguments are wrong, the expansion is the error plus the same function
//! whose body is type-checked but never run (no runtime, no crate path needed): the user sees
//! the one error that matters, and an IDE keeps completing inside the body.

use crate::config::{self, Args, Config, Flavor, Kind};
use crate::crate_path::default_crate_path;
use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned, ToTokens};
use syn::parse::Parser;
use syn::spanned::Spanned;
use syn::{AttrStyle, Attribute, Ident, ItemFn, ReturnType};

/// Expands the macro `kind` with attribute arguments `args` on `item`. `multi_thread` says whether
/// the facade re-exporting this entry point has the multi-thread scheduler.
pub(crate) fn expand(
    kind: Kind,
    multi_thread: bool,
    args: TokenStream,
    item: TokenStream,
) -> TokenStream {
    let input: ItemFn = match syn::parse2(item.clone()) {
        Ok(input) => input,
        Err(error) => return with_error(item, error),
    };
    match configure(kind, multi_thread, args, &input) {
        Ok(config) => expand_with_runtime(kind, input, config),
        Err(error) => with_error(expand_without_runtime(kind, input), error),
    }
}

/// The expansion of `#[eddy::main]` or `#[eddy::test]` in a facade built without any runtime:
/// the error naming the missing features, and the function without a runtime.
pub(crate) fn missing_runtime(kind: Kind, item: TokenStream) -> TokenStream {
    let message = format!(
        "The #[{}] macro requires rt or rt-multi-thread.",
        kind.macro_name()
    );
    let error = syn::Error::new(Span::call_site(), message);
    match syn::parse2::<ItemFn>(item.clone()) {
        Ok(input) => with_error(expand_without_runtime(kind, input), error),
        Err(_) => with_error(item, error),
    }
}

fn configure(
    kind: Kind,
    multi_thread: bool,
    args: TokenStream,
    input: &ItemFn,
) -> syn::Result<Config> {
    if kind == Kind::Main && input.sig.ident == "main" && !input.sig.inputs.is_empty() {
        return Err(syn::Error::new_spanned(
            &input.sig.ident,
            "the main function cannot accept arguments",
        ));
    }
    if let Some(attr) = existing_test_attribute(kind, input) {
        return Err(syn::Error::new_spanned(
            attr,
            "second test attribute is supplied, consider removing or changing the order of your test attributes",
        ));
    }
    let args = Args::parse_terminated.parse2(args)?;
    if input.sig.asyncness.is_none() {
        return Err(syn::Error::new_spanned(
            input.sig.fn_token,
            "the `async` keyword is missing from the function declaration",
        ));
    }
    config::parse(kind, multi_thread, args)
}

fn expand_with_runtime(kind: Kind, input: ItemFn, config: Config) -> TokenStream {
    let body = body_ident();
    let as_dyn_future = match kind {
        Kind::Test => pin_as_dyn_future(&input.sig.output),
        Kind::Main => TokenStream::new(),
    };
    let runtime = runtime_builder(&config);
    let last_span = last_statement_span(&input);
    let run = quote_spanned! {last_span=>
        #as_dyn_future
        #[allow(clippy::expect_used, clippy::needless_return)]
        {
            return #runtime
                .expect("Failed building the Runtime")
                .block_on(#body);
        }
    };
    assemble(kind, input, run)
}

/// The function with its body type-checked against its return type, but never run.
fn expand_without_runtime(kind: Kind, input: ItemFn) -> TokenStream {
    let body = body_ident();
    let run = quote! {
        fn __eddy_runtime_missing<F: ::core::future::Future>(_: F) -> F::Output {
            ::core::unreachable!("the arguments of the eddy macro were rejected at compile time")
        }
        #[allow(clippy::needless_return)]
        {
            return __eddy_runtime_missing(#body);
        }
    };
    assemble(kind, input, run)
}

/// `fn` with the original attributes and signature (minus `async`); the body is bound to `body`
/// as an async block, then `run` drives it.
fn assemble(kind: Kind, mut input: ItemFn, run: TokenStream) -> TokenStream {
    let header = match (kind, existing_test_attribute(kind, &input)) {
        (Kind::Test, None) => quote!(#[::core::prelude::v1::test]),
        _ => TokenStream::new(),
    };
    let (inner, outer): (Vec<Attribute>, Vec<Attribute>) = input
        .attrs
        .drain(..)
        .partition(|attr| matches!(attr.style, AttrStyle::Inner(_)));
    input.sig.asyncness = None;
    let vis = &input.vis;
    let sig = &input.sig;
    let block = &input.block;
    let body = body_ident();
    quote! {
        #header
        #(#outer)*
        #vis #sig {
            #(#inner)*
            let #body = async #block;
            #run
        }
    }
}

/// `Builder::new_*()`, the configured options and the build call, whose result is an
/// `io::Result` of a runtime.
fn runtime_builder(config: &Config) -> TokenStream {
    let crate_path = config.crate_path.clone().unwrap_or_else(default_crate_path);
    let mut builder = match config.flavor {
        Flavor::CurrentThread | Flavor::Local => {
            quote!(#crate_path::runtime::Builder::new_current_thread())
        }
        Flavor::MultiThread => quote!(#crate_path::runtime::Builder::new_multi_thread()),
    };
    if let Some(count) = config.worker_threads {
        builder = quote!(#builder.worker_threads(#count));
    }
    builder = quote!(#builder.enable_all());
    if config.start_paused {
        builder = quote!(#builder.start_paused(true));
    }
    if let Some(name) = &config.name {
        builder = quote!(#builder.name(#name));
    }
    match config.flavor {
        Flavor::Local => quote!(#builder.build_local(::core::default::Default::default())),
        Flavor::CurrentThread | Flavor::MultiThread => quote!(#builder.build()),
    }
}

fn pin_as_dyn_future(output: &ReturnType) -> TokenStream {
    let output = match output {
        ReturnType::Default => quote!(()),
        ReturnType::Type(_, ty) => ty.to_token_stream(),
    };
    let body = body_ident();
    quote! {
        let #body = ::core::pin::pin!(#body);
        let #body: ::core::pin::Pin<&mut dyn ::core::future::Future<Output = #output>> = #body;
    }
}

/// The local holding the body's future, invisible to the user's code.
fn body_ident() -> Ident {
    Ident::new("body", Span::mixed_site())
}

/// Where a type error about the function's result should point: its last statement.
fn last_statement_span(input: &ItemFn) -> Span {
    input
        .block
        .stmts
        .last()
        .map_or_else(|| input.block.brace_token.span.join(), Spanned::span)
}

/// A `#[test]` already on a function given to `#[eddy::test]`.
fn existing_test_attribute(kind: Kind, input: &ItemFn) -> Option<&Attribute> {
    if kind != Kind::Test {
        return None;
    }
    input.attrs.iter().find(|attr| is_test_path(attr.path()))
}

/// `test`, or the prelude's `test` spelled out (`::core::prelude::v1::test`, `std::prelude::..`).
fn is_test_path(path: &syn::Path) -> bool {
    let segments: Vec<String> = path
        .segments
        .iter()
        .map(|segment| segment.ident.to_string())
        .collect();
    match segments.as_slice() {
        [only] => only == "test",
        [root, prelude, .., last] => {
            (root == "core" || root == "std") && prelude == "prelude" && last == "test"
        }
        _ => false,
    }
}

fn with_error(mut tokens: TokenStream, error: syn::Error) -> TokenStream {
    tokens.extend(error.into_compile_error());
    tokens
}
