//! Generates the tonic client and server for `proto/greeter.proto`, with protoc from the
//! `protoc-bin-vendored` crate (no system protoc needed).
//!
//! Two packages run this script: `ecosystem-servers` (on eddy) and its Tokio-built twin in
//! `benches/ecosystem-tokio`, whose manifest points `build` here. The proto is therefore read
//! with `include_str!`, which resolves next to this file whichever package compiles it, and
//! copied into `OUT_DIR` for protoc; editing it recompiles this script, which reruns it.

use std::path::Path;

const PROTO: &str = include_str!("proto/greeter.proto");

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // prost-build reads PROTOC; the build script runs on one thread, so setting it races nothing.
    std::env::set_var("PROTOC", protoc_bin_vendored::protoc_bin_path()?);
    let dir = Path::new(&std::env::var("OUT_DIR")?).join("proto");
    std::fs::create_dir_all(&dir)?;
    let proto = dir.join("greeter.proto");
    // Cargo reruns the script when a watched file is newer than its last run: write the copy only
    // when it differs, so that nothing but a rebuild of the script reruns it.
    if std::fs::read_to_string(&proto).ok().as_deref() != Some(PROTO) {
        std::fs::write(&proto, PROTO)?;
    }
    println!("cargo:rerun-if-changed={}", proto.display());
    tonic_prost_build::configure().compile_protos(&[&proto], &[&dir])?;
    Ok(())
}
