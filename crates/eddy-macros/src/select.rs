//! `select!`: wait on several branches and run the handler of the first one that completes.
//!
//! The expansion follows Tokio's documented steps, in this order:
//!
//! 1. Every `, if precondition` is evaluated; a false one disables its branch (a bit in a mask,
//!    the smallest unsigned integer with a bit per branch, hence at most 64 branches).
//! 2. Every branch's expression is evaluated, turned into a future (`IntoFuture`), and the
//!    futures are pinned on the stack as one chain of slots, disabled branches included (their
//!    futures are never polled).
//! 3. A `poll_fn` first checks the task's cooperative budget: when it is spent, the `select!`
//!    yields before polling any branch, so that branches that are always ready cannot keep the
//!    task running. It then polls the enabled branches, starting at a random one each time
//!    (`biased;`: always at the first). A branch that completes is disabled; its output is checked against
//!    the branch's pattern (borrowed, see [`pattern`]): a match ends the poll with that output, a
//!    mismatch leaves the other branches running. When every branch is disabled the poll ends
//!    with "disabled".
//! 4. The futures are dropped (they live in an inner block), and only then is the chosen handler
//!    evaluated, with the pattern's bindings, outside of any closure: `return`, `?`, `break` and
//!    `continue` in a handler act on the code around the `select!`, and the handler may use what
//!    the futures had borrowed. "Disabled" runs the `else` expression, or panics without one.
//!
//! A `select!` with only an `else` branch is just its `else` expression.
//!
//! The future the expansion awaits holds the chain, one pointer to it and the mask, as Tokio's
//! does. Besides `core`, the expansion names the facade's hidden `macros::support` module (through
//! the facade wrapper's `$crate`, or the caller's name for the facade, see `crate_path`) for the chain, the budget check and the random
//! start; the budget check does nothing outside an eddy task, so `select!` works under any
//! executor.

mod pattern;

use crate::crate_path::facade_and_input;
use crate::join::{names, slot_chain, split_chain, support_path};
use crate::poll_order;
use proc_macro2::{Literal, Span, TokenStream};
use quote::{format_ident, quote_spanned};
use syn::parse::{Parse, ParseStream};
use syn::{token, Expr, ExprBlock, Ident, Pat, Token};

/// The most branches one `select!` takes.
const MAX_BRANCHES: usize = 64;

/// Expands `select! { ... }`.
pub(crate) fn expand(input: TokenStream) -> TokenStream {
    let (facade, input) = facade_and_input(input);
    match syn::parse2::<SelectInput>(input) {
        Ok(input) => generate(&support_path(&facade), &input),
        Err(error) => error.into_compile_error(),
    }
}

/// `<pattern> = <future> [, if <precondition>] => <handler>`
struct Branch {
    pattern: Pat,
    future: Expr,
    precondition: Option<Expr>,
    handler: Expr,
}

struct SelectInput {
    biased: bool,
    branches: Vec<Branch>,
    otherwise: Option<Expr>,
}

impl Parse for SelectInput {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let biased = poll_order::parse_biased(input)?;
        let mut branches: Vec<Branch> = Vec::new();
        let mut otherwise = None;
        while !input.is_empty() {
            if input.peek(Token![else]) {
                let else_token = input.parse::<Token![else]>()?;
                if otherwise.is_some() {
                    return Err(syn::Error::new_spanned(
                        else_token,
                        "select! takes at most one `else` branch",
                    ));
                }
                input.parse::<Token![=>]>()?;
                otherwise = Some(parse_handler(input)?);
            } else {
                branches.push(input.parse()?);
            }
        }
        if branches.is_empty() && otherwise.is_none() {
            return Err(syn::Error::new(
                Span::call_site(),
                "select! requires at least one branch.",
            ));
        }
        if branches.len() > MAX_BRANCHES {
            return Err(syn::Error::new_spanned(
                &branches[MAX_BRANCHES].pattern,
                format!("select! takes at most {MAX_BRANCHES} branches"),
            ));
        }
        Ok(SelectInput {
            biased,
            branches,
            otherwise,
        })
    }
}

impl Parse for Branch {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let pattern = Pat::parse_multi_with_leading_vert(input)?;
        input.parse::<Token![=]>()?;
        let future = input.parse()?;
        let precondition = if input.peek(Token![,]) && input.peek2(Token![if]) {
            input.parse::<Token![,]>()?;
            input.parse::<Token![if]>()?;
            Some(Expr::parse_without_eager_brace(input)?)
        } else {
            None
        };
        input.parse::<Token![=>]>()?;
        let handler = parse_handler(input)?;
        Ok(Branch {
            pattern,
            future,
            precondition,
            handler,
        })
    }
}

/// A handler: a block, whose comma is optional, or an expression followed by a comma unless it
/// is the last thing in the macro. (A block is read as a block so that a following branch such as
/// `(a, b) = fut` is not taken for a call of it.)
fn parse_handler(input: ParseStream<'_>) -> syn::Result<Expr> {
    if input.peek(token::Brace) {
        let block = input.parse()?;
        input.parse::<Option<Token![,]>>()?;
        return Ok(Expr::Block(ExprBlock {
            attrs: Vec::new(),
            label: None,
            block,
        }));
    }
    let handler = input.parse()?;
    if !input.is_empty() {
        input.parse::<Token![,]>()?;
    }
    Ok(handler)
}

