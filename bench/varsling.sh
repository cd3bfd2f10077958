#!/usr/bin/env bash
# The alert dispatch benchmark (issue 5): builds varde and the benchmark in
# release and runs it, printing the figures. See docs/performance.md.
#
#   bench/varsling.sh                          # 20 000 alerts, one per notification
#   bench/varsling.sh --per-notifikasjon 4     # four per notification
#
# The database: VARDE_BENCH_VARSLING_POSTGRES, by default
# postgres://postgres@127.0.0.1:5432/varde_bench_varsling (dropped and recreated).
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --release --locked -p varde --bin varde -p varde-bench --bin varsling
exec "${CARGO_TARGET_DIR:-target}/release/varsling" "$@"
