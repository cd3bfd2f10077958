#!/usr/bin/env bash
# The recipient side's benchmark (issue 4): builds varde and the benchmark in
# release and runs it, printing the figures. See docs/performance.md.
#
#   bench/mottakerside.sh --last   # (re)load the database first: 1–2 minutes more
#   bench/mottakerside.sh          # measure against the database loaded before
#
# The database: VARDE_BENCH_POSTGRES, by default
# postgres://postgres@127.0.0.1:5432/varde_bench (dropped and recreated by --last).
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --release --locked -p varde --bin varde -p varde-bench --bin mottakerside
exec "${CARGO_TARGET_DIR:-target}/release/mottakerside" "$@"
