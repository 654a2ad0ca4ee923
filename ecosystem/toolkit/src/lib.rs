//! Placeholder: filled in by the toolkit ecosystem tests.
