//! The arguments of `#[eddy::main(...)]` and `#[eddy::test(...)]`.
//!
//! The syntax and the error messages are Tokio's, so that a Tokio program moves over unchanged and
//! a mistake reads the same: `flavor = "current_thread" | "multi_thread" | "local"`,
//! `worker_threads = N` (multi-thread only, not 0), `start_paused = bool` (current-thread and
//! local only), `crate = "path"` and `name = "..."` (not empty), each at most once. Names are
//! matched case-insensitively, as Tokio does. The default flavor is multi-thread for `main` and
//! current-thread for `test`; where the facade is built without a multi-thread scheduler, asking
//! for it (or defaulting to it) is an error.

use proc_macro2::Span;
use syn::punctuated::Punctuated;
use syn::{Expr, ExprLit, Lit, Meta, MetaNameValue, Token};

/// The arguments as written: a comma-separated list of `name = literal`.
pub(crate) type Args = Punctuated<Meta, Token![,]>;

/// Which macro is being expanded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// `#[eddy::main]`.
    Main,
    /// `#[eddy::test]`.
    Test,
}

impl Kind {
    /// The macro's name, as error messages show it.
    pub(crate) fn macro_name(self) -> &'static str {
        match self {
            Kind::Main => "eddy::main",
            Kind::Test => "eddy::test",
        }
    }
}

/// The scheduler the generated runtime uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Flavor {
    /// `Builder::new_current_thread()`.
    CurrentThread,
    /// `Builder::new_multi_thread()`.
    MultiThread,
    /// `Builder::new_current_thread()`, built with `build_local` into a `LocalRuntime`.
    Local,
}

/// The validated arguments.
pub(crate) struct Config {
    /// The scheduler.
    pub(crate) flavor: Flavor,
    /// `worker_threads`, multi-thread only.
    pub(crate) worker_threads: Option<usize>,
    /// Whether the clock starts paused, current-thread only.
    pub(crate) start_paused: bool,
    /// `crate = "..."`, if given.
    pub(crate) crate_path: Option<syn::Path>,
    /// `name = "..."`, passed to `Builder::name`.
    pub(crate) name: Option<String>,
}

/// Validates `args` for the macro `kind`. `multi_thread` says whether the facade that re-exports
/// this entry point has a multi-thread scheduler.
pub(crate) fn parse(kind: Kind, multi_thread: bool, args: Args) -> syn::Result<Config> {
    let mut seen = Seen::default();
    for arg in args {
        seen.add(kind, arg)?;
    }
    seen.finish(kind, multi_thread)
}

/// Each argument as found, with the span of its value for later errors.
#[derive(Default)]
struct Seen {
    flavor: Option<Flavor>,
    worker_threads: Option<(usize, Span)>,
    start_paused: Option<(bool, Span)>,
    crate_path: Option<syn::Path>,
    name: Option<String>,
}

const EXPECTED: &str =
    "expected one of: `flavor`, `worker_threads`, `start_paused`, `crate`, `name`";

impl Seen {
    fn add(&mut self, kind: Kind, arg: Meta) -> syn::Result<()> {
        match arg {
            Meta::NameValue(pair) => self.add_pair(pair),
            Meta::Path(path) => Err(bare_name_error(kind, &path)),
            Meta::List(list) => Err(syn::Error::new_spanned(
                list,
                "Unknown attribute inside the macro",
            )),
        }
    }

    fn add_pair(&mut self, pair: MetaNameValue) -> syn::Result<()> {
        let name = lowercase_name(&pair.path)?;
        let lit = match &pair.value {
            Expr::Lit(ExprLit { lit, .. }) => lit,
            other => return Err(syn::Error::new_spanned(other, "Must be a literal")),
        };
        match name.as_str() {
            "flavor" => set_once(&mut self.flavor, "flavor", lit, parse_flavor(lit)?),
            "worker_threads" => {
                let value = (parse_worker_threads(lit)?, lit.span());
                set_once(&mut self.worker_threads, "worker_threads", lit, value)
            }
            "start_paused" => {
                let value = (parse_bool(lit, "start_paused")?, lit.span());
                set_once(&mut self.start_paused, "start_paused", lit, value)
            }
            "crate" => set_once(&mut self.crate_path, "crate", lit, parse_path(lit)?),
            "name" => set_once(&mut self.name, "name", lit, parse_name(lit)?),
            "core_threads" => Err(syn::Error::new_spanned(
                &pair,
                "Attribute `core_threads` is renamed to `worker_threads`",
            )),
            "unhandled_panic" => Err(syn::Error::new_spanned(
                &pair,
                "The `unhandled_panic` option is not supported by eddy (it is unstable in Tokio).",
            )),
            other => Err(syn::Error::new_spanned(
                &pair,
                format!("Unknown attribute {other} is specified; {EXPECTED}"),
            )),
        }
    }

