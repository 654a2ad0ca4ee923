//! A hand-written `tracing` subscriber that records every span and event, for the `trace_*`
//! tests. It keeps one span stack for all threads, so use it from one thread at a time (a
//! thread-local default, `tracing::subscriber::with_default`, makes sure of that).

use std::collections::BTreeMap;
use std::fmt;
use std::panic::Location;
use std::sync::{Arc, Mutex, MutexGuard};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::subscriber::Interest;
use tracing::{Event, Metadata, Subscriber};

/// A recorded field value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Str(String),
    U64(u64),
    I64(i64),
    Bool(bool),
    Debug(String),
}

/// The fields of a span or event, by name.
#[derive(Debug, Default, Clone)]
pub struct Fields(BTreeMap<&'static str, Value>);

impl Fields {
    pub fn str(&self, name: &str) -> Option<&str> {
        match self.0.get(name)? {
            Value::Str(value) => Some(value),
            _ => None,
        }
    }

    pub fn u64(&self, name: &str) -> Option<u64> {
        match self.0.get(name)? {
            Value::U64(value) => Some(*value),
            _ => None,
        }
    }

    pub fn bool(&self, name: &str) -> Option<bool> {
        match self.0.get(name)? {
            Value::Bool(value) => Some(*value),
            _ => None,
        }
    }

    pub fn get(&self, name: &str) -> Option<&Value> {
        self.0.get(name)
    }

    /// Asserts that the `loc.file`, `loc.line` and `loc.col` fields (tokio-console's source
    /// location of a resource or task) are `location`.
    #[track_caller]
    pub fn assert_location(&self, location: &Location<'_>) {
        assert_eq!(self.str("loc.file"), Some(location.file()));
        assert_eq!(self.u64("loc.line"), Some(u64::from(location.line())));
        assert_eq!(self.u64("loc.col"), Some(u64::from(location.column())));
    }
}

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

/// One span, as created and then used.
#[derive(Debug, Clone)]
pub struct SpanRecord {
    pub id: u64,
    pub name: &'static str,
    pub target: &'static str,
    pub parent: Option<u64>,
    pub fields: Fields,
    pub enters: usize,
    pub exits: usize,
    pub closed: bool,
    handles: usize,
}

/// One event, with the spans that were entered when it was emitted (outermost first).
#[derive(Debug, Clone)]
pub struct EventRecord {
    pub target: &'static str,
    pub fields: Fields,
    pub entered: Vec<u64>,
}

/// Everything recorded so far.
#[derive(Debug, Default)]
pub struct Log {
    pub spans: Vec<SpanRecord>,
    pub events: Vec<EventRecord>,
    stack: Vec<u64>,
}

impl Log {
    pub fn span(&self, id: u64) -> &SpanRecord {
        &self.spans[id as usize - 1]
    }

    pub fn spans_named(&self, name: &str) -> Vec<&SpanRecord> {
        self.spans.iter().filter(|span| span.name == name).collect()
    }

    /// The only span named `name`; panics if there are none or several.
    pub fn only_span(&self, name: &str) -> &SpanRecord {
        let spans = self.spans_named(name);
        assert_eq!(
            spans.len(),
            1,
            "expected one `{name}` span: {:#?}",
            self.spans
        );
        spans[0]
    }

    /// The spans named `name` whose parent is `parent`.
    pub fn children(&self, parent: u64, name: &str) -> Vec<&SpanRecord> {
        self.spans
            .iter()
            .filter(|span| span.parent == Some(parent) && span.name == name)
            .collect()
    }

    pub fn events_with_target(&self, target: &str) -> Vec<&EventRecord> {
        self.events
            .iter()
            .filter(|event| event.target == target)
            .collect()
    }
}

/// The subscriber; clones share one [`Log`].
#[derive(Clone, Default, Debug)]
pub struct Recorder {
    log: Arc<Mutex<Log>>,
}

impl Recorder {
    pub fn new() -> Recorder {
        Recorder::default()
    }

    pub fn log(&self) -> MutexGuard<'_, Log> {
        self.log.lock().unwrap()
    }
}

impl Subscriber for Recorder {
    fn register_callsite(&self, _: &'static Metadata<'static>) -> Interest {
        // Ask `enabled` each time: threads without this subscriber must see nothing.
        Interest::sometimes()
    }

    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, attrs: &Attributes<'_>) -> Id {
        let mut log = self.log();
        let id = log.spans.len() as u64 + 1;
        let parent = match attrs.parent() {
            Some(parent) => Some(parent.into_u64()),
            None if attrs.is_contextual() => log.stack.last().copied(),
            None => None,
        };
        let mut fields = Fields::default();
        attrs.record(&mut fields);
        log.spans.push(SpanRecord {
            id,
            name: attrs.metadata().name(),
            target: attrs.metadata().target(),
            parent,
            fields,
            enters: 0,
            exits: 0,
            closed: false,
            handles: 1,
        });
        Id::from_u64(id)
    }

    fn record(&self, span: &Id, values: &Record<'_>) {
        let mut log = self.log();
        let index = span.into_u64() as usize - 1;
        values.record(&mut log.spans[index].fields);
    }

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let mut log = self.log();
        let mut fields = Fields::default();
        event.record(&mut fields);
        let entered = log.stack.clone();
        log.events.push(EventRecord {
            target: event.metadata().target(),
            fields,
            entered,
        });
    }

    fn enter(&self, span: &Id) {
        let mut log = self.log();
        let id = span.into_u64();
        log.spans[id as usize - 1].enters += 1;
        log.stack.push(id);
    }

    fn exit(&self, span: &Id) {
        let mut log = self.log();
        let id = span.into_u64();
        log.spans[id as usize - 1].exits += 1;
        if let Some(position) = log.stack.iter().rposition(|&entered| entered == id) {
            log.stack.remove(position);
        }
    }

    fn clone_span(&self, span: &Id) -> Id {
        self.log().spans[span.into_u64() as usize - 1].handles += 1;
        span.clone()
    }

    fn try_close(&self, span: Id) -> bool {
        let mut log = self.log();
        let record = &mut log.spans[span.into_u64() as usize - 1];
        record.handles -= 1;
        record.closed = record.handles == 0;
        record.closed
    }
}

/// One `runtime::resource::state_update` event, flattened.
#[derive(Debug, Clone, PartialEq)]
pub struct Update {
    pub field: &'static str,
    pub value: Value,
    pub op: Option<String>,
}

impl Update {
    pub fn new(field: &'static str, value: Value, op: &str) -> Update {
        Update {
            field,
            value,
            op: Some(op.to_owned()),
        }
    }
}

impl Log {
    /// The state updates emitted inside the span `resource`, in order.
    pub fn updates(&self, resource: u64) -> Vec<Update> {
        self.events_with_target("runtime::resource::state_update")
            .into_iter()
            .filter(|event| event.entered.contains(&resource))
            .map(|event| {
                let (field, value) = event
                    .fields
                    .0
                    .iter()
                    .find(|(name, _)| !name.ends_with(".op") && !name.ends_with(".unit"))
                    .expect("a state update names its field");
                Update {
                    field,
                    value: value.clone(),
                    op: event.fields.str(&format!("{field}.op")).map(str::to_owned),
                }
            })
            .collect()
    }

    /// The `is_ready` of each `poll_op` event, in order.
    pub fn poll_readiness(&self) -> Vec<bool> {
        self.events_with_target("runtime::resource::poll_op")
            .iter()
            .map(|event| event.fields.bool("is_ready").expect("is_ready"))
            .collect()
    }
}
