//! A `tracing` subscriber that records everything it is told, for asserting on spans and events.

// Each test binary that includes this module uses a different part of it.
#![allow(dead_code)]

use std::collections::HashMap;
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

/// A field value, as recorded.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Str(String),
    U64(u64),
    I64(i64),
    Bool(bool),
    Debug(String),
}

/// One span the subscriber saw.
#[derive(Debug, Clone)]
pub struct SpanRecord {
    pub id: u64,
    pub name: &'static str,
    pub target: &'static str,
    pub fields: HashMap<&'static str, Value>,
    pub enters: u64,
    pub exits: u64,
    /// References held (new_span and clone_span add one, try_close drops one).
    pub refs: u64,
    pub closed: bool,
}

/// One event the subscriber saw.
#[derive(Debug, Clone)]
pub struct EventRecord {
    pub target: &'static str,
    pub fields: HashMap<&'static str, Value>,
}

#[derive(Default)]
struct Inner {
    spans: Vec<SpanRecord>,
    events: Vec<EventRecord>,
}

/// Records spans and events; clones share the record.
#[derive(Clone, Default)]
pub struct Recorder {
    inner: Arc<Mutex<Inner>>,
    next_id: Arc<AtomicU64>,
}

impl Recorder {
    pub fn spans(&self) -> Vec<SpanRecord> {
        self.inner.lock().unwrap().spans.clone()
    }

    pub fn events(&self) -> Vec<EventRecord> {
        self.inner.lock().unwrap().events.clone()
    }

    /// The spans named `name`.
    pub fn spans_named(&self, name: &str) -> Vec<SpanRecord> {
        self.spans()
            .into_iter()
            .filter(|span| span.name == name)
            .collect()
    }

    fn with_span(&self, id: &Id, f: impl FnOnce(&mut SpanRecord)) {
        let mut inner = self.inner.lock().unwrap();
        let span = inner
            .spans
            .iter_mut()
            .find(|span| span.id == id.into_u64())
            .expect("recorder: unknown span id");
        f(span);
    }
}

#[derive(Default)]
struct Fields(HashMap<&'static str, Value>);

impl Visit for Fields {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name(), Value::Str(value.to_owned()));
    }
    fn record_u64(&mut self, field: &Field, value: u64) {
        self.0.insert(field.name(), Value::U64(value));
    }
    fn record_i64(&mut self, field: &Field, value: i64) {
        self.0.insert(field.name(), Value::I64(value));
    }
    fn record_bool(&mut self, field: &Field, value: bool) {
        self.0.insert(field.name(), Value::Bool(value));
    }
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.0
            .insert(field.name(), Value::Debug(format!("{value:?}")));
    }
}

impl Subscriber for Recorder {
    fn enabled(&self, _metadata: &Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, attrs: &Attributes<'_>) -> Id {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed) + 1;
        let mut fields = Fields::default();
        attrs.record(&mut fields);
        self.inner.lock().unwrap().spans.push(SpanRecord {
            id,
            name: attrs.metadata().name(),
            target: attrs.metadata().target(),
            fields: fields.0,
            enters: 0,
            exits: 0,
            refs: 1,
            closed: false,
        });
        Id::from_u64(id)
    }

    fn record(&self, span: &Id, values: &Record<'_>) {
        let mut fields = Fields::default();
        values.record(&mut fields);
        self.with_span(span, |span| span.fields.extend(fields.0));
    }

    fn record_follows_from(&self, _span: &Id, _follows: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let mut fields = Fields::default();
        event.record(&mut fields);
        self.inner.lock().unwrap().events.push(EventRecord {
            target: event.metadata().target(),
            fields: fields.0,
        });
    }

    fn enter(&self, span: &Id) {
        self.with_span(span, |span| span.enters += 1);
    }

    fn exit(&self, span: &Id) {
        self.with_span(span, |span| span.exits += 1);
    }

    fn clone_span(&self, id: &Id) -> Id {
        self.with_span(id, |span| span.refs += 1);
        id.clone()
    }

    fn try_close(&self, id: Id) -> bool {
        let mut closed = false;
        self.with_span(&id, |span| {
            span.refs -= 1;
            span.closed = span.refs == 0;
            closed = span.closed;
        });
        closed
    }
}