    fn finish(self, kind: Kind, multi_thread: bool) -> syn::Result<Config> {
        let default = match kind {
            Kind::Main => Flavor::MultiThread,
            Kind::Test => Flavor::CurrentThread,
        };
        let flavor = self.flavor.unwrap_or(default);
        let macro_name = kind.macro_name();
        if flavor == Flavor::MultiThread && !multi_thread {
            let message = if self.flavor.is_none() {
                "The default runtime flavor is `multi_thread`, but the `rt-multi-thread` feature is disabled."
            } else {
                "The runtime flavor `multi_thread` requires the `rt-multi-thread` feature."
            };
            return Err(syn::Error::new(Span::call_site(), message));
        }
        if let (Flavor::CurrentThread | Flavor::Local, Some((_, span))) =
            (flavor, self.worker_threads)
        {
            return Err(syn::Error::new(
                span,
                format!(
                    "The `worker_threads` option requires the `multi_thread` runtime flavor. Use `#[{macro_name}(flavor = \"multi_thread\")]`"
                ),
            ));
        }
        if let (Flavor::MultiThread, Some((_, span))) = (flavor, self.start_paused) {
            return Err(syn::Error::new(
                span,
                format!(
                    "The `start_paused` option requires the `current_thread` runtime flavor. Use `#[{macro_name}(flavor = \"current_thread\")]`"
                ),
            ));
        }
        Ok(Config {
            flavor,
            worker_threads: self.worker_threads.map(|(count, _)| count),
            start_paused: self.start_paused.is_some_and(|(paused, _)| paused),
            crate_path: self.crate_path,
            name: self.name,
        })
    }
}

fn lowercase_name(path: &syn::Path) -> syn::Result<String> {
    path.get_ident()
        .map(|ident| ident.to_string().to_lowercase())
        .ok_or_else(|| syn::Error::new_spanned(path, "Must have specified ident"))
}

/// The error for an argument written without a value, such as `#[eddy::main(multi_thread)]`.
fn bare_name_error(kind: Kind, path: &syn::Path) -> syn::Error {
    let name = match lowercase_name(path) {
        Ok(name) => name,
        Err(error) => return error,
    };
    let macro_name = kind.macro_name();
    let message = match name.as_str() {
        "threaded_scheduler" | "multi_thread" => {
            format!("Set the runtime flavor with #[{macro_name}(flavor = \"multi_thread\")].")
        }
        "basic_scheduler" | "current_thread" | "single_threaded" => {
            format!("Set the runtime flavor with #[{macro_name}(flavor = \"current_thread\")].")
        }
        "flavor" | "worker_threads" | "start_paused" | "crate" | "name" => {
            format!("The `{name}` attribute requires an argument.")
        }
        other => format!("Unknown attribute {other} is specified; {EXPECTED}."),
    };
    syn::Error::new_spanned(path, message)
}

fn set_once<T>(slot: &mut Option<T>, name: &str, lit: &Lit, value: T) -> syn::Result<()> {
    if slot.is_some() {
        return Err(syn::Error::new(
            lit.span(),
            format!("`{name}` set multiple times."),
        ));
    }
    *slot = Some(value);
    Ok(())
}

fn parse_flavor(lit: &Lit) -> syn::Result<Flavor> {
    let Lit::Str(text) = lit else {
        return Err(syn::Error::new(
            lit.span(),
            "Failed to parse value of `flavor` as string.",
        ));
    };
    let message = match text.value().as_str() {
        "current_thread" => return Ok(Flavor::CurrentThread),
        "multi_thread" => return Ok(Flavor::MultiThread),
        "local" => return Ok(Flavor::Local),
        "single_thread" => "The single threaded runtime flavor is called `current_thread`.".to_owned(),
        "basic_scheduler" => {
            "The `basic_scheduler` runtime flavor has been renamed to `current_thread`.".to_owned()
        }
        "threaded_scheduler" => {
            "The `threaded_scheduler` runtime flavor has been renamed to `multi_thread`.".to_owned()
        }
        other => format!(
            "No such runtime flavor `{other}`. The runtime flavors are `current_thread`, `local`, and `multi_thread`."
        ),
    };
    Err(syn::Error::new(lit.span(), message))
}

fn parse_worker_threads(lit: &Lit) -> syn::Result<usize> {
    let count = match lit {
        Lit::Int(int) => int.base10_parse::<usize>().ok(),
        _ => None,
    };
    match count {
        Some(0) => Err(syn::Error::new(
            lit.span(),
            "`worker_threads` may not be 0.",
        )),
        Some(count) => Ok(count),
        None => Err(syn::Error::new(
            lit.span(),
            "Failed to parse value of `worker_threads` as integer.",
        )),
    }
}

fn parse_bool(lit: &Lit, name: &str) -> syn::Result<bool> {
    match lit {
        Lit::Bool(value) => Ok(value.value),
        _ => Err(syn::Error::new(
            lit.span(),
            format!("Failed to parse value of `{name}` as bool."),
        )),
    }
}

fn parse_name(lit: &Lit) -> syn::Result<String> {
    let Lit::Str(text) = lit else {
        return Err(syn::Error::new(
            lit.span(),
            "Failed to parse value of `name` as string.",
        ));
    };
    let name = text.value();
    if name.trim().is_empty() {
        // The builder would panic on it at run time; say so at compile time instead.
        return Err(syn::Error::new(lit.span(), "`name` may not be empty."));
    }
    Ok(name)
}

fn parse_path(lit: &Lit) -> syn::Result<syn::Path> {
    let Lit::Str(text) = lit else {
        return Err(syn::Error::new(
            lit.span(),
            "Failed to parse value of `crate` as path.",
        ));
    };
    text.parse::<syn::Path>().map_err(|_| {
        syn::Error::new(
            lit.span(),
            format!(
                "Failed to parse value of `crate` as path: \"{}\"",
                text.value()
            ),
        )
    })
}
