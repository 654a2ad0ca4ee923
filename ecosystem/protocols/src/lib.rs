//! Placeholder: filled in by the protocols ecosystem tests.
