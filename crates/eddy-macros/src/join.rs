//! `join!` and `try_join!`: await several futures at once on the current task.
//!
//! Each expression is turned into a future (`IntoFuture`) in a `MaybeDone` slot, in order, and the
//! slots are pinned on the stack as one chain before anything is polled. One `poll_fn` then polls
//! every slot; a slot keeps its future's output once it finishes and never polls that future
//! again. The poll starts one future later each time (`biased;` always starts at the first), so a
//! future that is always ready cannot starve the ones after it. When every output is in, they are
//! taken out and returned as a tuple in the order written.
//!
//! The future the expansion awaits holds the chain, one pointer to it and, unless `biased;`, a
//! `u32` start index (kept even for one future, as Tokio does), so its size is Tokio's.
//!
//! `try_join!` expects each output to be a `Result` with one error type: the first `Err` ends
//! the whole expression with that error, and the futures still running are dropped right away
//! (they live in the block the expression expands to). Otherwise it returns `Ok` of the tuple.
//!
//! Besides `core`, the expansion names the facade's hidden `macros::support` module (through the
//! facade wrapper's `$crate`, or the caller's name for the facade, see `crate_path`), which holds
//! the slots; nothing there needs a
//! runtime, so these macros work under any executor.

use crate::crate_path::facade_and_input;
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
    let (facade, input) = facade_and_input(input);
    match syn::parse2::<JoinInput>(input) {
        Ok(input) => generate(mode, &support_path(&facade), &input),
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

fn generate(mode: Mode, support: &TokenStream, input: &JoinInput) -> TokenStream {
    let count = input.futures.len();
    if count == 0 {
        let nothing = match mode {
            Mode::Join => quote_spanned!(Span::mixed_site()=> ()),
            Mode::TryJoin => quote_spanned!(Span::mixed_site()=> ::core::result::Result::Ok(())),
        };
        return quote_spanned!(Span::mixed_site()=> ::core::future::ready(#nothing).await);
    }
    let slots = names("slot", count);
    let chain = slot_chain(
        support,
        input
            .futures
            .iter()
            .map(|future| quote_spanned!(Span::mixed_site()=> #support::maybe_done(#future))),
    );
    let split = split_chain(support, &slots);
    let steps: Vec<TokenStream> = slots.iter().map(|slot| poll_slot(mode, slot)).collect();
    // Like Tokio's, an unbiased join keeps its start index even with one future (always 0),
    // so that its future has the size of Tokio's.
    let rotate = !input.biased;
    let rotation_state = if rotate {
        quote_spanned!(Span::mixed_site()=> let mut next_start: u32 = 0;)
    } else {
        TokenStream::new()
    };
    let count = u32::try_from(count).expect("a join! of more than u32::MAX futures");
    let start = rotate.then(|| {
        quote_spanned! {Span::mixed_site()=> {
            let start = next_start;
            next_start = if start + 1 == #count { 0 } else { start + 1 };
            start as usize
        }}
    });
    let poll_futures = poll_order::run_steps(&steps, start);
    let outputs = slots.iter().map(|slot| take_output(mode, slot));
    let ready = match mode {
        Mode::Join => quote_spanned!(Span::mixed_site()=> (#(#outputs,)*)),
        Mode::TryJoin => {
            quote_spanned!(Span::mixed_site()=> ::core::result::Result::Ok((#(#outputs,)*)))
        }
    };
    quote_spanned! {Span::mixed_site()=> {
        let mut slots = ::core::pin::pin!(#chain);
        #rotation_state
        #support::poll_fn(move |cx: &mut ::core::task::Context<'_>| {
            #split
            let mut pending = false;
            #poll_futures
            if pending {
                return ::core::task::Poll::Pending;
            }
            // Unreachable when an output type is uninhabited.
            #[allow(unreachable_code)]
            ::core::task::Poll::Ready(#ready)
        }).await
    }}
}

/// The path of the facade's `macros::support` module, from the facade's path.
pub(crate) fn support_path(facade: &TokenStream) -> TokenStream {
    quote_spanned!(Span::mixed_site()=> #facade::macros::support)
}

/// `Slots::new(item_0, Slots::new(item_1, ... ()))`: the items in one value, evaluated in order.
pub(crate) fn slot_chain(
    support: &TokenStream,
    items: impl DoubleEndedIterator<Item = TokenStream>,
) -> TokenStream {
    items.rev().fold(
        quote_spanned!(Span::mixed_site()=> ()),
        |rest, item| quote_spanned!(Span::mixed_site()=> #support::Slots::new(#item, #rest)),
    )
}

/// Binds each of `slots` to its pinned item of the chain pinned in `slots`.
pub(crate) fn split_chain(support: &TokenStream, slots: &[Ident]) -> TokenStream {
    let mut rest = quote_spanned!(Span::mixed_site()=> slots.as_mut());
    let mut lets = TokenStream::new();
    for slot in slots {
        lets.extend(quote_spanned! {Span::mixed_site()=>
            #[allow(unused_mut)]
            let (mut #slot, rest) = #support::Slots::split(#rest);
        });
        rest = quote_spanned!(Span::mixed_site()=> rest);
    }
    lets.extend(quote_spanned!(Span::mixed_site()=> let _ = rest;));
    lets
}

/// Polls one slot (a finished one returns `Ready` at once); `try_join!` ends at an error.
fn poll_slot(mode: Mode, slot: &Ident) -> TokenStream {
    let on_ready = match mode {
        Mode::Join => TokenStream::new(),
        Mode::TryJoin => quote_spanned! {Span::mixed_site()=>
            if let ::core::option::Option::Some(::core::result::Result::Err(_)) = #slot.as_mut().output_mut() {
                if let ::core::option::Option::Some(::core::result::Result::Err(error)) = #slot.as_mut().take_output() {
                    return ::core::task::Poll::Ready(::core::result::Result::Err(error));
                }
            }
        },
    };
    quote_spanned! {Span::mixed_site()=>
        if ::core::future::Future::poll(#slot.as_mut(), cx).is_pending() {
            pending = true;
        } else {
            #on_ready
        }
    }
}

/// The output of a finished slot (`try_join!`: the value inside its `Ok`).
fn take_output(mode: Mode, slot: &Ident) -> TokenStream {
    match mode {
        Mode::Join => quote_spanned! {Span::mixed_site()=>
            #slot.as_mut().take_output().expect("expected completed future")
        },
        Mode::TryJoin => quote_spanned! {Span::mixed_site()=>
            match #slot.as_mut().take_output() {
                ::core::option::Option::Some(::core::result::Result::Ok(value)) => value,
                _ => ::core::unreachable!("every future of the join finished with `Ok`"),
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
