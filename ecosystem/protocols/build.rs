//! Generates the tonic client and server for `proto/ledger.proto`. protoc comes from the
//! `protoc-bin-vendored` crate, so the build needs no system protoc.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let protoc = protoc_bin_vendored::protoc_bin_path()?;
    // prost-build reads PROTOC; the build script runs on one thread, so setting it races nothing.
    std::env::set_var("PROTOC", protoc);
    println!("cargo:rerun-if-changed=proto/ledger.proto");
    tonic_prost_build::compile_protos("proto/ledger.proto")?;
    Ok(())
}
