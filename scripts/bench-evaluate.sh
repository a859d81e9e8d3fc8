#!/usr/bin/env bash
# Benchmark of the public credit evaluation (issue [P4] item 5), release build. One JSON object.
#
#   scripts/bench-evaluate.sh [ENTERPRISES] [RECORDS_PER_ENTERPRISE] [SAMPLES]   # 100000 40 50
#
# `xinrong bench evaluate` on a scratch SQLite file (or on PostgreSQL / MariaDB when
# BENCH_POSTGRES_ADMIN / BENCH_MYSQL_ADMIN name a server; an empty database `xrbench` is created
# and dropped there): seeds a demo city with records (seed_seconds, not part of any figure), runs
# the full evaluation (enterprises, seconds, per_s; target >= 20,000/s on 2 cores), then sends
# SAMPLES one-row 失信被执行人 batches through the real ingest path, each about another subject,
# with the outbox consumer running in-process, and reports the ingest-to-grade latency
# (latency_p50_ms, latency_p99_ms, latency_max_ms; target p99 < 1,000 ms).
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-100000}
records=${2:-40}
samples=${3:-50}
cargo build --release --quiet
bin=$PWD/target/release/xinrong
export XINRONG_LOG=warn
args=(bench evaluate --enterprises "$n" --records-per-enterprise "$records" --samples "$samples")

"$bin" "${args[@]}"
if [ -n "${BENCH_POSTGRES_ADMIN:-}" ]; then
  psql "$BENCH_POSTGRES_ADMIN" -qc 'DROP DATABASE IF EXISTS xrbench' -c 'CREATE DATABASE xrbench' >/dev/null
  "$bin" --database-url "${BENCH_POSTGRES_ADMIN%/*}/xrbench" "${args[@]}"
  psql "$BENCH_POSTGRES_ADMIN" -qc 'DROP DATABASE xrbench' >/dev/null
fi
if [ -n "${BENCH_MYSQL_ADMIN:-}" ]; then
  mariadb ${BENCH_MYSQL_ADMIN} -e 'DROP DATABASE IF EXISTS xrbench; CREATE DATABASE xrbench CHARACTER SET utf8mb4'
  "$bin" --database-url "mysql://root@127.0.0.1:3306/xrbench" "${args[@]}"
  mariadb ${BENCH_MYSQL_ADMIN} -e 'DROP DATABASE xrbench'
fi
