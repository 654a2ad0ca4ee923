//! `join!` and `try_join!`: await several futures at once on the current task.
//!
//! Each expression is turned into a future (`IntoFuture`) and pinned on the stack, in order, before
//! anything is polled. One `poll_fn` then polls every future that has not finished yet, storing
//! each output in its own `Option`; a finished future is never polled again. The poll starts one
//! future later each time (`biased;` always starts at the first), so a future that is always ready
//! cannot starve the ones after it. When every output is in, they are returned as a tuple in the
//! order written.
//!
//! `try_join!` expects each output to be a `Result` with one error type: the first `Err` ends
//! the whole expression with that error, and the futures still running are dropped right away
//! (they live in the block the expression expands to). Otherwise it returns `Ok` of the tuple.
//!
//! Only `core` is named in the expansion, so these macros work under any executor.

use crate::poll_order;
use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote_spanned};
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::{Expr, Ident, Token};

/// Which of the two macros is expanded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// `join!`: every output, as a tuple.
    Join,
    /// `try_join!`: every `Ok` output as a tuple, or the first error.
    TryJoin,
}

/// Expands `join!(...)` or `try_join!(...)`.
pub(crate) fn expand(mode: Mode, input: TokenStream) -> TokenStream {
    match syn::parse2::<JoinInput>(input) {
        Ok(input) => generate(mode, &input),
        Err(error) => error.into_compile_error(),
    }
}

struct JoinInput {
    biased: bool,
    futures: Vec<Expr>,
}

impl Parse for JoinInput {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let biased = poll_order::parse_biased(input)?;
        let futures = Punctuated::<Expr, Token![,]>::parse_terminated(input)?;
        Ok(JoinInput {
            biased,
            futures: futures.into_iter().collect(),
        })
    }
}

fn generate(mode: Mode, input: &JoinInput) -> TokenStream {
    let count = input.futures.len();
    if count == 0 {
        let nothing = match mode {
            Mode::Join => quote_spanned!(Span::mixed_site()=> ()),
            Mode::TryJoin => quote_spanned!(Span::mixed_site()=> ::core::result::Result::Ok(())),
        };
        return quote_spanned!(Span::mixed_site()=> ::core::future::ready(#nothing).await);
    }
    let futures = names("future", count);
    let outputs = names("output", count);
    let exprs = &input.futures;
    let steps: Vec<TokenStream> = futures
        .iter()
        .zip(&outputs)
        .map(|(future, output)| {
            let store = store_output(mode, output);
            quote_spanned! {Span::mixed_site()=>
                if #output.is_none() {
                    match ::core::future::Future::poll(#future.as_mut(), cx) {
                        ::core::task::Poll::Ready(value) => { #store }
                        ::core::task::Poll::Pending => pending = true,
                    }
                }
            }
        })
        .collect();
    let rotate = !input.biased && count > 1;
    let rotation_state = if rotate {
        quote_spanned!(Span::mixed_site()=> let mut next_start: usize = 0;)
    } else {
        TokenStream::new()
    };
    let start = rotate.then(|| {
        quote_spanned! {Span::mixed_site()=> {
            let start = next_start;
            next_start = if start + 1 == #count { 0 } else { start + 1 };
            start
        }}
    });
    let poll_futures = poll_order::run_steps(&steps, start);
    let somes = outputs
        .iter()
        .map(|output| quote_spanned!(Span::mixed_site()=> ::core::option::Option::Some(#output)));
    let tuple = quote_spanned!(Span::mixed_site()=> (#(#outputs,)*));
    let ready = match mode {
        Mode::Join => quote_spanned!(Span::mixed_site()=> #tuple),
        Mode::TryJoin => quote_spanned!(Span::mixed_site()=> ::core::result::Result::Ok(#tuple)),
    };
    quote_spanned! {Span::mixed_site()=> {
        #( let mut #futures = ::core::pin::pin!(::core::future::IntoFuture::into_future(#exprs)); )*
        #( let mut #outputs = ::core::option::Option::None; )*
        #rotation_state
        let joined = ::core::future::poll_fn(|cx: &mut ::core::task::Context<'_>| {
            let mut pending = false;
            #poll_futures
            if pending {
                return ::core::task::Poll::Pending;
            }
            match (#(#outputs.take(),)*) {
                (#(#somes,)*) => ::core::task::Poll::Ready(#ready),
                _ => ::core::unreachable!("every future of the join has its output"),
            }
        }).await;
        joined
    }}
}

/// What to do with `value`, the output of one future.
fn store_output(mode: Mode, output: &Ident) -> TokenStream {
    match mode {
        Mode::Join => {
            quote_spanned!(Span::mixed_site()=> #output = ::core::option::Option::Some(value);)
        }
        Mode::TryJoin => quote_spanned! {Span::mixed_site()=>
            match value {
                ::core::result::Result::Ok(value) => #output = ::core::option::Option::Some(value),
                ::core::result::Result::Err(error) => {
                    return ::core::task::Poll::Ready(::core::result::Result::Err(error));
                }
            }
        },
    }
}

/// `prefix_0`, `prefix_1`, ... at the macro's own hygiene site, invisible to the user's code.
pub(crate) fn names(prefix: &str, count: usize) -> Vec<Ident> {
    (0..count)
        .map(|index| format_ident!("{prefix}_{index}", span = Span::mixed_site()))
        .collect()
}
