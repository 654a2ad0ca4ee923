use super::{parse, Entry, Value};

fn entry(key: &[&str], value: Value) -> Entry {
    Entry {
        key: key.iter().map(|part| (*part).to_owned()).collect(),
        value,
    }
}

fn str_value(text: &str) -> Value {
    Value::Str(text.to_owned())
}

fn value_at(entries: &[Entry], key: &[&str]) -> Option<Value> {
    entries
        .iter()
        .find(|entry| entry.key == key)
        .map(|entry| entry.value.clone())
}

#[test]
fn tables_dotted_keys_and_inline_tables_flatten_into_paths() {
    let entries = parse(
        "[package]\nname = \"app\"\n\n[dependencies]\n\
         tokio = { package = \"eddy\", features = [\"full\"] }\n\
         serde.workspace = true\n",
    )
    .unwrap();
    assert_eq!(
        entries,
        vec![
            entry(&["package"], Value::Table),
            entry(&["package", "name"], str_value("app")),
            entry(&["dependencies"], Value::Table),
            entry(&["dependencies", "tokio"], Value::Table),
            entry(&["dependencies", "tokio", "package"], str_value("eddy")),
            entry(&["dependencies", "tokio", "features"], Value::Other),
            entry(&["dependencies", "serde", "workspace"], Value::Bool(true)),
        ]
    );
}

#[test]
fn quoted_keys_in_headers_keep_their_dots() {
    let entries = parse(
        "[target.'cfg(target_os = \"linux\")'.dependencies]\nx = \"1\"\n\
         [target.\"x86_64-unknown-linux-gnu\".dev-dependencies.y]\nversion = \"2\"\n",
    )
    .unwrap();
    assert_eq!(
        value_at(
            &entries,
            &["target", "cfg(target_os = \"linux\")", "dependencies", "x"]
        ),
        Some(str_value("1"))
    );
    assert_eq!(
        value_at(
            &entries,
            &[
                "target",
                "x86_64-unknown-linux-gnu",
                "dev-dependencies",
                "y",
                "version"
            ]
        ),
        Some(str_value("2"))
    );
}

#[test]
fn comments_are_ignored_everywhere_but_inside_strings() {
    let entries = parse(
        "# header comment\n[dependencies] # after a header\n\
         # eddy = { path = \"../eddy\" }\n\
         a = \"has # no comment\" # but this is one\n\
         b = { version = \"1\" } # trailing\n",
    )
    .unwrap();
    assert_eq!(value_at(&entries, &["dependencies", "eddy"]), None);
    assert_eq!(
        value_at(&entries, &["dependencies", "a"]),
        Some(str_value("has # no comment"))
    );
    assert_eq!(
        value_at(&entries, &["dependencies", "b", "version"]),
        Some(str_value("1"))
    );
}

#[test]
fn escapes_and_literal_strings() {
    let entries = parse(
        "a = \"tab\\there \\\"q\\\" \\u00e9 \\\\\"\nb = 'C:\\raw\\path'\nc = \"caf\u{e9}\"\n",
    )
    .unwrap();
    assert_eq!(
        value_at(&entries, &["a"]),
        Some(str_value("tab\there \"q\" \u{e9} \\"))
    );
    assert_eq!(value_at(&entries, &["b"]), Some(str_value("C:\\raw\\path")));
    assert_eq!(value_at(&entries, &["c"]), Some(str_value("caf\u{e9}")));
}

#[test]
fn multi_line_strings_may_hold_brackets_quotes_and_hashes() {
    let text =
        "[package]\ndescription = \"\"\"\n[dependencies]\neddy = \"1\" # \"\"quoted\"\"\"\"\"\n\
                notes = '''\n[workspace]\n'''\ncontinued = \"\"\"a \\\n     b\"\"\"\n";
    let entries = parse(text).unwrap();
    assert_eq!(
        value_at(&entries, &["package", "description"]),
        Some(str_value("[dependencies]\neddy = \"1\" # \"\"quoted\"\""))
    );
    assert_eq!(
        value_at(&entries, &["package", "notes"]),
        Some(str_value("[workspace]\n"))
    );
    assert_eq!(
        value_at(&entries, &["package", "continued"]),
        Some(str_value("a b"))
    );
    assert!(!entries.iter().any(|entry| entry.key[0] == "dependencies"));
}

#[test]
fn arrays_span_lines_and_are_dropped() {
    let entries = parse(
        "[workspace]\nmembers = [\n  \"crates/*\", # all of them\n  \"xtask\",\n]\n\
         exclude = [[1, 2], [{ a = 1 }]]\nresolver = \"2\"\n",
    )
    .unwrap();
    assert_eq!(
        entries,
        vec![
            entry(&["workspace"], Value::Table),
            entry(&["workspace", "members"], Value::Other),
            entry(&["workspace", "exclude"], Value::Other),
            entry(&["workspace", "resolver"], str_value("2")),
        ]
    );
}

#[test]
fn inline_tables_nest_and_span_lines() {
    let entries = parse(
        "x = { a = { b = true, c = 3 }, d = false,\n  e.f = 'g', }\n[[bin]]\nname = \"tool\"\n",
    )
    .unwrap();
    assert_eq!(
        value_at(&entries, &["x", "a", "b"]),
        Some(Value::Bool(true))
    );
    assert_eq!(value_at(&entries, &["x", "a", "c"]), Some(Value::Other));
    assert_eq!(value_at(&entries, &["x", "d"]), Some(Value::Bool(false)));
    assert_eq!(value_at(&entries, &["x", "e", "f"]), Some(str_value("g")));
    assert_eq!(
        value_at(&entries, &["bin", "name"]),
        Some(str_value("tool"))
    );
}

#[test]
fn crlf_line_endings_and_spaces_around_dots() {
    let entries = parse("[ dependencies . eddy ]\r\nversion = \"1\"\r\nx . y = 1\r\n").unwrap();
    assert_eq!(
        value_at(&entries, &["dependencies", "eddy", "version"]),
        Some(str_value("1"))
    );
    assert_eq!(
        value_at(&entries, &["dependencies", "eddy", "x", "y"]),
        Some(Value::Other)
    );
}

#[test]
fn malformed_documents_are_rejected() {
    for text in [
        "a = \"unterminated\n",
        "[unclosed\n",
        "a = 1 b = 2\n",
        "= 1\n",
        "a = { b = 1\n",
        "a = \"bad \\q escape\"\n",
    ] {
        assert_eq!(parse(text), None, "{text:?} should be rejected");
    }
}
