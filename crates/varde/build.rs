//! Compiles the PostgreSQL variants of the integration tests as ignored when
//! `VARDE_TEST_POSTGRES` is not set, so they show as "ignored", never as passed.

fn main() {
    println!("cargo::rustc-check-cfg=cfg(postgres_tests)");
    println!("cargo::rerun-if-env-changed=VARDE_TEST_POSTGRES");
    if std::env::var_os("VARDE_TEST_POSTGRES").is_some_and(|v| !v.is_empty()) {
        println!("cargo::rustc-cfg=postgres_tests");
    }
}
