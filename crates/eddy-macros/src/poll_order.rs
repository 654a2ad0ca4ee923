//! The order in which `select!`, `join!` and `try_join!` poll their futures.
//!
//! Without `biased;` these macros spread their attention: `select!` starts each poll at a random
//! branch and `join!` at the next future in turn, wrapping around, so no branch can starve the
//! others. With `biased;` (or with a single future) they poll in the order written, which is
//! cheaper and deterministic; the caller then owns fairness.
//!
//! The generated code avoids constant arithmetic (`% 1`, `0..1` loops) that lints such as
//! Clippy's would flag in the caller's crate.

use proc_macro2::{Span, TokenStream};
use quote::quote_spanned;
use syn::parse::ParseStream;
use syn::Token;

/// Consumes `biased;` if the input starts with it.
pub(crate) fn parse_biased(input: ParseStream<'_>) -> syn::Result<bool> {
    let starts_biased = input
        .fork()
        .parse::<syn::Ident>()
        .is_ok_and(|ident| ident == "biased")
        && input.peek2(Token![;]);
    if starts_biased {
        input.parse::<syn::Ident>()?;
        input.parse::<Token![;]>()?;
    }
    Ok(starts_biased)
}

/// Runs `steps` (one per future, in the order written) once each: in order when `start` is
/// `None`, otherwise from the index `start` evaluates to, wrapping around. With a single step,
/// `start` is still evaluated (it may advance some state), and the step runs.
pub(crate) fn run_steps(steps: &[TokenStream], start: Option<TokenStream>) -> TokenStream {
    let Some(start) = start else {
        return quote_spanned!(Span::mixed_site()=> #(#steps)*);
    };
    if let [step] = steps {
        return quote_spanned!(Span::mixed_site()=> let _: usize = #start; #step);
    }
    let count = steps.len();
    let indices = 0..count;
    quote_spanned! {Span::mixed_site()=>
        let first: usize = #start;
        for offset in 0..#count {
            let index = first + offset;
            let index = if index < #count { index } else { index - #count };
            match index {
                #( #indices => { #steps } )*
                _ => ::core::unreachable!(),
            }
        }
    }
}
