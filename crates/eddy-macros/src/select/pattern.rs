//! The pattern `select!` checks against a branch's output before committing to the branch.
//!
//! A branch whose pattern does not match its output is disabled and the other branches keep
//! running, so the check must happen inside the poll, where the output can only be borrowed
//! (it moves out only once the branch is chosen). The user's pattern is therefore matched against
//! `&output`, with default binding modes, after removing what would move or mutably borrow:
//! `mut` and `ref`/`ref mut` on bindings and `mut` on reference patterns. What the cleaned
//! pattern matches is exactly what the original matches; its bindings are never used.

use syn::Pat;

/// `pattern` with every binding made a plain, immutable, by-default binding.
pub(crate) fn for_borrowed_check(pattern: &Pat) -> Pat {
    let mut pattern = pattern.clone();
    clean(&mut pattern);
    pattern
}

fn clean(pattern: &mut Pat) {
    match pattern {
        Pat::Ident(binding) => {
            binding.by_ref = None;
            binding.mutability = None;
            if let Some((_, subpattern)) = &mut binding.subpat {
                clean(subpattern);
            }
        }
        Pat::Reference(reference) => {
            reference.mutability = None;
            clean(&mut reference.pat);
        }
        Pat::Or(or) => or.cases.iter_mut().for_each(clean),
        Pat::Paren(paren) => clean(&mut paren.pat),
        Pat::Slice(slice) => slice.elems.iter_mut().for_each(clean),
        Pat::Tuple(tuple) => tuple.elems.iter_mut().for_each(clean),
        Pat::TupleStruct(tuple) => tuple.elems.iter_mut().for_each(clean),
        Pat::Struct(structure) => structure
            .fields
            .iter_mut()
            .for_each(|field| clean(&mut field.pat)),
        Pat::Type(typed) => clean(&mut typed.pat),
        _ => {}
    }
}
