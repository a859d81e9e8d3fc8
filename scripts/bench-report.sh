#!/usr/bin/env bash
# Benchmark of the standardised credit report (issue [P4] item 5), release build. One JSON object.
#
#   scripts/bench-report.sh [ENTERPRISES] [CLIENTS] [SECONDS]     # 100000 32 10
#
# `xinrong bench report` on a scratch SQLite file: seeds a demo city with 40 records per
# enterprise and evaluates it (setup_seconds, not part of any figure), serves the platform on
# 127.0.0.1, then CLIENTS concurrent keep-alive clients ask a demo bank's JSON reports about
# random enterprises (POST /api/v1/reports, purpose 贷前调查) for SECONDS after a warm-up:
# requests, errors, per_s (target >= 2,000/s), p50_ms / p99_ms (target p99 < 20 ms), max_ms.
# Then 20 reports are fetched as PDF one after another: pdf.p50_ms (target < 300 ms).
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-100000}
clients=${2:-32}
seconds=${3:-10}
cargo build --release --quiet
XINRONG_LOG=warn target/release/xinrong bench report \
  --enterprises "$n" --clients "$clients" --seconds "$seconds" --pdf-samples 20
