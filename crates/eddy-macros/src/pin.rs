//! `pin!`: pins values to the stack, in Tokio's two forms.
//!
//! `pin!(a, b);` rebinds each named variable as `Pin<&mut T>` over its old value;
//! `pin! { let a = expr; }` binds a new variable the same way. The value is moved into a
//! temporary that lives as long as the new binding (the language's temporary lifetime extension,
//! which `core::pin::pin!` relies on) and can never be reached unpinned again, so no unsafe code is
//! needed. The new bindings are `mut`, as Tokio's are, so that `.as_mut()` works on them.

use proc_macro2::{Span, TokenStream};
use quote::quote_spanned;
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::{Expr, Ident, Token};

/// Expands `pin!(...)`.
pub(crate) fn expand(input: TokenStream) -> TokenStream {
    match syn::parse2::<PinInput>(input) {
        Ok(input) => input.into_statements(),
        Err(error) => error.into_compile_error(),
    }
}

/// One variable to pin, and the value it starts with.
struct Pinned {
    name: Ident,
    value: Expr,
}

struct PinInput(Vec<Pinned>);

impl Parse for PinInput {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        if input.peek(Token![let]) {
            let mut pinned = Vec::new();
            while !input.is_empty() {
                pinned.push(parse_let(input)?);
            }
            return Ok(PinInput(pinned));
        }
        let names = Punctuated::<Ident, Token![,]>::parse_terminated(input)?;
        let pinned = names
            .into_iter()
            .map(|name| Pinned {
                value: syn::parse_quote_spanned!(Span::mixed_site()=> #name),
                name,
            })
            .collect();
        Ok(PinInput(pinned))
    }
}

/// `let name = value;`
fn parse_let(input: ParseStream<'_>) -> syn::Result<Pinned> {
    input.parse::<Token![let]>()?;
    let name = input.parse()?;
    input.parse::<Token![=]>()?;
    let value = input.parse()?;
    input.parse::<Token![;]>()?;
    Ok(Pinned { name, value })
}

impl PinInput {
    fn into_statements(self) -> TokenStream {
        self.0
            .into_iter()
            .map(|Pinned { name, value }| {
                quote_spanned! {Span::mixed_site()=>
                    #[allow(unused_mut)]
                    let mut #name = ::core::pin::pin!(#value);
                }
            })
            .collect()
    }
}