fn generate(support: &TokenStream, input: &SelectInput) -> TokenStream {
    if input.branches.is_empty() {
        // Only `else`: nothing to wait for.
        let otherwise = &input.otherwise;
        return quote_spanned!(Span::mixed_site()=> { #otherwise });
    }
    let count = input.branches.len();
    let futures = names("future", count);
    let slots = names("slot", count);
    let mask_type = mask_type(count);
    let variants: Vec<Ident> = (0..count)
        .map(|index| format_ident!("Branch{index}"))
        .collect();
    let outputs: Vec<Ident> = (0..count).map(|index| format_ident!("T{index}")).collect();
    let masks: Vec<Literal> = (0..count)
        .map(|index| Literal::u64_unsuffixed(1 << index))
        .collect();

    let preconditions = input
        .branches
        .iter()
        .zip(&masks)
        .filter_map(|(branch, mask)| {
            let condition = branch.precondition.as_ref()?;
            Some(quote_spanned! {Span::mixed_site()=>
                let enabled: bool = #condition;
                if !enabled {
                    disabled |= #mask;
                }
            })
        });
    let exprs = input.branches.iter().map(|branch| &branch.future);
    let chain = slot_chain(
        support,
        futures.iter().map(|future| {
            quote_spanned!(Span::mixed_site()=> ::core::future::IntoFuture::into_future(#future))
        }),
    );
    let split = split_chain(support, &slots);
    let steps: Vec<TokenStream> = input
        .branches
        .iter()
        .zip(&slots)
        .zip(variants.iter().zip(&masks))
        .map(|((branch, slot), (variant, mask))| {
            let check = pattern::for_borrowed_check(&branch.pattern);
            // A labeled block, left early by `break` when the branch is disabled or pending. The
            // `break` also ties the output's type to a diverging expression, so an output type
            // nothing else fixes falls back as it does in Tokio's expansion.
            quote_spanned! {Span::mixed_site()=>
                #[allow(unreachable_code)]
                'branch: {
                    if disabled & #mask != 0 {
                        break 'branch;
                    }
                    let value = match ::core::future::Future::poll(#slot.as_mut(), cx) {
                        ::core::task::Poll::Ready(value) => value,
                        ::core::task::Poll::Pending => {
                            pending = true;
                            break 'branch;
                        }
                    };
                    disabled |= #mask;
                    #[allow(unused_variables)]
                    let matched = match &value {
                        #check => true,
                        #[allow(unreachable_patterns)]
                        _ => false,
                    };
                    if matched {
                        return ::core::task::Poll::Ready(SelectOutput::#variant(value));
                    }
                }
            }
        })
        .collect();
    let start = (!input.biased && count > 1).then(|| random_below(support, count));
    let poll_branches = poll_order::run_steps(&steps, start);
    let patterns = input.branches.iter().map(|branch| &branch.pattern);
    let handlers = input.branches.iter().map(|branch| &branch.handler);
    let otherwise = match &input.otherwise {
        Some(otherwise) => quote_spanned!(Span::mixed_site()=> #otherwise),
        None => quote_spanned!(Span::mixed_site()=> ::core::panic!(
            "all branches are disabled and there is no else branch"
        )),
    };

    quote_spanned! {Span::mixed_site()=> {
        enum SelectOutput<#(#outputs),*> {
            #( #variants(#outputs), )*
            Disabled,
        }
        let mut disabled: #mask_type = 0;
        #( #preconditions )*
        #[allow(unused_mut)]
        let mut output = {
            // One tuple first: a borrowed temporary (`&mut ready(())`) then lives as long as
            // the tuple, as it would in a plain `let`.
            let (#(#futures,)*) = (#(#exprs,)*);
            let mut slots = ::core::pin::pin!(#chain);
            let polled = #support::poll_fn(move |cx: &mut ::core::task::Context<'_>| {
                ::core::task::ready!(#support::poll_budget_available(cx));
                #split
                let mut pending = false;
                #poll_branches
                if pending {
                    ::core::task::Poll::Pending
                } else {
                    ::core::task::Poll::Ready(SelectOutput::Disabled)
                }
            }).await;
            polled
        };
        match output {
            #( SelectOutput::#variants(#patterns) => #handlers, )*
            SelectOutput::Disabled => #otherwise,
            #[allow(unreachable_patterns)]
            _ => ::core::unreachable!("the branch's pattern matched when it was polled"),
        }
    }}
}

/// A random index below `count`, fresh on every call.
fn random_below(support: &TokenStream, count: usize) -> TokenStream {
    let count = u32::try_from(count).expect("at most 64 branches");
    quote_spanned!(Span::mixed_site()=> #support::thread_rng_n(#count) as usize)
}

/// The smallest unsigned integer with a bit for each of `count` branches.
fn mask_type(count: usize) -> TokenStream {
    match count {
        0..=8 => quote_spanned!(Span::mixed_site()=> u8),
        9..=16 => quote_spanned!(Span::mixed_site()=> u16),
        17..=32 => quote_spanned!(Span::mixed_site()=> u32),
        _ => quote_spanned!(Span::mixed_site()=> u64),
    }
}
