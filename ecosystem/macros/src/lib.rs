//! Placeholder: filled in by the macros ecosystem tests.
